import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils import timezone

from opencls.actions.models import Action
from opencls.contracts.models import Contract, ContractRole
from opencls.core.selectors import HISTORY_PAGE_SIZE
from opencls.testing.factories import (
    ActionFactory,
    AxisFactory,
    ContractFactory,
    OperationFactory,
    OrganisationFactory,
    TerritoryFactory,
    UserFactory,
    user_with_role,
)

pytestmark = pytest.mark.django_db
MEMBER, COORDINATOR = ContractRole.Role.MEMBER, ContractRole.Role.COORDINATOR


def history_url(contract):
    return reverse("core:contract_history", args=[contract.pk])


def history_rows(response):
    """The Historique table as the user reads it: one list of cell texts per row."""
    page = BeautifulSoup(response.content, "html.parser")
    return [
        [cell.get_text(" ", strip=True) for cell in row.find_all("td")]
        for row in page.select("#history-table tbody tr")
    ]


def form_data(response, form_selector):
    """What a browser would submit for the form as displayed, without touching anything."""
    form = BeautifulSoup(response.content, "html.parser").select_one(form_selector)
    data = {}
    for field in form.select("input, select, textarea"):
        name = field.get("name")
        if not name or "__prefix__" in name:
            continue
        if field.name == "select":
            data[name] = [option["value"] for option in field.select("option[selected]")]
        elif field.name == "textarea":
            data[name] = field.get_text().removeprefix("\n")
        elif field.get("type") == "checkbox":
            if field.has_attr("checked"):
                data[name] = field.get("value", "on")
        elif field.get("type") != "submit":
            data[name] = field.get("value", "")
    return data


def test_a_change_made_through_a_page_records_who_when_before_and_after(client):
    axis = AxisFactory()
    action = ActionFactory(axis=axis, title="Prévenir le diabète", leads=[OrganisationFactory()])
    OperationFactory(action=action)
    member = user_with_role(action.contract, MEMBER)
    staff = UserFactory(is_staff=True, is_superuser=True, first_name="Claire", last_name="Admin")
    client.force_login(staff)
    url = reverse("admin:actions_action_change", args=[action.pk])
    data = form_data(client.get(url), "form#action_form")
    data.update(title="Prévenir et dépister le diabète", schedule="Premier semestre 2026", _save="1")

    before = timezone.now()
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    after = timezone.now()

    record = action.history.first()
    assert record.history_type == "~"
    assert record.history_user == staff
    assert before <= record.history_date <= after
    delta = record.diff_against(record.prev_record)
    changes = {change.field: (change.old, change.new) for change in delta.changes}
    assert changes == {
        "title": ("Prévenir le diabète", "Prévenir et dépister le diabète"),
        "schedule": ("", "Premier semestre 2026"),
    }

    # The contract's readers see it on the Historique page, newest first.
    client.force_login(member)
    response = client.get(history_url(action.contract))
    assert response.status_code == 200
    date, author, element, operation, changes_text = history_rows(response)[0]
    assert date == timezone.localtime(record.history_date).strftime("%d/%m/%Y %H:%M")
    assert author == "Claire Admin"
    assert element == f"Fiche action {action.code} : Prévenir et dépister le diabète"
    assert operation == "Modification"
    assert changes_text == (
        "Calendrier : — → Premier semestre 2026 Intitulé : Prévenir le diabète → Prévenir et dépister le diabète"
    )


def test_a_change_through_the_api_is_recorded_with_its_author(client):
    contract = ContractFactory(title="CLS de Lens-Liévin")
    coordinator = user_with_role(contract, COORDINATOR, first_name="Inès", last_name="Coordinatrice")
    client.force_login(coordinator)
    response = client.patch(
        reverse("api:contract-detail", args=[contract.pk]),
        {"short_name": "CLS 2L"},
        content_type="application/json",
    )
    assert response.status_code == 200
    rows = history_rows(client.get(history_url(contract)))
    assert rows[0][1:] == ["Inès Coordinatrice", "Contrat CLS 2L", "Modification", "Sigle : — → CLS 2L"]


def test_history_names_related_objects_and_choices_and_keeps_deletions(client):
    contract = ContractFactory()
    first_axis = AxisFactory(contract=contract, code="1", title="Accès aux soins")
    second_axis = AxisFactory(contract=contract, code="2", title="Santé mentale")
    city = OrganisationFactory(name="Ville de Liévin")
    action = ActionFactory(axis=first_axis, code="FA 1.1", title="Maison de santé", leads=[city])
    operation = OperationFactory(action=action, title="Étude de faisabilité")

    action.axis = second_axis
    action.is_public = True  # a new fiche is private (issue 14): the coordination publishes it
    action.save()
    contract.status = Contract.Status.SIGNED
    contract.save()  # one "~" row against the creation row
    operation.delete()

    client.force_login(user_with_role(contract, MEMBER, first_name="Marc", last_name="Membre"))
    rows = history_rows(client.get(history_url(contract)))
    by_element = {(row[2], row[3]): row[4] for row in rows}
    assert by_element["Opération Étude de faisabilité", "Suppression"] == ""
    assert by_element["Contrat " + str(contract), "Modification"] == "Statut : Brouillon → Signé"
    assert by_element["Fiche action FA 1.1 : Maison de santé", "Modification"] == (
        "Axe : 1 — Accès aux soins → 2 — Santé mentale Visible sur la page publique : non → oui"
    )
    assert by_element["Porteur ou partenaire d'une fiche action Ville de Liévin (porteur)", "Création"] == ""
    # Made outside any request (here: the test itself, like an import script): no author.
    assert {row[1] for row in rows} == {"hors application (import, script)"}


def test_history_of_another_contract_does_not_leak(client):
    mine, other = ContractFactory(), ContractFactory()
    ActionFactory(axis=AxisFactory(contract=mine), title="Action du contrat lu")
    ActionFactory(axis=AxisFactory(contract=other), title="Action de l'autre contrat")
    client.force_login(user_with_role(mine, MEMBER))
    text = client.get(history_url(mine)).content.decode()
    assert "Action du contrat lu" in text
    assert "Action de l'autre contrat" not in text


@pytest.mark.parametrize("count", [2, 8])
def test_history_query_count_does_not_grow_with_changes(client, django_assert_num_queries, count):
    contract = ContractFactory()
    axis = AxisFactory(contract=contract)
    for position in range(count):
        action = ActionFactory(axis=axis, leads=[OrganisationFactory()])
        OperationFactory(action=action)
        action.title = f"Nouveau titre {position}"
        action.save()
    client.force_login(user_with_role(contract, MEMBER))
    url = history_url(contract)
    client.get(url)  # warm caches that are not per request (content types)
    # Session, user, contract, roles; the authors of the filter form; count and page of the merged
    # history; for each kind of row (contract, territory, role, axis, action, its leads and their
    # organisations, operation) the rows, for the modified actions the rows they replace; the
    # organisations and the user named; and the scopes of the sources added since (diagnosis,
    # final evaluation, participation, publication, themes, articles) that have rows to name.
    with django_assert_num_queries(20):
        response = client.get(url)
    # Contract, territory, role, axis, and per action: creation, change, lead and its organisation,
    # operation (all on one page).
    assert len(history_rows(response)) == 4 + 5 * count


def test_history_is_paginated(client):
    contract = ContractFactory()
    client.force_login(user_with_role(contract, MEMBER))
    axis = AxisFactory(contract=contract)
    action = Action.objects.create(contract=contract, axis=axis, title="Titre 0")
    for number in range(1, HISTORY_PAGE_SIZE + 5):
        action.title = f"Titre {number}"
        action.save()
    total = 5 + HISTORY_PAGE_SIZE + 4  # contract, territory, role, axis, action creation, its changes
    first = client.get(history_url(contract))
    assert f"{total} modifications enregistrées" in first.content.decode()
    assert len(history_rows(first)) == HISTORY_PAGE_SIZE
    assert (
        history_rows(first)[0][4]
        == f"Intitulé : Titre {HISTORY_PAGE_SIZE + 3} → Titre {HISTORY_PAGE_SIZE + 4}"
    )
    assert BeautifulSoup(first.content, "html.parser").select_one("nav.fr-pagination")
    second = client.get(history_url(contract), {"page": 2})
    assert len(history_rows(second)) == total - HISTORY_PAGE_SIZE
    assert history_rows(second)[-2][2:4] == [f"Contrat {contract}", "Création"]
    assert history_rows(second)[-1][2:4] == [f"Territoire {contract.territory}", "Création"]
    # A page that does not exist shows the last one rather than an error.
    assert history_rows(client.get(history_url(contract), {"page": "999"})) == history_rows(second)


@pytest.mark.parametrize(
    "who, status",
    [("member", 200), ("coordinator", 200), ("ars_reader", 200), ("ars_other_region", 404), ("no_role", 404)],
)
def test_history_needs_the_right_to_read_the_contract(client, who, status):
    contract = ContractFactory(territory=TerritoryFactory(region="Hauts-de-France"))
    users = {
        "member": lambda: user_with_role(contract, MEMBER),
        "coordinator": lambda: user_with_role(contract, COORDINATOR),
        "ars_reader": lambda: UserFactory(ars_region="Hauts-de-France"),
        "ars_other_region": lambda: UserFactory(ars_region="Bretagne"),
        "no_role": lambda: UserFactory(),
    }
    client.force_login(users[who]())
    assert client.get(history_url(contract)).status_code == status


def test_history_tab_is_in_the_contract_navigation(client):
    contract = ContractFactory()
    client.force_login(user_with_role(contract, MEMBER))
    response = client.get(history_url(contract))
    page = BeautifulSoup(response.content, "html.parser")
    current = page.select_one(".opencls-contract-nav a[aria-current=page]")
    assert current.get_text(strip=True) == "Historique"
    assert current["href"] == history_url(contract)
    overview = client.get(reverse("contracts:detail", args=[contract.pk]))
    assert f'href="{history_url(contract)}"' in overview.content.decode()
