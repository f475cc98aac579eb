"""The contract JSON carries QPV links, participation levels, politique de la ville flags and the
participation bodies and events, never contact data (issue 14)."""

import datetime
from decimal import Decimal

import pytest

from opencls.contracts.io import (
    ContractJsonError,
    contract_from_json,
    contract_to_json,
    validate_contract_json,
)
from opencls.governance.tests.factories import GovernanceBodyFactory
from opencls.participation import services
from opencls.participation.models import ParticipationEvent, Seat
from opencls.participation.tests.factories import ParticipationBodyFactory
from opencls.testing import factories

pytestmark = pytest.mark.django_db


def build():
    contract = factories.ContractFactory()
    cite = factories.PriorityNeighbourhoodFactory(
        territory=contract.territory, name="Cité 9", code="QN06201M", population=2631
    )
    axis = factories.AxisFactory(contract=contract)
    action = factories.ActionFactory(
        axis=axis, qpv_public_share=Decimal("40"), qpv_public_share_basis="estimated", city_policy_funded=True,
        participation_level="co_decision",
    )  # fmt: skip
    action.neighbourhoods.add(cite)
    operation = factories.OperationFactory(action=action, whole_territory=True)
    copil = GovernanceBodyFactory(contract=contract, name="COPIL")
    body = ParticipationBodyFactory(
        contract=contract, kind="citizen_council", name="Conseil citoyen", neighbourhood=cite
    )
    nadia = services.participant_create(
        body=body,
        name="Nadia",
        neighbourhood=cite,
        email="nadia@example.org",
        consent_contact_on=datetime.date(2026, 1, 1),
    )
    gone = services.participant_create(body=body, name="Parti")
    services.participant_erase(participant=gone, on=datetime.date(2026, 2, 1))
    Seat.objects.create(body=body, governance_body=copil, count=2, holder=nadia)
    event = ParticipationEvent.objects.create(
        contract=contract, kind="exploratory_walk", title="Marche exploratoire", date=datetime.date(2024, 6, 12),
        participant_count=18, body=body, about_diagnosis=True, what_changed="Éclairage ajouté à la FA",
    )  # fmt: skip
    event.axes.add(axis)
    event.actions.add(action)
    return contract, action, operation


def test_round_trip_keeps_qpv_and_participation_without_contact_data():
    contract, action, operation = build()
    data = contract_to_json(contract)
    assert validate_contract_json(data) == []
    text = str(data)
    assert "nadia@example.org" not in text and "Parti" not in text  # no contact, no erased member
    exported = data["contract"]["axes"][0]["actions"][0]
    assert exported["neighbourhoods"] == ["Cité 9"] and exported["participation_level"] == "co_decision"
    assert exported["qpv_public_share"] == "40.00" and exported["city_policy_funded"] is True
    assert exported["operations"][0]["whole_territory"] is True
    section = data["extensions"]["participation"]
    assert section["bodies"][0]["members"] == [
        {"name": "Nadia", "college": "", "neighbourhood": "Cité 9", "joined_on": None}
    ]
    assert section["bodies"][0]["seats"] == [{"governance_body": "COPIL", "count": 2, "holder": 0}]
    copy = contract_from_json(data)
    again = contract_to_json(copy)
    assert again == data
    assert copy.actions.get().neighbourhoods.get().code == "QN06201M"


def test_bad_references_are_refused_in_french():
    contract, _action, _operation = build()
    data = contract_to_json(contract)
    data["contract"]["axes"][0]["actions"][0]["neighbourhoods"] = ["Nulle part"]
    with pytest.raises(ContractJsonError) as error:
        contract_from_json(data)
    assert "quartier « Nulle part » absent" in error.value.messages[0]
    data = contract_to_json(contract)
    data["contract"]["territory"]["neighbourhoods"][0]["code"] = "QP062001"
    assert any("format invalide" in message for message in validate_contract_json(data))
    data = contract_to_json(contract)
    data["extensions"]["participation"]["events"][0]["actions"] = ["FA inconnue"]
    with pytest.raises(ContractJsonError) as error:
        contract_from_json(data)
    assert "la fiche action « FA inconnue » introuvable" in error.value.messages[0]
