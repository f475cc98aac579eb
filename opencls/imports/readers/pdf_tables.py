"""Ruled tables of a PDF page read with PyMuPDF alone (issue 17): the page's drawn lines and rectangles
become edges, which pdfplumber's own table algorithm (snap, join, intersections, cells, tables — pure
functions of the edges) turns into tables; each cell's text is the PyMuPDF words whose centre falls
inside it, one line per baseline. pdfplumber's parse of every character of the page, the slow part,
is not needed. Cells and rows come out as pdfplumber's `Table.extract()` gives them."""

from pdfplumber.table import (
    DEFAULT_JOIN_TOLERANCE,
    DEFAULT_SNAP_TOLERANCE,
    Table,
    cells_to_tables,
    edges_to_intersections,
    intersections_to_cells,
    merge_edges,
)
from pdfplumber.utils import filter_edges

EDGE_MIN_LENGTH = 3
INTERSECTION_TOLERANCE = 3


def _edge(x0, top, x1, bottom, orientation) -> dict:
    return {"x0": x0, "x1": x1, "top": top, "bottom": bottom, "width": x1 - x0, "height": bottom - top,
            "orientation": orientation, "object_type": "line"}  # fmt: skip


def page_edges(page) -> list[dict]:
    edges = []
    for drawing in page.get_drawings():
        for item in drawing["items"]:
            if item[0] == "l":
                p0, p1 = item[1], item[2]
                x0, x1 = sorted((p0.x, p1.x))
                top, bottom = sorted((p0.y, p1.y))
                edges.append(_edge(x0, top, x1, bottom, "h" if top == bottom else "v"))
            elif item[0] == "re":
                rect = item[1]
                x0, top, x1, bottom = rect.x0, rect.y0, rect.x1, rect.y1
                edges += [_edge(x0, top, x1, top, "h"), _edge(x0, bottom, x1, bottom, "h"),
                          _edge(x0, top, x0, bottom, "v"), _edge(x1, top, x1, bottom, "v")]  # fmt: skip
    edges = filter_edges(edges, min_length=1)
    edges = merge_edges(edges, snap_x_tolerance=DEFAULT_SNAP_TOLERANCE, snap_y_tolerance=DEFAULT_SNAP_TOLERANCE,
                        join_x_tolerance=DEFAULT_JOIN_TOLERANCE, join_y_tolerance=DEFAULT_JOIN_TOLERANCE)  # fmt: skip
    return filter_edges(edges, min_length=EDGE_MIN_LENGTH)


def _inside(word: dict, bbox) -> bool:
    x = (word["x0"] + word["x1"]) / 2
    y = (word["top"] + word["bottom"]) / 2
    x0, top, x1, bottom = bbox
    return x0 <= x < x1 and top <= y < bottom


def _text(words: list[dict]) -> str:
    lines: list[list[dict]] = []
    for word in sorted(words, key=lambda w: (round(w["top"]), w["x0"])):
        if lines and abs(word["top"] - lines[-1][0]["top"]) <= max(2.0, 0.3 * word["size"]):
            lines[-1].append(word)
        else:
            lines.append([word])
    return "\n".join(" ".join(w["text"] for w in sorted(line, key=lambda w: w["x0"])) for line in lines)


class FoundTable:
    """What the reader uses of a pdfplumber table: its box and its rows of cell texts."""

    def __init__(self, table: Table, words: list[dict]):
        self.bbox = table.bbox
        self.rows = []
        for row in table.rows:
            row_words = [w for w in words if _inside(w, row.bbox)]
            self.rows.append([None if cell is None else _text([w for w in row_words if _inside(w, cell)])
                              for cell in row.cells])  # fmt: skip

    def extract(self) -> list[list[str | None]]:
        return self.rows


def find_tables(page, words: list[dict]) -> list[FoundTable]:
    edges = page_edges(page)
    if not edges:
        return []
    intersections = edges_to_intersections(edges, INTERSECTION_TOLERANCE, INTERSECTION_TOLERANCE)
    cells = intersections_to_cells(intersections)
    return [FoundTable(Table(None, group), words) for group in cells_to_tables(cells)]
