"""The one place where OpenCLS decides who may do what.

`PERMISSIONS` is the declarative matrix: role → permission codes. A code ending in
`:own` is granted only on objects led by the user's organisation: an action it leads itself
(with everything in it), or an operation it leads (with the deliverables and indicators
attached to that operation) — never the action or the other operations around it.
Visibility (`action.visibility`), contractual targets (`target.change`) and the lead/partner
links (`involvement.change`) are the coordinator's. Readers (member, ARS reader, public)
generate nothing: `report.generate` (evaluation report rows, PDFs) is the coordinator's too.
`contract.create` is a right of the user, not of a role (see `can_create_contract`). `can()` is the single
check used by views, the API and templates (`{% can "action.change" action as ok %}`).
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Model, Q
from django.http import Http404

from opencls.actions.models import Involvement
from opencls.contracts.models import Contract, ContractRole

COORDINATOR = ContractRole.Role.COORDINATOR
LEAD = ContractRole.Role.LEAD
MEMBER = ContractRole.Role.MEMBER
ARS_READER = "ars_reader"
PUBLIC = "public"

READ = {"contract.view", "contract.view_public", "contract.export", "finance.view"}
PERMISSIONS: dict[str, frozenset[str]] = {
    COORDINATOR: frozenset(
        READ
        | {
            "comment.add",
            "contract.change",
            "contract.publish",
            "contract.delete",
            "action.change",
            "action.visibility",
            "involvement.change",
            "target.change",
            "report.generate",
            "indicator_value.change",
            "deliverable.change",
            "evaluation.change",
            "governance.change",
            "finance.change",
            "amendment.change",
            "role.change",
        }
    ),
    LEAD: frozenset(
        READ | {"comment.add", "action.change:own", "indicator_value.change:own", "deliverable.change:own"}
    ),
    MEMBER: frozenset(READ | {"comment.add"}),
    ARS_READER: frozenset(READ),
    PUBLIC: frozenset({"contract.view_public"}),
}
# A signatory or elected official reads the whole contract and changes nothing.
PERMISSIONS[ContractRole.Role.SIGNATORY] = frozenset(READ)
# The yearly campaign (issue 13): opening it and reminding, then each transition of an action's report.
PERMISSIONS[COORDINATOR] |= {
    "campaign.manage",
    "report.submit",
    "report.validate",
    "report.return",
    "period.lock",
}
PERMISSIONS[LEAD] |= {"report.submit:own"}
# The citizen page (issue 14): inhabitants' suggestions and questions are moderated (approved,
# rejected, answered, their personal data erased on request) by the coordination only.
PERMISSIONS[COORDINATOR] |= {"suggestion.moderate"}
# Issue 14 (QPV and participation): the coordinator records participation bodies, members and
# events, and alone sees members' contact details (given with consent to the coordination).
# Every reader of the contract reads the bodies, names or pseudonyms and events.
PERMISSIONS[COORDINATOR] |= {"participation.change", "participation.contact"}
# The regional view (issue 16): the coordinator confirms or rejects the themes of the actions.
PERMISSIONS[COORDINATOR] |= {"theme.change"}
ALL_CODES = frozenset(code.removesuffix(":own") for codes in PERMISSIONS.values() for code in codes)

# Attributes walked, in order, from any domain object up to its contract.
PARENT_ATTRIBUTES = ("contract", "action", "operation", "axis", "indicator", "deliverable", "meeting", "body")


def contract_of(obj: Model) -> Contract:
    while not isinstance(obj, Contract):
        for attribute in PARENT_ATTRIBUTES:
            parent = getattr(obj, attribute, None)
            if parent is not None:
                obj = parent
                break
        else:
            raise TypeError(f"{type(obj).__name__} is not attached to a contract")
    return obj


def action_of(obj: Model):
    from opencls.actions.models import Action

    while not isinstance(obj, Action):
        for attribute in ("action", "operation", "indicator", "deliverable"):
            parent = getattr(obj, attribute, None)
            if parent is not None:
                obj = parent
                break
        else:
            return None
    return obj


def roles_for(user, contract: Contract) -> frozenset[str]:
    """The user's roles on the contract, cached on the user object for the request."""
    cache = user.__dict__.setdefault("_opencls_roles", {}) if user.is_authenticated else {}
    if contract.pk in cache:
        return cache[contract.pk]
    roles = set()
    if contract.is_published:
        roles.add(PUBLIC)
    if user.is_authenticated:
        roles.update(ContractRole.objects.filter(contract=contract, user=user).values_list("role", flat=True))
        if user.ars_region and user.ars_region == contract.territory.region:
            roles.add(ARS_READER)
    cache[contract.pk] = frozenset(roles)
    return cache[contract.pk]


def led_work_ids(user, contract: Contract) -> tuple[frozenset[int], frozenset[int]]:
    """Ids of the contract's actions led by the user's organisation itself, and of the
    operations it leads; two queries per contract and request, however many rows a page checks."""
    from opencls.actions.models import Action, Operation

    if not user.is_authenticated or not user.organisation_id:
        return frozenset(), frozenset()
    cache = user.__dict__.setdefault("_opencls_led_work", {})
    if contract.pk not in cache:
        lead = Involvement.LEAD
        organisation = user.organisation_id
        actions = Action.objects.filter(
            contract=contract, involvements__involvement=lead, involvements__organisation_id=organisation
        )
        operations = Operation.objects.filter(
            action__contract=contract,
            involvements__involvement=lead,
            involvements__organisation_id=organisation,
        )
        cache[contract.pk] = (
            frozenset(actions.values_list("pk", flat=True)),
            frozenset(operations.values_list("pk", flat=True)),
        )
    return cache[contract.pk]


def led_action_ids(user, contract: Contract) -> frozenset[int]:
    """Ids of the actions the user's organisation leads itself or through one of its operations
    (to list "its" actions; editing rights are finer, see `is_led_by_user_organisation`)."""
    from opencls.actions.models import Operation

    actions, operations = led_work_ids(user, contract)
    if not operations:
        return actions
    through = Operation.objects.filter(pk__in=operations).values_list("action_id", flat=True)
    return actions | frozenset(through)


def operation_id_of(obj: Model) -> int | None:
    from opencls.actions.models import Operation

    if isinstance(obj, Operation):
        return obj.pk
    if hasattr(obj, "operation_id"):
        return obj.operation_id
    for attribute in ("indicator", "deliverable"):
        parent = getattr(obj, attribute, None)
        if parent is not None:
            return operation_id_of(parent)
    return None


def is_led_by_user_organisation(user, obj: Model) -> bool:
    """Does the user's organisation lead `obj`'s action itself, or `obj`'s own operation?"""
    action = action_of(obj)
    if action is None:
        return False
    actions, operations = led_work_ids(user, contract_of(action))
    if action.pk in actions:
        return True
    operation_id = operation_id_of(obj)
    return operation_id is not None and operation_id in operations


def can(user, code: str, obj: Model) -> bool:
    """May `user` do `code` on `obj` (a contract or any object attached to one)?"""
    if code not in ALL_CODES:
        raise ValueError(f"Unknown permission code: {code}")
    if user.is_authenticated and user.is_superuser:
        return True
    granted = set().union(*(PERMISSIONS[role] for role in roles_for(user, contract_of(obj))))
    if code == "contract.view_public" and "contract.view" not in granted:
        # The public reads only what is published: not the actions kept off the public page.
        action = action_of(obj)
        return code in granted and (action is None or action.is_public)
    if code in granted:
        return True
    return f"{code}:own" in granted and is_led_by_user_organisation(user, obj)


def can_create_contract(user) -> bool:
    """`contract.create` is a right of the user, not of a role on a contract: an administrator
    ticks "peut créer des contrats" on the coordinators' accounts. It covers the editor, the
    document import and the JSON upload; whatever is created starts as a draft (see
    `may_publish_on_creation`), and the creator becomes its coordinator."""
    return user.is_authenticated and (user.is_superuser or user.can_create_contracts)


def may_publish_on_creation(user) -> bool:
    """A created or imported contract keeps `is_published` only for a superuser (or the command
    line, `user=None`); everyone else gets a draft and publishes it afterwards, explicitly, with
    the coordinator's `contract.publish` right."""
    return user is None or (user.is_authenticated and user.is_superuser)


def require_create_contract(user) -> None:
    if not can_create_contract(user):
        raise PermissionDenied


def get_contract_or_404(user, pk, code: str = "contract.view") -> Contract:
    """The contract if the user may see it; 404 when hidden, 403 when seen but not allowed."""
    contract = Contract.objects.select_related("territory").filter(pk=pk).first()
    if contract is None or not (
        can(user, "contract.view", contract) or can(user, "contract.view_public", contract)
    ):
        raise Http404
    require(user, code, contract)
    return contract


def require(user, code: str, obj: Model) -> None:
    if not can(user, code, obj):
        raise PermissionDenied


def visible_contracts(user):
    """Contracts the user reads in full (not only their public page)."""
    queryset = Contract.objects.select_related("territory")
    if not user.is_authenticated:
        return queryset.none()
    if user.is_superuser:
        return queryset
    # Issue 16: an `IN` sub-query on the roles (indexed, no duplicates) rather than an OR across
    # the roles join plus DISTINCT, which scanned the whole country's contracts.
    scope = Q(pk__in=ContractRole.objects.filter(user=user).values("contract_id"))
    if user.ars_region:
        scope |= Q(territory__region=user.ars_region)
    return queryset.filter(scope)
