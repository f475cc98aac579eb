"""The public part of a contract, frozen as JSON, and what changes from one version to the next.

Shape of `PublishedVersion.snapshot` (format 1), read by the citizen pages and by the open-data
API (through `selectors.latest_published_version`):

    {
      "format": 1,
      "schema_version": "1",                 # of the contract JSON (docs/contract-schema.json)
      "contract": {                          # the contract JSON's "contract" object, restricted:
        "kind", "title", "short_name", "status", "start_date", "end_date",
        "regional_health_plan", "summary",
        "territory": {...},                  # as in the contract JSON
        "signatories": [...], "diagnosis": [...],          # as in the contract JSON
        "axes": [{
          "code", "title", "description", "objectives": [...],
          "actions": [{                      # only the fiches marked public
            "id",                            # the fiche's id (stable across versions: public URLs)
            "code", "title", "objective", "context", "area",
            "description", "target_publics", "funding_text", "schedule", "start_date", "end_date",
            "leads": [names], "partners": [names], "deliverables": [{"text"}],
            "status", "status_date",         # monitoring status at publication (Status values)
            "indicators": [INDICATOR],       # only those whose values are marked public
            "operations": [{"title", "objective_text", <work fields as above>, "status",
                            "deliverables", "indicators": [INDICATOR]}]
          }]
        }]
      },
      "meetings": [{"title", "body", "starts_at", "ends_at", "place"}],   # public, upcoming
      "evaluation_report": {"year", "generated_at"} | null              # file served by the site
    }
    INDICATOR = {"id", "label", "kind", "unit", "periodicity",
                 "values": [{"period", "value"}], "targets": [{"period", "value", "cumulative"}]}

Dates are ISO strings, figures decimal strings (« 12.00 »). Left out on purpose: funding lines
and amounts, organisations' SIRET, the fiches and indicators kept private, and every
"extensions" section (the governance bodies list members' e-mails).
"""

from decimal import Decimal

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from opencls.actions.models import Action, ActionOrganisation, Indicator, Operation, OperationOrganisation
from opencls.contracts.io import _deliverable, _objective_tree, _work, contract_to_json
from opencls.contracts.models import Axis, Contract
from opencls.core.confirm import Replacement
from opencls.governance.models import Meeting
from opencls.monitoring.charts import number
from opencls.monitoring.models import Status
from opencls.monitoring.selectors import with_status

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


def _indicator(indicator: Indicator) -> dict:
    return {
        "id": indicator.pk,
        "label": indicator.label,
        "kind": indicator.kind,
        "unit": indicator.unit,
        "periodicity": indicator.periodicity,
        "values": [{"period": v.period, "value": str(v.value)} for v in indicator.values.all()],
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
        Prefetch("involvements", queryset=OperationOrganisation.objects.select_related(org))
    )
    actions = (
        with_status(Action.objects.filter(contract=contract, is_public=True))
        .select_related("objective")
        .prefetch_related(
            Prefetch("involvements", queryset=ActionOrganisation.objects.select_related(org)),
            Prefetch("operations", queryset=operations),
            "deliverables",
            Prefetch("indicators", queryset=indicators),
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


def _action_name(action: dict) -> str:
    return f"{action['code']} {action['title']}".strip()


def _indicator_figures(indicator: dict) -> str:
    figures = [f"{v['period']} : {number(_decimal(v['value']))}" for v in indicator["values"]]
    return " ; ".join(figures) or str(_("aucune valeur"))


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
            elif (previous["values"], previous["targets"]) != (indicator["values"], indicator["targets"]):
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
