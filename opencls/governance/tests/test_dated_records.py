"""Dates checked against the contract's period; governance rules paused for drafts say so."""

from datetime import date

import pytest
from django.urls import reverse

from opencls.contracts.models import Contract, ContractRole
from opencls.governance.models import SignatureState
from opencls.governance.rules import governance_alerts
from opencls.testing import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def contract():
    return factories.ContractFactory(start_date=date(2025, 1, 1), end_date=date(2029, 12, 31))


def test_a_signature_after_the_contract_end_is_refused_in_french(client, contract):
    signatory = factories.SignatoryFactory(contract=contract)
    client.force_login(factories.user_with_role(contract, ContractRole.Role.COORDINATOR))
    url = reverse("governance:signature_edit", args=[contract.pk, signatory.pk])
    response = client.post(url, {"signed_on": "2030-01-01"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "(01/01/2030) est postérieure à la fin du contrat (31/12/2029)" in page
    assert not SignatureState.objects.filter(signed_on__isnull=False).exists()
    # In the future, even within the period: refused too.
    response = client.post(url, {"signed_on": "2029-06-01"})
    assert response.status_code == 400 and "ne peut pas être dans le futur" in response.content.decode()
    # Within the period and past: recorded.
    assert client.post(url, {"signed_on": "2025-02-01"}).status_code == 302
    assert SignatureState.objects.get().signed_on == date(2025, 2, 1)


def test_a_draft_says_its_governance_rules_are_paused(contract):
    assert contract.status == Contract.Status.DRAFT
    before_start = {a.title: a.level for a in governance_alerts(contract, date(2024, 11, 1))}
    assert before_start["Règles de gouvernance en pause tant que le contrat est un brouillon"] == "info"
    after_start = {a.title: a for a in governance_alerts(contract, date(2026, 3, 1))}
    alert = after_start[
        "Règles de gouvernance en pause : le contrat devait commencer le 01/01/2025 mais n'est pas signé"
    ]
    assert alert.level == "warning" and "dès que toutes les parties auront signé" in alert.message


def test_the_paused_rules_show_on_the_governance_page(client, contract):
    client.force_login(factories.user_with_role(contract, ContractRole.Role.MEMBER))
    page = client.get(reverse("governance:overview", args=[contract.pk])).content.decode()
    assert "Règles de gouvernance en pause" in page
    contract.status = Contract.Status.SIGNED
    contract.save()
    page = client.get(reverse("governance:overview", args=[contract.pk])).content.decode()
    assert "Règles de gouvernance en pause" not in page
