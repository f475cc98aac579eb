"""Finance factories, and the CLSI de la Marque et du Mélantois (004) as the seed states it."""

from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from opencls.accounts.models import Organisation
from opencls.contracts.models import ContractRole
from opencls.finance.models import CoordinatorPostFunding, StatedShare
from opencls.testing.factories import (
    ContractFactory,
    MunicipalityFactory,
    OrganisationFactory,
    SignatoryFactory,
    TerritoryFactory,
    user_with_role,
)

# Populations from the Villeneuve d'Ascq deliberation of 4 November 2025, in its order.
CLSI2M_POPULATIONS = {
    "Baisieux": 5177,
    "Bouvines": 755,
    "Gruson": 1237,
    "Forest-sur-Marque": 1659,
    "Péronne-en-Mélantois": 1004,
    "Sainghin-en-Mélantois": 2848,
    "Willems": 2996,
    "Villeneuve d'Ascq": 62067,
}
# Article 5 of the contract, as signed.
CLSI2M_STATED = {
    None: "50.00",
    "Villeneuve d'Ascq": "39.92",
    "Baisieux": "3.33",
    "Willems": "1.92",
    "Sainghin-en-Mélantois": "1.83",
    "Forest-sur-Marque": "1.06",
    "Gruson": "0.79",
    "Péronne-en-Mélantois": "0.64",
    "Bouvines": "0.48",
}


class CoordinatorPostFundingFactory(DjangoModelFactory):
    class Meta:
        model = CoordinatorPostFunding

    contract = factory.SubFactory(ContractFactory)
    ars_rate = Decimal("50.00")
    ars_yearly_cap = Decimal("30000.00")


class StatedShareFactory(DjangoModelFactory):
    class Meta:
        model = StatedShare

    contract = factory.SubFactory(ContractFactory)
    stated_percentage = Decimal("50.00")


def clsi2m_contract(*, yearly_cost=None, stated=True):
    """The 004 contract: its eight communes, the ARS signatory, the rule and the signed table."""
    territory = TerritoryFactory(name="Marque et Mélantois")
    contract = ContractFactory(
        title="CLSI de la Marque et du Mélantois", short_name="CLSI2M", territory=territory
    )
    ars = OrganisationFactory(name="Agence régionale de santé Hauts-de-France", kind=Organisation.Kind.ARS)
    SignatoryFactory(contract=contract, organisation=ars)
    municipalities = {
        name: MunicipalityFactory(territory=territory, name=name, population=population, position=position)
        for position, (name, population) in enumerate(CLSI2M_POPULATIONS.items())
    }
    CoordinatorPostFundingFactory(
        contract=contract,
        ars_organisation=ars,
        yearly_cost=Decimal(yearly_cost) if yearly_cost is not None else None,
    )
    if stated:
        for name, percentage in CLSI2M_STATED.items():
            StatedShareFactory(
                contract=contract,
                municipality=municipalities[name] if name else None,
                stated_percentage=Decimal(percentage),
            )
    return contract


def coordinator(contract):
    return user_with_role(contract, ContractRole.Role.COORDINATOR)
