import pytest
from django.core.cache import cache

from opencls.contracts.models import ContractRole
from opencls.monitoring.tests.factories import IndicatorValueFactory
from opencls.testing import factories


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()  # the rate limits count in the cache
    yield
    cache.clear()


@pytest.fixture
def world(db):
    """A contract with a public fiche (public indicator with a value), a private fiche and a
    private indicator; nothing published yet."""
    contract = factories.ContractFactory(title="CLS de la Vallée")
    coordinator = factories.UserFactory()
    ContractRole.objects.create(contract=contract, user=coordinator, role=ContractRole.Role.COORDINATOR)
    axis = factories.AxisFactory(contract=contract, title="Accès aux soins")
    public = factories.ActionFactory(
        axis=axis,
        title="Bus santé itinérant",
        is_public=True,
        leads=[factories.OrganisationFactory(name="CCAS")],
    )
    private = factories.ActionFactory(axis=axis, title="Fiche confidentielle en préparation")
    shown = factories.IndicatorFactory(action=public, label="Nombre de passages du bus", is_public=True)
    hidden = factories.IndicatorFactory(action=public, label="Indicateur interne")
    IndicatorValueFactory(indicator=shown, year=2025, period="2025", value="42")
    IndicatorValueFactory(indicator=hidden, year=2025, period="2025", value="7")
    factories.FundingLineFactory(action=public, planned_amount="98765.00")
    return {
        "contract": contract,
        "coordinator": coordinator,
        "axis": axis,
        "public": public,
        "private": private,
        "shown": shown,
        "hidden": hidden,
    }
