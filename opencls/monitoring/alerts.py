"""Alerts of the follow-up, shown on the contract's overview and dashboard."""

from datetime import date

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from opencls.core.registry import Alert
from opencls.monitoring import selectors
from opencls.monitoring.models import EvaluationReport


def monitoring_alerts(contract, today: date) -> list[Alert]:
    alerts = []
    dashboard = reverse("monitoring:dashboard", args=[contract.pk])
    off_target = selectors.indicators_off_target(contract, today)
    if off_target:
        alerts.append(
            Alert(
                "warning",
                ngettext(
                    "%(n)s cible d'indicateur non atteinte",
                    "%(n)s cibles d'indicateurs non atteintes",
                    len(off_target),
                )
                % {"n": len(off_target)},
                _("sur des périodes terminées (ou valeur non saisie)."),
                f"{dashboard}#hors-cible",
            )
        )
    _due, overdue = selectors.deliverables_due(contract, today)
    if overdue:
        alerts.append(
            Alert(
                "warning",
                ngettext("%(n)s livrable en retard", "%(n)s livrables en retard", len(overdue))
                % {"n": len(overdue)},
                _("échéance passée, livrable non marqué comme réalisé."),
                f"{dashboard}#livrables",
            )
        )
    # The COPIL examines the past year early in the next one (003 art. 9, 004 art. 7). The query
    # runs all year long so that the page costs the same number of queries in every month.
    past_year = today.year - 1
    reported = EvaluationReport.objects.filter(contract=contract, year=past_year).exists()
    ran_that_year = (contract.start_date is None or contract.start_date.year <= past_year) and (
        contract.end_date is None or contract.end_date.year >= past_year
    )
    if today.month <= 3 and ran_that_year and not reported:
        alerts.append(
            Alert(
                "info",
                _("Évaluation annuelle %(year)s à préparer") % {"year": past_year},
                _("Le comité de pilotage doit l'examiner ; aucun rapport n'a encore été généré."),
                reverse("monitoring:evaluation", args=[contract.pk, past_year]),
            )
        )
    return alerts
