"""Factories of the governance app (core ones are in opencls/testing/factories.py)."""

from datetime import datetime
from zoneinfo import ZoneInfo

import factory
from factory.django import DjangoModelFactory

from opencls.governance.models import AgendaItem, BodyMember, GovernanceBody, Meeting
from opencls.testing.factories import ContractFactory, OrganisationFactory

PARIS = ZoneInfo("Europe/Paris")


def at(year, month, day, hour=14, minute=0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=PARIS)


class GovernanceBodyFactory(DjangoModelFactory):
    class Meta:
        model = GovernanceBody

    contract = factory.SubFactory(ContractFactory)
    kind = GovernanceBody.Kind.STEERING
    name = factory.Sequence(lambda n: f"Comité {n}")

    class Params:
        copil = factory.Trait(
            kind=GovernanceBody.Kind.STEERING,
            name="Comité de pilotage",
            min_meetings_per_year=1,
            requires_annual_evaluation=True,
        )
        cotech = factory.Trait(
            kind=GovernanceBody.Kind.TECHNICAL, name="Comité technique", min_meetings_per_year=1
        )
        clsm = factory.Trait(
            kind=GovernanceBody.Kind.CLSM_JOINT,
            name="Rencontres CLS – CLSM",
            min_meetings_per_year=2,
            linked_council_name="Conseil local de santé mentale",
        )


class BodyMemberFactory(DjangoModelFactory):
    class Meta:
        model = BodyMember

    body = factory.SubFactory(GovernanceBodyFactory)
    person_name = factory.Sequence(lambda n: f"Dominique Membre{n}")
    organisation = factory.SubFactory(OrganisationFactory)


class MeetingFactory(DjangoModelFactory):
    class Meta:
        model = Meeting

    body = factory.SubFactory(GovernanceBodyFactory)
    contract = factory.SelfAttribute("body.contract")
    starts_at = factory.LazyFunction(lambda: at(2026, 3, 12))
    place = "Hôtel de ville"


class AgendaItemFactory(DjangoModelFactory):
    class Meta:
        model = AgendaItem

    meeting = factory.SubFactory(MeetingFactory)
    title = factory.Sequence(lambda n: f"Point {n}")

    class Params:
        evaluation = factory.Trait(kind=AgendaItem.Kind.EVALUATION, title="Évaluation annuelle du contrat")
