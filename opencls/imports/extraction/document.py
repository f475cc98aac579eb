"""The blocks being read, with what has been understood so far and what the reader should be told."""

import re
from dataclasses import dataclass, field

from opencls.imports.extraction.text import is_caps, norm
from opencls.imports.readers.blocks import HEADING, PARAGRAPH, TABLE, Block

ARTICLE_MARKER = re.compile(r"^(?:article|titre|chapitre|partie|annexe)s?\b\s*[\dIVX]*", re.IGNORECASE)
NUMBERED_MARKER = re.compile(r"^(?:[IVX]{1,4}|[A-H])\s*[.\-–)]\s+\S")


@dataclass
class Check:
    """An announced figure compared with what the document actually contains."""

    label: str
    announced: str
    found: str
    ok: bool


@dataclass
class Doc:
    blocks: list[Block]
    consumed: set[int] = field(default_factory=set)
    warnings: list[str] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)
    extra_not_imported: list[dict] = field(default_factory=list)  # parts of blocks left out

    def __post_init__(self):
        self.norms = [norm(b.text) if b.kind != TABLE else "" for b in self.blocks]
        self.markers = [i for i, b in enumerate(self.blocks) if self.is_marker(i)]

    def __len__(self):
        return len(self.blocks)

    def consume(self, *indices: int) -> None:
        self.consumed.update(indices)

    def warn(self, message: str) -> None:
        if message not in self.warnings:
            self.warnings.append(message)

    def keep_aside(self, where: str, text: str, index: int) -> None:
        """Part of a block that was understood no further: shown in the 'not imported' section."""
        if text.strip():
            self.extra_not_imported.append({"where": where, "text": text.strip(), "index": index})

    def text(self, index: int) -> str:
        return self.blocks[index].text

    def is_paragraph(self, index: int) -> bool:
        return self.blocks[index].kind == PARAGRAPH

    def is_table(self, index: int) -> bool:
        return self.blocks[index].kind == TABLE

    def is_marker(self, index: int) -> bool:
        """A section title, whatever markup it came with (heading, bold line, capitals, 'Article 3')."""
        block = self.blocks[index]
        if block.kind == HEADING:
            return True
        if block.kind != PARAGRAPH or block.bullet:
            return False
        text = block.text
        if (
            len(text) <= 150
            and block.bold
            and sum(c.isalnum() for c in text) >= 4
            and not text.endswith((",", ";"))
        ):
            return True
        if len(text) <= 100 and (ARTICLE_MARKER.match(text) or NUMBERED_MARKER.match(text)):
            return True
        return len(text) <= 90 and is_caps(text) and not text.endswith((",", ";", "."))

    def section_at(self, index: int) -> str:
        """Title of the section a block belongs to ('Article 4 — MODALITÉS DE GOUVERNANCE')."""
        previous = [m for m in self.markers if m <= index]
        if not previous:
            return "Début du document"
        last = previous[-1]
        title = self.blocks[last].text
        if len(previous) > 1 and previous[-2] == last - 1 and len(self.blocks[last - 1].text) <= 30:
            title = f"{self.blocks[last - 1].text} — {title}"
        return title[:200]
