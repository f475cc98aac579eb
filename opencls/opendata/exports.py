"""Bulk downloads of a région's open data, streamed (bounded memory at national scale).

Each contract is read from its latest published version, like the API. CSV follows the French
spreadsheet habits (semicolons, UTF-8 with BOM) and never lets a text cell become a formula
(`csv_cell`). The OSCARS file uses the field structure of OSCARS, the ARS/CRES database of
health-promotion actions, so that a région can feed it.
"""

import csv
import json
from collections.abc import Iterator

from django.utils.translation import gettext as _

from opencls.contracts.models import Contract
from opencls.opendata import selectors
from opencls.spreadsheets.cells import csv_cell

BATCH = 50  # contracts (and their snapshots) read at a time

CONTRACT_COLUMNS = ["id_contrat", "type", "intitule", "statut", "debut", "fin", "territoire", "code_region",
                    "code_departement", "version_publiee"]  # fmt: skip
ACTION_COLUMNS = ["code_fiche", "fiche_action", "axe", "statut_fiche", "porteurs", "partenaires", "publics",
                  "calendrier", "debut_fiche", "fin_fiche", "thematiques", "qpv", "niveau_participation"]  # fmt: skip
# OSCARS' fields (« Observation et suivi cartographique des actions régionales de santé »).
OSCARS_COLUMNS = ["Titre de l'action", "Contexte", "Objectifs", "Description", "Public", "Porteur", "Partenaires",
                  "Thèmes", "Territoire", "Départements", "Date de début", "Date de fin", "Dispositif",
                  "Lien"]  # fmt: skip
KINDS = dict(Contract.Kind.choices)
STATUSES = dict(Contract.Status.choices)


class _Echo:
    def write(self, value):
        return value


def _batches(contracts) -> Iterator[list[tuple]]:
    """[(contract, snapshot)] by batches, two queries per batch."""
    ids = list(contracts.values_list("pk", flat=True))
    for start in range(0, len(ids), BATCH):
        batch = list(selectors.published_contracts().filter(pk__in=ids[start : start + BATCH]))
        snapshots = selectors.snapshots(batch)
        yield [(contract, snapshots[contract.pk]) for contract in batch]


def _contract_row(contract) -> list:
    t = contract.territory
    return [contract.pk, str(KINDS.get(contract.public_kind, contract.public_kind)), contract.public_title,
            str(STATUSES.get(contract.public_status, contract.public_status)), contract.public_start_date or "",
            contract.public_end_date or "", contract.public_territory, t.region_code, t.department_code,
            contract.version_number]  # fmt: skip


def _served(action: dict) -> str:
    """« Les Tilleuls (QN05901M), … », or « Tout le territoire »."""
    names = [f"{q['name']} ({q['code']})" if q["code"] else q["name"] for q in action["qpv"]]
    return ", ".join(names) or (str(_("Tout le territoire")) if action["serves_whole_territory"] else "")


def _action_row(action: dict) -> list:
    return [action.get("code", ""), action["title"], action["axis"], action["status_label"],
            ", ".join(action.get("leads", [])), ", ".join(action.get("partners", [])),
            action.get("target_publics", ""), action.get("schedule", ""), action.get("start_date") or "",
            action.get("end_date") or "", ", ".join(action["theme_labels"]), _served(action),
            action["participation_label"] or ""]  # fmt: skip


def _csv(header: list[str], rows: Iterator[list]) -> Iterator[str]:
    writer = csv.writer(_Echo(), delimiter=";", lineterminator="\r\n")
    yield "\ufeff" + writer.writerow(header)
    for row in rows:
        yield writer.writerow([value if isinstance(value, int) else csv_cell(str(value)) for value in row])


def region_csv(contracts) -> Iterator[str]:
    """One line per public fiche action, with its contract (a contract without one: one line)."""

    def rows():
        for batch in _batches(contracts):
            for contract, snapshot in batch:
                actions = selectors.public_actions(snapshot)
                if not actions:
                    yield _contract_row(contract) + [""] * len(ACTION_COLUMNS)
                for action in actions:
                    yield _contract_row(contract) + _action_row(action)

    return _csv(CONTRACT_COLUMNS + ACTION_COLUMNS, rows())


def region_json(contracts, contract_url) -> Iterator[str]:
    """A JSON array of contracts with their public fiches, written as it is read."""
    yield "["
    first = True
    for batch in _batches(contracts):
        for contract, snapshot in batch:
            record = dict(zip(CONTRACT_COLUMNS, _contract_row(contract), strict=True))
            record["url"] = contract_url(contract)
            record["fiches_actions"] = [
                dict(zip(ACTION_COLUMNS, _action_row(a), strict=True))
                for a in selectors.public_actions(snapshot)
            ]
            yield ("" if first else ",") + json.dumps(record, ensure_ascii=False)
            first = False
    yield "]"


def oscars_csv(contracts, contract_url) -> Iterator[str]:
    def rows():
        for batch in _batches(contracts):
            for contract, snapshot in batch:
                territory = contract.territory
                for action in selectors.public_actions(snapshot):
                    yield [action["title"], action.get("context", ""), action["axis"], action.get("description", ""),
                           action.get("target_publics", ""), ", ".join(action.get("leads", [])),
                           ", ".join(action.get("partners", [])), ", ".join(action["theme_labels"]),
                           contract.public_territory, territory.department_code, action.get("start_date") or "",
                           action.get("end_date") or "", str(KINDS.get(contract.public_kind, "")),
                           contract_url(contract)]  # fmt: skip

    return _csv(OSCARS_COLUMNS, rows())
