"""Each kind of notification: its e-mail templates, its subject (also the in-app title) and the
short text shown in the in-app list. The e-mail and the in-app item are built from one context."""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from opencls.notifications.models import Kind


@dataclass(frozen=True)
class KindSpec:
    template: str  # `<template>.txt` and `<template>.html`
    subject: Callable[[dict], str]
    summary: Callable[[dict], str]
    # Mailed at once even to a user who chose the weekly digest (an invitation must arrive now).
    always_mail: bool = False


def _campaign_params(context: dict) -> dict:
    campaign = context["campaign"]
    return {"year": campaign.year, "deadline": campaign.deadline.strftime("%d/%m/%Y")}


def _reports_summary(context: dict) -> str:
    lines = []
    for report in context.get("reports", []):
        line = f"{report.action.code} {report.action.title}".strip()
        if report.comment:
            line += f" — {report.comment}"
        lines.append(line)
    return "\n".join(lines)


def _campaign_subject(text) -> Callable[[dict], str]:
    return lambda context: str(text) % _campaign_params(context)


KINDS: dict[str, KindSpec] = {
    Kind.INVITATION: KindSpec(
        template="people/emails/invitation",
        subject=lambda c: (
            _("Invitation à rejoindre « %(contract)s » sur OpenCLS") % {"contract": c["contract"]}
        ),
        summary=lambda c: (
            _(
                "%(inviter)s vous invite comme %(role)s. Ouvrez le lien reçu par courriel pour accepter "
                "(valable jusqu'au %(date)s)."
            )
            % {
                "inviter": c["inviter"] or _("La coordination"),
                "role": c["invitation"].get_role_display(),
                "date": c["expires_at"].strftime("%d/%m/%Y"),
            }
        ),
        always_mail=True,
    ),
    Kind.INVITATION_ACCEPTED: KindSpec(
        template="people/emails/invitation_accepted",
        subject=lambda c: (
            _("%(person)s a rejoint « %(contract)s »") % {"person": c["person"], "contract": c["contract"]}
        ),
        summary=lambda c: (
            _("%(person)s a accepté votre invitation comme %(role)s.")
            % {"person": c["person"], "role": c["invitation"].get_role_display()}
        ),
    ),
    Kind.CAMPAIGN_OPENED: KindSpec(
        template="campaigns/emails/campaign_opened",
        subject=_campaign_subject(
            gettext_lazy("Campagne %(year)s ouverte : vos fiches à renseigner avant le %(deadline)s")
        ),
        summary=_reports_summary,
    ),
    Kind.REMINDER: KindSpec(
        template="campaigns/emails/reminder",
        subject=_campaign_subject(
            gettext_lazy("Rappel : vos fiches %(year)s sont attendues pour le %(deadline)s")
        ),
        summary=_reports_summary,
    ),
    Kind.LATE: KindSpec(
        template="campaigns/emails/late",
        subject=_campaign_subject(
            gettext_lazy("En retard : vos fiches %(year)s étaient attendues le %(deadline)s")
        ),
        summary=_reports_summary,
    ),
    Kind.REPORT_SUBMITTED: KindSpec(
        template="campaigns/emails/report_submitted",
        subject=_campaign_subject(gettext_lazy("Fiche %(year)s soumise : à valider")),
        summary=_reports_summary,
    ),
    Kind.REPORT_RETURNED: KindSpec(
        template="campaigns/emails/report_returned",
        subject=_campaign_subject(gettext_lazy("Fiche %(year)s renvoyée pour correction")),
        summary=_reports_summary,
    ),
    Kind.REPORT_VALIDATED: KindSpec(
        template="campaigns/emails/report_validated",
        subject=_campaign_subject(gettext_lazy("Fiche %(year)s validée")),
        summary=_reports_summary,
    ),
}
