"""The public part of a contract, frozen as JSON, and what changes from one version to the next.

Shape of `PublishedVersion.snapshot` (format 1), read by the citizen pages and by the open-data
API (through `selectors.latest_published_version`):

    {
      "format": 1,
      "schema_version": "1",                 # of the contract JSON (docs/contract-schema.json)
      "contract": {                          # the contract JSON's "contract" object, restricted:
        "kind", "title", "short_name", "status", "start_date", "end_date",
        "regional_health_plan", "summary",
        "territory": {...},                  # as in the contract JSON, with its QPV table
                                             # "neighbourhoods": [{"name", "code", "population",
                                             # "population_year"}] and "municipalities"
        "signatories": [...], "diagnosis": [...],          # as in the contract JSON
        "axes": [{
          "code", "title", "description", "objectives": [...],
          "actions": [{                      # only the fiches marked public
            "id",                            # the fiche's id (stable across versions: public URLs)
            "code", "title", "objective", "context", "area",
            "description", "target_publics", "funding_text", "schedule", "start_date", "end_date",
            "leads": [names], "partners": [names], "deliverables": [{"text"}],
            "neighbourhoods": [QPV names], "whole_territory",          # the QPV served (*)
            "qpv_public_share", "qpv_public_share_basis", "city_policy_funded",   # (*)
            "participation_level",           # ParticipationLevel value or "" (**)
            "themes": [{"code", "label"}],   # confirmed themes only (region.ActionTheme) (**)
            "status", "status_date",         # monitoring status at publication (Status values)
            "indicators": [INDICATOR],       # only those whose values are marked public
            "operations": [{"title", "objective_text", <work fields as above, QPV (*) included>,
                            "status", "deliverables", "indicators": [INDICATOR]}]
          }]
        }]
      },
      "meetings": [{"title", "body", "starts_at", "ends_at", "place"}],   # public, upcoming
      "evaluation_report": {"year", "generated_at"} | null,             # file served by the site
      "participation": {                                                 # (**)
        "bodies": [{"name", "kind", "neighbourhood"}],     # names only, never their members
        "events": [{"title", "kind", "date", "date_text", "place", "participant_count",
                    "body", "about_diagnosis", "axes": [axis titles],
                    "actions": [ids of public fiches], "what_changed"}]
      }
    }
    INDICATOR = {"id", "label", "kind", "unit", "periodicity",
                 "measure_kind", "categories",                          # (**) Indicator.Measure
                 "values": [{"period", "value", "breakdown"?}],        # breakdown (**): only when
                 "targets": [{"period", "value", "cumulative"}]}       # the value has one

Dates are ISO strings, figures decimal strings (« 12.00 »). Left out on purpose: funding lines
and amounts, organisations' SIRET, the fiches and indicators kept private, every "extensions"
section (the governance bodies list members' e-mails), the members of participation bodies and
what was said at a participation event (people may be quoted there).

(*) since the QPV work of issue 14, (**) since the citizen page was completed: versions
published before lack these keys, and every reader treats a missing key as empty (no QPV, no
theme, a plain number without breakdown, no participation); the format stays 1.
"""

from decimal import Decimal

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from opencls.actions.measures import OWN_CATEGORY_KINDS
from opencls.actions.models import (
    Action,
    ActionOrganisation,
    Indicator,
    Operation,
    OperationOrganisation,
    ParticipationLevel,
)
from opencls.contracts.io import _deliverable, _objective_tree, _work, contract_to_json
from opencls.contracts.models import Axis, Contract
from opencls.core.confirm import Replacement
from opencls.governance.models import Meeting
from opencls.monitoring.charts import number
from opencls.monitoring.measures import breakdown_text
from opencls.monitoring.models import Status
from opencls.monitoring.selectors import with_status
from opencls.participation.models import ParticipationBody, ParticipationEvent
from opencls.region.models import ActionTheme

FORMAT = 1
CONTRACT_KEYS = (
    "kind",
    "title",
    "short_name",
    "status",
    "start_date",
    "end_date",
    "regional_health_plan",
    "summary",
    "territory",
    "signatories",
    "diagnosis",
)


def _value(value) -> dict:
    data = {"period": value.period, "value": str(value.value)}
    if value.breakdown:  # a plain value keeps the shape older versions have
        data["breakdown"] = dict(value.breakdown)
    return data


def _indicator(indicator: Indicator) -> dict:
    return {
        "id": indicator.pk,
        "label": indicator.label,
        "kind": indicator.kind,
        "unit": indicator.unit,
        "periodicity": indicator.periodicity,
        "measure_kind": indicator.measure_kind,
        "categories": list(indicator.categories or [])
        if indicator.measure_kind in OWN_CATEGORY_KINDS
        else [],
        "values": [_value(v) for v in indicator.values.all()],
        "targets": [
            {"period": t.period, "value": str(t.value), "cumulative": t.cumulative}
            for t in indicator.targets.all()
        ],
    }


def _public_actions(contract: Contract) -> dict[int, list[dict]]:
    """The public fiches of each axis (by axis id), with statuses and public indicators."""
    org = "organisation"
    indicators = Indicator.objects.filter(is_public=True).prefetch_related("values", "targets")
    operations = with_status(Operation.objects.all(), of_operation=True).prefetch_related(
        Prefetch("involvements", queryset=OperationOrganisation.objects.select_related(org)), "neighbourhoods"
    )
    confirmed = ActionTheme.objects.filter(state=ActionTheme.State.CONFIRMED).select_related("theme")
    actions = (
        with_status(Action.objects.filter(contract=contract, is_public=True))
        .select_related("objective")
        .prefetch_related(
            Prefetch("involvements", queryset=ActionOrganisation.objects.select_related(org)),
            Prefetch("operations", queryset=operations),
            "deliverables",
            Prefetch("indicators", queryset=indicators),
            "neighbourhoods",
            Prefetch("theme_links", queryset=confirmed, to_attr="confirmed_themes"),
        )
        .order_by("position", "pk")
    )
    by_axis: dict[int, list[dict]] = {}
    for action in actions:
        deliverables = list(action.deliverables.all())
        public_indicators = list(action.indicators.all())
        by_axis.setdefault(action.axis_id, []).append(
            {
                "id": action.pk,
                "code": action.code,
                "title": action.title,
                "objective": (action.objective.code or action.objective.title) if action.objective else None,
                "context": action.context,
                "area": action.area,
                **_work(action, action.involvements.all()),
                "participation_level": action.participation_level,
                "themes": [
                    {"code": link.theme.code, "label": link.theme.label} for link in action.confirmed_themes
                ],
                "status": action.current_status,
                "status_date": action.status_date.isoformat() if action.status_date else None,
                "deliverables": [_deliverable(d) for d in deliverables if d.operation_id is None],
                "indicators": [_indicator(i) for i in public_indicators if i.operation_id is None],
                "operations": [
                    {
                        "title": operation.title,
                        "objective_text": operation.objective_text,
                        **_work(operation, operation.involvements.all()),
                        "status": operation.current_status,
                        "deliverables": [
                            _deliverable(d) for d in deliverables if d.operation_id == operation.pk
                        ],
                        "indicators": [
                            _indicator(i) for i in public_indicators if i.operation_id == operation.pk
                        ],
                    }
                    for operation in action.operations.all()
                ],
            }
        )
    return by_axis


def _public_meetings(contract: Contract) -> list[dict]:
    meetings = Meeting.objects.filter(
        contract=contract, is_public=True, is_cancelled=False, starts_at__gte=timezone.now()
    ).select_related("body")
    return [
        {
            "title": meeting.display_title,
            "body": meeting.body.name,
            "starts_at": meeting.starts_at.isoformat(),
            "ends_at": meeting.ends_at.isoformat() if meeting.ends_at else None,
            "place": meeting.place,
        }
        for meeting in meetings[:20]
    ]


def _participation(contract: Contract, public_ids: set[int]) -> dict:
    """The participation bodies (names only) and events (no personal data) of the contract; an
    event's link to a fiche is kept only for public fiches."""
    bodies = ParticipationBody.objects.filter(contract=contract).select_related("neighbourhood")
    events = (
        ParticipationEvent.objects.filter(contract=contract)
        .select_related("body")
        .prefetch_related("axes", Prefetch("actions", queryset=Action.objects.only("pk")))
        .only(
            "title",
            "kind",
            "date",
            "date_text",
            "place",
            "participant_count",
            "about_diagnosis",
            "what_changed",
            "body__name",
        )  # fmt: skip
        .order_by("-date", "pk")
    )
    return {
        "bodies": [
            {
                "name": body.name,
                "kind": body.kind,
                "neighbourhood": body.neighbourhood.name if body.neighbourhood else None,
            }
            for body in bodies.only("name", "kind", "neighbourhood__name")
        ],
        "events": [
            {
                "title": event.title,
                "kind": event.kind,
                "date": event.date.isoformat() if event.date else None,
                "date_text": event.date_text,
                "place": event.place,
                "participant_count": event.participant_count,
                "body": event.body.name if event.body else None,
                "about_diagnosis": event.about_diagnosis,
                "axes": [axis.title for axis in event.axes.all()],
                "actions": sorted(a.pk for a in event.actions.all() if a.pk in public_ids),
                "what_changed": event.what_changed,
            }
            for event in events
        ],
    }


def build_snapshot(contract: Contract, *, evaluation_report=None) -> dict:
    """The public part of the contract as it stands now (see the module's docstring)."""
    full = contract_to_json(contract)
    actions = _public_actions(contract)
    axes = [
        {
            "code": axis.code,
            "title": axis.title,
            "description": axis.description,
            "objectives": _objective_tree(list(axis.objectives.all())),
            "actions": actions.get(axis.pk, []),
        }
        for axis in Axis.objects.filter(contract=contract).prefetch_related("objectives")
    ]
    return {
        "format": FORMAT,
        "schema_version": full["schema_version"],
        "contract": {**{key: full["contract"][key] for key in CONTRACT_KEYS}, "axes": axes},
        "meetings": _public_meetings(contract),
        "evaluation_report": None
        if evaluation_report is None
        else {
            "year": evaluation_report.year,
            "generated_at": evaluation_report.generated_at.isoformat(),
        },
        "participation": _participation(
            contract, {action["id"] for fiches in actions.values() for action in fiches}
        ),
    }


# What changes on the public page ----------------------------------------------------------------


def all_actions(snapshot: dict | None) -> dict[int, dict]:
    if not snapshot:
        return {}
    return {action["id"]: action for axis in snapshot["contract"]["axes"] for action in axis["actions"]}


def _action_indicators(action: dict) -> list[dict]:
    return action["indicators"] + [i for op in action["operations"] for i in op["indicators"]]


def _short(text) -> str:
    return Truncator(str(text or "")).chars(160)


def served(action: dict) -> tuple[list[str], bool]:
    """(names of the QPV a fiche serves, itself or through an operation; whether it serves the
    whole territory). Versions older than the QPV work say nothing: ([], False)."""
    names = set(action.get("neighbourhoods", []))
    whole = bool(action.get("whole_territory"))
    for operation in action.get("operations", []):
        names.update(operation.get("neighbourhoods", []))
        whole = whole or bool(operation.get("whole_territory"))
    return sorted(names), whole


def served_text(action: dict) -> str:
    names, whole = served(action)
    if names:
        return ", ".join(names)
    return str(_("tout le territoire")) if whole else ""


def theme_labels(action: dict) -> str:
    return ", ".join(theme["label"] for theme in action.get("themes", []))


def participation_label(value) -> str:
    return str(ParticipationLevel(value).label) if value in ParticipationLevel.values else ""


def _action_name(action: dict) -> str:
    return f"{action['code']} {action['title']}".strip()


def _indicator_figures(indicator: dict) -> str:
    figures = [
        f"{v['period']} : {number(_decimal(v['value']))}"
        + (f" ({breakdown_text(v['breakdown'])})" if v.get("breakdown") else "")
        for v in indicator["values"]
    ]
    return " ; ".join(figures) or str(_("aucune valeur"))


def _figures(indicator: dict) -> list[tuple]:
    """The values as a reader sees them (a missing breakdown, in older versions, is none)."""
    return [(v["period"], v["value"], v.get("breakdown") or {}) for v in indicator["values"]]


def _decimal(text) -> Decimal:
    return Decimal(text)


ACTION_FIELDS = {
    "title": gettext_lazy("intitulé"),
    "code": gettext_lazy("code"),
    "description": gettext_lazy("descriptif"),
    "target_publics": gettext_lazy("publics"),
    "schedule": gettext_lazy("calendrier"),
    "area": gettext_lazy("secteur"),
    "context": gettext_lazy("contexte"),
}


def _status_label(value) -> str:
    return str(Status(value).label) if value in Status.values else ""


def changes(before: dict | None, after: dict | None) -> list[Replacement]:
    """What a reader of the public page would see change, from `before` to `after` (None: no page)."""
    rows: list[Replacement] = []
    published, unpublished = str(_("publiée")), str(_("absente de la page publique"))
    if before is None and after is None:
        return rows
    if after is None:
        return [
            Replacement(str(_("Page publique")), str(_("en ligne")), str(_("retirée (plus rien de public)")))
        ]
    old_contract = before["contract"] if before else {}
    new_contract = after["contract"]
    for key, label in (
        ("title", _("Intitulé du contrat")),
        ("summary", _("Présentation")),
        ("start_date", _("Début du contrat")),
        ("end_date", _("Fin du contrat")),
    ):
        if (old_contract.get(key) or "") != (new_contract.get(key) or ""):
            rows.append(Replacement(str(label), _short(old_contract.get(key)), _short(new_contract.get(key))))
    if old_contract.get("diagnosis", []) != new_contract.get("diagnosis", []):
        rows.append(
            Replacement(
                str(_("Diagnostic")),
                _("%(n)s lignes") % {"n": len(old_contract.get("diagnosis", []))} if before else "",
                _("%(n)s lignes") % {"n": len(new_contract["diagnosis"])},
            )
        )
    old_actions, new_actions = all_actions(before), all_actions(after)
    for pk, action in new_actions.items():
        name = str(_("Fiche « %(name)s »") % {"name": _short(_action_name(action))})
        old = old_actions.get(pk)
        if old is None:
            rows.append(Replacement(name, unpublished, published))
            for indicator in _action_indicators(action):
                label = f"{name} — {_('indicateur')} « {_short(indicator['label'])} »"
                rows.append(Replacement(label, unpublished, _indicator_figures(indicator)))
            continue
        for key, label in ACTION_FIELDS.items():
            if old.get(key) != action.get(key):
                rows.append(Replacement(f"{name} — {label}", _short(old.get(key)), _short(action.get(key))))
        if old["leads"] != action["leads"]:
            rows.append(
                Replacement(f"{name} — {_('porteurs')}", ", ".join(old["leads"]), ", ".join(action["leads"]))
            )
        for label, read in (
            (_("thèmes"), theme_labels),
            (_("quartiers prioritaires servis"), served_text),
            (_("participation des habitants"), lambda a: participation_label(a.get("participation_level"))),
        ):
            if read(old) != read(action):
                rows.append(Replacement(f"{name} — {label}", read(old), read(action)))
        if old["status"] != action["status"]:
            rows.append(
                Replacement(
                    f"{name} — {_('statut')}", _status_label(old["status"]), _status_label(action["status"])
                )
            )
        old_indicators = {i["id"]: i for i in _action_indicators(old)}
        for indicator in _action_indicators(action):
            label = f"{name} — {_('indicateur')} « {_short(indicator['label'])} »"
            previous = old_indicators.get(indicator["id"])
            if previous is None:
                rows.append(Replacement(label, unpublished, _indicator_figures(indicator)))
            elif (_figures(previous), previous["targets"]) != (_figures(indicator), indicator["targets"]):
                rows.append(Replacement(label, _indicator_figures(previous), _indicator_figures(indicator)))
        new_ids = {i["id"] for i in _action_indicators(action)}
        for indicator_pk, indicator in old_indicators.items():
            if indicator_pk not in new_ids:
                label = f"{name} — {_('indicateur')} « {_short(indicator['label'])} »"
                rows.append(Replacement(label, _indicator_figures(indicator), unpublished))
    for pk, action in old_actions.items():
        if pk not in new_actions:
            name = str(_("Fiche « %(name)s »") % {"name": _short(_action_name(action))})
            rows.append(Replacement(name, published, unpublished))
    old_meetings = before.get("meetings", []) if before else []
    if old_meetings != after["meetings"]:
        rows.append(
            Replacement(
                str(_("Réunions publiques annoncées")),
                ", ".join(m["title"] for m in old_meetings),
                ", ".join(m["title"] for m in after["meetings"]) or str(_("aucune")),
            )
        )
    old_events = (before.get("participation") or {}).get("events", []) if before else []
    new_events = (after.get("participation") or {}).get("events", [])
    if old_events != new_events:
        rows.append(
            Replacement(
                str(_("Temps de participation des habitants")),
                ", ".join(e["title"] for e in old_events),
                ", ".join(e["title"] for e in new_events) or str(_("aucun")),
            )
        )
    old_bodies = (before.get("participation") or {}).get("bodies", []) if before else []
    new_bodies = (after.get("participation") or {}).get("bodies", [])
    if old_bodies != new_bodies:
        rows.append(
            Replacement(
                str(_("Instances participatives")),
                ", ".join(b["name"] for b in old_bodies),
                ", ".join(b["name"] for b in new_bodies) or str(_("aucune")),
            )
        )
    old_report = before.get("evaluation_report") if before else None
    if old_report != after["evaluation_report"]:
        rows.append(
            Replacement(
                str(_("Rapport d'évaluation téléchargeable")),
                str(old_report["year"]) if old_report else "",
                str(after["evaluation_report"]["year"]) if after["evaluation_report"] else str(_("aucun")),
            )
        )
    return rows
