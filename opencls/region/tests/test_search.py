"""Search on SQLite (default) and on PostgreSQL (DATABASE_URL=postgres://… pytest …)."""

import pytest
from django.db import connection

from opencls.region.search import highlight, search
from opencls.testing.factories import (
    ActionFactory,
    AxisFactory,
    ContractFactory,
    OperationFactory,
    OrganisationFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    mine = ContractFactory(title="CLS de Lens-Liévin")
    other = ContractFactory(title="CLS ailleurs")
    axis = AxisFactory(contract=mine)
    screening = ActionFactory(
        axis=axis,
        code="FA 2.1",
        title="Renforcer la participation aux dépistages organisés des cancers",
        description="Octobre rose et mars bleu <script>alert(1)</script>.",
        leads=[OrganisationFactory(name="Centre régional de coordination des dépistages")],
    )
    vaccination = ActionFactory(axis=axis, code="FA 3.1", title="Promouvoir la vaccination des enfants")
    OperationFactory(
        action=vaccination,
        title="Journées de rattrapage",
        description="Séances de VACCINATION en milieu scolaire",
        leads=[OrganisationFactory(name="Association Élan Santé")],
    )
    ActionFactory(axis=AxisFactory(contract=other), title="Dépistage du diabète", code="FA 9")
    return {"mine": mine, "other": other, "screening": screening, "vaccination": vaccination}


def test_accents_and_plural_are_ignored_and_results_are_grouped_by_contract(world):
    terms, groups = search([world["mine"].pk], "depistage")
    assert terms == ["depistage"]
    assert [group.contract for group in groups] == [world["mine"]]  # never the other contract
    hits = groups[0].hits
    assert [(hit.kind, hit.code) for hit in hits] == [("action", "FA 2.1")]
    assert "<mark>dépistages</mark>" in hits[0].title


def test_stemming_finds_vaccination_from_vaccins_in_actions_and_operations(world):
    _terms, groups = search([world["mine"].pk, world["other"].pk], "Vaccins")
    kinds = sorted((hit.kind, hit.code) for group in groups for hit in group.hits)
    assert kinds == [("action", "FA 3.1"), ("operation", "FA 3.1")]


def test_every_word_must_match_and_porteurs_are_searched(world):
    ids = [world["mine"].pk]
    assert search(ids, "dépistage vaccination")[1] == []
    _terms, groups = search(ids, "élan")  # a porteur of an operation
    assert [hit.kind for hit in groups[0].hits] == ["operation"]
    assert "Élan" in groups[0].hits[0].snippet


def test_highlighting_escapes_html(world):
    _terms, groups = search([world["mine"].pk], "octobre")
    snippet = str(groups[0].hits[0].snippet)
    # Escaped here (SQLite), or dropped by ts_headline's parser (PostgreSQL): never a live tag.
    assert "<script>" not in snippet and "alert(1)" in snippet
    assert "<mark>" in snippet


def test_hostile_or_empty_queries_are_harmless(world):
    ids = [world["mine"].pk]
    assert search(ids, "") == ([], [])
    assert search(ids, "' & | ! :* ()")[1] == []
    assert search(ids, "x" * 5000)[1] == []


def test_python_highlight_keeps_text_and_marks_words():
    html = str(highlight("Les <b>dépistages</b> du cancer", ["depistage"]))
    assert html == "Les &lt;b&gt;<mark>dépistages</mark>&lt;/b&gt; du cancer"


def test_database_in_use():
    # Reported in the test output: run once with SQLite and once with DATABASE_URL for PostgreSQL.
    assert connection.vendor in {"sqlite", "postgresql"}
