import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils.html import escape

from opencls.accounts.models import User
from opencls.accounts.permissions import can, roles_for, visible_contracts
from opencls.contracts.models import Contract
from opencls.demo.services import DEMO_PASSWORD

pytestmark = pytest.mark.django_db


def test_demo_loads_both_seed_contracts_once_and_prints_logins(capsys, client):
    call_command("load_demo")
    out = capsys.readouterr().out
    assert f"« {DEMO_PASSWORD} »" in out and "coordination" in out and "ars —" in out
    call_command("load_demo")  # a second run adds nothing
    assert "Déjà chargé" in capsys.readouterr().out

    lens = Contract.objects.get(title__contains="Lens-Liévin")
    marque = Contract.objects.get(title__contains="Marque et du Mélantois")
    assert Contract.objects.count() == 2
    assert [axis.actions.count() for axis in lens.axes.all()] == [4, 4, 5]
    assert [axis.actions.count() for axis in marque.axes.all()] == [3, 5, 6, 1]
    assert lens.territory.municipalities.count() == 19  # the communes of the QPV table
    assert marque.territory.municipalities.count() == 8
    assert marque.signatories.count() > 8
    # Issue 18: the article texts of both contracts exist by default (and once).
    assert lens.articles.count() == marque.articles.count() == 11
    # Issue 16: the seeds' communes carry their official codes; a délégation départementale
    # du Nord reads 004 only, the regional reader both.
    assert sorted(lens.territory.municipalities.values_list("insee_code", flat=True))[:2] == [
        "62032",
        "62065",
    ]
    assert (lens.territory.region_code, lens.territory.department_code) == ("32", "62")
    assert not marque.territory.municipalities.filter(insee_code="").exists()
    assert list(visible_contracts(User.objects.get(username="ars-dd59"))) == [marque]
    assert set(visible_contracts(User.objects.get(username="ars"))) == {lens, marque}

    coordinator = User.objects.get(username="coordination")
    assert coordinator.check_password(DEMO_PASSWORD)
    client.force_login(coordinator)
    page = client.get(reverse("contracts:detail", args=[marque.pk])).content.decode()
    assert "FA 4.1" in page
    client.force_login(User.objects.get(username="ars"))
    # The ARS reader's home is the regional view (issue 16).
    dashboard = client.get(reverse("core:dashboard"), follow=True).content.decode()
    assert escape(lens.title) in dashboard and escape(marque.title) in dashboard


def test_the_demo_has_a_login_for_every_role(capsys):
    call_command("load_demo")
    out = capsys.readouterr().out
    for username in ("coordination", "ars", "signataire", "membre", "admin", "porteur-"):
        assert f"• {username}" in out, username
    marque = Contract.objects.get(title__contains="Marque et du Mélantois")
    signatory, member = User.objects.get(username="signataire"), User.objects.get(username="membre")
    assert "signatory" in roles_for(signatory, marque) and "member" in roles_for(member, marque)
    # Both read the whole contract and change nothing.
    assert can(signatory, "contract.view", marque) and not can(signatory, "contract.change", marque)
    assert can(member, "contract.view", marque) and not can(member, "action.change", marque)


def test_the_demo_suggests_themes_on_both_seeds_and_the_ars_reader_sees_the_region(client):
    from opencls.region.models import ActionTheme

    call_command("load_demo")
    lens = Contract.objects.get(title__contains="Lens-Liévin")
    marque = Contract.objects.get(title__contains="Marque et du Mélantois")
    for contract in (lens, marque):
        assert ActionTheme.objects.filter(contract=contract).exists()
    assert ActionTheme.objects.filter(
        contract=marque, theme__code="sante-mentale", action__code="FA 4.1"
    ).exists()
    count = ActionTheme.objects.count()
    call_command("load_demo")
    assert ActionTheme.objects.count() == count  # idempotent
    client.force_login(User.objects.get(username="ars"))
    page = client.get(reverse("region:home")).content.decode()
    assert escape(lens.title) in page and escape(marque.title) in page
