"""Word documents (.docx): paragraphs with their heading level, lists and tables, in body order.

The archive is inspected before python-docx opens it, so a zip bomb is refused unread, and the
paragraphs and cells of the body are counted on the raw XML before python-docx builds them.
"""

import io
import logging
import re
import zipfile

from django.conf import settings

from opencls.core.archives import ArchiveRefused, count_in_part
from opencls.core.archives import check_archive as check_office_archive
from opencls.imports.exceptions import ImportRejected
from opencls.imports.readers.blocks import HEADING, PARAGRAPH, TABLE, Block, ReadResult
from opencls.imports.readers.text_reader import BULLET

logger = logging.getLogger(__name__)

HEADING_STYLE = re.compile(r"^(?:heading|titre|überschrift)\s*(\d)$", re.IGNORECASE)
TITLE_STYLES = {"title", "titre"}
W = rb"(?:w:)?"
# What python-docx will build objects for: counted on the raw XML before it parses anything.
DOCUMENT_COUNTS = {
    "paragraphs": re.compile(rb"<" + W + rb"p[\s>/]"),
    "cells": re.compile(rb"<" + W + rb"tc[\s>/]"),
    # a cell spanning n grid columns is read n times; a vertically merged cell walks back up its column
    "spans": re.compile(rb"<" + W + rb"gridSpan\s+" + W + rb'val="(\d+)"'),
    "merges": re.compile(rb"<" + W + rb"vMerge[\s/>]"),
}


def check_archive(data: bytes) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, ValueError) as error:
        raise ImportRejected(
            "Ce fichier .docx est endommagé ou n'est pas un document Word (l'archive est illisible)."
        ) from error
    with archive:
        try:
            check_office_archive(archive, "ce fichier .docx")
        except ArchiveRefused as refusal:
            raise ImportRejected(refusal.message) from refusal
        if "word/document.xml" not in archive.namelist():
            raise ImportRejected(
                "Ce fichier .docx n'est pas un document Word : il ne contient pas de texte Word."
            )
        check_counts(archive)


def check_counts(archive: zipfile.ZipFile) -> None:
    """Paragraphs and table cells of the body, counted before python-docx builds one object each."""
    max_paragraphs = settings.OPENCLS_MAX_DOCUMENT_PARAGRAPHS
    max_cells = settings.OPENCLS_MAX_DOCUMENT_CELLS
    limits = {"paragraphs": max_paragraphs, "cells": max_cells, "spans": max_cells, "merges": max_cells}
    try:
        counts = count_in_part(archive, "word/document.xml", DOCUMENT_COUNTS, limits)
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as error:
        raise ImportRejected("Ce document Word est endommagé : son contenu n'a pas pu être lu.") from error
    if counts["paragraphs"] > max_paragraphs:
        raise ImportRejected(
            f"Ce document Word compte plus de {max_paragraphs:,} paragraphes ; un contrat en a bien moins. "
            "Importez le contrat sans ses annexes volumineuses.".replace(",", "\u202f")
        )
    if max(counts["cells"], counts["spans"], counts["merges"]) > max_cells:
        raise ImportRejected(
            f"Les tableaux de ce document Word comptent plus de {max_cells:,} cellules ; un contrat en a bien "
            "moins. Importez le contrat sans ses annexes volumineuses.".replace(",", "\u202f")
        )


def _style_name(paragraph, names: dict) -> str:
    """The paragraph's style name; python-docx looks styles up by scanning them all, so each
    style id is looked up once per document (`names`): 15 000 plain paragraphs took 20 s, not 1."""
    style_id = paragraph._p.style
    if style_id not in names:
        try:
            names[style_id] = (paragraph.style.name or "") if paragraph.style is not None else ""
        except (KeyError, ValueError):
            names[style_id] = ""
    return names[style_id]


def _heading_level(paragraph, style: str) -> int:
    if match := HEADING_STYLE.match(style.strip()):
        return max(1, int(match[1]))
    if style.strip().lower() in TITLE_STYLES:
        return 1
    ppr = paragraph._p.pPr
    if ppr is not None:
        outline = ppr.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}outlineLvl")
        if outline is not None:
            value = outline.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}val", "")
            if value.isdigit() and int(value) < 9:
                return int(value) + 1
    return 0


def _is_list(paragraph, style: str) -> bool:
    if "list" in style.lower() or "liste" in style.lower():
        return True
    ppr = paragraph._p.pPr
    return ppr is not None and ppr.numPr is not None


def _is_bold(paragraph) -> bool:
    runs = [r for r in paragraph.runs if r.text.strip()]
    return bool(runs) and all(r.bold for r in runs)


def _paragraph_block(paragraph, names: dict) -> Block | None:
    text = " ".join(paragraph.text.replace("\t", " ").split())
    if not text:
        return None
    style = _style_name(paragraph, names)
    level = _heading_level(paragraph, style)
    if level:
        return Block(HEADING, text=text, level=level)
    bullet = _is_list(paragraph, style)
    if match := BULLET.match(text):  # a bullet typed by hand
        text, bullet = text[match.end() :], True
    return Block(PARAGRAPH, text=text, bullet=bullet, bold=_is_bold(paragraph))


def _cell_text(cell) -> str:
    lines = [" ".join(line.split()) for p in cell.paragraphs for line in p.text.split("\n")]
    for table in cell.tables:  # nested tables: keep their text, row by row
        lines.extend(" ".join(c.text.split()) for row in table.rows for c in row.cells)
    return "\n".join(line for line in lines if line)


def _table_block(table) -> Block | None:
    rows = []
    for row in table.rows:
        seen, cells = set(), []
        for cell in row.cells:
            if id(cell._tc) in seen:  # a horizontally merged cell counts once
                continue
            seen.add(id(cell._tc))
            cells.append(_cell_text(cell))
        if any(cells):
            rows.append(tuple(cells))
    return Block(TABLE, rows=tuple(rows)) if rows else None


def _body_blocks(document, element, names: dict) -> list[Block]:
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    blocks = []
    for child in element.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        block = None
        if tag == "p":
            block = _paragraph_block(Paragraph(child, document), names)
        elif tag == "tbl":
            block = _table_block(Table(child, document))
        elif tag == "sdt":  # content controls (tables of contents, cover pages)
            content = child.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}sdtContent")
            if content is not None:
                blocks.extend(_body_blocks(document, content, names))
        if block is not None:
            blocks.append(block)
    return blocks


def _out_of_memory(error: Exception) -> bool:
    """libxml2 reports a failed allocation as a syntax error (« unknown error »), not MemoryError."""
    text = str(error.args[0] if error.args else error).lower()
    return type(error).__name__ == "XMLSyntaxError" and ("memory" in text or text.startswith("unknown error"))


def read_docx(data: bytes) -> ReadResult:
    if data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise ImportRejected(
            "C'est un document Word ancien (.doc) : ouvrez-le et enregistrez-le au format .docx, puis réessayez."
        )
    if not data.startswith(b"PK"):
        raise ImportRejected("Ce fichier porte l'extension .docx mais n'est pas un document Word.")
    check_archive(data)
    import docx

    try:
        document = docx.Document(io.BytesIO(data))
        blocks = _body_blocks(document, document.element.body, {})
    except (ImportRejected, MemoryError, RecursionError):  # the ceilings report these
        raise
    except Exception as error:  # python-docx/lxml raise many kinds of errors on damaged files
        if _out_of_memory(error):
            raise MemoryError from error
        logger.warning("Unreadable DOCX: %r", error)
        raise ImportRejected("Ce document Word est endommagé : son contenu n'a pas pu être lu.") from error
    return ReadResult(blocks=blocks)
