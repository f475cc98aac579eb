"""Publishing a version: the public page shows only it, never the draft; what is public is chosen."""

import json
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from opencls.actions.models import Action
from opencls.contracts.models import ContractRole
from opencls.governance.tests.factories import GovernanceBodyFactory, MeetingFactory
from opencls.monitoring.models import Evaluation, EvaluationReport
from opencls.publication import services
from opencls.publication.models import PublishedVersion
from opencls.publication.selectors import latest_published_version
from opencls.testing import factories

pytestmark = pytest.mark.django_db


def publish(client, contract, **data):
    return client.post(reverse("contracts:publish", args=[contract.pk]), {"op": "publish", **data})


def public_page(client, contract):
    return client.get(reverse("contracts:public_detail", args=[contract.pk]))


def test_a_new_fiche_is_not_public_by_default(client, world):
    assert Action().is_public is False
    client.force_login(world["coordinator"])
    response = client.post(
        reverse("actions:create", args=[world["contract"].pk]),
        {"title": "Nouvelle fiche", "axis": world["axis"].pk},
    )
    assert response.status_code == 302
    assert Action.objects.get(title="Nouvelle fiche").is_public is False


def test_publishing_asks_with_before_after_then_creates_version_1(client, world):
    contract = world["contract"]
    client.force_login(world["coordinator"])
    response = publish(client, contract)
    page = response.content.decode()
    assert response.status_code == 200 and "Publier une nouvelle version" in page
    assert "Bus santé itinérant" in page and "Nombre de passages du bus" in page
    assert "Fiche confidentielle" not in page
    assert not PublishedVersion.objects.exists()
    contract.refresh_from_db()
    assert not contract.is_published
    response = publish(client, contract, confirmed="1")
    assert response.status_code == 302
    version = PublishedVersion.objects.get()
    assert (version.number, version.published_by) == (1, world["coordinator"])
    contract.refresh_from_db()
    assert contract.is_published and latest_published_version(contract) == version


def test_the_snapshot_holds_only_what_is_public(world):
    version = services.publish_version(world["contract"], user=world["coordinator"])
    text = json.dumps(version.snapshot, ensure_ascii=False)
    assert "Bus santé itinérant" in text and "Nombre de passages du bus" in text and '"42.00"' in text
    assert "Fiche confidentielle" not in text and "Indicateur interne" not in text
    assert "98765" not in text and "funding_lines" not in text and "extensions" not in text
    action = version.snapshot["contract"]["axes"][0]["actions"][0]
    assert action["id"] == world["public"].pk and action["leads"] == ["CCAS"]
    assert action["status"] == "not_started"


def test_draft_edits_never_reach_the_public_page_until_republished(client, world):
    contract, public = world["contract"], world["public"]
    services.publish_version(contract, user=world["coordinator"])
    client.force_login(world["coordinator"])
    response = client.post(
        reverse("actions:edit", args=[contract.pk, public.pk]),
        {"title": "Bus santé itinérant et téléconsultation", "axis": world["axis"].pk, "is_public": "on"},
    )
    assert response.status_code == 302
    public.refresh_from_db()
    assert public.title == "Bus santé itinérant et téléconsultation"
    client.logout()
    fiche_url = reverse("publication:action", args=[contract.pk, public.pk])
    for url in (reverse("contracts:public_detail", args=[contract.pk]), fiche_url):
        page = client.get(url).content.decode()
        assert "Bus santé itinérant" in page and "téléconsultation" not in page
        assert "version n° 1" in page
    client.force_login(world["coordinator"])
    confirm = publish(client, contract).content.decode()
    assert "Bus santé itinérant et téléconsultation" in confirm  # before → after of the title
    publish(client, contract, confirmed="1")
    client.logout()
    page = client.get(fiche_url).content.decode()
    assert "Bus santé itinérant et téléconsultation" in page and "version n° 2" in page


def test_publishing_nothing_new_creates_no_version(client, world):
    services.publish_version(world["contract"], user=world["coordinator"])
    client.force_login(world["coordinator"])
    response = publish(client, world["contract"], confirmed="1")
    assert response.status_code == 302
    assert PublishedVersion.objects.count() == 1


def test_marking_a_fiche_public_shows_after_the_next_publication_only(client, world):
    contract, private = world["contract"], world["private"]
    services.publish_version(contract, user=world["coordinator"])
    client.force_login(world["coordinator"])
    url = reverse("publication:visibility", args=[contract.pk])
    assert "Fiche confidentielle" in client.get(url).content.decode()
    client.post(url, {"actions": [world["public"].pk, private.pk], "indicators": [world["shown"].pk]})
    private.refresh_from_db()
    assert private.is_public
    fiche = reverse("publication:action", args=[contract.pk, private.pk])
    client.logout()
    assert client.get(fiche).status_code == 404
    client.force_login(world["coordinator"])
    publish(client, contract, confirmed="1")
    client.logout()
    assert client.get(fiche).status_code == 200


def test_visibility_ignores_ids_of_another_contract(client, world):
    stranger = factories.ActionFactory(title="Fiche d'un autre contrat")
    client.force_login(world["coordinator"])
    client.post(reverse("publication:visibility", args=[world["contract"].pk]), {"actions": [stranger.pk]})
    stranger.refresh_from_db()
    assert not stranger.is_public


def test_unpublishing_asks_then_hides_everything_from_the_public(client, world):
    contract = world["contract"]
    services.publish_version(contract, user=world["coordinator"])
    assert public_page(client, contract).status_code == 200
    client.force_login(world["coordinator"])
    url = reverse("contracts:publish", args=[contract.pk])
    confirm = client.post(url, {"op": "unpublish"})
    assert "Retirer la page publique" in confirm.content.decode()
    contract.refresh_from_db()
    assert contract.is_published
    client.post(url, {"op": "unpublish", "confirmed": "1"})
    contract.refresh_from_db()
    assert not contract.is_published and latest_published_version(contract) is None
    # The coordination still previews the last version, marked as such.
    assert "Aperçu réservé" in public_page(client, contract).content.decode()
    client.logout()
    assert public_page(client, contract).status_code == 404
    assert (
        client.get(reverse("publication:action", args=[contract.pk, world["public"].pk])).status_code == 404
    )
    assert client.get(reverse("publication:contract_json", args=[contract.pk])).status_code == 404
    assert contract.title not in client.get(reverse("contracts:public_list")).content.decode()


def test_anonymous_gets_404_on_drafts_private_fiches_and_other_contracts_fiches(client, world):
    contract = world["contract"]
    assert public_page(client, contract).status_code == 404  # never published
    contract.is_published = True  # published without any version: nothing to show either
    contract.save()
    assert public_page(client, contract).status_code == 404
    services.publish_version(contract, user=world["coordinator"])
    assert (
        client.get(reverse("publication:action", args=[contract.pk, world["private"].pk])).status_code == 404
    )
    other = factories.ActionFactory(is_public=True)
    services.publish_version(other.contract)
    assert client.get(reverse("publication:action", args=[contract.pk, other.pk])).status_code == 404
    assert client.get(reverse("publication:action", args=[other.contract.pk, other.pk])).status_code == 200


def test_a_member_cannot_publish_nor_choose_what_is_public(client, world):
    member = factories.user_with_role(world["contract"], ContractRole.Role.MEMBER)
    client.force_login(member)
    assert publish(client, world["contract"], confirmed="1").status_code == 403
    url = reverse("publication:visibility", args=[world["contract"].pk])
    assert client.post(url, {"actions": [world["private"].pk]}).status_code == 403
    assert not PublishedVersion.objects.exists()


def test_public_page_shows_plan_progress_indicators_meetings_and_documents(client, world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    contract = world["contract"]
    factories.DiagnosisIndicatorFactory(contract=contract, label="Taux de passage aux urgences")
    body = GovernanceBodyFactory(contract=contract, name="Comité de pilotage")
    MeetingFactory(body=body, title="Réunion publique d'automne", is_public=True,
                   starts_at=timezone.now() + timedelta(days=10))  # fmt: skip
    MeetingFactory(body=body, title="Réunion interne", starts_at=timezone.now() + timedelta(days=11))
    evaluation = Evaluation.objects.create(contract=contract, year=2025)
    report = EvaluationReport.objects.create(
        contract=contract, evaluation=evaluation, year=2025, format="pdf",
        file=SimpleUploadedFile("r.pdf", b"%PDF-1.4 rapport"), size=16, duration_ms=1,
    )  # fmt: skip
    services.publish_version(contract, user=world["coordinator"], evaluation_report=report)
    page = public_page(client, contract).content.decode()
    for text in ("Bus santé itinérant", "CCAS", "Non démarrée", "Taux de passage aux urgences",
                 "Réunion publique d'automne", "Nombre de passages du bus", "Rapport d'évaluation 2025",
                 "opencls-chart", "Mentions légales", "Données personnelles", "Accessibilité"):  # fmt: skip
        assert escape(text) in page, text
    assert "Réunion interne" not in page and "Fiche confidentielle" not in page
    fiche = client.get(reverse("publication:action", args=[contract.pk, world["public"].pk])).content.decode()
    assert "Nombre de passages du bus" in fiche and "Indicateur interne" not in fiche and "<svg" in fiche
    download = client.get(reverse("publication:evaluation_report", args=[contract.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content).startswith(b"%PDF")
    data = json.loads(client.get(reverse("publication:contract_json", args=[contract.pk])).content)
    assert data["version"] == 1 and data["contract"]["title"] == "CLS de la Vallée"


def test_no_report_is_downloadable_unless_published_with_the_version(client, world):
    services.publish_version(world["contract"], user=world["coordinator"])
    assert (
        client.get(reverse("publication:evaluation_report", args=[world["contract"].pk])).status_code == 404
    )


def test_history_page_shows_publications(client, world):
    services.publish_version(world["contract"], user=world["coordinator"])
    client.force_login(world["coordinator"])
    page = client.get(reverse("core:contract_history", args=[world["contract"].pk])).content.decode()
    assert "Version publiée n° 1" in page


def test_public_list_is_paginated_with_a_pinned_query_count(client, django_assert_num_queries):
    for index in range(23):
        contract = factories.ContractFactory(title=f"Contrat {index:02d}")
        services.publish_version(contract)
    factories.ContractFactory(title="Contrat brouillon")
    url = reverse("contracts:public_list")
    with django_assert_num_queries(2):  # count, page
        first = client.get(url).content.decode()
    assert "Contrat 00" in first and "Contrat 19" in first and "Contrat 20" not in first
    assert "Version n° 1 publiée le" in first
    with django_assert_num_queries(2):
        second = client.get(url, {"page": 2}).content.decode()
    assert "Contrat 22" in second and "Contrat 00" not in second and "brouillon" not in second


def test_public_page_query_count_is_pinned(client, world, django_assert_num_queries):
    contract = world["contract"]
    for _ in range(5):
        action = factories.ActionFactory(axis=world["axis"], is_public=True)
        factories.IndicatorFactory(action=action, is_public=True)
    services.publish_version(contract)
    with django_assert_num_queries(3):  # contract, version, approved suggestions
        assert public_page(client, contract).status_code == 200
