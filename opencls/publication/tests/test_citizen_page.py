"""The citizen page tells, from the published version only: the QPV each fiche serves, its
participation level and themes, the breakdowns of published indicators, the territory's QPV and
the inhabitants' participation (names of bodies, events; never a member)."""

import json
import re
from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from opencls.actions.models import Indicator, ParticipationLevel
from opencls.monitoring.tests.factories import IndicatorValueFactory
from opencls.participation.models import ParticipationEvent
from opencls.participation.tests.factories import (
    ParticipantFactory,
    ParticipationBodyFactory,
    ParticipationEventFactory,
)
from opencls.publication import services
from opencls.publication.models import PublishedVersion
from opencls.publication.snapshot import build_snapshot, changes
from opencls.region.models import ActionTheme, Theme
from opencls.testing import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def citizen(world):
    """`world` (a public and a private fiche) with QPV, themes, a breakdown and participation."""
    contract, public, private = world["contract"], world["public"], world["private"]
    territory = contract.territory
    factories.MunicipalityFactory(territory=territory, name="Valbourg", population=20000)
    served = factories.PriorityNeighbourhoodFactory(
        territory=territory, name="Les Tilleuls", code="QN05901M", population=3000
    )
    secret = factories.PriorityNeighbourhoodFactory(territory=territory, name="Quartier du Moulin")
    public.neighbourhoods.set([served])
    public.participation_level = ParticipationLevel.CO_CONSTRUCTION
    public.save()
    private.neighbourhoods.set([secret])
    private.save()

    def tag(action, code, state):
        ActionTheme.objects.create(
            contract=contract, action=action, theme=Theme.objects.get(code=code), state=state
        )

    tag(public, "acces-aux-soins", ActionTheme.State.CONFIRMED)
    tag(public, "addictions", ActionTheme.State.SUGGESTED)
    tag(public, "vaccination", ActionTheme.State.REJECTED)
    tag(private, "sante-mentale", ActionTheme.State.CONFIRMED)

    typology = factories.IndicatorFactory(
        action=public,
        label="Personnes reçues par public",
        is_public=True,
        measure_kind=Indicator.Measure.CATEGORIES,
        categories=["Jeunes", "Seniors"],
    )
    IndicatorValueFactory(
        indicator=typology, year=2025, period="2025", value="12", breakdown={"Jeunes": "7", "Seniors": "5"}
    )

    body = ParticipationBodyFactory(
        contract=contract, name="Conseil citoyen des Tilleuls", neighbourhood=served
    )
    ParticipantFactory(body=body, name="Yasmina Secrète", email="yasmina@example.org", phone="0601020304")
    event = ParticipationEventFactory(
        contract=contract,
        kind=ParticipationEvent.Kind.EXPLORATORY_WALK,
        title="Marche exploratoire aux Tilleuls",
        date=date(2025, 5, 14),
        place="Place du marché",
        participant_count=23,
        body=body,
        what_was_said="Mme Yasmina Secrète a dit que l'arrêt de bus était dangereux",
        what_changed="Un arrêt du bus santé ajouté place du marché",
    )
    event.actions.set([public, private])
    return {**world, "typology": typology, "served": served, "body": body, "event": event}


def public_page(client, contract, **params):
    return client.get(reverse("contracts:public_detail", args=[contract.pk]), params)


def fiche_page(client, contract, action):
    return client.get(reverse("publication:action", args=[contract.pk, action.pk]))


def test_snapshot_holds_qpv_themes_participation_and_breakdowns_of_public_things_only(citizen):
    snapshot = services.publish_version(citizen["contract"]).snapshot
    action = snapshot["contract"]["axes"][0]["actions"][0]
    assert action["id"] == citizen["public"].pk
    assert action["neighbourhoods"] == ["Les Tilleuls"] and action["whole_territory"] is False
    assert action["participation_level"] == "co_construction"
    assert action["themes"] == [{"code": "acces-aux-soins", "label": "Accès aux soins"}]
    typology = next(i for i in action["indicators"] if i["label"] == "Personnes reçues par public")
    assert typology["measure_kind"] == "categories" and typology["categories"] == ["Jeunes", "Seniors"]
    assert typology["values"] == [
        {"period": "2025", "value": "12.00", "breakdown": {"Jeunes": "7", "Seniors": "5"}}
    ]
    plain = next(i for i in action["indicators"] if i["label"] == "Nombre de passages du bus")
    assert plain["values"] == [{"period": "2025", "value": "42.00"}]  # the shape older versions have
    participation = snapshot["participation"]
    assert participation["bodies"] == [
        {"name": "Conseil citoyen des Tilleuls", "kind": "participation_lab", "neighbourhood": "Les Tilleuls"}
    ]
    [event] = participation["events"]
    assert event["actions"] == [citizen["public"].pk]  # the private fiche's link does not leak
    assert (event["date"], event["participant_count"], event["place"]) == (
        "2025-05-14",
        23,
        "Place du marché",
    )
    assert event["what_changed"] == "Un arrêt du bus santé ajouté place du marché"
    territory = snapshot["contract"]["territory"]
    assert {
        "name": "Les Tilleuls",
        "code": "QN05901M",
        "population": 3000,
        "population_year": None,
    } in territory["neighbourhoods"]
    text = json.dumps(snapshot, ensure_ascii=False)
    for secret in ("Santé mentale", "Addictions", "Vaccination", "Yasmina", "yasmina@", "0601020304",
                   "arrêt de bus était dangereux", str(citizen["private"].pk) + "]"):  # fmt: skip
        assert secret not in text, secret


def test_building_the_snapshot_costs_a_fixed_number_of_queries(citizen, django_assert_num_queries):
    contract = citizen["contract"]

    def add_fiches(count):
        for index in range(count):
            action = factories.ActionFactory(axis=citizen["axis"], is_public=True, title=f"Fiche {index}")
            action.neighbourhoods.set([citizen["served"]])
            factories.OperationFactory(action=action).neighbourhoods.set([citizen["served"]])
            ActionTheme.objects.create(
                contract=contract,
                action=action,
                theme=Theme.objects.get(code="addictions"),
                state="confirmed",
            )
            ParticipationEventFactory(contract=contract).actions.set([action])

    add_fiches(1)
    with CaptureQueriesContext(connection) as first:
        build_snapshot(contract)
    add_fiches(4)
    with django_assert_num_queries(len(first.captured_queries)):
        build_snapshot(contract)


def test_citizen_page_shows_qpv_themes_participation_and_breakdowns(client, citizen):
    contract = citizen["contract"]
    services.publish_version(contract)
    page = public_page(client, contract).content.decode()
    for text in ("Les quartiers prioritaires", "QN05901M", "Les Tilleuls", "Accès aux soins",
                 "fr-tag", "Participation des habitants", "Conseil citoyen des Tilleuls",
                 "Marche exploratoire aux Tilleuls", "Marche exploratoire", "14 mai 2025", "Place du marché",
                 "23 participant·es", "Un arrêt du bus santé ajouté place du marché",
                 "Jeunes : 7 ; Seniors : 5", "Quartier du Moulin"):  # fmt: skip
        assert escape(text) in page, text
    assert re.search(r"3\s000 \(|3\s000<", page) and "15 % du territoire" in page  # 3 000 of 20 000
    for secret in ("Santé mentale", "Yasmina", "yasmina@", "dangereux", "Addictions", "Fiche confidentielle"):
        assert escape(secret) not in page, secret
    fiche = fiche_page(client, contract, citizen["public"]).content.decode()
    for text in ("Quartiers prioritaires servis", "Les Tilleuls", "(QN05901M)", "Co-construction",
                 "Accès aux soins", "?theme=acces-aux-soins", "Nombre ventilé par catégorie",
                 "Jeunes : 7 ; Seniors : 5", "Ventilation par période", "Marche exploratoire aux Tilleuls"):  # fmt: skip
        assert escape(text) in fiche, text
    assert "Yasmina" not in fiche and "Santé mentale" not in fiche


def test_a_fiche_for_the_whole_territory_says_so(client, citizen):
    contract, public = citizen["contract"], citizen["public"]
    public.neighbourhoods.clear()
    public.whole_territory = True
    public.save()
    services.publish_version(contract)
    page = public_page(client, contract).content.decode()
    assert "Pour tout le territoire, quartiers prioritaires compris" in page
    fiche = fiche_page(client, contract, public).content.decode()
    assert "tout le territoire, quartiers prioritaires compris" in fiche


def test_theme_filter_keeps_the_fiches_of_a_theme(client, citizen):
    contract = citizen["contract"]
    other = factories.ActionFactory(axis=citizen["axis"], title="Ateliers nutrition", is_public=True)
    ActionTheme.objects.create(
        contract=contract, action=other, theme=Theme.objects.get(code="nutrition-activite-physique"),
        state=ActionTheme.State.CONFIRMED,
    )  # fmt: skip
    services.publish_version(contract)
    everything = public_page(client, contract).content.decode()
    assert "Ateliers nutrition" in everything and "Bus santé itinérant" in everything
    assert 'id="theme-select"' in everything and "Nutrition et activité physique (1)" in everything
    filtered = public_page(client, contract, theme="acces-aux-soins").content.decode()
    assert "Bus santé itinérant" in filtered and "Ateliers nutrition" not in filtered
    assert "Voir toutes les fiches" in filtered and "theme-filter-notice" in filtered
    unknown = public_page(client, contract, theme="<script>").content.decode()
    assert "Ateliers nutrition" in unknown and "<script>" not in unknown.split('id="theme-filter"')[1][:2000]


def test_draft_changes_to_themes_qpv_and_events_wait_for_the_next_publication(client, citizen):
    contract, public = citizen["contract"], citizen["public"]
    services.publish_version(contract)
    ActionTheme.objects.filter(action=public).update(state=ActionTheme.State.REJECTED)
    public.neighbourhoods.clear()
    public.participation_level = ParticipationLevel.INFORMATION
    public.save()
    ParticipationEventFactory(contract=contract, title="Atelier du printemps")
    page = public_page(client, contract).content.decode()
    assert 'id="theme-select"' in page and "Atelier du printemps" not in page
    before = PublishedVersion.objects.get().snapshot
    rows = {row.label: (row.before, row.after) for row in changes(before, build_snapshot(contract))}
    name = f"Fiche « {public.code} Bus santé itinérant »".replace("«  ", "« ")
    assert rows[f"{name} — thèmes"] == ("Accès aux soins", "")
    assert rows[f"{name} — quartiers prioritaires servis"] == ("Les Tilleuls", "")
    assert rows[f"{name} — participation des habitants"] == ("Co-construction", "Information")
    assert "Atelier du printemps" in rows["Temps de participation des habitants"][1]
    services.publish_version(contract)
    page = public_page(client, contract).content.decode()
    assert "Atelier du printemps" in page and 'id="theme-select"' not in page


def test_a_version_published_before_these_keys_still_renders(client, citizen):
    contract, public = citizen["contract"], citizen["public"]
    version = services.publish_version(contract)
    old = version.snapshot
    old.pop("participation")
    for axis in old["contract"]["axes"]:
        for action in axis["actions"]:
            for key in ("themes", "participation_level", "neighbourhoods", "whole_territory"):
                action.pop(key, None)
            for indicator in action["indicators"]:
                indicator.pop("measure_kind")
                indicator.pop("categories")
                for value in indicator["values"]:
                    value.pop("breakdown", None)
    old["contract"]["territory"].pop("neighbourhoods")
    PublishedVersion.objects.filter(pk=version.pk).update(snapshot=old)
    page = public_page(client, contract)
    assert page.status_code == 200
    text = page.content.decode()
    assert "Bus santé itinérant" in text and "Participation des habitants" not in text
    assert 'id="theme-select"' not in text and 'id="qpv-table"' not in text
    fiche = fiche_page(client, contract, public)
    assert fiche.status_code == 200 and "12" in fiche.content.decode()
    assert client.get(reverse("opendata:contract-detail", args=[contract.pk])).status_code == 200
    assert changes(old, build_snapshot(contract))  # the diff reads the older shape too
    assert public_page(client, contract, theme="acces-aux-soins").status_code == 200


def test_public_fiche_page_query_count_is_pinned(client, citizen, django_assert_num_queries):
    contract = citizen["contract"]
    services.publish_version(contract)
    with django_assert_num_queries(3):  # contract, version, approved suggestions
        assert fiche_page(client, contract, citizen["public"]).status_code == 200
    with django_assert_num_queries(3):  # contract, version, approved suggestions
        assert public_page(client, contract, theme="acces-aux-soins").status_code == 200
