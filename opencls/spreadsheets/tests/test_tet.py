"""The Territoires en Transitions import template, read and written."""

import io
from datetime import date, datetime
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook

from opencls.accounts.models import Organisation
from opencls.actions.models import Action, FundingLine
from opencls.monitoring.models import Status, StatusEntry
from opencls.spreadsheets.export import export_plan
from opencls.spreadsheets.selectors import plan_snapshot
from opencls.spreadsheets.services import plan_apply, plan_diff, plan_file_read
from opencls.spreadsheets.tests.factories import rich_plan
from opencls.spreadsheets.tests.helpers import workbook_bytes
from opencls.spreadsheets.tet import TEMPLATE_PATH, TET_STATUSES
from opencls.testing.factories import ActionFactory, ContractFactory

pytestmark = pytest.mark.filterwarnings("ignore:Data Validation extension:UserWarning")


def template():
    return load_workbook(TEMPLATE_PATH)


def fill(workbook, rows: list[dict]):
    """Writes `rows` (header text → value) from row 5 of the template, as a user would."""
    sheet = workbook["Fichier dimport"]
    columns = {}
    for cell in sheet[2]:
        if cell.value and cell.value.strip() not in columns:
            columns[cell.value.strip()] = cell.column
    amounts = [c.column for c in sheet[2] if c.value and c.value.startswith("Montant")]
    for row in sheet.iter_rows(min_row=5, max_row=sheet.max_row):
        for cell in row:
            cell.value = None
    for offset, values in enumerate(rows):
        for header, value in values.items():
            if header.startswith("Montant "):
                column = amounts[int(header[-1]) - 1]
            else:
                column = columns[header.strip()]
            sheet.cell(row=5 + offset, column=column, value=value)
    return workbook_bytes(workbook)


def test_the_blank_template_is_recognised_and_its_help_rows_are_skipped(db):
    source = plan_file_read(TEMPLATE_PATH.read_bytes())

    assert source.source == "tet"
    assert [e["message"] for e in source.errors] == ["la feuille ne contient aucune fiche action"]
    assert source.warnings == ["Ligne 5 : l'exemple du modèle a été ignoré."]
    # Columns OpenCLS has no place for are listed, never silently dropped.
    assert {"where": "Feuille Fichier dimport, colonne N « Personne pilote »", "text": "colonne vide"} in (
        source.not_imported
    )


@pytest.fixture
def filled(db):
    return fill(
        template(),
        [
            {
                "Axe (x)": "1. Prévenir et promouvoir la santé",
                "Sous-axe (x.x)": "1.1. Réduire les addictions",
                "Sous-sous axe (x.x.x)": "1.1.1. Informer les jeunes",
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
                "Financeur 2": "Ville de Lens",
                "Montant 2": 3000,
                "Budget prévisionnel total € HT": 20000,
                "Statut ": "En retard",
                "Niveau de priorité": "Élevé",
                "Date de début": datetime(2025, 1, 1),
                "Date de fin": "47727",
                "Notes": "Voir le compte rendu du COPIL",
            },
            {
                "Axe (x)": "1. Prévenir et promouvoir la santé",
                "Sous-axe (x.x)": "1.1. Réduire les addictions",
                "Sous-sous axe (x.x.x)": "1.1.1. Informer les jeunes",
                "Titre de la sous-action": "Ateliers dans les collèges",
                "Descriptif": "Six ateliers par an",
                "Structure pilote": "Association Addictions France",
                "Statut ": "Réalisé",
                "Date de début": "01/09/2025",
                "Date de fin": "30/06/2026",
            },
            {
                "Axe (x)": "2. Accès aux soins",
                "Sous-sous axe (x.x.x)": "2.1.1. Attirer des médecins",
                "Titre de la fiche action": "Créer une maison de santé",
                "Statut ": "À discuter",
                "Niveau de priorité": "Bas",
            },
        ],
    )


def test_a_filled_template_becomes_a_plan(filled):
    contract = ContractFactory()
    source = plan_file_read(filled)
    assert source.errors == []

    diff = plan_diff(contract, source)
    assert diff.errors == []
    assert [a["label"] for a in diff.new_axes] == ["1. Prévenir et promouvoir la santé", "2. Accès aux soins"]
    assert [o["label"] for o in diff.new_objectives] == [
        "1.1. Réduire les addictions",
        "1.1. Réduire les addictions › 1.1.1. Informer les jeunes",
        "2.1.1. Attirer des médecins",  # « Sous-axe » left empty: the level is in « Sous-sous axe »
    ]
    assert {
        "where": "Feuille Fichier dimport, ligne 5, colonne « Notes »",
        "text": "Voir le compte rendu du COPIL",
    } in (diff.not_imported)
    plan_apply(contract, source, today=date(2026, 1, 15))

    action = Action.objects.get(contract=contract, code="FA 1.1")
    assert action.title == "Prévenir les conduites addictives"
    assert (action.axis.code, action.axis.title) == ("1", "Prévenir et promouvoir la santé")
    assert (action.objective.code, action.objective.parent.code) == ("1.1.1", "1.1")
    assert action.description == "Interventions en milieu scolaire"
    assert action.funding_text == "CPOM et crédits politique de la ville"
    assert (action.start_date, action.end_date) == (date(2025, 1, 1), date(2030, 9, 1))
    assert [o.name for o in action.leads] == ["Ville de Lens", "CCAS de Lens"]
    assert [o.name for o in action.partners] == ["ARS Hauts-de-France", "Association Addictions France"]
    details = action.plan_details
    assert (details.priority, details.participation) == ("high", "co_construction")
    assert details.objectives_text == "Retarder l'âge de la première consommation"
    assert details.governance_text == "Groupe de travail addictions"
    lines = {
        (line.funder.name if line.funder else None): line.planned_amount
        for line in action.funding_lines.all()
    }
    assert lines == {
        "ARS Hauts-de-France": Decimal("12000"),
        "Ville de Lens": Decimal("3000"),
        None: Decimal("5000"),
    }
    assert (
        StatusEntry.objects.get(action=action, operation=None).status == Status.IN_PROGRESS
    )  # « En retard »
    operation = action.operations.get()
    assert (operation.title, operation.description) == ("Ateliers dans les collèges", "Six ateliers par an")
    assert (operation.start_date, operation.end_date) == (date(2025, 9, 1), date(2026, 6, 30))
    assert [o.name for o in operation.leads] == ["Association Addictions France"]
    assert StatusEntry.objects.get(operation=operation).status == Status.DONE
    second = Action.objects.get(contract=contract, title="Créer une maison de santé")
    assert second.objective.code == "2.1.1"
    assert second.plan_details.priority == "low"
    assert not StatusEntry.objects.filter(
        action=second
    ).exists()  # « À discuter » : not started, nothing to record
    assert Organisation.objects.filter(name__iexact="Ville de Lens").count() == 1


def test_reading_the_same_template_again_changes_nothing(filled):
    contract = ContractFactory()
    plan_apply(contract, plan_file_read(filled), today=date(2026, 1, 15))

    diff = plan_diff(contract, plan_file_read(filled))

    assert diff.errors == []
    assert diff.changes == []


def test_an_older_variant_with_other_columns_in_another_order(db):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Plan d'actions"
    sheet.append(
        [
            "Titre de l'action",
            "Statut ",
            "Axe (x)",
            "Calendrier",
            "Notes de suivi",
            "Financeur 1",
            "Montant € TTC",
            "Budget prévisionnel total € TTC",
            "Partenaires ",
            "Date de début",
            "Cibles",
        ]
    )
    sheet.append(
        [
            "Créer un annuaire santé",
            "en cours",
            "Axe 1 - Coordination",
            "Premier semestre 2026",
            "Réunion le 12 mars",
            "Agglomération",
            "4 500",
            "4500",
            "CPTS;Hôpital de Lens",
            "15/01/2026",
            "Professionnels de santé",
        ]
    )
    contract = ContractFactory()

    source = plan_file_read(workbook_bytes(workbook))
    plan_apply(contract, source, today=date(2026, 2, 1))

    action = Action.objects.get(contract=contract)
    assert (action.title, action.schedule, action.target_publics) == (
        "Créer un annuaire santé",
        "Premier semestre 2026",
        "Professionnels de santé",
    )
    assert (action.axis.code, action.axis.title) == ("Axe 1", "Coordination")
    assert [o.name for o in action.partners] == ["CPTS", "Hôpital de Lens"]
    assert action.start_date == date(2026, 1, 15)
    assert FundingLine.objects.get(action=action).planned_amount == Decimal("4500")
    assert source.not_imported == [
        {
            "where": "Feuille Plan d'actions, colonne E « Notes de suivi »",
            "text": "1 valeur(s) non importée(s)",
        },
        {
            "where": "Feuille Plan d'actions, ligne 2, colonne « Notes de suivi »",
            "text": "Réunion le 12 mars",
        },
    ]


@pytest.mark.parametrize(("label", "status"), list(TET_STATUSES.items()))
def test_every_tet_status_has_its_opencls_status(db, label, status):
    contract = ContractFactory()
    data = fill(
        template(), [{"Axe (x)": "1. Axe", "Titre de la fiche action": "Une fiche", "Statut ": label}]
    )

    plan_apply(contract, plan_file_read(data), today=date(2026, 1, 15))

    entry = StatusEntry.objects.filter(action__contract=contract).first()
    assert (entry.status if entry else Status.NOT_STARTED) == status


def test_an_unknown_status_is_reported_with_its_place(db):
    data = fill(
        template(), [{"Axe (x)": "1. Axe", "Titre de la fiche action": "Une fiche", "Statut ": "Fini"}]
    )

    source = plan_file_read(data)

    assert [str(e["row"]) + " " + e["column"] + " : " + e["message"] for e in source.errors] == [
        "5 Statut : « Fini » n'est pas un statut connu (valeurs possibles : À venir, À discuter, En cours, Réalisé, "
        "En retard, En pause, Bloqué, Abandonné)"
    ]


def test_the_tet_export_keeps_the_template_structure(db):
    contract = rich_plan(actions=2)

    data, _warnings = export_plan(contract, "tet")

    exported, blank = load_workbook(io.BytesIO(data)), template()
    assert (
        exported.sheetnames == blank.sheetnames == ["Mode demploi", "Fichier dimport", "Listes déroulantes"]
    )
    sheet, model = exported["Fichier dimport"], blank["Fichier dimport"]
    for number in (1, 2, 3, 4):  # title, headers, field types and filling rules, untouched
        assert [c.value for c in sheet[number]] == [c.value for c in model[number]]
    assert {str(r) for r in sheet.merged_cells.ranges} == {"H1:I1", "J1:P1"}
    assert sheet.column_dimensions["D"].width == model.column_dimensions["D"].width
    assert exported["Listes déroulantes"].sheet_state == "hidden"
    first = {
        model.cell(row=2, column=c.column).value.strip(): c
        for c in sheet[5]
        if model.cell(row=2, column=c.column).value
    }
    assert first["Titre de la fiche action"].value == "FA 1 - Fiche action n°1 : développer la prévention"
    assert first["Axe (x)"].value == "1. Axe 1 — Accès aux soins"
    assert first["Sous-axe (x.x)"].value == "1.1. Améliorer l'accès aux droits"
    assert first["Sous-sous axe (x.x.x)"].value == "1.1.1. Informer les habitants > 65 ans"
    assert first["Date de début"].value == datetime(2025, 1, 1)
    assert first["Date de début"].number_format == model["AA5"].number_format
    assert (first["Financeur 1"].value, sheet["S5"].value) == ("ARS Hauts-de-France", 12000)  # Montant € HT
    assert first["Budget prévisionnel total € HT"].value == 12000
    assert first["Statut"].value == "À venir"
    assert first["Niveau de priorité"].value == "Élevé"
    operation_row = {
        model.cell(row=2, column=c.column).value.strip(): c.value
        for c in sheet[6]
        if model.cell(row=2, column=c.column).value
    }
    assert operation_row["Titre de la fiche action"] is None  # TeT reads a sub-action row as no fiche
    assert operation_row["Titre de la sous-action"] == "Opération 1.1 : ateliers"
    lists = {
        str(v.sqref).split(":")[0]: v.formula1
        for v in sheet.data_validations.dataValidation
        if v.type == "list"
    }
    assert lists["Y5"] == "'Listes déroulantes'!$C$2:$C$9"


def test_a_title_over_300_characters_is_cut_with_a_warning(db):
    contract = rich_plan(actions=1)
    action = contract.actions.get()
    action.title = "Développer " * 40
    action.save()

    data, warnings = export_plan(contract, "tet")

    cell = load_workbook(io.BytesIO(data))["Fichier dimport"]["D5"].value
    assert len(cell) == 300 and cell.endswith("…")
    assert f"Fiche {action.code} — {action.title}"[:60] in warnings[0]
    assert "l'intitulé dépasse 300 caractères, il est tronqué dans le fichier TeT." in warnings[0]
    # Read back, the cut title still designates the same fiche: nothing changes.
    assert plan_diff(contract, plan_file_read(data)).changes == []


HELD_BY_TET = (
    "axis",
    "objective",
    "code",
    "title",
    "description",
    "leads",
    "partners",
    "funding_text",
    "status",
    "start_date",
    "end_date",
    "priority",
    "objectives_text",
    "governance_text",
    "participation",
)
HELD_FOR_OPERATIONS = (
    "title",
    "description",
    "leads",
    "partners",
    "funding_text",
    "status",
    "start_date",
    "end_date",
)


def _planned_by_funder(snapshot, action_id, operation_id):
    totals = {}
    for line in snapshot.records["funding"].values():
        if (line["action_id"], line["operation_id"]) == (action_id, operation_id):
            totals[line["funder"]] = totals.get(line["funder"], 0) + Decimal(line["planned_amount"] or 0)
    return totals


def test_opencls_to_tet_to_opencls_keeps_every_field_the_template_holds(db):
    original = rich_plan(actions=3)
    data, _warnings = export_plan(original, "tet")
    copy = ContractFactory()

    plan_apply(copy, plan_file_read(data), today=date(2026, 1, 15))

    before, after = plan_snapshot(original), plan_snapshot(copy)
    by_code = {values["code"]: (pk, values) for pk, values in after.records["action"].items()}
    assert len(by_code) == len(before.records["action"]) == 3
    for pk, values in before.records["action"].items():
        copy_pk, copied = by_code[values["code"]]
        assert {k: copied[k] for k in HELD_BY_TET} == {k: values[k] for k in HELD_BY_TET}
        assert _planned_by_funder(after, copy_pk, None) == _planned_by_funder(before, pk, None)
        operations = [(o_pk, o) for o_pk, o in before.records["operation"].items() if o["action_id"] == pk]
        copied_operations = [
            (o_pk, o) for o_pk, o in after.records["operation"].items() if o["action_id"] == copy_pk
        ]
        assert [{k: o[k] for k in HELD_FOR_OPERATIONS} for _pk, o in copied_operations] == [
            {k: o[k] for k in HELD_FOR_OPERATIONS} for _pk, o in operations
        ]
        for (o_pk, _o), (c_pk, _c) in zip(operations, copied_operations, strict=True):
            assert _planned_by_funder(after, copy_pk, c_pk) == _planned_by_funder(before, pk, o_pk)


def test_tet_export_read_back_into_the_same_contract_changes_nothing(db):
    contract = rich_plan(actions=3)
    ActionFactory(contract=contract, axis=contract.axes.first(), code="", title="Une fiche sans code")
    data, _warnings = export_plan(contract, "tet")

    diff = plan_diff(contract, plan_file_read(data))

    assert diff.errors == []
    assert diff.changes == []
    assert diff.new_axes == diff.new_objectives == []


def test_a_plan_longer_than_the_template_keeps_its_formats_and_checks(db):
    contract = rich_plan(actions=100)  # 100 fiches and their 100 operations: rows 5 to 204

    data, warnings = export_plan(contract, "tet")

    sheet = load_workbook(io.BytesIO(data))["Fichier dimport"]
    assert sheet.max_row == 204
    assert sheet["AA204"].number_format == template()["Fichier dimport"]["AA5"].number_format
    ranges = {str(v.sqref) for v in sheet.data_validations.dataValidation}
    assert "Y5:Y204" in ranges  # statuses
    assert "S5:S204 U5:U204 W5:X204" in ranges  # whole euros, stretched from the template's 199 rows
    assert "Le modèle TeT n'importe pas les indicateurs : ils ne sont pas exportés." in warnings
    assert (
        "Le modèle TeT n'a pas de colonne « Livrables » : cette information n'est pas exportée." in warnings
    )
