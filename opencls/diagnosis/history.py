"""The diagnosis' own rows in a contract's audit trail ("Historique" page)."""

from django.utils.translation import gettext_lazy as _

from opencls.core.history_sources import as_instance
from opencls.core.registry import HistorySource
from opencls.diagnosis.models import CareSupply, DiagnosisSection

DIAGNOSIS_HISTORY_SOURCES = [
    HistorySource(
        "care_supply",
        _("Offre de soins et médico-sociale"),
        CareSupply,
        lambda pk: CareSupply.history.filter(contract_id=pk),
        as_instance,
    ),
    HistorySource(
        "diagnosis_section",
        _("Partie rédigée du diagnostic"),
        DiagnosisSection,
        lambda pk: DiagnosisSection.history.filter(contract_id=pk),
        as_instance,
    ),
]
