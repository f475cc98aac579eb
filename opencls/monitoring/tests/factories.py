"""Factories of the follow-up models; the core ones are in opencls/testing/factories.py."""

import datetime

import factory
from factory.django import DjangoModelFactory

from opencls.monitoring.models import (
    DeliverableFollowUp,
    Evaluation,
    IndicatorTarget,
    IndicatorValue,
    Status,
    StatusEntry,
)
from opencls.testing.factories import ActionFactory, DeliverableFactory, IndicatorFactory


class StatusEntryFactory(DjangoModelFactory):
    class Meta:
        model = StatusEntry

    action = factory.SubFactory(ActionFactory)
    contract = factory.SelfAttribute("action.contract")
    status = Status.IN_PROGRESS
    date = datetime.date(2026, 3, 1)


class IndicatorValueFactory(DjangoModelFactory):
    class Meta:
        model = IndicatorValue

    indicator = factory.SubFactory(IndicatorFactory)
    contract = factory.SelfAttribute("indicator.action.contract")
    year = 2026
    period = factory.LazyAttribute(lambda v: str(v.year))
    value = "3"


class IndicatorTargetFactory(DjangoModelFactory):
    class Meta:
        model = IndicatorTarget

    indicator = factory.SubFactory(IndicatorFactory)
    contract = factory.SelfAttribute("indicator.action.contract")
    year = 2026
    period = factory.LazyAttribute(lambda t: str(t.year))
    value = "2"


class DeliverableFollowUpFactory(DjangoModelFactory):
    class Meta:
        model = DeliverableFollowUp

    deliverable = factory.SubFactory(DeliverableFactory)
    contract = factory.SelfAttribute("deliverable.action.contract")
    is_done = True
    done_on = datetime.date(2026, 6, 15)


class EvaluationFactory(DjangoModelFactory):
    class Meta:
        model = Evaluation

    year = 2026
    synthesis = "Une année de lancement."
