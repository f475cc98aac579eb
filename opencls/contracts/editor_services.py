"""Writes of the contract editor: general fields, territory, signatories, axes and objectives.

Views pass the cleaned data of a form; every multi-step write runs in one transaction.
"""

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _

from opencls.accounts.models import Organisation
from opencls.accounts.services import organisation_get_or_create
from opencls.contracts.models import Axis, Contract, Objective, Signatory
from opencls.territories.models import Municipality, PriorityNeighbourhood, Territory

UP, DOWN = "up", "down"


def assign(obj: models.Model, fields: dict) -> None:
    for name, value in fields.items():
        setattr(obj, name, value)


def next_position(siblings: models.QuerySet) -> int:
    highest = siblings.aggregate(highest=models.Max("position"))["highest"]
    return 0 if highest is None else highest + 1


@transaction.atomic
def sibling_move(obj: models.Model, siblings: models.QuerySet, direction: str) -> None:
    """Swap `obj` with its neighbour among `siblings`, then number them 0…n-1: positions an
    import left equal become distinct, so the next move always does something."""
    ordered = list(siblings.select_for_update().order_by("position", "pk"))
    index = next(i for i, sibling in enumerate(ordered) if sibling.pk == obj.pk)
    target = index - 1 if direction == UP else index + 1
    if 0 <= target < len(ordered):
        ordered[index], ordered[target] = ordered[target], ordered[index]
    for position, sibling in enumerate(ordered):
        if sibling.position != position:
            sibling.position = position
            sibling.save(update_fields=["position"])


def organisation_pick(*, organisation: Organisation | None, name: str = "", kind: str = "") -> Organisation:
    """The organisation chosen in the picker, or the one named there (found again or created)."""
    if organisation is not None:
        return organisation
    return organisation_get_or_create(name=name, kind=kind)


def contract_update(*, contract: Contract, **fields) -> Contract:
    assign(contract, fields)
    contract.save()
    return contract


def territory_update(*, territory: Territory, **fields) -> Territory:
    assign(territory, fields)
    territory.save()
    return territory


@transaction.atomic
def municipality_create(*, territory: Territory, neighbourhoods=(), **fields) -> Municipality:
    municipality = Municipality.objects.create(
        territory=territory, position=next_position(territory.municipalities.all()), **fields
    )
    municipality.neighbourhoods.set(neighbourhoods)
    return municipality


@transaction.atomic
def municipality_update(*, municipality: Municipality, neighbourhoods=(), **fields) -> Municipality:
    assign(municipality, fields)
    municipality.save()
    municipality.neighbourhoods.set(neighbourhoods)
    return municipality


def municipality_delete(*, municipality: Municipality) -> None:
    municipality.delete()


@transaction.atomic
def neighbourhood_create(*, territory: Territory, municipalities=(), **fields) -> PriorityNeighbourhood:
    neighbourhood = PriorityNeighbourhood.objects.create(territory=territory, **fields)
    neighbourhood.municipalities.set(municipalities)
    return neighbourhood


@transaction.atomic
def neighbourhood_update(
    *, neighbourhood: PriorityNeighbourhood, municipalities=(), **fields
) -> PriorityNeighbourhood:
    assign(neighbourhood, fields)
    neighbourhood.save()
    neighbourhood.municipalities.set(municipalities)
    return neighbourhood


def neighbourhood_delete(*, neighbourhood: PriorityNeighbourhood) -> None:
    neighbourhood.delete()


@transaction.atomic
def signatory_create(
    *, contract: Contract, organisation: Organisation | None, organisation_name: str = "",
    organisation_kind: str = "", **fields,
) -> Signatory:  # fmt: skip
    return Signatory.objects.create(
        contract=contract,
        organisation=organisation_pick(
            organisation=organisation, name=organisation_name, kind=organisation_kind
        ),
        position=next_position(contract.signatories.all()),
        **fields,
    )


@transaction.atomic
def signatory_update(
    *, signatory: Signatory, organisation: Organisation | None, organisation_name: str = "",
    organisation_kind: str = "", **fields,
) -> Signatory:  # fmt: skip
    assign(signatory, fields)
    signatory.organisation = organisation_pick(
        organisation=organisation, name=organisation_name, kind=organisation_kind
    )
    signatory.save()
    return signatory


def signatory_delete(*, signatory: Signatory) -> None:
    signatory.delete()


def signatory_move(*, signatory: Signatory, direction: str) -> None:
    sibling_move(signatory, Signatory.objects.filter(contract_id=signatory.contract_id), direction)


def axis_create(*, contract: Contract, **fields) -> Axis:
    return Axis.objects.create(contract=contract, position=next_position(contract.axes.all()), **fields)


def axis_update(*, axis: Axis, **fields) -> Axis:
    assign(axis, fields)
    axis.save()
    return axis


def axis_delete(*, axis: Axis) -> None:
    """Deleting an axis would delete its fiches actions with it: refuse while it has any."""
    count = axis.actions.count()
    if count:
        raise ValidationError(
            _(
                "Cet axe contient %(count)s fiche(s) action : déplacez-les vers un autre axe "
                "ou supprimez-les avant de supprimer l'axe."
            )
            % {"count": count}
        )
    axis.delete()


def axis_move(*, axis: Axis, direction: str) -> None:
    sibling_move(axis, Axis.objects.filter(contract_id=axis.contract_id), direction)


def objective_siblings(objective: Objective) -> models.QuerySet:
    return Objective.objects.filter(axis_id=objective.axis_id, parent_id=objective.parent_id)


@transaction.atomic
def objective_create(*, axis: Axis, parent: Objective | None = None, **fields) -> Objective:
    siblings = Objective.objects.filter(axis=axis, parent=parent)
    return Objective.objects.create(axis=axis, parent=parent, position=next_position(siblings), **fields)


def objective_update(*, objective: Objective, **fields) -> Objective:
    assign(objective, fields)
    objective.save()
    return objective


def objective_delete(*, objective: Objective) -> None:
    """Sub-objectives would go with it silently: they must be removed first. Actions attached
    to the objective stay, without objective."""
    if objective.children.exists():
        raise ValidationError(_("Cet objectif a des sous-objectifs : supprimez-les d'abord."))
    objective.delete()


def objective_move(*, objective: Objective, direction: str) -> None:
    sibling_move(objective, objective_siblings(objective), direction)
