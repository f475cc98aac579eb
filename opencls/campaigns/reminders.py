"""Scheduled reminders (`manage.py send_reminders`, to be run daily by the job system): N days
before a campaign's deadline, then once late. Each (campaign, porteur, kind) is mailed once."""

from collections import defaultdict
from datetime import date

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from opencls.campaigns import locks, selectors
from opencls.campaigns.models import Campaign, ReportState, SentReminder
from opencls.campaigns.services import notify_porteurs, pending_reports


def days_before() -> int:
    return int(getattr(settings, "CAMPAIGN_REMINDER_DAYS_BEFORE", 7))


def reminder_kind(campaign: Campaign, today: date) -> str | None:
    days_left = (campaign.deadline - today).days
    if days_left < 0:
        return SentReminder.Kind.LATE
    if days_left <= days_before():
        return SentReminder.Kind.BEFORE
    return None


def send_reminders(today: date | None = None) -> list[tuple[Campaign, object, str]]:
    """Sends the reminders due today (in-app notification, and the e-mail unless the porteur
    chose the weekly digest); returns (campaign, user, kind) of each reminder."""
    today = today or timezone.localdate()
    sent = []
    campaigns = (
        Campaign.objects.filter(reports__state__in=[ReportState.TO_FILL, ReportState.RETURNED])
        .select_related("contract")
        .distinct()
    )
    for campaign in campaigns:
        kind = reminder_kind(campaign, today)
        if kind is None or campaign.year in locks.locked_years(campaign.contract_id):
            continue
        porteurs = selectors.porteur_users(campaign.contract)
        per_user, users = defaultdict(list), {}
        for report in pending_reports(campaign):
            for user in porteurs.get(report.action_id, []):
                per_user[user.pk].append(report)
                users[user.pk] = user
        done = set(
            SentReminder.objects.filter(campaign=campaign, kind=kind).values_list("user_id", flat=True)
        )
        for user_pk, reports in per_user.items():
            if user_pk in done:
                continue
            try:
                with transaction.atomic():
                    # Recorded first, in the same transaction: a failed mail leaves no record (nor
                    # in-app notification), and a concurrent run hits the unique constraint
                    # instead of mailing twice.
                    SentReminder.objects.create(campaign=campaign, user_id=user_pk, kind=kind)
                    template = "late" if kind == SentReminder.Kind.LATE else "reminder"
                    notify_porteurs(campaign, template, reports=reports, users={user_pk})
            except IntegrityError:
                continue
            sent.append((campaign, users[user_pk], kind))
    return sent
