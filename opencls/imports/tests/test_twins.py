"""Importing a document whose contract already exists offers to update it (a reviewed diff)
instead of creating a twin."""

import copy
from datetime import date
from io import StringIO

import pytest
from bs4 import BeautifulSoup
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from opencls.actions.models import Action
from opencls.contracts.io import contract_to_json
from opencls.contracts.models import Contract, ContractRole
from opencls.core.tests.test_history import history_rows, history_url
from opencls.imports import twins
from opencls.imports.models import DocumentImport
from opencls.testing.factories import (
    ActionFactory,
    AxisFactory,
    ContractFactory,
    TerritoryFactory,
    UserFactory,
    user_with_role,
)

pytestmark = pytest.mark.django_db
COORDINATOR = ContractRole.Role.COORDINATOR


@pytest.fixture
def existing():
    contract = ContractFactory(
        title="Contrat local de santé de Lens-Liévin",
        territory=TerritoryFactory(name="CA de Lens-Liévin"),
        start_date=date(2025, 1, 1),
        end_date=date(2029, 12, 31),
    )
    axis = AxisFactory(contract=contract, code="1", title="Accès aux soins")
    ActionFactory(axis=axis, code="1.1", title="Maison de santé")
    ActionFactory(axis=axis, code="1.2", title="Créée à la main")
    return contract


def the_document(contract) -> dict:
    """The same contract as read again from its document: one action retitled, one new, one absent."""
    data = copy.deepcopy(contract_to_json(contract))
    c = data["contract"]
    c["title"] = "CONTRAT LOCAL DE SANTÉ DE LENS-LIÉVIN"
    c["summary"] = "Le contrat couvre 36 communes."
    actions = c["axes"][0]["actions"]
    actions[:] = [a for a in actions if a["code"] == "1.1"]
    actions[0]["title"] = "Maison de santé pluriprofessionnelle"
    actions.append({**copy.deepcopy(actions[0]), "code": "1.3", "title": "Télémédecine"})
    return data


def test_twins_are_found_by_title_or_by_territory_and_overlapping_period(existing):
    data = the_document(existing)
    assert twins.find_twins(data, Contract.objects.all()) == [existing]
    other = copy.deepcopy(data)
    other["contract"]["title"] = "Autre intitulé"
    other["contract"]["start_date"], other["contract"]["end_date"] = "2029-06-01", "2033-12-31"
    assert twins.find_twins(other, Contract.objects.all()) == [existing]  # same place, overlapping
    other["contract"]["start_date"] = "2030-01-01"
    assert twins.find_twins(other, Contract.objects.all()) == []  # the next contract of the territory
    other["contract"]["territory"]["name"] = "CA Béthune-Bruay"
    other["contract"]["start_date"] = "2025-01-01"
    assert twins.find_twins(other, Contract.objects.all()) == []


def test_review_warns_and_the_update_is_a_reviewed_diff_applied_with_its_history(existing):
    coordinator = user_with_role(
        existing, COORDINATOR, first_name="Inès", last_name="Coordinatrice", can_create_contracts=True
    )
    document_import = DocumentImport.objects.create(
        user=coordinator, filename="lens.docx", file_format="DOCX", size=1, data=the_document(existing)
    )
    client = Client()
    client.force_login(coordinator)
    review = reverse("imports:review", args=[document_import.pk])
    page = BeautifulSoup(client.get(review).content, "html.parser")
    warning = page.select_one("#twins").get_text(" ", strip=True)
    assert "Ce contrat semble déjà exister dans OpenCLS" in warning and existing.title in warning
    update = reverse("imports:update", args=[document_import.pk, existing.pk])
    assert page.select_one(f'#twins a[href="{update}"]')

    # Saving as a new contract needs an explicit choice: no twin by accident.
    form = {"title": "X", "kind": "cls", "territory_name": "CA de Lens-Liévin", "territory_kind": "epci"}
    response = client.post(review, form)
    assert response.status_code == 400 and Contract.objects.count() == 1
    assert "Ce contrat semble déjà exister" in response.content.decode()

    page = BeautifulSoup(client.get(update).content, "html.parser")
    contract_rows = [
        [cell.get_text(" ", strip=True) for cell in row.find_all(["th", "td"])]
        for row in page.select("#change-contract tbody tr")
    ]
    assert contract_rows == [
        ["Intitulé", existing.title, "CONTRAT LOCAL DE SANTÉ DE LENS-LIÉVIN"],
        ["Présentation", "—", "Le contrat couvre 36 communes."],
    ]
    captions = [c.get_text(" ", strip=True) for c in page.select("table caption")]
    assert "Modification 1.1 — Maison de santé pluriprofessionnelle" in captions
    assert "Ajout 1.3 — Télémédecine" in captions
    assert "Fiches actions : 1.2" in page.select_one("#kept").get_text(" ", strip=True)
    fingerprint = page.select_one("input[name=fingerprint]")["value"]

    response = client.post(update, {"fingerprint": fingerprint})
    assert response.status_code == 302 and response["Location"] == history_url(existing)
    existing.refresh_from_db()
    assert existing.title == "CONTRAT LOCAL DE SANTÉ DE LENS-LIÉVIN"
    assert Contract.objects.count() == 1
    assert sorted(Action.objects.values_list("code", "title")) == [
        ("1.1", "Maison de santé pluriprofessionnelle"),
        ("1.2", "Créée à la main"),  # kept: never deleted by an import
        ("1.3", "Télémédecine"),
    ]
    document_import.refresh_from_db()
    assert document_import.contract == existing
    rows = history_rows(client.get(history_url(existing), {"author": coordinator.pk}))
    shown = {(row[2], row[3]): row[4] for row in rows}
    assert shown["Fiche action 1.1 : Maison de santé pluriprofessionnelle", "Modification"] == (
        "Intitulé : Maison de santé → Maison de santé pluriprofessionnelle"
    )
    assert ("Fiche action 1.3 : Télémédecine", "Création") in shown
    assert any(element.startswith("Contrat") and op == "Modification" for element, op in shown)

    # A second application of a stale diff is refused: the contract moved since it was shown.
    response = client.post(update, {"fingerprint": fingerprint})
    assert response.status_code == 400
    error = BeautifulSoup(response.content, "html.parser").select_one("#update-error").get_text(strip=True)
    assert "modifié depuis l'affichage des différences" in error


def test_only_who_may_change_the_contract_updates_it_and_other_contracts_stay_out_of_reach(existing):
    member = user_with_role(existing, ContractRole.Role.MEMBER)
    document_import = DocumentImport.objects.create(
        user=member, filename="lens.docx", file_format="DOCX", size=1, data=the_document(existing)
    )
    client = Client()
    client.force_login(member)
    update = reverse("imports:update", args=[document_import.pk, existing.pk])
    page = client.get(update)
    assert page.status_code == 200 and "Appliquer ces modifications" not in page.content.decode()
    fingerprint = twins.update_preview(existing, document_import.data).fingerprint
    assert client.post(update, {"fingerprint": fingerprint}).status_code == 403
    existing.refresh_from_db()
    assert existing.title == "Contrat local de santé de Lens-Liévin"
    stranger = ContractFactory()
    assert client.get(reverse("imports:update", args=[document_import.pk, stranger.pk])).status_code == 404
    other_users_import = DocumentImport.objects.create(
        user=UserFactory(), filename="x.docx", file_format="DOCX", size=1, data=the_document(existing)
    )
    assert client.get(reverse("imports:update", args=[other_users_import.pk, existing.pk])).status_code == 404


def test_a_signed_contract_is_not_updated_from_a_document(existing):
    Contract.objects.filter(pk=existing.pk).update(status=Contract.Status.SIGNED)
    existing.refresh_from_db()
    data = the_document(existing)
    preview = twins.update_preview(existing, data)
    with pytest.raises(twins.UpdateRefused, match="avenant"):
        twins.contract_update_from_document(
            contract=existing, data=data, user=None, fingerprint=preview.fingerprint
        )


def test_the_command_refuses_a_twin_and_updates_the_existing_contract_on_request():
    from opencls.imports.tests.expected import DOCUMENTS

    path = str(DOCUMENTS["003"]["txt"])
    call_command("import_contract", path, stdout=StringIO(), stderr=StringIO())
    first = Contract.objects.get()
    Action.objects.filter(contract=first).order_by("pk").first().delete()
    first.title = "Intitulé retouché"
    first.save()
    with pytest.raises(CommandError, match=f"Ce contrat semble déjà exister :\n- n° {first.pk}"):
        call_command("import_contract", path, stdout=StringIO(), stderr=StringIO())
    assert Contract.objects.count() == 1

    out = StringIO()
    call_command(
        "import_contract", path, "--update", str(first.pk), "--dry-run", stdout=out, stderr=StringIO()
    )
    assert "Contrat — intitulé : Intitulé retouché → " in out.getvalue()
    assert "\n  Ajout " in out.getvalue()  # the action deleted above comes back
    first.refresh_from_db()
    assert first.title == "Intitulé retouché"

    actions = Action.objects.filter(contract=first).count()
    call_command("import_contract", path, "--update", str(first.pk), stdout=StringIO(), stderr=StringIO())
    first.refresh_from_db()
    assert first.title != "Intitulé retouché"
    assert Action.objects.filter(contract=first).count() == actions + 1
    call_command("import_contract", path, "--new", stdout=StringIO(), stderr=StringIO())
    assert Contract.objects.count() == 2
