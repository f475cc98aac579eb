"""The demo's yearly round on 004: a campaign of the current year whose deadline has passed,
one porteur still late (what `send_reminders` then mails), the others' fiches submitted."""

from datetime import timedelta

from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from opencls.accounts.models import User
from opencls.campaigns import selectors
from opencls.campaigns.models import ActionReport, Campaign, ReportState


def load_demo_campaign(contract, coordinator, late_porteur: User | None) -> Campaign:
    """Idempotent: an existing campaign of the year is left as it is."""
    today = timezone.localdate()
    campaign, created = Campaign.objects.get_or_create(
        contract=contract,
        year=today.year,
        defaults={"deadline": today - timedelta(days=3), "opened_by": coordinator},
    )
    if not created:
        return campaign
    late_actions = set()
    if late_porteur is not None:
        leads = selectors.lead_organisations(contract)
        late_actions = {a for a, orgs in leads.items() if late_porteur.organisation_id in orgs}
    reports = [
        ActionReport(
            campaign=campaign,
            action=action,
            state=ReportState.TO_FILL if action.pk in late_actions else ReportState.SUBMITTED,
            changed_at=None if action.pk in late_actions else timezone.now(),
        )
        for action in contract.actions.order_by("pk")
    ]
    bulk_create_with_history(reports, ActionReport)
    return campaign
