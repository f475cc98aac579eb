from datetime import date

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from opencls.contracts.models import Contract
from opencls.core.registry import Alert
from opencls.core.templatetags.opencls_tags import euros, percent
from opencls.finance.models import CoordinatorPostFunding
from opencls.finance.selectors import cofinancing_inputs, cofinancing_table, overspent_lines


def finance_alerts(contract, today: date) -> list[Alert]:
    """Signed co-financing shares that the rule does not give, and lines spent beyond their grant."""
    alerts = []
    overview = reverse("finance:overview", args=[contract.pk])
    # One query when there is nothing to say: this runs on every contract overview.
    flags = (
        Contract.objects.filter(pk=contract.pk)
        .values(
            has_post=Exists(CoordinatorPostFunding.objects.filter(contract=OuterRef("pk"))),
            overspent=Exists(overspent_lines(contract)),
        )
        .get()
    )
    if flags["has_post"]:
        table = cofinancing_table(cofinancing_inputs(contract))
        if table.error:
            alerts.append(
                Alert("error", _("Cofinancement du poste de coordination non calculé"), table.error, overview)
            )
        else:
            differing = table.comparison.differing
            if differing:
                alerts.append(
                    Alert(
                        "warning",
                        ngettext(
                            "%(count)d part signée du cofinancement de la coordination diffère du calcul",
                            "%(count)d parts signées du cofinancement de la coordination diffèrent du calcul",
                            len(differing),
                        )
                        % {"count": len(differing)},
                        ", ".join(
                            _("%(party)s : signé %(stated)s, calculé %(computed)s")
                            % {
                                "party": line.computed.label,
                                "stated": percent(line.stated.percentage),
                                "computed": percent(line.computed.percentage),
                            }
                            for line in differing
                        ),
                        overview,
                    )
                )
            gap = table.comparison.stated_total_gap
            if gap:
                alerts.append(
                    Alert(
                        "warning",
                        _("Les parts signées du cofinancement totalisent %(total)s au lieu de 100 %%")
                        % {"total": percent(table.comparison.stated_total)},
                        _("Vérifiez le tableau avant d'établir la convention de financement."),
                        overview,
                    )
                )
    if flags["overspent"]:
        overspent = list(overspent_lines(contract).select_related("action", "funder")[:6])
        alerts.append(
            Alert(
                "warning",
                _("Dépenses supérieures au montant accordé"),
                ", ".join(
                    _("%(action)s (%(funder)s) : %(spent)s dépensés pour %(granted)s accordés")
                    % {
                        "action": line.action.code or line.action.title,
                        "funder": line.funder or line.get_kind_display(),
                        "spent": euros(line.spent_amount),
                        "granted": euros(line.granted_amount),
                    }
                    for line in overspent[:5]
                )
                + (" …" if len(overspent) > 5 else ""),
                reverse("finance:budget", args=[contract.pk]),
            )
        )
    return alerts
