"""Blocks → the contract JSON (docs/contract-schema.json, v1), with what was not understood kept aside.

data = extract_contract(blocks)
data["contract"]       # what was understood; a missing field is absent, never guessed
data["not_imported"]   # every passage not placed in the contract, with the section it came from
data["warnings"]       # where the document contradicts itself
data["extensions"]["imports"]["checks"]  # announced figures against found ones
"""

import re
from dataclasses import asdict

from opencls.imports.extraction.checks import check_announcements, check_shares
from opencls.imports.extraction.cofinancing import extract_cofinancing
from opencls.imports.extraction.diagnosis import extract_diagnosis
from opencls.imports.extraction.diagnosis_prose import extract_diagnosis_prose
from opencls.imports.extraction.document import Doc
from opencls.imports.extraction.governance import extract_governance
from opencls.imports.extraction.merge import merge_plan
from opencls.imports.extraction.organisations import Names
from opencls.imports.extraction.parties import extract_parties, extract_title, organisation_kind
from opencls.imports.extraction.plan import find_axes, find_objectives, find_plan_tables, find_sheets
from opencls.imports.extraction.tables import find_field_tables, find_row_tables
from opencls.imports.extraction.territory import extract_territory
from opencls.imports.extraction.text import norm
from opencls.imports.readers.blocks import Block

SCHEMA_VERSION = "1"
PRS = re.compile(
    r"Projet\s+R[ée]gional\s+de\s+Sant[ée](?:\s+(?:de\s+la\s+r[ée]gion\s+|des\s+|de\s+|du\s+)?[A-ZÀ-Ý][\w\-]+)?"
    r"(?:\s*\(PRS\))?\s+\d{4}\s*[-–]\s*\d{4}"
)
# Model field lengths: a longer value is cut, and its full text kept in "not imported".
MAX_LENGTHS = {
    "contract.title": 300, "contract.short_name": 50, "territory.name": 300, "municipality.name": 200,
    "neighbourhood.name": 300, "organisation": 300, "representative": 200, "representative_title": 200,
    "axis.code": 20, "axis.title": 500, "objective.code": 30, "objective.title": 500, "action.code": 30,
    "action.title": 500, "action.area": 500, "schedule": 300, "operation.title": 500,
    "indicator.label": 500, "diagnosis.label": 500, "diagnosis.theme": 200, "diagnosis.unit": 100,
    "diagnosis.year": 20, "diagnosis.source": 300, "diagnosis.value": 50, "region": 100,
}  # fmt: skip


def _cut(data: dict, key: str, limit: int, where: str, aside: list) -> None:
    value = data.get(key)
    if isinstance(value, str) and len(value) > limit:
        data[key] = value[: limit - 1].rsplit(" ", 1)[0] + "…"
        aside.append({"where": f"{where} (texte complet)", "text": value})


def _fit(contract: dict, aside: list) -> None:
    _cut(contract, "title", MAX_LENGTHS["contract.title"], "Intitulé du contrat", aside)
    _cut(contract, "short_name", MAX_LENGTHS["contract.short_name"], "Sigle", aside)
    territory = contract["territory"]
    _cut(territory, "name", MAX_LENGTHS["territory.name"], "Territoire", aside)
    for key in ("region", "department"):
        _cut(territory, key, MAX_LENGTHS["region"], "Territoire", aside)
    for m in territory.get("municipalities", []):
        _cut(m, "name", MAX_LENGTHS["municipality.name"], "Commune", aside)
        m["neighbourhoods"] = [n[: MAX_LENGTHS["neighbourhood.name"]] for n in m.get("neighbourhoods", [])]
        if not m["neighbourhoods"]:
            m.pop("neighbourhoods")
    for n in territory.get("neighbourhoods", []):
        _cut(n, "name", MAX_LENGTHS["neighbourhood.name"], "Quartier", aside)
    for s in contract.get("signatories", []):
        _cut(s, "organisation", MAX_LENGTHS["organisation"], "Signataire", aside)
        _cut(s, "representative", MAX_LENGTHS["representative"], "Signataire", aside)
        _cut(s, "representative_title", MAX_LENGTHS["representative_title"], "Signataire", aside)
    for d in contract.get("diagnosis", []):
        for key, limit in (("label", "diagnosis.label"), ("theme", "diagnosis.theme"), ("unit", "diagnosis.unit"),
                           ("year", "diagnosis.year"), ("source", "diagnosis.source")):  # fmt: skip
            _cut(d, key, MAX_LENGTHS[limit], "Diagnostic", aside)
        for key in ("territory_value", "region_value", "nation_value"):
            _cut(d, key, MAX_LENGTHS["diagnosis.value"], "Diagnostic", aside)

    def objectives(items, where):
        for o in items:
            _cut(o, "code", MAX_LENGTHS["objective.code"], where, aside)
            _cut(o, "title", MAX_LENGTHS["objective.title"], where, aside)
            objectives(o.get("children", []), where)

    def work(item, where):
        _cut(item, "schedule", MAX_LENGTHS["schedule"], where, aside)
        item["leads"] = [n[: MAX_LENGTHS["organisation"]] for n in item.get("leads", [])] or None
        item["partners"] = [n[: MAX_LENGTHS["organisation"]] for n in item.get("partners", [])] or None
        for key in ("leads", "partners"):
            if item[key] is None:
                item.pop(key)

    for axis in contract.get("axes", []):
        where = f"Axe {axis.get('code', '')}".strip()
        _cut(axis, "code", MAX_LENGTHS["axis.code"], where, aside)
        _cut(axis, "title", MAX_LENGTHS["axis.title"], where, aside)
        objectives(axis.get("objectives", []), where)
        for action in axis.get("actions", []):
            where = f"Fiche {action.get('code', '')}".strip()
            for key, limit in (("code", "action.code"), ("title", "action.title"), ("area", "action.area")):
                _cut(action, key, MAX_LENGTHS[limit], where, aside)
            work(action, where)
            for op in action.get("operations", []):
                _cut(op, "title", MAX_LENGTHS["operation.title"], where, aside)
                work(op, where)
            for item in [action, *action.get("operations", [])]:
                for indicator in item.get("indicators", []):
                    _cut(indicator, "label", MAX_LENGTHS["indicator.label"], where, aside)


def _one_spelling(contract: dict) -> None:
    """'Éducation Nationale' and 'Education Nationale' are one organisation once saved (names are matched
    without case or accents): the first spelling, in the order the loader creates them, everywhere, so
    the review shows the name that will be stored."""
    first: dict[str, str] = {}

    def same(name: str) -> str:
        return first.setdefault(norm(name), name)

    for signatory in contract.get("signatories", []):
        signatory["organisation"] = same(signatory["organisation"])
    for axis in contract.get("axes", []):
        for action in axis.get("actions", []):
            for item in [action, *action.get("operations", [])]:
                for key in ("leads", "partners"):
                    if key in item:
                        item[key] = list(dict.fromkeys(same(name) for name in item[key]))


def _organisations(contract: dict, parties) -> list[dict]:
    """Kinds (and SIRET) of every organisation named, so the import files them correctly."""
    known = {p.organisation: p for p in parties}
    names = [s["organisation"] for s in contract.get("signatories", [])]
    for axis in contract.get("axes", []):
        for action in axis.get("actions", []):
            for item in [action, *action.get("operations", [])]:
                names.extend(item.get("leads", []) + item.get("partners", []))
    organisations = []
    for name in dict.fromkeys(names):
        kind = organisation_kind(name)
        party = known.get(name)
        if kind == "other" and not (party and party.siret):
            continue
        entry = {"name": name, "kind": kind}
        if party and party.siret:
            entry["siret"] = party.siret
        organisations.append(entry)
    return organisations


def _action_details(contract: dict) -> list[dict]:
    """Each fiche's status, priority, participation and governance, moved from the action (where the
    merge left them) to `extensions.spreadsheets.action_details`, by the fiche's place."""
    items = []
    for axis_index, axis in enumerate(contract.get("axes", [])):
        for action_index, action in enumerate(axis.get("actions", [])):
            details = action.pop("details", None)
            if details:
                items.append({"axis": axis_index, "action": action_index, **details})
    return items


def _not_imported(doc: Doc) -> list[dict]:
    """Every passage left out, in document order, grouped by section."""
    items = [
        (i, doc.section_at(i), block.as_text()) for i, block in enumerate(doc.blocks) if i not in doc.consumed
    ]
    items += [(e["index"], e["where"], e["text"]) for e in doc.extra_not_imported]
    entries: list[dict] = []
    last_index = None
    for index, where, text in sorted(items, key=lambda item: item[0]):
        if not text.strip():
            continue
        if entries and entries[-1]["where"] == where and last_index is not None and index - last_index <= 1:
            entries[-1]["text"] += "\n" + text
        else:
            entries.append({"where": where, "text": text})
        last_index = index
    return entries


def _fallback_title(doc: Doc) -> str:
    for block in doc.blocks:
        if block.kind != "table" and 3 <= len(block.text) <= 200:
            doc.warn(
                f"Intitulé du contrat non reconnu : « {block.text} » a été repris ; corrigez-le si besoin."
            )
            return block.text
    doc.warn("Aucun intitulé de contrat trouvé : indiquez-le avant d'enregistrer.")
    return ""


PERIOD = re.compile(r"^\s*(20\d\d)\s*[-–]\s*(20\d\d)\s*$")
YEARS = re.compile(r"(20\d\d)\s*[-–]\s*(20\d\d)")
LASTS_AS_LONG_AS_PRS = re.compile(r"pour toute la durée du Projet Régional de Santé", re.IGNORECASE)


def _period(doc: Doc, prs) -> dict:
    """The contract's years from its cover ("2025 - 2028"); failing that, a contract that lasts
    "for the whole PRS" ends with the PRS. The day of signature is not guessed."""
    for block in doc.blocks[:80]:
        if block.kind != "table" and (match := PERIOD.match(block.text)):
            return {"start_date": f"{match[1]}-01-01", "end_date": f"{match[2]}-12-31"}
    full_text = "\n".join(b.text for b in doc.blocks if b.kind != "table")
    if prs and LASTS_AS_LONG_AS_PRS.search(full_text) and (years := YEARS.search(prs[0])):
        return {"end_date": f"{years[2]}-12-31"}
    return {}


def extract_contract(blocks: list[Block]) -> dict:
    doc = Doc(list(blocks))
    parties = extract_parties(doc)
    title = extract_title(doc, parties)
    territory = extract_territory(doc, parties, title)
    diagnosis = extract_diagnosis(doc)
    diagnosis += extract_diagnosis_prose(doc, {d["label"] for d in diagnosis})
    names = Names(parties, short_name=title.get("short_name", ""))
    axis_versions = find_axes(doc)
    find_objectives(doc, axis_versions)
    action_versions = find_plan_tables(doc, axis_versions) + find_row_tables(doc, axis_versions)
    action_versions += find_sheets(doc, axis_versions) + find_field_tables(doc, axis_versions)
    action_versions.sort(key=lambda v: v.index)
    axes = merge_plan(doc, names, axis_versions, action_versions)
    check_announcements(doc, axes)
    check_shares(doc)
    if not axes:
        doc.warn("Aucun axe stratégique ni aucune fiche action n'a été reconnu dans ce document.")

    contract = {"kind": title.get("kind", "cls"), "title": title.get("title") or _fallback_title(doc)}
    if title.get("short_name"):
        contract["short_name"] = title["short_name"]
    contract["status"] = "draft"
    full_text = "\n".join(b.text for b in doc.blocks if b.kind != "table")
    prs = PRS.search(full_text)
    if prs:
        contract["regional_health_plan"] = " ".join(prs[0].split())[:200]
    contract.update(_period(doc, prs))
    contract["territory"] = territory
    contract["signatories"] = [p.as_json() for p in parties]
    if diagnosis:
        contract["diagnosis"] = diagnosis
    contract["axes"] = axes
    _one_spelling(contract)
    contract["organisations"] = _organisations(contract, parties)
    bodies = extract_governance(doc, [s["organisation"] for s in contract["signatories"]], names)
    finance = extract_cofinancing(doc, contract)
    details = _action_details(contract)
    not_imported = _not_imported(doc)
    _fit(contract, not_imported)
    extensions = {"imports": {"checks": [asdict(c) for c in doc.checks]}}
    if details:
        extensions["spreadsheets"] = {"action_details": details}
    if bodies:
        extensions["governance"] = {"bodies": bodies}
    if finance:
        extensions["finance"] = finance
    return {
        "schema_version": SCHEMA_VERSION,
        "contract": contract,
        "not_imported": not_imported,
        "warnings": doc.warnings,
        "extensions": extensions,
    }
