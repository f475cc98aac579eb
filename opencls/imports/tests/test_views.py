import json

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from opencls.contracts.models import Contract, ContractRole
from opencls.imports.models import DocumentImport
from opencls.imports.tests.expected import DOCUMENTS, FIXTURES, SEEDS
from opencls.imports.tests.factories import DocumentImportFactory
from opencls.jobs.models import Job
from opencls.jobs.testing import run_queued_jobs
from opencls.testing.factories import ContractFactory, UserFactory

pytestmark = pytest.mark.django_db
UPLOAD = reverse("imports:upload")


@pytest.fixture
def user():
    return UserFactory(can_create_contracts=True)


@pytest.fixture
def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def upload(client, path, name=None):
    document = SimpleUploadedFile(name or path.name, path.read_bytes())
    return client.post(UPLOAD, {"file": document})


def test_the_upload_page_is_linked_from_the_dashboard_and_the_header(client_for):
    page = client_for.get(reverse("core:dashboard")).content.decode()
    assert page.count(f'href="{UPLOAD}"') == 2
    response = client_for.get(UPLOAD)
    assert response.status_code == 200
    assert 'class="fr-upload"' in response.content.decode()
    assert "Taille maximale : 20,0 Mo" in response.content.decode()


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    response = client.get(UPLOAD)
    assert response.status_code == 302 and "/comptes/" in response["Location"]


def test_upload_review_then_save_as_draft(client_for, user):
    response = upload(client_for, DOCUMENTS["004"]["docx"])
    document_import = DocumentImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("imports:review", args=[document_import.pk])
    assert (document_import.user, document_import.file_format) == (user, "Word")

    page = client_for.get(response["Location"]).content.decode()
    assert "4 axes" in page and "15 fiches actions" in page and "23 signataires" in page
    assert "« Claude GARDANNE » dans le préambule mais « CLAUDE GARDIANNE »" in page  # a warning
    assert "Fiches actions (total)" in page and "Conforme" in page  # announced 15, found 15
    assert "Non importé" in page and "MODALITÉS DE GOUVERNANCE" in page
    assert "Coordination de l&#x27;alimentation durable de Villeneuve d&#x27;Ascq" in page
    assert Contract.objects.count() == 0  # nothing saved before the reviewer says so

    form = {"title": "CLSI de la Marque et du Mélantois", "kind": "clsi", "short_name": "CLSI2M",
            "territory_name": "Marque et Mélantois", "territory_kind": "intermunicipal", "region": "Hauts-de-France"}  # fmt: skip
    response = client_for.post(reverse("imports:review", args=[document_import.pk]), form)
    contract = Contract.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("contracts:detail", args=[contract.pk])
    assert contract.title == "CLSI de la Marque et du Mélantois" and contract.status == "draft"
    assert ContractRole.objects.filter(
        contract=contract, user=user, role=ContractRole.Role.COORDINATOR
    ).exists()
    assert contract.actions.count() == 15
    detail = client_for.get(response["Location"])
    assert detail.status_code == 200
    assert "créé comme brouillon" in detail.content.decode()
    document_import.refresh_from_db()
    assert document_import.contract == contract


def test_a_missing_territory_must_be_given_before_saving(client_for):
    upload(client_for, SEEDS / "002_slides_contrats_de_ville.txt")
    review = reverse("imports:review", args=[DocumentImport.objects.get().pk])
    page = client_for.get(review).content.decode()
    assert "Le territoire du contrat n&#x27;a pas été trouvé" in page
    form = {
        "title": "Volet santé",
        "kind": "city_contract_health",
        "territory_name": "",
        "territory_kind": "epci",
    }
    response = client_for.post(review, form)
    assert response.status_code == 400 and Contract.objects.count() == 0
    response = client_for.post(review, {**form, "territory_name": "Valenciennes Métropole"})
    assert response.status_code == 302
    assert Contract.objects.get().territory.name == "Valenciennes Métropole"


@pytest.mark.parametrize(
    ("path", "message"),
    [
        (FIXTURES / "contrat_protege.pdf", "Ce PDF est protégé par un mot de passe"),
        (FIXTURES / "scan_image_seule.pdf", "Ce PDF ne contient pas de texte"),
        (FIXTURES / "build_fixtures.py", "Format non pris en charge (.py)"),
    ],
)
def test_a_refused_document_shows_a_french_error_and_saves_nothing(client_for, path, message):
    response = upload(client_for, path)
    if path.suffix == ".pdf":  # read by a background job: the error is on the job's page
        job = Job.objects.get()
        assert response.status_code == 302 and response["Location"] == reverse("jobs:detail", args=[job.pk])
        run_queued_jobs()
        response = client_for.get(response["Location"])
        assert "La tâche a échoué" in response.content.decode()
        folders = default_storage.listdir("jobs/imports")[0]  # the uploaded bytes are not kept
        assert all(default_storage.listdir(f"jobs/imports/{folder}") == ([], []) for folder in folders)
    else:
        assert response.status_code == 400
    page = response.content.decode()
    assert 'class="fr-alert fr-alert--error' in page
    assert message in page.replace("&#x27;", "'")
    assert DocumentImport.objects.count() == Contract.objects.count() == 0


def test_a_binary_renamed_txt_is_refused(client_for, tmp_path):
    binary = tmp_path / "contrat.txt"
    binary.write_bytes(bytes(range(256)) * 8)
    response = upload(client_for, binary)
    assert response.status_code == 400 and "octets nuls" in response.content.decode()


@pytest.mark.parametrize(
    ("limit", "shown"),
    [
        (100 * 1024, "0,1 Mo"),  # refused from the announced length, before reading
        (200 * 1024, "0,2 Mo"),  # within the envelope: refused when the data passes the limit
    ],
)
def test_a_file_over_the_limit_is_dropped_while_it_arrives(client_for, settings, limit, shown):
    settings.OPENCLS_MAX_UPLOAD_BYTES = limit
    response = upload(client_for, DOCUMENTS["004"]["pdf"])  # 224 Kio
    assert response.status_code == 400
    assert f"la taille maximale acceptée est de {shown}" in response.content.decode()
    assert DocumentImport.objects.count() == 0


def test_csrf_is_still_checked_on_upload(user):
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    response = upload(client, DOCUMENTS["003"]["txt"])
    assert response.status_code == 403


def test_an_import_is_visible_only_to_its_uploader(client_for):
    other = DocumentImportFactory()
    for name, method in (("review", "get"), ("json", "get"), ("discard", "post")):
        response = getattr(client_for, method)(reverse(f"imports:{name}", args=[other.pk]))
        assert response.status_code == 404
    assert client_for.post(reverse("imports:review", args=[other.pk]), {}).status_code == 404
    assert DocumentImport.objects.filter(pk=other.pk).exists()


def test_discarding_an_import(client_for, user):
    document_import = DocumentImportFactory(user=user)
    response = client_for.post(reverse("imports:discard", args=[document_import.pk]))
    assert response.status_code == 302 and response["Location"] == UPLOAD
    assert not DocumentImport.objects.exists()


def test_the_extracted_json_can_be_downloaded(client_for, user):
    document_import = DocumentImportFactory(user=user, filename="Contrat Testville.docx")
    response = client_for.get(reverse("imports:json", args=[document_import.pk]))
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert 'filename="import-contrat-testville.json"' in response["Content-Disposition"]
    assert json.loads(response.content) == document_import.data


@pytest.mark.parametrize("count", [2, 10])
def test_the_list_of_recent_imports_costs_a_fixed_number_of_queries(
    client_for, user, count, django_assert_num_queries
):
    imports = [
        DocumentImportFactory(user=user, contract=ContractFactory() if index % 2 else None)
        for index in range(count)
    ]
    DocumentImportFactory()  # someone else's: not listed
    with django_assert_num_queries(3):  # session, user, the imports with their contracts
        response = client_for.get(UPLOAD)
    page = response.content.decode()
    assert all(reverse("imports:review", args=[i.pk]) in page for i in imports)
    assert page.count("fr-badge--success") == count // 2  # the saved ones link to their contract
