"""Diagnosis tables: one indicator per row, the territory's value beside the region's and France's."""

import re

from opencls.imports.extraction.document import Doc
from opencls.imports.extraction.text import norm

REGIONS = (
    "hauts-de-france", "ile-de-france", "grand est", "normandie", "bretagne", "pays de la loire",
    "centre-val de loire", "bourgogne-franche-comte", "nouvelle-aquitaine", "occitanie",
    "auvergne-rhone-alpes", "provence-alpes-cote d'azur", "corse", "region", "regional",
)  # fmt: skip
NATION = re.compile(r"^france|national|hexagon|metropole")
UNIT = re.compile(r"\bpour\s+[\d  \u202f]+\s*[\w ]*?(?=\)|$|,)|\ben\s+%|%", re.IGNORECASE)
SOURCE = re.compile(r"\s*\(?\bsources?\s*:?\s*", re.IGNORECASE)
YEAR = re.compile(r"(?:19|20)\d\d")


def _roles(row: tuple[str, ...]) -> dict[str, int] | None:
    roles: dict[str, int] = {}
    for column, cell in enumerate(row[1:], start=1):
        key = norm(cell)
        if not key:
            continue
        if NATION.search(key) and "nation" not in roles:
            roles["nation"] = column
        elif any(r in key for r in REGIONS) and "region" not in roles:
            roles["region"] = column
        elif "territory" not in roles:
            roles["territory"] = column
    return roles if {"nation", "territory"} <= roles.keys() else None


def _value(row: tuple[str, ...], roles: dict[str, int], role: str) -> str:
    column = roles.get(role)
    return row[column].strip() if column is not None and column < len(row) else ""


def _split_label(text: str) -> tuple[str, str, str]:
    """'Médecins généralistes Source : RPPS, 2022' → label, source, year."""
    text = " ".join(text.split())
    parts = SOURCE.split(text, maxsplit=1)
    label = parts[0].strip(" :")
    source = parts[1].strip(" )") if len(parts) > 1 else ""
    years = YEAR.findall(source)
    return label, source, years[-1] if years else ""


def extract_diagnosis(doc: Doc) -> list[dict]:
    indicators: list[dict] = []
    for i, block in enumerate(doc.blocks):
        if block.kind != "table":
            continue
        header = next(((h, r) for h, r in enumerate(block.rows[:3]) if _roles(r)), None)
        if header is None:
            continue
        h, header_row = header
        roles = _roles(header_row)
        titles = [r[0] for r in block.rows[:h] if r[0] and not any(r[1:])]
        if not titles and i > 0 and doc.is_paragraph(i - 1) and len(doc.text(i - 1)) <= 200:
            titles = [doc.text(i - 1)]
            doc.consume(i - 1)
        theme = " ".join(titles)
        unit_match = UNIT.search(theme)
        theme_unit = unit_match[0].strip() if unit_match else ""
        found = []
        for row in block.rows[h + 1 :]:
            values = {k: _value(row, roles, r) for k, r in (("territory_value", "territory"), ("region_value", "region"),
                                               ("nation_value", "nation"))}  # fmt: skip
            if not row[0].strip():
                continue
            if not any(values.values()) and found:  # the row's label went on over a page break
                label, source, year = _split_label(f"{found[-1]['_raw']} {row[0]}")
                found[-1].update({"_raw": f"{found[-1]['_raw']} {row[0]}", "label": label, "source": source,
                                  "year": year})  # fmt: skip
                continue
            label, source, year = _split_label(row[0])
            unit = "%" if values["territory_value"].endswith("%") else theme_unit
            found.append({"_raw": row[0], "theme": theme, "label": label, "unit": unit, "year": year,
                          "source": source, **values})  # fmt: skip
        if found:
            doc.consume(i)
            for item in found:
                item.pop("_raw")
                indicators.append(
                    {k: v[:300] if k in {"source", "label"} else v for k, v in item.items() if v}
                )
    return indicators
