from datetime import date

import pytest
from django.core import mail
from django.core.management import call_command

from opencls.campaigns.models import ActionReport, Campaign, PeriodLock, ReportState, SentReminder
from opencls.contracts.models import ContractRole
from opencls.governance.tests.factories import MeetingFactory
from opencls.testing import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def campaign():
    org = factories.OrganisationFactory()
    contract = factories.ContractFactory()
    action = factories.ActionFactory(
        contract=contract, axis=factories.AxisFactory(contract=contract), leads=[org]
    )
    done = factories.ActionFactory(
        contract=contract, axis=action.axis, leads=[factories.OrganisationFactory()]
    )
    factories.user_with_role(contract, ContractRole.Role.LEAD, organisation=org, email="porteur@exemple.fr")
    factories.user_with_role(
        contract, ContractRole.Role.LEAD, organisation=done.involvements.get().organisation
    )
    campaign = Campaign.objects.create(contract=contract, year=2025, deadline=date(2026, 3, 31))
    ActionReport.objects.create(campaign=campaign, action=action)
    ActionReport.objects.create(campaign=campaign, action=done, state=ReportState.SUBMITTED)
    return campaign


def test_nothing_before_the_window_then_one_reminder_then_one_late_mail_whatever_the_runs(campaign, capsys):
    call_command("send_reminders", "--date", "2026-03-01")
    assert mail.outbox == []
    for _ in range(2):
        call_command("send_reminders", "--date", "2026-03-26")
    assert [m.to for m in mail.outbox] == [["porteur@exemple.fr"]]
    assert "Rappel" in mail.outbox[0].subject and mail.outbox[0].alternatives
    for day in ("2026-04-01", "2026-04-01", "2026-04-15"):
        call_command("send_reminders", "--date", day)
    assert len(mail.outbox) == 2 and "En retard" in mail.outbox[1].subject
    assert SentReminder.objects.count() == 2
    assert "0 rappel(s) envoyé(s)." in capsys.readouterr().out


def test_no_reminder_once_submitted_or_locked(campaign):
    ActionReport.objects.filter(campaign=campaign).update(state=ReportState.SUBMITTED)
    call_command("send_reminders", "--date", "2026-04-01")
    ActionReport.objects.filter(campaign=campaign).update(state=ReportState.TO_FILL)
    PeriodLock.objects.create(
        contract=campaign.contract, year=2025, meeting=MeetingFactory(body__contract=campaign.contract)
    )
    call_command("send_reminders", "--date", "2026-04-01")
    assert mail.outbox == []
