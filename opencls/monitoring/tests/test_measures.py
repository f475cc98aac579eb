"""Indicators measured as a number, a percentage, a breakdown by category / commune / QPV, or a
satisfaction scale (issue 13): validation, forms, chart, report, API, history, JSON."""

import io
import json
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from opencls.actions.measures import (
    DEFAULT_SATISFACTION_LEVELS,
    Measure,
    clean_categories,
    suggest_measure,
    suggested_fields,
)
from opencls.actions.models import Indicator
from opencls.contracts.io import contract_from_json, contract_to_json
from opencls.contracts.models import ContractRole
from opencls.monitoring import charts, measures
from opencls.monitoring import services as monitoring
from opencls.monitoring.models import IndicatorTarget, IndicatorValue
from opencls.monitoring.periods import periods_of_year
from opencls.monitoring.reports import evaluation_report_data, format_period_row
from opencls.monitoring.selectors import indicator_rows
from opencls.testing import factories

pytestmark = pytest.mark.django_db
R = ContractRole.Role
TYPES = ["Femmes", "Hommes"]


def indicator_of(kind, categories=(), **kwargs):
    return factories.IndicatorFactory(measure_kind=kind, categories=list(categories), **kwargs)


# The heuristic ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("label", "kind"),
    [
        ("Taux de satisfaction des participants", Measure.SATISFACTION),
        ("Satisfaction des partenaires", Measure.SATISFACTION),
        ("Taux de mobilisation des acteurs", Measure.PERCENTAGE),
        ("Part des habitants dépistés (%)", Measure.PERCENTAGE),
        ("Nombre de personnes accompagnées par commune", Measure.MUNICIPALITIES),
        ("Nombre de participants par QPV", Measure.NEIGHBOURHOODS),
        ("Nombre et typologie des personnes sensibilisées", Measure.CATEGORIES),
        ("Nombre et type de structures", Measure.CATEGORIES),
        ("Typologie des acteurs", Measure.CATEGORIES),
        ("Nombre de sessions de sensibilisation", Measure.NUMBER),
        ("Nombre de contrats signés", Measure.NUMBER),
    ],
)
def test_the_label_suggests_the_measure_kind(label, kind):
    assert suggest_measure(label) == kind


def test_the_importer_json_gets_the_suggestion():
    assert suggested_fields("Nombre de sessions") == {}
    assert suggested_fields("Satisfaction des partenaires") == {
        "measure_kind": "satisfaction",
        "categories": DEFAULT_SATISFACTION_LEVELS,
    }
    from opencls.imports.extraction.merge import _ActionMerger

    lists = _ActionMerger._lists(
        {"process": ["Nombre et typologie des personnes sensibilisées\nNombre de sessions"]}
    )
    assert [i.get("measure_kind") for i in lists["indicators"]] == ["categories", None]


def test_categories_are_cleaned_and_checked():
    assert clean_categories(Measure.CATEGORIES, [" Femmes ", "", "Hommes"]) == TYPES
    assert clean_categories(Measure.NUMBER, TYPES) == []
    assert clean_categories(Measure.SATISFACTION, []) == DEFAULT_SATISFACTION_LEVELS
    with pytest.raises(ValueError, match="en double"):
        clean_categories(Measure.CATEGORIES, ["Femmes", "femmes"])
    with pytest.raises(ValueError, match="une par ligne"):
        clean_categories(Measure.CATEGORIES, [], required=True)
    with pytest.raises(ValueError, match="deux niveaux"):
        clean_categories(Measure.SATISFACTION, ["Oui"])


# Validation of one value ----------------------------------------------------------------------


def test_a_number_takes_french_decimals():
    indicator = indicator_of(Measure.NUMBER)
    assert measures.clean_measure(indicator, "1 234,5") == (Decimal("1234.50"), {})
    assert measures.clean_measure(indicator, "12.5") == (Decimal("12.50"), {})
    with pytest.raises(ValidationError, match="Saisissez un nombre"):
        measures.clean_measure(indicator, "douze")
    with pytest.raises(ValidationError, match="ne se ventile pas"):
        measures.clean_measure(indicator, "3", {"Femmes": "3"})


@pytest.mark.parametrize(
    ("raw", "ok"), [("0", True), ("12,5", True), ("100", True), ("100,01", False), ("-1", False)]
)
def test_a_percentage_is_between_0_and_100(raw, ok):
    indicator = indicator_of(Measure.PERCENTAGE)
    if ok:
        assert measures.clean_measure(indicator, raw)[0] == measures.parse_number(raw)
    else:
        with pytest.raises(ValidationError, match="entre 0 et 100"):
            measures.clean_measure(indicator, raw)


def test_a_breakdown_gives_its_total_and_must_agree_with_a_typed_total():
    indicator = indicator_of(Measure.CATEGORIES, TYPES)
    assert measures.clean_measure(indicator, None, {"Hommes": "5", "Femmes": "7,5"}) == (
        Decimal("12.50"),
        {"Femmes": "7.5", "Hommes": "5"},  # in the indicator's order
    )
    assert measures.clean_measure(indicator, "12,5", {"Femmes": "7,5", "Hommes": "5"})[0] == Decimal("12.5")
    with pytest.raises(ValidationError, match="ne correspond pas à la somme"):
        measures.clean_measure(indicator, "13", {"Femmes": "7,5", "Hommes": "5"})
    with pytest.raises(ValidationError, match="Catégorie inconnue"):
        measures.clean_measure(indicator, None, {"Enfants": "2"})
    with pytest.raises(ValidationError, match="positif"):
        measures.clean_measure(indicator, None, {"Femmes": "-2"})
    # The total alone, when the breakdown is unknown; a key of the stored breakdown stays valid.
    assert measures.clean_measure(indicator, "9", {}) == (Decimal(9), {})
    assert measures.clean_measure(indicator, None, {"Autres": "1"}, stored={"Autres": "4"})[0] == Decimal(1)


def test_communes_and_qpv_come_from_the_contract_territory():
    contract = factories.ContractFactory()
    factories.MunicipalityFactory(territory=contract.territory, name="Avesnes-sur-Helpe")
    factories.MunicipalityFactory(territory=contract.territory, name="Fourmies")
    factories.PriorityNeighbourhoodFactory(territory=contract.territory, name="Quartier du Nord")
    action = factories.ActionFactory(contract=contract, axis=factories.AxisFactory(contract=contract))
    by_commune = indicator_of(Measure.MUNICIPALITIES, action=action)
    by_qpv = indicator_of(Measure.NEIGHBOURHOODS, action=action)
    assert measures.measure_keys(by_commune) == ["Avesnes-sur-Helpe", "Fourmies"]
    assert measures.clean_measure(by_commune, None, {"Fourmies": "4", "Avesnes-sur-Helpe": "2"})[0] == 6
    with pytest.raises(ValidationError, match="inconnue"):
        measures.clean_measure(by_commune, None, {"Maubeuge": "4"})
    assert measures.clean_measure(by_qpv, None, {"Quartier du Nord": "3"}) == (
        Decimal(3),
        {"Quartier du Nord": "3"},
    )


def test_a_satisfaction_scale_counts_answers_and_gives_the_share_satisfied():
    indicator = indicator_of(Measure.SATISFACTION, DEFAULT_SATISFACTION_LEVELS)
    counts = dict(zip(DEFAULT_SATISFACTION_LEVELS, ["1", "3", "6", "20", "10"], strict=True))
    value, breakdown = measures.clean_measure(indicator, None, counts)
    assert value == Decimal("75.00")  # 30 of 40 answers « satisfait » or « très satisfait »
    summary = measures.summarise(indicator, value, breakdown)
    assert summary.text == "75 % de satisfaits (moyenne 3,9 / 5 ; 40 réponses)"
    with pytest.raises(ValidationError, match="entier"):
        measures.clean_measure(indicator, None, {"Satisfait": "2,5"})
    with pytest.raises(ValidationError, match="au moins une réponse"):
        measures.clean_measure(indicator, None, {"Satisfait": "0"})
    with pytest.raises(ValidationError, match="ne correspond pas aux réponses"):
        measures.clean_measure(indicator, "80", counts)
    assert measures.clean_measure(indicator, "80", {})[0] == Decimal(80)  # the rate alone


def test_targets_follow_the_kind():
    indicator = indicator_of(Measure.PERCENTAGE)
    coordinator = factories.user_with_role(indicator.action.contract, R.COORDINATOR)
    with pytest.raises(ValidationError, match="entre 0 et 100"):
        monitoring.indicator_target_set(
            user=coordinator, indicator=indicator, period_code="2025", value=Decimal(120)
        )
    with pytest.raises(ValidationError, match="ne s'additionnent pas"):
        monitoring.indicator_target_set(
            user=coordinator, indicator=indicator, period_code="2025", value=Decimal(80), cumulative=True
        )
    monitoring.indicator_target_set(
        user=coordinator, indicator=indicator, period_code="2025", value=Decimal(80)
    )
    assert IndicatorTarget.objects.get().value == 80


def test_a_kind_change_never_loses_a_breakdown():
    indicator = indicator_of(Measure.CATEGORIES, TYPES)
    coordinator = factories.user_with_role(indicator.action.contract, R.COORDINATOR)
    monitoring.indicator_value_set(
        user=coordinator, indicator=indicator, period_code="2024", breakdown={"Femmes": "3", "Hommes": "1"}
    )
    assert measures.measure_change_problems(indicator, Measure.NUMBER, [])[0].startswith(
        "1 valeur(s) sont ventilées"
    )
    assert "« Hommes »" in measures.measure_change_problems(indicator, Measure.CATEGORIES, ["Femmes"])[0]
    assert measures.measure_change_problems(indicator, Measure.CATEGORIES, [*TYPES, "Enfants"]) == []


# Pages ------------------------------------------------------------------------------------------


def test_the_indicator_page_enters_a_breakdown_and_shows_it(client):
    indicator = indicator_of(Measure.CATEGORIES, TYPES)
    contract = indicator.action.contract
    contract.start_date, contract.end_date = date(2024, 1, 1), date(2026, 12, 31)
    contract.save()
    client.force_login(factories.user_with_role(contract, R.COORDINATOR))
    url = reverse("monitoring:indicator", args=[contract.pk, indicator.pk])
    page = client.get(url).content.decode()
    assert 'name="value-value_k0"' in page and "Femmes" in page and "Total" in page
    bad = client.post(
        url,
        {
            "form": "value",
            "value-period": "2024",
            "value-value": "4",
            "value-value_k0": "2",
            "value-value_k1": "1",
        },
    )
    assert "ne correspond pas à la somme" in bad.content.decode() and not IndicatorValue.objects.exists()
    response = client.post(
        url, {"form": "value", "value-period": "2024", "value-value_k0": "2,5", "value-value_k1": "1"}
    )
    assert response.status_code == 302
    value = IndicatorValue.objects.get()
    assert (value.value, value.breakdown) == (Decimal("3.5"), {"Femmes": "2.5", "Hommes": "1"})
    page = client.get(url).content.decode()
    assert "Femmes : 2,5 ; Hommes : 1" in page and "Ventilation par période" in page
    # The history page shows a changed breakdown, before → after, readably.
    monitoring.indicator_value_set(
        user=factories.user_with_role(contract, R.COORDINATOR),
        indicator=indicator,
        period_code="2024",
        breakdown={"Femmes": "3", "Hommes": "1"},
    )
    history = client.get(reverse("core:contract_history", args=[contract.pk])).content.decode()
    assert "Femmes : 2.5 ; Hommes : 1" in history and "Femmes : 3 ; Hommes : 1" in history


def test_the_coordinator_chooses_the_kind_and_categories(client):
    indicator = factories.IndicatorFactory()
    action, contract = indicator.action, indicator.action.contract
    client.force_login(factories.user_with_role(contract, R.COORDINATOR))
    url = reverse("actions:indicator_edit", args=[contract.pk, action.pk, indicator.pk])
    page = client.get(url).content.decode()
    assert "Échelle de satisfaction" in page and "categories_text" in page
    data = {"kind": "process", "label": indicator.label, "periodicity": "year", "measure_kind": "categories"}
    refused = client.post(url, data | {"categories_text": ""})
    assert refused.status_code == 200 and "une par ligne" in refused.content.decode()
    assert client.post(url, data | {"categories_text": "Femmes\r\nHommes"}).status_code == 302
    indicator.refresh_from_db()
    assert (indicator.measure_kind, indicator.categories) == ("categories", TYPES)
    coordinator = factories.user_with_role(contract, R.COORDINATOR)
    monitoring.indicator_value_set(
        user=coordinator, indicator=indicator, period_code="2024", breakdown={"Femmes": "2"}
    )
    refused = client.post(url, data | {"measure_kind": "percentage", "categories_text": ""})
    assert "ventilées" in refused.content.decode()
    indicator.refresh_from_db()
    assert indicator.measure_kind == "categories"


def test_charts_follow_the_kind():
    percent = indicator_of(Measure.PERCENTAGE)
    coordinator = factories.user_with_role(percent.action.contract, R.COORDINATOR)
    value = monitoring.indicator_value_set(
        user=coordinator, indicator=percent, period_code="2024", value="40"
    )
    rows = indicator_rows(percent, list(periods_of_year("year", 2024)), [value], [])
    chart = charts.indicator_chart(percent, rows)
    assert "100 %" in chart.to_svg("c") and "40 %" in chart.summary
    scale = indicator_of(Measure.SATISFACTION, DEFAULT_SATISFACTION_LEVELS, action=percent.action)
    counts = dict(zip(DEFAULT_SATISFACTION_LEVELS, ["0", "0", "1", "2", "1"], strict=True))
    value = monitoring.indicator_value_set(
        user=coordinator, indicator=scale, period_code="2024", breakdown=counts
    )
    rows = indicator_rows(scale, list(periods_of_year("year", 2024)), [value], [])
    chart = charts.indicator_chart(scale, rows)
    assert "Réponses par niveau" in chart.title and "Très satisfait : 25 %" in chart.to_svg("s")
    assert chart.to_png()[:4] == b"\x89PNG"
    assert format_period_row(rows[0], scale).startswith(
        "2024 : 75 % de satisfaits (moyenne 4 / 5 ; 4 réponses)"
    )


def test_the_annual_report_reads_breakdowns(client):
    indicator = indicator_of(Measure.CATEGORIES, TYPES)
    contract = indicator.action.contract
    coordinator = factories.user_with_role(contract, R.COORDINATOR)
    monitoring.indicator_value_set(
        user=coordinator, indicator=indicator, period_code="2024", breakdown={"Femmes": "3", "Hommes": "2"}
    )
    data = evaluation_report_data(contract, 2024, today=date(2025, 2, 1))
    item = next(
        i
        for axis in data.axes
        for action in axis.actions
        for column in action.columns
        for i in column.process_indicators + column.result_indicators
        if i.indicator.pk == indicator.pk
    )
    assert format_period_row(item.rows[0], item.indicator) == "2024 : 5 — Femmes : 3 ; Hommes : 2"
    from docx import Document

    from opencls.monitoring.reports import render_docx

    document = Document(io.BytesIO(render_docx(data)))
    text = "\n".join(c.text for t in document.tables for r in t.rows for c in r.cells)
    assert "Femmes : 3 ; Hommes : 2" in text


def test_api_takes_a_breakdown(client):
    indicator = indicator_of(Measure.CATEGORIES, TYPES)
    contract = indicator.action.contract
    client.force_login(factories.user_with_role(contract, R.COORDINATOR))
    url = reverse("campaigns:api_values", args=[contract.pk])
    body = {"indicator": indicator.pk, "period": "2024", "breakdown": {"Femmes": "4", "Hommes": 1}}
    response = client.post(url, json.dumps(body), content_type="application/json")
    assert response.status_code == 201 and response.json()["breakdown"] == {"Femmes": "4", "Hommes": "1"}
    assert Decimal(response.json()["value"]) == 5
    bad = client.post(url, json.dumps(body | {"breakdown": {"Chats": "1"}}), content_type="application/json")
    assert bad.status_code == 400 and "inconnue" in json.dumps(bad.json(), ensure_ascii=False)
    # A total alone never drops the stored breakdown silently.
    total = {"indicator": indicator.pk, "period": "2024", "value": "9"}
    refused = client.post(url, json.dumps(total), content_type="application/json")
    assert refused.status_code == 400 and "ventilée" in json.dumps(refused.json(), ensure_ascii=False)
    assert IndicatorValue.objects.get().breakdown == {"Femmes": "4", "Hommes": "1"}


def test_the_contract_json_carries_the_measure_kind():
    indicator = indicator_of(Measure.CATEGORIES, TYPES)
    indicator_of(Measure.PERCENTAGE, action=indicator.action)
    contract = indicator.action.contract
    data = contract_to_json(contract)
    exported = [i for axis in data["contract"]["axes"] for a in axis["actions"] for i in a["indicators"]]
    assert {"measure_kind": "categories", "categories": TYPES}.items() <= exported[0].items() or any(
        i.get("categories") == TYPES for i in exported
    )
    copy = contract_from_json(data, user=None)
    assert contract_to_json(copy)["contract"]["axes"] == data["contract"]["axes"]
    assert set(Indicator.objects.filter(action__contract=copy).values_list("measure_kind", flat=True)) == {
        "categories",
        "percentage",
    }
