"""Open data: published contracts only, public content only, filters, bulk files, tokens."""

import csv
import io
import json

import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token

from opencls.contracts.models import Contract, ContractRole
from opencls.monitoring.models import IndicatorValue
from opencls.publication.services import publish_version
from opencls.testing import factories

pytestmark = pytest.mark.django_db


def published(title, region="32", department="59", **kwargs):
    """A contract with a public and a private fiche, then its first published version."""
    contract = factories.ContractFactory(
        title=title,
        territory=factories.TerritoryFactory(region_code=region, department_code=department),
        **kwargs,
    )
    axis = factories.AxisFactory(contract=contract, title="Accès aux soins")
    lead = factories.OrganisationFactory(name='=HYPERLINK("http://x")')
    action = factories.ActionFactory(
        axis=axis, code="FA 1", title="Médiation en santé", leads=[lead], is_public=True
    )
    factories.ActionFactory(axis=axis, code="FA 2", title="Fiche interne", is_public=False)
    indicator = factories.IndicatorFactory(action=action, label="Personnes accompagnées", is_public=True)
    IndicatorValue.objects.create(contract=contract, indicator=indicator, year=2025, period="2025", value=42)
    factories.IndicatorFactory(action=action, label="Indicateur interne")
    publish_version(contract)
    contract.refresh_from_db()
    return contract


@pytest.fixture
def contracts():
    draft = factories.ContractFactory(
        title="Brouillon", territory=factories.TerritoryFactory(region_code="32")
    )
    return {
        "nord": published("CLS du Nord"),
        "bretagne": published(
            "CLS de Bretagne", region="53", department="29", status=Contract.Status.IN_FORCE
        ),
        "draft": draft,
    }


def test_anonymous_reads_published_contracts_only(client, contracts):
    response = client.get(reverse("opendata:contract-list"))
    assert response.status_code == 200
    titles = {row["intitule"] for row in response.json()["results"]}
    assert titles == {"CLS du Nord", "CLS de Bretagne"}
    assert client.get(reverse("opendata:contract-detail", args=[contracts["draft"].pk])).status_code == 404


def test_filters_and_their_french_errors(client, contracts):
    url = reverse("opendata:contract-list")
    assert [r["intitule"] for r in client.get(url, {"region": "53"}).json()["results"]] == ["CLS de Bretagne"]
    assert [r["intitule"] for r in client.get(url, {"departement": "59"}).json()["results"]] == [
        "CLS du Nord"
    ]
    assert [r["intitule"] for r in client.get(url, {"statut": "in_force"}).json()["results"]] == [
        "CLS de Bretagne"
    ]
    error = client.get(url, {"region": "Bretagne"})
    assert error.status_code == 400 and "Code de région INSEE attendu" in error.json()["region"]


def test_detail_shows_public_fiches_with_status_never_the_others(client, contracts):
    data = client.get(reverse("opendata:contract-detail", args=[contracts["nord"].pk])).json()
    assert [a["intitule"] for a in data["fiches_actions"]] == ["Médiation en santé"]
    assert data["fiches_actions"][0]["statut"] == "Non démarrée"
    assert data["territoire"]["code_region"] == "32" and data["version"] == 1
    [indicator] = data["fiches_actions"][0]["indicateurs"]  # the other one's values are not public
    assert indicator["libelle"] == "Personnes accompagnées"
    assert indicator["valeurs"] == [{"periode": "2025", "valeur": "42.00", "ventilation": {}}]


def test_draft_edits_show_only_after_the_next_publication(client, contracts):
    contract = contracts["nord"]
    contract.title = "Titre du brouillon"
    contract.save()
    url = reverse("opendata:contract-detail", args=[contract.pk])
    assert client.get(url).json()["intitule"] == "CLS du Nord"
    listed = {r["id"]: r["intitule"] for r in client.get(reverse("opendata:contract-list")).json()["results"]}
    assert listed[contract.pk] == "CLS du Nord"
    publish_version(contract)
    assert client.get(url).json()["intitule"] == "Titre du brouillon"


def test_a_withdrawn_or_never_published_contract_is_not_open_data(client, contracts):
    contract = contracts["nord"]
    contract.is_published = False
    contract.save()
    assert client.get(reverse("opendata:contract-detail", args=[contract.pk])).status_code == 404
    published_without_version = factories.ContractFactory(is_published=True)
    ids = {r["id"] for r in client.get(reverse("opendata:contract-list")).json()["results"]}
    assert contract.pk not in ids and published_without_version.pk not in ids


def test_list_is_paginated_with_a_constant_query_count(client, django_assert_max_num_queries):
    for index in range(3):
        published(f"CLS {index}")
    url = reverse("opendata:contract-list")
    with django_assert_max_num_queries(3) as few:
        page = client.get(url, {"taille": 2}).json()
    assert page["count"] == 3 and len(page["results"]) == 2 and page["next"]
    for index in range(20):
        published(f"CLS {index + 3}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url, {"taille": 2})


def test_region_csv_is_streamed_without_drafts_nor_formulas(client, contracts):
    response = client.get(reverse("opendata:region-csv", args=["32"]))
    assert response.streaming and response["Content-Disposition"].endswith('contrats-publies-region-32.csv"')
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    assert [(r["intitule"], r["fiche_action"]) for r in rows] == [("CLS du Nord", "Médiation en santé")]
    assert rows[0]["porteurs"].startswith("'=")  # a formula typed in a name stays text


def test_region_json_and_oscars(client, contracts):
    data = json.loads(b"".join(client.get(reverse("opendata:region-json", args=["53"])).streaming_content))
    assert [c["intitule"] for c in data] == ["CLS de Bretagne"]
    assert data[0]["fiches_actions"][0]["fiche_action"] == "Médiation en santé"
    oscars = b"".join(client.get(reverse("opendata:region-oscars", args=["53"])).streaming_content).decode(
        "utf-8-sig"
    )
    rows = list(csv.DictReader(io.StringIO(oscars), delimiter=";"))
    assert rows[0]["Titre de l'action"] == "Médiation en santé" and rows[0]["Dispositif"].startswith(
        "Contrat local"
    )
    assert client.get(reverse("opendata:region-csv", args=["xx"])).status_code == 404


def test_schema_documents_the_open_data(client):
    schema = client.get(reverse("api:schema")).content.decode()
    assert "/api/v1/donnees-ouvertes/contrats/" in schema and "Données ouvertes" in schema


def test_token_reads_own_contracts_and_writes_nothing(client, contracts):
    user = factories.user_with_role(contracts["draft"], ContractRole.Role.COORDINATOR)
    client.force_login(user)
    page = client.post(reverse("opendata:token"), {"action": "create"}).content.decode()
    key = Token.objects.get(user=user).key
    assert key in page
    client.logout()
    api = reverse("api:contract-detail", args=[contracts["draft"].pk])
    assert client.get(api, HTTP_AUTHORIZATION=f"Token {key}").json()["title"] == "Brouillon"
    other = reverse("api:contract-detail", args=[contracts["nord"].pk])
    assert client.get(other, HTTP_AUTHORIZATION=f"Token {key}").status_code in (403, 404)
    patch = client.patch(
        api, {"title": "Piraté"}, content_type="application/json", HTTP_AUTHORIZATION=f"Token {key}"
    )
    assert patch.status_code in (401, 403)
    assert Contract.objects.get(pk=contracts["draft"].pk).title == "Brouillon"
    assert client.get(api, HTTP_AUTHORIZATION="Token faux").status_code in (401, 403)
    # Revoked: the tool loses access.
    client.force_login(user)
    client.post(reverse("opendata:token"), {"action": "revoke"})
    client.logout()
    assert client.get(api, HTTP_AUTHORIZATION=f"Token {key}").status_code in (401, 403)


def test_fiches_expose_themes_qpv_participation_and_breakdowns(client):
    """The snapshot's new keys reach the API, the région files and the OSCARS « Thèmes » column;
    what is private (a private fiche's theme, a theme not confirmed) never does."""
    from opencls.actions.models import Indicator
    from opencls.region.models import ActionTheme, Theme

    contract = factories.ContractFactory(
        title="CLS des Tilleuls", territory=factories.TerritoryFactory(region_code="84")
    )
    qpv = factories.PriorityNeighbourhoodFactory(
        territory=contract.territory, name="Les Tilleuls", code="QN05901M", population=3000
    )
    axis = factories.AxisFactory(contract=contract, title="Accès aux soins")
    action = factories.ActionFactory(
        axis=axis, title="Bus santé", is_public=True, participation_level="concertation"
    )
    action.neighbourhoods.set([qpv])
    factories.ActionFactory(axis=axis, title="Forum santé", is_public=True, whole_territory=True)
    private = factories.ActionFactory(axis=axis, title="Fiche interne", is_public=False)
    for fiche, code, state in ((action, "acces-aux-soins", "confirmed"), (action, "addictions", "suggested"),
                               (private, "sante-mentale", "confirmed")):  # fmt: skip
        ActionTheme.objects.create(
            contract=contract, action=fiche, theme=Theme.objects.get(code=code), state=state
        )
    indicator = factories.IndicatorFactory(
        action=action,
        label="Personnes par QPV",
        is_public=True,
        measure_kind=Indicator.Measure.NEIGHBOURHOODS,
    )
    IndicatorValue.objects.create(
        contract=contract,
        indicator=indicator,
        year=2025,
        period="2025",
        value=9,
        breakdown={"Les Tilleuls": "9"},
    )
    publish_version(contract)

    data = client.get(reverse("opendata:contract-detail", args=[contract.pk])).json()
    fiches = {f["intitule"]: f for f in data["fiches_actions"]}
    assert set(fiches) == {"Bus santé", "Forum santé"}
    bus = fiches["Bus santé"]
    assert bus["thematiques"] == [{"code": "acces-aux-soins", "libelle": "Accès aux soins"}]
    assert bus["qpv"] == [{"nom": "Les Tilleuls", "code": "QN05901M"}] and bus["tout_le_territoire"] is False
    assert bus["niveau_participation"] == "Concertation"
    [shown] = bus["indicateurs"]
    assert shown["mesure"] == "neighbourhoods"
    assert shown["valeurs"] == [{"periode": "2025", "valeur": "9.00", "ventilation": {"Les Tilleuls": "9"}}]
    forum = fiches["Forum santé"]
    assert (forum["qpv"], forum["tout_le_territoire"], forum["niveau_participation"]) == ([], True, None)
    assert data["quartiers_prioritaires"][0]["code"] == "QN05901M"
    assert "Santé mentale" not in json.dumps(data, ensure_ascii=False)
    assert "Addictions" not in json.dumps(data, ensure_ascii=False)

    oscars = b"".join(client.get(reverse("opendata:region-oscars", args=["84"])).streaming_content)
    rows = {
        r["Titre de l'action"]: r
        for r in csv.DictReader(io.StringIO(oscars.decode("utf-8-sig")), delimiter=";")
    }
    assert rows["Bus santé"]["Thèmes"] == "Accès aux soins" and rows["Forum santé"]["Thèmes"] == ""
    region = b"".join(client.get(reverse("opendata:region-csv", args=["84"])).streaming_content)
    lines = {
        r["fiche_action"]: r for r in csv.DictReader(io.StringIO(region.decode("utf-8-sig")), delimiter=";")
    }
    assert lines["Bus santé"]["qpv"] == "Les Tilleuls (QN05901M)"
    assert lines["Forum santé"]["qpv"] == "Tout le territoire"
    assert lines["Bus santé"]["thematiques"] == "Accès aux soins"
    assert lines["Bus santé"]["niveau_participation"] == "Concertation"


def test_a_version_published_before_themes_and_qpv_reads_as_empty(client, contracts):
    from opencls.publication.models import PublishedVersion

    version = PublishedVersion.objects.get(contract=contracts["nord"])
    snapshot = version.snapshot
    for axis in snapshot["contract"]["axes"]:
        for action in axis["actions"]:
            for key in ("themes", "neighbourhoods", "whole_territory", "participation_level"):
                action.pop(key, None)
    snapshot["contract"]["territory"].pop("neighbourhoods", None)
    snapshot.pop("participation", None)
    PublishedVersion.objects.filter(pk=version.pk).update(snapshot=snapshot)
    data = client.get(reverse("opendata:contract-detail", args=[contracts["nord"].pk])).json()
    [fiche] = data["fiches_actions"]
    assert (fiche["thematiques"], fiche["qpv"], fiche["niveau_participation"]) == ([], [], None)
    assert data["quartiers_prioritaires"] == [] and data["temps_participation"] == []
    oscars = client.get(reverse("opendata:region-oscars", args=["32"]))
    assert b"".join(oscars.streaming_content)
