"""A whole contract as JSON (schema: docs/contract-schema.json, version 1).

`contract_to_json` and `contract_from_json` are exact inverses on everything the schema
holds, so export → import → export gives identical JSON. Other apps add their own
sections under "extensions" through `register_json_extension`.
"""

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path

import jsonschema
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch
from simple_history.utils import bulk_create_with_history

from opencls.accounts.models import Organisation, normalise_name
from opencls.accounts.permissions import may_publish_on_creation
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
from opencls.core.text import normalize_value
from opencls.territories.models import Municipality, PriorityNeighbourhood, Territory

SCHEMA_VERSION = "1"
SCHEMA_PATH = Path(settings.BASE_DIR) / "docs" / "contract-schema.json"


class ContractJsonError(Exception):
    """The JSON cannot become a contract; `messages` say why, in French, with where."""

    def __init__(self, messages: list[str]):
        super().__init__("\n".join(messages))
        self.messages = messages


@dataclass(frozen=True)
class JsonExtension:
    key: str
    dump: Callable[[Contract], object]  # returns a JSON-able value, or None/empty to leave it out
    load: Callable[[Contract, object], None]


JSON_EXTENSIONS: dict[str, JsonExtension] = {}


def register_json_extension(extension: JsonExtension) -> None:
    JSON_EXTENSIONS[extension.key] = extension


# ---------------------------------------------------------------- export


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _amount(value: Decimal | None) -> str | None:
    return None if value is None else f"{value:.2f}"


def _names(involvements, involvement: str) -> list[str]:
    return [i.organisation.name for i in involvements if i.involvement == involvement]


def _qpv(obj) -> dict:
    """Politique de la ville fields of an action or operation (issue 14); QPV named by their name."""
    return {
        "neighbourhoods": sorted(n.name for n in obj.neighbourhoods.all()),
        "whole_territory": obj.whole_territory,
        "qpv_public_share": _amount(obj.qpv_public_share),
        "qpv_public_share_basis": obj.qpv_public_share_basis,
        "city_policy_funded": obj.city_policy_funded,
    }


def _work(obj, involvements) -> dict:
    return {
        **_qpv(obj),
        "description": obj.description,
        "target_publics": obj.target_publics,
        "funding_text": obj.funding_text,
        "schedule": obj.schedule,
        "start_date": _iso(obj.start_date),
        "end_date": _iso(obj.end_date),
        "leads": _names(involvements, Involvement.LEAD),
        "partners": _names(involvements, Involvement.PARTNER),
    }


def _deliverable(d: Deliverable) -> dict:
    return {"text": d.text}


def _indicator(i: Indicator) -> dict:
    data = {
        "label": i.label,
        "kind": i.kind,
        "unit": i.unit,
        "periodicity": i.periodicity,
        "is_public": i.is_public,
    }
    if i.measure_kind != Indicator.Measure.NUMBER:  # a plain number stays as before (issue 13)
        data["measure_kind"] = i.measure_kind
    if i.categories:
        data["categories"] = list(i.categories)
    return data


def _funding(f: FundingLine) -> dict:
    return {
        "funder": f.funder.name if f.funder else None,
        "kind": f.kind,
        "year": f.year,
        "planned_amount": _amount(f.planned_amount),
        "granted_amount": _amount(f.granted_amount),
        "spent_amount": _amount(f.spent_amount),
        "comment": f.comment,
    }


def _objective_ref(objective: Objective | None) -> str | None:
    if objective is None:
        return None
    return objective.code or objective.title


def _objective_tree(objectives: list[Objective], parent_id=None) -> list[dict]:
    return [
        {"code": o.code, "title": o.title, "children": _objective_tree(objectives, o.pk)}
        for o in objectives
        if o.parent_id == parent_id
    ]


def contract_queryset():
    """Everything `contract_to_json` reads, in a fixed number of queries."""
    org = "organisation"
    return Contract.objects.select_related("territory").prefetch_related(
        Prefetch("signatories", queryset=Signatory.objects.select_related(org)),
        "diagnosis_indicators",
        Prefetch(
            "territory__municipalities",
            queryset=Municipality.objects.prefetch_related(
                Prefetch("neighbourhoods", queryset=PriorityNeighbourhood.objects.order_by("name"))
            ),
        ),
        "territory__neighbourhoods",
        "axes__objectives",
        Prefetch(
            "actions",
            queryset=Action.objects.select_related("objective").prefetch_related(
                Prefetch("involvements", queryset=ActionOrganisation.objects.select_related(org)),
                "neighbourhoods",
                Prefetch(
                    "operations",
                    queryset=Operation.objects.prefetch_related(
                        Prefetch("involvements", queryset=OperationOrganisation.objects.select_related(org)),
                        "neighbourhoods",
                    ),
                ),
                "deliverables",
                "indicators",
                Prefetch("funding_lines", queryset=FundingLine.objects.select_related("funder")),
            ),
        ),
    )


def contract_to_json(contract: Contract) -> dict:
    contract = contract_queryset().get(pk=contract.pk)
    territory = contract.territory
    organisations: dict[str, Organisation] = {}

    def keep(orgs):
        for organisation in orgs:
            organisations[organisation.name] = organisation

    signatories = list(contract.signatories.all())
    keep(s.organisation for s in signatories)
    actions_by_axis: dict[int, list[Action]] = {}
    for action in contract.actions.all():
        actions_by_axis.setdefault(action.axis_id, []).append(action)

    def action_json(action: Action) -> dict:
        keep(i.organisation for i in action.involvements.all())
        deliverables = list(action.deliverables.all())
        indicators = list(action.indicators.all())
        funding = list(action.funding_lines.all())
        keep(f.funder for f in funding if f.funder)
        operations = []
        for operation in action.operations.all():
            keep(i.organisation for i in operation.involvements.all())
            operations.append(
                {
                    "title": operation.title,
                    "objective_text": operation.objective_text,
                    **_work(operation, operation.involvements.all()),
                    "deliverables": [_deliverable(d) for d in deliverables if d.operation_id == operation.pk],
                    "indicators": [_indicator(i) for i in indicators if i.operation_id == operation.pk],
                    "funding_lines": [_funding(f) for f in funding if f.operation_id == operation.pk],
                }
            )
        return {
            "code": action.code,
            "title": action.title,
            "objective": _objective_ref(action.objective),
            "context": action.context,
            "area": action.area,
            "is_public": action.is_public,
            "participation_level": action.participation_level,
            **_work(action, action.involvements.all()),
            "operations": operations,
            "deliverables": [_deliverable(d) for d in deliverables if d.operation_id is None],
            "indicators": [_indicator(i) for i in indicators if i.operation_id is None],
            "funding_lines": [_funding(f) for f in funding if f.operation_id is None],
        }

    axes = [
        {
            "code": axis.code,
            "title": axis.title,
            "description": axis.description,
            "objectives": _objective_tree(list(axis.objectives.all())),
            "actions": [action_json(a) for a in actions_by_axis.get(axis.pk, [])],
        }
        for axis in contract.axes.all()
    ]
    municipalities = list(territory.municipalities.all())
    data = {
        "schema_version": SCHEMA_VERSION,
        "contract": {
            "kind": contract.kind,
            "title": contract.title,
            "short_name": contract.short_name,
            "status": contract.status,
            "start_date": _iso(contract.start_date),
            "end_date": _iso(contract.end_date),
            "regional_health_plan": contract.regional_health_plan,
            "summary": contract.summary,
            "is_published": contract.is_published,
            "organisations": [],
            "territory": {
                "name": territory.name,
                "kind": territory.kind,
                "region": territory.region,
                "department": territory.department,
                "region_code": territory.region_code,
                "department_code": territory.department_code,
                "official": {
                    "kind": territory.official_kind,
                    "code": territory.official_code,
                    "name": territory.official_name,
                },
                "stated": {
                    "municipality_count": territory.stated_municipality_count,
                    "population": territory.stated_population,
                    "neighbourhood_count": territory.stated_neighbourhood_count,
                    "neighbourhood_inhabitants": territory.stated_neighbourhood_inhabitants,
                },
                "neighbourhoods": [
                    {
                        "name": n.name,
                        "code": n.code,
                        "population": n.population,
                        "population_year": n.population_year,
                    }
                    for n in territory.neighbourhoods.all()
                ],
                "municipalities": [
                    {
                        "name": m.name,
                        "insee_code": m.insee_code,
                        "population": m.population,
                        "population_year": m.population_year,
                        "official_population": m.official_population,
                        "official_population_year": m.official_population_year,
                        "neighbourhood_inhabitants": m.neighbourhood_inhabitants,
                        "stated_neighbourhood_share": None
                        if m.stated_neighbourhood_share is None
                        else f"{m.stated_neighbourhood_share:.2f}",
                        "neighbourhoods": [n.name for n in m.neighbourhoods.all()],
                    }
                    for m in municipalities
                ],
            },
            "signatories": [
                {
                    "organisation": s.organisation.name,
                    "representative": s.representative,
                    "representative_title": s.representative_title,
                    "role": s.role,
                }
                for s in signatories
            ],
            "diagnosis": [
                {
                    "group": d.group,
                    "theme": d.theme,
                    "label": d.label,
                    "unit": d.unit,
                    "year": d.year,
                    "source": d.source,
                    "territory_value": d.territory_value,
                    "department_value": d.department_value,
                    "region_value": d.region_value,
                    "nation_value": d.nation_value,
                }
                for d in contract.diagnosis_indicators.all()
            ],
            "axes": axes,
        },
    }
    data["contract"]["organisations"] = [
        {"name": o.name, "kind": o.kind, "siret": o.siret}
        for o in sorted(organisations.values(), key=lambda o: o.name)
    ]
    extensions = {}
    for key, extension in sorted(JSON_EXTENSIONS.items()):
        value = extension.dump(contract)
        if value:
            extensions[key] = value
    if extensions:
        data["extensions"] = extensions
    return data


def contract_to_json_text(contract: Contract) -> str:
    return json.dumps(contract_to_json(contract), ensure_ascii=False, indent=2) + "\n"


# ---------------------------------------------------------------- validation

_VALIDATOR_MESSAGES = {
    "required": "champ obligatoire manquant : {missing}",
    "type": "type attendu : {expected}",
    "enum": "valeur « {instance} » inconnue (valeurs possibles : {expected})",
    "const": "valeur attendue : {expected}",
    "minLength": "ne doit pas être vide",
    "maxLength": "trop long ({length} caractères, {expected} au plus)",
    "pattern": "format invalide : « {instance} »",
    "format": "format invalide : « {instance} »",
    "minimum": "doit être positif ou nul",
    "additionalProperties": "champ inconnu",
    "unevaluatedProperties": "champ inconnu",
}
_TYPE_NAMES = {
    "string": "texte",
    "integer": "nombre entier",
    "boolean": "vrai/faux",
    "array": "liste",
    "object": "objet",
    "null": "vide",
    "number": "nombre",
}


@cache
def contract_schema() -> dict:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def _where(path) -> str:
    return "/".join(str(p) for p in path) or "racine"


def french_schema_error(error: jsonschema.ValidationError) -> str:
    """A JSON Schema error said in French, prefixed by where it is in the document."""
    template = _VALIDATOR_MESSAGES.get(error.validator, "valeur invalide")
    expected = error.validator_value
    if error.validator == "type":
        types = expected if isinstance(expected, list) else [expected]
        expected = " ou ".join(_TYPE_NAMES.get(t, t) for t in types)
    elif error.validator == "enum":
        expected = ", ".join(str(v) for v in expected)
    missing = ""
    if error.validator == "required":
        missing = error.message.split("'")[1] if "'" in error.message else error.message
    if error.validator in {"additionalProperties", "unevaluatedProperties"}:
        unknown = sorted(set(error.instance) - set(error.schema.get("properties", {})))
        template += " : " + ", ".join(unknown) if unknown else ""
    message = template.format(
        instance=error.instance if not isinstance(error.instance, dict | list) else "…",
        expected=expected,
        missing=missing,
        length=len(error.instance) if isinstance(error.instance, str) else "",
    )
    return f"{_where(error.absolute_path)} : {message}"


def validate_contract_json(data) -> list[str]:
    """Every problem of the document, in French, each with where it is; [] when it loads."""
    if not isinstance(data, dict):
        return ["racine : le fichier doit contenir un objet JSON (un contrat)."]
    validator = jsonschema.Draft202012Validator(contract_schema(), format_checker=jsonschema.FormatChecker())
    errors = [
        french_schema_error(e)
        for e in sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path))
    ]
    if errors:
        return errors
    contract = data["contract"]
    codes: dict[str, str] = {}
    for a_index, axis in enumerate(contract.get("axes", [])):
        objective_refs = set(_objective_refs(axis.get("objectives", [])))
        for x_index, action in enumerate(axis.get("actions", [])):
            where = f"contract/axes/{a_index}/actions/{x_index}"
            code = action.get("code", "")
            if code and code in codes:
                errors.append(f"{where} : le code d'action « {code} » est déjà utilisé ({codes[code]}).")
            elif code:
                codes[code] = where
            objective = action.get("objective")
            if objective and objective not in objective_refs:
                errors.append(f"{where} : l'objectif « {objective} » n'existe pas dans cet axe.")
    names = [m["name"] for m in contract["territory"].get("municipalities", [])]
    for name in sorted({n for n in names if names.count(n) > 1}):
        errors.append(f"contract/territory/municipalities : la commune « {name} » apparaît deux fois.")
    return errors


def _objective_refs(objectives: list[dict]):
    for objective in objectives:
        yield objective.get("code") or objective["title"]
        yield from _objective_refs(objective.get("children", []))


# ---------------------------------------------------------------- import


def _parse_date(value):
    return date.fromisoformat(value) if value else None


def _parse_amount(value):
    return None if value is None else Decimal(value)


class _Loader:
    """Organisations of the whole document resolved at once (issue 17): one query by SIRET, one by
    name, the missing ones created in one insert with their history rows — the same matching as
    `organisation_get_or_create` (SIRET first, else the oldest of that name, case and accents aside)."""

    def __init__(self, contract_data: dict):
        self.kinds = {o["name"]: o for o in contract_data.get("organisations", [])}
        self.organisations: dict[str, Organisation] = {}

    def resolve(self, names: list[str]) -> None:
        wanted = [n for n in dict.fromkeys(names) if n and n not in self.organisations]
        if not wanted:
            return
        sirets = {n: self.kinds.get(n, {}).get("siret", "") for n in wanted}
        by_siret: dict[str, Organisation] = {}
        if any(sirets.values()):
            for organisation in Organisation.objects.filter(
                siret__in=[s for s in sirets.values() if s]
            ).order_by("pk"):
                by_siret.setdefault(organisation.siret, organisation)
        keys = {n: normalise_name(" ".join(n.split())) for n in wanted}
        by_name: dict[str, Organisation] = {}
        for organisation in Organisation.objects.filter(normalised_name__in=set(keys.values())).order_by(
            "pk"
        ):
            by_name.setdefault(organisation.normalised_name, organisation)
        created: dict[str, Organisation] = {}
        for name in wanted:
            found = by_siret.get(sirets[name]) if sirets[name] else None
            found = found or by_name.get(keys[name]) or created.get(keys[name])
            if found is None:
                known = self.kinds.get(name, {})
                clean = " ".join(name.split())
                found = Organisation(name=clean, normalised_name=keys[name], siret=sirets[name],
                                     kind=known.get("kind") or Organisation.Kind.OTHER)  # fmt: skip
                validated(found, f"contract/organisations ({clean})")
                created[keys[name]] = found
            self.organisations[name] = found
        if created:
            bulk_create_with_history(list(created.values()), Organisation)

    def organisation(self, name: str) -> Organisation:
        if name not in self.organisations:
            self.resolve([name])
        return self.organisations[name]

    def involvements(self, model, owner_field: str, owner, work: dict) -> list:
        rows = []
        for involvement in (Involvement.LEAD, Involvement.PARTNER):
            names = work.get(f"{involvement}s", [])
            rows += involvement_rows(model, owner_field, owner, involvement, names, self.organisation)
        return rows


def organisations_resolve(names: list[str], kinds: dict[str, dict] | None = None) -> dict[str, Organisation]:
    """name → organisation for every name, found or created in a few queries (for JSON extensions)."""
    loader = _Loader({"organisations": list((kinds or {}).values())})
    loader.resolve(names)
    return loader.organisations


def involvement_rows(model, owner_field: str, owner, involvement: str, names: list[str], organisation_for):
    """Unsaved `model` rows linking `owner` to the organisations named, in order; an organisation
    named twice (two spellings of one name) is linked once."""
    rows, seen = [], set()
    for position, name in enumerate(names):
        organisation = organisation_for(name)
        if organisation.pk not in seen:
            seen.add(organisation.pk)
            rows.append(
                model(
                    **{owner_field: owner},
                    organisation=organisation,
                    involvement=involvement,
                    position=position,
                )
            )
    return rows


def validated(obj, where: str):
    """The model's own field validation, without a query: foreign keys point to rows this load just
    created or resolved (checking each one cost a SELECT per row). A failure becomes a
    ContractJsonError at `where`."""
    relations = [f.name for f in obj._meta.concrete_fields if f.is_relation]
    try:
        obj.full_clean(exclude=relations, validate_unique=False, validate_constraints=False)
    except ValidationError as error:
        raise ContractJsonError(
            [f"{where} / {field} : {' '.join(messages)}" for field, messages in error.message_dict.items()]
        ) from error
    return obj


def save_validated(obj, where: str):
    """Save after the model's own validation; a failure becomes a ContractJsonError at `where`."""
    validated(obj, where).save()
    return obj


def bulk_create_validated(model, rows: list[tuple[object, str]]) -> list:
    """Validate every (object, where), then insert them all at once with their history rows."""
    objects = [validated(obj, where) for obj, where in rows]
    if objects:
        bulk_create_with_history(objects, model)
    return objects


_WORK_FIELDS = ("description", "target_publics", "funding_text", "schedule")


def _work_kwargs(work: dict) -> dict:
    kwargs = {field: work.get(field, "") for field in _WORK_FIELDS}
    kwargs["start_date"] = _parse_date(work.get("start_date"))
    kwargs["end_date"] = _parse_date(work.get("end_date"))
    kwargs["whole_territory"] = work.get("whole_territory", False)
    kwargs["qpv_public_share"] = _parse_amount(work.get("qpv_public_share"))
    kwargs["qpv_public_share_basis"] = work.get("qpv_public_share_basis", "")
    kwargs["city_policy_funded"] = work.get("city_policy_funded", False)
    return kwargs


def _serve(work_obj, item: dict, where: str) -> None:
    """Link an action or operation to the QPV it names (they belong to the contract's territory)."""
    names = item.get("neighbourhoods", [])
    if not names:
        return
    known = {n.name: n for n in PriorityNeighbourhood.objects.filter(territory_id=work_obj._territory_id)}
    missing = [name for name in names if name not in known]
    if missing:
        raise ContractJsonError(
            [
                f"{where}/neighbourhoods : quartier « {name} » absent des quartiers du territoire."
                for name in missing
            ]
        )
    work_obj.neighbourhoods.set([known[name] for name in names])


def _categories(item: dict, where: str) -> list[str]:
    """The categories (or satisfaction levels) of an indicator, checked like the form does."""
    from opencls.actions.measures import clean_categories

    try:
        return clean_categories(
            item.get("measure_kind", Indicator.Measure.NUMBER), item.get("categories", [])
        )
    except ValueError as error:
        raise ContractJsonError([f"{where} : {error}"]) from error


def _create_objectives(axes: list[tuple[Axis, list[dict], str]]) -> dict[int, dict[str, Objective]]:
    """Every axis's objective tree, one insert per depth; axis pk → {code or title: objective}."""
    refs: dict[int, dict[str, Objective]] = {axis.pk: {} for axis, _items, _where in axes}
    level = [(axis, None, position, item, f"{where}/objectives/{position}")
             for axis, items, where in axes for position, item in enumerate(items)]  # fmt: skip
    while level:
        rows = [(Objective(axis=axis, parent=parent, code=item.get("code", ""), title=item["title"],
                           position=position), where)
                for axis, parent, position, item, where in level]  # fmt: skip
        objectives = bulk_create_validated(Objective, rows)
        following = []
        for objective, (axis, _parent, _position, item, where) in zip(objectives, level, strict=True):
            refs[axis.pk][item.get("code") or item["title"]] = objective
            following += [(axis, objective, position, child, f"{where}/children/{position}")
                          for position, child in enumerate(item.get("children", []))]  # fmt: skip
        level = following
    return refs


def _children_rows(loader: _Loader, action: Action, operation, item: dict, where: str, rows: dict) -> None:
    for position, d in enumerate(item.get("deliverables", [])):
        rows[Deliverable].append(
            (Deliverable(action=action, operation=operation, text=d["text"], position=position),
             f"{where}/deliverables/{position}")
        )  # fmt: skip
    for position, i in enumerate(item.get("indicators", [])):
        rows[Indicator].append(
            (Indicator(action=action, operation=operation, label=i["label"], kind=i["kind"], unit=i.get("unit", ""),
                       periodicity=i.get("periodicity", Indicator.Periodicity.YEAR), position=position,
                       is_public=i.get("is_public", False),
                       measure_kind=i.get("measure_kind", Indicator.Measure.NUMBER),
                       categories=_categories(i, f"{where}/indicators/{position}")),
             f"{where}/indicators/{position}")
        )  # fmt: skip
    for position, f in enumerate(item.get("funding_lines", [])):
        rows[FundingLine].append(
            (FundingLine(action=action, operation=operation,
                         funder=loader.organisation(f["funder"]) if f.get("funder") else None,
                         kind=f.get("kind", FundingLine.Kind.OTHER), year=f.get("year"),
                         planned_amount=_parse_amount(f.get("planned_amount")),
                         granted_amount=_parse_amount(f.get("granted_amount")),
                         spent_amount=_parse_amount(f.get("spent_amount")), comment=f.get("comment", "")),
             f"{where}/funding_lines/{position}")
        )  # fmt: skip


def _organisation_names(c: dict) -> list[str]:
    """Every organisation the contract names, in the order the loader used to create them one by one
    (so that two spellings of one name give the organisation the first spelling would have given)."""
    names = [s["organisation"] for s in c.get("signatories", [])]
    for axis in c.get("axes", []):
        for action in axis.get("actions", []):
            for item in [action, *action.get("operations", [])]:
                names += item.get("leads", []) + item.get("partners", [])
                names += [f["funder"] for f in item.get("funding_lines", []) if f.get("funder")]
    return names


def _create_territory(data: dict) -> Territory:
    stated = data.get("stated", {})
    official = data.get("official") or {}
    territory = save_validated(
        Territory(
            name=data["name"],
            kind=data.get("kind", Territory.Kind.EPCI),
            region=data.get("region", ""),
            department=data.get("department", ""),
            region_code=data.get("region_code", ""),
            department_code=data.get("department_code", ""),
            official_kind=official.get("kind", ""),
            official_code=official.get("code", ""),
            official_name=official.get("name", ""),
            stated_municipality_count=stated.get("municipality_count"),
            stated_population=stated.get("population"),
            stated_neighbourhood_count=stated.get("neighbourhood_count"),
            stated_neighbourhood_inhabitants=stated.get("neighbourhood_inhabitants"),
        ),
        "contract/territory",
    )
    neighbourhoods = {}
    for n in data.get("neighbourhoods", []):
        neighbourhoods[n["name"]] = save_validated(
            PriorityNeighbourhood(
                territory=territory,
                name=n["name"],
                code=n.get("code", ""),
                population=n.get("population"),
                population_year=n.get("population_year"),
            ),
            "contract/territory/neighbourhoods",
        )
    rows = []
    for position, m in enumerate(data.get("municipalities", [])):
        share = m.get("stated_neighbourhood_share")
        rows.append((Municipality(
            territory=territory, name=m["name"], insee_code=m.get("insee_code", ""), population=m.get("population"),
            population_year=m.get("population_year"), official_population=m.get("official_population"),
            official_population_year=m.get("official_population_year"), neighbourhood_inhabitants=m.get("neighbourhood_inhabitants"),
            stated_neighbourhood_share=Decimal(share) if share is not None else None, position=position,
        ), f"contract/territory/municipalities/{position}"))  # fmt: skip
    # Issue 17: one insert for the communes; their priority neighbourhoods are then linked one commune at
    # a time, so that the link shows in the commune's history.
    municipalities = bulk_create_validated(Municipality, rows)
    for municipality, m in zip(municipalities, data.get("municipalities", []), strict=True):
        for name in m.get("neighbourhoods", []):
            if name not in neighbourhoods:  # listed only under its municipality
                neighbourhoods[name] = PriorityNeighbourhood.objects.create(territory=territory, name=name)
        if m.get("neighbourhoods"):
            municipality.neighbourhoods.add(*(neighbourhoods[name] for name in m["neighbourhoods"]))
    return territory


@transaction.atomic
def contract_from_json(data: dict, *, user=None) -> Contract:
    """Create the contract described by `data`, all or nothing. `user` becomes its coordinator."""
    data = normalize_value(data)  # every text the same way as forms and the API (core/text.py)
    errors = validate_contract_json(data)
    if errors:
        raise ContractJsonError(errors)
    c = data["contract"]
    loader = _Loader(c)
    loader.resolve(_organisation_names(c))
    contract = save_validated(
        Contract(
            kind=c["kind"],
            title=c["title"],
            short_name=c.get("short_name", ""),
            territory=_create_territory(c["territory"]),
            status=c.get("status", Contract.Status.DRAFT),
            start_date=_parse_date(c.get("start_date")),
            end_date=_parse_date(c.get("end_date")),
            regional_health_plan=c.get("regional_health_plan", ""),
            summary=c.get("summary", ""),
            # A web import is always a draft: publishing is the coordinator's explicit action.
            is_published=bool(c.get("is_published", False)) and may_publish_on_creation(user),
        ),
        "contract",
    )
    bulk_create_validated(Signatory, [
        (Signatory(contract=contract, organisation=loader.organisation(s["organisation"]),
                   representative=s.get("representative", ""), representative_title=s.get("representative_title", ""),
                   role=s.get("role", ""), position=position), f"contract/signatories/{position}")
        for position, s in enumerate(c.get("signatories", []))
    ])  # fmt: skip
    diagnosis_fields = (
        "group",
        "theme",
        "label",
        "unit",
        "year",
        "source",
        "territory_value",
        "department_value",
        "region_value",
        "nation_value",
    )
    bulk_create_validated(DiagnosisIndicator, [
        (DiagnosisIndicator(contract=contract, position=position, **{k: d.get(k, "") for k in diagnosis_fields}),
         f"contract/diagnosis/{position}")
        for position, d in enumerate(c.get("diagnosis", []))
    ])  # fmt: skip
    axes_data = c.get("axes", [])
    axes = bulk_create_validated(Axis, [
        (Axis(contract=contract, code=a.get("code", ""), title=a["title"], description=a.get("description", ""),
              position=position), f"contract/axes/{position}")
        for position, a in enumerate(axes_data)
    ])  # fmt: skip
    objectives = _create_objectives(
        [(axis, a.get("objectives", []), f"contract/axes/{p}") for p, (axis, a) in enumerate(zip(axes, axes_data, strict=True))]
    )  # fmt: skip
    placed = [(axis, x, f"contract/axes/{a_position}/actions/{x_position}", x_position)
              for a_position, (axis, a) in enumerate(zip(axes, axes_data, strict=True))
              for x_position, x in enumerate(a.get("actions", []))]  # fmt: skip
    actions = bulk_create_validated(Action, [
        (Action(contract=contract, axis=axis, objective=objectives[axis.pk].get(x.get("objective") or ""),
                code=x.get("code", ""), title=x["title"], context=x.get("context", ""), area=x.get("area", ""),
                is_public=x.get("is_public", False),  # public only when the coordination says so
                participation_level=x.get("participation_level", ""), position=position, **_work_kwargs(x)),
         where)
        for axis, x, where, position in placed
    ])  # fmt: skip
    children: dict = {Deliverable: [], Indicator: [], FundingLine: []}
    involvements, op_rows = [], []
    for action, (_axis, x, where, _position) in zip(actions, placed, strict=True):
        involvements += loader.involvements(ActionOrganisation, "action", action, x)
        _children_rows(loader, action, None, x, where, children)
        op_rows += [(Operation(action=action, title=o["title"], objective_text=o.get("objective_text", ""),
                               position=o_position, **_work_kwargs(o)), f"{where}/operations/{o_position}")
                    for o_position, o in enumerate(x.get("operations", []))]  # fmt: skip
    if involvements:
        bulk_create_with_history(involvements, ActionOrganisation)
    operations = bulk_create_validated(Operation, op_rows)
    op_data = [o for _axis, x, _where, _position in placed for o in x.get("operations", [])]
    involvements = []
    for operation, o, (_op, where) in zip(operations, op_data, op_rows, strict=True):
        involvements += loader.involvements(OperationOrganisation, "operation", operation, o)
        _children_rows(loader, operation.action, operation, o, where, children)
    if involvements:
        bulk_create_with_history(involvements, OperationOrganisation)
    for model, rows in children.items():
        bulk_create_validated(model, rows)
    # The QPV each fiche or operation serves (issue 14): a link per row, in its history.
    for action, (_axis, x, where, _position) in zip(actions, placed, strict=True):
        action._territory_id = contract.territory_id
        _serve(action, x, where)
    for operation, o, (_op, where) in zip(operations, op_data, op_rows, strict=True):
        operation._territory_id = contract.territory_id
        _serve(operation, o, where)
    for key, value in data.get("extensions", {}).items():
        if key in JSON_EXTENSIONS:
            JSON_EXTENSIONS[key].load(contract, value)
    if user is not None and user.is_authenticated:
        ContractRole.objects.create(contract=contract, user=user, role=ContractRole.Role.COORDINATOR)
    return contract
