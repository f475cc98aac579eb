"""The "finance" section of the contract JSON (`extensions.finance`, issue 17): how the coordinator
post is co-financed — the ARS's rate and cap, the rule for the rest (pro rata population, one payer,
fixed shares) — and the co-financing table as signed, kept for comparison with the rule.
A document importer hands over what the contract's text states; an export carries what was entered."""

import jsonschema

from opencls.accounts.models import normalise_name
from opencls.contracts.io import (
    ContractJsonError,
    JsonExtension,
    bulk_create_validated,
    french_schema_error,
    organisations_resolve,
    save_validated,
)
from opencls.contracts.models import Contract
from opencls.finance.models import CoordinatorPostFunding, StatedShare
from opencls.territories.models import Municipality

KEY = "finance"
_AMOUNT = {"type": ["string", "null"], "pattern": r"^\d+(\.\d{1,2})?$"}
_PERCENT = {"type": "string", "pattern": r"^\d{1,3}(\.\d{1,2})?$"}
SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "coordinator_post": {
            "type": "object",
            "additionalProperties": False,
            "properties": {
                "ars_organisation": {"type": ["string", "null"], "maxLength": 300},
                "ars_rate": _PERCENT,
                "ars_yearly_cap": _AMOUNT,
                "yearly_cost": _AMOUNT,
                "yearly_cost_note": {"type": "string", "maxLength": 500},
                "rest_rule": {"enum": CoordinatorPostFunding.RestRule.values},
                "rest_payer": {"type": ["string", "null"], "maxLength": 300},
                "stated_shares": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "additionalProperties": False,
                        "required": ["percentage"],
                        "properties": {
                            "party": {"const": "ars"},
                            "municipality": {"type": "string", "minLength": 1},
                            "percentage": _PERCENT,
                            "amount": _AMOUNT,
                        },
                    },
                },
            },
        }
    },
}


def _text(value) -> str | None:
    return None if value is None else f"{value:.2f}"


def finance_dump(contract: Contract) -> dict | None:
    funding = (
        CoordinatorPostFunding.objects.select_related("ars_organisation", "rest_payer")
        .filter(contract=contract)
        .first()
    )
    if funding is None:
        return None
    shares = StatedShare.objects.filter(contract=contract).select_related("municipality")
    shares = sorted(shares, key=lambda s: (s.municipality_id is not None, s.municipality.position if s.municipality
                                           else 0, s.municipality_id or 0))  # fmt: skip
    return {
        "coordinator_post": {
            "ars_organisation": funding.ars_organisation.name if funding.ars_organisation else None,
            "ars_rate": _text(funding.ars_rate),
            "ars_yearly_cap": _text(funding.ars_yearly_cap),
            "yearly_cost": _text(funding.yearly_cost),
            "yearly_cost_note": funding.yearly_cost_note,
            "rest_rule": funding.rest_rule,
            "rest_payer": funding.rest_payer.name if funding.rest_payer else None,
            "stated_shares": [
                {
                    **({"municipality": s.municipality.name} if s.municipality else {"party": "ars"}),
                    "percentage": _text(s.stated_percentage),
                    "amount": _text(s.stated_amount),
                }
                for s in shares
            ],
        }
    }


def finance_load(contract: Contract, value) -> None:
    """Runs inside contract_from_json's transaction: any error undoes the whole import."""
    validator = jsonschema.Draft202012Validator(SCHEMA)
    errors = [f"extensions/{KEY}/{french_schema_error(e)}" for e in validator.iter_errors(value)]
    if errors:
        raise ContractJsonError(errors)
    post = value.get("coordinator_post")
    if not post:
        return
    where = f"extensions/{KEY}/coordinator_post"
    municipalities = {
        normalise_name(m.name): m for m in Municipality.objects.filter(territory_id=contract.territory_id)
    }
    shares = []
    for index, line in enumerate(post.get("stated_shares", [])):
        municipality = None
        if line.get("party") != "ars":
            municipality = municipalities.get(normalise_name(line.get("municipality", "")))
            if municipality is None:
                raise ContractJsonError(
                    [f"{where}/stated_shares/{index} : la commune « {line.get('municipality', '')} » n'est pas "
                     "sur le territoire du contrat."]
                )  # fmt: skip
        shares.append((index, municipality, line))

    organisations = organisations_resolve(
        [n for n in (post.get("ars_organisation"), post.get("rest_payer")) if n]
    )

    def organisation(name):
        return organisations[name] if name else None

    funding = save_validated(
        CoordinatorPostFunding(
            contract=contract,
            ars_organisation=organisation(post.get("ars_organisation")),
            ars_rate=post.get("ars_rate", "50.00"),
            ars_yearly_cap=post.get("ars_yearly_cap"),
            yearly_cost=post.get("yearly_cost"),
            yearly_cost_note=post.get("yearly_cost_note", ""),
            rest_rule=post.get("rest_rule", CoordinatorPostFunding.RestRule.POPULATION),
            rest_payer=organisation(post.get("rest_payer")),
        ),
        where,
    )
    bulk_create_validated(StatedShare, [
        (StatedShare(contract=contract, municipality=municipality, stated_percentage=line["percentage"],
                     stated_amount=line.get("amount")), f"{where}/stated_shares/{index}")
        for index, municipality, line in shares
    ])  # fmt: skip
    return funding


FINANCE_JSON = JsonExtension(KEY, finance_dump, finance_load)
