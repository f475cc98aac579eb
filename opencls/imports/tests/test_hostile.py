"""Bad input gets a clear French error and nothing is written."""

import io
import zipfile

import pytest

from opencls.contracts.models import Contract
from opencls.imports.services import ImportRejected, extract_document, import_document
from opencls.imports.tests.expected import DOCUMENTS, FIXTURES


def rejected(source, filename) -> str:
    with pytest.raises(ImportRejected) as error:
        extract_document(source, filename)
    return error.value.message


def test_a_password_protected_pdf_is_refused():
    message = rejected(FIXTURES / "contrat_protege.pdf", "contrat_protege.pdf")
    assert message == (
        "Ce PDF est protégé par un mot de passe : enregistrez-en une copie sans protection, puis réessayez."
    )


def test_an_image_only_pdf_is_refused():
    message = rejected(FIXTURES / "scan_image_seule.pdf", "scan.pdf")
    assert message.startswith("Ce PDF ne contient pas de texte (c'est une image, un document scanné ?).")


def test_a_truncated_pdf_is_refused():
    data = DOCUMENTS["003"]["pdf"].read_bytes()[:4000]
    assert rejected(io.BytesIO(data), "coupe.pdf") == "Ce PDF est endommagé : son contenu n'a pas pu être lu."


def test_a_corrupt_docx_is_refused():
    data = DOCUMENTS["003"]["docx"].read_bytes()[:3000]
    assert rejected(io.BytesIO(data), "abime.docx") == (
        "Ce fichier .docx est endommagé ou n'est pas un document Word (l'archive est illisible)."
    )


def test_a_docx_whose_xml_is_broken_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(DOCUMENTS["003"]["docx"]) as source, zipfile.ZipFile(buffer, "w") as target:
        for item in source.infolist():
            content = source.read(item)
            target.writestr(
                item, content[: len(content) // 2] if item.filename == "word/document.xml" else content
            )
    assert rejected(io.BytesIO(buffer.getvalue()), "xml.docx") == (
        "Ce document Word est endommagé : son contenu n'a pas pu être lu."
    )


def test_a_zip_that_is_not_a_word_document_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("photo.txt", "pas un document Word")
    assert rejected(io.BytesIO(buffer.getvalue()), "archive.docx") == (
        "Ce fichier .docx n'est pas un document Word : il ne contient pas de texte Word."
    )


def _bomb(size: int) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("word/document.xml", "w") as entry:
            block = b"\0" * 1024 * 1024
            for _ in range(size // len(block)):
                entry.write(block)
    return buffer.getvalue()


def test_a_zip_bomb_disguised_as_docx_is_refused_unread(settings):
    settings.OPENCLS_MAX_UNCOMPRESSED_BYTES = 10 * 1024 * 1024
    settings.OPENCLS_MAX_XML_PART_BYTES = 100 * 1024 * 1024
    bomb = _bomb(60 * 1024 * 1024)
    assert len(bomb) < 100_000
    assert rejected(io.BytesIO(bomb), "rapport.docx") == (
        "Une fois décompressé, ce fichier .docx ferait 60 Mo (limite : 10 Mo) ; il a été refusé."
    )


def test_an_abnormally_compressed_docx_is_refused():
    assert rejected(io.BytesIO(_bomb(5 * 1024 * 1024)), "rapport.docx") == (
        "Ce fichier .docx est anormalement compressé (bombe de décompression ?) ; il a été refusé."
    )


def test_a_200_megabyte_file_is_refused_before_being_read(tmp_path, monkeypatch):
    huge = tmp_path / "contrat.pdf"
    with open(huge, "wb") as handle:
        handle.truncate(200 * 1024 * 1024)  # sparse: nothing is written to disk
    monkeypatch.setattr("opencls.imports.services._read", lambda *args: pytest.fail("the file was read"))
    assert rejected(huge, "contrat.pdf") == (
        "Le fichier fait 200,0 Mo ; la taille maximale acceptée est de 20,0 Mo."
    )


def test_the_size_limit_is_a_setting(settings):
    settings.OPENCLS_MAX_UPLOAD_BYTES = 100 * 1024
    message = rejected(DOCUMENTS["004"]["pdf"], "004.pdf")
    assert message == "Le fichier fait 0,2 Mo ; la taille maximale acceptée est de 0,1 Mo."


def test_a_stream_longer_than_announced_is_refused(settings):
    settings.OPENCLS_MAX_UPLOAD_BYTES = 1000

    class Lying(io.BytesIO):
        size = 10  # the announced size is small, the content is not

    assert rejected(Lying(b"a" * 5000), "x.txt") == (
        "Le fichier est trop volumineux ; la taille maximale acceptée est de 0,0 Mo."
    )


def test_the_pdf_page_limit_is_a_setting(settings):
    settings.OPENCLS_MAX_PDF_PAGES = 10
    message = rejected(DOCUMENTS["003"]["pdf"], "003.pdf")
    assert message == (
        "Ce PDF compte 27 pages ; la limite est de 10 pages. Importez le contrat sans ses annexes volumineuses."
    )


def test_a_binary_renamed_txt_is_refused():
    assert rejected(io.BytesIO(bytes(range(256)) * 16), "contrat.txt") == (
        "Ce fichier n'est pas un texte lisible (il contient des octets nuls) : "
        "est-ce un fichier binaire renommé en .txt ?"
    )


def test_binary_without_nul_bytes_is_refused():
    assert rejected(io.BytesIO(bytes(range(1, 32)) * 200), "contrat.md").startswith(
        "Ce fichier ne ressemble pas à un texte"
    )


def test_a_windows_1252_text_is_read():
    text = "Contrat local de santé de la Communauté de communes du Val de Sambre\n\nAction 1.1 : Prévenir"
    data = extract_document(io.BytesIO(text.encode("cp1252")), "ancien.txt")
    assert data["contract"]["title"] == "Contrat local de santé de la Communauté de communes du Val de Sambre"


@pytest.mark.parametrize(
    ("filename", "content", "message"),
    [
        ("contrat.odt", b"PK", "Format non pris en charge (.odt). Formats acceptés : .docx, .pdf, .txt, .md."),
        ("contrat", b"texte", "Format non pris en charge (sans extension). Formats acceptés : .docx, .pdf, .txt, .md."),
        ("contrat.doc", b"\xd0\xcf\x11\xe0", "Les documents Word anciens (.doc) ne sont pas lus : ouvrez-le et "
                                              "enregistrez-le au format .docx."),
        ("contrat.docx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "C'est un document Word ancien (.doc) : "
         "ouvrez-le et enregistrez-le au format .docx, puis réessayez."),
        ("contrat.pdf", b"<html>pas un pdf</html>", "Ce fichier porte l'extension .pdf mais n'est pas un PDF."),
        ("contrat.docx", b"%PDF-1.7 ...", "Ce fichier porte l'extension .docx mais n'est pas un document Word."),
        ("vide.txt", b"  \n\n", "Le fichier est vide."),
    ],
)  # fmt: skip
def test_wrong_or_empty_files_are_refused(filename, content, message):
    assert rejected(io.BytesIO(content), filename) == message


@pytest.mark.django_db
def test_nothing_is_written_when_the_document_is_refused():
    with pytest.raises(ImportRejected):
        import_document(FIXTURES / "contrat_protege.pdf", "contrat_protege.pdf")
    assert Contract.objects.count() == 0
