"""Issue 17: `import_plan --dry-run --format json` shows every field that applying stores (statuses,
priorities, dates, porteurs, partners, funding, participation…) in the contract JSON vocabulary; the
dry run is compared with the applied plan exported by contracts/io.py. A level that only repeats
its column's name ("Sous-Sous Axe") is not turned into an objective."""

import io
import json
from datetime import datetime

import pytest
from django.core.management import call_command

from opencls.contracts.io import contract_to_json
from opencls.contracts.models import Objective
from opencls.imports.tests.dry_run import by_place, differences
from opencls.spreadsheets.tests.test_tet import fill, template
from opencls.testing.factories import ContractFactory

pytestmark = pytest.mark.filterwarnings("ignore:Data Validation extension:UserWarning")

ROWS = [
    {
        "Axe (x)": "1. Prévenir et promouvoir la santé",
        "Sous-axe (x.x)": "1.1. Réduire les addictions",
        "Sous-sous axe (x.x.x)": "Sous-Sous Axe",
        "Titre de la fiche action": "FA 1.1 - Prévenir les conduites addictives",
        "Descriptif": "Interventions en milieu scolaire",
        "Instances de gouvernance": "Groupe de travail addictions",
        "Objectifs": "Retarder l'âge de la première consommation",
        "Structure pilote": "Ville de Lens,CCAS de Lens",
        "Partenaires ": "ARS Hauts-de-France, Association Addictions France",
        "Participation Citoyenne": "Co-construction",
        "Financements": "CPOM et crédits politique de la ville",
        "Financeur 1": "ARS Hauts-de-France",
        "Montant 1": "12 000",
        "Budget prévisionnel total € HT": 20000,
        "Statut ": "En retard",
        "Niveau de priorité": "Élevé",
        "Date de début": datetime(2025, 1, 1),
        "Date de fin": "31/12/2026",
    },
    {
        "Axe (x)": "1. Prévenir et promouvoir la santé",
        "Sous-axe (x.x)": "1.1. Réduire les addictions",
        "Titre de la sous-action": "Ateliers dans les collèges",
        "Structure pilote": "Association Addictions France",
        "Statut ": "Réalisé",
        "Date de début": "01/09/2025",
        "Date de fin": "30/06/2026",
    },
    {
        "Axe (x)": "2. Accès aux soins",
        "Sous-axe (x.x)": "Sous-axe",
        "Titre de la fiche action": "Créer une maison de santé",
        "Statut ": "À discuter",
        "Niveau de priorité": "Bas",
    },
]


def test_the_tet_dry_run_is_what_applying_stores(db, tmp_path):
    path = tmp_path / "plan.xlsx"
    path.write_bytes(fill(template(), ROWS))
    contract = ContractFactory()
    out = io.StringIO()

    call_command("import_plan", str(path), "--contract", str(contract.pk), "--dry-run", "--format", "json",
                 stdout=out, stderr=io.StringIO())  # fmt: skip
    announced = json.loads(out.getvalue())
    call_command(
        "import_plan", str(path), "--contract", str(contract.pk), stdout=io.StringIO(), stderr=io.StringIO()
    )
    stored = contract_to_json(contract)

    details = announced["extensions"]["spreadsheets"]["action_details"]
    assert details == [
        {"axis": 0, "action": 0, "priority": "high", "objectives_text": "Retarder l'âge de la première consommation",
         "governance_text": "Groupe de travail addictions", "participation": "co_construction", "status": "in_progress",
         "operation_statuses": [{"operation": 0, "status": "done"}]},
        {"axis": 1, "action": 0, "priority": "low"},  # « À discuter »: not started, the status without entry
    ]  # fmt: skip
    stored_details = by_place(stored["extensions"]["spreadsheets"]["action_details"])
    for place, item in by_place(details).items():
        assert differences(item, stored_details[place]) == []
    assert differences(announced["contract"]["axes"], stored["contract"]["axes"]) == []
    first = announced["contract"]["axes"][0]["actions"][0]
    assert (first["start_date"], first["end_date"], first["leads"]) == ("2025-01-01", "2026-12-31",
                                                                        ["Ville de Lens", "CCAS de Lens"])  # fmt: skip
    assert first["funding_lines"][0]["funder"] == "ARS Hauts-de-France"


def test_a_level_that_repeats_its_column_name_is_not_an_objective(db, tmp_path):
    path = tmp_path / "plan.xlsx"
    path.write_bytes(fill(template(), ROWS))
    contract = ContractFactory()
    err = io.StringIO()

    call_command("import_plan", str(path), "--contract", str(contract.pk), stdout=io.StringIO(), stderr=err)

    assert sorted(Objective.objects.filter(axis__contract=contract).values_list("title", flat=True)) == [
        "Réduire les addictions"
    ]
    out = io.StringIO()
    call_command(
        "import_plan", str(path), "--contract", str(contract.pk), "--dry-run", stdout=out, stderr=err
    )
    assert (
        "« Sous-Sous Axe » ne fait que répéter le nom de sa colonne : ce niveau est ignoré." in out.getvalue()
    )
