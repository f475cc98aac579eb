"""The contract's article texts in its audit trail ("Historique" page)."""

from django.utils.translation import gettext_lazy as _

from opencls.core.registry import HistorySource
from opencls.documents.models import ContractArticle

DOCUMENTS_HISTORY_SOURCES = [
    HistorySource(
        "contract_article",
        _("Article du contrat"),
        ContractArticle,
        lambda pk: ContractArticle.history.filter(contract_id=pk),
        lambda record, related: f"{record.number} — {record.title}",
    ),
]
