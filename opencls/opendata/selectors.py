"""What open data publishes: the latest published version of published contracts, nothing else.

The content comes from the version the coordinator published (`opencls.publication`): its public
fiches, their porteurs, partners, calendar and status at publication, and the indicators whose
values were made public. Editing a draft changes nothing here until the next publication. The
filters (région, département, status, type) use the contract's indexed columns.
"""

from django.db.models import CharField, OuterRef, Subquery
from django.db.models.fields.json import KT

from opencls.contracts.models import Contract
from opencls.monitoring.models import Status
from opencls.publication.models import PublishedVersion
from opencls.publication.selectors import qpv_codes
from opencls.publication.snapshot import participation_label, served

# Fields of the list, read inside the published snapshot by the database (no snapshot loaded).
SNAPSHOT_FIELDS = {
    "public_kind": "kind",
    "public_title": "title",
    "public_short_name": "short_name",
    "public_status": "status",
    "public_start_date": "start_date",
    "public_end_date": "end_date",
    "public_territory": "territory__name",
}


def _latest(field: str):
    return Subquery(
        PublishedVersion.objects.filter(contract=OuterRef("pk")).order_by("-number").values(field)[:1]
    )


def published_contracts(*, region: str = "", department: str = "", status: str = "", kind: str = ""):
    """Published contracts with a published version, in a stable order, each with the version's
    number, date and the list's fields read from its snapshot."""
    queryset = Contract.objects.filter(is_published=True)
    if region:
        queryset = queryset.filter(territory__region_code=region)
    if department:
        queryset = queryset.filter(territory__department_code=department)
    if status:
        queryset = queryset.filter(status=status)
    if kind:
        queryset = queryset.filter(kind=kind)
    latest = PublishedVersion.objects.filter(contract=OuterRef("pk")).order_by("-number")
    snapshot = {
        name: Subquery(latest.annotate(value=KT(f"snapshot__contract__{path}")).values("value")[:1],
                       output_field=CharField())
        for name, path in SNAPSHOT_FIELDS.items()
    }  # fmt: skip
    return (
        queryset.annotate(
            version_pk=_latest("pk"),
            version_number=_latest("number"),
            version_date=_latest("published_at"),
            **snapshot,
        )  # fmt: skip
        .filter(version_pk__isnull=False)
        .select_related("territory")
        .only(
            "pk",
            "kind",
            "status",
            "territory__region_code",
            "territory__department_code",
            "territory__region",
            "territory__department",
        )  # fmt: skip
        .order_by("pk")
    )


def snapshots(contracts) -> dict[int, dict]:
    """contract pk → the published snapshot, in one query for a batch of `published_contracts`."""
    versions = PublishedVersion.objects.filter(pk__in=[c.version_pk for c in contracts])
    return {version.contract_id: version.snapshot for version in versions.only("contract_id", "snapshot")}


def public_actions(snapshot: dict) -> list[dict]:
    """The published fiches, flat, each with its axis' title, its status' label, the QPV it serves
    (`qpv`: [{"name", "code"}], by itself or an operation; `serves_whole_territory`), its themes'
    labels (`theme_labels`) and its participation level's label (None when not said). Versions
    published before these existed give empty lists and None."""
    codes = qpv_codes(snapshot) if snapshot.get("contract") else {}
    actions = []
    for axis in snapshot["contract"].get("axes", []):
        for action in axis.get("actions", []):
            status = action.get("status") or Status.NOT_STARTED
            names, whole = served(action)
            actions.append(
                {
                    **action,
                    "axis": axis["title"],
                    "status_label": str(Status(status).label),
                    "qpv": [{"name": name, "code": codes.get(name, "")} for name in names],
                    "serves_whole_territory": whole,
                    "themes": action.get("themes", []),
                    "theme_labels": [theme["label"] for theme in action.get("themes", [])],
                    "participation_label": participation_label(action.get("participation_level")) or None,
                }
            )
    return actions
