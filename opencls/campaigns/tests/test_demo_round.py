import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from opencls.accounts.models import User
from opencls.campaigns.models import Campaign, ReportState
from opencls.contracts.models import Contract

pytestmark = pytest.mark.django_db


def test_demo_has_a_late_porteur_on_004_and_send_reminders_mails_once(capsys, client):
    call_command("load_demo")
    out = capsys.readouterr().out
    marque = Contract.objects.get(title__contains="Marque et du Mélantois")
    lens = Contract.objects.get(title__contains="Lens-Liévin")
    assert f"porteur-{marque.pk} —" in out and f"porteur-{lens.pk} —" in out
    campaign = Campaign.objects.get(contract=marque)
    assert campaign.year == timezone.localdate().year and campaign.is_late()
    assert campaign.reports.filter(state=ReportState.TO_FILL).exists()
    assert campaign.reports.filter(state=ReportState.SUBMITTED).exists()

    porteur = User.objects.get(username=f"porteur-{marque.pk}")
    client.force_login(porteur)
    assert client.get(reverse("campaigns:after_login")).url == reverse("campaigns:home")
    home = client.get(reverse("campaigns:home")).content.decode()
    assert "en retard" in home
    for _ in range(2):
        call_command("send_reminders")
    # The late porteur, and the demo's porteur of operations (issue 13) whose operations belong to
    # a late fiche: one mail each, sent once.
    operations_porteur = User.objects.get(username=f"porteur-operations-{marque.pk}")
    assert sorted(m.to[0] for m in mail.outbox) == sorted([porteur.email, operations_porteur.email])
    assert all("En retard" in m.subject for m in mail.outbox)
    # Measure kinds shown on 004 (issue 13): a typology, a satisfaction scale, a count by commune.
    from opencls.monitoring.models import IndicatorValue

    shown = IndicatorValue.objects.filter(contract=marque).exclude(breakdown={})
    assert {"categories", "satisfaction", "municipalities"} <= set(
        shown.values_list("indicator__measure_kind", flat=True)
    )
    assert "Exemple de mesure : Échelle de satisfaction" in out
    client.force_login(operations_porteur)
    home = client.get(reverse("campaigns:home")).content.decode()
    assert "vos opérations" in home
    grid = client.get(reverse("campaigns:grid", args=[marque.pk, campaign.year]))
    assert grid.status_code == 200 and "vos opérations" in grid.content.decode()
    call_command("load_demo")  # idempotent
    assert Campaign.objects.filter(contract=marque).count() == 1
