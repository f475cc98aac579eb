"""Who takes part in a contract: invitations, accepting them, changing and removing roles.

Every write is one transaction; the rows carry django-simple-history, so the contract's
"Historique" page shows each invitation and each role granted, changed or removed.
"""

import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from opencls.actions.models import ActionOrganisation, Involvement
from opencls.contracts.models import ContractRole
from opencls.people.emails import absolute_url
from opencls.people.models import Invitation, hash_token

COORDINATOR = ContractRole.Role.COORDINATOR
LEAD = ContractRole.Role.LEAD


class PeopleError(Exception):
    """A rule of the people page was broken; the message is shown to the user."""


def invitation_valid_days() -> int:
    return int(getattr(settings, "INVITATION_VALID_DAYS", 14))


def _new_token(invitation: Invitation) -> str:
    token = secrets.token_urlsafe(32)
    invitation.token_hash = hash_token(token)
    invitation.expires_at = timezone.now() + timedelta(days=invitation_valid_days())
    return token


def invitation_url(token: str, request=None) -> str:
    return absolute_url(reverse("people:accept", args=[token]), request)


@transaction.atomic
def invite(*, contract, email: str, role: str, organisation=None, actions=(), invited_by, request=None):
    """Record an invitation and send its e-mail. A porteur's organisation becomes the lead of
    the chosen actions (that is what "porteur of these actions" means in the permission matrix)."""
    email = email.strip().lower()
    if role == LEAD and organisation is None:
        raise PeopleError(_("Indiquez l'organisation porteuse."))
    if Invitation.objects.filter(
        contract=contract,
        email__iexact=email,
        role=role,
        accepted_at=None,
        revoked_at=None,
        expires_at__gt=timezone.now(),
    ).exists():
        raise PeopleError(_("Une invitation en attente existe déjà pour cette adresse et ce rôle."))
    if ContractRole.objects.filter(contract=contract, user__email__iexact=email, role=role).exists():
        raise PeopleError(_("Cette personne a déjà ce rôle sur le contrat."))
    invitation = Invitation(
        contract=contract, email=email, role=role, organisation=organisation, invited_by=invited_by
    )
    token = _new_token(invitation)
    invitation.save()
    if role == LEAD:
        for action in actions:
            if action.contract_id != contract.pk:
                raise PeopleError(_("Cette fiche action n'appartient pas au contrat."))
            ActionOrganisation.objects.get_or_create(
                action=action,
                organisation=organisation,
                involvement=Involvement.LEAD,
                defaults={"position": action.involvements.count()},
            )
    transaction.on_commit(lambda: _send_invitation(invitation, token, request))
    return invitation


def _send_invitation(invitation: Invitation, token: str, request=None) -> None:
    """Always mailed at once (the link is in the mail only); someone who already has an account
    also finds it among their notifications, without the link (its token is never stored)."""
    from opencls.notifications.models import Kind
    from opencls.notifications.services import notify

    User = get_user_model()
    notify(
        User.objects.filter(email__iexact=invitation.email, is_active=True).order_by("pk").first(),
        Kind.INVITATION,
        {
            "invitation": invitation,
            "contract": invitation.contract,
            "mail_url": invitation_url(token, request),
            "inviter": invitation.invited_by,
            "expires_at": invitation.expires_at,
        },
        email=invitation.email,
        request=request,
    )


def _notify_inviter(invitation: Invitation, user) -> None:
    from opencls.notifications.models import Kind
    from opencls.notifications.services import notify

    if invitation.invited_by is None or invitation.invited_by_id == user.pk:
        return
    notify(
        invitation.invited_by,
        Kind.INVITATION_ACCEPTED,
        {
            "invitation": invitation,
            "contract": invitation.contract,
            "person": user,
            "path": reverse("people:list", args=[invitation.contract_id]),
        },
    )


@transaction.atomic
def resend(invitation: Invitation, request=None) -> None:
    """A new link (the old one stops working) and a new expiry date."""
    if invitation.accepted_at or invitation.revoked_at:
        raise PeopleError(_("Cette invitation n'est plus en attente."))
    token = _new_token(invitation)
    invitation.save(update_fields=["token_hash", "expires_at"])
    transaction.on_commit(lambda: _send_invitation(invitation, token, request))


@transaction.atomic
def revoke(invitation: Invitation) -> None:
    if invitation.accepted_at or invitation.revoked_at:
        raise PeopleError(_("Cette invitation n'est plus en attente."))
    invitation.revoked_at = timezone.now()
    invitation.save(update_fields=["revoked_at"])


def invitation_for_token(token: str) -> Invitation | None:
    return (
        Invitation.objects.select_related("contract", "organisation")
        .filter(token_hash=hash_token(token))
        .first()
    )


def refusal_reason(invitation: Invitation | None) -> str:
    """Why this link cannot be used any more, or "" when it can."""
    if invitation is None:
        return _("Ce lien d'invitation n'est pas valide.")
    if invitation.accepted_at:
        return _("Cette invitation a déjà été utilisée. Connectez-vous pour accéder au contrat.")
    if invitation.revoked_at:
        return _("Cette invitation a été annulée par la coordination du contrat.")
    if invitation.expires_at <= timezone.now():
        return _(
            "Cette invitation a expiré. Demandez à la coordination du contrat de vous en envoyer une nouvelle."
        )
    return ""


@transaction.atomic
def accept(invitation: Invitation, user) -> ContractRole:
    """Give `user` the invited role; the invitation cannot be used again."""
    invitation = (
        Invitation.objects.select_for_update(of=("self",))
        .select_related("organisation")
        .get(pk=invitation.pk)
    )
    reason = refusal_reason(invitation)
    if reason:
        raise PeopleError(reason)
    if invitation.organisation_id:
        if user.organisation_id is None:
            user.organisation = invitation.organisation
            user.save(update_fields=["organisation"])
        elif invitation.role == LEAD and user.organisation_id != invitation.organisation_id:
            raise PeopleError(
                _(
                    "Votre compte est rattaché à « %(mine)s » ; cette invitation de porteur concerne "
                    "« %(theirs)s ». Demandez à la coordination une invitation pour votre organisation."
                )
                % {"mine": user.organisation, "theirs": invitation.organisation}
            )
    role, _created = ContractRole.objects.get_or_create(
        contract_id=invitation.contract_id, user=user, role=invitation.role
    )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    transaction.on_commit(lambda: _notify_inviter(invitation, user))
    return role


@transaction.atomic
def create_account_and_accept(invitation: Invitation, *, first_name: str, last_name: str, password: str):
    User = get_user_model()
    if User.objects.filter(email__iexact=invitation.email).exists():
        raise PeopleError(
            _("Un compte existe déjà pour cette adresse : connectez-vous pour accepter l'invitation.")
        )
    username = invitation.email[:150]
    if User.objects.filter(username__iexact=username).exists():
        username = f"{username[:140]}-{secrets.token_hex(4)}"
    user = User(
        username=username,
        email=invitation.email,
        first_name=first_name,
        last_name=last_name,
        organisation=invitation.organisation,
    )
    user.set_password(password)
    user.save()
    accept(invitation, user)
    return user


def _coordinators_left(contract, excluding_pk) -> bool:
    return ContractRole.objects.filter(contract=contract, role=COORDINATOR).exclude(pk=excluding_pk).exists()


@transaction.atomic
def change_role(contract_role: ContractRole, new_role: str) -> ContractRole:
    """Replace a role by another (history: one removal, one addition)."""
    contract_role = ContractRole.objects.select_for_update().get(pk=contract_role.pk)
    if new_role == contract_role.role:
        return contract_role
    if contract_role.role == COORDINATOR and not _coordinators_left(
        contract_role.contract_id, contract_role.pk
    ):
        raise PeopleError(_("Le contrat doit garder au moins un·e coordinateur·rice."))
    replacement, _created = ContractRole.objects.get_or_create(
        contract_id=contract_role.contract_id, user_id=contract_role.user_id, role=new_role
    )
    contract_role.delete()
    return replacement


@transaction.atomic
def remove_role(contract_role: ContractRole) -> None:
    contract_role = ContractRole.objects.select_for_update().get(pk=contract_role.pk)
    if contract_role.role == COORDINATOR and not _coordinators_left(
        contract_role.contract_id, contract_role.pk
    ):
        raise PeopleError(_("Le contrat doit garder au moins un·e coordinateur·rice."))
    contract_role.delete()
