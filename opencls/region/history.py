"""Themes of the actions in a contract's audit trail."""

from django.utils.translation import gettext_lazy as _

from opencls.core.registry import HistorySource
from opencls.region.models import ActionTheme

REGION_HISTORY_SOURCES = [
    HistorySource(
        "action_theme",
        _("Thème d'une fiche action"),
        ActionTheme,
        lambda pk: ActionTheme.history.filter(contract_id=pk),
        lambda record, related: (
            f"{related(record, 'action')} — {related(record, 'theme')} ({record.get_state_display()})"
        ),
        ("action", "theme"),
    ),
]
