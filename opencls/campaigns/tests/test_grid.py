"""The porteur's home ("Mes fiches") and the grid that fills a whole action for a year in one POST."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from opencls.campaigns.models import ActionReport, Campaign, ReportState
from opencls.contracts.models import ContractRole
from opencls.monitoring.models import DeliverableFollowUp, Evidence, IndicatorValue, Status, StatusEntry
from opencls.testing import factories

pytestmark = pytest.mark.django_db
R = ContractRole.Role


@pytest.fixture
def world():
    org = factories.OrganisationFactory()
    contract = factories.ContractFactory()
    action = factories.ActionFactory(
        contract=contract, axis=factories.AxisFactory(contract=contract), leads=[org]
    )
    other = factories.ActionFactory(
        contract=contract, axis=action.axis, leads=[factories.OrganisationFactory()]
    )
    indicators = [factories.IndicatorFactory(action=action) for _ in range(3)]
    deliverables = [factories.DeliverableFactory(action=action) for _ in range(2)]
    IndicatorValue.objects.create(
        contract=contract, indicator=indicators[0], year=2024, period="2024", value=Decimal(7)
    )
    campaign = Campaign.objects.create(contract=contract, year=2025, deadline=date(2026, 3, 31))
    report = ActionReport.objects.create(campaign=campaign, action=action)
    ActionReport.objects.create(campaign=campaign, action=other)
    return {
        "contract": contract,
        "action": action,
        "other": other,
        "indicators": indicators,
        "deliverables": deliverables,
        "report": report,
        "porteur": factories.user_with_role(contract, R.LEAD, organisation=org),
        "coordinator": factories.user_with_role(contract, R.COORDINATOR),
    }


def grid_url(world, action=None):
    contract = world["contract"]
    if action is None:
        return reverse("campaigns:grid", args=[contract.pk, 2025])
    return reverse("campaigns:grid_action", args=[contract.pk, 2025, action.pk])


def full_post(world, **extra):
    a = f"a{world['action'].pk}"
    i, d = world["indicators"], world["deliverables"]
    data = {
        f"{a}-status": Status.IN_PROGRESS,
        f"{a}-status_comment": "Deux sessions faites sur trois.",
        f"{a}-v{i[0].pk}_2025": "1 234,5",
        f"{a}-v{i[1].pk}_2025": "12",
        f"{a}-v{i[2].pk}_2025": "0,75",
        f"{a}-d{d[0].pk}": "on",
        f"{a}-e{d[0].pk}": SimpleUploadedFile("compte-rendu.pdf", b"%PDF-1.4 test", "application/pdf"),
    }
    return data | extra


def test_one_post_saves_a_full_action_with_a_pinned_query_count(client, world, django_assert_num_queries):
    client.force_login(world["porteur"])
    # A status, three values, a deliverable and an evidence file; each save is behind the unchanged-save guard.
    with django_assert_num_queries(56):
        response = client.post(grid_url(world, world["action"]), full_post(world))
    assert response.status_code == 302
    values = dict(IndicatorValue.objects.filter(year=2025).values_list("indicator_id", "value"))
    i = world["indicators"]
    assert values == {i[0].pk: Decimal("1234.50"), i[1].pk: Decimal(12), i[2].pk: Decimal("0.75")}
    entry = StatusEntry.objects.get(action=world["action"])
    assert (entry.status, entry.date, entry.comment) == (
        Status.IN_PROGRESS,
        date(2025, 12, 31),
        "Deux sessions faites sur trois.",
    )
    assert DeliverableFollowUp.objects.get(deliverable=world["deliverables"][0]).is_done
    assert not DeliverableFollowUp.objects.filter(deliverable=world["deliverables"][1]).exists()
    assert Evidence.objects.get().original_name == "compte-rendu.pdf"
    world["report"].refresh_from_db()
    assert world["report"].state == ReportState.TO_FILL  # a draft: saved, not submitted


def test_an_untouched_grid_saves_nothing(client, world):
    client.force_login(world["porteur"])
    page = client.get(grid_url(world)).content.decode()
    assert "1234,5" not in page and "2024 : 7" in page  # the previous year beside
    a = f"a{world['action'].pk}"
    i0 = world["indicators"][0]
    IndicatorValue.objects.create(
        contract=world["contract"], indicator=i0, year=2025, period="2025", value=Decimal(3)
    )
    before = IndicatorValue.history.count()
    response = client.post(grid_url(world), {f"{a}-status": Status.NOT_STARTED, f"{a}-v{i0.pk}_2025": "3"})
    assert response.status_code == 302
    assert IndicatorValue.history.count() == before and not StatusEntry.objects.exists()
    assert not DeliverableFollowUp.objects.exists()


def test_a_bad_french_number_saves_nothing_and_keeps_the_input(client, world):
    client.force_login(world["porteur"])
    a = f"a{world['action'].pk}"
    i = world["indicators"]
    response = client.post(grid_url(world), full_post(world, **{f"{a}-v{i[1].pk}_2025": "12 abc"}))
    assert response.status_code == 400
    page = response.content.decode()
    assert "Saisissez un nombre, par exemple 1 234,56." in page and 'value="12 abc"' in page
    assert 'value="1 234,5"' in page and "a été enregistré : corrigez" in page
    assert not IndicatorValue.objects.filter(year=2025).exists() and not StatusEntry.objects.exists()
    assert not Evidence.objects.exists()


def test_htmx_partial_save_returns_the_form_in_place(client, world):
    client.force_login(world["porteur"])
    a = f"a{world['action'].pk}"
    i = world["indicators"]
    bad = client.post(grid_url(world), {f"{a}-v{i[0].pk}_2025": "dix"}, headers={"HX-Request": "true"})
    assert bad.status_code == 200 and "<html" not in bad.content.decode()
    assert 'value="dix"' in bad.content.decode() and "fr-error-text" in bad.content.decode()
    good = client.post(grid_url(world), {f"{a}-v{i[0].pk}_2025": "10"}, headers={"HX-Request": "true"})
    assert good.status_code == 200 and "1 modification(s) enregistrée(s)." in good.content.decode()
    assert IndicatorValue.objects.get(year=2025).value == Decimal(10)


def test_a_stored_value_is_not_erased_silently(client, world):
    i0 = world["indicators"][0]
    IndicatorValue.objects.create(
        contract=world["contract"], indicator=i0, year=2025, period="2025", value=Decimal(3)
    )
    client.force_login(world["porteur"])
    response = client.post(grid_url(world), {f"a{world['action'].pk}-v{i0.pk}_2025": ""})
    assert response.status_code == 400 and "ne s&#x27;efface pas ici" in response.content.decode()
    assert IndicatorValue.objects.get(year=2025).value == Decimal(3)


def test_save_and_submit_moves_the_report(client, world, django_capture_on_commit_callbacks):
    client.force_login(world["porteur"])
    client.post(grid_url(world), full_post(world, submit=""))
    world["report"].refresh_from_db()
    assert world["report"].state == ReportState.SUBMITTED


def test_the_grid_holds_only_what_the_user_may_fill(client, world):
    client.force_login(world["porteur"])
    page = client.get(grid_url(world)).content.decode()
    assert world["action"].title in page and world["other"].title not in page
    assert client.get(grid_url(world, world["other"])).status_code == 403
    # Posting fields of the other action changes nothing: they are not in the grid.
    a = f"a{world['other'].pk}"
    client.post(grid_url(world), {f"{a}-status": Status.DONE})
    assert not StatusEntry.objects.exists()
    foreign = factories.ActionFactory()
    assert client.get(grid_url(world, foreign)).status_code == 404
    member = factories.user_with_role(world["contract"], R.MEMBER)
    client.force_login(member)
    assert client.get(grid_url(world)).status_code == 403
    client.force_login(world["coordinator"])
    page = client.get(grid_url(world)).content.decode()
    assert world["action"].title in page and world["other"].title in page


def test_mes_fiches_lists_what_is_due_across_contracts(client, world, django_assert_num_queries):
    porteur = world["porteur"]
    second = factories.ContractFactory(title="CLS de Fourmies")
    ContractRole.objects.create(contract=second, user=porteur, role=R.LEAD)
    action = factories.ActionFactory(
        contract=second, axis=factories.AxisFactory(contract=second), leads=[porteur.organisation]
    )
    campaign = Campaign.objects.create(contract=second, year=2025, deadline=date(2099, 1, 1))
    ActionReport.objects.create(campaign=campaign, action=action, state=ReportState.VALIDATED)
    client.force_login(porteur)
    with django_assert_num_queries(3):
        page = client.get(reverse("campaigns:home")).content.decode()
    assert world["action"].title in page and "en retard" in page
    assert "CLS de Fourmies" in page and "Déjà transmises" in page
    assert world["other"].title not in page


def test_login_lands_a_porteur_on_mes_fiches_and_others_on_the_dashboard(client, world):
    for user, target in ((world["porteur"], "campaigns:home"), (world["coordinator"], "core:dashboard")):
        client.force_login(user)
        assert client.get(reverse("campaigns:after_login")).url == reverse(target)
