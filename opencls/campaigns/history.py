from django.utils.translation import gettext_lazy as _

from opencls.campaigns.models import ActionReport, Campaign, PeriodLock
from opencls.core.registry import HistorySource

CAMPAIGN_HISTORY_SOURCES = [
    HistorySource(
        "campaign",
        _("Campagne annuelle"),
        Campaign,
        lambda pk: Campaign.history.filter(contract_id=pk),
        lambda record, related: _("Campagne %(year)s") % {"year": record.year},
    ),
    HistorySource(
        "action_report",
        _("Fiche de campagne"),
        ActionReport,
        lambda pk: ActionReport.history.filter(
            campaign_id__in=Campaign.history.filter(contract_id=pk).values("id")
        ),
        lambda record, related: f"{related(record, 'action')} — {record.get_state_display()}",
        ("action",),
    ),
    HistorySource(
        "period_lock",
        _("Verrou d'une année"),
        PeriodLock,
        lambda pk: PeriodLock.history.filter(contract_id=pk),
        lambda record, related: (
            _("Année %(year)s déverrouillée : %(reason)s")
            % {"year": record.year, "reason": record.unlock_reason}
            if record.unlocked_at
            else _("Année %(year)s verrouillée") % {"year": record.year}
        ),
    ),
]
