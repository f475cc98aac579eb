"""The contract editor: general fields, territory, signatories, axes and objectives."""

import pytest
from django.urls import reverse

from opencls.accounts.models import Organisation
from opencls.contracts.models import ContractRole, Objective, Signatory
from opencls.testing import factories

pytestmark = pytest.mark.django_db
COORDINATOR, LEAD, MEMBER = ContractRole.Role.COORDINATOR, ContractRole.Role.LEAD, ContractRole.Role.MEMBER


@pytest.fixture
def contract():
    return factories.ContractFactory(title="CLS de Lens-Liévin")


@pytest.fixture
def coordinator_client(client, contract):
    client.force_login(factories.user_with_role(contract, COORDINATOR))
    return client


def url(name, contract, *args):
    return reverse(f"contracts:{name}", args=[contract.pk, *args])


# Permissions


EDITOR_PAGES = ["edit", "edit_territory", "edit_signatories", "edit_axes"]


@pytest.mark.parametrize("name", EDITOR_PAGES)
def test_coordinator_opens_every_editor_page(coordinator_client, contract, name):
    response = coordinator_client.get(url(name, contract))
    assert response.status_code == 200
    assert "Édition du contrat" in response.content.decode()


@pytest.mark.parametrize("name", EDITOR_PAGES)
@pytest.mark.parametrize("role", [LEAD, MEMBER])
def test_lead_and_member_may_not_edit_the_structure(client, contract, name, role):
    client.force_login(factories.user_with_role(contract, role))
    assert client.get(url(name, contract)).status_code == 403


@pytest.mark.parametrize("name", EDITOR_PAGES)
def test_ars_reader_may_not_edit(client, contract, name):
    client.force_login(factories.UserFactory(ars_region=contract.territory.region))
    assert client.get(url(name, contract)).status_code == 403


@pytest.mark.parametrize("name", EDITOR_PAGES)
def test_anonymous_is_sent_to_the_login_page(client, contract, name):
    response = client.get(url(name, contract))
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_coordinator_of_another_contract_sees_nothing(client, contract):
    other = factories.ContractFactory()
    client.force_login(factories.user_with_role(other, COORDINATOR))
    assert client.get(url("edit", contract)).status_code == 404


def test_child_objects_of_another_contract_are_not_found(coordinator_client, contract):
    other = factories.ContractFactory()
    foreign_axis = factories.AxisFactory(contract=other)
    foreign_signatory = factories.SignatoryFactory(contract=other)
    foreign_municipality = factories.MunicipalityFactory(territory=other.territory)
    assert coordinator_client.get(url("axis_edit", contract, foreign_axis.pk)).status_code == 404
    assert coordinator_client.post(url("axis_delete", contract, foreign_axis.pk)).status_code == 404
    assert (
        coordinator_client.post(
            url("signatory_move", contract, foreign_signatory.pk), {"direction": "up"}
        ).status_code
        == 404
    )
    assert (
        coordinator_client.post(url("municipality_delete", contract, foreign_municipality.pk)).status_code
        == 404
    )
    objective = factories.ObjectiveFactory(axis=foreign_axis)
    assert coordinator_client.post(url("objective_delete", contract, objective.pk)).status_code == 404
    foreign_axis.refresh_from_db()
    assert Objective.objects.filter(pk=objective.pk).exists()


def test_edit_tab_shows_for_the_coordinator_only(client, contract):
    coordinator = factories.user_with_role(contract, COORDINATOR)
    member = factories.user_with_role(contract, MEMBER)
    client.force_login(coordinator)
    assert f'href="{url("edit", contract)}"' in client.get(url("detail", contract)).content.decode()
    client.force_login(member)
    assert f'href="{url("edit", contract)}"' not in client.get(url("detail", contract)).content.decode()


# General fields


def test_general_fields_are_saved(coordinator_client, contract):
    response = coordinator_client.post(
        url("edit", contract),
        {
            "title": "Contrat local de santé de la CALL",
            "short_name": "CLS CALL",
            "kind": "clsi",
            "status": "signed",
            "start_date": "2025-01-01",
            "end_date": "2028-12-31",
            "regional_health_plan": "PRS Hauts-de-France 2018-2028",
            "summary": "Troisième génération.",
        },
    )
    assert response.status_code == 302
    contract.refresh_from_db()
    assert (contract.short_name, contract.kind, contract.status) == ("CLS CALL", "clsi", "signed")
    assert str(contract.end_date) == "2028-12-31"


def test_general_fields_errors_are_in_french_next_to_the_field(coordinator_client, contract):
    response = coordinator_client.post(
        url("edit", contract),
        {"title": "", "kind": "cls", "status": "draft", "start_date": "2028-01-01", "end_date": "2025-01-01"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_title-desc-error"' in page and "Ce champ est obligatoire." in page
    assert 'id="id_end_date-desc-error"' in page
    assert "La date de fin doit être postérieure à la date de début." in page
    contract.refresh_from_db()
    assert contract.title == "CLS de Lens-Liévin"


# Territory


def municipality_data(**overrides):
    data = {
        "municipality-name": "Lens",
        "municipality-insee_code": "62498",
        "municipality-population": "32000",
        "municipality-population_year": "2021",
        "municipality-neighbourhood_inhabitants": "8000",
        "municipality-stated_neighbourhood_share": "26.5",
    }
    return {**data, **overrides}


def test_municipality_added_with_its_share_computed(coordinator_client, contract):
    neighbourhood = factories.PriorityNeighbourhoodFactory(
        territory=contract.territory, name="Grande Résidence"
    )
    response = coordinator_client.post(
        url("municipality_add", contract),
        municipality_data(**{"municipality-neighbourhoods": [neighbourhood.pk]}),
    )
    assert response.status_code == 302
    municipality = contract.territory.municipalities.get()
    assert list(municipality.neighbourhoods.all()) == [neighbourhood]
    page = coordinator_client.get(url("edit_territory", contract)).content.decode()
    assert "25,00 %" in page  # 8000 / 32000, computed
    assert "le document indique 26,50 %" in page


def test_municipality_errors_are_in_french(coordinator_client, contract):
    factories.MunicipalityFactory(territory=contract.territory, name="Lens")
    response = coordinator_client.post(
        url("municipality_add", contract),
        municipality_data(**{
            "municipality-name": "LENS", "municipality-insee_code": "6249",
            "municipality-neighbourhood_inhabitants": "40000", "municipality-stated_neighbourhood_share": "120",
        }),
    )  # fmt: skip
    page = response.content.decode()
    assert "La commune « LENS » est déjà saisie pour ce territoire." in page
    assert "Le code INSEE comporte 5 caractères (ex. 59009)." in page
    assert "Les habitants en QPV (40000) ne peuvent pas dépasser la population (32000)." in page
    assert "Un pourcentage est compris entre 0 et 100." in page
    assert contract.territory.municipalities.count() == 1


def test_neighbourhoods_of_other_territories_are_not_offered(coordinator_client, contract):
    foreign = factories.PriorityNeighbourhoodFactory(name="Quartier d'ailleurs")
    response = coordinator_client.post(
        url("municipality_add", contract), municipality_data(**{"municipality-neighbourhoods": [foreign.pk]})
    )
    assert response.status_code == 200
    assert "Sélectionnez un choix valide." in response.content.decode()
    assert not contract.territory.municipalities.exists()


def test_neighbourhood_covers_several_municipalities(coordinator_client, contract):
    lens = factories.MunicipalityFactory(territory=contract.territory, name="Lens")
    lievin = factories.MunicipalityFactory(territory=contract.territory, name="Liévin")
    response = coordinator_client.post(
        url("neighbourhood_add", contract),
        {
            "neighbourhood-name": "Cité 9",
            "neighbourhood-code": "QN06201M",
            "neighbourhood-municipalities": [lens.pk, lievin.pk],
        },
    )
    assert response.status_code == 302
    neighbourhood = contract.territory.neighbourhoods.get()
    assert set(neighbourhood.municipalities.all()) == {lens, lievin}
    edit = coordinator_client.post(
        url("neighbourhood_edit", contract, neighbourhood.pk),
        {"name": "Cité 9", "code": "QN06201M", "municipalities": [lens.pk]},
    )
    assert edit.status_code == 302
    assert list(neighbourhood.municipalities.all()) == [lens]
    duplicate = coordinator_client.post(url("neighbourhood_add", contract), {"neighbourhood-name": "cité 9"})
    assert "Le quartier « cité 9 » existe déjà sur ce territoire." in duplicate.content.decode()


def test_territory_stated_figures_are_compared(coordinator_client, contract):
    factories.MunicipalityFactory(territory=contract.territory, population=1000)
    response = coordinator_client.post(
        url("edit_territory", contract),
        {"territory-name": "CALL", "territory-kind": "epci", "territory-region": "Hauts-de-France",
         "territory-stated_municipality_count": "36", "territory-stated_population": "242000"},
    )  # fmt: skip
    assert response.status_code == 302
    contract.territory.refresh_from_db()
    assert contract.territory.stated_municipality_count == 36
    page = coordinator_client.get(url("edit_territory", contract)).content.decode()
    assert "(écart)" in page


@pytest.mark.parametrize("count", [2, 10])
def test_territory_page_query_count_is_constant(
    coordinator_client, contract, django_assert_num_queries, count
):
    for _ in range(count):
        municipality = factories.MunicipalityFactory(
            territory=contract.territory, neighbourhood_inhabitants=10
        )
        municipality.neighbourhoods.add(factories.PriorityNeighbourhoodFactory(territory=contract.territory))
    coordinator_client.get(url("edit_territory", contract))
    with django_assert_num_queries(11):  # + the COG millésime loaded (issue 16)
        response = coordinator_client.get(url("edit_territory", contract))
    assert response.content.decode().count('id="municipality-') == count


# Signatories and the organisation picker


def test_signatory_added_with_a_new_organisation(coordinator_client, contract):
    response = coordinator_client.post(
        url("signatory_add", contract),
        {"signatory-organisation_name": "Communauté d'Agglomération de Lens-Liévin", "signatory-organisation_kind": "epci",
         "signatory-representative": "Sylvain Robert", "signatory-representative_title": "Président",
         "signatory-role": "Porteur du contrat"},
    )  # fmt: skip
    assert response.status_code == 302
    signatory = contract.signatories.get()
    assert signatory.organisation.kind == "epci"
    assert signatory.representative_title == "Président"


def test_picker_reuses_an_organisation_typed_differently(coordinator_client, contract):
    ars = factories.OrganisationFactory(name="ARS Hauts-de-France", kind=Organisation.Kind.ARS)
    coordinator_client.post(
        url("signatory_add", contract),
        {"signatory-organisation_name": "  ars HAUTS-DE-FRANCE ", "signatory-organisation_kind": "other"},
    )
    assert contract.signatories.get().organisation == ars
    assert Organisation.objects.filter(normalised_name="ars hauts-de-france").count() == 1
    again = coordinator_client.post(url("signatory_add", contract), {"signatory-organisation": ars.pk})
    assert "Cette organisation est déjà signataire du contrat." in again.content.decode()
    assert contract.signatories.count() == 1


def test_picker_requires_an_organisation(coordinator_client, contract):
    response = coordinator_client.post(url("signatory_add", contract), {"signatory-representative": "X"})
    assert (
        "Choisissez une organisation existante ou saisissez le nom d&#x27;une nouvelle organisation."
        in response.content.decode()
    )


def test_organisation_search_ignores_case_and_accents(coordinator_client, contract):
    factories.OrganisationFactory(name="Centre hospitalier de Liévin")
    factories.OrganisationFactory(name="Mairie de Lens")
    response = coordinator_client.get(
        url("organisation_search", contract), {"prefix": "signatory", "signatory-organisation_name": "LIEVIN"}
    )
    page = response.content.decode()
    assert "Centre hospitalier de Liévin" in page and "Mairie de Lens" not in page
    assert 'name="signatory-organisation"' in page
    assert "Nouvelle organisation « LIEVIN »" in page
    exact = coordinator_client.get(
        url("organisation_search", contract),
        {"prefix": "signatory", "signatory-organisation_name": "mairie de lens"},
    ).content.decode()
    assert "Nouvelle organisation" not in exact  # typing an existing name picks it


def test_organisation_search_is_for_editors_only(client, contract):
    client.force_login(factories.user_with_role(contract, MEMBER))
    assert client.get(url("organisation_search", contract), {"organisation_name": "ars"}).status_code == 403


def test_signatory_edit_changes_the_organisation(coordinator_client, contract):
    signatory = factories.SignatoryFactory(contract=contract, organisation__name="Ville de Lens")
    page = coordinator_client.get(url("signatory_edit", contract, signatory.pk)).content.decode()
    assert 'value="Ville de Lens"' in page
    coordinator_client.post(
        url("signatory_edit", contract, signatory.pk),
        {"signatory-organisation_name": "Ville de Liévin", "signatory-organisation_kind": "municipality", "signatory-representative": "L. Duporge"},
    )  # fmt: skip
    signatory.refresh_from_db()
    assert signatory.organisation.name == "Ville de Liévin"
    assert signatory.representative == "L. Duporge"


def test_signatories_reorder_without_javascript_and_with_htmx(coordinator_client, contract):
    first, second, third = (factories.SignatoryFactory(contract=contract, position=0) for _ in range(3))
    response = coordinator_client.post(url("signatory_move", contract, third.pk), {"direction": "up"})
    assert response.status_code == 302
    assert list(contract.signatories.order_by("position")) == [first, third, second]
    partial = coordinator_client.post(
        url("signatory_move", contract, first.pk), {"direction": "down"}, headers={"HX-Request": "true"}
    )
    assert partial.status_code == 200
    html = partial.content.decode()
    assert html.lstrip().startswith('<div id="signatories-list">') and "<html" not in html
    assert list(contract.signatories.order_by("position")) == [third, first, second]
    assert html.index(third.organisation.name) < html.index(first.organisation.name)


def test_moving_the_first_up_changes_nothing(coordinator_client, contract):
    first, second = (
        factories.SignatoryFactory(contract=contract),
        factories.SignatoryFactory(contract=contract),
    )
    coordinator_client.post(url("signatory_move", contract, first.pk), {"direction": "up"})
    assert list(contract.signatories.order_by("position", "pk")) == [first, second]
    assert (
        coordinator_client.post(
            url("signatory_move", contract, first.pk), {"direction": "sideways"}
        ).status_code
        == 400
    )


def test_signatory_delete_asks_then_deletes(coordinator_client, contract):
    signatory = factories.SignatoryFactory(contract=contract)
    page = coordinator_client.get(url("signatory_delete", contract, signatory.pk)).content.decode()
    assert "Confirmer la suppression" in page
    coordinator_client.post(url("signatory_delete", contract, signatory.pk))
    assert not Signatory.objects.filter(pk=signatory.pk).exists()
    assert Organisation.objects.filter(pk=signatory.organisation_id).exists()


@pytest.mark.parametrize("count", [2, 10])
def test_signatories_page_query_count_is_constant(
    coordinator_client, contract, django_assert_num_queries, count
):
    for _ in range(count):
        factories.SignatoryFactory(contract=contract)
    coordinator_client.get(url("edit_signatories", contract))
    with django_assert_num_queries(5):
        response = coordinator_client.get(url("edit_signatories", contract))
    assert response.content.decode().count('id="signatory-') == count


# Axes and objectives


def test_axis_added_then_objectives_nested_three_levels(coordinator_client, contract):
    coordinator_client.post(
        url("axis_add", contract), {"axis-code": "2", "axis-title": "Santé environnement"}
    )
    axis = contract.axes.get()
    coordinator_client.post(url("objective_add", contract, axis.pk), {"code": "2.1", "title": "Air"})
    level1 = axis.objectives.get()
    coordinator_client.post(
        url("objective_add", contract, axis.pk),
        {"parent": level1.pk, "code": "2.1.1", "title": "Air intérieur"},
    )
    level2 = level1.children.get()
    coordinator_client.post(
        url("objective_add", contract, axis.pk), {"parent": level2.pk, "code": "2.1.1.1", "title": "Crèches"}
    )
    level3 = level2.children.get()
    assert level3.title == "Crèches"
    page = coordinator_client.get(url("edit_axes", contract)).content.decode()
    assert page.index("2.1</strong>") < page.index("2.1.1</strong>") < page.index("2.1.1.1</strong>")
    assert page.count('class="opencls-tree"') == 3


def test_objective_parent_must_belong_to_the_axis(coordinator_client, contract):
    axis, other_axis = factories.AxisFactory(contract=contract), factories.AxisFactory(contract=contract)
    foreign_parent = factories.ObjectiveFactory(axis=other_axis)
    response = coordinator_client.post(
        url("objective_add", contract, axis.pk), {"parent": foreign_parent.pk, "title": "X"}
    )
    assert response.status_code == 404
    assert not axis.objectives.exists()


def test_axis_errors_are_in_french(coordinator_client, contract):
    response = coordinator_client.post(url("axis_add", contract), {"axis-code": "1"})
    assert "Ce champ est obligatoire." in response.content.decode()
    assert not contract.axes.exists()


def test_axes_and_sibling_objectives_reorder(coordinator_client, contract):
    first, second = factories.AxisFactory(contract=contract), factories.AxisFactory(contract=contract)
    response = coordinator_client.post(
        url("axis_move", contract, second.pk), {"direction": "up"}, headers={"HX-Request": "true"}
    )
    assert response.content.decode().lstrip().startswith('<div id="axes-list">')
    assert list(contract.axes.all()) == [second, first]
    parent = factories.ObjectiveFactory(axis=first)
    a, b = (
        factories.ObjectiveFactory(axis=first, parent=parent),
        factories.ObjectiveFactory(axis=first, parent=parent),
    )
    top = factories.ObjectiveFactory(axis=first)
    coordinator_client.post(url("objective_move", contract, b.pk), {"direction": "up"})
    assert list(parent.children.order_by("position", "pk")) == [b, a]
    top.refresh_from_db()
    assert top.parent is None  # only siblings move


def test_axis_with_actions_cannot_be_deleted(coordinator_client, contract):
    axis = factories.AxisFactory(contract=contract)
    factories.ActionFactory(axis=axis)
    response = coordinator_client.post(url("axis_delete", contract, axis.pk))
    assert "Cet axe contient 1 fiche(s) action" in response.content.decode()
    assert contract.axes.exists()
    empty = factories.AxisFactory(contract=contract)
    assert coordinator_client.post(url("axis_delete", contract, empty.pk)).status_code == 302
    assert not contract.axes.filter(pk=empty.pk).exists()


def test_objective_with_children_cannot_be_deleted(coordinator_client, contract):
    parent = factories.ObjectiveFactory(axis=factories.AxisFactory(contract=contract))
    child = factories.ObjectiveFactory(axis=parent.axis, parent=parent)
    action = factories.ActionFactory(axis=parent.axis, objective=child)
    response = coordinator_client.post(url("objective_delete", contract, parent.pk))
    assert "Cet objectif a des sous-objectifs : supprimez-les d&#x27;abord." in response.content.decode()
    assert (
        "1 fiche(s) action y sont rattachées"
        in coordinator_client.get(url("objective_delete", contract, child.pk)).content.decode()
    )
    coordinator_client.post(url("objective_delete", contract, child.pk))
    action.refresh_from_db()
    assert action.objective is None


@pytest.mark.parametrize("count", [2, 10])
def test_axes_page_query_count_is_constant(coordinator_client, contract, django_assert_num_queries, count):
    for _ in range(count):
        axis = factories.AxisFactory(contract=contract)
        parent = factories.ObjectiveFactory(axis=axis)
        factories.ObjectiveFactory(axis=axis, parent=parent)
        factories.ActionFactory(axis=axis)
    coordinator_client.get(url("edit_axes", contract))
    with django_assert_num_queries(6):
        response = coordinator_client.get(url("edit_axes", contract))
    assert response.content.decode().count('id="objective-') == 2 * count
