"""Rules of the yearly campaign. Each write is one transaction; e-mails leave after the commit."""

from collections import defaultdict
from dataclasses import dataclass

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from opencls.accounts.permissions import require
from opencls.actions.models import Action
from opencls.campaigns import locks, selectors
from opencls.campaigns.models import ActionReport, Campaign, ReportState


class CampaignError(Exception):
    """A campaign rule was broken; the message is shown to the user."""


@dataclass(frozen=True)
class Transition:
    name: str
    label: str
    sources: frozenset
    target: str
    permission: str
    needs_comment: bool = False


S = ReportState
TRANSITIONS = {
    t.name: t
    for t in (
        Transition(
            "submit",
            _("Soumettre à la coordination"),
            frozenset({S.TO_FILL, S.RETURNED}),
            S.SUBMITTED,
            "report.submit",
        ),
        Transition("validate", _("Valider"), frozenset({S.SUBMITTED}), S.VALIDATED, "report.validate"),
        Transition(
            "return",
            _("Renvoyer au porteur"),
            frozenset({S.SUBMITTED, S.VALIDATED}),
            S.RETURNED,
            "report.return",
            True,
        ),
    )
}


def allowed_transitions(user, report: ActionReport) -> list[Transition]:
    from opencls.accounts.permissions import can

    return [t for t in TRANSITIONS.values() if report.state in t.sources and can(user, t.permission, report)]


@transaction.atomic
def open_campaign(*, contract, year: int, deadline, user, request=None) -> Campaign:
    if Campaign.objects.filter(contract=contract, year=year).exists():
        raise CampaignError(_("Une campagne %(year)s existe déjà pour ce contrat.") % {"year": year})
    if year in locks.locked_years(contract.pk):
        raise CampaignError(_("L'année %(year)s est verrouillée.") % {"year": year})
    if deadline < timezone.localdate():
        raise CampaignError(_("La date limite ne peut pas être déjà passée."))
    campaign = Campaign.objects.create(contract=contract, year=year, deadline=deadline, opened_by=user)
    actions = Action.objects.filter(contract=contract).only("pk")
    bulk_create_with_history(
        [ActionReport(campaign=campaign, action=action) for action in actions], ActionReport
    )
    transaction.on_commit(lambda: notify_porteurs(campaign, "campaign_opened", request=request))
    return campaign


@transaction.atomic
def transition(report: ActionReport, name: str, *, user, comment: str = "", request=None) -> ActionReport:
    """Move a report; who may is in the permission matrix (`report.submit`, `report.validate`, …)."""
    step = TRANSITIONS.get(name)
    if step is None:
        raise CampaignError(_("Transition inconnue."))
    report = ActionReport.objects.select_for_update().select_related("campaign", "action").get(pk=report.pk)
    require(user, step.permission, report)
    try:
        locks.check_unlocked(report.campaign.contract_id, {report.campaign.year})
    except locks.PeriodLocked as error:
        raise CampaignError(" ".join(error.messages)) from error
    if report.state not in step.sources:
        raise CampaignError(
            _("La fiche est « %(state)s » : impossible de « %(step)s ».")
            % {"state": report.get_state_display(), "step": step.label.lower()}
        )
    comment = (comment or "").strip()
    if step.needs_comment and not comment:
        raise CampaignError(_("Expliquez au porteur ce qu'il doit corriger."))
    report.state = step.target
    report.comment = comment
    report.changed_by = user
    report.changed_at = timezone.now()
    report.save()
    if step.target in (S.RETURNED, S.VALIDATED):
        template = "report_returned" if step.target == S.RETURNED else "report_validated"
        transaction.on_commit(
            lambda: notify_porteurs(report.campaign, template, reports=[report], request=request)
        )
    elif step.target == S.SUBMITTED:
        transaction.on_commit(lambda: notify_coordinators(report, submitted_by=user, request=request))
    return report


def pending_reports(campaign: Campaign) -> list[ActionReport]:
    return [r for r in selectors.campaign_reports(campaign) if r.is_pending]


def _campaign_path(campaign: Campaign, reports) -> str:
    """A single report links to its page, several to the campaign's."""
    if reports is not None and len(reports) == 1:
        return reverse("campaigns:report", args=[campaign.contract_id, campaign.year, reports[0].action_id])
    return reverse("campaigns:detail", args=[campaign.contract_id, campaign.year])


def notify_porteurs(
    campaign: Campaign, template: str, *, reports=None, request=None, users=None, mail: bool = True
) -> int:
    """One notification (in-app, and an e-mail or the weekly digest) per porteur listing their
    concerned actions; `template` is the kind (opencls/notifications/kinds.py). Returns the
    number of porteurs notified."""
    from opencls.notifications.services import notify

    contract = campaign.contract
    if reports is None:
        reports = selectors.campaign_reports(campaign)
    porteurs = selectors.porteur_users(contract)
    per_user: dict = defaultdict(list)
    recipients = {}
    for report in reports:
        for user in porteurs.get(report.action_id, []):
            if users is None or user.pk in users:
                per_user[user.pk].append(report)
                recipients[user.pk] = user
    for user_pk, user_reports in per_user.items():
        notify(
            recipients[user_pk],
            template,
            {
                "campaign": campaign,
                "contract": contract,
                "reports": user_reports,
                "path": _campaign_path(campaign, user_reports),
            },
            request=request,
            mail=mail,
        )
    return len(per_user)


def notify_coordinators(report: ActionReport, *, submitted_by, request=None, mail: bool = True) -> int:
    """A porteur submitted a report: each coordinator of the contract is told (the submitter aside;
    `submitted_by` is None for a report whose author is not known, as in the demo)."""
    from opencls.notifications.models import Kind
    from opencls.notifications.services import notify

    campaign = report.campaign
    recipients = [
        user
        for user in selectors.coordinators(campaign.contract)
        if submitted_by is None or user.pk != submitted_by.pk
    ]
    for user in recipients:
        notify(
            user,
            Kind.REPORT_SUBMITTED,
            {
                "campaign": campaign,
                "contract": campaign.contract,
                "reports": [report],
                "submitted_by": submitted_by or _("Le porteur"),
                "path": _campaign_path(campaign, [report]),
            },
            request=request,
            mail=mail,
        )
    return len(recipients)


def remind(campaign: Campaign, *, request=None) -> int:
    """Remind the porteurs of the actions still to fill (or returned); "late" once the deadline passed.
    Returns the number of porteurs reminded."""
    template = "late" if campaign.is_late() else "reminder"
    return notify_porteurs(campaign, template, reports=pending_reports(campaign), request=request)
