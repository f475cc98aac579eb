"""Minutes in a small, safe markup: everything is escaped first, then formatted.

Lines starting with "## " are headings, "- " bullets, "1. " numbered items; **bold**, *italic*;
blank lines separate paragraphs; http(s) links become clickable. No HTML gets through.
"""

import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

_BOLD = re.compile(r"\*\*(.+?)\*\*")
_ITALIC = re.compile(r"(?<![\*\w])\*(?!\s)(.+?)(?<!\s)\*(?![\*\w])")
_LINK = re.compile(r"(https?://[^\s<>&\"']+(?:&amp;[^\s<>&\"']+)*)")
_BULLET = re.compile(r"^\s*[-•*]\s+(.*)$")
_NUMBERED = re.compile(r"^\s*\d+[.)]\s+(.*)$")
_HEADING = re.compile(r"^#{1,3}\s+(.*)$")


def _inline(escaped: str) -> str:
    text = _BOLD.sub(r"<strong>\1</strong>", escaped)
    text = _ITALIC.sub(r"<em>\1</em>", text)
    return _LINK.sub(r'<a href="\1" rel="noopener noreferrer">\1</a>', text)


def render_minutes(source: str) -> SafeString:
    html: list[str] = []
    paragraph: list[str] = []
    list_tag = ""

    def close_paragraph():
        if paragraph:
            html.append("<p>" + "<br>".join(paragraph) + "</p>")
            paragraph.clear()

    def close_list():
        nonlocal list_tag
        if list_tag:
            html.append(f"</{list_tag}>")
            list_tag = ""

    for raw in (source or "").splitlines():
        line = _inline(escape(raw.rstrip()))
        heading, bullet, numbered = _HEADING.match(raw), _BULLET.match(raw), _NUMBERED.match(raw)
        if not raw.strip():
            close_paragraph()
            close_list()
        elif heading:
            close_paragraph()
            close_list()
            html.append(f'<h3 class="fr-h6">{_inline(escape(heading[1]))}</h3>')
        elif bullet or numbered:
            close_paragraph()
            tag = "ul" if bullet else "ol"
            if list_tag != tag:
                close_list()
                html.append(f"<{tag}>")
                list_tag = tag
            html.append(f"<li>{_inline(escape((bullet or numbered)[1]))}</li>")
        else:
            close_list()
            paragraph.append(line)
    close_paragraph()
    close_list()
    return mark_safe("\n".join(html))  # noqa: S308 — built from escaped text only
