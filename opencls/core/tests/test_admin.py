"""The Django admin, for the platform's staff: every core model is there, with its history."""

import pytest
from bs4 import BeautifulSoup
from django.contrib import admin
from django.urls import reverse

from opencls.accounts.models import Organisation, User
from opencls.actions.models import Action, Deliverable, FundingLine, Indicator, Operation
from opencls.contracts.models import Axis, Contract, ContractRole, DiagnosisIndicator, Objective, Signatory
from opencls.territories.models import Municipality, PriorityNeighbourhood, Territory
from opencls.testing.factories import (
    ActionFactory,
    AxisFactory,
    ContractFactory,
    DeliverableFactory,
    DiagnosisIndicatorFactory,
    FundingLineFactory,
    IndicatorFactory,
    MunicipalityFactory,
    ObjectiveFactory,
    OperationFactory,
    OrganisationFactory,
    PriorityNeighbourhoodFactory,
    SignatoryFactory,
    UserFactory,
    user_with_role,
)

pytestmark = pytest.mark.django_db
CORE_MODELS = [
    Organisation,
    User,
    Territory,
    Municipality,
    PriorityNeighbourhood,
    Contract,
    ContractRole,
    Signatory,
    Axis,
    Objective,
    DiagnosisIndicator,
    Action,
    Operation,
    Deliverable,
    Indicator,
    FundingLine,
]


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.fixture
def staff(client):
    user = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(user)
    return user


def one_of_each():
    contract = ContractFactory()
    axis = AxisFactory(contract=contract)
    action = ActionFactory(axis=axis, objective=ObjectiveFactory(axis=axis), leads=[OrganisationFactory()])
    operation = OperationFactory(action=action, leads=[OrganisationFactory()])
    municipality = MunicipalityFactory(territory=contract.territory)
    municipality.neighbourhoods.add(PriorityNeighbourhoodFactory(territory=contract.territory))
    user = user_with_role(contract, ContractRole.Role.COORDINATOR)
    return {
        Organisation: user.organisation,
        User: user,
        Territory: contract.territory,
        Municipality: municipality,
        PriorityNeighbourhood: municipality.neighbourhoods.get(),
        Contract: contract,
        ContractRole: user.contract_roles.get(),
        Signatory: SignatoryFactory(contract=contract),
        Axis: axis,
        Objective: action.objective,
        DiagnosisIndicator: DiagnosisIndicatorFactory(contract=contract),
        Action: action,
        Operation: operation,
        Deliverable: DeliverableFactory(action=action, operation=operation),
        Indicator: IndicatorFactory(action=action),
        FundingLine: FundingLineFactory(action=action),
    }


def test_every_core_model_is_in_the_admin_with_its_history():
    for model in CORE_MODELS:
        assert admin.site.is_registered(model), model
        if hasattr(model, "history"):
            assert hasattr(admin.site.get_model_admin(model), "history_form_view"), model


def test_every_admin_page_opens(client, staff):
    objects = one_of_each()
    for model, obj in objects.items():
        for url in (
            admin_url(model, "changelist"),
            admin_url(model, "changelist") + "?q=1",
            admin_url(model, "add"),
            admin_url(model, "change", obj.pk),
            admin_url(model, "history", obj.pk),
        ):
            response = client.get(url)
            assert response.status_code == 200, url


def test_admin_history_shows_the_author_of_a_change(client, staff):
    action = ActionFactory(title="Ancien intitulé")
    action.title = "Nouvel intitulé"
    action._history_user = staff  # what HistoryRequestMiddleware does inside a request
    action.save()
    page = BeautifulSoup(client.get(admin_url(Action, "history", action.pk)).content, "html.parser")
    rows = [row.get_text(" ", strip=True) for row in page.select("#change-history tbody tr")]
    assert len(rows) == 2
    assert str(staff) in rows[0] or staff.username in rows[0]


def test_admin_search_finds_an_action_by_its_lead(client, staff):
    ActionFactory(
        title="Santé mentale des jeunes", leads=[OrganisationFactory(name="Maison des adolescents")]
    )
    ActionFactory(title="Nutrition")
    response = client.get(admin_url(Action, "changelist"), {"q": "adolescents"})
    text = BeautifulSoup(response.content, "html.parser").select_one("#result_list").get_text()
    assert "Santé mentale des jeunes" in text
    assert "Nutrition" not in text


# Session, user, count(s), the page with its related objects, filters' choices.
ADMIN_LIST_QUERIES = [
    (Contract, ContractFactory, 6),
    (Action, ActionFactory, 5),
    (User, UserFactory, 6),
    (Municipality, MunicipalityFactory, 5),
    (FundingLine, FundingLineFactory, 6),
]


@pytest.mark.parametrize("count", [2, 10])
@pytest.mark.parametrize(
    "model, factory, queries", ADMIN_LIST_QUERIES, ids=lambda value: getattr(value, "__name__", None)
)
def test_admin_lists_in_constant_queries(
    client, staff, django_assert_num_queries, model, factory, queries, count
):
    factory.create_batch(count)
    url = admin_url(model, "changelist")
    client.get(url)  # warm caches that are not per request (content types)
    with django_assert_num_queries(queries):
        response = client.get(url)
    rows = BeautifulSoup(response.content, "html.parser").select("#result_list tbody tr")
    assert len(rows) == model.objects.count()


def test_non_staff_users_are_sent_to_the_admin_login(client):
    client.force_login(UserFactory())
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))


def test_staff_without_permissions_cannot_open_a_list(client):
    client.force_login(UserFactory(is_staff=True))
    assert client.get(admin_url(Contract, "changelist")).status_code == 403
