from decimal import ROUND_HALF_UP, Decimal

from django.db.models import QuerySet

from opencls.accounts.services import organisation_differences
from opencls.imports.models import DocumentImport

RECENT_IMPORTS = 20
# What a fiche action usually gives; absent ones are shown as "non trouvé" on the review page.
ACTION_FIELDS = {
    "context": "Contexte",
    "area": "Secteur géographique",
    "schedule": "Calendrier",
}
OPERATION_FIELDS = {
    "leads": "Porteurs",
    "partners": "Partenaires",
    "target_publics": "Publics cibles",
    "schedule": "Calendrier",
    "funding_text": "Financement",
    "deliverables": "Livrables",
    "indicators": "Indicateurs",
}


def recent_imports(user) -> QuerySet[DocumentImport]:
    """The user's own imports, newest first; `data` is left out (it can weigh hundreds of kilobytes)."""
    return (
        DocumentImport.objects.filter(user=user)
        .select_related("contract")
        .defer("data")
        .order_by("-created_at", "-pk")[:RECENT_IMPORTS]
    )


def _computed_share(municipality: dict) -> str | None:
    population, inside = municipality.get("population"), municipality.get("neighbourhood_inhabitants")
    if not population or inside is None:
        return None
    return str((Decimal(inside) * 100 / Decimal(population)).quantize(Decimal("0.01"), ROUND_HALF_UP))


def _labelled_details(data: dict, axes: list[dict]) -> None:
    """Each fiche's status, priority, participation and governance (extensions.spreadsheets), in words,
    on the action itself (`action.details`), operations' statuses on the operations (issue 17)."""
    from opencls.monitoring.models import Status
    from opencls.spreadsheets.models import Participation, Priority

    labels = {"status": dict(Status.choices), "priority": dict(Priority.choices),
              "participation": dict(Participation.choices)}  # fmt: skip
    items = data.get("extensions", {}).get("spreadsheets", {}).get("action_details", [])
    for item in items:
        try:
            action = axes[item["axis"]]["actions"][item["action"]]
        except (IndexError, KeyError, TypeError):
            continue
        details = {key: labels[key].get(item[key], item[key]) for key in labels if item.get(key)}
        if item.get("governance_text"):
            details["governance_text"] = item["governance_text"]
        action["details"] = details
        operations = action.get("operations", [])
        for entry in item.get("operation_statuses", []):
            if entry.get("operation", -1) < len(operations):
                operations[entry["operation"]]["status_label"] = labels["status"].get(entry["status"], "")


def _governance_and_money(data: dict) -> dict:
    """The bodies and the co-financing rule the document states, in words, for the review page."""
    from opencls.finance.models import CoordinatorPostFunding
    from opencls.governance.models import GovernanceBody

    extensions = data.get("extensions", {})
    kinds = dict(GovernanceBody.Kind.choices)
    bodies = []
    for body in extensions.get("governance", {}).get("bodies", []):
        members = body.get("members", [])
        bodies.append({
            **body,
            "kind_label": kinds.get(body["kind"], body["kind"]),
            "chairs": [f"{m.get('organisation') or m.get('person_name')}" + (f" ({m['title']})" if m.get("title") else "")
                       for m in members if m.get("role") in ("chair", "co_chair")],
            "member_count": sum(1 for m in members if m.get("role") not in ("chair", "co_chair")),
        })  # fmt: skip
    post = extensions.get("finance", {}).get("coordinator_post")
    if post:
        post = {
            **post,
            "rule_label": dict(CoordinatorPostFunding.RestRule.choices).get(post.get("rest_rule", ""), ""),
        }
    return {"bodies": bodies, "coordinator_post": post}


def review_summary(data: dict) -> dict:
    """The extracted JSON arranged for the review page: counts, and per action what is missing."""
    contract = data["contract"]
    axes = contract.get("axes", [])
    _labelled_details(data, axes)
    actions = [action for axis in axes for action in axis.get("actions", [])]
    operations = [op for action in actions for op in action.get("operations", [])]
    for axis in axes:
        for action in axis.get("actions", []):
            action["missing"] = [label for key, label in ACTION_FIELDS.items() if not action.get(key)]
            for op in action.get("operations", []):
                op["missing"] = [label for key, label in OPERATION_FIELDS.items() if not op.get(key)]
                op["process"] = [i["label"] for i in op.get("indicators", []) if i["kind"] == "process"]
                op["result"] = [i["label"] for i in op.get("indicators", []) if i["kind"] == "result"]
            action["process"] = [i["label"] for i in action.get("indicators", []) if i["kind"] == "process"]
            action["result"] = [i["label"] for i in action.get("indicators", []) if i["kind"] == "result"]
    municipalities = contract["territory"].get("municipalities", [])
    for municipality in municipalities:
        municipality["computed_share"] = _computed_share(municipality)
    report = data.get("extensions", {}).get("imports", {})
    return {
        "contract": contract,
        "axes": axes,
        "municipalities": municipalities,
        "counts": {
            "axes": len(axes),
            "actions": len(actions),
            "operations": len(operations),
            "signatories": len(contract.get("signatories", [])),
            "municipalities": len(municipalities),
            "diagnosis": len(contract.get("diagnosis", [])),
        },
        "warnings": data.get("warnings", []),
        "organisation_proposals": organisation_differences(contract.get("organisations", [])),
        "checks": report.get("checks", []),
        "source": report.get("source", {}),
        **_governance_and_money(data),
        "not_imported": data.get("not_imported", []),
        "not_imported_chars": sum(len(entry["text"]) for entry in data.get("not_imported", [])),
    }
