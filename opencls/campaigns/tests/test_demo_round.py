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
    assert [m.to for m in mail.outbox] == [[porteur.email]]
    assert "En retard" in mail.outbox[0].subject
    call_command("load_demo")  # idempotent
    assert Campaign.objects.filter(contract=marque).count() == 1
