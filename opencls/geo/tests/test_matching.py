"""Commune names read in documents → official INSEE codes (seeds 003 and 004)."""

import pytest

from opencls.demo.services import SEEDS
from opencls.geo.matching import AMBIGUOUS, UNKNOWN, match_communes, match_contract_municipalities
from opencls.geo.models import OfficialCommune, OfficialCommuneAlias
from opencls.geo.names import document_name_keys, name_key
from opencls.imports.services import extract_document

pytestmark = pytest.mark.django_db

# The 19 communes of 003's QPV table, as the document writes them, and their official codes.
LENS_LIEVIN = {
    "Angres": "62032", "Avion": "62065", "Billy-Montigny": "62133", "Bully-les-Mines": "62186",
    "Fouquières Les Lens": "62351", "Grenay": "62386", "Harnes": "62413", "Hulluch": "62464",
    "Lens": "62498", "Liévin": "62510", "Loison-sous-Lens": "62523", "Loos-en-Gohelle": "62528",
    "Mazingarbe": "62563", "Méricourt": "62570", "Noyelles sous Lens": "62628",
    "Sains en Gohelle": "62737", "Sallaumines": "62771", "Vendin-le-Vieil": "62842", "Wingles": "62895",
}  # fmt: skip
MARQUE_MELANTOIS = {
    "Baisieux": "59044", "Bouvines": "59106", "Forest-sur-Marque": "59247", "Gruson": "59275",
    "Péronne-en-Mélantois": "59458", "Sainghin-en-Mélantois": "59523", "Villeneuve d'Ascq": "59009",
    "Willems": "59660",
}  # fmt: skip


def test_name_keys():
    assert name_key("Fouquières-lès-Lens") == name_key("Fouquières Les Lens") == "fouquieres les lens"
    assert name_key("VILLENEUVE D’ASCQ") == name_key("Villeneuve d'Ascq") == "villeneuve d ascq"
    assert name_key("St-Amand-les-Eaux") == name_key("Saint Amand les Eaux")
    assert name_key("Portel (Le)") == name_key("Le Portel") == "le portel"
    assert name_key("Œuilly") == "oeuilly"
    assert document_name_keys("Ville de Lens") == ["ville de lens", "lens"]
    assert document_name_keys("Commune d'Avion") == ["commune d avion", "avion"]


@pytest.mark.parametrize(
    ("filename", "expected"),
    [("003_cls_lens_lievin.txt", LENS_LIEVIN), ("004_clsi_marque_melantois.txt", MARQUE_MELANTOIS)],
    ids=["003", "004"],
)
def test_every_commune_of_the_seeds_gets_its_official_code(cog, filename, expected):
    data = match_contract_municipalities(extract_document(SEEDS / filename, filename))
    municipalities = data["contract"]["territory"]["municipalities"]
    assert {m["name"]: m["insee_code"] for m in municipalities} == expected
    assert data["extensions"]["geo"]["unmatched"] == []
    lens_or_ascq = next(m for m in municipalities if m["insee_code"] in ("62498", "59009"))
    official = OfficialCommune.objects.get(code=lens_or_ascq["insee_code"])
    assert lens_or_ascq["official_population"] == official.population
    assert lens_or_ascq["official_population_year"] == 2023
    # The document's own figure stays.
    assert lens_or_ascq["population"] in (32618, 62067)
    territory = data["contract"]["territory"]
    assert territory["region_code"] == "32" and territory["department_code"] in ("62", "59")


def test_prefixes_abbreviations_case_and_former_names(cog):
    alias = OfficialCommuneAlias.objects.filter(commune__department_code="59").exclude(
        normalised_name__in=OfficialCommune.objects.values("normalised_name")
    )[0]
    results = match_communes(
        [
            "Ville de Lens",
            "LIÉVIN",
            "commune de Villeneuve-d’Ascq",
            alias.name.upper(),
            "Ennetières",
            "Atlantide",
        ],
        region_code="32",
    )
    assert [r.commune.code if r.commune else r.status for r in results] == [
        "62498", "62510", "59009", alias.commune_id, UNKNOWN, UNKNOWN,
    ]  # fmt: skip
    assert results[3].via == "ancien nom"


def test_codes_win_and_old_codes_lead_to_the_current_commune(cog):
    alias = OfficialCommuneAlias.objects.exclude(code__in=OfficialCommune.objects.values("code"))[0]
    results = match_communes(["Nom sans rapport", "X"], codes=["62498", alias.code])
    assert [r.commune.code for r in results] == ["62498", alias.commune_id]
    assert [r.via for r in results] == ["code", "ancien code"]


def test_a_homonym_is_decided_by_the_department_or_reported(cog):
    codes = list(OfficialCommune.objects.filter(normalised_name="saint aubin").values_list("code", flat=True))
    assert len({c[:2] for c in codes}) >= 2, codes  # one in the Nord, one in the Pas-de-Calais
    name = OfficialCommune.objects.get(code=codes[0]).name
    (unsure,) = match_communes([name])
    assert unsure.status == AMBIGUOUS and len(unsure.candidates) >= 2
    (sure,) = match_communes([name], department_codes={codes[0][:2]})
    assert sure.commune.code == codes[0]


def test_without_the_official_tables_nothing_is_guessed(db):
    data = {"contract": {"territory": {"name": "T", "municipalities": [{"name": "Lens"}]}}}
    match_contract_municipalities(data)
    assert data["extensions"]["geo"] == {"loaded": False, "matched": [], "unmatched": []}
    assert "insee_code" not in data["contract"]["territory"]["municipalities"][0]


def test_matching_costs_three_queries_whatever_the_number_of_names(cog, django_assert_max_num_queries):
    names = list(LENS_LIEVIN) + ["Inconnue"] * 30
    with django_assert_max_num_queries(2):
        match_communes(names, department_codes={"62"})
