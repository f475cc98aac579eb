import io
import re

import pdfplumber
import pytest
from django.core.management import call_command
from django.urls import reverse
from docx import Document

from opencls.contracts.models import ContractRole
from opencls.documents import contract_document
from opencls.documents.articles import DEFAULT_ARTICLES
from opencls.documents.jobs import CONTRACT_DOCUMENT
from opencls.jobs.models import Job
from opencls.jobs.testing import run_queued_jobs
from opencls.testing import factories

pytestmark = pytest.mark.django_db


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def docx_text(content: bytes) -> str:
    document = Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return flat("\n".join(parts))


def pdf_text(content: bytes) -> tuple[str, int]:
    with pdfplumber.open(io.BytesIO(content)) as pdf:
        return flat("\n".join(page.extract_text() or "" for page in pdf.pages)), len(pdf.pages)


def test_contract_document_of_seed_004_has_every_article_signatory_fiche_and_deliberation(seed_004, client):
    contract, coordinator = seed_004
    client.force_login(coordinator)
    signatories = list(contract.signatories.select_related("organisation"))
    actions = list(contract.actions.all())
    assert len(signatories) >= 20 and len(actions) == 15

    for fmt in ("docx", "pdf"):
        response = client.post(reverse("documents:generate", args=[contract.pk]), {"format": fmt})
        job = Job.objects.get(kind=CONTRACT_DOCUMENT, params={"fmt": fmt})
        assert response.url == reverse("jobs:detail", args=[job.pk])
    assert run_queued_jobs() == 2
    texts = {}
    for job in Job.objects.filter(kind=CONTRACT_DOCUMENT):
        job.refresh_from_db()
        assert job.status == Job.Status.DONE, job.error
        content = client.get(reverse("jobs:download", args=[job.pk]))
        body = b"".join(content.streaming_content)
        texts[job.params["fmt"]] = docx_text(body) if job.params["fmt"] == "docx" else pdf_text(body)[0]

    for fmt, text in texts.items():
        for number, model in enumerate(DEFAULT_ARTICLES, start=1):
            assert f"Article {number} : {model.title}" in text, (fmt, model.title)
        for signatory in signatories:
            assert flat(signatory.organisation.name) in text, (fmt, signatory.organisation.name)
        for action in actions:
            assert f"Fiche action {action}" in text or f"Fiche action {flat(str(action))}" in text, (
                fmt,
                action,
            )
        assert "L1434-10" in text
        # The signature page names the deliberation that authorises the commune.
        assert "CM 2025.10.02" in text
        assert "n°XXXXXX du XXXXXXXXXX 2025" in text  # Willems' still a placeholder, shown as written
        # Placeholders are filled from the contract's data.
        assert "{signataires}" not in text and "{axes}" not in text
        assert "Péronne-en-Mélantois" in text


def test_reader_may_generate_the_document_but_not_another_contracts(client):
    contract = factories.ContractFactory()
    member = factories.user_with_role(contract, ContractRole.Role.MEMBER)
    other = factories.ContractFactory()
    client.force_login(member)
    assert (
        client.post(reverse("documents:generate", args=[contract.pk]), {"format": "pdf"}).status_code == 302
    )
    assert client.post(reverse("documents:generate", args=[other.pk]), {"format": "pdf"}).status_code == 404
    assert (
        client.post(reverse("documents:generate", args=[contract.pk]), {"format": "exe"}).status_code == 404
    )
    assert client.get(reverse("documents:generate", args=[contract.pk])).status_code == 405
    assert Job.objects.count() == 1


def test_contract_document_command(seed_004, tmp_path):
    contract, _user = seed_004
    output = tmp_path / "contrat.docx"
    call_command("contract_document", contract.pk, "--format", "docx", "--output", str(output))
    assert "Article 2 : Les parties signataires" in docx_text(output.read_bytes())


def test_one_page_fiche_for_readers_only(seed_004, client):
    contract, _coordinator = seed_004
    action = contract.actions.get(code="FA 2.1")
    member = factories.user_with_role(contract, ContractRole.Role.MEMBER)
    url = reverse("documents:fiche_pdf", args=[contract.pk, action.pk])
    assert client.get(url).status_code in (302, 404)  # anonymous
    client.force_login(factories.UserFactory())
    assert client.get(url).status_code == 404  # no role on the contract
    client.force_login(member)
    response = client.get(url)
    assert response["Content-Type"] == "application/pdf"
    text, pages = pdf_text(response.content)
    assert pages == 1
    assert "FA 2.1" in text and "Porteur pilote" in text
    # Another contract's action under this contract: 404.
    other_action = factories.ActionFactory()
    assert client.get(reverse("documents:fiche_pdf", args=[contract.pk, other_action.pk])).status_code == 404


def test_public_pdf_leaves_out_unpublished_actions(client):
    contract = factories.ContractFactory(is_published=False)
    axis = factories.AxisFactory(contract=contract)
    factories.ActionFactory(axis=axis, title="Action visible du public", is_public=True)
    factories.ActionFactory(axis=axis, title="Action interne non publiée", is_public=False)
    url = reverse("documents:public_contract_pdf", args=[contract.pk])
    assert client.get(url).status_code == 404
    contract.is_published = True
    contract.save()
    response = client.get(url)
    assert response.status_code == 200
    text, _pages = pdf_text(response.content)
    assert "Action visible du public" in text
    assert "Action interne non publiée" not in text
    # The contents give each part's page.
    assert re.search(r"Annexe 2 : fiches actions ?\.{3,} ?\d+", text), text[:800]
    full = contract_document.render_html(contract_document.contract_document_data(contract))
    assert "Action interne non publiée" in full


def test_document_data_query_count_does_not_grow_with_the_plan(django_assert_num_queries):
    contract = factories.ContractFactory()
    for _n in range(2):
        axis = factories.AxisFactory(contract=contract)
        for _m in range(3):
            action = factories.ActionFactory(axis=axis, leads=[factories.OrganisationFactory()])
            factories.OperationFactory(action=action, leads=[factories.OrganisationFactory()])
            factories.DeliverableFactory(action=action)
            factories.IndicatorFactory(action=action)
            factories.FundingLineFactory(action=action)
    factories.SignatoryFactory(contract=contract)
    with django_assert_num_queries(13):
        data = contract_document.contract_document_data(contract)
    assert len(data.actions) == 6


def test_public_pdf_is_laid_out_again_only_when_the_contract_changes(client, monkeypatch):
    contract = factories.ContractFactory(is_published=True)
    factories.ActionFactory(axis=factories.AxisFactory(contract=contract), title="Première action")
    calls = []
    original = contract_document.html_to_pdf
    monkeypatch.setattr(contract_document, "html_to_pdf", lambda html: calls.append(1) or original(html))
    url = reverse("documents:public_contract_pdf", args=[contract.pk])
    first = client.get(url).content
    assert client.get(url).content == first
    assert len(calls) == 1
    contract.title = "Contrat renommé"
    contract.save()
    assert "Contrat renommé" in pdf_text(client.get(url).content)[0]
    assert len(calls) == 2
