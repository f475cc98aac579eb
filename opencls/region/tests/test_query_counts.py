"""Issue 16, national scale: every regional page runs the same number of SQL queries whatever the
number of contracts in the scope (the regional list itself is pinned in test_regional_view)."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.db import connection
from django.urls import reverse

from opencls.contracts.models import DiagnosisIndicator
from opencls.monitoring.tests.factories import IndicatorTargetFactory
from opencls.region.forms import RegionFilterForm
from opencls.region.models import ActionTheme, Theme
from opencls.region.search import search_config
from opencls.region.selectors import PAGE_SIZE, Filters
from opencls.testing.factories import (
    ActionFactory,
    AxisFactory,
    ContractFactory,
    DeliverableFactory,
    IndicatorFactory,
    OrganisationFactory,
    TerritoryFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def region_with(count: int):
    """`count` contracts of Hauts-de-France, each with a themed action, an indicator, a
    deliverable and a diagnosis line; returns an ARS reader of the région."""
    theme = Theme.objects.order_by("pk").first()
    for n in range(count):
        territory = TerritoryFactory(
            name=f"Territoire {n:02d}", region="Hauts-de-France", region_code="32", department_code="59"
        )
        contract = ContractFactory(
            title=f"CLS {n:02d}", territory=territory, start_date=datetime.date(2024, 1, 1)
        )
        action = ActionFactory(
            axis=AxisFactory(contract=contract),
            title="Vaccination des enfants",
            leads=[OrganisationFactory()],
        )
        indicator = IndicatorFactory(action=action, label="Nombre de participants")
        IndicatorTargetFactory(indicator=indicator, year=2025, period="2025", value="1")
        DeliverableFactory(action=action)
        ActionTheme.objects.create(contract=contract, action=action, theme=theme)
        DiagnosisIndicator.objects.create(contract=contract, label="Taux de mortalité", territory_value="1")
    return UserFactory(ars_region="Hauts-de-France"), theme


# Session and user are the first two queries of each page. Search: the actions' and the
# operations' hits (PostgreSQL: ids then highlighted rows; SQLite: rows then their porteurs) and
# their contracts. Themes: the filters' choices (territories, porteurs, themes), the page of
# contracts (count, ids, rows), the themes and the matrix. Map: the filters' choices and the
# contracts' départements. Comparison: the themes, then indicators (labels, rows, values) and
# diagnosis lines.
PAGES = [
    ("region:search", {"q": "vaccination"}, {"sqlite": 6, "postgresql": 7}),
    ("region:themes", {}, {"sqlite": 10, "postgresql": 10}),
    ("region:map", {}, {"sqlite": 6, "postgresql": 6}),
    ("region:comparison", {"q": "participants", "dq": "taux"}, {"sqlite": 7, "postgresql": 7}),
    ("region:comparison", {"theme": "THEME"}, {"sqlite": 7, "postgresql": 7}),
    ("region:home", {"sort": "-actions", "page": "2"}, {"sqlite": 13, "postgresql": 13}),
]


@pytest.mark.parametrize("name, params, expected", PAGES)
def test_regional_pages_run_a_constant_number_of_queries(
    client, django_assert_num_queries, name, params, expected
):
    if connection.vendor == "postgresql":
        search_config()  # read once per process (the text search configuration)
    for size in (2, PAGE_SIZE + 5):  # the scope grows from 2 to 2 + PAGE_SIZE + 5 contracts
        user, theme = region_with(size)
        client.force_login(user)
        query = {key: theme.pk if value == "THEME" else value for key, value in params.items()}
        with django_assert_num_queries(expected[connection.vendor]):
            response = client.get(reverse(name), query)
        assert response.status_code == 200


def test_the_theme_matrix_shows_a_page_of_contracts_at_a_time(client):
    user, theme = region_with(PAGE_SIZE + 5)
    client.force_login(user)
    first = BeautifulSoup(client.get(reverse("region:themes")).content, "html.parser")
    columns = [th.get_text(strip=True) for th in first.select("#theme-matrix thead th")][1:]
    assert columns == [f"CLS {n:02d}" for n in range(PAGE_SIZE)]
    cell = first.select_one(f'td[data-theme="{theme.code}"] a')
    assert cell.get_text(strip=True) == "1" and "CLS 00" in cell["title"] and theme.label in cell["title"]
    second = BeautifulSoup(client.get(reverse("region:themes"), {"page": 2}).content, "html.parser")
    columns = [th.get_text(strip=True) for th in second.select("#theme-matrix thead th")][1:]
    assert columns == [f"CLS {n:02d}" for n in range(PAGE_SIZE, PAGE_SIZE + 5)]


def test_the_filter_drop_downs_keep_the_choice_and_escape_the_names():
    form = RegionFilterForm(
        {"organisation": "7"},
        choices={
            "departments": [],
            "territories": [],
            "organisations": [(7, "<b>Mairie & CCAS</b>"), (8, "B")],
        },
        themes=[],
    )
    assert form.filters() == Filters(organisation=7)
    select = BeautifulSoup(form["organisation"].as_field_group(), "html.parser").select_one("select")
    assert select["name"] == "organisation" and "fr-select" in select["class"]
    assert [(o["value"], o.has_attr("selected"), o.get_text()) for o in select.select("option")][1:] == [
        ("7", True, "<b>Mairie & CCAS</b>"),
        ("8", False, "B"),
    ]
    assert "&lt;b&gt;Mairie &amp; CCAS" in str(form["organisation"].as_field_group())
