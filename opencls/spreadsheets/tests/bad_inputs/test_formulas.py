from opencls.spreadsheets.tests.helpers import column_of, edited


def test_a_formula_is_reported_instead_of_being_guessed(upload, exported):
    column = column_of(exported, "Financements", "Montant prévu (€)")

    result = upload(edited(exported, {("Financements", f"{column}2"): "=1000*12"}))

    assert (
        "Feuille Financements, ligne 2, colonne Montant prévu (€) : la cellule contient une formule (« =1000*12 ») : "
        "remplacez-la par sa valeur"
    ) in result.text.replace("&#x27;", "'")
    assert result.upload.state == "invalid"
