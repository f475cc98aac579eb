"""Layouts other than the seeds': inline labels, Markdown and HTML tables, Word tables with merged cells."""

import io

import docx

from opencls.contracts.io import validate_contract_json
from opencls.imports.services import extract_document

MARKDOWN = """# Contrat local de santé de la Communauté de communes du Pays de Mormal

## Orientation I : Prévenir

Texte libre d'introduction.

### Action 1 : Dépister les cancers

Le dépistage organisé reste trop faible sur le territoire.

Porteur : CPAM du Hainaut et la Mairie de Landrecies
Partenaires : Ligue contre le cancer ; CPTS du Mormal
Calendrier : 2026
Publics cibles : Femmes de 50 à 74 ans

Indicateurs de résultats :

- Taux de participation au dépistage
- Nombre de femmes rencontrées

Un paragraphe que personne n'attendait ici.

### Action 2 : Aller vers

Porteur : CCAS

## Orientation II : Soigner

### Action 1 : Attirer des médecins

| Opérations | Porteur | Calendrier |
|---|---|---|
| Accueillir des internes en stage | Hôpital de Landrecies | Premier trimestre 2026 |

<table><tr><th>Intitulé de l'action</th><th>Opérations</th><th>Porteur</th></tr>
<tr><td>Action 1 : Dépister les cancers</td><td>Organiser un bus de dépistage</td><td>CPAM</td></tr></table>
"""


def extract(text: str, name: str = "contrat.md") -> dict:
    return extract_document(io.BytesIO(text.encode("utf-8")), name)


def test_markdown_with_inline_labels_and_tables():
    data = extract(MARKDOWN)
    contract = data["contract"]
    assert contract["title"] == "Contrat local de santé de la Communauté de communes du Pays de Mormal"
    first, second = contract["axes"]
    assert [first["code"], first["title"], second["code"], second["title"]] == [
        "1",
        "Prévenir",
        "2",
        "Soigner",
    ]
    screening, outreach = first["actions"]
    assert screening["leads"] == ["CPAM du Hainaut", "Mairie de Landrecies"]
    assert screening["partners"] == ["Ligue contre le cancer", "CPTS du Mormal"]
    assert (screening["schedule"], screening["start_date"], screening["end_date"]) == ("2026", "2026-01-01",
                                                                                        "2026-12-31")  # fmt: skip
    assert screening["target_publics"] == "Femmes de 50 à 74 ans"
    assert [i["label"] for i in screening["indicators"]] == [
        "Taux de participation au dépistage", "Nombre de femmes rencontrées",
    ]  # fmt: skip
    # The HTML synthesis table gives the action its operation.
    assert screening["operations"] == [{"title": "Organiser un bus de dépistage", "leads": ["CPAM"]}]
    assert outreach["leads"] == ["CCAS"]
    (doctors,) = second["actions"]
    assert doctors["operations"] == [
        {"title": "Accueillir des internes en stage", "leads": ["Hôpital de Landrecies"],
         "schedule": "Premier trimestre 2026", "start_date": "2026-01-01", "end_date": "2026-03-31"},
    ]  # fmt: skip
    # "Action 1" in each axis: the contract keeps one code, and says so.
    assert "code" not in doctors
    assert any("portent le code « 1 »" in w for w in data["warnings"])
    assert {"where": "Fiche 1", "text": "Un paragraphe que personne n'attendait ici."} in data["not_imported"]
    assert {"where": "Orientation I : Prévenir", "text": "Texte libre d'introduction."} in data[
        "not_imported"
    ]
    assert contract["territory"]["name"] == "Communauté de communes du Pays de Mormal"
    assert contract["territory"]["kind"] == "epci"
    assert validate_contract_json(data) == []


def _word_document() -> bytes:
    document = docx.Document()
    document.add_heading("Contrat local de santé de la Ville de Testville", 0)
    document.add_paragraph(
        "La Ville de Testville, dont la mairie est située place du Marché, représentée par son Maire, "
        "Madame Claire MARTIN, dûment autorisée à signer le présent contrat."
    )
    document.add_heading("Axe 1 : Accès aux soins", 1)
    table = document.add_table(rows=4, cols=3)
    for cell, text in zip(table.rows[0].cells, ["Fiche action", "Opérations", "Porteur"], strict=True):
        cell.text = text
    table.cell(1, 0).merge(table.cell(2, 0)).text = "FA 1.1 : Faciliter l'installation des médecins"
    table.cell(1, 1).text = "Accueillir les internes"
    table.cell(2, 1).text = "Trouver des locaux"
    table.cell(1, 2).merge(table.cell(2, 2)).text = "Ville de Testville"
    table.cell(3, 0).text = "FA 1.2 : Prévenir"
    table.cell(3, 1).text = "Informer"
    table.cell(3, 2).text = "CCAS"
    document.add_heading("FA 1.1 : Faciliter l'installation des médecins", 2)
    sheet = document.add_table(rows=3, cols=2)
    for row, (label, value) in zip(sheet.rows, [("Secteur géographique", "Centre-ville"), ("Partenaires",
                                   "CPTS, Ordre des médecins"), ("Livrables attendus", "Une maison de santé")],
                                   strict=True):  # fmt: skip
        row.cells[0].text, row.cells[1].text = label, value
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_word_tables_with_merged_cells_and_a_label_table():
    data = extract_document(io.BytesIO(_word_document()), "testville.docx")
    contract = data["contract"]
    assert contract["title"] == "Contrat local de santé de la Ville de Testville"
    assert contract["signatories"] == [
        {
            "organisation": "Ville de Testville",
            "representative": "Claire MARTIN",
            "representative_title": "Maire",
        }
    ]
    assert (contract["territory"]["name"], contract["territory"]["kind"]) == (
        "Ville de Testville",
        "municipality",
    )
    (axis,) = contract["axes"]
    install, prevent = axis["actions"]
    assert [op["title"] for op in install["operations"]] == ["Accueillir les internes", "Trouver des locaux"]
    # The porteur cell spans both rows: both operations get it.
    assert [op["leads"] for op in install["operations"]] == [["Ville de Testville"], ["Ville de Testville"]]
    assert install["area"] == "Centre-ville"
    assert install["partners"] == ["CPTS", "Ordre des médecins"]
    assert install["deliverables"] == [{"text": "Une maison de santé"}]
    assert prevent["operations"] == [{"title": "Informer", "leads": ["CCAS"]}]
