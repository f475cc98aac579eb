"""Where the contract applies: territory, municipalities with populations, QPV, announced figures."""

import re
from decimal import ROUND_HALF_UP, Decimal

from opencls.imports.extraction.document import Check, Doc
from opencls.imports.extraction.parties import Party, organisation_kind
from opencls.imports.extraction.text import count_word, fr_int, norm, parse_int

DIGITS = r"(\d{1,3}(?:[  \u202f]\d{3})+|\d+)"
POPULATION_ITEM = re.compile(
    r"(?:^|[,;:]\s*|\bet\s+)(?P<name>[A-ZÀ-Ý][^,;:()]{1,60}?)\s*\(\s*(?P<pop>\d{1,3}(?:[  \u202f]\d{3})+|\d+)"
    r"(?:\s*hab(?:itants|\.)?(?:\s+et\s+habitantes)?)?\s*\)"
)
COMMUNE_LIST = re.compile(
    r"\bcommunes\s+(?:de|d['’])\s*(?P<list>[A-ZÀ-Ý][^.;:]*?)(?=,?\s+soit\b|\s+souhaitent\b|\s+poss[èe]dent\b|[.;:]|$)"
)
SHARE = re.compile(r"(\d{1,3})(?:[,.](\d{1,2}))?\s*%")


def _key(name: str) -> str:
    return norm(name).replace("-", " ").replace("'", " ").replace("  ", " ")


def _int_before(word: str, text: str) -> int | None:
    """The number written just before `word` ('36 communes', 'huit communes'), at most one word apart."""
    if match := re.search(rf"{DIGITS}\s+(?:[a-z'\-]+\s+)?{word}", text):
        return parse_int(match[1])
    for match in re.finditer(rf"\b([a-z\-]+)\s+(?:[a-z'\-]+\s+)?{word}", text):
        if (value := count_word(match[1])) is not None:
            return value
    return None


def _stated(doc: Doc) -> tuple[dict, int | None, int | None]:
    """Announced figures, from the 'périmètre géographique' article (else the first paragraph with them)."""
    stated = {"municipality_count": None, "population": None, "neighbourhood_count": None,
              "neighbourhood_inhabitants": None}  # fmt: skip
    candidates = [
        i
        for i, n in enumerate(doc.norms)
        if doc.is_paragraph(i) and re.search(r"\d[\d  ]* (?:\w+ )?communes", n) and "habitants" in n
    ]
    in_perimeter = [i for i in candidates if "perimetre" in norm(doc.section_at(i))]
    chosen = (in_perimeter or candidates)[:1]
    qpv_municipalities = None
    for i in chosen:
        for sentence in re.split(r"(?<=[.;])\s+", doc.norms[i]):
            if "quartier" in sentence or "qpv" in sentence:
                stated["neighbourhood_count"] = _int_before(r"quartiers", sentence)
                stated["neighbourhood_inhabitants"] = _int_before(r"habitants", sentence)
                qpv_municipalities = _int_before(r"communes", sentence)
            else:
                stated["municipality_count"] = stated["municipality_count"] or _int_before(
                    "communes", sentence
                )
                stated["population"] = stated["population"] or _int_before("habitants", sentence)
    return stated, (chosen[0] if chosen else None), qpv_municipalities


def _share(text: str) -> str | None:
    match = SHARE.search(text or "")
    if not match:
        return None
    return f"{int(match[1])}.{(match[2] or '0').ljust(2, '0')}"


class _Row:
    def __init__(self, row: tuple[str, ...], roles: dict[str, int]):
        self.row, self.roles = row, roles

    def __call__(self, role: str) -> str:
        column = self.roles.get(role)
        return self.row[column].strip() if column is not None and column < len(self.row) else ""


def _qpv_table(doc: Doc) -> tuple[list[dict], int | None]:
    for i, block in enumerate(doc.blocks):
        if block.kind != "table":
            continue
        for h, row in enumerate(block.rows[:3]):
            header = [norm(c) for c in row]
            if len(row) < 3 or any(len(c) > 80 for c in header):
                continue
            if not any("commune" in c for c in header) or not any(
                "quartier" in c or "qpv" in c for c in header
            ):
                continue
            roles = {}
            for column, cell in enumerate(header):
                if "%" in cell or cell.startswith("part"):
                    roles["share"] = column
                elif "commune" in cell and "habitant" in cell or "population" in cell:
                    roles["population"] = column
                elif ("qpv" in cell or "quartier" in cell) and "habitant" in cell:
                    roles["inhabitants"] = column
                elif "quartier" in cell or "qpv" in cell:
                    roles.setdefault("neighbourhood", column)
                elif "commune" in cell:
                    roles.setdefault("name", column)
            if "name" not in roles:
                continue
            municipalities: list[dict] = []
            for row in block.rows[h + 1 :]:
                cell = _Row(row, roles)
                if cell("name"):
                    municipalities.append({"name": cell("name"), "neighbourhoods": []})
                    current = municipalities[-1]
                    for role, key in (
                        ("inhabitants", "neighbourhood_inhabitants"),
                        ("population", "population"),
                    ):
                        current[key] = parse_int(cell(role))
                    current["stated_neighbourhood_share"] = _share(cell("share"))
                if municipalities and cell("neighbourhood"):
                    municipalities[-1]["neighbourhoods"].append(cell("neighbourhood"))
            if municipalities:
                doc.consume(i)
                return municipalities, i
    return [], None


def _population_lists(doc: Doc) -> list[tuple[str, int]]:
    found = []
    for block in doc.blocks:
        if block.kind != "paragraph":
            continue
        items = [
            (m["name"].strip(), parse_int(m["pop"]))
            for m in POPULATION_ITEM.finditer(block.text)
            if not re.search(r"\d", m["name"]) and len(m["name"].split()) <= 6
        ]
        if len(items) >= 2:
            found.extend(items)
    return found


def _named_list(doc: Doc, perimeter: int | None) -> list[str]:
    order = ([perimeter] if perimeter is not None else []) + list(range(len(doc)))
    for i in order:
        if not doc.is_paragraph(i):
            continue
        if match := COMMUNE_LIST.search(doc.text(i)):
            names = [n.strip() for n in re.split(r",\s*|\s+et\s+", match["list"]) if n.strip()]
            if len(names) >= 2 and all(n[:1].isupper() and len(n.split()) <= 5 for n in names):
                return names
    return []


def _check_figures(doc: Doc, stated: dict, municipalities: list[dict], neighbourhoods: list[str], qpv_towns):
    if stated["municipality_count"] is not None:
        named = len(municipalities)
        ok = named == stated["municipality_count"]
        doc.checks.append(Check("Communes", str(stated["municipality_count"]), f"{named} nommées", ok))
        if not ok:
            doc.warn(
                f"Le document annonce {stated['municipality_count']} communes mais n'en nomme que {named} : "
                "complétez la liste des communes."
                if named < stated["municipality_count"]
                else f"Le document annonce {stated['municipality_count']} communes mais en nomme {named}."
            )
    populations = [m.get("population") for m in municipalities]
    if stated["population"] is not None and populations and all(p is not None for p in populations):
        total = sum(populations)
        if len(municipalities) == stated["municipality_count"]:
            ok = total == stated["population"]
            doc.checks.append(Check("Population", fr_int(stated["population"]),
                                    fr_int(total) + " (somme des communes)", ok))  # fmt: skip
            if not ok:
                doc.warn(
                    f"La population annoncée ({fr_int(stated['population'])}) diffère de la somme des populations "
                    f"des communes ({fr_int(total)})."
                )
    qpv = [m for m in municipalities if m.get("neighbourhoods")]
    if qpv_towns is not None and qpv:
        ok = qpv_towns == len(qpv)
        doc.checks.append(Check("Communes ayant un QPV", str(qpv_towns), str(len(qpv)), ok))
        if not ok:
            doc.warn(
                f"{qpv_towns} communes ayant un quartier prioritaire annoncées, {len(qpv)} dans le tableau."
            )
    if stated["neighbourhood_count"] is not None and neighbourhoods:
        ok = stated["neighbourhood_count"] == len(neighbourhoods)
        doc.checks.append(Check("Quartiers prioritaires (QPV)", str(stated["neighbourhood_count"]),
                                f"{len(neighbourhoods)} noms différents", ok))  # fmt: skip
        if not ok:
            doc.warn(
                f"Le document annonce {stated['neighbourhood_count']} quartiers prioritaires ; le tableau en "
                f"nomme {len(neighbourhoods)} différents (un même quartier écrit de deux façons ?)."
            )
    inhabitants = [m.get("neighbourhood_inhabitants") for m in qpv]
    if stated["neighbourhood_inhabitants"] is not None and inhabitants and None not in inhabitants:
        total = sum(inhabitants)
        ok = total == stated["neighbourhood_inhabitants"]
        doc.checks.append(Check("Habitants en QPV", fr_int(stated["neighbourhood_inhabitants"]),
                                fr_int(total) + " (somme du tableau)", ok))  # fmt: skip
        if not ok:
            doc.warn(
                f"Le document annonce {fr_int(stated['neighbourhood_inhabitants'])} habitants en QPV ; "
                f"la somme du tableau donne {fr_int(total)}."
            )
    for m in municipalities:
        share, population, inside = (m.get(k) for k in ("stated_neighbourhood_share", "population",
                                                            "neighbourhood_inhabitants"))  # fmt: skip
        if share and population and inside is not None:
            computed = (Decimal(inside) * 100 / Decimal(population)).quantize(Decimal("0.01"), ROUND_HALF_UP)
            if abs(computed - Decimal(share)) > Decimal("0.01"):
                doc.warn(
                    f"{m['name']} : part en QPV imprimée {share.replace('.', ',')} %, "
                    f"calculée {str(computed).replace('.', ',')} % ({inside} / {population})."
                )


def _region_and_department(parties: list[Party]) -> tuple[str, str]:
    region = department = ""
    for party in parties:
        kind = organisation_kind(party.organisation)
        if kind == "ars" and not region:
            match = re.search(r"sant[ée]\s+(?:des\s+|de\s+la\s+|de\s+l['’]|du\s+|d['’]|de\s+)?(.+)$",
                              party.organisation, re.IGNORECASE)  # fmt: skip
            region = match[1].strip() if match else ""
        if kind in {"prefecture", "department"} and not department:
            match = re.search(r"(?:du|de la|de l['’]|des|de)\s+([A-ZÀ-Ý][\w\-' ]+)$", party.organisation)
            department = match[1].strip() if match else ""
    return region, department


def simplified_name(name: str) -> str:
    """'Marque et du Mélantois' → 'Marque et Mélantois' (the articles of the title dropped)."""
    return re.sub(r"\b(?:du|de la|des|de l['’]|la|le|les)\s+", "", name).strip()


def extract_territory(doc: Doc, parties: list[Party], title: dict) -> dict:
    stated, perimeter, qpv_towns = _stated(doc)
    municipalities, _table = _qpv_table(doc)
    if not municipalities:
        populations = _population_lists(doc)
        names = _named_list(doc, perimeter) or [name for name, _ in populations]
        by_key = {_key(name): population for name, population in populations}
        municipalities = [{"name": name, "population": by_key.get(_key(name))} for name in names]
        unknown = [name for name, _ in populations if _key(name) not in {_key(n) for n in names}]
        if unknown:
            doc.warn(f"Population donnée pour des communes hors du périmètre : {', '.join(unknown)}.")
    neighbourhoods = list(dict.fromkeys(n for m in municipalities for n in m.get("neighbourhoods", [])))
    _check_figures(doc, stated, municipalities, neighbourhoods, qpv_towns)

    epci = next((p for p in parties if organisation_kind(p.organisation) == "epci"), None)
    if epci:
        name, kind = epci.organisation, "epci"
    elif title.get("name") and len(municipalities) >= 2:
        name, kind = simplified_name(title["name"]), "intermunicipal"
    elif len(municipalities) == 1:
        name, kind = municipalities[0]["name"], "municipality"
    else:  # the title names it: "… de la Communauté de communes du Pays de Mormal"
        name = title.get("name", "")
        kind = {"epci": "epci", "municipality": "municipality"}.get(organisation_kind(name), "other")
    region, department = _region_and_department(parties)
    territory = {"name": name, "kind": kind, "stated": stated}
    if region:
        territory["region"] = region
    if department:
        territory["department"] = department
    if neighbourhoods:
        territory["neighbourhoods"] = [{"name": n} for n in neighbourhoods]
    territory["municipalities"] = [
        {k: v for k, v in m.items() if v not in ("", [], None) or k == "population"} for m in municipalities
    ]
    if not name:
        doc.warn("Le territoire du contrat n'a pas été trouvé : indiquez-le avant d'enregistrer.")
    return territory
