"""Plain text and Markdown, as exported from word processors: Markdown headings, bullet lists,
tab-separated tables, pipe tables, HTML tables and inline HTML (<b>, <p>, <sup>…)."""

import html
import re
import unicodedata

from bs4 import BeautifulSoup

from opencls.imports.exceptions import ImportRejected
from opencls.imports.readers.blocks import HEADING, PARAGRAPH, TABLE, Block, ReadResult

# Symbol-font bullets come out as private-use characters (U+F0B7…) or as U+FFFD when the font was lost;
# OCR gives "e " or "o " (not handled).
BULLET = re.compile(r"^\s*(?:[-*+•●◦▪■➤►▶·–—\uf000-\uf8ff\ufffd]|\d{1,2}[.)](?=\s))\s+")
HEADING_LINE = re.compile(r"^\s{0,3}(#{1,6})\s+(.*?)\s*#*\s*$")
NUMBERED_LINE = re.compile(
    r"^\s*\d{1,2}(?:\.\d{1,2}){1,4}\.?\s+\S"
)  # "2.2.3.1 Informer …" starts a paragraph
RULE = re.compile(r"^\s*(?:-{3,}|\*{3,}|_{3,})\s*$")
PIPE_ROW = re.compile(r"^\s*\|.*\|\s*$")
PIPE_SEPARATOR = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?\s*$")
FOOTNOTE_MARK = re.compile(r"<sup>\s*\d{1,3}\s*</sup>", re.IGNORECASE)
BLOCK_TAG = re.compile(r"</?(?:p|br|div|li)\b[^>]*>", re.IGNORECASE)
ANY_TAG = re.compile(r"</?[a-zA-Z][^<>]{0,200}>")
MD_LINK = re.compile(r"\[([^\]]+)\]\(([^)\s]+)\)")
AUTOLINK = re.compile(r"<(https?://[^>\s]+)>")
HTML_TABLE = re.compile(r"<table\b.*?</table>", re.IGNORECASE | re.DOTALL)
WHOLE_BOLD = re.compile(r"^(?:\*\*|__|<b>|<strong>)(.+?)(?:\*\*|__|</b>|</strong>)[\s:.;,]*$", re.IGNORECASE)
# Control characters other than tab/newline: a text file with many of them is binary.
ALLOWED_CONTROLS = {"\t", "\n", "\r", "\f", "\v"}
MAX_CONTROL_SHARE = 0.01


def decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), else Windows-1252; refuse what looks binary."""
    if b"\x00" in data:
        raise ImportRejected(
            "Ce fichier n'est pas un texte lisible (il contient des octets nuls) : "
            "est-ce un fichier binaire renommé en .txt ?"
        )
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ImportRejected(
            "Ce fichier texte n'est pas lisible : il n'est ni en UTF-8 ni en Windows-1252. "
            "Enregistrez-le en UTF-8 et réessayez."
        )
    if text:
        controls = sum(
            1 for c in text if unicodedata.category(c) in {"Cc", "Co", "Cn"} and c not in ALLOWED_CONTROLS
        )
        private_use = sum(1 for c in text if "\uf000" <= c <= "\uf8ff")  # symbol-font bullets are normal
        if (controls - private_use) / len(text) > MAX_CONTROL_SHARE:
            raise ImportRejected(
                "Ce fichier ne ressemble pas à un texte : il contient trop de caractères de contrôle. "
                "Est-ce un fichier binaire renommé ?"
            )
    return text


def clean_inline(text: str) -> str:
    """Markdown/HTML inline markup out, footnote calls dropped, spaces normalised."""
    text = FOOTNOTE_MARK.sub("", text)
    text = AUTOLINK.sub(r"\1", text)
    text = MD_LINK.sub(lambda m: m[1] if m[1].replace("\\", "") == m[2] else f"{m[1]} ({m[2]})", text)
    text = ANY_TAG.sub("", text)
    text = html.unescape(text)
    text = text.replace("**", "").replace("__", "")
    text = re.sub(r"\\([\\`*_{}\[\]()#+\-.!|])", r"\1", text)
    text = text.replace("\\_", "_")
    text = re.sub(r"\^\{([^}]*)\}", r"\1", text)  # 4^{ème}
    text = re.sub(r"\s\\in\b", " €", text)  # LaTeX euro left by a PDF-to-text tool
    text = re.sub(r"[\uf000-\uf8ff]", "", text)
    text = text.replace("\u00a0", " ").replace("\u202f", " ").replace("\u2009", " ")
    return " ".join(text.split())


def _cell(raw: str) -> str:
    lines = BLOCK_TAG.sub("\n", FOOTNOTE_MARK.sub("", raw)).split("\n")
    return "\n".join(c for c in (clean_inline(line) for line in lines) if c)


def _html_table(markup: str) -> Block | None:
    soup = BeautifulSoup(markup, "html.parser")
    rows = []
    for tr in soup.find_all("tr"):
        cells = []
        for td in tr.find_all(["td", "th"]):
            for br in td.find_all(["br", "p", "li"]):
                br.insert_before("\n")
            cells.append("\n".join(c for c in (clean_inline(x) for x in td.get_text().split("\n")) if c))
            span = td.get("colspan")
            if span and str(span).isdigit():
                cells.extend([""] * min(int(span) - 1, 50))
        if cells:
            rows.append(tuple(cells))
    return Block(TABLE, rows=tuple(rows)) if rows else None


class _Builder:
    def __init__(self):
        self.blocks: list[Block] = []
        self.paragraph: list[str] = []
        self.table: list[tuple[str, ...]] = []
        self.table_open_after_blank = False

    def flush_paragraph(self):
        if self.paragraph:
            raw = " ".join(line.strip() for line in self.paragraph)
            self.paragraph = []
            whole_bold = WHOLE_BOLD.match(raw.strip())
            text = clean_inline(raw)
            if text:
                self.blocks.append(Block(PARAGRAPH, text=text, bold=bool(whole_bold)))

    def flush_table(self):
        if self.table:
            rows, self.table = self.table, []
            if all(sum(1 for c in row if c) <= 1 for row in rows) and all(not row[0] for row in rows):
                # Indented text, not a table: one value per line after a leading tab.
                for row in rows:
                    text = next((c for c in row if c), "")
                    if text:
                        self.blocks.append(Block(PARAGRAPH, text=text.replace("\n", " ")))
            else:
                self.blocks.append(Block(TABLE, rows=tuple(rows)))
        self.table_open_after_blank = False

    def add_row(self, cells: list[str]):
        self.flush_paragraph()
        self.table.append(tuple(_cell(c) for c in cells))
        self.table_open_after_blank = False

    def add(self, block: Block):
        self.flush_paragraph()
        self.flush_table()
        if block.text or block.rows:
            self.blocks.append(block)


def _read_lines(text: str, builder: _Builder) -> None:
    for line in text.split("\n"):
        if not line.strip():
            builder.flush_paragraph()
            if builder.table:
                builder.table_open_after_blank = True  # tables survive blank lines in exports
            continue
        if "\t" in line and line.strip("\t ").strip():
            builder.add_row(line.rstrip("\n").split("\t"))
            continue
        if PIPE_ROW.match(line):
            if not PIPE_SEPARATOR.match(line):
                builder.add_row(line.strip().strip("|").split("|"))
            continue
        if PIPE_SEPARATOR.match(line) and builder.table:
            continue
        if builder.table:
            builder.flush_table()
        if RULE.match(line):
            builder.flush_paragraph()
            continue
        if heading := HEADING_LINE.match(line):
            builder.add(Block(HEADING, text=clean_inline(heading[2]), level=len(heading[1])))
            continue
        if bullet := BULLET.match(line):
            rest = line[bullet.end() :]
            while again := BULLET.match(rest):  # "- ➤ text"
                rest = rest[again.end() :]
            builder.add(
                Block(PARAGRAPH, text=clean_inline(rest), bullet=True, bold=bool(WHOLE_BOLD.match(rest)))
            )
            continue
        if NUMBERED_LINE.match(line):
            builder.flush_paragraph()
        builder.paragraph.append(line)
    builder.flush_paragraph()


def read_text(data: bytes) -> ReadResult:
    text = decode(data).replace("\r\n", "\n").replace("\r", "\n")
    builder = _Builder()
    position = 0
    for match in HTML_TABLE.finditer(text):
        _read_lines(text[position : match.start()], builder)
        table = _html_table(match[0])
        if table:
            builder.add(table)
        position = match.end()
    _read_lines(text[position:], builder)
    builder.flush_paragraph()
    builder.flush_table()
    return ReadResult(blocks=builder.blocks)
