import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from opencls.accounts.models import Organisation
from opencls.actions.models import Action
from opencls.contracts.models import ContractRole
from opencls.spreadsheets.export import export_plan
from opencls.spreadsheets.models import PlanUpload
from opencls.spreadsheets.tests.factories import PlanUploadFactory, coordinator_of, rich_plan
from opencls.spreadsheets.tests.helpers import column_of, edited, row_of
from opencls.testing.factories import UserFactory, user_with_role


@pytest.fixture
def contract(db):
    return rich_plan(actions=2)


@pytest.fixture
def coordinator(contract):
    return coordinator_of(contract)


def post_file(client, contract, data, name="plan.xlsx"):
    return client.post(
        reverse("spreadsheets:upload", args=[contract.pk]), {"file": SimpleUploadedFile(name, data)}
    )


def test_the_tab_offers_the_three_downloads(client, contract):
    client.force_login(user_with_role(contract, ContractRole.Role.MEMBER))

    response = client.get(reverse("spreadsheets:home", args=[contract.pk]))

    html = response.content.decode()
    for file_format in ("xlsx", "ods", "tet"):
        assert reverse("spreadsheets:export", args=[contract.pk, file_format]) in html
    assert "upload-form" not in html  # a member reads, does not change the plan
    assert "Non démarrée" in html and "À discuter" in html  # the TeT status mapping is shown


@pytest.mark.parametrize(
    ("file_format", "content_type", "suffix"),
    [
        ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", ".xlsx"),
        ("ods", "application/vnd.oasis.opendocument.spreadsheet", ".ods"),
        (
            "tet",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "-territoires-en-transitions.xlsx",
        ),
    ],
)
def test_downloads(client, contract, file_format, content_type, suffix):
    client.force_login(user_with_role(contract, ContractRole.Role.LEAD))

    response = client.get(reverse("spreadsheets:export", args=[contract.pk, file_format]))

    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"].endswith(f'{suffix}"')
    assert response.content[:2] == b"PK"


def test_outsiders_see_nothing_and_members_cannot_upload(client, contract):
    client.force_login(UserFactory())
    assert client.get(reverse("spreadsheets:home", args=[contract.pk])).status_code == 404
    assert client.get(reverse("spreadsheets:export", args=[contract.pk, "xlsx"])).status_code == 404
    client.force_login(user_with_role(contract, ContractRole.Role.MEMBER))
    data, _warnings = export_plan(contract, "xlsx")
    assert post_file(client, contract, data).status_code == 403
    assert not PlanUpload.objects.exists()


def test_upload_review_and_apply(client, contract, coordinator):
    client.force_login(coordinator)
    data, _warnings = export_plan(contract, "xlsx")
    action = contract.actions.order_by("pk").first()
    row = row_of(data, "Plan", action.pk)
    data = edited(
        data,
        {
            ("Plan", f"{column_of(data, 'Plan', 'Intitulé')}{row}"): "Prévenir les addictions",
            ("Plan", f"{column_of(data, 'Plan', 'Partenaires')}{row}"): "Maison des adolescents de Lens",
        },
    )

    response = post_file(client, contract, data)
    upload = PlanUpload.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("spreadsheets:review", args=[contract.pk, upload.pk])
    review = client.get(response["Location"]).content.decode()
    assert "Ajouts : 0 · Modifications : 1 · Suppressions : 0" in " ".join(review.split())
    assert "Prévenir les addictions" in review and "Fiche action n°1 : développer la prévention" in review
    assert "Créer l&#x27;organisation « Maison des adolescents de Lens »" in review
    assert not Action.objects.filter(title="Prévenir les addictions").exists()  # nothing before applying

    response = client.post(
        reverse("spreadsheets:apply", args=[contract.pk, upload.pk]), {"organisation_0": "new"}, follow=True
    )

    assert (
        "Le plan a été mis à jour : 0 ajout(s), 1 modification(s), 0 suppression(s)."
        in response.content.decode()
    )
    action.refresh_from_db()
    assert action.title == "Prévenir les addictions"
    assert [o.name for o in action.partners] == ["Maison des adolescents de Lens"]
    upload.refresh_from_db()
    assert upload.state == PlanUpload.State.APPLIED
    # Applying twice is refused.
    again = client.post(
        reverse("spreadsheets:apply", args=[contract.pk, upload.pk]), {"organisation_0": "new"}
    )
    assert "Ce fichier a déjà été appliqué ou abandonné" in again.content.decode()
    assert Organisation.objects.filter(name="Maison des adolescents de Lens").count() == 1


def test_a_plan_changed_after_the_upload_is_not_overwritten(client, contract, coordinator):
    client.force_login(coordinator)
    data, _warnings = export_plan(contract, "xlsx")
    action = contract.actions.order_by("pk").first()
    data = edited(
        data, {("Plan", f"{column_of(data, 'Plan', 'Intitulé')}{row_of(data, 'Plan', action.pk)}"): "A"}
    )
    post_file(client, contract, data)
    upload = PlanUpload.objects.get()
    Action.objects.filter(pk=action.pk).update(title="B")

    response = client.post(reverse("spreadsheets:apply", args=[contract.pk, upload.pk]))

    assert response.status_code == 400
    assert "Le plan a été modifié depuis l&#x27;envoi du fichier : rien n&#x27;a été enregistré." in (
        response.content.decode()
    )
    action.refresh_from_db()
    assert action.title == "B"


def test_discarding_an_upload(client, contract, coordinator):
    client.force_login(coordinator)
    upload = PlanUploadFactory(contract=contract, user=coordinator)

    response = client.post(reverse("spreadsheets:discard", args=[contract.pk, upload.pk]), follow=True)

    assert "Le fichier a été abandonné : rien n&#x27;a été modifié." in response.content.decode()
    upload.refresh_from_db()
    assert upload.state == PlanUpload.State.DISCARDED


def test_an_upload_is_seen_only_by_its_author_within_its_contract(client, contract, coordinator):
    colleague = coordinator_of(contract)
    upload = PlanUploadFactory(contract=contract, user=colleague)
    other_contract = rich_plan(actions=1)
    ContractRole.objects.create(contract=other_contract, user=coordinator, role=ContractRole.Role.COORDINATOR)
    own_elsewhere = PlanUploadFactory(contract=other_contract, user=coordinator)
    client.force_login(coordinator)

    assert client.get(reverse("spreadsheets:review", args=[contract.pk, upload.pk])).status_code == 404
    assert client.post(reverse("spreadsheets:apply", args=[contract.pk, upload.pk])).status_code == 404
    assert client.get(reverse("spreadsheets:review", args=[contract.pk, own_elsewhere.pk])).status_code == 404


def _uploads(contract, user, count):
    for number in range(count):
        PlanUploadFactory(contract=contract, user=user, added=number, diff={"counts": {}})


@pytest.mark.parametrize("count", [2, 10])
def test_the_tab_costs_the_same_queries_whatever_the_number_of_uploads(
    client, contract, coordinator, django_assert_num_queries, count
):
    _uploads(contract, coordinator, count)
    client.force_login(coordinator)
    url = reverse("spreadsheets:home", args=[contract.pk])
    client.get(url)  # warm the session

    with django_assert_num_queries(QUERIES_HOME):
        response = client.get(url)

    assert response.content.decode().count('href="/contrats/') >= count


QUERIES_HOME = 21


@pytest.mark.parametrize("actions", [2, 10])
def test_the_review_costs_the_same_queries_whatever_the_size_of_the_file(
    client, coordinator, django_assert_num_queries, actions, contract
):
    big = rich_plan(actions=actions)
    ContractRole.objects.create(contract=big, user=coordinator, role=ContractRole.Role.COORDINATOR)
    data, _warnings = export_plan(big, "xlsx")
    workbook = load_workbook(io.BytesIO(data))
    column = column_of(data, "Plan", "Publics cibles")
    for row in range(2, actions + 2):
        workbook["Plan"][f"{column}{row}"] = f"Public {row}"
    output = io.BytesIO()
    workbook.save(output)
    client.force_login(coordinator)
    post_file(client, big, output.getvalue())
    url = reverse("spreadsheets:review", args=[big.pk, PlanUpload.objects.get(contract=big).pk])
    client.get(url)

    with django_assert_num_queries(QUERIES_REVIEW):
        response = client.get(url)

    assert response.content.decode().count('data-op="change"') == actions


QUERIES_REVIEW = 5
