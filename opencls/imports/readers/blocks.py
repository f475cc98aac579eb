"""The common shape every reader produces: a flat list of blocks in reading order."""

from dataclasses import dataclass, field

HEADING = "heading"
PARAGRAPH = "paragraph"
TABLE = "table"


@dataclass(frozen=True)
class Block:
    kind: str
    text: str = ""
    level: int = 0  # heading level, 1 = top
    bullet: bool = False  # a list item
    bold: bool = False  # the whole paragraph is emphasised (often a heading in disguise)
    rows: tuple[tuple[str, ...], ...] = ()  # table cells; "\n" inside a cell is a real line break

    def as_text(self) -> str:
        if self.kind == TABLE:
            return "\n".join(" | ".join(cell.replace("\n", " ") for cell in row) for row in self.rows)
        return f"- {self.text}" if self.bullet else self.text


@dataclass
class ReadResult:
    blocks: list[Block]
    pages: int | None = None
    notes: list[str] = field(default_factory=list)  # what the reader could not read, in French
