from opencls.spreadsheets.tests.helpers import column_of, edited


def test_a_non_numeric_amount_is_reported(upload, exported):
    column = column_of(exported, "Financements", "Montant prévu (€)")

    result = upload(edited(exported, {("Financements", f"{column}2"): "à définir"}))

    assert (
        "Feuille Financements, ligne 2, colonne Montant prévu (€) : « à définir » n&#x27;est pas un montant"
    ) in result.text
    assert result.upload.state == "invalid"
