"""Text normalisation on the way in: the one place that decides what "the same text" means.

Browsers send textareas with CRLF line endings, word processors and spreadsheets bring CR,
decomposed accents (NFD) and trailing spaces. Stored as typed, they make a record look
changed when nobody changed it (history rows, amendment differences). Every way text
enters OpenCLS (forms, the contract JSON loader and so the document importer, the API,
spreadsheet re-imports) goes through `normalize_text`, and comparisons use it too.
"""

import re
import unicodedata

_LINE_END_SPACES = re.compile(r"[ \t\u00a0]+\n")


def normalize_text(value: str) -> str:
    """LF line endings, Unicode NFC, no spaces at line ends, no surrounding whitespace."""
    if not value:
        return value
    text = value.replace("\r\n", "\n").replace("\r", "\n")
    text = unicodedata.normalize("NFC", text)
    text = _LINE_END_SPACES.sub("\n", text)
    return text.strip()


def normalize_value(value):
    """`normalize_text` on a string, on every string inside lists and dicts; other values as they are."""
    if isinstance(value, str):
        return normalize_text(value)
    if isinstance(value, list):
        return [normalize_value(item) for item in value]
    if isinstance(value, tuple):
        return tuple(normalize_value(item) for item in value)
    if isinstance(value, dict):
        return {key: normalize_value(item) for key, item in value.items()}
    return value
