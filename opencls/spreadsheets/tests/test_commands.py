import io
import json

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from opencls.actions.models import Action
from opencls.contracts.io import validate_contract_json
from opencls.spreadsheets.export import export_plan
from opencls.spreadsheets.services import plan_diff, plan_file_read
from opencls.spreadsheets.tests.factories import rich_plan
from opencls.spreadsheets.tests.helpers import column_of, edited, plan_state, row_of, workbook_bytes
from opencls.testing.factories import ContractFactory


@pytest.fixture
def contract(db):
    return rich_plan(actions=2)


def run_import(path, contract, *options) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_plan", str(path), "--contract", str(contract.pk), *options, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.mark.parametrize("file_format", ["xlsx", "ods", "tet"])
def test_export_plan_writes_the_file_to_standard_output(contract, file_format):
    out = io.BytesIO()

    call_command("export_plan", str(contract.pk), "--format", file_format, stdout=out, stderr=io.StringIO())

    assert out.getvalue()[:2] == b"PK"
    assert plan_diff(contract, plan_file_read(out.getvalue())).changes == []


def test_export_plan_of_an_unknown_contract(db):
    with pytest.raises(CommandError, match="Aucun contrat n'a l'identifiant 424242."):
        call_command("export_plan", "424242")


def test_dry_run_prints_in_the_contract_json_vocabulary_and_writes_nothing(contract, tmp_path):
    data, _warnings = export_plan(contract, "tet")
    path = tmp_path / "plan-tet.xlsx"
    path.write_bytes(data)
    target = ContractFactory()
    before = plan_state(target)

    out, _err = run_import(path, target, "--dry-run", "--format", "json")

    document = json.loads(out)
    assert validate_contract_json(document) == []
    axes = document["contract"]["axes"]
    assert [a["title"] for a in axes] == ["Axe 1 — Accès aux soins", "Axe 2 — Accès aux soins"]
    first = axes[0]["actions"][0]
    assert (first["code"], first["title"], first["objective"]) == (
        "FA 1",
        "Fiche action n°1 : développer la prévention",
        "1.1.1",
    )
    assert first["leads"] == [f"Ville de Lens {contract.pk}"]
    assert first["operations"][0]["title"] == "Opération 1.1 : ateliers"
    assert first["funding_lines"] == [{"funder": "ARS Hauts-de-France", "planned_amount": "12000.00"}]
    # 2 fiches, their 2 operations, and 4 funding lines (one per fiche, one per operation)
    assert document["extensions"]["spreadsheets"]["counts"] == {"add": 8, "change": 0, "remove": 0}
    assert document["extensions"]["spreadsheets"]["new_axes"] == [
        "1. Axe 1 — Accès aux soins",
        "2. Axe 2 — Accès aux soins",
    ]
    assert plan_state(target) == before


def test_dry_run_lists_changes_of_existing_fiches(contract, tmp_path):
    data, _warnings = export_plan(contract, "xlsx")
    action = contract.actions.order_by("pk").first()
    path = tmp_path / "plan.xlsx"
    path.write_bytes(
        edited(
            data, {("Plan", f"{column_of(data, 'Plan', 'Code')}{row_of(data, 'Plan', action.pk)}"): "FA 1.1"}
        )
    )

    out, _err = run_import(path, contract, "--dry-run", "--format", "json")

    changes = json.loads(out)["extensions"]["spreadsheets"]["changes"]
    assert changes == [
        {
            "kind": "action",
            "op": "change",
            "id": action.pk,
            "label": f"FA 1 — {action.title}",
            "where": "Feuille Plan, ligne 2",
            "fields": [{"field": "Code", "old": "FA 1", "new": "FA 1.1"}],
        }
    ]
    assert Action.objects.get(pk=action.pk).code == "FA 1"


def test_import_applies_and_reports(contract, tmp_path):
    data, _warnings = export_plan(contract, "xlsx")
    action = contract.actions.order_by("pk").first()
    path = tmp_path / "plan.xlsx"
    path.write_bytes(
        edited(
            data, {("Plan", f"{column_of(data, 'Plan', 'Code')}{row_of(data, 'Plan', action.pk)}"): "FA 1.1"}
        )
    )

    out, err = run_import(path, contract)

    assert "~ action « FA 1 — Fiche action n°1 : développer la prévention » (Feuille Plan, ligne 2)" in out
    assert "    Code : FA 1 → FA 1.1" in out
    assert "Plan mis à jour : 0 ajout(s), 1 modification(s), 0 suppression(s)." in err
    assert Action.objects.get(pk=action.pk).code == "FA 1.1"


def test_import_with_errors_writes_nothing_and_fails(contract, tmp_path):
    data, _warnings = export_plan(contract, "xlsx")
    workbook = load_workbook(io.BytesIO(data))
    workbook["Plan"][f"{column_of(data, 'Plan', 'Statut')}2"] = "Fini"
    path = tmp_path / "plan.xlsx"
    path.write_bytes(workbook_bytes(workbook))
    before = plan_state(contract)

    with pytest.raises(CommandError, match="1 erreur"):
        run_import(path, contract)

    assert plan_state(contract) == before


def test_import_of_a_file_that_is_not_a_spreadsheet(contract, tmp_path):
    path = tmp_path / "plan.xlsx"
    path.write_text("ID;Axe;Intitulé\n")

    with pytest.raises(CommandError, match="Ce fichier n'est pas un tableur"):
        run_import(path, contract, "--dry-run")
