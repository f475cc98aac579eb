"""Issue 17: the PDF reader takes words and drawn lines from PyMuPDF and finds tables from those lines
with pdfplumber's own algorithm; on the seeds it gives exactly the blocks pdfplumber alone gave."""

from django.test import override_settings

from opencls.imports.readers import read_pdf
from opencls.imports.tests.expected import DOCUMENTS


def test_pymupdf_reads_the_same_blocks_as_pdfplumber():
    data = DOCUMENTS["003"]["pdf"].read_bytes()
    with override_settings(OPENCLS_PDF_TEXT_ENGINE="pdfplumber"):
        before = read_pdf(data)
    with override_settings(OPENCLS_PDF_TEXT_ENGINE="pymupdf"):
        after = read_pdf(data)

    assert after.pages == before.pages == 27
    assert after.blocks == before.blocks
    assert any(block.kind == "table" for block in after.blocks)
