"""Writes of the follow-up: rules, French errors, and who may do what."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from opencls.monitoring import selectors, services
from opencls.monitoring.alerts import monitoring_alerts
from opencls.monitoring.models import Evidence, IndicatorTarget, IndicatorValue, Status
from opencls.monitoring.tests.factories import IndicatorValueFactory, StatusEntryFactory
from opencls.testing import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today(monkeypatch, today):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *args, **kwargs: today)


def messages(error: ValidationError) -> list[str]:
    return [message for messages in error.message_dict.values() for message in messages]


# Who may do what -----------------------------------------------------------------------------

ROLES = ["coordinator", "lead", "member", "ars_reader", "stranger"]


def user_for(role, world):
    if role in ("coordinator", "lead", "member"):
        return getattr(world, role)
    if role == "ars_reader":
        return factories.UserFactory(ars_region=world.contract.territory.region)
    return factories.UserFactory()


WRITES = {
    # name: (what it does on FA 1.1, which the lead's organisation leads through an operation)
    "status": lambda user, w: services.status_record(
        user=user, action=w.youth, operation=w.training, status=Status.DONE, day=datetime.date(2027, 1, 5)
    ),
    # The lead of an operation, not of the action around it.
    "action_status": lambda user, w: services.status_record(
        user=user, action=w.youth, status=Status.DONE, day=datetime.date(2027, 1, 5)
    ),
    "value": lambda user, w: services.indicator_value_set(
        user=user, indicator=w.sessions, period_code="2026", value=Decimal(4)
    ),
    "target": lambda user, w: services.indicator_target_set(
        user=user, indicator=w.sessions, period_code="2027", value=Decimal(2)
    ),
    "deliverable": lambda user, w: services.deliverable_follow_up_set(
        user=user, deliverable=w.guide, is_done=False
    ),
    "evidence": lambda user, w: services.evidence_add(
        user=user, deliverable=w.guide, uploaded_file=SimpleUploadedFile("p.pdf", b"%PDF-1.4 test")
    ),
}
ALLOWED = {"coordinator", "lead"}
# Contractual targets are the coordinator's; the action itself is its lead's, not its operation's.
ALLOWED_FOR = {"target": {"coordinator"}, "action_status": {"coordinator"}}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("write", sorted(WRITES))
def test_writes_on_an_action_led_by_the_lead(year_2026, role, write):
    user = user_for(role, year_2026)
    if role in ALLOWED_FOR.get(write, ALLOWED):
        WRITES[write](user, year_2026)
    else:
        with pytest.raises(PermissionDenied):
            WRITES[write](user, year_2026)


@pytest.mark.parametrize(
    "write",
    [
        lambda user, w: services.status_record(
            user=user, action=w.air, status=Status.DONE, day=datetime.date(2027, 1, 5)
        ),
        lambda user, w: services.indicator_value_set(
            user=user, indicator=w.ambassadors, period_code="2026", value=Decimal(9)
        ),
        lambda user, w: services.indicator_target_set(
            user=user, indicator=w.ambassadors, period_code="2027", value=Decimal(9)
        ),
        lambda user, w: services.deliverable_follow_up_set(
            user=user, deliverable=w.air.deliverables.get(), is_done=True
        ),
    ],
    ids=["status", "value", "target", "deliverable"],
)
def test_lead_writes_nothing_on_an_action_it_does_not_lead(year_2026, write):
    with pytest.raises(PermissionDenied):
        write(year_2026.lead, year_2026)
    assert IndicatorValue.objects.get(indicator=year_2026.ambassadors, period="2026").value == 2


@pytest.mark.parametrize("role", ROLES)
def test_only_the_coordinator_writes_the_synthesis(year_2026, role):
    user = user_for(role, year_2026)
    write = lambda: services.evaluation_synthesis_set(  # noqa: E731
        user=user, contract=year_2026.contract, year=2026, synthesis="Bilan"
    )
    if role == "coordinator":
        assert write().synthesis == "Bilan"
    else:
        with pytest.raises(PermissionDenied):
            write()


# Statuses ------------------------------------------------------------------------------------


def test_current_status_is_the_latest_entry(year_2026):
    action = year_2026.air
    # Entered later but dated earlier: history order follows the dates.
    StatusEntryFactory(action=action, status=Status.ABANDONED, date=datetime.date(2026, 1, 1))
    current = selectors.contract_actions(year_2026.contract).get(pk=action.pk)
    assert (current.current_status, current.status_date) == (Status.IN_PROGRESS, datetime.date(2027, 1, 15))
    # Same date: the last entered wins.
    StatusEntryFactory(action=action, status=Status.DONE, date=datetime.date(2027, 1, 15))
    assert selectors.contract_actions(year_2026.contract).get(pk=action.pk).current_status == Status.DONE
    # As it was at the end of 2026.
    at_2026 = selectors.contract_actions(year_2026.contract, on=datetime.date(2026, 12, 31)).get(pk=action.pk)
    assert at_2026.current_status == Status.POSTPONED


def test_action_without_entry_is_not_started(year_2026):
    action = factories.ActionFactory(axis=year_2026.youth.axis)
    assert (
        selectors.contract_actions(year_2026.contract).get(pk=action.pk).current_status == Status.NOT_STARTED
    )


def test_operation_of_another_action_is_refused(year_2026):
    with pytest.raises(ValidationError, match="n'appartient pas à cette fiche action"):
        services.status_record(
            user=year_2026.coordinator,
            action=year_2026.air,
            operation=year_2026.training,
            status=Status.DONE,
            day=datetime.date(2027, 1, 5),
        )


# Values and targets --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("period", "message"),
    [
        ("2026-S1", "Cet indicateur se mesure par période « annuelle »"),
        ("premier semestre", "Période « premier semestre » invalide"),
        ("2026-S3", "une année compte deux semestres"),
        ("2028", "Cette période n'a pas commencé"),
    ],
)
def test_value_period_errors_in_french(year_2026, period, message):
    with pytest.raises(ValidationError) as error:
        services.indicator_value_set(
            user=year_2026.coordinator, indicator=year_2026.sessions, period_code=period, value=Decimal(1)
        )
    assert any(message in text for text in messages(error.value))


def test_value_is_corrected_not_duplicated(year_2026):
    services.indicator_value_set(
        user=year_2026.coordinator, indicator=year_2026.sessions, period_code="2026", value=Decimal(5)
    )
    value = IndicatorValue.objects.get(indicator=year_2026.sessions)
    assert (value.value, value.entered_by) == (5, year_2026.coordinator)
    assert value.history.count() == 2  # the factory's value, then the correction


def test_negative_target_is_refused(year_2026):
    with pytest.raises(ValidationError) as error:
        services.indicator_target_set(
            user=year_2026.coordinator, indicator=year_2026.sessions, period_code="2027", value=Decimal(-1)
        )
    assert messages(error.value) == ["Une cible ne peut pas être négative."]


def test_targets_applied_on_each_semester_of_each_year(year_2026):
    indicator = factories.IndicatorFactory(action=year_2026.air, periodicity="semester")
    targets = services.indicator_targets_apply(
        user=year_2026.coordinator,
        indicator=indicator,
        value=Decimal(1),
        years=[2027, 2026],
        cumulative=False,
    )
    assert [t.period for t in targets] == ["2026-S1", "2026-S2", "2027-S1", "2027-S2"]


def test_cumulative_target_counts_every_value_up_to_its_period(year_2026, today):
    services.indicator_targets_apply(
        user=year_2026.coordinator,
        indicator=year_2026.sessions,
        value=Decimal(10),
        years=[2025, 2026, 2027, 2028],
        cumulative=True,
    )
    target = IndicatorTarget.objects.get(indicator=year_2026.sessions, period="2028")
    IndicatorValueFactory(indicator=year_2026.sessions, year=2025, value="4")
    IndicatorValueFactory(indicator=year_2026.sessions, year=2027, value="4")
    values = {v.period: v for v in IndicatorValue.objects.filter(indicator=year_2026.sessions)}
    assert selectors.achieved_for(target, values) == 11  # 4 + 3 + 4
    # Not reviewed before its period has ended.
    assert target not in [
        r.target for r in selectors.targets_reviewed(year_2026.contract, ended_before=today)
    ]


def test_nothing_half_written_when_a_target_of_the_batch_fails(year_2026):
    with pytest.raises(ValidationError):
        # 2027 passes, then the year 10000 is refused: the 2027 target is rolled back.
        services.indicator_targets_apply(
            user=year_2026.coordinator,
            indicator=year_2026.sessions,
            value=Decimal(2),
            years=[2027, 10000],
            cumulative=False,
        )
    assert not IndicatorTarget.objects.filter(indicator=year_2026.sessions, period="2027").exists()


def test_deliverable_of_another_action_cannot_source_a_target(year_2026):
    with pytest.raises(ValidationError, match="même fiche action"):
        services.indicator_targets_apply(
            user=year_2026.coordinator,
            indicator=year_2026.sessions,
            value=Decimal(2),
            years=[2027],
            cumulative=False,
            source=year_2026.air.deliverables.get(),
        )


# Deliverables and evidence ------------------------------------------------------------------


def test_done_deliverable_dated_today_by_default(year_2026, today):
    follow_up = services.deliverable_follow_up_set(
        user=year_2026.coordinator, deliverable=year_2026.air.deliverables.get(), is_done=True
    )
    assert follow_up.done_on == today


def test_done_date_needs_a_done_deliverable(year_2026):
    with pytest.raises(ValidationError) as error:
        services.deliverable_follow_up_set(
            user=year_2026.coordinator,
            deliverable=year_2026.guide,
            is_done=False,
            done_on=datetime.date(2026, 5, 1),
        )
    assert messages(error.value) == ["Une date de réalisation n'a de sens que si le livrable est réalisé."]


@pytest.mark.parametrize(
    ("name", "head"),
    [
        ("photo.JPG", b"\xff\xd8\xff\xe0rest"),
        ("photo.png", b"\x89PNG\r\n\x1a\nrest"),
        ("compte-rendu.docx", b"PK\x03\x04rest"),
        ("tableau.ods", b"PK\x03\x04rest"),
        ("ancien.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest"),
        ("image.webp", b"RIFF\x00\x00\x00\x00WEBPrest"),
    ],
)
def test_accepted_evidence_types(year_2026, name, head):
    evidence = services.evidence_add(
        user=year_2026.coordinator, deliverable=year_2026.guide, uploaded_file=SimpleUploadedFile(name, head)
    )
    assert evidence.original_name == name and evidence.size == len(head)


def test_deleted_evidence_keeps_its_file_until_the_purge(year_2026):
    evidence = services.evidence_add(
        user=year_2026.coordinator,
        deliverable=year_2026.guide,
        uploaded_file=SimpleUploadedFile("p.pdf", b"%PDF-1.4 test"),
    )
    storage, name = evidence.file.storage, evidence.file.name
    assert storage.exists(name)
    services.evidence_delete(user=year_2026.coordinator, evidence=evidence)
    assert not Evidence.objects.exists()
    # The record is contractual: the file stays, named by the deletion row of the history.
    assert storage.exists(name)
    assert Evidence.history.get(history_type="-").file == name


# Alerts ---------------------------------------------------------------------------------------


def test_alerts_of_the_follow_up(year_2026, today):
    titles = [alert.title for alert in monitoring_alerts(year_2026.contract, today)]
    assert titles == [
        "2 cibles d'indicateurs non atteintes",
        "1 livrable en retard",  # the schools operation ended in June 2026
        "Évaluation annuelle 2026 à préparer",
    ]
    # After March the COPIL has met: no reminder for 2025 any more.
    later = monitoring_alerts(year_2026.contract, datetime.date(2026, 4, 1))
    assert not any("à préparer" in alert.title for alert in later)


def test_contract_years_without_dates_span_what_is_known(today):
    contract = factories.ContractFactory()
    factories.OperationFactory(
        action=factories.ActionFactory(axis=factories.AxisFactory(contract=contract)),
        start_date=datetime.date(2026, 1, 1),
        end_date=datetime.date(2029, 6, 30),
    )
    assert selectors.contract_years(contract, today) == [2026, 2027, 2028, 2029]
