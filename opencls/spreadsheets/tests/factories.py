"""A plan with every field filled, to export, edit and import back."""

from datetime import date
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from opencls.accounts.models import Organisation
from opencls.actions.models import (
    ActionOrganisation,
    Deliverable,
    FundingLine,
    Indicator,
    Involvement,
    OperationOrganisation,
)
from opencls.contracts.models import ContractRole
from opencls.monitoring.models import IndicatorTarget, IndicatorValue, Status, StatusEntry
from opencls.spreadsheets.models import ActionPlanDetails, Participation, PlanUpload, Priority
from opencls.testing.factories import (
    ActionFactory,
    AxisFactory,
    ContractFactory,
    MunicipalityFactory,
    ObjectiveFactory,
    OperationFactory,
    OrganisationFactory,
    UserFactory,
)


class PlanUploadFactory(DjangoModelFactory):
    class Meta:
        model = PlanUpload

    contract = factory.SubFactory(ContractFactory)
    user = factory.SubFactory(UserFactory)
    filename = factory.Sequence(lambda n: f"plan-{n}.xlsx")
    source = PlanUpload.Source.OPENCLS


def coordinator_of(contract, **kwargs):
    user = UserFactory(**kwargs)
    ContractRole.objects.create(contract=contract, user=user, role=ContractRole.Role.COORDINATOR)
    return user


def rich_plan(contract=None, *, actions: int = 3, axes: int = 2):
    """A contract whose plan uses every field the spreadsheets carry."""
    contract = contract or ContractFactory(start_date=date(2024, 1, 1), end_date=date(2028, 12, 31))
    ars = Organisation.objects.filter(name="ARS Hauts-de-France").first() or OrganisationFactory(
        name="ARS Hauts-de-France", kind=Organisation.Kind.ARS
    )
    city = OrganisationFactory(name=f"Ville de Lens {contract.pk}", kind=Organisation.Kind.MUNICIPALITY)
    partner = OrganisationFactory(name=f"Association Santé Partagée {contract.pk}")
    axis_objects = []
    for a in range(axes):
        axis = AxisFactory(
            contract=contract, code=str(a + 1), title=f"Axe {a + 1} — Accès aux soins", position=a
        )
        parent = ObjectiveFactory(axis=axis, code=f"{a + 1}.1", title="Améliorer l'accès aux droits")
        child = ObjectiveFactory(
            axis=axis, parent=parent, code=f"{a + 1}.1.1", title="Informer les habitants > 65 ans"
        )
        axis_objects.append((axis, child))
    statuses = list(Status.values)
    for n in range(actions):
        axis, objective = axis_objects[n % axes]
        action = ActionFactory(
            contract=contract,
            axis=axis,
            objective=objective,
            code=f"FA {n + 1}",
            title=f"Fiche action n°{n + 1} : développer la prévention",
            context="Un territoire sous-doté.\nDes besoins croissants.",
            description=f"Descriptif de l'action {n + 1}",
            target_publics="Jeunes de 16 à 25 ans",
            funding_text="CPOM ARS",
            schedule="2025-2026",
            start_date=date(2025, 1, 1),
            end_date=date(2026, 12, 31),
            area="Lens, Liévin",
            position=n,
        )
        ActionOrganisation.objects.create(action=action, organisation=city, involvement=Involvement.LEAD)
        ActionOrganisation.objects.create(
            action=action, organisation=partner, involvement=Involvement.PARTNER, position=1
        )
        ActionPlanDetails.objects.create(
            contract=contract,
            action=action,
            priority=Priority.HIGH,
            objectives_text="Réduire le renoncement aux soins",
            governance_text="COTECH deux fois par an",
            participation=Participation.CONSULTATION,
        )
        StatusEntry.objects.create(
            contract=contract, action=action, status=statuses[n % len(statuses)], date=date(2025, 3, 1)
        )
        operation = OperationFactory(
            action=action,
            title=f"Opération {n + 1}.1 : ateliers",
            objective_text="Sensibiliser",
            description="Des ateliers dans les quartiers",
            start_date=date(2025, 2, 1),
            end_date=date(2025, 6, 30),
            position=0,
        )
        OperationOrganisation.objects.create(
            operation=operation, organisation=partner, involvement=Involvement.LEAD
        )
        StatusEntry.objects.create(
            contract=contract,
            action=action,
            operation=operation,
            status=Status.IN_PROGRESS,
            date=date(2025, 3, 1),
        )
        Deliverable.objects.create(action=action, text="Au moins deux ateliers par an", position=0)
        Deliverable.objects.create(action=action, operation=operation, text="Un bilan écrit", position=1)
        indicator = Indicator.objects.create(
            action=action, kind=Indicator.Kind.PROCESS, label=f"Nombre d'ateliers {n + 1}", unit="ateliers"
        )
        Indicator.objects.create(
            action=action,
            operation=operation,
            kind=Indicator.Kind.RESULT,
            label="Participants",
            unit="personnes",
        )
        for year, target in ((2025, "2"), (2026, "4")):
            IndicatorTarget.objects.create(
                contract=contract, indicator=indicator, year=year, period=str(year), value=Decimal(target)
            )
        IndicatorValue.objects.create(
            contract=contract, indicator=indicator, year=2025, period="2025", value=3
        )
        FundingLine.objects.create(
            action=action,
            funder=ars,
            kind=FundingLine.Kind.ARS_CPOM,
            year=2025,
            planned_amount=Decimal("12000.00"),
            granted_amount=Decimal("10000.50"),
            comment="CPOM",
        )
        FundingLine.objects.create(
            action=action,
            operation=operation,
            funder=city,
            kind=FundingLine.Kind.LOCAL_AUTHORITY,
            year=2026,
            planned_amount=Decimal("3000"),
        )
    MunicipalityFactory(territory=contract.territory, name="Lens", insee_code="62498", population=32000)
    MunicipalityFactory(territory=contract.territory, name="Liévin", insee_code="62510", population=30000)
    return contract
