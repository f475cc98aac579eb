"""A diff told in the contract JSON vocabulary (docs/contract-schema.json), like the document
importer: what would be created sits under `contract.axes` (new fiches with their operations,
indicators and funding lines); changes and removals of existing records, problems and the
organisations to create sit under `extensions.spreadsheets`."""

from opencls.spreadsheets.diff import Change, Diff
from opencls.spreadsheets.followup import DEFAULT_STATUS
from opencls.spreadsheets.selectors import Snapshot
from opencls.spreadsheets.source import problem_text

WORK_KEYS = ("description", "target_publics", "funding_text", "schedule", "start_date", "end_date")
# What a new fiche stores beside the core action (spreadsheets.io, `extensions.spreadsheets.action_details`).
DETAIL_KEYS = ("priority", "objectives_text", "governance_text", "participation", "status")


def _work(values: dict) -> dict:
    data = {key: values[key] for key in WORK_KEYS if values.get(key) not in (None, "")}
    for key in ("leads", "partners"):
        if values.get(key):
            data[key] = values[key]
    return data


def _indicator(values: dict) -> dict:
    data = {"label": values["label"], "kind": values["kind"]}
    data |= {k: values[k] for k in ("unit", "periodicity") if values.get(k)}
    return data


def _funding(values: dict) -> dict:
    data = {"funder": values.get("funder") or None}
    data |= {
        k: values[k]
        for k in ("kind", "year", "planned_amount", "granted_amount", "spent_amount", "comment")
        if values.get(k) not in (None, "")
    }
    return data


def diff_as_contract_json(snapshot: Snapshot, diff: Diff) -> dict:
    contract = snapshot.contract
    added = {
        kind: [c for c in diff.changes if c.kind == kind and c.op == "add"]
        for kind in ("action", "operation", "indicator", "funding")
    }
    new_actions = {c.ref: c for c in added["action"]}

    def children(kind: str, action_ref: str, operation_ref: str | None) -> list[Change]:
        return [
            c
            for c in added[kind]
            if c.links["action"] == action_ref and c.links.get("operation") == operation_ref
        ]

    axes: dict[str, dict] = {}
    for proposal in diff.new_axes:
        axes[proposal["ref"]] = {
            "code": proposal["code"],
            "title": proposal["title"],
            "objectives": [],
            "actions": [],
        }
    existing_axes = {f"pk:{a.pk}": a for a in snapshot.axes}
    existing_objectives = {f"pk:{o.pk}": o for o in snapshot.objectives}
    nodes: dict[str, dict] = {}

    def axis_node(ref: str) -> dict:
        if ref not in axes:
            axis = existing_axes[ref]
            axes[ref] = {"code": axis.code, "title": axis.title, "objectives": [], "actions": []}
        return axes[ref]

    def objective_node(ref: str | None) -> dict | None:
        """The objective's node in its axis, with its ancestors (existing ones named for context)."""
        if ref is None:
            return None
        if ref not in nodes:
            if ref in existing_objectives:
                objective = existing_objectives[ref]
                parent = f"pk:{objective.parent_id}" if objective.parent_id else None
                axis, code, title = f"pk:{objective.axis_id}", objective.code, objective.title
            else:
                proposal = next(p for p in diff.new_objectives if p["ref"] == ref)
                parent, axis, code, title = (
                    proposal["parent"],
                    proposal["axis"],
                    proposal["code"],
                    proposal["title"],
                )
            nodes[ref] = {"code": code, "title": title, "children": []}
            parent_node = objective_node(parent)
            (parent_node["children"] if parent_node else axis_node(axis)["objectives"]).append(nodes[ref])
        return nodes[ref]

    for proposal in diff.new_objectives:
        objective_node(proposal["ref"])
    details: dict[int, dict] = {}  # id(action node) → its details, placed once the axes are in order
    for ref, change in new_actions.items():
        values = change.values
        node = objective_node(change.links.get("objective"))
        action = {
            "title": values["title"],
            **({"code": values["code"]} if values.get("code") else {}),
            **({"objective": node["code"] or node["title"]} if node else {}),
            **({"context": values["context"]} if values.get("context") else {}),
            **({"area": values["area"]} if values.get("area") else {}),
            **({"is_public": values["is_public"]} if values.get("is_public") is not None else {}),
            **_work(values),
            "operations": [
                {
                    "title": op.values["title"],
                    **(
                        {"objective_text": op.values["objective_text"]}
                        if op.values.get("objective_text")
                        else {}
                    ),
                    **_work(op.values),
                    "deliverables": [{"text": t} for t in op.values.get("deliverables", [])],
                    "indicators": [_indicator(i.values) for i in children("indicator", ref, op.ref)],
                    "funding_lines": [_funding(f.values) for f in children("funding", ref, op.ref)],
                }
                for op in added["operation"]
                if op.links["action"] == ref
            ],
            "deliverables": [{"text": t} for t in values.get("deliverables", [])],
            "indicators": [_indicator(i.values) for i in children("indicator", ref, None)],
            "funding_lines": [_funding(f.values) for f in children("funding", ref, None)],
        }
        axis_node(change.links["axis"])["actions"].append(action)
        # A new fiche "not started" gets no status entry: that is the status of a fiche without one.
        fiche_details = {
            key: values[key] for key in DETAIL_KEYS if values.get(key) not in (None, "", DEFAULT_STATUS)
        }
        op_statuses = [
            {"operation": position, "status": op.values["status"]}
            for position, op in enumerate(o for o in added["operation"] if o.links["action"] == ref)
            if op.values.get("status") not in (None, "", DEFAULT_STATUS)
        ]
        if op_statuses:
            fiche_details["operation_statuses"] = op_statuses
        if fiche_details:
            details[id(action)] = fiche_details
    action_details = [
        {"axis": axis_index, "action": action_index, **details[id(action)]}
        for axis_index, axis in enumerate(axes.values())
        for action_index, action in enumerate(axis["actions"])
        if id(action) in details
    ]
    shown = {c.ref for c in added["action"]}
    shown |= {
        c.ref
        for kind in ("operation", "indicator", "funding")
        for c in added[kind]
        if c.links["action"] in new_actions
    }
    return {
        "schema_version": "1",
        "contract": {
            "kind": contract.kind,
            "title": contract.title,
            "territory": {"name": contract.territory.name},
            "axes": list(axes.values()),
        },
        "not_imported": diff.not_imported,
        "warnings": diff.warnings,
        "extensions": {
            "spreadsheets": {
                "source": diff.source,
                # Issue 17: status, priority… of the new fiches, as the contract JSON carries them.
                **({"action_details": action_details} if action_details else {}),
                "counts": {op: diff.count(op) for op in ("add", "change", "remove")},
                "new_axes": [a["label"] for a in diff.new_axes],
                "new_objectives": [o["label"] for o in diff.new_objectives],
                "changes": [
                    {
                        "kind": c.kind,
                        "op": c.op,
                        "id": c.pk,
                        "label": c.label,
                        "where": c.where,
                        "fields": [{"field": f.label, "old": f.old, "new": f.new} for f in c.fields],
                        **({"note": c.note} if c.note else {}),
                    }
                    for c in diff.changes
                    if c.ref not in shown
                ],
                "organisations": [
                    {
                        "name": o["name"],
                        "existing": (o["existing"] or {}).get("name"),
                        "candidates": [c["name"] for c in o["candidates"]],
                    }
                    for o in diff.organisations
                ],
                "errors": [problem_text(e) for e in diff.errors],
            }
        },
    }
