"""The annual evaluation report, read back from the PDF and the DOCX as a COPIL member would."""

import io

import pdfplumber
import pytest
from docx import Document

from opencls.monitoring import reports, services
from opencls.monitoring.models import EvaluationReport, Status

pytestmark = pytest.mark.django_db


def pdf_text(content: bytes) -> str:
    """The page text, then the text of each table cell (the fiche's columns sit side by side)."""
    parts = []
    with pdfplumber.open(io.BytesIO(content)) as pdf:
        for page in pdf.pages:
            parts.append(page.extract_text() or "")
            parts.extend(cell or "" for table in page.extract_tables() for row in table for cell in row)
    return "\n".join(parts)


def docx_text(content: bytes) -> str:
    document = Document(io.BytesIO(content))
    parts = [paragraph.text for paragraph in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def squash(text: str) -> str:
    return " ".join(text.split())


def test_report_data_for_the_year(year_2026, today):
    data = reports.evaluation_report_data(year_2026.contract, 2026, today=today)
    statuses = {item.action.code: item.status for item in data.actions}
    # FA 3.1 went back in progress in January 2027: the 2026 report shows it postponed.
    assert statuses == {"FA 1.1": Status.IN_PROGRESS, "FA 3.1": Status.POSTPONED}
    assert data.indicator_totals == (1, 3)  # sessions met; trained and cumulative ambassadors not
    assert data.deliverable_totals == (1, 3)
    youth = data.actions[0]
    assert [column.title for column in youth.columns] == [
        "Former les professionnels",
        "Sensibiliser les jeunes",
    ]
    assert [column.status for column in youth.columns] == [Status.DONE, Status.NOT_STARTED]


def test_pdf_contains_the_figures(year_2026, today):
    content = reports.render_pdf(reports.evaluation_report_data(year_2026.contract, 2026, today=today))
    assert content.startswith(b"%PDF-")
    with pdfplumber.open(io.BytesIO(content)) as pdf:  # tagged, in French, for screen readers
        assert "StructTreeRoot" in pdf.doc.catalog and pdf.doc.catalog["Lang"] == b"fr"
    text = squash(pdf_text(content))
    assert "Évaluation annuelle 2026" in text
    assert "Une première année riche en partenariats." in text
    assert "FA 1.1 : Compétences psychosociales des jeunes" in text
    assert "2026 : 3 (cible 2, atteinte)" in text
    assert "2026 : 27 (cible 40, non atteinte)" in text
    assert "2026 : 3 (cible cumulée 5, non atteinte)" in text  # 1 in 2025 + 2 in 2026
    assert "réalisé le 20/11/2026" in text
    assert "Trois sessions tenues malgré le retard de recrutement" in text
    assert "Report à 2027" in text
    assert "1 cible d'indicateur atteinte sur 3" in text
    assert "1 livrable réalisé sur 3" in text
    assert "(s)" not in text


def test_pdf_charts_are_drawn_with_their_text_alternative(year_2026, today):
    data = reports.evaluation_report_data(year_2026.contract, 2026, today=today)
    html = reports.render_html(data)
    assert html.count("<svg") == 3  # status per axis, then one chart per action with figures
    assert "Prévention des conduites à risques : 1 en cours" in html
    assert "Nombre de professionnels formés : 27 pour une cible de 40" in html


def test_docx_contains_the_figures_and_the_charts(year_2026, today):
    content = reports.render_docx(reports.evaluation_report_data(year_2026.contract, 2026, today=today))
    text = docx_text(content)
    assert "Évaluation annuelle 2026 — CLS de démonstration" in text
    assert "Une première année riche en partenariats." in text
    assert "LIVRABLES ATTENDUS" in text
    assert "2026 : 3 (cible 2, atteinte)" in text
    assert "2026 : 27 (cible 40, non atteinte)" in text
    assert "☑ Guide de recommandations — réalisé le 20/11/2026" in text
    document = Document(io.BytesIO(content))
    assert len(document.inline_shapes) == 3


def test_generated_report_is_kept_with_the_contract(year_2026, today):
    report = services.evaluation_report_generate(
        user=year_2026.coordinator, contract=year_2026.contract, year=2026, fmt="pdf", today=today
    )
    assert report.format == EvaluationReport.Format.PDF
    assert report.file.name.startswith(f"contrats/{year_2026.contract.pk}/evaluations/2026/")
    assert "2026 : 3 (cible 2, atteinte)" in squash(pdf_text(report.file.read()))


def test_report_of_an_empty_year(year_2026, today):
    text = squash(
        pdf_text(reports.render_pdf(reports.evaluation_report_data(year_2026.contract, 2025, today=today)))
    )
    assert "Évaluation annuelle 2025" in text
    assert "Aucune synthèse rédigée." in text
    assert "0 cible d'indicateur atteinte sur 0" in text


def test_pdf_and_docx_have_cover_contents_budget_and_governance(year_2026, today):
    """Issue 18: a cover, a contents page with page numbers, the year's budget and meetings."""
    from opencls.governance.models import Decision
    from opencls.governance.tests.factories import GovernanceBodyFactory, MeetingFactory, at
    from opencls.testing import factories

    contract = year_2026.contract
    action = contract.actions.get(code="FA 1.1")
    factories.FundingLineFactory(action=action, year=2026, planned_amount="1500.00", granted_amount="1200.00")
    factories.FundingLineFactory(action=action, year=2025, planned_amount="999.00")
    body = GovernanceBodyFactory(contract=contract, copil=True)
    meeting = MeetingFactory(body=body, starts_at=at(2026, 11, 5), title="COPIL annuel")
    Decision.objects.create(meeting=meeting, text="Le plan d'actions 2027 est validé.")
    MeetingFactory(body=body, starts_at=at(2025, 11, 5), title="COPIL de l'an passé")
    data = reports.evaluation_report_data(contract, 2026, today=today)
    content = reports.render_pdf(data)
    with pdfplumber.open(io.BytesIO(content)) as pdf:
        cover, contents = (squash(page.extract_text() or "") for page in pdf.pages[:2])
        pages = len(pdf.pages)
    assert "Évaluation annuelle 2026" in cover and "CLS de démonstration" in cover and "Page" not in cover
    assert "Sommaire" in contents and "Budget" in contents and "Gouvernance" in contents
    # Each contents line ends with the page number its section starts on.
    assert any(line.endswith(str(n)) for n in range(3, pages + 1) for line in contents.split("Budget")[1:])
    text = squash(pdf_text(content))
    assert "1 500,00 €" in text and "1 200,00 €" in text and "999,00 €" not in text.split("Toutes années")[0]
    assert "COPIL annuel — 05/11/2026" in text and "Le plan d'actions 2027 est validé." in text
    assert "COPIL de l'an passé" not in text
    docx = squash(docx_text(reports.render_docx(data)))
    assert "Sommaire" in docx and "Budget" in docx and "Le plan d'actions 2027 est validé." in docx
    assert "1 500,00 €" in docx


def test_web_page_does_not_read_the_budget_or_meetings(year_2026, today, django_assert_max_num_queries):
    data = reports.evaluation_report_data(year_2026.contract, 2026, today=today)
    assert "budget" not in data.__dict__ and "meetings" not in data.__dict__  # computed for PDF/DOCX only
