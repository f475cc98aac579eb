"""Bulk downloads of a région's open data, streamed row by row (bounded memory at national scale).

CSV follows the French spreadsheet habits (semicolons, UTF-8 with BOM) and never lets a text cell
become a formula (`csv_cell`). The OSCARS file uses the field structure of OSCARS, the ARS/CRES
database of health-promotion actions, so that a région can feed it.
"""

import csv
import json
from collections.abc import Iterator

from opencls.monitoring.models import Status
from opencls.opendata import selectors
from opencls.spreadsheets.cells import csv_cell

BATCH = 200  # contracts read at a time

CONTRACT_COLUMNS = ["id_contrat", "type", "intitule", "statut", "debut", "fin", "territoire", "code_region",
                    "code_departement"]  # fmt: skip
ACTION_COLUMNS = ["code_fiche", "fiche_action", "axe", "statut_fiche", "porteurs", "partenaires", "publics",
                  "calendrier", "debut_fiche", "fin_fiche"]  # fmt: skip
# OSCARS' fields (« Observation et suivi cartographique des actions régionales de santé »).
OSCARS_COLUMNS = ["Titre de l'action", "Contexte", "Objectifs", "Description", "Public", "Porteur", "Partenaires",
                  "Thèmes", "Territoire", "Départements", "Date de début", "Date de fin", "Dispositif",
                  "Lien"]  # fmt: skip


class _Echo:
    def write(self, value):
        return value


def _batches(contracts) -> Iterator[tuple[list, list]]:
    """(contracts, their public actions) by batches, a fixed number of queries per batch."""
    contracts = list(contracts.values_list("pk", flat=True))
    for start in range(0, len(contracts), BATCH):
        ids = contracts[start : start + BATCH]
        batch = list(selectors.published_contracts().filter(pk__in=ids))
        actions: dict[int, list] = {}
        for action in selectors.public_actions(ids):
            actions.setdefault(action.contract_id, []).append(action)
        yield batch, actions


def _names(organisations) -> str:
    return ", ".join(o.name for o in organisations)


def _iso(day) -> str:
    return day.isoformat() if day else ""


def _contract_row(contract) -> list:
    t = contract.territory
    return [contract.pk, contract.get_kind_display(), contract.title, contract.get_status_display(),
            _iso(contract.start_date), _iso(contract.end_date), t.name, t.region_code, t.department_code]  # fmt: skip


def _action_row(action) -> list:
    return [action.code, action.title, action.axis.title, str(Status(action.current_status).label),
            _names(action.leads), _names(action.partners), action.target_publics, action.schedule,
            _iso(action.start_date), _iso(action.end_date)]  # fmt: skip


def _csv(header: list[str], rows: Iterator[list]) -> Iterator[str]:
    writer = csv.writer(_Echo(), delimiter=";", lineterminator="\r\n")
    yield "\ufeff" + writer.writerow(header)
    for row in rows:
        yield writer.writerow([value if isinstance(value, int) else csv_cell(str(value)) for value in row])


def region_csv(contracts) -> Iterator[str]:
    """One line per public fiche action, with its contract (a contract without one: one line)."""

    def rows():
        for batch, actions in _batches(contracts):
            for contract in batch:
                fiches = actions.get(contract.pk, [])
                if not fiches:
                    yield _contract_row(contract) + [""] * len(ACTION_COLUMNS)
                for action in fiches:
                    yield _contract_row(contract) + _action_row(action)

    return _csv(CONTRACT_COLUMNS + ACTION_COLUMNS, rows())


def region_json(contracts, contract_url) -> Iterator[str]:
    """A JSON array of contracts with their public fiches, written as it is read."""
    yield "["
    first = True
    for batch, actions in _batches(contracts):
        for contract in batch:
            record = dict(zip(CONTRACT_COLUMNS, _contract_row(contract), strict=True))
            record["url"] = contract_url(contract)
            record["fiches_actions"] = [
                dict(zip(ACTION_COLUMNS, _action_row(a), strict=True)) for a in actions.get(contract.pk, [])
            ]
            yield ("" if first else ",") + json.dumps(record, ensure_ascii=False)
            first = False
    yield "]"


def oscars_csv(contracts, contract_url) -> Iterator[str]:
    def rows():
        for batch, actions in _batches(contracts):
            for contract in batch:
                territory = contract.territory
                for action in actions.get(contract.pk, []):
                    themes = getattr(action, "theme_names", "")
                    yield [action.title, action.context, action.axis.title, action.description,
                           action.target_publics, _names(action.leads), _names(action.partners), themes,
                           territory.name, territory.department_code, _iso(action.start_date),
                           _iso(action.end_date), contract.get_kind_display(), contract_url(contract)]  # fmt: skip

    return _csv(OSCARS_COLUMNS, rows())
