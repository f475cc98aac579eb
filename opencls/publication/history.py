"""Publications and moderation in a contract's audit trail (no personal data: see the models)."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from opencls.core.registry import HistorySource
from opencls.publication.models import PublishedVersion, Suggestion


def _suggestion(record, related):
    return f"{record.get_kind_display()} n° {record.id} — {record.get_state_display()}"


PUBLICATION_HISTORY_SOURCES = [
    HistorySource(
        "published_version",
        gettext_lazy("Version publiée"),
        PublishedVersion,
        lambda pk: PublishedVersion.history.filter(contract_id=pk),
        lambda record, related: _("Version publiée n° %(number)s") % {"number": record.number},
    ),
    HistorySource(
        "suggestion",
        gettext_lazy("Suggestion ou question d'habitant"),
        Suggestion,
        lambda pk: Suggestion.history.filter(contract_id=pk),
        _suggestion,
    ),
]
