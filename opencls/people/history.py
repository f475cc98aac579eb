"""Invitations in a contract's audit trail (role changes are ContractRole rows, already there)."""

from django.utils.translation import gettext_lazy as _

from opencls.core.registry import HistorySource
from opencls.people.models import Invitation

PEOPLE_HISTORY_SOURCES = [
    HistorySource(
        "invitation",
        _("Invitation"),
        Invitation,
        lambda pk: Invitation.history.filter(contract_id=pk),
        lambda record, related: f"{record.email} — {record.get_role_display()}",
    ),
]
