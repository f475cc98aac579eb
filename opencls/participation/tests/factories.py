"""Factories of the participation app (core ones are in opencls/testing/factories.py)."""

import factory
from factory.django import DjangoModelFactory

from opencls.participation.models import Participant, ParticipationBody, ParticipationEvent
from opencls.testing.factories import ContractFactory


class ParticipationBodyFactory(DjangoModelFactory):
    class Meta:
        model = ParticipationBody

    contract = factory.SubFactory(ContractFactory)
    kind = ParticipationBody.Kind.PARTICIPATION_LAB
    name = factory.Sequence(lambda n: f"Labo de participation {n}")


class ParticipantFactory(DjangoModelFactory):
    class Meta:
        model = Participant

    body = factory.SubFactory(ParticipationBodyFactory)
    name = factory.Sequence(lambda n: f"Habitante {n}")


class ParticipationEventFactory(DjangoModelFactory):
    class Meta:
        model = ParticipationEvent

    contract = factory.SubFactory(ContractFactory)
    kind = ParticipationEvent.Kind.WORKSHOP
    title = factory.Sequence(lambda n: f"Atelier {n}")
    date_text = "juin 2024"
