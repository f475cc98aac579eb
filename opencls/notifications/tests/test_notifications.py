"""Every event of the round is an in-app notification for its recipient, built by notify() with
its e-mail; users see only their own; the weekly digest replaces single mails when chosen."""

from datetime import date, datetime, timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from opencls.campaigns import services as campaign_services
from opencls.campaigns.models import ActionReport, Campaign
from opencls.contracts.models import ContractRole
from opencls.notifications.models import Kind, Notification, Preference, SentDigest
from opencls.notifications.services import notify, set_preference
from opencls.people import services as people_services
from opencls.testing import factories

pytestmark = pytest.mark.django_db
R = ContractRole.Role


@pytest.fixture
def world():
    org, other_org = factories.OrganisationFactory.create_batch(2)
    contract = factories.ContractFactory()
    axis = factories.AxisFactory(contract=contract)
    action = factories.ActionFactory(axis=axis, code="1.1", leads=[org])
    other_action = factories.ActionFactory(axis=axis, code="1.2", leads=[other_org])
    users = {
        "coordinator": factories.user_with_role(contract, R.COORDINATOR, email="coord@exemple.fr"),
        "porteur": factories.user_with_role(contract, R.LEAD, organisation=org, email="porteur@exemple.fr"),
        "other_porteur": factories.user_with_role(
            contract, R.LEAD, organisation=other_org, email="autre@exemple.fr"
        ),
        "member": factories.user_with_role(contract, R.MEMBER, email="membre@exemple.fr"),
    }
    campaign = Campaign.objects.create(
        contract=contract, year=2025, deadline=timezone.localdate() + timedelta(days=10)
    )
    reports = [ActionReport.objects.create(campaign=campaign, action=a) for a in (action, other_action)]
    return {"contract": contract, "campaign": campaign, "report": reports[0], "users": users}


def kinds_of(user):
    return list(Notification.objects.filter(user=user).order_by("pk").values_list("kind", flat=True))


def test_opening_a_campaign_notifies_each_porteur_with_a_link(world, django_capture_on_commit_callbacks):
    users = world["users"]
    with django_capture_on_commit_callbacks(execute=True):
        campaign = campaign_services.open_campaign(
            contract=world["contract"],
            year=2026,
            deadline=timezone.localdate() + timedelta(days=30),
            user=users["coordinator"],
        )
    assert kinds_of(users["porteur"]) == kinds_of(users["other_porteur"]) == [Kind.CAMPAIGN_OPENED]
    assert kinds_of(users["coordinator"]) == kinds_of(users["member"]) == []
    notification = Notification.objects.get(user=users["porteur"])
    assert notification.contract == world["contract"] and "Campagne 2026 ouverte" in notification.title
    report = campaign.reports.get(action__code="1.1")
    assert notification.url == reverse(
        "campaigns:report", args=[world["contract"].pk, 2026, report.action_id]
    )
    assert "1.1" in notification.body and notification.emailed_at and not notification.read_at
    # The mail is built from the same event: same subject, same link.
    sent = next(m for m in mail.outbox if m.to == ["porteur@exemple.fr"])
    assert sent.subject == notification.title and f"http://localhost:8000{notification.url}" in sent.body
    assert "http://localhost:8000/notifications/preferences/" in sent.body  # the digest is offered


def test_submit_notifies_the_coordinators_and_return_and_validate_the_porteur(
    world, django_capture_on_commit_callbacks
):
    users, report = world["users"], world["report"]
    with django_capture_on_commit_callbacks(execute=True):
        campaign_services.transition(report, "submit", user=users["porteur"])
    assert kinds_of(users["coordinator"]) == [Kind.REPORT_SUBMITTED]
    assert kinds_of(users["porteur"]) == []  # the submitter is not told what they did
    submitted = Notification.objects.get(user=users["coordinator"])
    assert "soumise" in submitted.title and mail.outbox[-1].to == ["coord@exemple.fr"]
    assert str(users["porteur"]) in mail.outbox[-1].body and mail.outbox[-1].alternatives
    with django_capture_on_commit_callbacks(execute=True):
        campaign_services.transition(report, "return", user=users["coordinator"], comment="Valeur 2 ?")
    with django_capture_on_commit_callbacks(execute=True):
        campaign_services.transition(report, "submit", user=users["porteur"])
        campaign_services.transition(report, "validate", user=users["coordinator"])
    assert kinds_of(users["porteur"]) == [Kind.REPORT_RETURNED, Kind.REPORT_VALIDATED]
    assert "Valeur 2 ?" in Notification.objects.get(user=users["porteur"], kind=Kind.REPORT_RETURNED).body
    assert kinds_of(users["other_porteur"]) == kinds_of(users["member"]) == []


def test_reminders_notify_in_app_once_like_their_mails(world):
    Campaign.objects.filter(pk=world["campaign"].pk).update(deadline=date(2026, 3, 31))
    for _ in range(2):
        call_command("send_reminders", "--date", "2026-03-26")
    call_command("send_reminders", "--date", "2026-04-02")
    assert kinds_of(world["users"]["porteur"]) == [Kind.REMINDER, Kind.LATE]
    assert kinds_of(world["users"]["other_porteur"]) == [Kind.REMINDER, Kind.LATE]
    assert kinds_of(world["users"]["coordinator"]) == []
    assert len(mail.outbox) == 4


def test_invitations_are_mailed_at_once_and_the_inviter_hears_of_the_acceptance(
    world, django_capture_on_commit_callbacks
):
    users, contract = world["users"], world["contract"]
    existing = factories.UserFactory(email="deja@exemple.fr")
    set_preference(existing, Preference.Frequency.WEEKLY)  # invitations ignore the digest
    with django_capture_on_commit_callbacks(execute=True):
        invitation = people_services.invite(
            contract=contract, email="deja@exemple.fr", role=R.MEMBER, invited_by=users["coordinator"]
        )
        people_services.invite(
            contract=contract, email="nouveau@exemple.fr", role=R.MEMBER, invited_by=users["coordinator"]
        )
    assert [m.to for m in mail.outbox] == [["deja@exemple.fr"], ["nouveau@exemple.fr"]]
    invited = Notification.objects.get(user=existing)
    assert invited.kind == Kind.INVITATION and invited.url == ""  # the token stays in the mail only
    assert Notification.objects.count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        people_services.accept(invitation, existing)
    accepted = Notification.objects.get(user=users["coordinator"])
    assert accepted.kind == Kind.INVITATION_ACCEPTED and str(existing) in accepted.title
    assert accepted.url == reverse("people:list", args=[contract.pk])


def make(user, count=1, **fields):
    return [
        Notification.objects.create(
            user=user, kind=Kind.REMINDER, title=f"Avis {i}", url="/mes-fiches/", **fields
        )
        for i in range(count)
    ]


def test_users_only_ever_see_and_mark_their_own_notifications(client):
    mine, theirs = factories.UserFactory(), factories.UserFactory()
    (own,) = make(mine)
    (foreign,) = make(theirs)
    client.force_login(mine)
    page = client.get(reverse("notifications:list")).content.decode()
    assert f'id="notification-{own.pk}"' in page and f'id="notification-{foreign.pk}"' not in page
    for name in ("notifications:read", "notifications:open"):
        assert client.post(reverse(name, args=[foreign.pk])).status_code == 404
    client.post(reverse("notifications:read_all"))
    foreign.refresh_from_db()
    own.refresh_from_db()
    assert foreign.read_at is None and own.read_at is not None


def test_open_marks_read_and_goes_to_the_object_read_and_read_all_post_only(client):
    user = factories.UserFactory()
    first, second, third = make(user, 3)
    client.force_login(user)
    assert client.get(reverse("notifications:open", args=[first.pk])).status_code == 405
    response = client.post(reverse("notifications:open", args=[first.pk]))
    assert response.status_code == 302 and response["Location"] == "/mes-fiches/"
    client.post(reverse("notifications:read", args=[second.pk]))
    assert Notification.objects.filter(read_at=None).get() == third
    badge = client.get(reverse("notifications:badge")).content.decode()
    assert 'id="notifications-unread">1<' in badge
    client.post(reverse("notifications:read_all"))
    assert not Notification.objects.filter(read_at=None).exists()
    assert "notifications-unread" not in client.get(reverse("notifications:badge")).content.decode()


def test_marking_read_checks_csrf(client):
    user = factories.UserFactory()
    (notification,) = make(user)
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(user)
    assert strict.post(reverse("notifications:read", args=[notification.pk])).status_code == 403
    assert strict.post(reverse("notifications:read_all")).status_code == 403
    assert Notification.objects.get().read_at is None


def test_an_open_link_never_leaves_the_site(client):
    user = factories.UserFactory()
    notification = Notification.objects.create(
        user=user, kind=Kind.REMINDER, title="x", url="https://evil.example/"
    )
    client.force_login(user)
    response = client.post(reverse("notifications:open", args=[notification.pk]))
    assert response["Location"].startswith(reverse("notifications:list"))


@pytest.mark.parametrize("count", [1, 40])
def test_the_list_costs_a_fixed_number_of_queries(client, django_assert_num_queries, count):
    user = factories.UserFactory()
    contract = factories.ContractFactory()
    make(user, count, contract=contract)
    make(factories.UserFactory(), 3)
    client.force_login(user)
    # session, user, paginator count, the page's notifications with their contracts, unread count
    with django_assert_num_queries(5):
        page = client.get(reverse("notifications:list")).content.decode()
    assert page.count('class="fr-card ') == min(count, 25)
    assert str(contract) in page
    if count > 25:
        assert "Page suivante" in page
        assert (
            client.get(reverse("notifications:list") + "?page=2").content.decode().count('class="fr-card ')
            == 15
        )


def test_the_header_counter_adds_no_query_to_pages_and_costs_one_count(client, django_assert_num_queries):
    user = factories.UserFactory()
    make(user, 3)
    client.force_login(user)
    page = client.get(reverse("jobs:list")).content.decode()
    assert f'hx-get="{reverse("notifications:badge")}"' in page and 'hx-trigger="load"' in page
    # session, user, one count
    with django_assert_num_queries(3):
        badge = client.get(reverse("notifications:badge"), HTTP_HX_REQUEST="true").content.decode()
    assert 'id="notifications-unread">3<' in badge


# --- Preference and weekly digest --------------------------------------------------------------


def test_the_preference_page_saves_a_change_and_an_untouched_form_saves_nothing(client):
    user = factories.UserFactory()
    client.force_login(user)
    url = reverse("notifications:preferences")
    page = client.get(url).content.decode()
    assert "Recevoir un résumé hebdomadaire" in page and page.count("checked") == 1
    response = client.post(url, {"email_frequency": "each"}, follow=True)
    assert "Aucun changement" in response.content.decode() and not Preference.objects.exists()
    client.post(url, {"email_frequency": "weekly"})
    preference = Preference.objects.get(user=user)
    assert preference.email_frequency == "weekly" and preference.history.count() == 1
    stamp = preference.updated_at
    response = client.post(url, {"email_frequency": "weekly"}, follow=True)
    assert "Aucun changement" in response.content.decode()
    preference.refresh_from_db()
    assert preference.updated_at == stamp and preference.history.count() == 1
    assert client.post(url, {"email_frequency": "toujours"}).status_code == 400
    assert Preference.objects.get().email_frequency == "weekly"


def _at(day: date, hour=10):
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour))


def test_digest_replaces_single_mails_and_is_sent_once_per_week(world, django_capture_on_commit_callbacks):
    users = world["users"]
    set_preference(users["porteur"], Preference.Frequency.WEEKLY)
    with django_capture_on_commit_callbacks(execute=True):
        campaign_services.open_campaign(
            contract=world["contract"],
            year=2026,
            deadline=timezone.localdate() + timedelta(days=30),
            user=users["coordinator"],
        )
    # The digest user got the in-app notification but no mail; the other porteur got their mail.
    assert [m.to for m in mail.outbox] == [["autre@exemple.fr"]]
    digest_item = Notification.objects.get(user=users["porteur"])
    assert digest_item.emailed_at is None
    single = Notification.objects.get(user=users["other_porteur"])
    # Both happened during the week of Monday 2026-03-02; a read one is not summed up.
    monday = date(2026, 3, 2)
    Notification.objects.update(created_at=_at(monday + timedelta(days=2)))
    (already_read,) = make(users["porteur"], read_at=timezone.now())
    Notification.objects.filter(pk=already_read.pk).update(created_at=_at(monday))
    (next_week,) = make(users["porteur"])
    Notification.objects.filter(pk=next_week.pk).update(created_at=_at(monday + timedelta(days=7)))
    mail.outbox.clear()

    call_command("send_digest", "--date", "2026-03-09")
    call_command("send_digest", "--date", "2026-03-09")
    call_command("send_digest", "--date", "2026-03-12")  # later the same week: still last week's
    assert len(mail.outbox) == 1
    digest = mail.outbox[0]
    assert digest.to == ["porteur@exemple.fr"] and "semaine du 02/03/2026" in digest.subject
    assert digest_item.title in digest.body and "http://localhost:8000/mes-fiches/" not in digest.body
    assert digest_item.title in digest.alternatives[0][0] and digest.alternatives[0][1] == "text/html"
    assert single.body not in digest.body and "Avis 0" not in digest.body
    assert SentDigest.objects.get().notification_count == 1
    # Nobody without the digest preference gets one.
    assert not SentDigest.objects.filter(user=users["other_porteur"]).exists()
    # The next week has its own digest, once.
    call_command("send_digest", "--date", "2026-03-16")
    call_command("send_digest", "--date", "2026-03-17")
    assert len(mail.outbox) == 2 and "Avis 0" in mail.outbox[1].body


def test_notify_mails_a_user_without_digest_at_once_and_never_in_a_digest(world):
    user = world["users"]["member"]
    notified = notify(
        user,
        Kind.REPORT_VALIDATED,
        {
            "campaign": world["campaign"],
            "contract": world["contract"],
            "reports": [world["report"]],
            "path": "/mes-fiches/",
        },
    )
    assert notified.mailed and notified.notification.emailed_at and len(mail.outbox) == 1
    Notification.objects.update(created_at=timezone.now() - timedelta(days=7))
    call_command("send_digest")
    assert len(mail.outbox) == 1 and not SentDigest.objects.exists()


def test_the_digest_is_a_periodic_command(settings):
    assert "send_digest" in settings.OPENCLS_PERIODIC_COMMANDS
