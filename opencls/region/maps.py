"""A tile-grid cartogram of the départements (one square each, at its approximate place, DROM
below), coloured by a measure of the contracts of the scope; drawn as inline SVG, with the same
figures as a table (RGAA). No tile server, no geometry to download."""

import json
from collections import Counter, defaultdict
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.db.models import Count
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from opencls.actions.models import Action
from opencls.region.models import ActionTheme, Theme
from opencls.region.selectors import RegionalStatus

GRID_FILE = Path(__file__).parent / "data" / "departments_grid.json"
TILE = 40
GAP = 4
MEASURES = {
    "status": gettext_lazy("Statut des contrats"),
    "actions": gettext_lazy("Nombre de fiches actions"),
    "themes": gettext_lazy("Couverture des thèmes"),
}
# Sequential blues (DSFR « bleu France » tints), light to dark, for counts and shares.
SCALE = ["#e3e3fd", "#cacafb", "#8585f6", "#6a6af4", "#000091"]
STATUS_COLOURS = {
    RegionalStatus.DRAFT: "#e8edff",
    RegionalStatus.SIGNING: "#fee7fc",
    RegionalStatus.IN_FORCE: "#18753c",
    RegionalStatus.ENDING: "#fc5d00",
    RegionalStatus.ENDED: "#ce0500",
}
EMPTY = "#f6f6f6"


@cache
def departments() -> list[dict]:
    return json.loads(GRID_FILE.read_text(encoding="utf-8"))


@dataclass
class Tile:
    code: str
    name: str
    x: int
    y: int
    contracts: int = 0
    value: object = None
    label: str = ""
    colour: str = EMPTY
    text_dark: bool = True

    @property
    def centre_x(self):
        return self.x + TILE // 2

    @property
    def centre_y(self):
        return self.y + TILE // 2 + 4


@dataclass
class LegendItem:
    colour: str
    label: str


def _is_dark(colour: str) -> bool:
    return colour in {"#000091", "#6a6af4", "#18753c", "#ce0500", "#fc5d00"}


def _bins(maximum: int) -> list[int]:
    """Upper bounds of up to five bins from 1 to `maximum`."""
    if maximum <= 5:
        return list(range(1, maximum + 1))
    step = maximum / 5
    return sorted({max(1, round(step * i)) for i in range(1, 6)})


def department_map(
    rows_by_department: dict[str, list], measure: str
) -> tuple[list[Tile], list[LegendItem], dict]:
    """`rows_by_department`: département code → list of (contract id, regional status)."""
    if measure not in MEASURES:
        measure = "status"
    tiles = {
        d["code"]: Tile(d["code"], d["name"], GAP + d["col"] * (TILE + GAP), GAP + d["row"] * (TILE + GAP))
        for d in departments()
    }
    legend: list[LegendItem] = []
    contract_ids = [pk for rows in rows_by_department.values() for pk, _status in rows]
    for code, rows in rows_by_department.items():
        if code in tiles:
            tiles[code].contracts = len(rows)
    if measure == "status":
        for code, rows in rows_by_department.items():
            if code not in tiles or not rows:
                continue
            counts = Counter(status for _pk, status in rows)
            status = max(RegionalStatus.ORDER, key=lambda s: (counts[s], -RegionalStatus.ORDER.index(s)))
            tile = tiles[code]
            tile.value = status
            tile.label = ", ".join(
                f"{RegionalStatus.LABELS[s]} : {counts[s]}" for s in RegionalStatus.ORDER if counts[s]
            )
            tile.colour = STATUS_COLOURS[status]
        legend = [LegendItem(STATUS_COLOURS[s], str(RegionalStatus.LABELS[s])) for s in RegionalStatus.ORDER]
    else:
        by_contract = {pk: code for code, rows in rows_by_department.items() for pk, _status in rows}
        values: dict[str, int] = defaultdict(int)
        if measure == "actions":
            for contract_id, n in (
                Action.objects.filter(contract_id__in=contract_ids)
                .values_list("contract_id")
                .annotate(n=Count("pk"))
                .order_by()
            ):
                values[by_contract[contract_id]] += n
        else:
            themes_by_department: dict[str, set] = defaultdict(set)
            for contract_id, theme_id in (
                ActionTheme.objects.filter(contract_id__in=contract_ids)
                .exclude(state=ActionTheme.State.REJECTED)
                .values_list("contract_id", "theme_id")
                .distinct()
            ):
                themes_by_department[by_contract[contract_id]].add(theme_id)
            total = Theme.objects.count() or 1
            for code, found in themes_by_department.items():
                values[code] = round(100 * len(found) / total)
        bounds = _bins(max(values.values(), default=0))
        unit = " %" if measure == "themes" else ""
        for code in rows_by_department:
            if code not in tiles:
                continue
            value = values.get(code, 0)
            tile = tiles[code]
            tile.value = value
            tile.label = f"{value}{unit}"
            tile.colour = "#ffffff"
            if value:
                index = next(i for i, bound in enumerate(bounds) if value <= bound)
                tile.colour = SCALE[index + (len(SCALE) - len(bounds))]
        low = 1
        for i, bound in enumerate(bounds):
            colour = SCALE[i + (len(SCALE) - len(bounds))]
            text = f"{low}{unit}" if low == bound else f"{low} – {bound}{unit}"
            legend.append(LegendItem(colour, text))
            low = bound + 1
        legend.insert(0, LegendItem("#ffffff", _("0 (contrats sans donnée)")))
    for tile in tiles.values():
        tile.text_dark = not _is_dark(tile.colour)
    legend.append(LegendItem(EMPTY, _("Aucun contrat dans le périmètre")))
    width = GAP + 12 * (TILE + GAP)
    height = GAP + 15 * (TILE + GAP)
    return list(tiles.values()), legend, {"width": width, "height": height, "tile": TILE, "measure": measure}
