"""The finance models in a contract's audit trail ("Historique" page)."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from opencls.core.registry import HistorySource
from opencls.core.templatetags.opencls_tags import euros, percent
from opencls.finance.models import CoordinatorPostFunding, StatedShare


def describe_post(record, related):
    text = _("Poste de coordination : coût annuel %(cost)s, ARS %(rate)s dans la limite de %(cap)s") % {
        "cost": euros(record.yearly_cost),
        "rate": percent(record.ars_rate),
        "cap": euros(record.ars_yearly_cap),
    }
    basis = getattr(record, "population_basis", "")
    if basis:  # issue 16
        label = dict(CoordinatorPostFunding.PopulationBasis.choices).get(basis, basis)
        text += " ; " + _("prorata : %(basis)s") % {"basis": label}
    return text


def describe_share(record, related):
    party = related(record, "municipality") or _("ARS")
    return _("Part signée de %(party)s : %(percentage)s") % {
        "party": party,
        "percentage": percent(record.stated_percentage),
    }


FINANCE_HISTORY_SOURCES = [
    HistorySource(
        "coordinator_post_funding",
        gettext_lazy("Cofinancement du poste de coordination"),
        CoordinatorPostFunding,
        lambda pk: CoordinatorPostFunding.history.filter(contract_id=pk),
        describe_post,
    ),
    HistorySource(
        "stated_share",
        gettext_lazy("Part signée du cofinancement"),
        StatedShare,
        lambda pk: StatedShare.history.filter(contract_id=pk),
        describe_share,
        ("municipality",),
    ),
]
