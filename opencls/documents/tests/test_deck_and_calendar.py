import io
from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar
from pptx import Presentation

from opencls.contracts.models import ContractRole
from opencls.documents import deck, gantt
from opencls.documents.jobs import COPIL_DECK
from opencls.governance.tests.factories import AgendaItemFactory, GovernanceBodyFactory, MeetingFactory
from opencls.jobs.models import Job
from opencls.jobs.testing import run_queued_jobs
from opencls.monitoring.models import Status, StatusEntry
from opencls.testing import factories

pytestmark = pytest.mark.django_db
TODAY = date(2026, 6, 15)


@pytest.fixture
def plan():
    contract = factories.ContractFactory(start_date=date(2025, 1, 1), end_date=date(2028, 12, 31))
    first = factories.AxisFactory(contract=contract, code="Axe 1", title="Addictions")
    second = factories.AxisFactory(contract=contract, code="Axe 2", title="Environnement")
    late = factories.ActionFactory(axis=first, code="FA 1.1", title="Action en retard", schedule="T1 2026")
    done = factories.ActionFactory(axis=first, code="FA 1.2", title="Action réalisée", schedule="2025")
    running = factories.ActionFactory(
        axis=second,
        code="FA 2.1",
        title="Action en cours",
        start_date=date(2026, 1, 1),
        end_date=date(2027, 6, 30),
    )
    factories.OperationFactory(action=running, title="Opération datée", schedule="T3 2026")
    factories.ActionFactory(axis=second, code="FA 2.2", title="Action sans date", schedule="à définir")
    StatusEntry.objects.create(contract=contract, action=done, status=Status.DONE, date=date(2025, 12, 1))
    StatusEntry.objects.create(
        contract=contract, action=late, status=Status.IN_PROGRESS, date=date(2026, 2, 1)
    )
    StatusEntry.objects.create(
        contract=contract, action=running, status=Status.IN_PROGRESS, date=date(2026, 2, 1)
    )
    return contract


def test_timeline_has_one_bar_per_dated_action_and_flags_late_ones(plan):
    data = gantt.timeline(plan, today=TODAY)
    assert [row.axis.code for row in data.axes] == ["Axe 1", "Axe 2"]
    dated = {bar.label: bar for bar in data.dated}
    assert set(dated) == {
        "FA 1.1 : Action en retard",
        "FA 1.2 : Action réalisée",
        "FA 2.1 : Action en cours",
        "Opération datée",
    }
    assert [bar.label for bar in data.late] == ["FA 1.1 : Action en retard"]  # ended 31/03/2026, in progress
    assert dated["FA 1.2 : Action réalisée"].is_late is False  # past but done
    assert data.today_left is not None and 0 < data.today_left < 100
    bar = dated["FA 2.1 : Action en cours"]
    assert 0 < bar.left < bar.left + bar.width <= 100


def test_calendar_page_ics_and_query_count(plan, client, django_assert_num_queries):
    member = factories.user_with_role(plan, ContractRole.Role.MEMBER)
    client.force_login(member)
    url = reverse("documents:calendar", args=[plan.pk])
    client.get(url)  # warm the per-request caches of templates
    with django_assert_num_queries(9):
        response = client.get(url)
    html = response.content.decode()
    assert html.count('class="gantt__bar ') == 4
    assert "gantt__bar--late" in html and 'id="calendar-table"' in html
    assert "Action sans date" in html  # in the table, with no bar
    assert "@media print" in html
    ics = client.get(reverse("documents:calendar_ics", args=[plan.pk]))
    assert ics["Content-Type"].startswith("text/calendar")
    events = Calendar.from_ical(ics.content).walk("VEVENT")
    assert len(events) == 4
    running = next(e for e in events if str(e["summary"]) == "FA 2.1 : Action en cours")
    assert running.decoded("dtstart") == date(2026, 1, 1)
    assert running.decoded("dtend") == date(2027, 7, 1)  # exclusive end
    # The query count does not grow with the plan.
    axis = plan.axes.first()
    for n in range(5):
        action = factories.ActionFactory(axis=axis, schedule="2027", leads=[factories.OrganisationFactory()])
        factories.OperationFactory(action=action, schedule=f"T{n % 4 + 1} 2027")
    with django_assert_num_queries(9):
        client.get(url)
    # Another contract's reader sees nothing.
    client.force_login(factories.user_with_role(factories.ContractFactory(), ContractRole.Role.COORDINATOR))
    assert client.get(url).status_code == 404
    assert client.get(reverse("documents:calendar_ics", args=[plan.pk])).status_code == 404


def test_calendar_is_in_the_contract_nav(plan, client):
    client.force_login(factories.user_with_role(plan, ContractRole.Role.MEMBER))
    page = client.get(reverse("contracts:detail", args=[plan.pk])).content.decode()
    assert reverse("documents:calendar", args=[plan.pk]) in page
    assert reverse("documents:index", args=[plan.pk]) in page
    index = client.get(reverse("documents:index", args=[plan.pk])).content.decode()
    assert index.count("/fiche.pdf") == 4


def slide_texts(content: bytes) -> list[str]:
    presentation = Presentation(io.BytesIO(content))
    texts = []
    for slide in presentation.slides:
        parts = []
        for shape in slide.shapes:
            if shape.has_text_frame:
                parts.append(shape.text_frame.text)
            if shape.has_table:
                parts.extend(cell.text for row in shape.table.rows for cell in row.cells)
        texts.append("\n".join(parts))
    return texts


def test_copil_deck_has_progress_charts_alerts_and_decisions(plan, client):
    body = GovernanceBodyFactory(contract=plan, copil=True)
    meeting = MeetingFactory(body=body, starts_at=timezone.now() + timedelta(days=20), title="COPIL de juin")
    AgendaItemFactory(meeting=meeting, title="Valider l'avenant n°1")
    AgendaItemFactory(meeting=meeting, title="Approuver l'évaluation 2025")
    coordinator = factories.user_with_role(plan, ContractRole.Role.COORDINATOR)
    client.force_login(coordinator)
    response = client.post(reverse("documents:generate", args=[plan.pk]), {"format": "pptx"})
    job = Job.objects.get(kind=COPIL_DECK)
    assert response.url == reverse("jobs:detail", args=[job.pk])
    run_queued_jobs()
    job.refresh_from_db()
    assert job.status == Job.Status.DONE, job.error
    content = b"".join(client.get(reverse("jobs:download", args=[job.pk])).streaming_content)
    presentation = Presentation(io.BytesIO(content))
    texts = slide_texts(content)
    titles = [slide.shapes.title.text for slide in presentation.slides]
    assert titles == [
        "Comité de pilotage",
        "Avancement des fiches actions par axe",
        "Avancement global",
        "Axe 1 — Addictions",
        "Axe 2 — Environnement",
        "Alertes",
        "Décisions à prendre",
    ]
    charts = [shape.chart for slide in presentation.slides for shape in slide.shapes if shape.has_chart]
    assert len(charts) == 2
    by_axis = charts[0]
    assert list(by_axis.plots[0].categories) == ["Axe 1", "Axe 2"]
    series = {s.name: list(s.values) for s in by_axis.plots[0].series}
    assert series["Réalisée"] == [1.0, 0.0] and series["En cours"] == [1.0, 1.0]
    assert "FA 1.1 : Action en retard" in texts[3] and "En cours" in texts[3]
    assert "COPIL de juin" in texts[6] and "1. Valider l'avenant n°1" in texts[6]
    assert "2. Approuver l'évaluation 2025" in texts[6]


def test_copil_deck_without_meeting_and_command(plan, tmp_path):
    data = deck.deck_data(plan, today=TODAY)
    texts = slide_texts(deck.render_pptx(data))
    assert "Aucune réunion du comité de pilotage n'est programmée." in texts[-1]
    output = tmp_path / "copil.pptx"
    call_command("copil_deck", plan.pk, "--output", str(output))
    assert len(Presentation(str(output)).slides) == 7
