"""Load or refresh the official geography from the pinned package, idempotently.

Each table is compared with what is stored: new and changed rows are written in bulk
(`INSERT … ON CONFLICT DO UPDATE`), rows gone from the release are deleted, identical rows
are not touched — a second run writes nothing. With `departments`, only the communes (and
the EPCI with a member) of those départements are loaded: for tests and small demos.
"""

import time
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from opencls.geo.dataset import read_dataset_info, read_json
from opencls.geo.models import (
    OfficialCommune,
    OfficialCommuneAlias,
    OfficialDataset,
    OfficialDepartment,
    OfficialEPCI,
    OfficialRegion,
)
from opencls.geo.names import name_key

CURRENT = "commune-actuelle"
ALIAS_KINDS = {"commune-deleguee": "d", "commune-associee": "a"}
BATCH = 2000


@dataclass
class TableReport:
    created: int = 0
    updated: int = 0
    deleted: int = 0
    total: int = 0

    @property
    def changed(self) -> int:
        return self.created + self.updated + self.deleted


@dataclass
class LoadReport:
    tables: dict[str, TableReport] = field(default_factory=dict)
    seconds: float = 0.0
    version: str = ""
    cog_year: int | None = None
    population_year: int | None = None

    @property
    def changed(self) -> int:
        return sum(report.changed for report in self.tables.values())

    def lines(self) -> list[str]:
        lines = [
            f"{name} : {r.total} ({r.created} ajoutés, {r.updated} modifiés, {r.deleted} supprimés)"
            for name, r in self.tables.items()
        ]
        lines.append(
            f"COG {self.cog_year or '?'} (paquet {self.version}), populations légales {self.population_year or '?'}"
            f" — {self.seconds:.1f} s"
        )
        return lines


def sync_table(model, rows: dict[str, dict], *, scope=None) -> TableReport:
    """Make `model` hold exactly `rows` (pk → field values) within `scope` (a queryset)."""
    fields = list(next(iter(rows.values())).keys()) if rows else []
    stored = scope if scope is not None else model.objects.all()
    pk_name = model._meta.pk.attname
    existing = {values[0]: values[1:] for values in stored.values_list(pk_name, *fields)}
    changed = [
        model(**{pk_name: pk}, **values)
        for pk, values in rows.items()
        if existing.get(pk) != tuple(values.values())
    ]
    created = sum(1 for obj in changed if obj.pk not in existing)
    if changed:
        model.objects.bulk_create(
            changed, batch_size=BATCH, update_conflicts=True, unique_fields=[pk_name], update_fields=fields
        )
    gone = [pk for pk in existing if pk not in rows]
    for start in range(0, len(gone), BATCH):
        model.objects.filter(pk__in=gone[start : start + BATCH]).delete()
    return TableReport(created=created, updated=len(changed) - created, deleted=len(gone), total=len(rows))


def build_rows(directory: Path | None, departments: set[str] | None) -> dict[str, dict]:
    regions = {r["code"]: {"name": r["nom"]} for r in read_json("regions", directory)}
    department_rows = {
        d["code"]: {"name": d["nom"], "normalised_name": name_key(d["nom"]), "region_id": d["region"]}
        for d in read_json("departements", directory)
    }
    communes_data = read_json("communes", directory)
    current = [
        c
        for c in communes_data
        if c["type"] == CURRENT and (departments is None or c["departement"] in departments)
    ]
    codes = {c["code"] for c in current}
    # The EPCI's population is the sum of its communes' legal populations (communes.json, INSEE):
    # the DGCL list's own figures are of another millésime and would not add up with them.
    population_of = {c["code"]: c.get("population") or 0 for c in communes_data if c["type"] == CURRENT}
    epci_of: dict[str, str] = {}
    epcis = {}
    for epci in read_json("epci", directory):
        members = [m["code"] for m in epci["membres"]]
        if departments is not None and not codes.intersection(members):
            continue
        for code in members:
            epci_of[code] = epci["code"]
        epcis[epci["code"]] = {
            "name": epci["nom"],
            "normalised_name": name_key(epci["nom"]),
            "nature": epci.get("type", ""),
            "financing": epci.get("modeFinancement", ""),
            "population": sum(population_of.get(code, 0) for code in members),
            "member_count": len(members),
        }
    communes = {
        c["code"]: {
            "name": c["nom"],
            "normalised_name": name_key(c["nom"]),
            "population": c.get("population"),
            "department_code": c["departement"],
            "region_code": c.get("region", ""),
            "epci_id": epci_of.get(c["code"]),
            "siren": c.get("siren", ""),
            "former_codes": sorted(c.get("anciensCodes", [])),
        }
        for c in current
    }
    aliases = {
        f"{ALIAS_KINDS[c['type']]}:{c['code']}": {
            "kind": c["type"],
            "code": c["code"],
            "name": c["nom"],
            "normalised_name": name_key(c["nom"]),
            "commune_id": c["chefLieu"],
        }
        for c in communes_data
        if c["type"] in ALIAS_KINDS and c.get("chefLieu") in codes
    }
    return {
        "regions": regions,
        "departments": department_rows,
        "epcis": epcis,
        "communes": communes,
        "aliases": aliases,
    }


def partial(model, rows: dict, wanted):
    return None if wanted is None else model.objects.filter(pk__in=list(rows))


@transaction.atomic
def load_territories(*, directory: Path | None = None, departments=None) -> LoadReport:
    """Load the release found in `directory` (default: node_modules); all or nothing."""
    started = time.perf_counter()
    wanted = {code.strip().upper() for code in departments if code.strip()} if departments else None
    info = read_dataset_info(directory) if directory else read_dataset_info()
    rows = build_rows(directory, wanted)
    report = LoadReport(version=info.version, cog_year=info.cog_year, population_year=info.population_year)
    report.tables["Régions"] = sync_table(OfficialRegion, rows["regions"])
    report.tables["Départements"] = sync_table(OfficialDepartment, rows["departments"])
    # A partial load never deletes: it only adds or refreshes what it read.
    report.tables["EPCI"] = sync_table(
        OfficialEPCI, rows["epcis"], scope=partial(OfficialEPCI, rows["epcis"], wanted)
    )
    commune_scope = None if wanted is None else OfficialCommune.objects.filter(department_code__in=wanted)
    report.tables["Communes"] = sync_table(OfficialCommune, rows["communes"], scope=commune_scope)
    report.tables["Anciennes communes"] = sync_table(
        OfficialCommuneAlias, rows["aliases"], scope=partial(OfficialCommuneAlias, rows["aliases"], wanted)
    )
    OfficialDataset.objects.update_or_create(
        key="cog",
        defaults={
            "version": info.version,
            "cog_year": info.cog_year,
            "population_year": info.population_year,
            "loaded_at": timezone.now(),
            "departments_filter": ",".join(sorted(wanted)) if wanted else "",
        },
    )
    report.seconds = time.perf_counter() - started
    return report
