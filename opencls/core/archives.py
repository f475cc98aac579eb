"""Office files (DOCX, XLSX, ODS) are zip archives of XML: what they hold is checked from the zip
directory (sizes the archive declares, which also bound what zipfile will inflate) before any part is
inflated or parsed, and the XML of the parts that get parsed is counted in one streaming pass.

    check_archive(archive, "ce fichier .docx")          # ArchiveRefused (French) when too big
    counts = count_in_part(archive, "word/document.xml", {"paragraphs": PATTERN}, limits)

Limits are settings (OPENCLS_MAX_XML_PART_BYTES, OPENCLS_MAX_UNCOMPRESSED_BYTES,
OPENCLS_MAX_INFLATE_RATIO); each reader turns ArchiveRefused into its own error type.
"""

import re
import zipfile

from django.conf import settings

MEGABYTE = 1024 * 1024
MAX_ENTRIES = 2000
CHUNK = 1 << 20
OVERLAP = 256  # a tag cut between two chunks is counted once, in the chunk where it starts


class ArchiveRefused(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _mb(size: int) -> str:
    return f"{size / MEGABYTE:.0f} Mo"


def _upper_first(text: str) -> str:
    return text[:1].upper() + text[1:]


def check_archive(archive: zipfile.ZipFile, what: str) -> None:
    """Refuse an archive with too many entries, a part or a total too large once inflated, or a
    large part compressed beyond any real office file (a decompression bomb). `what` names the file
    in the message (« ce fichier .docx »)."""
    entries = archive.infolist()
    if len(entries) > MAX_ENTRIES:
        raise ArchiveRefused(f"{_upper_first(what)} contient un nombre anormal d'éléments ; il a été refusé.")
    part_limit = settings.OPENCLS_MAX_XML_PART_BYTES
    total_limit = settings.OPENCLS_MAX_UNCOMPRESSED_BYTES
    ratio_limit = settings.OPENCLS_MAX_INFLATE_RATIO
    total = sum(entry.file_size for entry in entries)
    if total > total_limit:
        raise ArchiveRefused(
            f"Une fois décompressé, {what} ferait {_mb(total)} (limite : {_mb(total_limit)}) ; il a été refusé."
        )
    for entry in entries:
        if entry.file_size > part_limit:
            raise ArchiveRefused(
                f"Une fois décompressée, la partie « {entry.filename[:80]} » de {what} ferait "
                f"{_mb(entry.file_size)} (limite : {_mb(part_limit)} par partie) ; il a été refusé."
            )
        if entry.file_size > MEGABYTE and entry.file_size > ratio_limit * max(entry.compress_size, 1):
            raise ArchiveRefused(
                f"{_upper_first(what)} est anormalement compressé (bombe de décompression ?) ; il a été refusé."
            )


def _weight(match: re.Match) -> int:
    """1 per match, or the number the pattern captures (a span of 1 000 000 columns weighs that)."""
    if match.re.groups and match.group(1):
        return int(match.group(1)[:9] or 1)
    return 1


def count_in_part(
    archive: zipfile.ZipFile, name: str, patterns: dict[str, re.Pattern], limits: dict[str, int]
) -> dict[str, int]:
    """Occurrences of each bytes pattern in the part `name` (or the sum of the number a pattern
    captures), read in chunks so memory stays flat. Counting stops as soon as one count passes its
    limit; the caller compares and refuses."""
    counts = dict.fromkeys(patterns, 0)
    pending = b""
    with archive.open(name) as stream:
        while True:
            chunk = stream.read(CHUNK)
            buffer = pending + chunk
            # A match starting in the last OVERLAP bytes may be cut: it is counted with the next chunk.
            end = len(buffer) - OVERLAP if chunk else len(buffer)
            for key, pattern in patterns.items():
                counts[key] += sum(_weight(m) for m in pattern.finditer(buffer) if m.start() < end)
            pending = buffer[max(end, 0) :]
            if not chunk or any(counts[key] > limits.get(key, counts[key]) for key in counts):
                return counts
