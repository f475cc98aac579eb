"""The "governance" section of the contract JSON (`extensions.governance`).

It carries the bodies with their members, and each party's signature with the deliberation
authorising it, so an exported contract comes back whole, a signed version keeps who signed on
which deliberation, and an importer can hand over the deliberations it read in a document
(a party may then be named as the document names it: "Willems" for "Commune de Willems").
"""

from datetime import date

import jsonschema

from opencls.accounts.models import normalise_name
from opencls.contracts.io import (
    ContractJsonError,
    JsonExtension,
    bulk_create_validated,
    french_schema_error,
    organisations_resolve,
)
from opencls.contracts.models import Contract, Signatory
from opencls.governance.deliberations import match_key
from opencls.governance.models import BodyMember, Deliberation, GovernanceBody, SignatureState

KEY = "governance"
_TEXT = {"type": "string"}
_DATE = {"type": ["string", "null"], "format": "date"}
SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        "bodies": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["kind", "name"],
                "additionalProperties": False,
                "properties": {
                    "kind": {"enum": GovernanceBody.Kind.values},
                    "name": {"type": "string", "minLength": 1, "maxLength": 200},
                    "description": _TEXT,
                    "min_meetings_per_year": {"type": "integer", "minimum": 0, "maximum": 52},
                    "requires_annual_evaluation": {"type": "boolean"},
                    "rotating_co_chair": {"type": "boolean"},
                    "linked_council_name": {"type": "string", "maxLength": 300},
                    "shared_subjects": _TEXT,
                    "members": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "additionalProperties": False,
                            "properties": {
                                "person_name": {"type": "string", "maxLength": 200},
                                "organisation": {"type": ["string", "null"], "maxLength": 300},
                                "role": {"enum": BodyMember.Role.values},
                                "title": {"type": "string", "maxLength": 200},
                                "email": {"type": "string", "maxLength": 254},
                                "represents_linked_council": {"type": "boolean"},
                            },
                        },
                    },
                },
            },
        },
        "signatures": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["organisation"],
                "additionalProperties": False,
                "properties": {
                    "organisation": {"type": "string", "minLength": 1},
                    "signed_on": _DATE,
                    "signed_by": {"type": "string", "maxLength": 200},
                    "deliberation_required": {"type": "boolean"},
                    "deliberation": {
                        "type": ["object", "null"],
                        "additionalProperties": False,
                        "properties": {
                            "number": {"type": "string", "maxLength": 100},
                            "date": _DATE,
                            "body": {"type": "string", "maxLength": 200},
                            "stated_text": {"type": "string", "maxLength": 500},
                        },
                    },
                },
            },
        },
    },
}


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def governance_dump(contract: Contract) -> dict:
    bodies = [
        {
            "kind": body.kind,
            "name": body.name,
            "description": body.description,
            "min_meetings_per_year": body.min_meetings_per_year,
            "requires_annual_evaluation": body.requires_annual_evaluation,
            "rotating_co_chair": body.rotating_co_chair,
            "linked_council_name": body.linked_council_name,
            "shared_subjects": body.shared_subjects,
            "members": [
                {
                    "person_name": m.person_name,
                    "organisation": m.organisation.name if m.organisation else None,
                    "role": m.role,
                    "title": m.title,
                    "email": m.email,
                    "represents_linked_council": m.represents_linked_council,
                }
                for m in body.members.all()
            ],
        }
        for body in GovernanceBody.objects.filter(contract=contract).prefetch_related("members__organisation")
    ]
    signatures = []
    for state in (
        SignatureState.objects.filter(contract=contract)
        .select_related("signatory__organisation", "deliberation")
        .order_by("signatory__position", "signatory__pk")
    ):
        deliberation = state.deliberation
        signatures.append(
            {
                "organisation": state.signatory.organisation.name,
                "signed_on": _iso(state.signed_on),
                "signed_by": state.signed_by,
                "deliberation_required": state.deliberation_required,
                "deliberation": {
                    "number": deliberation.number,
                    "date": _iso(deliberation.date),
                    "body": deliberation.body,
                    "stated_text": deliberation.stated_text,
                }
                if deliberation
                else None,
            }
        )
    return {name: items for name, items in (("bodies", bodies), ("signatures", signatures)) if items}


def _signatory(signatories: list[Signatory], name: str) -> Signatory | None:
    """The same organisation, or failing that the only signatory whose name contains this one."""
    exact = [s for s in signatories if s.organisation.normalised_name == normalise_name(name)]
    if exact:
        return exact[0]
    wanted = f" {match_key(name)} "
    loose = [s for s in signatories if wanted in f" {match_key(s.organisation.name)} "]
    return loose[0] if len(loose) == 1 else None


def governance_load(contract: Contract, value) -> None:
    """Runs inside contract_from_json's transaction: any error undoes the whole import."""
    validator = jsonschema.Draft202012Validator(SCHEMA, format_checker=jsonschema.FormatChecker())
    errors = [f"extensions/{KEY}/{french_schema_error(e)}" for e in validator.iter_errors(value)]
    signatories = list(Signatory.objects.filter(contract=contract).select_related("organisation"))
    for index, item in enumerate(value.get("signatures", []) if not errors else []):
        if _signatory(signatories, item["organisation"]) is None:
            errors.append(
                f"extensions/{KEY}/signatures/{index} : « {item['organisation']} » n'est pas signataire du contrat."
            )
    if errors:
        raise ContractJsonError(errors)
    items = value.get("bodies", [])
    # Issue 17: every body, then every member, in one insert each (with history rows), their
    # organisations resolved at once.
    organisations = organisations_resolve([m["organisation"] for b in items for m in b.get("members", [])
                                           if m.get("organisation")])  # fmt: skip
    bodies = bulk_create_validated(GovernanceBody, [
        (GovernanceBody(contract=contract, position=position, **{k: v for k, v in item.items() if k != "members"}),
         f"extensions/{KEY}/bodies/{position}")
        for position, item in enumerate(items)
    ])  # fmt: skip
    members = []
    for position, (body, item) in enumerate(zip(bodies, items, strict=True)):
        where = f"extensions/{KEY}/bodies/{position}"
        for m_position, member in enumerate(item.get("members", [])):
            fields = {k: v for k, v in member.items() if k != "organisation"}
            organisation = organisations.get(member.get("organisation") or "")
            if not fields.get("person_name") and organisation is None:
                raise ContractJsonError([f"{where}/members/{m_position} : ni personne ni organisation."])
            members.append((BodyMember(body=body, organisation=organisation, position=m_position, **fields),
                            f"{where}/members/{m_position}"))  # fmt: skip
    bulk_create_validated(BodyMember, members)
    for item in value.get("signatures", []):
        found = item.get("deliberation")
        deliberation = None
        if found:
            deliberation = Deliberation.objects.create(
                contract=contract,
                number=found.get("number", ""),
                date=date.fromisoformat(found["date"]) if found.get("date") else None,
                body=found.get("body", ""),
                stated_text=found.get("stated_text", ""),
            )
        SignatureState.objects.update_or_create(
            signatory=_signatory(signatories, item["organisation"]),
            defaults={
                "contract": contract,
                "signed_on": date.fromisoformat(item["signed_on"]) if item.get("signed_on") else None,
                "signed_by": item.get("signed_by", ""),
                "deliberation_required": item.get("deliberation_required", deliberation is not None),
                "deliberation": deliberation,
            },
        )


GOVERNANCE_JSON = JsonExtension(KEY, governance_dump, governance_load)
