import datetime

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils import timezone

from opencls.contracts.models import Contract, ContractRole
from opencls.governance.models import GovernanceBody, SignatureState
from opencls.governance.tests.factories import GovernanceBodyFactory, MeetingFactory
from opencls.monitoring.alerts import monitoring_alerts
from opencls.monitoring.models import DeliverableFollowUp
from opencls.monitoring.tests.factories import IndicatorTargetFactory
from opencls.region.models import ActionTheme, Theme
from opencls.region.selectors import Filters, RegionalStatus, open_alerts, regional_view
from opencls.testing.factories import (
    ActionFactory,
    AxisFactory,
    ContractFactory,
    DeliverableFactory,
    IndicatorFactory,
    OrganisationFactory,
    PriorityNeighbourhoodFactory,
    SignatoryFactory,
    TerritoryFactory,
    UserFactory,
    user_with_role,
)

pytestmark = pytest.mark.django_db
HOME = reverse("region:home")
TODAY = datetime.date(2026, 6, 15)


def hdf_territory(department="59", **kwargs):
    return TerritoryFactory(
        region="Hauts-de-France", region_code="32", department_code=department, department="Nord", **kwargs
    )


def titles(response):
    page = BeautifulSoup(response.content, "html.parser")
    return [row.find("a").get_text(strip=True) for row in page.select("#region-table tbody tr")]


def ars_reader():
    return UserFactory(ars_region="Hauts-de-France")


def test_anonymous_is_sent_to_login(client):
    response = client.get(HOME)
    assert response.status_code == 302 and "/comptes/" in response["Location"]


def test_an_ars_reader_sees_the_region_and_nothing_of_another(client):
    mine = ContractFactory(title="CLS du Nord", territory=hdf_territory())
    ContractFactory(title="CLS breton", territory=TerritoryFactory(region="Bretagne", region_code="53"))
    client.force_login(ars_reader())
    assert titles(client.get(HOME)) == [mine.title]
    client.force_login(UserFactory(ars_region="Occitanie"))
    response = client.get(HOME)
    assert titles(response) == [] and "Aucun contrat dans votre périmètre" in response.content.decode()


def test_a_porteur_sees_only_their_own_contracts(client):
    mine = ContractFactory(title="Le mien", territory=hdf_territory())
    ContractFactory(title="Un autre", territory=hdf_territory())
    porteur = user_with_role(mine, ContractRole.Role.LEAD)
    client.force_login(porteur)
    assert titles(client.get(HOME)) == ["Le mien"]


def test_statuses_from_status_dates_and_signatures():
    user = ars_reader()
    draft = ContractFactory(title="A brouillon", territory=hdf_territory())
    signing = ContractFactory(title="B en signature", territory=hdf_territory())
    signatories = [SignatoryFactory(contract=signing) for _ in range(2)]
    SignatureState.objects.create(contract=signing, signatory=signatories[0], signed_on=TODAY)
    in_force = ContractFactory(
        title="C en vigueur",
        territory=hdf_territory(),
        status=Contract.Status.IN_FORCE,
        end_date=TODAY.replace(year=2029),
    )
    ending = ContractFactory(
        title="D se termine",
        territory=hdf_territory(),
        status=Contract.Status.IN_FORCE,
        end_date=TODAY.replace(month=12),
    )
    ended = ContractFactory(
        title="E fini",
        territory=hdf_territory(),
        status=Contract.Status.IN_FORCE,
        end_date=TODAY.replace(year=2025),
    )
    view = regional_view(user, Filters(), TODAY)
    assert [(row.contract.title, row.status) for row in view.rows] == [
        (draft.title, RegionalStatus.DRAFT),
        (signing.title, RegionalStatus.SIGNING),
        (in_force.title, RegionalStatus.IN_FORCE),
        (ending.title, RegionalStatus.ENDING),
        (ended.title, RegionalStatus.ENDED),
    ]
    assert view.rows[1].signature_label == "1 / 2"
    assert view.total == 5 and set(view.by_status.values()) == {1}
    only = regional_view(user, Filters(status=RegionalStatus.ENDING), TODAY)
    assert [row.contract for row in only.rows] == [ending]


def test_bulk_alerts_say_what_the_contract_dashboard_says():
    contract = ContractFactory(territory=hdf_territory(), start_date=datetime.date(2024, 1, 1))
    action = ActionFactory(axis=AxisFactory(contract=contract), end_date=datetime.date(2026, 3, 31))
    indicator = IndicatorFactory(action=action)
    IndicatorTargetFactory(indicator=indicator, year=2025, period="2025", value="5")
    DeliverableFactory(action=action)  # due with the action's end, not done
    done = DeliverableFactory(action=action)
    DeliverableFollowUp.objects.create(contract=contract, deliverable=done, is_done=True, done_on=TODAY)
    for today in (TODAY, datetime.date(2026, 2, 1)):
        expected = [alert.title for alert in monitoring_alerts(contract, today)]
        found = open_alerts([contract], today)[contract.pk]
        assert len(found) == len(expected), (found, expected)
    assert open_alerts([contract], TODAY)[contract.pk] == ["1 cible non atteinte", "1 livrable en retard"]


def test_last_copil_and_its_minutes():
    contract = ContractFactory(territory=hdf_territory())
    copil = GovernanceBodyFactory(contract=contract, kind=GovernanceBody.Kind.STEERING)
    technical = GovernanceBodyFactory(contract=contract, kind=GovernanceBody.Kind.TECHNICAL)
    past = timezone.now() - datetime.timedelta(days=30)
    MeetingFactory(body=copil, starts_at=past - datetime.timedelta(days=300), minutes="Compte rendu")
    MeetingFactory(body=copil, starts_at=past)
    MeetingFactory(body=technical, starts_at=timezone.now() - datetime.timedelta(days=1))
    MeetingFactory(body=copil, starts_at=timezone.now() + datetime.timedelta(days=30))  # not held yet
    row = regional_view(ars_reader(), Filters(), TODAY).rows[0]
    assert row.contract.last_copil_at == past and row.contract.last_copil_minutes is False


def test_filters_department_kind_theme_porteur_qpv(client):
    user = ars_reader()
    lens = ContractFactory(title="Lens", territory=hdf_territory("62"), kind=Contract.Kind.CLS)
    marque = ContractFactory(title="Marque", territory=hdf_territory("59"), kind=Contract.Kind.CLSI)
    PriorityNeighbourhoodFactory(territory=lens.territory)
    porteur = OrganisationFactory(name="Association Porteuse")
    action = ActionFactory(axis=AxisFactory(contract=marque), leads=[porteur])
    theme = Theme.objects.get(code="sante-mentale")
    ActionTheme.objects.create(contract=marque, action=action, theme=theme, state=ActionTheme.State.CONFIRMED)
    client.force_login(user)
    assert titles(client.get(HOME, {"department": "62"})) == ["Lens"]
    assert titles(client.get(HOME, {"kind": "clsi"})) == ["Marque"]
    assert titles(client.get(HOME, {"theme": theme.pk})) == ["Marque"]
    assert titles(client.get(HOME, {"organisation": porteur.pk})) == ["Marque"]
    assert titles(client.get(HOME, {"qpv": "yes"})) == ["Lens"]
    assert titles(client.get(HOME, {"qpv": "no"})) == ["Marque"]
    assert titles(client.get(HOME, {"territory": lens.territory_id})) == ["Lens"]
    assert titles(client.get(HOME, {"sort": "-title"})) == ["Marque", "Lens"]
    # A suggested theme counts, a rejected one does not; forged values are ignored, not errors.
    ActionTheme.objects.filter(action=action).update(state=ActionTheme.State.SUGGESTED)
    assert titles(client.get(HOME, {"theme": theme.pk})) == ["Marque"]
    ActionTheme.objects.filter(action=action).update(state=ActionTheme.State.REJECTED)
    assert titles(client.get(HOME, {"theme": theme.pk})) == []
    assert titles(client.get(HOME, {"department": "<script>", "territory": "abc", "sort": "nope"})) == [
        "Lens",
        "Marque",
    ]
    # Another région's territory is not a choice: ignored.
    foreign = ContractFactory(territory=TerritoryFactory(region="Bretagne"))
    assert titles(client.get(HOME, {"territory": foreign.territory_id})) == ["Lens", "Marque"]


def test_htmx_request_gets_the_results_only(client):
    ContractFactory(title="Lens", territory=hdf_territory("62"))
    client.force_login(ars_reader())
    response = client.get(HOME, {"department": "62"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "region-table" in html and "<html" not in html and "region-filters" not in html


def test_pagination_keeps_the_filters(client):
    for n in range(30):
        ContractFactory(title=f"Contrat {n:02d}", territory=hdf_territory("62"))
    client.force_login(ars_reader())
    first = client.get(HOME, {"department": "62"})
    assert len(titles(first)) == 25
    page = BeautifulSoup(first.content, "html.parser")
    assert page.select_one("[data-total=contracts]").get_text(strip=True) == "30"
    next_link = page.select_one(".fr-pagination__link--next")["href"]
    assert "department=62" in next_link and "page=2" in next_link
    assert len(titles(client.get(HOME, {"department": "62", "page": 2}))) == 5


@pytest.mark.parametrize("count", [2, 10])
def test_query_count_does_not_grow_with_contracts(client, django_assert_num_queries, count):
    user = ars_reader()
    for n in range(count):
        contract = ContractFactory(territory=hdf_territory(), start_date=datetime.date(2024, 1, 1))
        action = ActionFactory(axis=AxisFactory(contract=contract), leads=[OrganisationFactory()])
        IndicatorTargetFactory(indicator=IndicatorFactory(action=action), year=2025, period="2025", value="1")
        DeliverableFactory(action=action)
        SignatoryFactory(contract=contract)
        body = GovernanceBodyFactory(contract=contract, kind=GovernanceBody.Kind.STEERING)
        MeetingFactory(body=body, starts_at=timezone.now() - datetime.timedelta(days=n + 1))
        ActionTheme.objects.create(contract=contract, action=action, theme=Theme.objects.first())
    client.force_login(user)
    # Session, user; territories, porteurs and themes of the filters; the filtered summary; the
    # page's contracts; their actions' statuses, campaigns; alerts (targets, values, deliverables,
    # evaluation reports).
    with django_assert_num_queries(13):
        response = client.get(HOME)
    assert len(titles(response)) == count
