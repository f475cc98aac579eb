"""The "participation" section of the contract JSON (`extensions.participation`).

It carries the participation bodies with their members, their seats in governance bodies and
the participation events. Personal data, deliberately: a member travels as the name or
pseudonym and the quartier the coordination records for every reader of the contract; their
e-mail, phone and the register of consent never do, even with a consent to be contacted. That
consent was given to the coordination of this contract for that purpose; an export is readable
by every reader of the contract and may create another contract elsewhere, which is another
purpose. Members deleted at their request are not exported at all.
"""

from datetime import date

import jsonschema

from opencls.contracts.io import ContractJsonError, JsonExtension, french_schema_error, save_validated
from opencls.contracts.models import Contract
from opencls.governance.models import GovernanceBody
from opencls.participation.models import Participant, ParticipationBody, ParticipationEvent, Seat

KEY = "participation"
_TEXT = {"type": "string"}
_NAMES = {"type": "array", "items": {"type": "string", "minLength": 1}}
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
                    "kind": {"enum": ParticipationBody.Kind.values},
                    "name": {"type": "string", "minLength": 1, "maxLength": 200},
                    "neighbourhood": {"type": ["string", "null"]},
                    "description": _TEXT,
                    "members": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "additionalProperties": False,
                            "properties": {
                                "name": {"type": "string", "maxLength": 100},
                                "college": {"enum": ["", *Participant.College.values]},
                                "neighbourhood": {"type": ["string", "null"]},
                                "joined_on": {"type": ["string", "null"], "format": "date"},
                            },
                        },
                    },
                    "seats": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "required": ["governance_body"],
                            "additionalProperties": False,
                            "properties": {
                                "governance_body": {"type": "string", "minLength": 1},
                                "count": {"type": "integer", "minimum": 1, "maximum": 50},
                                "holder": {"type": ["integer", "null"], "minimum": 0},
                            },
                        },
                    },
                },
            },
        },
        "events": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["kind", "title"],
                "additionalProperties": False,
                "properties": {
                    "kind": {"enum": ParticipationEvent.Kind.values},
                    "title": {"type": "string", "minLength": 1, "maxLength": 300},
                    "date": {"type": ["string", "null"], "format": "date"},
                    "date_text": {"type": "string", "maxLength": 100},
                    "place": {"type": "string", "maxLength": 300},
                    "participant_count": {"type": ["integer", "null"], "minimum": 0},
                    "body": {"type": ["string", "null"]},
                    "about_diagnosis": {"type": "boolean"},
                    "axes": _NAMES,
                    "actions": _NAMES,
                    "what_was_said": _TEXT,
                    "what_changed": _TEXT,
                },
            },
        },
    },
}


def _ref(obj) -> str:
    """How an axis or an action is named in the JSON: its code, else its title."""
    return obj.code or obj.title


def dump(contract: Contract) -> dict:
    bodies = (
        ParticipationBody.objects.filter(contract=contract)
        .select_related("neighbourhood")
        .prefetch_related("participants__neighbourhood", "seats__governance_body")
    )
    body_list = []
    for body in bodies:
        members = [p for p in body.participants.all() if not p.erased_on]
        index = {p.pk: i for i, p in enumerate(members)}
        body_list.append(
            {
                "kind": body.kind,
                "name": body.name,
                "neighbourhood": body.neighbourhood.name if body.neighbourhood else None,
                "description": body.description,
                "members": [
                    {
                        "name": p.name,
                        "college": p.college,
                        "neighbourhood": p.neighbourhood.name if p.neighbourhood else None,
                        "joined_on": p.joined_on.isoformat() if p.joined_on else None,
                    }
                    for p in members
                ],
                "seats": [
                    {
                        "governance_body": s.governance_body.name,
                        "count": s.count,
                        "holder": index.get(s.holder_id),
                    }
                    for s in body.seats.all()
                ],
            }
        )
    events = [
        {
            "kind": e.kind,
            "title": e.title,
            "date": e.date.isoformat() if e.date else None,
            "date_text": e.date_text,
            "place": e.place,
            "participant_count": e.participant_count,
            "body": e.body.name if e.body else None,
            "about_diagnosis": e.about_diagnosis,
            "axes": [_ref(a) for a in e.axes.all()],
            "actions": [_ref(a) for a in e.actions.all()],
            "what_was_said": e.what_was_said,
            "what_changed": e.what_changed,
        }
        for e in ParticipationEvent.objects.filter(contract=contract)
        .select_related("body")
        .prefetch_related("axes", "actions")
        .order_by("date", "pk")
    ]
    if not body_list and not events:
        return {}
    return {"bodies": body_list, "events": events}


def _lookup(mapping: dict, name, where: str, what: str):
    if not name:
        return None
    if name not in mapping:
        raise ContractJsonError([f"{where} : {what} « {name} » introuvable dans le contrat."])
    return mapping[name]


def load(contract: Contract, value) -> None:
    validator = jsonschema.Draft202012Validator(SCHEMA, format_checker=jsonschema.FormatChecker())
    errors = [f"extensions/{KEY}/" + french_schema_error(e) for e in validator.iter_errors(value)]
    if errors:
        raise ContractJsonError(errors)
    neighbourhoods = {n.name: n for n in contract.territory.neighbourhoods.all()}
    governance = {b.name: b for b in GovernanceBody.objects.filter(contract=contract)}
    axes = {}
    for axis in contract.axes.all():
        axes.setdefault(axis.title, axis)
        if axis.code:
            axes[axis.code] = axis
    actions = {}
    for action in contract.actions.all():
        actions.setdefault(action.title, action)
        if action.code:
            actions[action.code] = action
    bodies = {}
    for b_index, b in enumerate(value.get("bodies", [])):
        where = f"extensions/{KEY}/bodies/{b_index}"
        body = save_validated(
            ParticipationBody(
                contract=contract,
                kind=b["kind"],
                name=b["name"],
                neighbourhood=_lookup(neighbourhoods, b.get("neighbourhood"), where, "le quartier"),
                description=b.get("description", ""),
                position=b_index,
            ),
            where,
        )
        bodies[body.name] = body
        members = []
        for m_index, m in enumerate(b.get("members", [])):
            m_where = f"{where}/members/{m_index}"
            members.append(
                save_validated(
                    Participant(
                        body=body,
                        name=m.get("name", ""),
                        college=m.get("college", ""),
                        neighbourhood=_lookup(neighbourhoods, m.get("neighbourhood"), m_where, "le quartier"),
                        joined_on=date.fromisoformat(m["joined_on"]) if m.get("joined_on") else None,
                    ),
                    m_where,
                )
            )
        for s_index, s in enumerate(b.get("seats", [])):
            s_where = f"{where}/seats/{s_index}"
            holder = s.get("holder")
            if holder is not None and holder >= len(members):
                raise ContractJsonError(
                    [f"{s_where} : le membre n° {holder} n'existe pas dans cette instance."]
                )
            save_validated(
                Seat(
                    body=body,
                    governance_body=_lookup(
                        governance, s["governance_body"], s_where, "l'instance de gouvernance"
                    ),
                    count=s.get("count", 1),
                    holder=members[holder] if holder is not None else None,
                ),
                s_where,
            )
    for e_index, e in enumerate(value.get("events", [])):
        where = f"extensions/{KEY}/events/{e_index}"
        event = save_validated(
            ParticipationEvent(
                contract=contract,
                kind=e["kind"],
                title=e["title"],
                date=date.fromisoformat(e["date"]) if e.get("date") else None,
                date_text=e.get("date_text", ""),
                place=e.get("place", ""),
                participant_count=e.get("participant_count"),
                body=_lookup(bodies, e.get("body"), where, "l'instance participative"),
                about_diagnosis=e.get("about_diagnosis", False),
                what_was_said=e.get("what_was_said", ""),
                what_changed=e.get("what_changed", ""),
            ),
            where,
        )
        event.axes.set([_lookup(axes, name, where, "l'axe") for name in e.get("axes", [])])
        event.actions.set([_lookup(actions, name, where, "la fiche action") for name in e.get("actions", [])])


PARTICIPATION_JSON = JsonExtension(KEY, dump, load)
