"""The demo's notifications: the events of the demo campaign on 004 (opened, fiches submitted)
recorded through the same notify() as real ones, without mailing them again."""

from opencls.campaigns.models import ReportState
from opencls.campaigns.services import notify_coordinators, notify_porteurs
from opencls.notifications.models import Kind, Notification

SUBMITTED_SHOWN = 3


def load_demo_notifications(campaign, coordinator, lead) -> int:
    """Idempotent: nothing is added once the porteur has the campaign's notification."""
    if Notification.objects.filter(user=lead, contract=campaign.contract, kind=Kind.CAMPAIGN_OPENED).exists():
        return 0
    reports = list(
        campaign.reports.select_related("campaign__contract", "action").order_by("action__code", "pk")
    )
    count = notify_porteurs(campaign, Kind.CAMPAIGN_OPENED, reports=reports, mail=False)
    submitted = [report for report in reports if report.state == ReportState.SUBMITTED][:SUBMITTED_SHOWN]
    for report in submitted:
        count += notify_coordinators(report, submitted_by=report.changed_by, mail=False)
    return count
