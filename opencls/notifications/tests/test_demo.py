import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from opencls.accounts.models import User
from opencls.contracts.models import Contract
from opencls.notifications.models import Kind, Notification

pytestmark = pytest.mark.django_db


def test_the_demo_users_find_the_campaigns_notifications(client):
    call_command("load_demo")
    marque = Contract.objects.get(title__contains="Marque et du Mélantois")
    porteur = User.objects.get(username=f"porteur-{marque.pk}")
    coordinator = User.objects.get(username="coordination")
    assert list(Notification.objects.filter(user=porteur).values_list("kind", flat=True)) == [
        Kind.CAMPAIGN_OPENED
    ]
    assert Notification.objects.filter(user=coordinator, kind=Kind.REPORT_SUBMITTED).count() == 3
    assert mail.outbox == []  # past events: recorded, not mailed again
    call_command("load_demo")  # idempotent
    assert Notification.objects.count() == 4
    client.force_login(porteur)
    page = client.get(reverse("notifications:list")).content.decode()
    assert "Campagne" in page and "1 notification non lue" in page
    call_command("send_reminders")
    assert Notification.objects.filter(user=porteur, kind=Kind.LATE).count() == 1
