"""PDF with a text layer (pdfplumber): ruled tables, and lines grouped into paragraphs; a line in a
larger font than the body text is a heading. Scanned pages (no text) are reported, not guessed."""

import io
import logging
from collections import Counter

from django.conf import settings

from opencls.imports.exceptions import ImportRejected
from opencls.imports.readers.blocks import HEADING, PARAGRAPH, TABLE, Block, ReadResult
from opencls.imports.readers.pdf_tables import find_tables
from opencls.imports.readers.text_reader import BULLET

logger = logging.getLogger(__name__)

MIN_TEXT_CHARS = 20  # fewer characters than this on every page: an image-only PDF
HEADING_SIZE_STEP = 1.5  # points above the body size


PASSWORD_ERRORS = {"PDFPasswordIncorrect", "PDFEncryptionError", "PDFEncryptionWarning"}


def _is_password_error(error: BaseException | None, depth: int = 0) -> bool:
    """pdfplumber wraps pdfminer's PDFPasswordIncorrect in its arguments, not in __cause__."""
    if error is None or depth > 5:
        return False
    if type(error).__name__ in PASSWORD_ERRORS or "password" in str(error).lower():
        return True
    wrapped = [a for a in getattr(error, "args", ()) if isinstance(a, BaseException)]
    return any(_is_password_error(e, depth + 1) for e in [*wrapped, error.__cause__, error.__context__])


def _inside(word: dict, boxes: list[tuple]) -> bool:
    x = (word["x0"] + word["x1"]) / 2
    y = (word["top"] + word["bottom"]) / 2
    return any(x0 - 1 <= x <= x1 + 1 and top - 1 <= y <= bottom + 1 for x0, top, x1, bottom in boxes)


def _lines(words: list[dict]) -> list[dict]:
    """Words of one page into lines (same baseline), left to right."""
    lines: list[dict] = []
    for word in sorted(words, key=lambda w: (round(w["top"]), w["x0"])):
        line = lines[-1] if lines else None
        if line and abs(word["top"] - line["top"]) <= max(2.0, 0.3 * word["size"]):
            line["words"].append(word)
            line["bottom"] = max(line["bottom"], word["bottom"])
        else:
            lines.append({"top": word["top"], "bottom": word["bottom"], "words": [word]})
    for line in lines:
        line["words"].sort(key=lambda w: w["x0"])
        line["text"] = " ".join(w["text"] for w in line["words"])
        line["size"] = max(w["size"] for w in line["words"])
        glyphs = [w for w in line["words"] if not BULLET.match(w["text"] + " ")] or line["words"]
        line["bold"] = all("bold" in w["fontname"].lower() for w in glyphs)
        line["x0"] = line["words"][0]["x0"]
    return lines


def _join(previous: str, following: str) -> str:
    if previous.endswith("-") and len(previous) > 1 and previous[-2].isalpha():
        return previous + following  # a compound word cut at its hyphen
    return f"{previous} {following}"


def _cell(value: str | None) -> str:
    """pdfplumber breaks cell text where the line wrapped; only bullets start a real new line."""
    if not value:
        return ""
    text = ""
    for line in value.split("\n"):
        line = " ".join(line.split())
        if not line:
            continue
        if not text:
            text = line
        elif BULLET.match(line):
            text += "\n" + line
        else:
            text = _join(text, line)
    return text


def _mupdf_words(page) -> list[dict]:
    """Words of a PyMuPDF page in pdfplumber's shape (x0, x1, top, bottom, size, fontname), each
    word's font taken from the span it sits in; top and bottom from the baseline and the size, as
    pdfplumber measures them."""
    import pymupdf

    everywhere = pymupdf.INFINITE_RECT()  # like pdfplumber, text past the page's edge is read too
    spans: dict[tuple[int, int], list[dict]] = {}
    for block_number, block in enumerate(page.get_text("dict", flags=0, clip=everywhere)["blocks"]):
        for line_number, line in enumerate(block.get("lines", [])):
            spans[(block_number, line_number)] = [sp for sp in line["spans"] if sp["text"].strip()]
    words = []
    for x0, y0, x1, y1, text, block_number, line_number, _word in page.get_text(
        "words", flags=0, clip=everywhere
    ):
        cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
        candidates = spans.get((block_number, line_number), [])
        span = next((sp for sp in candidates if sp["bbox"][0] - 1 <= cx <= sp["bbox"][2] + 1
                     and sp["bbox"][1] - 1 <= cy <= sp["bbox"][3] + 1), candidates[0] if candidates else None)  # fmt: skip
        size = round(span["size"], 2) if span else round(y1 - y0, 2)
        font = span["font"] if span else ""
        if span and span["flags"] & 16 and "bold" not in font.lower():
            font += "-Bold"
        baseline = span["origin"][1] if span else y1
        words.append({"text": text, "x0": x0, "x1": x1, "top": baseline - 0.78 * size,
                      "bottom": baseline + 0.22 * size, "size": size, "fontname": font})  # fmt: skip
    return words


def _ruled(mupdf_page) -> bool:
    """Whether a page draws lines or rectangles enough for a table (cheap, so that the slow table
    finder runs only where a table can be)."""
    strokes = 0
    for drawing in mupdf_page.get_drawings():
        strokes += sum(1 for item in drawing["items"] if item[0] in ("l", "re"))
        if strokes >= 4:
            return True
    return False


def _page_items(page, mupdf_page=None) -> list[tuple[float, str, object]]:
    """Lines and tables of a page. With `mupdf_page` (PyMuPDF, issue 17), words come from PyMuPDF and
    pdfplumber only looks for tables, on pages that draw lines."""
    if mupdf_page is None:
        tables = page.find_tables()
        words = page.extract_words(extra_attrs=["size", "fontname"], keep_blank_chars=False)
    else:
        words = _mupdf_words(mupdf_page)
        tables = find_tables(mupdf_page, words) if _ruled(mupdf_page) else []
    boxes = [t.bbox for t in tables]
    words = [w for w in words if not _inside(w, boxes)]
    items: list[tuple[float, str, object]] = [(line["top"], "line", line) for line in _lines(words)]
    for table in tables:
        rows = tuple(tuple(_cell(c) for c in row) for row in table.extract() if any(row))
        if rows:
            items.append((table.bbox[1], "table", rows))
    return sorted(items, key=lambda item: item[0])


def _blocks(
    items: list[tuple[float, str, object]], body_size: float, heading_sizes: list[float]
) -> list[Block]:
    blocks: list[Block] = []
    paragraph: dict | None = None

    def flush():
        nonlocal paragraph
        if paragraph:
            text = paragraph["text"]
            if paragraph["level"]:
                blocks.append(Block(HEADING, text=text, level=paragraph["level"]))
            else:
                bullet = BULLET.match(text)
                blocks.append(
                    Block(
                        PARAGRAPH,
                        text=text[bullet.end() :] if bullet else text,
                        bullet=bool(bullet),
                        bold=paragraph["bold"],
                    )
                )
        paragraph = None

    for _top, kind, item in items:
        if kind == "table":
            flush()
            blocks.append(Block(TABLE, rows=item))
            continue
        line = item
        level = 0
        if line["size"] >= body_size + HEADING_SIZE_STEP:
            level = 1 + next((i for i, s in enumerate(heading_sizes) if line["size"] >= s - 0.1), 0)
        # A list item's glyph is never bold, its text may be: bullets ignore boldness.
        same_style = (
            paragraph
            and paragraph["level"] == level
            and (paragraph["bold"] == line["bold"] or BULLET.match(paragraph["text"]))
        )
        close = paragraph and line["top"] - paragraph["bottom"] <= 0.6 * line["size"]
        if same_style and close and not BULLET.match(line["text"]):
            paragraph["text"] = _join(paragraph["text"], line["text"])
            paragraph["bottom"] = line["bottom"]
        else:
            flush()
            paragraph = {"text": line["text"], "level": level, "bold": line["bold"], "bottom": line["bottom"]}
    flush()
    return blocks


SENTENCE_END = (".", ";", "!", "?", "»", ")")  # a colon announces what follows
CONNECTORS = {"et", "de", "du", "des", "la", "le", "les", "a", "à", "en", "pour", "/", "-", "ou", "aux", "au"}


def _continues(previous: str, following: str) -> bool:
    """Whether `following`, the top of a page, is the rest of `previous`, the bottom of the last one."""
    if not previous or not following:
        return False
    last_word = previous.split()[-1].lower()
    return following[0].islower() or (not previous.endswith(SENTENCE_END) and last_word in CONNECTORS)


def _join_rows(previous: tuple[str, ...], following: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(_join(a, b) if a and b else a or b for a, b in zip(previous, following, strict=True))


def _append_page(blocks: list[Block], page_blocks: list[Block]) -> None:
    """Glue what a page break cut: a paragraph, a table (and the table row split in two)."""
    if blocks and page_blocks:
        last, first = blocks[-1], page_blocks[0]
        if last.kind == PARAGRAPH == first.kind and not first.bullet and _continues(last.text, first.text):
            blocks[-1] = Block(
                PARAGRAPH, text=_join(last.text, first.text), bullet=last.bullet, bold=last.bold
            )
            page_blocks = page_blocks[1:]
        elif last.kind == TABLE == first.kind and len(last.rows[0]) == len(first.rows[0]):
            rows = list(last.rows)
            head, *rest = first.rows
            previous = rows[-1]
            split_row = (
                any(c[:1].islower() for c in head[1:])
                or (head[0] and _continues(previous[0], head[0]))
                or (
                    not head[0] and any(_continues(p, c) for p, c in zip(previous[1:], head[1:], strict=True))
                )
            )
            if split_row:
                rows[-1] = _join_rows(rows[-1], head)
            else:
                rest = [head, *rest]
            blocks[-1] = Block(TABLE, rows=tuple(rows + list(rest)))
            page_blocks = page_blocks[1:]
    blocks.extend(page_blocks)


def _read_pages(pages, max_pages: int, read, total: int | None = None) -> tuple[list, list[int], int]:
    page_count = len(pages) if total is None else total
    if page_count > max_pages:
        raise ImportRejected(
            f"Ce PDF compte {page_count} pages ; la limite est de {max_pages} pages. "
            "Importez le contrat sans ses annexes volumineuses."
        )
    items_by_page, empty_pages = [], []
    for number, page in enumerate(pages, start=1):
        items = read(page)
        if sum(len(i[2]["text"]) if i[1] == "line" else 1 for i in items) == 0:
            empty_pages.append(number)
        items_by_page.append(items)
        if hasattr(page, "flush_cache"):
            page.flush_cache()
    return items_by_page, empty_pages, page_count


def preload() -> None:
    """Import PyMuPDF in this process (its import takes longer than reading a contract): the reader runs
    in a child forked from here (core/limited.py), which then starts with it loaded."""
    if getattr(settings, "OPENCLS_PDF_TEXT_ENGINE", "pdfplumber") == "pymupdf":
        import pymupdf  # noqa: F401


def read_pdf(data: bytes) -> ReadResult:
    if b"%PDF-" not in data[:1024]:
        raise ImportRejected("Ce fichier porte l'extension .pdf mais n'est pas un PDF.")
    import pdfplumber

    max_pages = settings.OPENCLS_MAX_PDF_PAGES
    engine = getattr(settings, "OPENCLS_PDF_TEXT_ENGINE", "pdfplumber")
    mupdf = None
    try:
        if engine == "pymupdf":
            import pymupdf

            mupdf = pymupdf.open(stream=data, filetype="pdf")
            if mupdf.is_repaired:  # damaged: pdfplumber reads it as before, or says it is damaged
                mupdf.close()
                mupdf = None
            elif mupdf.needs_pass:
                raise ImportRejected(
                    "Ce PDF est protégé par un mot de passe : enregistrez-en une copie sans protection, puis réessayez."
                )
        if mupdf is not None:
            count = min(mupdf.page_count, max_pages + 1)  # past the limit, refused before reading a page
            pages, empty_pages, page_count = _read_pages(
                [mupdf[i] for i in range(count)],
                max_pages,
                lambda page: _page_items(None, page),
                mupdf.page_count,
            )
        else:
            with pdfplumber.open(io.BytesIO(data)) as pdf:
                pages, empty_pages, page_count = _read_pages(pdf.pages, max_pages, _page_items)
    except (ImportRejected, MemoryError, RecursionError):  # the ceilings report these
        raise
    except Exception as error:  # pdfminer raises many kinds of errors on damaged or protected files
        if _is_password_error(error):
            raise ImportRejected(
                "Ce PDF est protégé par un mot de passe : enregistrez-en une copie sans protection, puis réessayez."
            ) from error
        logger.warning("Unreadable PDF: %r", error)
        raise ImportRejected("Ce PDF est endommagé : son contenu n'a pas pu être lu.") from error
    finally:
        if mupdf is not None:
            mupdf.close()

    sizes: Counter = Counter()
    for items in pages:
        for _top, kind, item in items:
            if kind == "line":
                sizes[round(item["size"], 1)] += len(item["text"])
    if sum(sizes.values()) < MIN_TEXT_CHARS and not any(i[1] == "table" for items in pages for i in items):
        raise ImportRejected(
            "Ce PDF ne contient pas de texte (c'est une image, un document scanné ?). "
            "Passez-le dans un logiciel de reconnaissance de caractères (OCR) ou importez le document Word d'origine."
        )
    body_size = sizes.most_common(1)[0][0] if sizes else 10.0
    heading_sizes = sorted({s for s in sizes if s >= body_size + HEADING_SIZE_STEP}, reverse=True)
    blocks: list[Block] = []
    for items in pages:
        _append_page(blocks, _blocks(items, body_size, heading_sizes))
    notes = []
    if empty_pages and len(empty_pages) < page_count:
        shown = ", ".join(str(n) for n in empty_pages[:20])
        notes.append(
            f"{len(empty_pages)} page(s) sans texte (images ou scans) n'ont pas pu être lues : p. {shown}"
            + ("…" if len(empty_pages) > 20 else "")
            + "."
        )
    return ReadResult(blocks=blocks, pages=page_count, notes=notes)
