"""The core domain models in a contract's audit trail (other apps register their own).

Scopes read the historical tables only, so the changes of deleted objects stay visible.
"""

from functools import reduce
from operator import or_

from django.db.models import Q
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from opencls.accounts.models import Organisation
from opencls.actions.models import (
    Action,
    ActionOrganisation,
    Deliverable,
    FundingLine,
    Indicator,
    Operation,
    OperationOrganisation,
)
from opencls.contracts.models import Axis, Contract, ContractRole, DiagnosisIndicator, Objective, Signatory
from opencls.core.registry import HISTORY_SOURCES, HistorySource
from opencls.territories.models import Municipality, PriorityNeighbourhood, Territory


def action_ids(contract_pk):
    return Action.history.filter(contract_id=contract_pk).values("id")


def operation_ids(contract_pk):
    return Operation.history.filter(action_id__in=action_ids(contract_pk)).values("id")


def territory_ids(contract_pk):
    """Every territory the contract has had (a change of territory keeps the former one's trail)."""
    return Contract.history.filter(id=contract_pk).values("territory_id")


def organisation_ids_q(contract_pk):
    """The organisations the contract uses: named by a foreign key of any of its other history
    rows (leads, partners, signatories, funders, members…), as one condition on `id`."""
    conditions = [
        Q(id__in=source.scope(contract_pk).values(field.attname))
        for source in HISTORY_SOURCES.values()
        if source.model is not Organisation
        for field in source.model._meta.concrete_fields
        if field.many_to_one and field.related_model is Organisation
    ]
    return reduce(or_, conditions, Q(pk__in=[]))


def short(text):
    return Truncator(text).chars(120)


def as_instance(record, related):
    return short(str(record.instance))


def involvement(record, related):
    return f"{related(record, 'organisation')} ({record.get_involvement_display().lower()})"


CORE_HISTORY_SOURCES = [
    HistorySource(
        "territory",
        _("Territoire"),
        Territory,
        lambda pk: Territory.history.filter(id__in=territory_ids(pk)),
        as_instance,
    ),
    HistorySource(
        "municipality",
        _("Commune"),
        Municipality,
        lambda pk: Municipality.history.filter(territory_id__in=territory_ids(pk)),
        as_instance,
    ),
    HistorySource(
        "neighbourhood",
        _("Quartier prioritaire (QPV)"),
        PriorityNeighbourhood,
        lambda pk: PriorityNeighbourhood.history.filter(territory_id__in=territory_ids(pk)),
        as_instance,
    ),
    HistorySource(
        "organisation",
        _("Organisation"),
        Organisation,
        lambda pk: Organisation.history.filter(organisation_ids_q(pk)),
        as_instance,
    ),
    HistorySource("contract", _("Contrat"), Contract, lambda pk: Contract.history.filter(id=pk), as_instance),
    HistorySource(
        "role",
        _("Rôle"),
        ContractRole,
        lambda pk: ContractRole.history.filter(contract_id=pk),
        lambda record, related: f"{related(record, 'user')} — {record.get_role_display()}",
        ("user",),
    ),
    HistorySource(
        "signatory",
        _("Signataire"),
        Signatory,
        lambda pk: Signatory.history.filter(contract_id=pk),
        lambda record, related: str(related(record, "organisation")),
        ("organisation",),
    ),
    HistorySource(
        "diagnosis_indicator",
        _("Indicateur de diagnostic"),
        DiagnosisIndicator,
        lambda pk: DiagnosisIndicator.history.filter(contract_id=pk),
        as_instance,
    ),
    HistorySource(
        "axis", _("Axe stratégique"), Axis, lambda pk: Axis.history.filter(contract_id=pk), as_instance
    ),
    HistorySource(
        "objective",
        _("Objectif"),
        Objective,
        lambda pk: Objective.history.filter(axis_id__in=Axis.history.filter(contract_id=pk).values("id")),
        as_instance,
    ),
    HistorySource(
        "action", _("Fiche action"), Action, lambda pk: Action.history.filter(contract_id=pk), as_instance
    ),
    HistorySource(
        "action_organisation",
        _("Porteur ou partenaire d'une fiche action"),
        ActionOrganisation,
        lambda pk: ActionOrganisation.history.filter(action_id__in=action_ids(pk)),
        involvement,
        ("organisation",),
    ),
    HistorySource(
        "operation",
        _("Opération"),
        Operation,
        lambda pk: Operation.history.filter(action_id__in=action_ids(pk)),
        as_instance,
    ),
    HistorySource(
        "operation_organisation",
        _("Porteur ou partenaire d'une opération"),
        OperationOrganisation,
        lambda pk: OperationOrganisation.history.filter(operation_id__in=operation_ids(pk)),
        involvement,
        ("organisation",),
    ),
    HistorySource(
        "deliverable",
        _("Livrable"),
        Deliverable,
        lambda pk: Deliverable.history.filter(action_id__in=action_ids(pk)),
        as_instance,
    ),
    HistorySource(
        "indicator",
        _("Indicateur"),
        Indicator,
        lambda pk: Indicator.history.filter(action_id__in=action_ids(pk)),
        as_instance,
    ),
    HistorySource(
        "funding_line",
        _("Ligne de financement"),
        FundingLine,
        lambda pk: FundingLine.history.filter(action_id__in=action_ids(pk)),
        lambda record, related: " ".join(
            str(part)
            for part in (related(record, "funder") or record.get_kind_display(), record.year)
            if part
        ),
        ("funder",),
    ),
]
