"""Factories of the core domain, shared by every app's tests."""

import factory
from factory.django import DjangoModelFactory

from opencls.accounts.models import Organisation, User
from opencls.actions.models import (
    Action,
    ActionOrganisation,
    Deliverable,
    FundingLine,
    Indicator,
    Involvement,
    Operation,
    OperationOrganisation,
)
from opencls.contracts.models import Axis, Contract, ContractRole, DiagnosisIndicator, Objective, Signatory
from opencls.geo.selectors import departments, region_code_for_name
from opencls.territories.models import Municipality, PriorityNeighbourhood, Territory

DEFAULT_PASSWORD = "motdepasse-de-test-42"


class OrganisationFactory(DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")
    kind = Organisation.Kind.ASSOCIATION


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"utilisateur{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@exemple.fr")
    first_name = "Camille"
    last_name = factory.Sequence(lambda n: f"Martin{n}")
    organisation = factory.SubFactory(OrganisationFactory)
    password = factory.PostGenerationMethodCall("set_password", DEFAULT_PASSWORD)

    @factory.post_generation
    def saved(obj, create, extracted, **kwargs):
        if create:
            obj.save()


def default_department_code(region_code: str) -> str:
    if region_code == "32":
        return "59"
    listed = departments(region_code) if region_code else []
    return listed[0][0] if listed else ""


class TerritoryFactory(DjangoModelFactory):
    class Meta:
        model = Territory

    name = factory.Sequence(lambda n: f"Territoire {n}")
    region = "Hauts-de-France"
    # Official codes follow the région's name (issue 16): "32" and the Nord ("59") by default.
    region_code = factory.LazyAttribute(lambda t: region_code_for_name(t.region))
    department_code = factory.LazyAttribute(lambda t: default_department_code(t.region_code))


class MunicipalityFactory(DjangoModelFactory):
    class Meta:
        model = Municipality

    territory = factory.SubFactory(TerritoryFactory)
    name = factory.Sequence(lambda n: f"Commune {n}")
    population = 1000


class PriorityNeighbourhoodFactory(DjangoModelFactory):
    class Meta:
        model = PriorityNeighbourhood

    territory = factory.SubFactory(TerritoryFactory)
    name = factory.Sequence(lambda n: f"Quartier {n}")


class ContractFactory(DjangoModelFactory):
    class Meta:
        model = Contract

    title = factory.Sequence(lambda n: f"Contrat local de santé n°{n}")
    territory = factory.SubFactory(TerritoryFactory)
    kind = Contract.Kind.CLS

    class Params:
        published = factory.Trait(is_published=True)


class ContractRoleFactory(DjangoModelFactory):
    class Meta:
        model = ContractRole

    contract = factory.SubFactory(ContractFactory)
    user = factory.SubFactory(UserFactory)
    role = ContractRole.Role.MEMBER


class SignatoryFactory(DjangoModelFactory):
    class Meta:
        model = Signatory

    contract = factory.SubFactory(ContractFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    representative = "Dominique Durand"
    position = factory.Sequence(int)


class AxisFactory(DjangoModelFactory):
    class Meta:
        model = Axis

    contract = factory.SubFactory(ContractFactory)
    code = factory.Sequence(lambda n: str(n + 1))
    title = factory.Sequence(lambda n: f"Axe stratégique {n}")
    position = factory.Sequence(int)


class ObjectiveFactory(DjangoModelFactory):
    class Meta:
        model = Objective

    axis = factory.SubFactory(AxisFactory)
    title = factory.Sequence(lambda n: f"Objectif {n}")


class DiagnosisIndicatorFactory(DjangoModelFactory):
    class Meta:
        model = DiagnosisIndicator

    contract = factory.SubFactory(ContractFactory)
    label = "Densité de médecins généralistes pour 100 000 habitants"
    territory_value = "78,2"
    region_value = "89,5"
    nation_value = "85,1"


class ActionFactory(DjangoModelFactory):
    class Meta:
        model = Action
        skip_postgeneration_save = True

    axis = factory.SubFactory(AxisFactory)
    contract = factory.SelfAttribute("axis.contract")
    code = factory.Sequence(lambda n: f"FA {n}")
    title = factory.Sequence(lambda n: f"Fiche action {n}")
    position = factory.Sequence(int)

    @factory.post_generation
    def leads(action, create, extracted, **kwargs):
        for position, organisation in enumerate(extracted or []):
            ActionOrganisation.objects.create(
                action=action, organisation=organisation, involvement=Involvement.LEAD, position=position
            )


class OperationFactory(DjangoModelFactory):
    class Meta:
        model = Operation
        skip_postgeneration_save = True

    action = factory.SubFactory(ActionFactory)
    title = factory.Sequence(lambda n: f"Opération {n}")
    position = factory.Sequence(int)

    @factory.post_generation
    def leads(operation, create, extracted, **kwargs):
        for position, organisation in enumerate(extracted or []):
            OperationOrganisation.objects.create(
                operation=operation,
                organisation=organisation,
                involvement=Involvement.LEAD,
                position=position,
            )


class DeliverableFactory(DjangoModelFactory):
    class Meta:
        model = Deliverable

    action = factory.SubFactory(ActionFactory)
    text = "Organisation d'au moins deux sessions de sensibilisation par an"


class IndicatorFactory(DjangoModelFactory):
    class Meta:
        model = Indicator

    action = factory.SubFactory(ActionFactory)
    kind = Indicator.Kind.PROCESS
    label = factory.Sequence(lambda n: f"Nombre de sessions {n}")


class FundingLineFactory(DjangoModelFactory):
    class Meta:
        model = FundingLine

    action = factory.SubFactory(ActionFactory)
    funder = factory.SubFactory(OrganisationFactory, kind=Organisation.Kind.ARS, name="ARS Hauts-de-France")
    kind = FundingLine.Kind.ARS_CPOM
    year = 2026
    planned_amount = "1000.00"


def user_with_role(contract, role, **user_kwargs):
    user = UserFactory(**user_kwargs)
    ContractRole.objects.create(contract=contract, user=user, role=role)
    return user
