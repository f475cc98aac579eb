import json
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.db import transaction

from opencls.accounts.models import Organisation, normalise_name
from opencls.accounts.services import organisation_get_or_create
from opencls.actions.models import Action, FundingLine
from opencls.contracts.models import Contract
from opencls.finance.models import CoordinatorPostFunding, StatedShare
from opencls.territories.models import Municipality

# The 004 table as printed (art. 5), for the demo: `load_demo_cofinancing(contract, DEMO_COFINANCING_FILE)`.
HUNDRED = Decimal(100)
DEMO_COFINANCING_FILE = Path(__file__).resolve().parent / "demo" / "clsi2m_cofinancing.json"


class FinanceDataError(ValueError):
    """Data that cannot be loaded; the message is in French, for the user."""


# ---------------------------------------------------------------- coordinator post

POST_FIELDS = (
    "ars_organisation",
    "yearly_cost",
    "yearly_cost_note",
    "ars_rate",
    "ars_yearly_cap",
    "population_basis",  # issue 16: signed or official populations for the pro rata
)


@transaction.atomic
def coordinator_post_funding_save(
    *, contract: Contract, values: dict, stated: dict[int | None, tuple[Decimal | None, Decimal | None]]
) -> CoordinatorPostFunding:
    """Record the rule's parameters and the signed table, one line per party, in one go.

    `stated` maps a municipality pk (None for the ARS) to its (percentage, amount) as signed;
    a party without a percentage has no line in the signed table.
    """
    allowed = set(
        Municipality.objects.filter(territory_id=contract.territory_id).values_list("pk", flat=True)
    )
    if any(key is not None and key not in allowed for key in stated):
        raise FinanceDataError("Une des communes saisies n'appartient pas au territoire du contrat.")
    funding, _ = CoordinatorPostFunding.objects.update_or_create(
        contract=contract, defaults={name: values[name] for name in POST_FIELDS if name in values}
    )
    existing = {share.municipality_id: share for share in StatedShare.objects.filter(contract=contract)}
    for key, (percentage, amount) in stated.items():
        share = existing.pop(key, None)
        if percentage is None:
            if share:
                share.delete()
            continue
        share = share or StatedShare(contract=contract, municipality_id=key)
        share.stated_percentage, share.stated_amount = percentage, amount
        share.save()
    # The signed table is replaced as a whole: a party not given has no line any more.
    for share in existing.values():
        share.delete()
    return funding


def _decimal(value, where: str, *, required: bool = False, maximum: Decimal | None = None) -> Decimal | None:
    """A non-negative amount or percentage with at most two decimals, from a JSON value."""
    if value is None or value == "":
        if required:
            raise FinanceDataError(f"{where} : valeur manquante.")
        return None
    try:
        number = Decimal(str(value))
    except InvalidOperation as error:
        raise FinanceDataError(
            f"{where} : « {value} » n'est pas un nombre (écrire par exemple « 39.92 »)."
        ) from error
    if not number.is_finite() or number != number.quantize(Decimal("0.01")):
        raise FinanceDataError(f"{where} : « {value} » doit être un nombre à deux décimales au plus.")
    if number < 0:
        raise FinanceDataError(f"{where} : la valeur ne peut pas être négative.")
    if maximum is not None and number > maximum:
        raise FinanceDataError(f"{where} : la valeur ne peut pas dépasser {maximum}.")
    return number


@transaction.atomic
def load_demo_cofinancing(contract: Contract, path: Path | str) -> CoordinatorPostFunding:
    """Load the co-financing parameters and the signed table from a JSON file (see
    `demo/clsi2m_cofinancing.json`). Communes are matched by name, ignoring case and accents,
    among the contract's territory; nothing is written if one is unknown."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise FinanceDataError(f"Fichier de cofinancement illisible ({path}) : {error}") from error

    municipalities = {
        normalise_name(m.name): m for m in Municipality.objects.filter(territory_id=contract.territory_id)
    }
    stated: dict[int | None, tuple[Decimal | None, Decimal | None]] = {}
    missing = []
    for position, line in enumerate(data.get("stated_shares", [])):
        where = f"stated_shares/{position}"
        values = (
            _decimal(line.get("percentage"), where, required=True, maximum=HUNDRED),
            _decimal(line.get("amount"), where),
        )
        if line.get("party") == "ars":
            stated[None] = values
        elif normalise_name(line.get("municipality", "")) in municipalities:
            stated[municipalities[normalise_name(line["municipality"])].pk] = values
        else:
            missing.append(line.get("municipality") or where)
    if missing:
        raise FinanceDataError(
            "Communes inconnues sur le territoire du contrat : {names}. Importez d'abord le contrat et "
            "ses communes.".format(names=", ".join(missing))
        )

    # The ARS that signed the contract funds the post.
    ars = contract.signatories.select_related("organisation").filter(organisation__kind=Organisation.Kind.ARS)
    signatory = ars.first()
    values = {
        "ars_organisation": signatory.organisation if signatory else None,
        "yearly_cost": _decimal(data.get("yearly_cost"), "yearly_cost"),
        "yearly_cost_note": data.get("yearly_cost_note", ""),
        "ars_rate": _decimal(data.get("ars_rate", "50"), "ars_rate", required=True, maximum=HUNDRED),
        "ars_yearly_cap": _decimal(data.get("ars_yearly_cap"), "ars_yearly_cap"),
    }
    return coordinator_post_funding_save(contract=contract, values=values, stated=stated)


# ---------------------------------------------------------------- budget of actions

LINE_FIELDS = (
    "operation",
    "funder",
    "kind",
    "year",
    "planned_amount",
    "granted_amount",
    "spent_amount",
    "comment",
)


def _funder(values: dict) -> Organisation | None:
    name = (values.get("new_funder_name") or "").strip()
    return organisation_get_or_create(name=name) if name else values.get("funder")


@transaction.atomic
def funding_line_create(*, action: Action, values: dict) -> FundingLine:
    line = FundingLine(action=action, **{name: values.get(name) for name in LINE_FIELDS})
    line.funder = _funder(values)
    line.comment = line.comment or ""
    line.save()
    return line


@transaction.atomic
def funding_line_update(*, line: FundingLine, values: dict) -> FundingLine:
    for name in LINE_FIELDS:
        setattr(line, name, values.get(name))
    line.funder = _funder(values)
    line.comment = line.comment or ""
    line.save()
    return line


def funding_line_delete(*, line: FundingLine) -> None:
    line.delete()
