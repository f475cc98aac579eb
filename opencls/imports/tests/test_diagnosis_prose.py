"""Diagnosis figures written in sentences (004 has no diagnosis table, 003 has both)."""

import pytest

from opencls.imports.extraction.diagnosis_prose import extract_diagnosis_prose
from opencls.imports.extraction.document import Doc
from opencls.imports.readers.blocks import PARAGRAPH, Block


def figures(*paragraphs: str) -> list[dict]:
    return extract_diagnosis_prose(Doc([Block(PARAGRAPH, text) for text in paragraphs]))


def values(figure: dict) -> dict:
    return {k: v for k, v in figure.items() if k.endswith("_value")}


def test_rate_compared_with_the_region_004():
    [figure] = figures(
        "En 2024, l'observatoire des fragilités du Grand Nord indique que le taux de non recours aux soins "
        "depuis 24 mois s'élève à 6,69% sur le territoire, ce qui est plus élevé que le taux régional (4.29 %; Fig. 6)."
    )
    assert figure["label"] == "Taux de non recours aux soins depuis 24 mois"
    assert values(figure) == {"territory_value": "6,69 %", "region_value": "4,29 %"}
    assert figure["year"] == "2024" and figure["unit"] == "%" and "à vérifier" in figure["source"]


def test_two_figures_compared_respectively_004():
    found = figures(
        "L'espérance de vie moyenne au sein de CLSI2M est inférieure au national : elle est de 80 ans chez les "
        "hommes et de 84,9 ans chez les femmes contre respectivement 79,4 ans et 85,3 ans en France."
    )
    assert [(f["label"], values(f)) for f in found] == [
        ("Espérance de vie moyenne (hommes)", {"territory_value": "80 ans", "nation_value": "79,4 ans"}),
        ("Espérance de vie moyenne (femmes)", {"territory_value": "84,9 ans", "nation_value": "85,3 ans"}),
    ]


def test_several_references_in_one_sentence_003():
    [figure] = figures(
        "28% de la population non scolarisée des 15 ans et plus ne dispose d'aucun diplôme, contre 25% pour le "
        "département et 21% au national."
    )
    assert values(figure) == {"territory_value": "28 %", "department_value": "25 %", "nation_value": "21 %"}


@pytest.mark.parametrize(
    "sentence",
    [
        # A difference, not a value of the territory.
        "Les hommes du territoire sont moins susceptibles de décéder prématurément (-10,10 % comparé au national).",
        # « 7 274 € de plus qu'au régional » is a gap, and « contre 19,4 % en 2015 » a former value.
        "La médiane du revenu disponible s'élève à 28 694 €, soit 7 274 € de plus qu'au régional.",
        "Le taux de chômage des 25-54 ans est de 16,9 % en 2020 (contre 19,4 % en 2015).",
        # Votes of a deliberation: no unit, nothing compared.
        "Votants : 45, pour : 45, contre : 0.",
    ],
)
def test_sentences_without_a_comparison_give_nothing(sentence):
    assert figures(sentence) == []


def test_figures_are_not_read_twice_from_a_table_and_a_sentence():
    text = "Le taux de pauvreté atteint en 2021 23,8% contre 15,3% au national."
    assert figures(text)[0]["label"] == "Taux de pauvreté"
    assert extract_diagnosis_prose(Doc([Block(PARAGRAPH, text)]), {"Taux de pauvreté"}) == []
