"""Spreadsheets carry the version they were exported from; an old file never deletes what was
created after it unless the reviewer ticks it, row by row (issue 12)."""

import io
from datetime import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from opencls.actions.models import Action, Indicator
from opencls.monitoring import services as monitoring
from opencls.monitoring.models import IndicatorValue
from opencls.spreadsheets.export import export_plan
from opencls.spreadsheets.layout import META_EXPORTED, META_SHEET
from opencls.spreadsheets.models import PlanUpload
from opencls.spreadsheets.services import plan_file_read
from opencls.spreadsheets.tests.factories import coordinator_of, rich_plan
from opencls.spreadsheets.tests.helpers import ods_content
from opencls.testing.factories import IndicatorFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def contract(db):
    return rich_plan(actions=2)


@pytest.fixture
def coordinator(contract):
    return coordinator_of(contract)


def upload(client, contract, data: bytes) -> PlanUpload:
    response = client.post(
        reverse("spreadsheets:upload", args=[contract.pk]), {"file": SimpleUploadedFile("ancien.xlsx", data)}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    return PlanUpload.objects.latest("pk")


def review(client, contract, plan_upload) -> str:
    return client.get(reverse("spreadsheets:review", args=[contract.pk, plan_upload.pk])).content.decode()


def apply(client, contract, plan_upload, **data):
    return client.post(reverse("spreadsheets:apply", args=[contract.pk, plan_upload.pk]), data)


@pytest.mark.parametrize("file_format", ["xlsx", "ods", "tet"])
def test_every_export_records_its_version(contract, file_format):
    before = datetime.now().astimezone()
    data, _warnings = export_plan(contract, file_format)
    if file_format == "ods":
        assert META_EXPORTED in ods_content(data)
    elif file_format == "tet":  # the template's sheets untouched: in the document properties
        assert load_workbook(io.BytesIO(data)).properties.identifier.startswith("opencls-version:")
    else:
        workbook = load_workbook(io.BytesIO(data))
        meta = workbook[META_SHEET]
        assert meta.sheet_state == "hidden"
        assert META_EXPORTED in [row[0] for row in meta.iter_rows(values_only=True)]
    exported = datetime.fromisoformat(plan_file_read(data).exported_at)  # read back by the importer
    assert before <= exported <= datetime.now().astimezone()


def test_an_old_file_keeps_what_was_created_since_unless_ticked(client, contract, coordinator):
    old_file, _warnings = export_plan(contract, "xlsx")
    action = contract.actions.order_by("pk").first()
    created = IndicatorFactory(action=action, label="Nombre de personnes accompagnées")
    monitoring.indicator_value_set(
        user=coordinator, indicator=created, period_code="2025", value=Decimal("12")
    )
    client.force_login(coordinator)

    plan_upload = upload(client, contract, old_file)
    page = review(client, contract, plan_upload)
    version = page.split('id="file-version"')[1].split("</div>")[0]
    assert "exporté d" in version, version
    assert "Nombre de personnes accompagnées" in page and "créé dans OpenCLS le" in page
    assert "valeur 2025 saisie le" in page
    checkbox = f'name="remove" value="pk:{created.pk}"'
    assert checkbox in page and f"{checkbox} checked" not in page  # offered, not ticked
    assert plan_upload.removed == 0  # nothing removed unless ticked

    assert apply(client, contract, plan_upload).status_code == 302  # applied as is, nothing ticked
    assert Indicator.objects.filter(pk=created.pk).exists()
    assert IndicatorValue.objects.filter(indicator=created, value=12).exists()

    plan_upload = upload(client, contract, old_file)
    assert apply(client, contract, plan_upload, remove=[f"pk:{created.pk}"]).status_code == 302
    assert not Indicator.objects.filter(pk=created.pk).exists()
    deletion = Indicator.history.filter(id=created.pk).first()
    assert deletion.history_type == "-" and deletion.history_user == coordinator
    history = client.get(reverse("core:contract_history", args=[contract.pk])).content.decode()
    assert "Nombre de personnes accompagnées" in history and "Suppression" in history


def test_a_row_removed_from_the_file_is_still_removed(client, contract, coordinator):
    """Rows that existed at the export and were deleted in the file are removals as before."""
    from opencls.spreadsheets.tests.helpers import row_of

    data, _warnings = export_plan(contract, "xlsx")
    indicator = Indicator.objects.filter(action__contract=contract).order_by("pk").first()
    workbook = load_workbook(io.BytesIO(data))
    sheet_name = next(name for name in workbook.sheetnames if name.startswith("Indicateurs"))
    workbook[sheet_name].delete_rows(row_of(data, sheet_name, indicator.pk))
    output = io.BytesIO()
    workbook.save(output)
    client.force_login(coordinator)
    plan_upload = upload(client, contract, output.getvalue())
    assert plan_upload.removed == 1
    assert f'value="pk:{indicator.pk}"' not in review(client, contract, plan_upload)  # no checkbox
    apply(client, contract, plan_upload)
    assert not Indicator.objects.filter(pk=indicator.pk).exists()


def test_the_review_shows_what_changed_in_opencls_since_the_export(client, contract, coordinator):
    old_file, _warnings = export_plan(contract, "xlsx")
    action = contract.actions.order_by("pk").first()
    action.title = "Un intitulé changé dans OpenCLS"
    action._history_user = coordinator
    action.save()
    client.force_login(coordinator)
    page = review(client, contract, upload(client, contract, old_file))
    assert "modifié dans OpenCLS le" in page and ": intitulé" in page.lower()
    assert "1 des lignes ci-dessous a été modifiée dans OpenCLS" in page
    assert (
        Action.objects.get(pk=action.pk).title == "Un intitulé changé dans OpenCLS"
    )  # review writes nothing


def test_a_tet_file_keeps_what_was_created_since(contract, coordinator):
    from opencls.spreadsheets.services import plan_apply

    old_file, _warnings = export_plan(contract, "tet")
    created = IndicatorFactory(action=contract.actions.order_by("pk").first(), label="Indicateur ajouté")
    source = plan_file_read(old_file)
    assert source.exported_at is not None
    diff = plan_apply(contract, source, user=coordinator)
    assert Indicator.objects.filter(pk=created.pk).exists()
    assert all(c.pk != created.pk for c in diff.changes if c.kind == "indicator")


def test_an_unreadable_version_is_ignored():
    from opencls.spreadsheets.source import exported_at_from_properties

    assert exported_at_from_properties(b"pas un zip") is None
