"""Nothing recorded is overwritten or deleted without showing before → after (issue 12)."""

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from opencls.monitoring.models import IndicatorTarget, IndicatorValue
from opencls.monitoring.tests.factories import IndicatorTargetFactory

pytestmark = pytest.mark.django_db


def url(name, *args):
    return reverse(f"monitoring:{name}", args=args)


@pytest.fixture(autouse=True)
def _today(monkeypatch, today):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: today)


@pytest.fixture
def as_coordinator(client, year_2026):
    client.force_login(year_2026.coordinator)
    return client


def reposted(page: str) -> dict:
    """The hidden fields of the confirmation form, as the browser would send them back."""
    form = page.split('id="confirm-replacements"')[1].split("</form>")[0]
    data = {}
    for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', form):
        if name != "csrfmiddlewaretoken":
            data.setdefault(name, []).append(value)
    return data


def rows(page: str) -> list[list[str]]:
    table = page.split('id="confirm-replacements"')[1].split("</table>")[0]
    body = table.split("<tbody>")[1]
    return [
        [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
        for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)
    ]


def test_confirming_a_deliverable_target_asks_before_replacing_a_target_typed_by_hand(
    as_coordinator, year_2026
):
    deliverable = year_2026.schools.deliverables.get()  # « au moins deux sessions par an »
    hand = IndicatorTargetFactory(indicator=year_2026.sessions, year=2027, value="7")  # typed by hand
    data = {
        "form": "proposal",
        "proposal-indicator": year_2026.sessions.pk,
        "proposal-value": "2",
        "proposal-years": ["2026", "2027", "2028"],
    }
    response = as_coordinator.post(url("deliverable", year_2026.contract.pk, deliverable.pk), data)
    assert response.status_code == 200
    page = response.content.decode()
    # Only the period that really changes: 2026 already holds 2, 2028 holds nothing.
    assert rows(page) == [["Cible 2027 de « Nombre de sessions de sensibilisation »", "7", "2"]]
    hand.refresh_from_db()
    assert hand.value == Decimal("7") and hand.source_deliverable is None  # nothing written yet
    assert not IndicatorTarget.objects.filter(indicator=year_2026.sessions, period="2028").exists()

    resent = reposted(page)
    assert resent["confirmed"] == ["1"] and resent["proposal-years"] == ["2026", "2027", "2028"]
    response = as_coordinator.post(url("deliverable", year_2026.contract.pk, deliverable.pk), resent)
    assert response.status_code == 302
    hand.refresh_from_db()
    assert (hand.value, hand.source_deliverable) == (Decimal("2"), deliverable)
    assert IndicatorTarget.objects.filter(indicator=year_2026.sessions, period="2028").exists()
    assert hand.history.first().history_user == year_2026.coordinator  # the replacement is in the history


def test_cancelling_keeps_the_target_typed_by_hand(as_coordinator, year_2026):
    deliverable = year_2026.schools.deliverables.get()
    hand = IndicatorTargetFactory(indicator=year_2026.sessions, year=2027, value="7")
    data = {
        "form": "proposal",
        "proposal-indicator": year_2026.sessions.pk,
        "proposal-value": "2",
        "proposal-years": ["2027"],
    }
    page = as_coordinator.post(
        url("deliverable", year_2026.contract.pk, deliverable.pk), data
    ).content.decode()
    cancel = url("deliverable", year_2026.contract.pk, deliverable.pk)
    assert f'href="{cancel}">Annuler' in page
    hand.refresh_from_db()
    assert hand.value == Decimal("7")


def test_a_target_typed_over_another_asks_first(as_coordinator, year_2026):
    data = {"form": "target", "target-period": "2026", "target-value": "9", "target-cumulative": ""}
    page = as_coordinator.post(url("indicator", year_2026.contract.pk, year_2026.sessions.pk), data)
    assert rows(page.content.decode()) == [
        ["Cible 2026 de « Nombre de sessions de sensibilisation »", "2", "9"]
    ]
    assert IndicatorTarget.objects.get(indicator=year_2026.sessions, period="2026").value == 2
    as_coordinator.post(
        url("indicator", year_2026.contract.pk, year_2026.sessions.pk), {**data, "confirmed": "1"}
    )
    assert IndicatorTarget.objects.get(indicator=year_2026.sessions, period="2026").value == 9


def test_a_value_typed_over_another_asks_first_and_a_new_one_does_not(as_coordinator, year_2026):
    indicator_url = url("indicator", year_2026.contract.pk, year_2026.sessions.pk)
    data = {"form": "value", "value-period": "2026", "value-value": "4", "value-comment": "Corrigé"}
    page = as_coordinator.post(indicator_url, data).content.decode()
    assert rows(page) == [
        [
            "Valeur 2026 de « Nombre de sessions de sensibilisation »",
            "3 — Deux sessions PRISME, une CJC",
            "4 — Corrigé",
        ]
    ]
    assert IndicatorValue.objects.get(indicator=year_2026.sessions, period="2026").value == 3
    assert as_coordinator.post(indicator_url, {**data, "confirmed": "1"}).status_code == 302
    assert IndicatorValue.objects.get(indicator=year_2026.sessions, period="2026").value == 4
    # A period without a value: written at once.
    new = {"form": "value", "value-period": "2025", "value-value": "1", "value-comment": ""}
    assert as_coordinator.post(indicator_url, new).status_code == 302


def test_deleting_a_value_shows_it_and_asks(as_coordinator, year_2026):
    value = IndicatorValue.objects.get(indicator=year_2026.sessions, period="2026")
    delete_url = url("indicator_value_delete", year_2026.contract.pk, value.pk)
    page = as_coordinator.post(delete_url).content.decode()
    assert rows(page) == [["Valeur 2026 de « Nombre de sessions de sensibilisation »", "3", "supprimé"]]
    assert IndicatorValue.objects.filter(pk=value.pk).exists()
    as_coordinator.post(delete_url, {"confirmed": "1"})
    assert not IndicatorValue.objects.filter(pk=value.pk).exists()


def test_a_stranger_gets_no_confirmation_page(client, year_2026):
    from opencls.contracts.models import ContractRole
    from opencls.testing.factories import ContractFactory, user_with_role

    other = user_with_role(ContractFactory(), ContractRole.Role.COORDINATOR)
    client.force_login(other)
    value = IndicatorValue.objects.get(indicator=year_2026.sessions, period="2026")
    response = client.post(url("indicator_value_delete", year_2026.contract.pk, value.pk))
    assert response.status_code == 404


def test_a_member_gets_no_confirmation_page(client, year_2026):
    client.force_login(year_2026.member)
    value = IndicatorValue.objects.get(indicator=year_2026.sessions, period="2026")
    assert client.post(url("indicator_value_delete", year_2026.contract.pk, value.pk)).status_code == 403
    assert IndicatorValue.objects.filter(pk=value.pk).exists()


def test_deleting_evidence_shows_it_and_asks(as_coordinator, year_2026):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from opencls.monitoring import services
    from opencls.monitoring.models import Evidence

    pdf = SimpleUploadedFile("compte-rendu.pdf", b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n")
    evidence = services.evidence_add(
        user=year_2026.coordinator, deliverable=year_2026.guide, uploaded_file=pdf, description=""
    )
    delete_url = url("evidence_delete", year_2026.contract.pk, evidence.pk)
    page = as_coordinator.post(delete_url).content.decode()
    assert rows(page) == [["Pièce justificative", "compte-rendu.pdf", "supprimé"]]
    assert Evidence.objects.filter(pk=evidence.pk).exists()
    as_coordinator.post(delete_url, {"confirmed": "1"})
    assert not Evidence.objects.filter(pk=evidence.pk).exists()
