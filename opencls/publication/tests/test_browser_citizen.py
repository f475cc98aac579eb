"""An inhabitant reads the citizen page on a phone: quartiers, themes, participation, breakdowns."""

from datetime import date
from importlib import import_module

import pytest
from playwright.sync_api import expect

from opencls.actions.models import Indicator, ParticipationLevel
from opencls.monitoring.tests.factories import IndicatorValueFactory
from opencls.participation.models import ParticipationEvent
from opencls.participation.tests.factories import ParticipationBodyFactory, ParticipationEventFactory
from opencls.publication import services
from opencls.publication.tests.test_browser_suggestion import PHONE, no_horizontal_scroll
from opencls.region.models import ActionTheme, Theme
from opencls.testing import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
# The themes' labels as the region app's data migration seeds them.
VOCABULARY = {
    code: label
    for code, label, _keywords in import_module("opencls.region.migrations.0002_seed_themes").THEMES
}


def test_inhabitant_reads_quartiers_themes_participation_on_a_phone(browser, live_server):
    contract = factories.ContractFactory(title="CLS de la Vallée")
    territory = contract.territory
    factories.MunicipalityFactory(territory=territory, name="Valbourg", population=20000)
    qpv = factories.PriorityNeighbourhoodFactory(
        territory=territory,
        name="Quartier des Tilleuls et du Grand Ensemble Nord",
        code="QN05901M",
        population=3000,
    )
    axis = factories.AxisFactory(contract=contract, title="Accès aux soins")
    bus = factories.ActionFactory(
        axis=axis,
        title="Bus santé itinérant",
        is_public=True,
        participation_level=ParticipationLevel.CO_DECISION,
    )
    bus.neighbourhoods.set([qpv])
    food = factories.ActionFactory(
        axis=axis, title="Ateliers nutrition", is_public=True, whole_territory=True
    )
    for action, code in ((bus, "acces-aux-soins"), (food, "nutrition-activite-physique")):
        ActionTheme.objects.create(
            contract=contract,
            action=action,
            # A browser test may run after another one's flush: the migration's vocabulary may be gone.
            theme=Theme.objects.get_or_create(code=code, defaults={"label": VOCABULARY[code]})[0],
            state=ActionTheme.State.CONFIRMED,
        )
    satisfaction = factories.IndicatorFactory(
        action=bus,
        label="Satisfaction des usagers du bus",
        is_public=True,
        measure_kind=Indicator.Measure.SATISFACTION,
        categories=[
            "Pas du tout satisfait",
            "Peu satisfait",
            "Moyennement satisfait",
            "Satisfait",
            "Très satisfait",
        ],
    )
    IndicatorValueFactory(
        indicator=satisfaction, year=2025, period="2025", value="75",
        breakdown={"Pas du tout satisfait": "1", "Peu satisfait": "1", "Moyennement satisfait": "3",
                   "Satisfait": "9", "Très satisfait": "6"},
    )  # fmt: skip
    body = ParticipationBodyFactory(contract=contract, name="Conseil citoyen des Tilleuls")
    event = ParticipationEventFactory(
        contract=contract, kind=ParticipationEvent.Kind.EXPLORATORY_WALK, title="Marche exploratoire",
        date=date(2025, 5, 14), place="Place du marché", participant_count=23, body=body,
        what_changed="Un arrêt du bus santé ajouté place du marché, le samedi matin, à la demande des habitantes",
    )  # fmt: skip
    event.actions.set([bus])
    services.publish_version(contract)
    errors = []

    phone = browser.new_context(base_url=live_server.url, locale="fr-FR", viewport=PHONE)
    page = phone.new_page()
    page.set_default_timeout(45000)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"/contrats/publies/{contract.pk}/")
    expect(page.locator("#qpv-table")).to_contain_text("QN05901M")
    expect(page.locator("#qpv-table")).to_contain_text("Bus santé itinérant")
    expect(page.locator("#participation-bodies")).to_contain_text("Conseil citoyen des Tilleuls")
    expect(page.locator("#participation-events")).to_contain_text("23 participant·es")
    expect(page.locator(".fr-tag", has_text="Accès aux soins")).to_be_visible()
    assert no_horizontal_scroll(page)
    page.get_by_label("Voir les fiches d'un thème").select_option("nutrition-activite-physique")
    page.get_by_role("button", name="Filtrer").click()
    expect(page.locator("#theme-filter-notice")).to_contain_text("Nutrition et activité physique")
    expect(page.locator(".opencls-fiches").get_by_role("link", name="Ateliers nutrition")).to_be_visible()
    expect(page.locator(".opencls-fiches").get_by_role("link", name="Bus santé itinérant")).to_have_count(0)
    assert no_horizontal_scroll(page)
    page.get_by_role("link", name="Voir toutes les fiches").click()
    page.locator("#plan ~ ul").get_by_role("link", name="Bus santé itinérant").first.click()
    expect(page.locator("#action-qpv")).to_contain_text("QN05901M")
    expect(page.locator("#action-participation")).to_have_text("Co-décision")
    expect(page.locator("#action-themes")).to_contain_text("Accès aux soins")
    expect(page.get_by_text("Réponses par niveau").first).to_be_attached()
    expect(
        page.get_by_role("cell", name="75 % de satisfaits (moyenne 3,9 / 5 ; 20 réponses)")
    ).to_be_visible()
    assert no_horizontal_scroll(page)
    assert errors == []
    phone.close()
