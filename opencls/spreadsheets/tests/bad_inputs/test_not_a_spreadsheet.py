import io
from zipfile import ZipFile

MESSAGE = "Ce fichier n&#x27;est pas un tableur : déposez un fichier .xlsx ou .ods."


def test_a_pdf_is_refused(upload):
    result = upload(b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n", name="plan.pdf")

    assert result.response.status_code == 400
    assert MESSAGE in result.text
    assert result.upload is None


def test_a_word_document_is_refused(upload):
    output = io.BytesIO()
    with ZipFile(output, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")

    result = upload(output.getvalue(), name="plan.xlsx")

    assert result.response.status_code == 400
    assert MESSAGE in result.text
