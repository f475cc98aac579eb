"""Hostile documents are refused with a French message, within the configured ceilings.

Each file is built here. The time a refusal takes is measured and compared with the ceiling it must
stay under (OPENCLS_EXTRACTION_WALL_SECONDS, with margin): a bound, not a performance assertion.
"""

import io
import os
import time
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from opencls.contracts.models import Contract
from opencls.core.limited import LimitExceeded, Limits, run_limited
from opencls.imports.models import DocumentImport
from opencls.imports.readers import READERS
from opencls.imports.services import ImportRejected, extract_document
from opencls.imports.tests.expected import DOCUMENTS
from opencls.testing.factories import UserFactory

MARGIN = 5  # seconds for the fork, the test's own work and a loaded machine
W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def refused(settings, data: bytes, filename: str) -> tuple[str, float]:
    """The French refusal and the seconds it took, checked against the wall-clock ceiling."""
    start = time.monotonic()
    with pytest.raises(ImportRejected) as error:
        extract_document(io.BytesIO(data), filename)
    elapsed = time.monotonic() - start
    assert elapsed < settings.OPENCLS_EXTRACTION_WALL_SECONDS + MARGIN, elapsed
    return error.value.message, elapsed


def docx_with_body(body: str | bytes, *, compress=zipfile.ZIP_DEFLATED) -> bytes:
    """Seed 003's Word document with its body replaced (styles, relations… kept)."""
    xml = body if isinstance(body, bytes) else body.encode()
    document = b'<?xml version="1.0" encoding="UTF-8"?><w:document ' + W.encode() + b"><w:body>" + xml
    document += b"</w:body></w:document>"
    output = io.BytesIO()
    with (
        zipfile.ZipFile(DOCUMENTS["003"]["docx"]) as source,
        zipfile.ZipFile(output, "w", compress) as target,
    ):
        for item in source.infolist():
            content = document if item.filename == "word/document.xml" else source.read(item)
            target.writestr(item.filename, content)
    return output.getvalue()


def paragraphs(count: int, text: str = "Action de prévention en santé") -> str:
    """Numbered so that the XML compresses like a real document's, not like a bomb."""
    return "".join(f"<w:p><w:r><w:t>{text} {n}</w:t></w:r></w:p>" for n in range(count))


def table(rows: int, columns: int, cell: str = "<w:tcPr/>") -> str:
    body = "".join(
        "<w:tr>"
        + "".join(f"<w:tc>{cell}<w:p><w:r><w:t>{r}-{c}</w:t></w:r></w:p></w:tc>" for c in range(columns))
        + "</w:tr>"
        for r in range(rows)
    )
    return "<w:tbl><w:tblGrid>" + "<w:gridCol/>" * columns + "</w:tblGrid>" + body + "</w:tbl>"


def vertical_merge(rows: int) -> str:
    """One column merged over `rows` rows: python-docx walks back up the column for each row."""
    first = '<w:tr><w:tc><w:tcPr><w:vMerge w:val="restart"/></w:tcPr><w:p/></w:tc></w:tr>'
    rest = "<w:tr><w:tc><w:tcPr><w:vMerge/></w:tcPr><w:p/></w:tc></w:tr>" * (rows - 1)
    return f"<w:tbl><w:tblGrid><w:gridCol/></w:tblGrid>{first}{rest}</w:tbl>" + paragraphs(3)


# ---------------------------------------------------------------- DOCX: checked before parsing


def test_a_docx_part_too_large_once_inflated_is_refused_unread(settings):
    """As the 5.9 Mo document inflating to 190 Mo (32:1, under the ratio limit): the size of the part
    is refused from the zip directory. Shown at a smaller scale: the same check, a lower setting."""
    settings.OPENCLS_MAX_XML_PART_BYTES = 2 * 1024 * 1024
    body = "".join(f"<w:p><w:r><w:t>{os.urandom(24).hex()} {n}</w:t></w:r></w:p>" for n in range(40_000))
    data = docx_with_body(body)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        part = archive.getinfo("word/document.xml")
    assert part.file_size > 2 * 1024 * 1024
    assert part.file_size / part.compress_size < settings.OPENCLS_MAX_INFLATE_RATIO  # not a « bomb »
    message, _elapsed = refused(settings, data, "rapport.docx")
    assert message.startswith(
        "Une fois décompressée, la partie « word/document.xml » de ce fichier .docx ferait"
    )
    assert message.endswith("(limite : 2 Mo par partie) ; il a été refusé.")


def test_the_default_part_and_total_limits_refuse_the_reported_document(settings):
    """190 Mo of XML is over both default limits (40 Mo a part, 80 Mo in all)."""
    assert 190 * 1024 * 1024 > settings.OPENCLS_MAX_XML_PART_BYTES
    assert 190 * 1024 * 1024 > settings.OPENCLS_MAX_UNCOMPRESSED_BYTES
    settings.OPENCLS_MAX_XML_PART_BYTES = 100 * 1024 * 1024
    settings.OPENCLS_MAX_UNCOMPRESSED_BYTES = 3 * 1024 * 1024
    body = "".join(f"<w:p><w:r><w:t>{os.urandom(24).hex()}</w:t></w:r></w:p>" for _ in range(50_000))
    message, _elapsed = refused(settings, docx_with_body(body), "rapport.docx")
    assert message.startswith("Une fois décompressé, ce fichier .docx ferait")
    assert message.endswith("(limite : 3 Mo) ; il a été refusé.")


def test_a_docx_with_too_many_paragraphs_is_refused_before_parsing(settings):
    settings.OPENCLS_MAX_DOCUMENT_PARAGRAPHS = 20_000
    data = docx_with_body(paragraphs(25_000))
    assert len(data) < 200_000  # small, like the 157 Ko file that cost 15 s
    message, _elapsed = refused(settings, data, "rapport.docx")
    assert message == (
        "Ce document Word compte plus de 20\u202f000 paragraphes ; un contrat en a bien moins. "
        "Importez le contrat sans ses annexes volumineuses."
    )


def test_a_docx_with_too_many_table_cells_is_refused_before_parsing(settings):
    settings.OPENCLS_MAX_DOCUMENT_CELLS = 20_000
    settings.OPENCLS_MAX_DOCUMENT_PARAGRAPHS = 100_000  # each cell holds a paragraph
    message, _elapsed = refused(settings, docx_with_body(table(3_000, 8)), "tableaux.docx")
    assert message.startswith("Les tableaux de ce document Word comptent plus de 20\u202f000 cellules")


def test_a_cell_spanning_a_hundred_million_columns_is_refused(settings):
    span = '<w:tcPr><w:gridSpan w:val="100000000"/></w:tcPr>'
    message, _elapsed = refused(settings, docx_with_body(table(1, 1, span)), "tableaux.docx")
    assert message.startswith("Les tableaux de ce document Word comptent plus de")


# ---------------------------------------------------------------- the ceilings of the child process


def test_a_docx_under_every_count_but_slow_to_read_is_stopped_by_the_cpu_ceiling(settings):
    settings.OPENCLS_EXTRACTION_CPU_SECONDS = 1
    settings.OPENCLS_EXTRACTION_WALL_SECONDS = 30
    data = docx_with_body(vertical_merge(6_000))
    message, elapsed = refused(settings, data, "fusion.docx")
    assert message == (
        "La lecture a dépassé le temps de calcul autorisé (1 s) et a été interrompue : ce fichier est "
        "anormalement complexe. Importez le contrat sans ses annexes volumineuses."
    )
    assert elapsed < settings.OPENCLS_EXTRACTION_WALL_SECONDS


def test_the_wall_clock_ceiling_kills_the_reading(settings):
    settings.OPENCLS_EXTRACTION_WALL_SECONDS = 1
    message, elapsed = refused(settings, docx_with_body(vertical_merge(6_000)), "fusion.docx")
    assert message.startswith("La lecture a pris plus de 1 s et a été interrompue")
    assert elapsed < 1 + MARGIN


def test_the_memory_ceiling_stops_the_reading(settings, monkeypatch):
    """A reader that needs far more memory than the ceiling (as lxml on a huge tree) is stopped; the
    French message reaches the user. (The ceiling is what the child may add to what it inherits.)"""
    settings.OPENCLS_EXTRACTION_MEMORY_BYTES = 64 * 1024 * 1024
    monkeypatch.setitem(READERS, ".docx", lambda data: bytearray(1024 * 1024 * 1024))
    message, _elapsed = refused(settings, docx_with_body(paragraphs(10)), "long.docx")
    assert message == (
        "La lecture a dépassé la mémoire autorisée (64 Mo) et a été interrompue : ce fichier est "
        "anormalement volumineux une fois lu. Importez le contrat sans ses annexes volumineuses."
    )


def _allocate(megabytes: int) -> int:
    return len(bytearray(megabytes * 1024 * 1024))


def _spin() -> None:
    while True:
        pass


LIMITS = Limits(cpu_seconds=1, memory_bytes=64 * 1024 * 1024, wall_seconds=20)


def test_the_runner_returns_the_result_as_json():
    assert run_limited(_allocate, 8, limits=LIMITS) == 8 * 1024 * 1024


@pytest.mark.parametrize(("function", "args", "kind"), [(_allocate, (512,), "memory"), (_spin, (), "cpu")])
def test_the_runner_reports_each_ceiling(function, args, kind):
    start = time.monotonic()
    with pytest.raises(LimitExceeded) as error:
        run_limited(function, *args, limits=LIMITS)
    assert error.value.kind == kind
    assert time.monotonic() - start < LIMITS.wall_seconds


def test_the_runner_raises_expected_errors_again_and_hides_others():
    with pytest.raises(ImportRejected, match="^Refusé$"):
        run_limited(_reject, limits=LIMITS, expected=(ImportRejected,))
    with pytest.raises(LimitExceeded) as error:
        run_limited(_reject, limits=LIMITS)
    assert error.value.kind == "crash"


def _reject():
    raise ImportRejected("Refusé")


# ---------------------------------------------------------------- PDF


def many_page_pdf(pages: int) -> bytes:
    """A valid PDF of `pages` pages with one line of text each, written by hand."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        None,
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    kids = []
    for number in range(pages):
        stream = f"BT /F1 12 Tf 72 720 Td (Page {number + 1} du contrat local de sante) Tj ET".encode()
        objects.append(b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream))
        content = len(objects)
        objects.append(
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents %d 0 R "
            b"/Resources << /Font << /F1 3 0 R >> >> >>" % content
        )
        kids.append(b"%d 0 R" % len(objects))
    objects[1] = b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(kids), pages)
    output, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(output))
        output += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(output)
    output += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    output += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    output += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(output)


def test_a_pdf_over_the_page_limit_is_refused_within_the_ceiling(settings):
    assert settings.OPENCLS_MAX_PDF_PAGES == 150  # tuned with bench/pdf_pages.py
    message, _elapsed = refused(settings, many_page_pdf(2_000), "annexes.pdf")
    assert message == (
        "Ce PDF compte 2000 pages ; la limite est de 150 pages. Importez le contrat sans ses annexes volumineuses."
    )


def test_a_pdf_under_the_page_limit_is_read_in_the_child(settings):
    data = extract_document(io.BytesIO(many_page_pdf(3)), "court.pdf")
    assert data["extensions"]["imports"]["source"]["pages"] == 3


# ---------------------------------------------------------------- the web upload and the command


@pytest.mark.django_db
def test_the_upload_page_refuses_a_hostile_document_and_writes_nothing(client, settings):
    settings.OPENCLS_EXTRACTION_CPU_SECONDS = 1
    client.force_login(UserFactory(can_create_contracts=True))
    upload = SimpleUploadedFile("fusion.docx", docx_with_body(vertical_merge(6_000)))
    start = time.monotonic()
    response = client.post(reverse("imports:upload"), {"file": upload})
    assert time.monotonic() - start < settings.OPENCLS_EXTRACTION_WALL_SECONDS + MARGIN
    assert response.status_code == 400
    assert "temps de calcul autorisé (1 s)" in response.content.decode()
    assert DocumentImport.objects.count() == 0


@pytest.mark.django_db
def test_the_import_command_refuses_a_hostile_document_and_writes_nothing(tmp_path, settings):
    settings.OPENCLS_MAX_DOCUMENT_PARAGRAPHS = 1_000
    path = tmp_path / "rapport.docx"
    path.write_bytes(docx_with_body(paragraphs(2_000)))
    with pytest.raises(CommandError, match="plus de 1\u202f000 paragraphes"):
        call_command("import_contract", str(path))
    assert Contract.objects.count() == 0
