"""The Historique page shows everything a contract owns: follow-up, evidence, territory, communes,
QPV, the organisations it uses; filtered by kind, author and dates; never another contract's."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse

from opencls.contracts.models import ContractRole
from opencls.core.tests.test_history import history_rows, history_url
from opencls.monitoring import services
from opencls.monitoring.models import Evaluation, Evidence
from opencls.monitoring.tests.factories import (
    DeliverableFollowUpFactory,
    IndicatorTargetFactory,
    IndicatorValueFactory,
)
from opencls.testing.factories import (
    ActionFactory,
    AxisFactory,
    ContractFactory,
    DeliverableFactory,
    IndicatorFactory,
    MunicipalityFactory,
    OrganisationFactory,
    PriorityNeighbourhoodFactory,
    SignatoryFactory,
    user_with_role,
)

pytestmark = pytest.mark.django_db
COORDINATOR, MEMBER = ContractRole.Role.COORDINATOR, ContractRole.Role.MEMBER
PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


def rows_by_element(client, contract, **params):
    return {(row[2], row[3]): row[4] for row in history_rows(client.get(history_url(contract), params))}


def test_follow_up_values_targets_evaluation_and_territory_show_before_and_after(client):
    contract = ContractFactory(territory__name="CA de Lens-Liévin")
    action = ActionFactory(axis=AxisFactory(contract=contract), code="FA 1")
    indicator = IndicatorFactory(action=action, label="Nombre de sessions")
    value = IndicatorValueFactory(indicator=indicator, value="3")
    value.value = "5"
    value.save()
    target = IndicatorTargetFactory(indicator=indicator, year=2027, period="2027-S1", value="2")
    target.delete()
    follow_up = DeliverableFollowUpFactory(deliverable=DeliverableFactory(action=action, text="Guide"))
    follow_up.comment = "Imprimé à 500 exemplaires"
    follow_up.save()
    evaluation = Evaluation.objects.create(contract=contract, year=2026, synthesis="Première année.")
    evaluation.synthesis = "Première année, bilan positif."
    evaluation.save()
    territory = contract.territory
    territory.stated_population = 240000
    territory.save()
    qpv = PriorityNeighbourhoodFactory(territory=territory, name="Cité 9")
    town = MunicipalityFactory(territory=territory, name="Liévin")
    town.population = 31000
    town.save()
    town.neighbourhoods.add(qpv)

    client.force_login(user_with_role(contract, MEMBER))
    rows = rows_by_element(client, contract)
    assert rows["Valeur d'indicateur Nombre de sessions — 2026", "Modification"] == "Valeur : 3,00 → 5,00"
    assert ("Cible d'indicateur Nombre de sessions — 1er semestre 2027", "Suppression") in rows
    assert rows["Suivi de livrable Guide", "Modification"] == "Commentaire : — → Imprimé à 500 exemplaires"
    assert rows["Évaluation annuelle 2026", "Modification"] == (
        "Synthèse : Première année. → Première année, bilan positif."
    )
    assert rows["Territoire CA de Lens-Liévin", "Modification"] == "Population annoncée : — → 240000"
    assert ("Quartier prioritaire (QPV) Cité 9", "Création") in rows
    liévin = [
        row[4]
        for row in history_rows(client.get(history_url(contract)))
        if row[2:4] == ["Commune Liévin", "Modification"]
    ]
    assert liévin == ["Quartiers prioritaires (QPV) : — → Cité 9", "Population : 1000 → 31000"]


def test_an_edit_of_a_shared_organisation_shows_on_every_contract_that_uses_it(client):
    shared = OrganisationFactory(name="CPAM de l'Artois")
    first, second, stranger = ContractFactory(), ContractFactory(), ContractFactory()
    ActionFactory(axis=AxisFactory(contract=first), leads=[shared])
    SignatoryFactory(contract=second, organisation=shared)
    unrelated = OrganisationFactory(name="Association sans lien")
    shared.siret = "12345678901234"
    shared.save()
    unrelated.region = "Bretagne"
    unrelated.save()

    for contract in (first, second):
        client.force_login(user_with_role(contract, MEMBER))
        rows = rows_by_element(client, contract)
        assert rows["Organisation CPAM de l'Artois", "Modification"] == "SIRET : — → 12345678901234"
        assert not any("Association sans lien" in element for element, _op in rows)
    client.force_login(user_with_role(stranger, MEMBER))
    assert not any("CPAM" in element for element, _op in rows_by_element(client, stranger))


def test_evidence_upload_and_deletion_are_in_the_history_and_the_file_is_kept_until_the_purge(client):
    contract = ContractFactory()
    deliverable = DeliverableFactory(action=ActionFactory(axis=AxisFactory(contract=contract)), text="Guide")
    coordinator = user_with_role(contract, COORDINATOR, first_name="Inès", last_name="Coordinatrice")
    client.force_login(coordinator)
    page = reverse("monitoring:deliverable", args=[contract.pk, deliverable.pk])
    response = client.post(
        page, {"form": "evidence", "evidence-file": SimpleUploadedFile("feuille.pdf", PDF)}
    )
    assert response.status_code == 302
    evidence = Evidence.objects.get()
    storage, name = evidence.file.storage, evidence.file.name
    # The deletion asks first (before → after), then deletes on confirmation.
    response = client.post(reverse("monitoring:evidence_delete", args=[contract.pk, evidence.pk]))
    assert response.status_code == 200 and Evidence.objects.exists()
    response = client.post(
        reverse("monitoring:evidence_delete", args=[contract.pk, evidence.pk]), {"confirmed": "1"}
    )
    assert response.status_code == 302
    assert not Evidence.objects.exists() and storage.exists(name)

    rows = history_rows(client.get(history_url(contract), {"kind": "evidence"}))
    assert [row[1:4] for row in rows] == [
        ["Inès Coordinatrice", "Pièce justificative feuille.pdf — Guide", "Suppression"],
        ["Inès Coordinatrice", "Pièce justificative feuille.pdf — Guide", "Création"],
    ]

    # The purge lists first, removes only when asked, and only files deleted long enough ago.
    call_command("purge_deleted_files", "--older-than", "30", "--apply")
    assert storage.exists(name)
    Evidence.history.filter(history_type="-").update(
        history_date=datetime.datetime(2020, 1, 1, tzinfo=datetime.UTC)
    )
    Evidence.history.filter(history_type="+").update(
        history_date=datetime.datetime(2019, 1, 1, tzinfo=datetime.UTC)
    )
    kept = services.evidence_add(
        user=coordinator, deliverable=deliverable, uploaded_file=SimpleUploadedFile("garde.pdf", PDF)
    )
    from io import StringIO

    out = StringIO()
    call_command("purge_deleted_files", "--older-than", "30", stdout=out)
    assert f"à supprimer : {name}" in out.getvalue() and storage.exists(name)
    assert kept.file.name not in out.getvalue()
    call_command("purge_deleted_files", "--older-than", "30", "--apply", stdout=StringIO())
    assert not storage.exists(name) and storage.exists(kept.file.name)


def test_history_filters_by_kind_author_and_dates(client):
    contract = ContractFactory()
    action = ActionFactory(axis=AxisFactory(contract=contract), code="FA 1", title="Prévenir")
    coordinator = user_with_role(contract, COORDINATOR, first_name="Inès", last_name="Coordinatrice")
    client.force_login(coordinator)
    response = client.patch(
        reverse("api:contract-detail", args=[contract.pk]),
        {"short_name": "CLS 2L"},
        content_type="application/json",
    )
    assert response.status_code == 200
    action.title = "Prévenir et dépister"
    action.save()  # outside any request: no author

    url = history_url(contract)
    by_kind = history_rows(client.get(url, {"kind": "action"}))
    assert [row[2:4] for row in by_kind] == [
        ["Fiche action FA 1 : Prévenir et dépister", "Modification"],
        ["Fiche action FA 1 : Prévenir", "Création"],
    ]
    by_author = history_rows(client.get(url, {"author": coordinator.pk}))
    assert [row[1:4] for row in by_author] == [["Inès Coordinatrice", "Contrat CLS 2L", "Modification"]]
    outside = history_rows(client.get(url, {"author": "none"}))
    assert outside and all(row[1] == "hors application (import, script)" for row in outside)
    today = datetime.date.today()
    assert len(history_rows(client.get(url, {"since": today, "until": today}))) == len(
        history_rows(client.get(url))
    )
    empty = client.get(url, {"until": today - datetime.timedelta(days=1)})
    assert history_rows(empty) == []
    assert "Aucune modification ne correspond à ces filtres." in empty.content.decode()
    # Bad input: a clear French error, and the unfiltered history.
    bad = client.get(url, {"since": today, "until": today - datetime.timedelta(days=3)})
    assert "La date de fin précède la date de début." in bad.content.decode()
    assert len(history_rows(bad)) == len(history_rows(client.get(url)))
    # Another contract's users are not offered as authors, and the kind list is the registry's.
    assert history_rows(client.get(url, {"kind": "nonexistent"})) == history_rows(client.get(url))


@pytest.mark.parametrize("count", [1, 3])
def test_history_of_everything_owned_keeps_a_constant_query_count(client, django_assert_num_queries, count):
    contract = ContractFactory()
    axis = AxisFactory(contract=contract)
    qpv = PriorityNeighbourhoodFactory(territory=contract.territory)
    for position in range(count):
        partner = OrganisationFactory()
        action = ActionFactory(axis=axis, leads=[partner])
        indicator = IndicatorFactory(action=action)
        value = IndicatorValueFactory(indicator=indicator)
        value.value = "9"
        value.save()
        IndicatorTargetFactory(indicator=indicator)
        DeliverableFollowUpFactory(deliverable=DeliverableFactory(action=action))
        town = MunicipalityFactory(territory=contract.territory, name=f"Commune {position}")
        town.neighbourhoods.add(qpv)
        partner.siret = f"{position:014d}"
        partner.save()
    client.force_login(user_with_role(contract, MEMBER))
    url = history_url(contract)
    client.get(url)
    # Session, user, contract, roles; authors (2); count and page; for each of the 13 kinds on the
    # page its rows, for the 3 kinds with changes the rows they replace; the QPV links (rows and
    # the rows they replace, in one query); the names of indicators, organisations, deliverables, QPV.
    with django_assert_num_queries(31):  # + the QPV links of actions (issue 14)
        response = client.get(url)
    # Contract, territory, role, axis, QPV; per action 12 rows (all on one page at both sizes).
    assert len(history_rows(response)) == 5 + 12 * count


def test_replacing_an_evidence_keeps_the_former_file_and_shows_before_and_after(client):
    contract = ContractFactory()
    deliverable = DeliverableFactory(action=ActionFactory(axis=AxisFactory(contract=contract)), text="Guide")
    other = DeliverableFactory(action=ActionFactory(axis=AxisFactory(contract=ContractFactory())))
    coordinator = user_with_role(contract, COORDINATOR)
    client.force_login(coordinator)
    page = reverse("monitoring:deliverable", args=[contract.pk, deliverable.pk])
    client.post(page, {"form": "evidence", "evidence-file": SimpleUploadedFile("v1.pdf", PDF)})
    evidence = Evidence.objects.get()
    former = evidence.file.name
    foreign = services.evidence_add(
        user=user_with_role(other.action.contract, COORDINATOR),
        deliverable=other,
        uploaded_file=SimpleUploadedFile("autre.pdf", PDF),
    )
    # Another deliverable's evidence cannot be replaced from this page.
    response = client.post(
        page,
        {
            "form": "evidence",
            "evidence-file": SimpleUploadedFile("v2.pdf", PDF),
            "evidence-replaces": foreign.pk,
        },
    )
    assert response.status_code == 200  # the page again, with the form's error
    assert "Sélectionnez un choix valide" in response.content.decode()
    foreign.refresh_from_db()
    assert foreign.original_name == "autre.pdf"

    response = client.post(
        page,
        {
            "form": "evidence",
            "evidence-file": SimpleUploadedFile("v2.pdf", PDF),
            "evidence-replaces": evidence.pk,
        },
    )
    assert response.status_code == 302
    evidence.refresh_from_db()
    assert evidence.original_name == "v2.pdf" and evidence.file.name != former
    assert evidence.file.storage.exists(former)  # the former file is kept until the purge
    rows = history_rows(client.get(history_url(contract), {"kind": "evidence"}))
    assert rows[0][2:4] == ["Pièce justificative v2.pdf — Guide", "Modification"]
    assert "Nom du fichier : v1.pdf → v2.pdf" in rows[0][4]
    from io import StringIO

    out = StringIO()
    call_command("purge_deleted_files", "--older-than", "0", stdout=out)
    assert f"à supprimer : {former}" in out.getvalue() and evidence.file.name not in out.getvalue()
