from django.utils import timezone

from opencls.actions.models import Action, ActionOrganisation, Involvement
from opencls.contracts.models import ContractRole
from opencls.people.models import Invitation


def contract_people(contract) -> list[dict]:
    """One row per role on the contract, with the actions the person's organisation leads."""
    roles = list(
        ContractRole.objects.filter(contract=contract)
        .select_related("user", "user__organisation")
        .order_by("user__last_name", "user__first_name", "user__pk", "role")
    )
    led: dict[int, list[Action]] = {}
    for link in (
        ActionOrganisation.objects.filter(action__contract=contract, involvement=Involvement.LEAD)
        .select_related("action")
        .order_by("action__axis__position", "action__position", "action__pk")
    ):
        led.setdefault(link.organisation_id, []).append(link.action)
    return [
        {
            "role": role,
            "led_actions": led.get(role.user.organisation_id, [])
            if role.role == ContractRole.Role.LEAD
            else [],
        }
        for role in roles
    ]


def contract_invitations(contract):
    """Pending invitations first, then the 20 latest others (accepted, revoked, expired)."""
    now = timezone.now()
    base = Invitation.objects.filter(contract=contract).select_related("organisation", "invited_by")
    pending = list(base.filter(accepted_at=None, revoked_at=None, expires_at__gt=now))
    others = list(base.exclude(pk__in=[i.pk for i in pending])[:20])
    return pending, others
