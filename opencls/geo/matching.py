"""Match commune names read in documents to their official INSEE codes.

    results = match_communes(["Ville de Lens", "Fouquières Les Lens"], department_codes={"62"})
    [r.commune.code for r in results if r.commune]  →  ["62498", "62351"]

Names compare through `names.name_key` (case, accents, hyphens, apostrophes, "St"/"Saint",
"Ville de …"); a name not found among current communes is looked up among former ones
(communes déléguées / associées of the COG, which is how merged communes keep their old
names); an INSEE code given with the name wins, an old code leads to the current commune.
When a name exists in several départements, the territory's département (or région)
decides; otherwise the name is reported as ambiguous, never guessed.
"""

from collections import Counter
from dataclasses import dataclass, field

from opencls.geo.dataset import dataset_info
from opencls.geo.models import OfficialCommune, OfficialCommuneAlias
from opencls.geo.names import document_name_keys
from opencls.geo.selectors import department_code_for_name, region_code_for_name

MATCHED, AMBIGUOUS, UNKNOWN = "matched", "ambiguous", "unknown"


@dataclass
class CommuneMatch:
    name: str  # as read
    status: str
    commune: OfficialCommune | None = None
    via: str = ""  # "nom", "ancien nom", "code", "ancien code"
    candidates: list[OfficialCommune] = field(default_factory=list)

    @property
    def matched(self) -> bool:
        return self.status == MATCHED


def _narrow(candidates: list[OfficialCommune], department_codes, region_code) -> list[OfficialCommune]:
    unique = list({c.code: c for c in candidates}.values())
    if len(unique) > 1 and department_codes:
        inside = [c for c in unique if c.department_code in department_codes]
        unique = inside or unique
    if len(unique) > 1 and region_code:
        inside = [c for c in unique if c.region_code == region_code]
        unique = inside or unique
    return unique


def match_communes(
    names: list[str], *, codes: list[str] | None = None, department_codes=None, region_code: str = ""
) -> list[CommuneMatch]:
    """One result per name, in order; at most three queries whatever the number of names.
    `codes` (same length as `names`, "" when unknown) are INSEE codes read with the names."""
    codes = codes or [""] * len(names)
    department_codes = set(department_codes or ())
    keys = {name: document_name_keys(name) for name in names}
    all_keys = {key for name_keys in keys.values() for key in name_keys}
    given = {code.strip().upper() for code in codes if code and code.strip()}
    by_key: dict[str, list[OfficialCommune]] = {}
    by_code: dict[str, OfficialCommune] = {}
    for commune in OfficialCommune.objects.filter(normalised_name__in=all_keys) if all_keys else []:
        by_key.setdefault(commune.normalised_name, []).append(commune)
    if given:
        by_code = {c.code: c for c in OfficialCommune.objects.filter(code__in=given)}
    alias_by_key: dict[str, list[OfficialCommune]] = {}
    alias_by_code: dict[str, OfficialCommune] = {}
    missing_keys = all_keys - set(by_key)
    missing_codes = given - set(by_code)
    if missing_keys or missing_codes:
        from django.db.models import Q

        condition = Q(normalised_name__in=missing_keys) | Q(code__in=missing_codes)
        for alias in OfficialCommuneAlias.objects.filter(condition).select_related("commune"):
            if alias.normalised_name in missing_keys:
                alias_by_key.setdefault(alias.normalised_name, []).append(alias.commune)
            if alias.code in missing_codes:
                alias_by_code[alias.code] = alias.commune

    results = []
    for name, code in zip(names, codes, strict=True):
        code = (code or "").strip().upper()
        if code and code in by_code:
            results.append(CommuneMatch(name, MATCHED, by_code[code], via="code"))
            continue
        if code and code in alias_by_code:
            results.append(CommuneMatch(name, MATCHED, alias_by_code[code], via="ancien code"))
            continue
        found, via = [], ""
        for key in keys[name]:
            if key in by_key:
                found, via = by_key[key], "nom"
                break
        if not found:
            for key in keys[name]:
                if key in alias_by_key:
                    found, via = alias_by_key[key], "ancien nom"
                    break
        found = _narrow(found, department_codes, region_code)
        if len(found) == 1:
            results.append(CommuneMatch(name, MATCHED, found[0], via=via))
        elif found:
            results.append(CommuneMatch(name, AMBIGUOUS, candidates=found[:10]))
        else:
            results.append(CommuneMatch(name, UNKNOWN))
    return results


def match_contract_municipalities(data: dict) -> dict:
    """Give the municipalities of a contract JSON their INSEE codes and official populations.

    Codes already given are kept (checked: an unknown code is reported). What the document
    stated (`population`…) is never replaced; the official figures go beside it
    (`official_population`, `official_population_year`). The territory's région and
    département codes are filled when empty. The outcome is recorded in
    `data["extensions"]["geo"]` (`matched`, `unmatched`), shown on the import review page.
    Without the official tables loaded, nothing changes and the report says so.
    """
    contract = data.get("contract") or {}
    territory = contract.get("territory")
    if not isinstance(territory, dict):
        return data
    municipalities = [
        m for m in territory.get("municipalities") or [] if isinstance(m, dict) and m.get("name")
    ]
    extensions = data.setdefault("extensions", {})
    if not municipalities:
        return data
    if not OfficialCommune.objects.exists():
        extensions["geo"] = {"loaded": False, "matched": [], "unmatched": []}
        return data
    region_code = territory.get("region_code") or region_code_for_name(territory.get("region", ""))
    department_code = territory.get("department_code") or department_code_for_name(
        territory.get("department", "")
    )
    results = match_communes(
        [m["name"] for m in municipalities],
        codes=[m.get("insee_code", "") for m in municipalities],
        department_codes={department_code} if department_code else None,
        region_code=region_code,
    )
    info = dataset_info()
    matched, unmatched = [], []
    for municipality, result in zip(municipalities, results, strict=True):
        if not result.matched:
            unmatched.append(
                {
                    "name": municipality["name"],
                    "status": result.status,
                    "candidates": [f"{c.name} ({c.code}, {c.department_code})" for c in result.candidates],
                }
            )
            continue
        commune = result.commune
        municipality["insee_code"] = commune.code
        municipality["official_population"] = commune.population
        municipality["official_population_year"] = info.population_year
        matched.append(
            {
                "name": municipality["name"],
                "code": commune.code,
                "official_name": commune.name,
                "via": result.via,
            }
        )
    found = [r.commune for r in results if r.matched]
    if found:
        if not territory.get("department_code"):
            territory["department_code"] = Counter(c.department_code for c in found).most_common(1)[0][0]
        if not territory.get("region_code"):
            territory["region_code"] = Counter(c.region_code for c in found).most_common(1)[0][0]
    extensions["geo"] = {"loaded": True, "dataset": info.label, "matched": matched, "unmatched": unmatched}
    return data
