"""Follow-up pages as their users see them: coordinator, lead of an action, member, stranger."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from opencls.contracts.models import ContractRole
from opencls.monitoring.alerts import monitoring_alerts
from opencls.monitoring.models import (
    DeliverableFollowUp,
    Evaluation,
    EvaluationReport,
    Evidence,
    IndicatorTarget,
    IndicatorValue,
    Status,
    StatusEntry,
)
from opencls.monitoring.tests.factories import IndicatorTargetFactory, StatusEntryFactory
from opencls.testing import factories

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


def url(name, *args):
    return reverse(f"monitoring:{name}", args=args)


@pytest.fixture(autouse=True)
def _today(monkeypatch, today):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: today)


@pytest.fixture
def as_coordinator(client, year_2026):
    client.force_login(year_2026.coordinator)
    return client


@pytest.fixture
def as_lead(client, year_2026):
    client.force_login(year_2026.lead)
    return client


# Dashboard ------------------------------------------------------------------------------------


def test_dashboard_shows_progress_off_target_and_calendar(as_coordinator, year_2026):
    response = as_coordinator.get(url("dashboard", year_2026.contract.pk))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Avancement des fiches actions par axe" in page
    assert 'aria-describedby="progress-table"' in page
    # FA 3.1 is in progress again since January 2027.
    assert "3 — Santé environnementale : 1 en cours" in page
    # 27 trained for 40 in 2026, and 1 + 2 ambassadors for 5 by the end of 2026; 3 sessions for 2 is met.
    off_target = page.split('id="off-target-table"')[1].split("</table>")[0]
    rows = off_target.split("<tr>")[2:]
    assert (
        "Nombre de professionnels formés" in rows[0] and "<td>40</td>" in rows[0] and "<td>27</td>" in rows[0]
    )
    assert "ambassadeurs" in rows[1] and "2026 (cumulée)" in rows[1] and "<td>3</td>" in rows[1]
    assert "sessions" not in off_target
    assert "2 cibles d&#x27;indicateurs non atteintes" in page  # the alert of this app
    # « Premier semestre 2026 » placed on the calendar by the schedule parser.
    calendar = page.split('id="calendar-table"')[1].split("</table>")[0]
    row = next(row for row in calendar.split("<tr>") if "Sensibiliser les jeunes" in row)
    assert "<td>01/01/2026</td><td>30/06/2026</td><td>Non démarrée</td>" in row
    assert "2 fiches actions et opérations datées, placées de 2025 à 2028" in page


def test_dashboard_lists_deliverables_due_this_semester_and_overdue(as_coordinator, year_2026):
    # Due in the first semester of 2027 (today is 10 February 2027), and one overdue.
    due = factories.DeliverableFactory(action=year_2026.air, text="Réalisation de deux communications")
    DeliverableFollowUp.objects.create(
        contract=year_2026.contract, deliverable=due, due_date=datetime.date(2027, 5, 31)
    )
    # The schools operation ended with June 2026 and its deliverable is not done.
    page = as_coordinator.get(url("dashboard", year_2026.contract.pk)).content.decode()
    table = page.split('id="deliverables-table"')[1].split("</table>")[0]
    assert "Réalisation de deux communications" in table and "31/05/2027" in table
    assert "Organisation d&#x27;au moins deux sessions par an" in table and "En retard" in table
    assert "Guide de recommandations" not in table  # done


def test_dashboard_is_hidden_from_strangers(client, year_2026):
    client.force_login(factories.UserFactory())
    assert client.get(url("dashboard", year_2026.contract.pk)).status_code == 404


def test_dashboard_is_a_contract_tab(as_coordinator, year_2026):
    page = as_coordinator.get(reverse("contracts:detail", args=[year_2026.contract.pk])).content.decode()
    assert f'href="{url("dashboard", year_2026.contract.pk)}"' in page


def build_actions(contract, count):
    axes = [factories.AxisFactory(contract=contract) for _ in range(2)]
    for index in range(count):
        action = factories.ActionFactory(
            axis=axes[index % 2], schedule="Second semestre 2026", leads=[factories.OrganisationFactory()]
        )
        operation = factories.OperationFactory(action=action, schedule="Premier semestre 2027")
        StatusEntryFactory(action=action, status=Status.IN_PROGRESS)
        StatusEntryFactory(action=action, operation=operation, status=Status.DONE)
        indicator = factories.IndicatorFactory(action=action, operation=operation)
        IndicatorTargetFactory(indicator=indicator, year=2026, value="4")
        factories.DeliverableFactory(action=action, operation=operation)


@pytest.mark.parametrize("count", [2, 10])
def test_dashboard_query_count_is_constant(client, django_assert_num_queries, monkeypatch, count):
    # Only this app's alerts: the other apps pin the cost of their own providers.
    monkeypatch.setattr("opencls.core.registry.ALERT_PROVIDERS", [monitoring_alerts])
    contract = factories.ContractFactory(
        start_date=datetime.date(2025, 1, 1), end_date=datetime.date(2028, 12, 31)
    )
    build_actions(contract, count)
    client.force_login(factories.user_with_role(contract, ContractRole.Role.COORDINATOR))
    client.get(url("dashboard", contract.pk))
    with django_assert_num_queries(13):  # the alerts reuse the tables' queries (once_per_request)
        response = client.get(url("dashboard", contract.pk))
    page = response.content.decode()
    assert page.count(f'href="/contrats/{contract.pk}/suivi/fiches/') == count
    assert page.split('id="off-target-table"')[1].split("</table>")[0].count("<tr>") == count + 1


# Statuses -------------------------------------------------------------------------------------


def test_coordinator_records_a_status_with_its_date_and_comment(as_coordinator, year_2026):
    response = as_coordinator.post(
        url("action", year_2026.contract.pk, year_2026.air.pk),
        {
            "target": "action",
            "action-status": "done",
            "action-day": "2027-02-01",
            "action-comment": "Clôturée",
        },
        follow=True,
    )
    assert "Le statut a été enregistré." in response.content.decode()
    latest = StatusEntry.objects.filter(action=year_2026.air).first()
    assert (latest.status, latest.date, latest.comment, latest.author) == (
        Status.DONE,
        datetime.date(2027, 2, 1),
        "Clôturée",
        year_2026.coordinator,
    )
    page = as_coordinator.get(url("action", year_2026.contract.pk, year_2026.air.pk)).content.decode()
    history = page.split('id="history-table"')[1]
    # Newest first, the whole history kept.
    assert history.index("01/02/2027") < history.index("15/01/2027") < history.index("01/05/2026")


def test_status_of_an_operation(as_coordinator, year_2026):
    operation = year_2026.schools
    as_coordinator.post(
        url("action", year_2026.contract.pk, year_2026.youth.pk),
        {
            "target": str(operation.pk),
            f"op-{operation.pk}-status": "abandoned",
            f"op-{operation.pk}-day": "2027-01-05",
        },
    )
    entry = StatusEntry.objects.get(operation=operation)
    assert entry.status == Status.ABANDONED and entry.action == year_2026.youth


def test_status_in_the_future_is_refused_in_french(as_coordinator, year_2026):
    response = as_coordinator.post(
        url("action", year_2026.contract.pk, year_2026.air.pk),
        {"target": "action", "action-status": "done", "action-day": "2027-12-01"},
    )
    assert "La date ne peut pas être dans le futur." in response.content.decode()
    assert not StatusEntry.objects.filter(action=year_2026.air, status=Status.DONE).exists()


def test_lead_changes_the_status_of_its_operation_only(as_lead, year_2026):
    contract, youth, training, schools = (
        year_2026.contract, year_2026.youth, year_2026.training, year_2026.schools
    )  # fmt: skip
    own = {
        "target": str(training.pk),
        f"op-{training.pk}-status": "done",
        f"op-{training.pk}-day": "2027-02-01",
    }
    assert as_lead.post(url("action", contract.pk, youth.pk), own).status_code == 302
    assert training.status_entries.filter(status="done").exists()
    # Not the action it does not lead itself, nor the sibling operation, nor another action.
    sibling = {
        "target": str(schools.pk),
        f"op-{schools.pk}-status": "done",
        f"op-{schools.pk}-day": "2027-02-01",
    }
    assert as_lead.post(url("action", contract.pk, youth.pk), sibling).status_code == 403
    data = {"target": "action", "action-status": "done", "action-day": "2027-02-01"}
    assert as_lead.post(url("action", contract.pk, youth.pk), data).status_code == 403
    assert as_lead.post(url("action", contract.pk, year_2026.air.pk), data).status_code == 403
    page = as_lead.get(url("action", contract.pk, youth.pk)).content.decode()
    assert 'id="status-form-action"' not in page and f'id="status-form-{schools.pk}"' not in page
    assert f'id="status-form-{training.pk}"' in page


# Indicator values -----------------------------------------------------------------------------


def test_lead_enters_a_value_on_its_action_only(as_lead, year_2026):
    data = {"form": "value", "value-period": "2026", "value-value": "12,5", "value-comment": "Bilan annuel"}
    response = as_lead.post(url("indicator", year_2026.contract.pk, year_2026.trained.pk), data)
    assert 'id="confirm-replacements"' in response.content.decode()  # 27 was entered: asked first
    response = as_lead.post(
        url("indicator", year_2026.contract.pk, year_2026.trained.pk), {**data, "confirmed": "1"}
    )
    assert response.status_code == 302
    value = IndicatorValue.objects.get(indicator=year_2026.trained, period="2026")
    assert (str(value.value), value.entered_by) == ("12.50", year_2026.lead)

    other = as_lead.post(url("indicator", year_2026.contract.pk, year_2026.ambassadors.pk), data)
    assert other.status_code == 403
    assert IndicatorValue.objects.get(indicator=year_2026.ambassadors, period="2026").value == 2
    page = as_lead.get(url("indicator", year_2026.contract.pk, year_2026.ambassadors.pk)).content.decode()
    assert 'id="value-form"' not in page


def test_member_reads_but_does_not_enter_values(client, year_2026):
    client.force_login(year_2026.member)
    page = client.get(url("indicator", year_2026.contract.pk, year_2026.sessions.pk)).content.decode()
    assert "Valeurs et cibles par période" in page and 'id="value-form"' not in page
    data = {"form": "value", "value-period": "2026", "value-value": "9"}
    assert (
        client.post(url("indicator", year_2026.contract.pk, year_2026.sessions.pk), data).status_code == 403
    )


def test_indicator_of_another_contract_is_not_found(as_coordinator, year_2026):
    foreign = factories.IndicatorFactory()
    assert as_coordinator.get(url("indicator", year_2026.contract.pk, foreign.pk)).status_code == 404


def test_value_for_a_period_not_offered_is_refused(as_coordinator, year_2026):
    data = {"form": "value", "value-period": "2026-S1", "value-value": "3"}
    response = as_coordinator.post(url("indicator", year_2026.contract.pk, year_2026.sessions.pk), data)
    assert "Sélectionnez un choix valide" in response.content.decode()


def test_semester_indicator_takes_semester_values(as_coordinator, year_2026):
    indicator = factories.IndicatorFactory(action=year_2026.air, periodicity="semester")
    data = {"form": "value", "value-period": "2026-S2", "value-value": "4"}
    assert as_coordinator.post(url("indicator", year_2026.contract.pk, indicator.pk), data).status_code == 302
    assert IndicatorValue.objects.get(indicator=indicator).period == "2026-S2"
    page = as_coordinator.get(url("indicator", year_2026.contract.pk, indicator.pk)).content.decode()
    value_form = page.split('id="value-form"')[1].split("</form>")[0]
    assert "2e semestre 2026" in value_form and "1er semestre 2027" in value_form  # started on 10/02/2027
    assert "2e semestre 2027" not in value_form


def test_coordinator_sets_and_removes_a_target(as_coordinator, year_2026):
    data = {"form": "target", "target-period": "2027", "target-value": "6", "target-cumulative": ""}
    as_coordinator.post(url("indicator", year_2026.contract.pk, year_2026.sessions.pk), data)
    target = IndicatorTarget.objects.get(indicator=year_2026.sessions, period="2027")
    assert target.value == 6
    page = as_coordinator.post(url("indicator_target_delete", year_2026.contract.pk, target.pk))
    assert "Supprimer cette cible ?" in page.content.decode()  # asked first, nothing deleted yet
    assert IndicatorTarget.objects.filter(pk=target.pk).exists()
    as_coordinator.post(url("indicator_target_delete", year_2026.contract.pk, target.pk), {"confirmed": "1"})
    assert not IndicatorTarget.objects.filter(pk=target.pk).exists()


# Deliverables, evidence, target proposals -----------------------------------------------------


def test_lead_marks_its_deliverable_done(as_lead, year_2026):
    deliverable = year_2026.guide
    data = {
        "form": "follow",
        "follow-is_done": "on",
        "follow-done_on": "2027-01-20",
        "follow-comment": "Fait",
    }
    assert as_lead.post(url("deliverable", year_2026.contract.pk, deliverable.pk), data).status_code == 302
    follow_up = DeliverableFollowUp.objects.get(deliverable=deliverable)
    assert (follow_up.is_done, follow_up.done_on) == (True, datetime.date(2027, 1, 20))
    air_deliverable = year_2026.air.deliverables.get()
    assert (
        as_lead.post(url("deliverable", year_2026.contract.pk, air_deliverable.pk), data).status_code == 403
    )


def test_evidence_is_stored_with_the_contract_and_downloaded_through_the_view(as_coordinator, year_2026):
    deliverable = year_2026.guide
    upload = SimpleUploadedFile("feuille d'émargement.pdf", PDF, content_type="application/pdf")
    response = as_coordinator.post(
        url("deliverable", year_2026.contract.pk, deliverable.pk),
        {"form": "evidence", "evidence-file": upload, "evidence-description": "Session du 12 mai"},
    )
    assert response.status_code == 302
    evidence = Evidence.objects.get()
    assert evidence.file.name.startswith(f"contrats/{year_2026.contract.pk}/livrables/{deliverable.pk}/")
    download = as_coordinator.get(url("evidence", year_2026.contract.pk, evidence.pk))
    assert b"".join(download.streaming_content) == PDF
    assert "attachment" in download["Content-Disposition"]
    assert download["Content-Type"] == "application/pdf"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("outil.exe", b"MZ\x90\x00", "Format non accepté."),
        ("rapport.pdf", b"<html>not a pdf</html>", "Le contenu du fichier ne correspond pas à son extension"),
        ("vide.pdf", b"", "Le fichier soumis est vide."),
        ("gros.pdf", PDF + b"0" * 2048, "Le fichier dépasse la taille maximale de"),
    ],
)
def test_bad_evidence_is_refused_in_french(as_coordinator, year_2026, settings, name, content, message):
    settings.OPENCLS_MAX_UPLOAD_BYTES = 1024
    response = as_coordinator.post(
        url("deliverable", year_2026.contract.pk, year_2026.guide.pk),
        {"form": "evidence", "evidence-file": SimpleUploadedFile(name, content)},
    )
    assert message in response.content.decode()
    assert not Evidence.objects.exists()


def test_evidence_is_never_served_to_strangers_nor_across_contracts(client, year_2026):
    evidence = Evidence.objects.create(
        contract=year_2026.contract,
        deliverable=year_2026.guide,
        file=SimpleUploadedFile("preuve.pdf", PDF),
        original_name="preuve.pdf",
        content_type="application/pdf",
        size=len(PDF),
    )
    other_contract = factories.ContractFactory()
    client.force_login(factories.user_with_role(other_contract, ContractRole.Role.COORDINATOR))
    assert client.get(url("evidence", year_2026.contract.pk, evidence.pk)).status_code == 404
    assert client.get(url("evidence", other_contract.pk, evidence.pk)).status_code == 404
    assert client.get(f"/media/{evidence.file.name}").status_code == 404


def test_lead_cannot_delete_evidence_of_another_action(as_lead, year_2026):
    air_deliverable = year_2026.air.deliverables.get()
    evidence = Evidence.objects.create(
        contract=year_2026.contract,
        deliverable=air_deliverable,
        file=SimpleUploadedFile("preuve.pdf", PDF),
        original_name="preuve.pdf",
        content_type="application/pdf",
        size=len(PDF),
    )
    assert as_lead.post(url("evidence_delete", year_2026.contract.pk, evidence.pk)).status_code == 403
    assert Evidence.objects.filter(pk=evidence.pk).exists()


def test_target_proposed_from_the_deliverable_is_confirmed_by_the_user(as_coordinator, year_2026):
    deliverable = year_2026.schools.deliverables.get()  # « au moins deux sessions par an »
    page = as_coordinator.get(url("deliverable", year_2026.contract.pk, deliverable.pk)).content.decode()
    assert "Cible repérée dans le texte : « au moins deux sessions » soit 2" in page and "par an" in page
    assert 'value="2"' in page and f'<option value="{year_2026.sessions.pk}" selected>' in page
    assert not IndicatorTarget.objects.filter(period="2027").exists()  # nothing written before confirmation

    as_coordinator.post(
        url("deliverable", year_2026.contract.pk, deliverable.pk),
        {
            "form": "proposal",
            "proposal-indicator": year_2026.sessions.pk,
            "proposal-value": "2",
            "proposal-years": ["2026", "2027", "2028"],
        },
    )
    targets = IndicatorTarget.objects.filter(indicator=year_2026.sessions).order_by("period")
    assert [(t.period, t.value, t.source_deliverable) for t in targets] == [
        ("2026", 2, deliverable),
        ("2027", 2, deliverable),
        ("2028", 2, deliverable),
    ]


def test_cumulative_target_per_municipality(as_coordinator, year_2026):
    for _ in range(11):
        factories.MunicipalityFactory(territory=year_2026.contract.territory)
    deliverable = factories.DeliverableFactory(
        action=year_2026.air,
        text="Formation d'au moins une personne par commune pour le respect des recommandations",
    )
    page = as_coordinator.get(url("deliverable", year_2026.contract.pk, deliverable.pk)).content.decode()
    assert "par commune (11 communes sur le territoire)" in page and 'value="11"' in page
    as_coordinator.post(
        url("deliverable", year_2026.contract.pk, deliverable.pk),
        {
            "form": "proposal",
            "proposal-indicator": year_2026.ambassadors.pk,
            "proposal-value": "11",
            "proposal-years": ["2026", "2027", "2028"],
            "proposal-cumulative": "on",
        },
    )
    target = IndicatorTarget.objects.get(indicator=year_2026.ambassadors, source_deliverable=deliverable)
    assert (target.period, target.value, target.cumulative) == ("2028", 11, True)


# Evaluation -----------------------------------------------------------------------------------


def test_coordinator_writes_the_synthesis_shown_in_the_report(as_coordinator, year_2026):
    response = as_coordinator.post(
        url("evaluation", year_2026.contract.pk, 2026), {"synthesis": "Bilan partagé en COPIL."}, follow=True
    )
    page = response.content.decode()
    assert "La synthèse a été enregistrée." in page and "Bilan partagé en COPIL." in page
    assert "2026 : 3 (cible 2, atteinte)" in page
    assert Evaluation.objects.get(contract=year_2026.contract, year=2026).updated_by == year_2026.coordinator


def test_lead_reads_the_evaluation_but_does_not_write_the_synthesis(as_lead, year_2026):
    page = as_lead.get(url("evaluation", year_2026.contract.pk, 2026)).content.decode()
    assert "Une première année riche en partenariats." in page and 'id="synthesis-form"' not in page
    response = as_lead.post(url("evaluation", year_2026.contract.pk, 2026), {"synthesis": "Réécrit"})
    assert response.status_code == 403
    assert Evaluation.objects.get(contract=year_2026.contract, year=2026).synthesis.startswith("Une première")


def test_year_outside_the_contract_is_not_found(as_coordinator, year_2026):
    assert as_coordinator.get(url("evaluation", year_2026.contract.pk, 2031)).status_code == 404


def test_report_generated_in_a_background_job_with_progress_then_downloaded(as_coordinator, year_2026):
    from opencls.jobs.models import Job
    from opencls.jobs.testing import run_queued_jobs

    page = as_coordinator.get(url("evaluation", year_2026.contract.pk, 2026)).content.decode()
    assert 'hx-indicator="#report-progress"' in page and "Génération du rapport en cours" in page
    response = as_coordinator.post(
        url("evaluation_generate", year_2026.contract.pk, 2026), {"format": "docx"}, HTTP_HX_REQUEST="true"
    )
    fragment = response.content.decode()
    job = Job.objects.get()
    # The button only queues the job: the fragment polls the job's state.
    assert not EvaluationReport.objects.exists() and job.status == "queued"
    assert (
        f'hx-get="{reverse("jobs:detail", args=[job.pk])}"' in fragment
        and 'hx-trigger="every 1s"' in fragment
    )
    assert run_queued_jobs() == 1
    state = as_coordinator.get(reverse("jobs:detail", args=[job.pk]), HTTP_HX_REQUEST="true").content.decode()
    report = EvaluationReport.objects.get()
    job.refresh_from_db()
    assert job.status == "done" and job.progress == 100 and job.result.name == report.file.name
    assert "hx-trigger" not in state and reverse("jobs:download", args=[job.pk]) in state
    download = as_coordinator.get(reverse("jobs:download", args=[job.pk]))
    assert download["Content-Disposition"] == f'attachment; filename="{report.filename}"'
    content = b"".join(download.streaming_content)
    from docx import Document

    text = "\n".join(
        cell.text
        for table in Document(io.BytesIO(content)).tables
        for row in table.rows
        for cell in row.cells
    )
    assert "2026 : 27 (cible 40, non atteinte)" in text
    # The report stays with the contract, downloadable from the evaluation page too.
    assert content == b"".join(
        as_coordinator.get(url("evaluation_report", year_2026.contract.pk, report.pk)).streaming_content
    )


def test_report_generated_without_javascript_redirects_to_the_job_page(as_coordinator, year_2026):
    from opencls.jobs.models import Job
    from opencls.jobs.testing import run_queued_jobs

    response = as_coordinator.post(url("evaluation_generate", year_2026.contract.pk, 2026), {"format": "pdf"})
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("jobs:detail", args=[job.pk])
    page = as_coordinator.get(response["Location"]).content.decode()
    assert "<progress" in page and "un processus de traitement" in page
    run_queued_jobs()
    assert EvaluationReport.objects.get().format == "pdf"
    page = as_coordinator.get(response["Location"]).content.decode()
    assert "Télécharger evaluation-2026-contrat-" in page
    assert url("evaluation", year_2026.contract.pk, 2026) in page  # back to the evaluation


def test_evaluation_alert_early_in_the_next_year(as_coordinator, year_2026):
    page = as_coordinator.get(url("dashboard", year_2026.contract.pk)).content.decode()
    assert "Évaluation annuelle 2026 à préparer" in page
    as_coordinator.post(url("evaluation_generate", year_2026.contract.pk, 2026), {"format": "pdf"})
    from opencls.jobs.testing import run_queued_jobs

    run_queued_jobs()
    page = as_coordinator.get(url("dashboard", year_2026.contract.pk)).content.decode()
    assert "Évaluation annuelle 2026 à préparer" not in page


# Query counts of the other pages --------------------------------------------------------------


def grow_action(action, count):
    """`count` operations, each with an indicator (value and target), a deliverable with evidence,
    and a status."""
    for index in range(count):
        operation = factories.OperationFactory(action=action, schedule="Premier semestre 2026")
        StatusEntryFactory(action=action, operation=operation, status=Status.DONE, comment=f"Étape {index}")
        StatusEntryFactory(action=action, status=Status.IN_PROGRESS, comment=f"Point {index}")
        indicator = factories.IndicatorFactory(action=action, operation=operation)
        IndicatorTargetFactory(indicator=indicator, year=2026, value="4")
        IndicatorValue.objects.create(
            contract=action.contract, indicator=indicator, year=2026, period="2026", value=index
        )
        deliverable = factories.DeliverableFactory(action=action, operation=operation)
        Evidence.objects.create(
            contract=action.contract,
            deliverable=deliverable,
            file=SimpleUploadedFile("preuve.pdf", PDF),
            original_name=f"preuve-{index}.pdf",
            content_type="application/pdf",
            size=len(PDF),
        )


@pytest.mark.parametrize("count", [2, 10])
def test_action_page_query_count_is_constant(client, django_assert_num_queries, year_2026, count):
    grow_action(year_2026.youth, count)
    client.force_login(year_2026.lead)
    client.get(url("action", year_2026.contract.pk, year_2026.youth.pk))
    with django_assert_num_queries(16):  # one per kind of led work: actions, operations
        response = client.get(url("action", year_2026.contract.pk, year_2026.youth.pk))
    assert response.content.decode().count('id="status-form-') == 1  # only the operation it leads


@pytest.mark.parametrize("count", [2, 10])
def test_evaluation_page_query_count_is_constant(as_coordinator, django_assert_num_queries, year_2026, count):
    grow_action(year_2026.youth, count)
    grow_action(factories.ActionFactory(axis=year_2026.air.axis), count)
    as_coordinator.get(url("evaluation", year_2026.contract.pk, 2026))
    with django_assert_num_queries(18):  # +1: the locked-year note (campaigns)
        response = as_coordinator.get(url("evaluation", year_2026.contract.pk, 2026))
    assert response.content.decode().count("preuve-") == 2 * count


@pytest.mark.parametrize("count", [2, 10])
def test_indicator_page_query_count_is_constant(as_coordinator, django_assert_num_queries, year_2026, count):
    year_2026.contract.end_date = datetime.date(2025 + count, 12, 31)
    year_2026.contract.save()
    for year in range(2027, 2027 + count - 1):
        IndicatorTargetFactory(indicator=year_2026.sessions, year=year, value="2")
    as_coordinator.get(url("indicator", year_2026.contract.pk, year_2026.sessions.pk))
    with django_assert_num_queries(8):
        response = as_coordinator.get(url("indicator", year_2026.contract.pk, year_2026.sessions.pk))
    assert response.content.decode().count('title="Supprimer la cible"') == count


@pytest.mark.parametrize("count", [2, 10])
def test_deliverable_page_query_count_is_constant(
    as_coordinator, django_assert_num_queries, year_2026, count
):
    deliverable = year_2026.schools.deliverables.get()
    for index in range(count):
        Evidence.objects.create(
            contract=year_2026.contract,
            deliverable=deliverable,
            file=SimpleUploadedFile("preuve.pdf", PDF),
            original_name=f"preuve-{index}.pdf",
            content_type="application/pdf",
            size=len(PDF),
        )
        factories.IndicatorFactory(action=year_2026.youth)
    as_coordinator.get(url("deliverable", year_2026.contract.pk, deliverable.pk))
    # +2 for the evidence an upload may replace: whether there is any, then the options.
    with django_assert_num_queries(14):
        response = as_coordinator.get(url("deliverable", year_2026.contract.pk, deliverable.pk))
    assert response.content.decode().count("Supprimer preuve-") == count


def test_evaluation_tab_opens_the_current_year_within_the_contract(as_coordinator, year_2026):
    response = as_coordinator.get(url("evaluation_index", year_2026.contract.pk))
    assert response["Location"] == url("evaluation", year_2026.contract.pk, 2027)  # today: 10 February 2027
    year_2026.contract.end_date = datetime.date(2026, 12, 31)
    year_2026.contract.save()
    response = as_coordinator.get(url("evaluation_index", year_2026.contract.pk))
    assert response["Location"] == url("evaluation", year_2026.contract.pk, 2026)
