from opencls.spreadsheets.reader import OLE2_SIGNATURE


def ole2(*streams: str) -> bytes:
    """An OLE2 compound file as Excel writes a password-protected workbook: the encrypted
    package is a stream named in the directory (UTF-16)."""
    directory = b"".join(name.encode("utf-16-le").ljust(64, b"\0") for name in streams)
    return OLE2_SIGNATURE + b"\0" * 504 + directory + b"\0" * 1024


def test_a_password_protected_workbook_is_refused_with_how_to_fix_it(upload):
    result = upload(ole2("Root Entry", "EncryptionInfo", "EncryptedPackage"))

    assert result.response.status_code == 400
    assert "Ce fichier est protégé par mot de passe : OpenCLS ne peut pas le lire." in result.text
    assert result.upload is None


def test_an_excel_97_file_is_named_as_such(upload):
    result = upload(ole2("Root Entry", "Workbook"), name="plan.xls")

    assert "Ce fichier est au format Excel 97-2003 (.xls), qui n&#x27;est pas pris en charge" in result.text
