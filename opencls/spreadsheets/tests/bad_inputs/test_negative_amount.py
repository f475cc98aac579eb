from opencls.spreadsheets.tests.helpers import column_of, edited


def test_a_negative_amount_is_reported(upload, exported):
    column = column_of(exported, "Financements", "Montant accordé (€)")

    result = upload(edited(exported, {("Financements", f"{column}3"): -2500}))

    assert (
        "Feuille Financements, ligne 3, colonne Montant accordé (€) : le montant -2500 est négatif"
        in result.text
    )
    assert result.upload.state == "invalid"
