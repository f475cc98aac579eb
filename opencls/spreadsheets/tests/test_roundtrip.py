"""Export a plan, edit the file as a user would, import it back."""

import io
from datetime import date
from decimal import Decimal
from zipfile import ZIP_DEFLATED, ZIP_STORED, ZipFile

import pytest
from openpyxl import load_workbook

from opencls.accounts.models import Organisation
from opencls.actions.models import Action, FundingLine, Involvement, Operation
from opencls.contracts.models import Axis
from opencls.monitoring.models import IndicatorTarget, Status, StatusEntry
from opencls.spreadsheets import services
from opencls.spreadsheets.export import export_plan
from opencls.spreadsheets.services import PlanApplyError, plan_apply, plan_diff, plan_file_read
from opencls.spreadsheets.tests.factories import rich_plan
from opencls.spreadsheets.tests.helpers import column_of, edited, plan_state, row_of, workbook_bytes
from opencls.testing.factories import OrganisationFactory


@pytest.fixture
def contract(db):
    return rich_plan(actions=3)


def first_action(contract) -> Action:
    return contract.actions.order_by("pk").first()


def changes_of(diff):
    return [(c.kind, c.op, c.pk, [(f.label, f.old, f.new) for f in c.fields]) for c in diff.changes]


def ods_replace(data: bytes, old: str, new: str) -> bytes:
    """The ODS with the first cell text `old` rewritten, as LibreOffice would save it."""
    source = ZipFile(io.BytesIO(data))
    output = io.BytesIO()
    with ZipFile(output, "w") as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "content.xml":
                assert old.encode() in content
                content = content.replace(f">{old}<".encode(), f">{new}<".encode(), 1)
            target.writestr(info, content, ZIP_STORED if info.filename == "mimetype" else ZIP_DEFLATED)
    return output.getvalue()


@pytest.mark.parametrize("file_format", ["xlsx", "ods"])
def test_export_then_reimport_without_edit_gives_an_empty_diff(contract, file_format):
    data, _warnings = export_plan(contract, file_format)

    diff = plan_diff(contract, plan_file_read(data))

    assert diff.errors == []
    assert diff.changes == []
    assert diff.new_axes == diff.new_objectives == []
    assert diff.not_imported == []
    assert diff.warnings == []


def test_an_edited_cell_gives_exactly_that_change(contract):
    data, _warnings = export_plan(contract, "xlsx")
    action = first_action(contract)
    cell = f"{column_of(data, 'Plan', 'Publics cibles')}{row_of(data, 'Plan', action.pk)}"

    diff = plan_diff(contract, plan_file_read(edited(data, {("Plan", cell): "Familles monoparentales"})))

    assert changes_of(diff) == [
        (
            "action",
            "change",
            action.pk,
            [("Publics cibles", "Jeunes de 16 à 25 ans", "Familles monoparentales")],
        )
    ]


def test_an_edited_ods_cell_gives_exactly_that_change(contract):
    data, _warnings = export_plan(contract, "ods")

    diff = plan_diff(
        contract, plan_file_read(ods_replace(data, "Un bilan écrit", "Un bilan écrit et illustré"))
    )

    operation = Operation.objects.get(deliverables__text="Un bilan écrit", action=first_action(contract))
    assert changes_of(diff) == [
        ("operation", "change", operation.pk, [("Livrables", "Un bilan écrit", "Un bilan écrit et illustré")])
    ]


def test_renaming_an_action_is_a_change_not_a_removal_and_an_addition(contract):
    data, _warnings = export_plan(contract, "xlsx")
    action = first_action(contract)
    cell = f"{column_of(data, 'Plan', 'Intitulé')}{row_of(data, 'Plan', action.pk)}"
    source = plan_file_read(edited(data, {("Plan", cell): "Développer la prévention des addictions"}))

    diff = plan_apply(contract, source)

    assert [(c.op, c.pk) for c in diff.changes] == [("change", action.pk)]
    action.refresh_from_db()
    assert action.title == "Développer la prévention des addictions"
    assert action.operations.count() == 1  # nothing hanging on it was lost


def test_a_user_edits_many_things_and_they_are_all_applied(contract):
    data, _warnings = export_plan(contract, "xlsx")
    action = first_action(contract)
    operation = action.operations.get()
    row = row_of(data, "Plan", action.pk)
    workbook = load_workbook(io.BytesIO(data))
    plan = workbook["Plan"]
    plan[f"{column_of(data, 'Plan', 'Statut')}{row}"] = "Réalisée"
    plan[f"{column_of(data, 'Plan', 'Niveau de priorité')}{row}"] = "Basse"
    plan[f"{column_of(data, 'Plan', 'Fin')}{row}"] = "30/06/2027"
    plan[f"{column_of(data, 'Plan', 'Partenaires')}{row}"] = "Association Santé Partagée 1 ; CCAS de Liévin"
    plan[f"{column_of(data, 'Plan', 'Livrables')}{row}"] = "Au moins trois ateliers par an\nUne affiche"
    headers = [c.value for c in plan[1]]
    new_row = dict.fromkeys(headers)
    new_row |= {
        "Axe": "3. Santé mentale",
        "Objectif": "3.1 Repérer › 3.1.1 Former des sentinelles",
        "Code": "FA 30",
        "Intitulé": "Former des sentinelles",
        "Porteurs": "ars hauts-de-france",
        "Début": "01/01/2026",
        "Statut": "En cours",
    }
    plan.append([new_row[h] for h in headers])
    workbook["Opérations"].delete_rows(row_of(data, "Opérations", operation.pk))
    for sheet in ("Indicateurs", "Financements"):  # what hung on the operation goes with it
        rows = [
            n
            for n, r in enumerate(workbook[sheet].iter_rows(values_only=True), start=1)
            if r[3] == operation.pk
        ]
        for number in reversed(rows):
            workbook[sheet].delete_rows(number)
    funding = workbook["Financements"]
    funding_headers = [c.value for c in funding[1]]
    funding_row = dict.fromkeys(funding_headers) | {
        "Code fiche action": "FA 30",
        "Financeur": "Conseil départemental du Pas-de-Calais",
        "Nature": "Collectivité via conventions",
        "Année": 2026,
        "Montant prévu (€)": "8 000",
    }
    funding.append([funding_row[h] for h in funding_headers])
    indicators = workbook["Indicateurs"]
    indicator = action.indicators.get(operation=None)
    indicator_row = row_of(data, "Indicateurs", indicator.pk)
    indicators[f"{column_of(data, 'Indicateurs', 'Cible 2027')}{indicator_row}"] = 5
    source = plan_file_read(workbook_bytes(workbook))

    diff = plan_diff(contract, source)
    assert diff.errors == []
    assert diff.new_axes[0]["label"] == "3. Santé mentale"
    assert [o["label"] for o in diff.new_objectives] == [
        "3.1 Repérer",
        "3.1 Repérer › 3.1.1 Former des sentinelles",
    ]
    assert sorted((c.kind, c.op) for c in diff.changes) == [
        ("action", "add"),
        ("action", "change"),
        ("funding", "add"),
        ("funding", "remove"),
        ("indicator", "change"),
        ("indicator", "remove"),
        ("operation", "remove"),
    ]
    plan_apply(contract, source, today=date(2026, 5, 1))

    action.refresh_from_db()
    assert action.end_date == date(2027, 6, 30)
    assert action.plan_details.priority == "low"
    assert [p.name for p in action.partners] == ["Association Santé Partagée 1", "CCAS de Liévin"]
    assert list(action.deliverables.filter(operation=None).values_list("text", flat=True)) == [
        "Au moins trois ateliers par an",
        "Une affiche",
    ]
    latest = StatusEntry.objects.filter(action=action, operation=None).order_by("-date", "-pk").first()
    assert (latest.status, latest.date) == (Status.DONE, date(2026, 5, 1))
    assert not Operation.objects.filter(pk=operation.pk).exists()
    assert IndicatorTarget.objects.get(indicator=indicator, period="2027").value == 5
    new = Action.objects.get(contract=contract, code="FA 30")
    assert (new.axis.code, new.axis.title) == ("3", "Santé mentale")
    assert (new.objective.code, new.objective.parent.code) == ("3.1.1", "3.1")
    assert new.leads == [Organisation.objects.get(name="ARS Hauts-de-France")]  # matched, not duplicated
    line = FundingLine.objects.get(action=new)
    assert (line.funder.name, line.planned_amount, line.year) == (
        "Conseil départemental du Pas-de-Calais",
        Decimal("8000"),
        2026,
    )
    assert StatusEntry.objects.get(action=new).status == Status.IN_PROGRESS
    # The plan as written exports back to what the user typed.
    again, _warnings = export_plan(contract, "xlsx")
    assert plan_diff(contract, plan_file_read(again)).changes == []


def test_an_invalid_row_means_nothing_is_written(contract):
    data, _warnings = export_plan(contract, "xlsx")
    action = first_action(contract)
    row = row_of(data, "Plan", action.pk)
    before = plan_state(contract)
    source = plan_file_read(
        edited(
            data,
            {
                ("Plan", f"{column_of(data, 'Plan', 'Intitulé')}{row}"): "Un titre valable",
                ("Plan", f"{column_of(data, 'Plan', 'Statut')}{row + 1}"): "Fini",
            },
        )
    )

    with pytest.raises(PlanApplyError) as raised:
        plan_apply(contract, source)

    assert raised.value.messages == [
        f"Feuille Plan, ligne {row + 1}, colonne Statut : « Fini » n'est pas un statut connu "
        "(valeurs possibles : Non démarrée, En cours, Réalisée, Reportée, Abandonnée)"
    ]
    assert plan_state(contract) == before


def test_a_failure_while_writing_rolls_everything_back(contract, monkeypatch):
    data, _warnings = export_plan(contract, "xlsx")
    row = row_of(data, "Plan", first_action(contract).pk)
    source = plan_file_read(
        edited(
            data,
            {
                ("Plan", f"{column_of(data, 'Plan', 'Intitulé')}{row}"): "Un titre valable",
                ("Plan", f"{column_of(data, 'Plan', 'Statut')}{row}"): "Abandonnée",
            },
        )
    )
    before = plan_state(contract)

    def broken(*args, **kwargs):
        raise RuntimeError("disque plein")

    monkeypatch.setattr(services, "statuses_record", broken)  # the last write of an import
    with pytest.raises(RuntimeError):
        plan_apply(contract, source)

    assert plan_state(contract) == before


def test_a_plan_changed_since_the_review_is_not_overwritten(contract):
    data, _warnings = export_plan(contract, "xlsx")
    action = first_action(contract)
    source = plan_file_read(
        edited(
            data,
            {("Plan", f"{column_of(data, 'Plan', 'Intitulé')}{row_of(data, 'Plan', action.pk)}"): "Titre A"},
        )
    )
    reviewed = plan_diff(contract, source).digest
    Action.objects.filter(pk=action.pk).update(title="Titre B, saisi entre-temps par une collègue")

    with pytest.raises(PlanApplyError, match="Le plan a été modifié depuis l'envoi du fichier"):
        plan_apply(contract, source, expected_digest=reviewed)

    action.refresh_from_db()
    assert action.title == "Titre B, saisi entre-temps par une collègue"


def test_a_file_exported_from_another_contract_is_refused(contract):
    other = rich_plan(actions=1)
    data, _warnings = export_plan(other, "xlsx")

    diff = plan_diff(contract, plan_file_read(data))

    assert [e["message"] for e in diff.errors] == [
        f"ce fichier a été exporté du contrat n° {other.pk}, pas de celui-ci (n° {contract.pk}) : exportez le plan "
        "de ce contrat et reportez-y vos modifications"
    ]


def test_a_copied_row_keeps_its_id_and_is_reported(contract):
    data, _warnings = export_plan(contract, "xlsx")
    workbook = load_workbook(io.BytesIO(data))
    plan = workbook["Plan"]
    plan.append([c.value for c in plan[2]])

    diff = plan_diff(contract, plan_file_read(workbook_bytes(workbook)))

    assert [(e["row"], e["column"]) for e in diff.errors] == [(5, "ID")]
    assert "une ligne copiée garde son ID" in diff.errors[0]["message"]


def test_removed_rows_are_listed_with_what_goes_with_them(contract):
    data, _warnings = export_plan(contract, "xlsx")
    action = first_action(contract)
    workbook = load_workbook(io.BytesIO(data))
    workbook["Plan"].delete_rows(row_of(data, "Plan", action.pk))
    for sheet in ("Opérations", "Indicateurs", "Financements"):
        rows = [
            n for n, r in enumerate(workbook[sheet].iter_rows(values_only=True), start=1) if r[1] == action.pk
        ]
        for number in reversed(rows):
            workbook[sheet].delete_rows(number)

    diff = plan_diff(contract, plan_file_read(workbook_bytes(workbook)))

    assert [(c.kind, c.op, c.pk, c.note) for c in diff.changes] == [
        ("action", "remove", action.pk, "avec 1 opération, 2 indicateurs, 2 lignes de financement")
    ]


def test_a_child_row_of_a_removed_action_is_an_error(contract):
    data, _warnings = export_plan(contract, "xlsx")
    action = first_action(contract)
    workbook = load_workbook(io.BytesIO(data))
    workbook["Plan"].delete_rows(row_of(data, "Plan", action.pk))

    diff = plan_diff(contract, plan_file_read(workbook_bytes(workbook)))

    assert {(e["sheet"], e["column"]) for e in diff.errors} == {
        ("Opérations", "ID fiche action"),
        ("Indicateurs", "ID fiche action"),
        ("Financements", "ID fiche action"),
    }


def test_indicator_values_of_a_period_not_started_are_refused(contract):
    data, _warnings = export_plan(contract, "xlsx")
    indicator = first_action(contract).indicators.get(operation=None)
    cell = f"{column_of(data, 'Indicateurs', 'Valeur 2028')}{row_of(data, 'Indicateurs', indicator.pk)}"

    diff = plan_diff(contract, plan_file_read(edited(data, {("Indicateurs", cell): 4})))

    assert [(e["column"], e["message"]) for e in diff.errors] == [
        ("Valeur 2028", "la période 2028 n'a pas commencé : aucune valeur ne peut y être saisie")
    ]


def test_a_near_organisation_name_is_proposed_and_the_user_choice_is_applied(contract):
    data, _warnings = export_plan(contract, "xlsx")
    action = first_action(contract)
    cell = f"{column_of(data, 'Plan', 'Porteurs')}{row_of(data, 'Plan', action.pk)}"
    source = plan_file_read(edited(data, {("Plan", cell): "ARS Hauts de France"}))
    ars = Organisation.objects.get(name="ARS Hauts-de-France")

    diff = plan_diff(contract, source)
    assert diff.organisations == [
        {
            "name": "ARS Hauts de France",
            "key": "ars hauts de france",
            "existing": None,
            "candidates": [{"pk": ars.pk, "name": "ARS Hauts-de-France"}],
        }
    ]
    plan_apply(contract, source, organisation_choices={"ars hauts de france": ars.pk})

    assert action.involvements.get(involvement=Involvement.LEAD).organisation == ars
    assert not Organisation.objects.filter(name="ARS Hauts de France").exists()


def test_a_case_and_accent_variant_is_the_same_organisation(contract):
    data, _warnings = export_plan(contract, "xlsx")
    action = first_action(contract)
    city = action.leads[0]
    cell = f"{column_of(data, 'Plan', 'Porteurs')}{row_of(data, 'Plan', action.pk)}"

    diff = plan_diff(
        contract, plan_file_read(edited(data, {("Plan", cell): city.name.upper().replace("E", "É")}))
    )

    assert diff.changes == []


def test_swapping_two_codes_is_written(contract):
    data, _warnings = export_plan(contract, "xlsx")
    first, second = contract.actions.order_by("pk")[:2]
    column = column_of(data, "Plan", "Code")
    source = plan_file_read(
        edited(
            data,
            {
                ("Plan", f"{column}{row_of(data, 'Plan', first.pk)}"): second.code,
                ("Plan", f"{column}{row_of(data, 'Plan', second.pk)}"): first.code,
            },
        )
    )

    plan_apply(contract, source)

    assert Action.objects.get(pk=first.pk).code == second.code
    assert Action.objects.get(pk=second.pk).code == first.code


def test_two_rows_with_one_code_are_refused(contract):
    data, _warnings = export_plan(contract, "xlsx")
    first, second = contract.actions.order_by("pk")[:2]
    cell = f"{column_of(data, 'Plan', 'Code')}{row_of(data, 'Plan', second.pk)}"

    diff = plan_diff(contract, plan_file_read(edited(data, {("Plan", cell): first.code})))

    assert [(e["column"], e["message"]) for e in diff.errors] == [
        ("Code", f"le code est déjà celui de la fiche ligne {row_of(data, 'Plan', first.pk)}")
    ]


def test_a_missing_sheet_leaves_its_records_alone(contract):
    data, _warnings = export_plan(contract, "xlsx")
    workbook = load_workbook(io.BytesIO(data))
    del workbook["Indicateurs"]

    diff = plan_diff(contract, plan_file_read(workbook_bytes(workbook)))

    assert diff.changes == []
    assert diff.warnings == [
        "La feuille « Indicateurs » est absente du fichier : ce qu'elle contient d'habitude n'est pas modifié."
    ]


def test_unknown_columns_are_listed_as_not_imported(contract):
    data, _warnings = export_plan(contract, "xlsx")
    workbook = load_workbook(io.BytesIO(data))
    plan = workbook["Plan"]
    column = plan.max_column + 1
    plan.cell(row=1, column=column, value="Commentaire du COPIL")
    plan.cell(row=2, column=column, value="À revoir en 2027")

    diff = plan_diff(contract, plan_file_read(workbook_bytes(workbook)))

    assert diff.changes == []
    assert {
        "where": "Feuille Plan, ligne 2, colonne « Commentaire du COPIL »",
        "text": "À revoir en 2027",
    } in (diff.not_imported)


def test_territory_and_municipalities_round_trip(contract):
    data, _warnings = export_plan(contract, "xlsx")
    workbook = load_workbook(io.BytesIO(data))
    workbook["Territoire"]["B5"] = "Pas-de-Calais"  # Département
    communes = workbook["Communes"]
    communes.append([None, "Loos-en-Gohelle", "62528", 6800, 2021, 1200, None, "Cité 12/14"])
    source = plan_file_read(workbook_bytes(workbook))

    plan_apply(contract, source)

    contract.territory.refresh_from_db()
    assert contract.territory.department == "Pas-de-Calais"
    loos = contract.territory.municipalities.get(name="Loos-en-Gohelle")
    assert (loos.insee_code, loos.population, [n.name for n in loos.neighbourhoods.all()]) == (
        "62528",
        6800,
        ["Cité 12/14"],
    )


def test_new_axis_position_follows_the_existing_ones(contract):
    data, _warnings = export_plan(contract, "xlsx")
    workbook = load_workbook(io.BytesIO(data))
    plan = workbook["Plan"]
    headers = [c.value for c in plan[1]]
    plan.append([{"Axe": "Coordination", "Intitulé": "Animer le CLS"}.get(h) for h in headers])

    plan_apply(contract, plan_file_read(workbook_bytes(workbook)))

    axis = Axis.objects.get(contract=contract, title="Coordination")
    assert (axis.code, axis.position) == ("", 2)
    assert OrganisationFactory._meta.model.objects.filter(name="Coordination").count() == 0
