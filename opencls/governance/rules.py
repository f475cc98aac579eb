"""The contract's governance rules, checked on every view of the dashboard.

Each rule reads what is recorded and says, before it is too late, what is missing:
- each body meets its minimum number of times per calendar year (COPIL and COTECH at least
  once, 003 art. 5 / 004 art. 4; CLS–CLSM meetings at least twice, 003);
- a COPIL examines the annual evaluation every year (003 art. 9, 004 art. 7), from the year after
  the start: there is nothing to evaluate in the year of signature;
- the rotating co-chair of year n is designated in year n-1 (004 art. 4);
- where a CLSM / CISM is linked, it sits in the COPIL and the COTECH (003);
- every party has signed, on a deliberation where it needs one;
- amendments waiting for signatures, a termination in progress, the time left.
A year still running gives a warning; a year over gives an error. Governance duties start
with the signature: a draft contract gets only the signature and duration alerts.
"""

from datetime import date

from django.db.models import Count, Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from opencls.contracts.models import Contract
from opencls.core.registry import Alert
from opencls.governance.models import (
    AgendaItem,
    Amendment,
    BodyMember,
    CoChairDesignation,
    GovernanceBody,
    Meeting,
)
from opencls.governance.selectors import Lifetime, contract_lifetime, contract_signature_rows

# From this day of the year, a rule still unmet for the year escalates to a warning.
LAST_QUARTER = (10, 1)
ENDING_SOON_DAYS = 183


def _years(years) -> str:
    return ", ".join(str(y) for y in years)


def _date(value: date) -> str:
    return value.strftime("%d/%m/%Y")


def _url(name: str, contract: Contract, *args) -> str:
    return reverse(f"governance:{name}", args=[contract.pk, *args])


def meeting_alerts(contract, today, lifetime: Lifetime, bodies: list[GovernanceBody]) -> list[Alert]:
    years = lifetime.years(today)
    if not years or not bodies:
        return []
    meetings = (
        Meeting.objects.filter(contract=contract, is_cancelled=False)
        .annotate(
            has_evaluation=Exists(
                AgendaItem.objects.filter(meeting=OuterRef("pk"), kind=AgendaItem.Kind.EVALUATION)
            )
        )
        .values_list("body_id", "starts_at", "has_evaluation")
    )
    count: dict[tuple[int, int], int] = {}
    evaluated: set[tuple[int, int]] = set()
    for body_id, starts_at, has_evaluation in meetings:
        year = timezone.localtime(starts_at).year
        count[body_id, year] = count.get((body_id, year), 0) + 1
        if has_evaluation:
            evaluated.add((body_id, year))
    running = lifetime.end is None or lifetime.end >= today

    def closed(year_list):  # years whose verdict is final
        return [y for y in year_list if y < today.year or not running]

    alerts = []
    for body in bodies:
        url = _url("body_detail", contract, body.pk)
        minimum = body.min_meetings_per_year
        if minimum:
            short = [y for y in years if count.get((body.pk, y), 0) < minimum]
            if closed(short):
                alerts.append(
                    Alert(
                        "error",
                        (
                            _("%(body)s : aucune réunion en %(years)s")
                            if minimum == 1
                            else _("%(body)s : moins de %(n)d réunions en %(years)s")
                        )
                        % {"body": body.name, "n": minimum, "years": _years(closed(short))},
                        ngettext(
                            "Le contrat prévoit au moins %(n)d réunion par année civile.",
                            "Le contrat prévoit au moins %(n)d réunions par année civile.",
                            minimum,
                        )
                        % {"n": minimum},
                        url,
                    )
                )
            if running and today.year in short:
                alerts.append(
                    Alert(
                        "warning",
                        _(
                            "%(body)s : %(held)d réunion(s) tenue(s) ou prévue(s) en %(year)d sur %(n)d attendue(s)"
                        )
                        % {
                            "body": body.name,
                            "held": count.get((body.pk, today.year), 0),
                            "year": today.year,
                            "n": minimum,
                        },
                        _("Programmez la réunion avant la fin de l'année."),
                        _url("meeting_create", contract) + f"?instance={body.pk}",
                    )
                )
        if body.requires_annual_evaluation:
            due = [y for y in years if y > lifetime.start.year and (body.pk, y) not in evaluated]
            if closed(due):
                alerts.append(
                    Alert(
                        "error",
                        _(
                            "%(body)s : l'évaluation annuelle n'a été inscrite à l'ordre du jour "
                            "d'aucune réunion en %(years)s"
                        )
                        % {"body": body.name, "years": _years(closed(due))},
                        _("Une réunion annuelle du comité de pilotage examine l'évaluation du contrat."),
                        url,
                    )
                )
            if running and today.year in due:
                alerts.append(
                    Alert(
                        "warning" if (today.month, today.day) >= LAST_QUARTER else "info",
                        _(
                            "%(body)s : inscrivez l'évaluation annuelle à l'ordre du jour d'une réunion de %(year)d"
                        )
                        % {"body": body.name, "year": today.year},
                        _("Aucune réunion de l'année ne la prévoit encore."),
                        url,
                    )
                )
    return alerts


def linked_council_alerts(contract, bodies: list[GovernanceBody]) -> list[Alert]:
    joint = [b for b in bodies if b.kind == GovernanceBody.Kind.CLSM_JOINT]
    if not joint:
        return []
    council = joint[0].linked_council or joint[0].name
    seated = set(
        BodyMember.objects.filter(body__contract=contract, represents_linked_council=True).values_list(
            "body_id", flat=True
        )
    )
    kinds = (GovernanceBody.Kind.STEERING, GovernanceBody.Kind.TECHNICAL)
    return [
        Alert(
            "warning",
            _("%(body)s : aucun membre ne siège au titre de « %(council)s »")
            % {"body": body.name, "council": council},
            _("Le CLS et le CLSM participent mutuellement à leurs comités de pilotage et techniques."),
            _url("body_detail", contract, body.pk),
        )
        for body in bodies
        if body.kind in kinds and body.pk not in seated
    ]


def co_chair_alerts(contract, today, lifetime: Lifetime, bodies: list[GovernanceBody]) -> list[Alert]:
    rotating = [b for b in bodies if b.rotating_co_chair]
    if not rotating or lifetime.start is None:
        return []
    designations = {
        (d.body_id, d.year): d
        for d in CoChairDesignation.objects.filter(contract=contract).select_related("organisation")
    }
    last_year = today.year + 1 if lifetime.end is None else min(today.year + 1, lifetime.end.year)
    alerts = []
    for body in rotating:
        url = _url("body_detail", contract, body.pk)
        # The first year's co-chair comes with the signature; rotation starts the year after.
        years = range(lifetime.start.year + 1, last_year + 1)
        missing = [y for y in years if (body.pk, y) not in designations and y <= today.year]
        if missing:
            alerts.append(
                Alert(
                    "error",
                    _("%(body)s : aucune commune désignée pour la coprésidence de %(years)s")
                    % {"body": body.name, "years": _years(missing)},
                    _("La commune coprésidente de l'année n est désignée en année n-1."),
                    url,
                )
            )
        upcoming = today.year + 1
        if upcoming in years and (body.pk, upcoming) not in designations:
            alerts.append(
                Alert(
                    "warning" if (today.month, today.day) >= LAST_QUARTER else "info",
                    _("%(body)s : désignez en %(year)d la commune coprésidente de %(next)d")
                    % {"body": body.name, "year": today.year, "next": upcoming},
                    _("La commune coprésidente de l'année n est désignée en année n-1."),
                    url,
                )
            )
        for year in years:
            designation = designations.get((body.pk, year))
            if designation is None:
                continue
            if designation.designated_on.year >= year:
                alerts.append(
                    Alert(
                        "warning",
                        _(
                            "%(body)s : la coprésidence de %(year)d a été désignée le %(on)s, après l'année %(before)d"
                        )
                        % {
                            "body": body.name,
                            "year": year,
                            "on": _date(designation.designated_on),
                            "before": year - 1,
                        },
                        "",
                        url,
                    )
                )
            previous = designations.get((body.pk, year - 1))
            if previous and previous.organisation_id == designation.organisation_id:
                alerts.append(
                    Alert(
                        "info",
                        _("%(body)s : %(org)s copréside deux années de suite (%(before)d et %(year)d)")
                        % {
                            "body": body.name,
                            "org": designation.organisation,
                            "before": year - 1,
                            "year": year,
                        },
                        _("La coprésidence est censée tourner entre les communes."),
                        url,
                    )
                )
    return alerts


def signature_alerts(contract) -> list[Alert]:
    rows = contract_signature_rows(contract)
    url = _url("signatures", contract)
    alerts = []
    unsigned = [str(s.organisation) for s, state in rows if not state.is_signed]
    if unsigned:
        names = ", ".join(unsigned)
        if contract.status == Contract.Status.DRAFT:
            alerts.append(
                Alert(
                    "warning",
                    _("Contrat non signé : %(signed)d signature(s) sur %(total)d")
                    % {"signed": len(rows) - len(unsigned), "total": len(rows)},
                    _("Il sera signé quand toutes les parties auront signé. Manquent : %(names)s.")
                    % {"names": names},
                    url,
                )
            )
        else:
            alerts.append(
                Alert(
                    "error",
                    _("Le contrat est indiqué « %(status)s » mais toutes les parties n'ont pas signé")
                    % {"status": contract.get_status_display()},
                    _("Manquent : %(names)s.") % {"names": names},
                    url,
                )
            )
    missing = [
        f"{s.organisation} (« {state.deliberation.stated_text or state.deliberation} »)"
        if state.deliberation
        else str(s.organisation)
        for s, state in rows
        if state.deliberation_missing
    ]
    if missing:
        alerts.append(
            Alert(
                "warning",
                ngettext("Délibération manquante", "Délibérations manquantes", len(missing)),
                _("Pas de délibération complète (numéro et date) autorisant à signer : %(names)s.")
                % {"names": ", ".join(missing)},
                url,
            )
        )
    return alerts


def amendment_alerts(contract) -> list[Alert]:
    amendment = (
        Amendment.objects.filter(contract=contract, status=Amendment.Status.PROPOSED)
        .annotate(signed=Count("signatures", filter=Q(signatures__signed_on__isnull=False)))
        .first()
    )
    if amendment is None:
        return []
    return [
        Alert(
            "info",
            _("Avenant n°%(number)d proposé : %(signed)d signature(s) recueillie(s)")
            % {"number": amendment.number, "signed": amendment.signed},
            _("Il entrera en vigueur quand toutes les parties l'auront signé."),
            _url("amendment_detail", contract, amendment.pk),
        )
    ]


def lifetime_alerts(contract, today, lifetime: Lifetime) -> list[Alert]:
    url = _url("overview", contract)
    alerts = []
    termination = lifetime.termination
    if termination:
        alerts.append(
            Alert(
                "warning",
                _("Résiliation notifiée par %(party)s le %(on)s : le contrat prend fin le %(end)s")
                % {
                    "party": termination.party_name,
                    "on": _date(termination.notified_on),
                    "end": _date(termination.effective_on),
                },
                ngettext(
                    "%(n)d partie reste à notifier par lettre recommandée.",
                    "%(n)d parties restent à notifier par lettre recommandée.",
                    termination.pending,
                )
                % {"n": termination.pending}
                if termination.pending
                else _("Toutes les parties ont été notifiées."),
                _url("termination", contract),
            )
        )
    if lifetime.end is None:
        alerts.append(
            Alert(
                "warning",
                _("Date de fin du contrat inconnue"),
                _(
                    "Le contrat dure autant que le PRS qu'il décline : renseignez le PRS (par exemple « PRS 2018-2028 ») ou la date de fin."
                ),
                url,
            )
        )
        return alerts
    if lifetime.end < today:
        alerts.append(
            Alert("info", _("Le contrat a pris fin le %(end)s") % {"end": _date(lifetime.end)}, "", url)
        )
        return alerts
    sources = {
        "termination": _("résiliation"),
        "contract": _("date de fin du contrat"),
        "prs": _("fin du PRS décliné"),
    }
    soon = (lifetime.end - today).days <= ENDING_SOON_DAYS
    alerts.append(
        Alert(
            "warning" if soon else "info",
            _("Fin du contrat le %(end)s : il reste %(left)s")
            % {"end": _date(lifetime.end), "left": lifetime.time_left(today)},
            _("Source : %(source)s.") % {"source": sources[lifetime.end_source]}
            + (" " + _("Préparez l'évaluation globale du contrat.") if soon else ""),
            url,
        )
    )
    if lifetime.end_source == "contract" and lifetime.prs_end and lifetime.end != lifetime.prs_end:
        alerts.append(
            Alert(
                "warning",
                _("La fin du contrat (%(end)s) ne suit pas celle du PRS décliné (%(prs)s)")
                % {"end": _date(lifetime.end), "prs": _date(lifetime.prs_end)},
                _("Le contrat est conclu pour la durée du PRS."),
                url,
            )
        )
    return alerts


def paused_rules_alert(contract, today: date) -> Alert:
    """Why no meeting, evaluation or co-chair alert shows for a draft; a warning once its start
    date has passed (the contract should be running, but is not signed)."""
    rules = _(
        "Les règles de gouvernance (réunions minimales des instances, évaluation annuelle, "
        "coprésidence) s'appliqueront dès que toutes les parties auront signé."
    )
    if contract.start_date and contract.start_date <= today:
        return Alert(
            "warning",
            _(
                "Règles de gouvernance en pause : le contrat devait commencer le %(start)s mais n'est pas signé"
            )
            % {"start": _date(contract.start_date)},
            rules,
            _url("signatures", contract),
        )
    return Alert("info", _("Règles de gouvernance en pause tant que le contrat est un brouillon"), rules)


def governance_alerts(contract, today: date) -> list:
    """Alert provider registered in the app config."""
    lifetime = contract_lifetime(contract)
    alerts = [*signature_alerts(contract), *lifetime_alerts(contract, today, lifetime)]
    # The contract binds its parties once signed: a draft has no governance duties yet, and
    # the page says so rather than staying silent.
    if contract.status == Contract.Status.DRAFT:
        alerts.append(paused_rules_alert(contract, today))
    else:
        bodies = list(GovernanceBody.objects.filter(contract=contract).select_related("linked_contract"))
        alerts += [
            *meeting_alerts(contract, today, lifetime, bodies),
            *co_chair_alerts(contract, today, lifetime, bodies),
            *linked_council_alerts(contract, bodies),
        ]
    return [*alerts, *amendment_alerts(contract)]
