"""Issue 17: the governance article creates the bodies (COPIL, COTECH, working groups, co-chairs and
members), and the coordinator post's co-financing rule the document states is kept: 003 "the ARS half,
the agglomeration the rest", 004 pro rata population with its signed table kept for comparison."""

from decimal import Decimal

import pytest

from opencls.contracts.io import contract_from_json
from opencls.finance import selectors as finance
from opencls.finance.models import CoordinatorPostFunding, StatedShare
from opencls.governance.models import BodyMember, GovernanceBody
from opencls.imports.tests.test_extraction import extracted


def bodies(seed: str) -> list[dict]:
    return extracted(seed, "txt")["extensions"]["governance"]["bodies"]


def co_chairs(body: dict) -> list[tuple]:
    return [
        (m["organisation"], m.get("title", "")) for m in body.get("members", []) if m["role"] == "co_chair"
    ]


def test_003_governance_article_gives_its_three_bodies():
    copil, cotech, groups = bodies("003")

    assert [b["kind"] for b in (copil, cotech, groups)] == ["steering", "technical", "working_group"]
    assert co_chairs(copil) == [("Agence Régionale de Santé Hauts-de-France", ""),
                                ("Communauté d'Agglomération de Lens-Liévin", "")]  # fmt: skip
    assert (copil["min_meetings_per_year"], copil["requires_annual_evaluation"]) == (1, True)
    assert copil["description"].startswith("Le Comité de Pilotage est l'instance stratégique")
    signatories = [s["organisation"] for s in extracted("003", "txt")["contract"]["signatories"]]
    assert {m["organisation"] for m in copil["members"]} == set(
        signatories
    )  # "membres de droit : les signataires"
    assert cotech["min_meetings_per_year"] == 1 and len(cotech["members"]) == len(signatories)
    assert "Préciser si besoin le diagnostic" in groups["description"] and "members" not in groups


def test_004_copil_is_co_chaired_by_the_ars_villeneuve_and_a_rotating_commune():
    copil, cotech, groups = bodies("004")

    assert co_chairs(copil) == [("Agence régionale de santé des Hauts-de-France", ""),
                                ("Ville de Villeneuve-d'Ascq", "Maire")]  # fmt: skip
    assert copil["rotating_co_chair"] is True
    assert cotech["kind"] == "technical" and "Préparer les comités de pilotage" in cotech["description"]
    assert groups["kind"] == "working_group"


def test_the_governance_text_is_no_longer_left_in_not_imported():
    texts = " ".join(e["text"] for e in extracted("003", "txt")["not_imported"])
    assert "Le Comité de Pilotage est l'instance stratégique" not in texts


def test_003_cofinancing_rule_the_ars_half_the_agglomeration_the_rest():
    data = extracted("003", "txt")

    assert data["extensions"]["finance"] == {"coordinator_post": {
        "ars_organisation": "Agence Régionale de Santé Hauts-de-France", "ars_rate": "50.00",
        "rest_rule": "single_payer", "rest_payer": "Communauté d'Agglomération de Lens-Liévin",
    }}  # fmt: skip
    assert any("ne dit pas qui paie le reste" in w for w in data["warnings"])


def test_004_cofinancing_rule_is_pro_rata_population_with_its_signed_table():
    post = extracted("004", "txt")["extensions"]["finance"]["coordinator_post"]

    assert (post["ars_rate"], post["ars_yearly_cap"], post["rest_rule"]) == (
        "50.00",
        "30000.00",
        "population",
    )
    assert post["stated_shares"][:2] == [{"party": "ars", "percentage": "50.00"},
                                         {"municipality": "Baisieux", "percentage": "3.33"}]  # fmt: skip
    assert {"municipality": "Villeneuve d'Ascq", "percentage": "39.92"} in post["stated_shares"]
    assert len(post["stated_shares"]) == 9


@pytest.mark.django_db
def test_importing_003_creates_its_bodies_and_computes_its_own_rule():
    contract = contract_from_json(extracted("003", "txt"))

    assert list(GovernanceBody.objects.filter(contract=contract).values_list("kind", flat=True)) == [
        "steering", "technical", "working_group",
    ]  # fmt: skip
    copil = GovernanceBody.objects.get(contract=contract, kind="steering")
    assert copil.history.count() == 1  # the history page shows the import
    assert BodyMember.objects.filter(body=copil, role="co_chair").count() == 2
    funding = CoordinatorPostFunding.objects.get(contract=contract)
    assert (funding.rest_rule, funding.rest_payer.name) == (
        "single_payer",
        "Communauté d'Agglomération de Lens-Liévin",
    )
    funding.yearly_cost = Decimal("50000")
    funding.save()
    table = finance.cofinancing_table(finance.cofinancing_inputs(contract))
    assert [(s.label, s.percentage, s.amount) for s in table.cofinancing.shares] == [
        ("Agence Régionale de Santé Hauts-de-France", Decimal("50.00"), Decimal("25000.00")),
        ("Communauté d'Agglomération de Lens-Liévin", Decimal("50.00"), Decimal("25000.00")),
    ]


@pytest.mark.django_db
def test_importing_004_keeps_the_signed_table_beside_the_computed_one():
    contract = contract_from_json(extracted("004", "txt"))

    assert StatedShare.objects.filter(contract=contract).count() == 9
    table = finance.cofinancing_table(finance.cofinancing_inputs(contract))
    assert table.error == ""
    villeneuve = next(line for line in table.comparison.lines if line.computed.label == "Villeneuve d'Ascq")
    assert villeneuve.stated.percentage == Decimal("39.92")
    assert villeneuve.computed.percentage == Decimal("39.92")
