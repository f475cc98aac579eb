"""Import a contract document (DOCX, PDF with text, plain text / Markdown) into a draft contract.

    data = extract_document(uploaded_file_or_path, filename)   # contract JSON (schema v1), nothing written
    contract = import_document(uploaded_file_or_path, filename, user=user)   # a draft, all or nothing

Bad input raises ImportRejected with a French message; nothing is written.
"""

import copy
import os
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from opencls.contracts.io import contract_from_json
from opencls.contracts.models import Contract
from opencls.core.limited import LimitExceeded, Limits, run_limited
from opencls.geo.matching import match_contract_municipalities
from opencls.imports.exceptions import ImportRejected
from opencls.imports.extraction import extract_contract
from opencls.imports.models import DocumentImport
from opencls.imports.readers import FORMAT_NAMES, READERS
from opencls.imports.readers.pdf_reader import preload as preload_pdf_reader

ACCEPTED = ".docx, .pdf, .txt, .md"
EDITABLE = ("title", "kind", "short_name")  # what the review form may change before saving
TERRITORY_EDITABLE = {"territory_name": "name", "territory_kind": "kind", "region": "region"}

__all__ = ["ImportRejected", "extract_document", "import_document"]


MEGABYTE = 1024 * 1024


def megabytes(size: int) -> str:
    return f"{size / MEGABYTE:.1f} Mo".replace(".", ",")


def too_large_message(size: int | None) -> str:
    limit = settings.OPENCLS_MAX_UPLOAD_BYTES
    shown = f"Le fichier fait {megabytes(size)}" if size else "Le fichier est trop volumineux"
    return f"{shown} ; la taille maximale acceptée est de {megabytes(limit)}."


def _size(source) -> int | None:
    if isinstance(source, str | os.PathLike):
        return os.path.getsize(source)
    size = getattr(source, "size", None)
    if size is not None:
        return size
    try:
        position = source.tell()
        source.seek(0, os.SEEK_END)
        end = source.tell()
        source.seek(position)
        return end - position
    except (AttributeError, OSError):
        return None


def _read(source, limit: int) -> bytes:
    """At most limit + 1 bytes, so a file growing after its size was checked is still refused."""
    if isinstance(source, str | os.PathLike):
        with open(source, "rb") as handle:
            return handle.read(limit + 1)
    if hasattr(source, "seek"):
        source.seek(0)
    if hasattr(source, "chunks"):
        data = bytearray()
        for chunk in source.chunks():
            data.extend(chunk)
            if len(data) > limit:
                break
        return bytes(data)
    return source.read(limit + 1)


def extract_document(source, filename: str) -> dict:
    """Read an uploaded file (or a path) and return the contract it describes as schema-v1 JSON,
    with `not_imported` (passages not understood) and `warnings` (inconsistencies).
    Reading and extraction run in a child process under CPU-time, memory and wall-clock ceilings
    (OPENCLS_EXTRACTION_*): past one, ImportRejected with a French message."""
    return extract_checked(checked_document(source, filename), filename)


def checked_document(source, filename: str) -> bytes:
    """The cheap checks, before any reading: format, size, emptiness. Returns the file's bytes."""
    extension = Path(filename or "").suffix.lower()
    if extension == ".doc":
        raise ImportRejected(
            "Les documents Word anciens (.doc) ne sont pas lus : ouvrez-le et enregistrez-le au format .docx."
        )
    if extension not in READERS:
        shown = extension or "sans extension"
        raise ImportRejected(f"Format non pris en charge ({shown}). Formats acceptés : {ACCEPTED}.")
    limit = settings.OPENCLS_MAX_UPLOAD_BYTES
    size = _size(source)
    if size is not None and size > limit:
        raise ImportRejected(too_large_message(size))
    data = _read(source, limit)
    if len(data) > limit:
        raise ImportRejected(too_large_message(None))
    if not data.strip():
        raise ImportRejected("Le fichier est vide.")
    return data


def extract_checked(data: bytes, filename: str) -> dict:
    """Reading and extraction of checked bytes, in the child process under the ceilings."""
    if Path(filename).suffix.lower() == ".pdf":
        preload_pdf_reader()  # once per process, so that the forked reader does not import it again
    try:
        return run_limited(
            read_and_extract,
            data,
            filename,
            limits=Limits.from_settings("EXTRACTION"),
            expected=(ImportRejected,),
        )
    except LimitExceeded as exceeded:
        raise ImportRejected(
            f"{exceeded.message} Importez le contrat sans ses annexes volumineuses."
        ) from exceeded


def reads_in_background(filename: str, size: int) -> bool:
    """PDFs (page layout analysis: ~5 s for 004's 60 pages) and big files are read by a background
    job; a small Word or text file is read in the request (~0.5 s for 004's .docx)."""
    return Path(filename or "").suffix.lower() == ".pdf" or size > settings.OPENCLS_IMPORT_SYNC_MAX_BYTES


def read_and_extract(data: bytes, filename: str) -> dict:
    """Reading and extraction proper, on the file's bytes: what runs under the ceilings."""
    extension = Path(filename or "").suffix.lower()
    read = READERS[extension](data)
    if not read.blocks:
        raise ImportRejected("Aucun texte n'a été trouvé dans ce document.")
    result = extract_contract(read.blocks)
    result["warnings"] = read.notes + result["warnings"]
    result["extensions"]["imports"]["source"] = {
        "filename": Path(filename).name,
        "format": FORMAT_NAMES[extension],
        "size": len(data),
        "pages": read.pages,
    }
    return result


def extract_checked_and_matched(data: bytes, filename: str) -> dict:
    """`extract_checked`, then the communes read get their official INSEE codes (issue 16): what
    the upload page and the import job keep for the review."""
    return match_contract_municipalities(extract_checked(data, filename))


def extract_and_match(source, filename: str) -> dict:
    """`extract_document`, then the communes read get their official INSEE codes and
    populations (COG, issue 16); those that could not be matched are listed in
    `extensions.geo`, shown on the review page. The one entry of both import paths."""
    return match_contract_municipalities(extract_document(source, filename))


def apply_changes(data: dict, changes: dict | None) -> dict:
    """The reviewer's corrections (title, kind, territory…) on a copy of the extracted JSON."""
    data = copy.deepcopy(data)
    contract = data["contract"]
    for key, value in (changes or {}).items():
        if key in EDITABLE:
            if value:
                contract[key] = value
            else:
                contract.pop(key, None)
        elif key in TERRITORY_EDITABLE:
            field = TERRITORY_EDITABLE[key]
            if value:
                contract["territory"][field] = value
            else:
                contract["territory"].pop(field, None)
    return data


def import_document(source, filename: str, *, user=None, changes: dict | None = None) -> Contract:
    """Extract, then create the draft contract in one transaction (`user` becomes its coordinator).
    Raises ImportRejected (unreadable input) or ContractJsonError (e.g. no territory found)."""
    data = apply_changes(extract_and_match(source, filename), changes)
    return contract_from_json(data, user=user)


def document_import_create(*, user, uploaded_file) -> DocumentImport:
    return document_import_record(user=user, data=extract_and_match(uploaded_file, uploaded_file.name))


def document_import_record(*, user, data: dict) -> DocumentImport:
    """Keeps what was extracted for the review page (its uploader's only)."""
    source = data["extensions"]["imports"]["source"]
    return DocumentImport.objects.create(
        user=user,
        filename=source["filename"][:255],
        file_format=source["format"],
        size=source["size"],
        data=data,
    )


@transaction.atomic
def document_import_save(*, document_import: DocumentImport, user, changes: dict | None = None) -> Contract:
    """Create the draft contract from a reviewed import; the import then points to it."""
    document_import = DocumentImport.objects.select_for_update().get(pk=document_import.pk)
    if document_import.contract_id:
        return document_import.contract
    contract = contract_from_json(apply_changes(document_import.data, changes), user=user)
    document_import.contract = contract
    document_import.saved_at = timezone.now()
    document_import.save(update_fields=["contract", "saved_at"])
    return contract


def document_import_link(*, document_import: DocumentImport, contract: Contract) -> None:
    """The import was used to update an existing contract rather than to create one."""
    document_import.contract = contract
    document_import.saved_at = timezone.now()
    document_import.save(update_fields=["contract", "saved_at"])


def document_import_discard(*, document_import: DocumentImport) -> None:
    document_import.delete()
