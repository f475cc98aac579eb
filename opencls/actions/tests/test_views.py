"""The fiche action editor pages."""

from datetime import date

import pytest
from django.urls import reverse

from opencls.accounts.models import Organisation
from opencls.actions.models import Action, Deliverable, Indicator, Involvement, Operation
from opencls.contracts.models import ContractRole
from opencls.testing import factories

pytestmark = pytest.mark.django_db
COORDINATOR, LEAD, MEMBER = ContractRole.Role.COORDINATOR, ContractRole.Role.LEAD, ContractRole.Role.MEMBER


@pytest.fixture
def axis():
    return factories.AxisFactory(title="Prévention des conduites addictives")


@pytest.fixture
def contract(axis):
    return axis.contract


@pytest.fixture
def action(axis):
    return factories.ActionFactory(axis=axis, code="FA 1.1", title="Compétences psychosociales")


@pytest.fixture
def coordinator_client(client, contract):
    client.force_login(factories.user_with_role(contract, COORDINATOR))
    return client


def url(name, *args):
    return reverse(f"actions:{name}", args=args)


def action_data(axis, **overrides):
    data = {"code": "FA 1.2", "title": "Repérage précoce", "axis": axis.pk, "is_public": "on"}
    return {**data, **overrides}


# Permissions


def lead_client(client, contract, organisation):
    client.force_login(factories.user_with_role(contract, LEAD, organisation=organisation))
    return client


def test_lead_edits_the_action_its_organisation_leads_and_no_other(client, contract, axis):
    organisation = factories.OrganisationFactory(name="Addictions France")
    own = factories.ActionFactory(axis=axis, leads=[organisation])
    other = factories.ActionFactory(axis=axis, leads=[factories.OrganisationFactory()])
    lead_client(client, contract, organisation)
    assert client.get(url("edit", contract.pk, own.pk)).status_code == 200
    assert client.get(url("operation_add", contract.pk, own.pk)).status_code == 200
    assert client.get(url("edit", contract.pk, other.pk)).status_code == 403
    assert (
        client.post(url("deliverable_add", contract.pk, other.pk), {"deliverable-text": "X"}).status_code
        == 403
    )
    assert not Deliverable.objects.exists()


def test_lead_of_an_operation_edits_that_operation_only(client, contract, action):
    organisation = factories.OrganisationFactory()
    own = factories.OperationFactory(action=action, leads=[organisation])
    sibling = factories.OperationFactory(action=action, title="Autre opération")
    lead_client(client, contract, organisation)
    assert client.get(url("edit", contract.pk, action.pk)).status_code == 403
    assert client.get(url("operation_edit", contract.pk, action.pk, own.pk)).status_code == 200
    for name in ("operation_edit", "operation_delete"):
        assert client.get(url(name, contract.pk, action.pk, sibling.pk)).status_code == 403
    response = client.post(url("operation_edit", contract.pk, action.pk, sibling.pk), {"title": "Piratée"})
    assert response.status_code == 403
    assert client.post(url("operation_delete", contract.pk, action.pk, sibling.pk)).status_code == 403
    sibling.refresh_from_db()
    assert sibling.title == "Autre opération"
    # Its own lead link is not its to remove, nor anyone else's.
    link = own.involvements.get()
    remove = url("operation_involvement_remove", contract.pk, action.pk, own.pk, link.pk)
    assert client.post(remove).status_code == 403
    assert own.involvements.exists()


def test_lead_of_an_action_may_not_change_its_visibility_nor_the_links(client, contract, axis):
    organisation = factories.OrganisationFactory()
    partner = factories.OrganisationFactory(name="Partenaire")
    own = factories.ActionFactory(axis=axis, leads=[organisation], is_public=True)
    link = own.involvements.create(organisation=partner, involvement="partner")
    lead_client(client, contract, organisation)
    page = client.get(url("edit", contract.pk, own.pk)).content.decode()
    assert "Seule la coordination décide de la publication de la fiche." in page
    assert "Ajouter un porteur ou un partenaire" not in page
    data = {"title": own.title, "axis": axis.pk, "is_public": ""}
    client.post(url("edit", contract.pk, own.pk), data)
    own.refresh_from_db()
    assert own.is_public
    assert client.post(url("involvement_remove", contract.pk, own.pk, link.pk)).status_code == 403
    add = {"involvement-organisation": partner.pk, "involvement-involvement": "lead"}
    assert client.post(url("involvement_add", contract.pk, own.pk), add).status_code == 403
    assert own.involvements.count() == 2


def test_lead_may_not_change_the_structure(client, contract, axis, action):
    organisation = factories.OrganisationFactory()
    factories.ActionFactory(axis=axis, leads=[organisation])
    lead_client(client, contract, organisation)
    own = contract.actions.get(involvements__organisation=organisation)
    assert client.get(url("list", contract.pk)).status_code == 403
    assert client.get(url("create", contract.pk)).status_code == 403
    assert client.post(url("delete", contract.pk, own.pk)).status_code == 403
    assert client.post(url("move", contract.pk, own.pk), {"direction": "up"}).status_code == 403
    assert Action.objects.filter(pk=own.pk).exists()


def test_lead_cannot_move_its_action_to_another_axis(client, contract, axis):
    organisation = factories.OrganisationFactory()
    own = factories.ActionFactory(axis=axis, leads=[organisation])
    other_axis = factories.AxisFactory(contract=contract)
    lead_client(client, contract, organisation)
    page = client.get(url("edit", contract.pk, own.pk)).content.decode()
    assert "Seule la coordination peut déplacer une fiche vers un autre axe." in page
    assert "Édition du contrat" not in page  # no editor menu for a porteur
    response = client.post(
        url("edit", contract.pk, own.pk), action_data(other_axis, code=own.code, title="Nouveau titre")
    )
    assert response.status_code == 302
    own.refresh_from_db()
    assert (own.axis, own.title) == (axis, "Nouveau titre")


@pytest.mark.parametrize("role", [MEMBER, "ars_reader"])
def test_member_and_ars_reader_may_not_edit(client, contract, action, role):
    if role == "ars_reader":
        client.force_login(factories.UserFactory(ars_region=contract.territory.region))
    else:
        client.force_login(factories.user_with_role(contract, role))
    for name in ("edit", "operation_add"):
        assert client.get(url(name, contract.pk, action.pk)).status_code == 403
    assert client.get(url("list", contract.pk)).status_code == 403


def test_anonymous_is_sent_to_log_in(client, contract, action):
    response = client.get(url("edit", contract.pk, action.pk))
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))


def test_action_of_another_contract_is_not_found(coordinator_client, contract, action):
    foreign = factories.ActionFactory()
    foreign_operation = factories.OperationFactory(action=foreign)
    assert coordinator_client.get(url("edit", contract.pk, foreign.pk)).status_code == 404
    assert coordinator_client.post(url("delete", contract.pk, foreign.pk)).status_code == 404
    assert (
        coordinator_client.get(
            url("operation_edit", contract.pk, action.pk, foreign_operation.pk)
        ).status_code
        == 404
    )
    foreign_deliverable = factories.DeliverableFactory(action=foreign)
    response = coordinator_client.post(
        url("deliverable_delete", contract.pk, action.pk, foreign_deliverable.pk)
    )
    assert response.status_code == 404
    assert Deliverable.objects.filter(pk=foreign_deliverable.pk).exists()


# The action form


def test_action_created_with_dates_from_its_schedule(coordinator_client, contract, axis):
    objective = factories.ObjectiveFactory(axis=axis, title="Réduire les comportements à risque")
    response = coordinator_client.post(
        url("create", contract.pk),
        action_data(
            axis, objective=objective.pk, schedule="Premier semestre 2026", area="Ensemble du territoire"
        ),
    )
    action = contract.actions.get()
    assert response.url == url("edit", contract.pk, action.pk)
    assert (action.start_date, action.end_date) == (date(2026, 1, 1), date(2026, 6, 30))
    assert action.objective == objective and action.area == "Ensemble du territoire"


def test_action_code_is_unique_per_contract(coordinator_client, contract, axis, action):
    response = coordinator_client.post(url("create", contract.pk), action_data(axis, code="fa 1.1"))
    page = response.content.decode()
    assert 'id="id_code-desc-error"' in page
    assert "Le code « fa 1.1 » est déjà utilisé par une autre fiche action de ce contrat." in page
    assert contract.actions.count() == 1
    # The same code in another contract is fine.
    other = factories.AxisFactory()
    factories.ActionFactory(axis=other, code="FA 1.2")
    assert coordinator_client.post(url("create", contract.pk), action_data(axis)).status_code == 302


def test_action_objective_must_belong_to_its_axis(coordinator_client, contract, axis, action):
    other_axis = factories.AxisFactory(contract=contract)
    foreign_objective = factories.ObjectiveFactory(axis=other_axis)
    response = coordinator_client.post(
        url("edit", contract.pk, action.pk), action_data(axis, code="FA 1.1", objective=foreign_objective.pk)
    )
    page = response.content.decode()
    assert "Cet objectif n&#x27;appartient pas à l&#x27;axe choisi" in page
    assert 'id="id_objective-desc-error"' in page
    action.refresh_from_db()
    assert action.objective is None


def test_objectives_offered_are_those_of_the_chosen_axis(coordinator_client, contract, axis, action):
    mine = factories.ObjectiveFactory(axis=axis, title="Objectif de l'axe")
    child = factories.ObjectiveFactory(axis=axis, parent=mine, code="1.1.1", title="Sous-objectif")
    other = factories.ObjectiveFactory(
        axis=factories.AxisFactory(contract=contract), title="Objectif d'un autre axe"
    )
    page = coordinator_client.get(url("edit", contract.pk, action.pk)).content.decode()
    assert mine.title.replace("'", "&#x27;") in page and child.title in page
    assert "Objectif d&#x27;un autre axe" not in page
    fragment = coordinator_client.get(
        url("objective_options", contract.pk), {"axis": other.axis_id}
    ).content.decode()
    assert fragment.startswith('<div id="objective-field">')
    assert "Objectif d&#x27;un autre axe" in fragment and child.title not in fragment


def test_action_moves_to_another_axis(coordinator_client, contract, axis, action):
    other_axis = factories.AxisFactory(contract=contract)
    coordinator_client.post(url("edit", contract.pk, action.pk), action_data(other_axis, code="FA 1.1"))
    action.refresh_from_db()
    assert action.axis == other_axis


def test_action_dates_must_be_in_order(coordinator_client, contract, axis):
    response = coordinator_client.post(
        url("create", contract.pk), action_data(axis, start_date="2026-06-30", end_date="2026-01-01")
    )
    assert "La date de fin doit être postérieure à la date de début." in response.content.decode()
    assert not contract.actions.exists()


def test_create_without_axis_sends_to_the_axes(client):
    contract = factories.ContractFactory()
    client.force_login(factories.user_with_role(contract, COORDINATOR))
    response = client.get(url("create", contract.pk))
    assert response.url == reverse("contracts:edit_axes", args=[contract.pk])


def test_actions_reorder_within_their_axis(coordinator_client, contract, axis, action):
    second = factories.ActionFactory(axis=axis)
    other_axis_action = factories.ActionFactory(axis=factories.AxisFactory(contract=contract))
    response = coordinator_client.post(
        url("move", contract.pk, second.pk), {"direction": "up"}, headers={"HX-Request": "true"}
    )
    assert response.content.decode().lstrip().startswith('<div id="actions-list">')
    assert list(axis.actions.order_by("position")) == [second, action]
    assert (
        coordinator_client.post(url("move", contract.pk, second.pk), {"direction": "up"}).status_code == 302
    )
    assert list(axis.actions.order_by("position")) == [second, action]
    other_axis_action.refresh_from_db()
    assert other_axis_action.axis != axis


def test_action_delete_lists_what_goes_with_it(coordinator_client, contract, action):
    factories.OperationFactory(action=action)
    factories.IndicatorFactory(action=action)
    page = coordinator_client.get(url("delete", contract.pk, action.pk)).content.decode()
    assert "1 opération(s)" in page and "1 indicateur(s) et leurs valeurs saisies" in page
    coordinator_client.post(url("delete", contract.pk, action.pk))
    assert not Action.objects.filter(pk=action.pk).exists()


# Porteurs and partners


def test_organisation_added_inline_and_removed(coordinator_client, contract, action):
    response = coordinator_client.post(
        url("involvement_add", contract.pk, action.pk),
        {"involvement-involvement": "lead", "involvement-organisation_name": "CSAPA Cédr'Agir",
         "involvement-organisation_kind": "association"},
    )  # fmt: skip
    assert response.status_code == 302
    involvement = action.involvements.get()
    assert (involvement.organisation.name, involvement.involvement) == ("CSAPA Cédr'Agir", Involvement.LEAD)
    duplicate = coordinator_client.post(
        url("involvement_add", contract.pk, action.pk),
        {"involvement-involvement": "lead", "involvement-organisation_name": "csapa cedr'agir"},
    )
    assert "Cette organisation est déjà porteur ici." in duplicate.content.decode()
    # The same organisation may also be listed as a partner.
    coordinator_client.post(
        url("involvement_add", contract.pk, action.pk),
        {"involvement-involvement": "partner", "involvement-organisation": involvement.organisation_id},
    )
    assert action.involvements.count() == 2
    assert Organisation.objects.filter(normalised_name="csapa cedr'agir").count() == 1
    coordinator_client.post(url("involvement_remove", contract.pk, action.pk, involvement.pk))
    assert list(action.involvements.values_list("involvement", flat=True)) == [Involvement.PARTNER]


def test_picker_search_for_a_porteur_is_limited_to_its_action(client, contract, axis):
    organisation = factories.OrganisationFactory(name="Ligue contre le cancer")
    own = factories.ActionFactory(axis=axis, leads=[organisation])
    other = factories.ActionFactory(axis=axis)
    lead_client(client, contract, organisation)
    search = reverse("contracts:organisation_search", args=[contract.pk])
    params = {"prefix": "involvement", "involvement-organisation_name": "ligue"}
    assert "Ligue contre le cancer" in client.get(search, {**params, "action": own.pk}).content.decode()
    assert client.get(search, {**params, "action": other.pk}).status_code == 403
    assert client.get(search, params).status_code == 403


# Operations, deliverables and indicators


def test_operation_with_its_own_porteur(coordinator_client, contract, action):
    response = coordinator_client.post(
        url("operation_add", contract.pk, action.pk),
        {
            "title": "Former les professionnels",
            "objective_text": "Monter en compétence",
            "schedule": "Second semestre 2026",
        },
    )
    operation = action.operations.get()
    assert response.url == url("operation_edit", contract.pk, action.pk, operation.pk)
    assert operation.start_date == date(2026, 7, 1)
    coordinator_client.post(
        url("operation_involvement_add", contract.pk, action.pk, operation.pk),
        {"involvement-involvement": "lead", "involvement-organisation_name": "PRISME", "involvement-organisation_kind": "association"},
    )  # fmt: skip
    assert [o.name for o in operation.leads] == ["PRISME"]
    page = coordinator_client.get(url("edit", contract.pk, action.pk)).content.decode()
    assert "Former les professionnels" in page and "Porteur(s) : PRISME" in page
    involvement = operation.involvements.get()
    coordinator_client.post(
        url("operation_involvement_remove", contract.pk, action.pk, operation.pk, involvement.pk)
    )
    assert not operation.involvements.exists()


def test_operation_errors_and_reorder(coordinator_client, contract, action):
    response = coordinator_client.post(url("operation_add", contract.pk, action.pk), {"title": ""})
    assert "Ce champ est obligatoire." in response.content.decode()
    first, second = factories.OperationFactory(action=action), factories.OperationFactory(action=action)
    partial = coordinator_client.post(
        url("operation_move", contract.pk, action.pk, second.pk),
        {"direction": "up"},
        headers={"HX-Request": "true"},
    )
    html = partial.content.decode()
    assert html.lstrip().startswith('<div id="operations-list">')
    assert html.index(second.title) < html.index(first.title)
    assert list(action.operations.order_by("position")) == [second, first]


def test_operation_delete_takes_its_deliverables(coordinator_client, contract, action):
    operation = factories.OperationFactory(action=action)
    factories.DeliverableFactory(action=action, operation=operation)
    assert (
        "1 livrable(s)"
        in coordinator_client.get(
            url("operation_delete", contract.pk, action.pk, operation.pk)
        ).content.decode()
    )
    coordinator_client.post(url("operation_delete", contract.pk, action.pk, operation.pk))
    assert not Operation.objects.exists() and not Deliverable.objects.exists()


def test_deliverable_attached_to_an_operation_of_the_action_only(coordinator_client, contract, action):
    operation = factories.OperationFactory(action=action, title="Sensibiliser les jeunes")
    foreign = factories.OperationFactory()
    response = coordinator_client.post(
        url("deliverable_add", contract.pk, action.pk),
        {"deliverable-text": "Deux sessions par an", "deliverable-operation": foreign.pk},
    )
    assert "Sélectionnez un choix valide" in response.content.decode()
    coordinator_client.post(
        url("deliverable_add", contract.pk, action.pk),
        {"deliverable-text": "Deux sessions par an", "deliverable-operation": operation.pk},
    )
    deliverable = action.deliverables.get()
    assert deliverable.operation == operation
    coordinator_client.post(
        url("deliverable_edit", contract.pk, action.pk, deliverable.pk), {"text": "Trois sessions par an"}
    )
    deliverable.refresh_from_db()
    assert (deliverable.text, deliverable.operation) == ("Trois sessions par an", None)


def test_indicator_added_edited_removed(coordinator_client, contract, action):
    response = coordinator_client.post(
        url("indicator_add", contract.pk, action.pk),
        {"indicator-kind": "result", "indicator-label": "Nombre de personnes sensibilisées", "indicator-unit": "personnes",
         "indicator-periodicity": "semester"},
    )  # fmt: skip
    assert response.url.endswith("#indicators")
    indicator = action.indicators.get()
    assert (indicator.kind, indicator.periodicity, indicator.unit) == ("result", "semester", "personnes")
    page = coordinator_client.get(url("edit", contract.pk, action.pk)).content.decode()
    assert "Indicateur de résultat" in page and "Semestrielle" in page
    missing = coordinator_client.post(
        url("indicator_add", contract.pk, action.pk), {"indicator-kind": "process"}
    )
    assert 'id="id_indicator-label-desc-error"' in missing.content.decode()
    coordinator_client.post(url("indicator_delete", contract.pk, action.pk, indicator.pk))
    assert not Indicator.objects.exists()


# Query counts


def build_actions(axis, count):
    for index in range(count):
        action = factories.ActionFactory(axis=axis, leads=[factories.OrganisationFactory()])
        factories.OperationFactory(action=action, leads=[factories.OrganisationFactory()])
        if index % 2:
            action.objective = factories.ObjectiveFactory(axis=axis)
            action.save()


@pytest.mark.parametrize("count", [2, 10])
def test_action_list_query_count_is_constant(
    coordinator_client, contract, axis, django_assert_num_queries, count
):
    build_actions(axis, count)
    build_actions(factories.AxisFactory(contract=contract), count)
    coordinator_client.get(url("list", contract.pk))
    with django_assert_num_queries(7):
        response = coordinator_client.get(url("list", contract.pk))
    assert response.content.decode().count('<tr id="action-') == 2 * count


@pytest.mark.parametrize("count", [2, 10])
def test_action_page_query_count_is_constant(
    coordinator_client, contract, action, django_assert_num_queries, count
):
    for _ in range(count):
        operation = factories.OperationFactory(action=action, leads=[factories.OrganisationFactory()])
        factories.DeliverableFactory(action=action, operation=operation)
        factories.IndicatorFactory(action=action, operation=operation)
        factories.ObjectiveFactory(axis=action.axis)
    action.involvements.create(organisation=factories.OrganisationFactory(), involvement=Involvement.PARTNER)
    coordinator_client.get(url("edit", contract.pk, action.pk))
    with django_assert_num_queries(20):  # + the QPV offered and those ticked (issue 14)
        response = coordinator_client.get(url("edit", contract.pk, action.pk))
    assert response.content.decode().count('id="operation-') == count
