"""The permission matrix, checked against a table written by hand.

The table below is the specification: it is not derived from `PERMISSIONS`, so a change to
the matrix in `opencls/accounts/permissions.py` must be mirrored here on purpose.
"""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.template import engines
from django.test import RequestFactory

from opencls.accounts.permissions import (
    ALL_CODES,
    can,
    can_create_contract,
    contract_of,
    get_contract_or_404,
    may_publish_on_creation,
    require,
    require_create_contract,
    visible_contracts,
)
from opencls.contracts.models import ContractRole
from opencls.testing.factories import (
    ActionFactory,
    AxisFactory,
    ContractFactory,
    DeliverableFactory,
    DiagnosisIndicatorFactory,
    FundingLineFactory,
    IndicatorFactory,
    ObjectiveFactory,
    OperationFactory,
    OrganisationFactory,
    SignatoryFactory,
    TerritoryFactory,
    UserFactory,
    user_with_role,
)

COORDINATOR, LEAD, MEMBER = ContractRole.Role.COORDINATOR, ContractRole.Role.LEAD, ContractRole.Role.MEMBER

# Legend: X = granted on every object of the contract; P = only when the contract is published;
# A = only on the objects of the action the user's organisation leads itself (action, operation,
# deliverable, indicator, funding line); O = only on the operation the user's organisation leads
# and what is attached to it (its deliverable), never the action around it; . = never.
MATRIX = """
code                    coordinator lead_own lead_operation lead_other member ars ars_other no_role anonymous superuser
contract.view                X         X          X             X        X     X      .        .        .         X
contract.view_public         X         X          X             X        X     X      P        P        P         X
contract.export              X         X          X             X        X     X      .        .        .         X
finance.view                 X         X          X             X        X     X      .        .        .         X
comment.add                  X         X          X             X        X     .      .        .        .         X
contract.change              X         .          .             .        .     .      .        .        .         X
contract.publish             X         .          .             .        .     .      .        .        .         X
contract.delete              X         .          .             .        .     .      .        .        .         X
action.change                X         A          O             .        .     .      .        .        .         X
action.visibility            X         .          .             .        .     .      .        .        .         X
involvement.change           X         .          .             .        .     .      .        .        .         X
target.change                X         .          .             .        .     .      .        .        .         X
report.generate              X         .          .             .        .     .      .        .        .         X
indicator_value.change       X         A          O             .        .     .      .        .        .         X
deliverable.change           X         A          O             .        .     .      .        .        .         X
evaluation.change            X         .          .             .        .     .      .        .        .         X
governance.change            X         .          .             .        .     .      .        .        .         X
finance.change               X         .          .             .        .     .      .        .        .         X
amendment.change             X         .          .             .        .     .      .        .        .         X
role.change                  X         .          .             .        .     .      .        .        .         X
campaign.manage              X         .          .             .        .     .      .        .        .         X
report.submit                X         A          O             .        .     .      .        .        .         X
report.validate              X         .          .             .        .     .      .        .        .         X
report.return                X         .          .             .        .     .      .        .        .         X
period.lock                  X         .          .             .        .     .      .        .        .         X
suggestion.moderate          X         .          .             .        .     .      .        .        .         X
participation.change         X         .          .             .        .     .      .        .        .         X
participation.contact        X         .          .             .        .     .      .        .        .         X
theme.change                 X         .          .             .        .     .      .        .        .         X
"""


def parse_matrix(text):
    header, *rows = [line.split() for line in text.strip().splitlines()]
    users = header[1:]
    table = {}
    for code, *marks in rows:
        assert len(marks) == len(users), code
        table[code] = dict(zip(users, marks, strict=True))
    return users, table


USERS, TABLE = parse_matrix(MATRIX)
OBJECT_KINDS = [
    "contract",
    "axis",
    "objective",
    "action",
    "operation",
    "deliverable",
    "indicator",
    "funding_line",
    "signatory",
    "diagnosis_indicator",
]
ACTION_OBJECTS = {"action", "operation", "deliverable", "indicator", "funding_line"}
OPERATION_OBJECTS = {"operation", "deliverable"}  # the deliverable is attached to the operation


def expected(mark, *, kind, published):
    return {
        "X": True,
        ".": False,
        "P": published,
        "A": kind in ACTION_OBJECTS,
        "O": kind in OPERATION_OBJECTS,
    }[mark]


def build_world(*, published):
    """One contract with every kind of object; the action is led by `lead_org`, one of its
    operations by `operation_org`; `other_org` leads another action of the same contract."""
    lead_org, operation_org, other_org = OrganisationFactory.create_batch(3)
    contract = ContractFactory(territory=TerritoryFactory(region="Hauts-de-France"), is_published=published)
    axis = AxisFactory(contract=contract)
    objective = ObjectiveFactory(axis=axis)
    # Marked public by the coordination (a new fiche is private, issue 14).
    action = ActionFactory(axis=axis, objective=objective, leads=[lead_org], is_public=True)
    operation = OperationFactory(action=action, leads=[operation_org])
    ActionFactory(axis=axis, leads=[other_org])
    objects = {
        "contract": contract,
        "axis": axis,
        "objective": objective,
        "action": action,
        "operation": operation,
        "deliverable": DeliverableFactory(action=action, operation=operation),
        "indicator": IndicatorFactory(action=action),
        "funding_line": FundingLineFactory(action=action),
        "signatory": SignatoryFactory(contract=contract, organisation=lead_org),
        "diagnosis_indicator": DiagnosisIndicatorFactory(contract=contract),
    }
    users = {
        "coordinator": user_with_role(contract, COORDINATOR),
        "lead_own": user_with_role(contract, LEAD, organisation=lead_org),
        "lead_operation": user_with_role(contract, LEAD, organisation=operation_org),
        "lead_other": user_with_role(contract, LEAD, organisation=other_org),
        # A member of the leading organisation: the "own" rights come with the lead role only.
        "member": user_with_role(contract, MEMBER, organisation=lead_org),
        "ars": UserFactory(ars_region="Hauts-de-France"),
        "ars_other": UserFactory(ars_region="Bretagne"),
        # Works for the leading organisation but has no role on this contract.
        "no_role": UserFactory(organisation=lead_org),
        "anonymous": AnonymousUser(),
        "superuser": UserFactory(is_superuser=True, is_staff=True),
    }
    return objects, users


def test_the_table_covers_every_permission_code():
    assert set(TABLE) == ALL_CODES


@pytest.mark.django_db
@pytest.mark.parametrize("published", [False, True], ids=["draft", "published"])
@pytest.mark.parametrize("user_key", USERS)
def test_permission_matrix(user_key, published):
    objects, users = build_world(published=published)
    user = users[user_key]
    wrong = []
    for kind in OBJECT_KINDS:
        for code, marks in TABLE.items():
            want = expected(marks[user_key], kind=kind, published=published)
            if can(user, code, objects[kind]) is not want:
                wrong.append(f"{code} on {kind}: expected {want}")
    assert wrong == []


@pytest.mark.django_db
def test_every_kind_of_object_leads_to_its_contract():
    objects, _ = build_world(published=False)
    assert {kind: contract_of(obj) for kind, obj in objects.items()} == dict.fromkeys(
        OBJECT_KINDS, objects["contract"]
    )


@pytest.mark.django_db
def test_unknown_code_is_refused():
    objects, users = build_world(published=False)
    with pytest.raises(ValueError, match="Unknown permission code"):
        can(users["coordinator"], "contract.destroy", objects["contract"])


@pytest.mark.django_db
def test_lead_of_contract_a_cannot_read_contract_b_drafts():
    objects, users = build_world(published=False)
    lead = users["lead_own"]
    contract_b = ContractFactory(territory=TerritoryFactory(region="Hauts-de-France"))
    # Contract B even has an action led by the same organisation: no role on B, no access.
    action_b = ActionFactory(axis=AxisFactory(contract=contract_b), leads=[lead.organisation])
    for obj in (contract_b, action_b):
        assert not can(lead, "contract.view", obj)
        assert not can(lead, "contract.view_public", obj)
        assert not can(lead, "action.change", obj)
    with pytest.raises(Http404):
        get_contract_or_404(lead, contract_b.pk)
    assert list(visible_contracts(lead)) == [objects["contract"]]


@pytest.mark.django_db
def test_lead_cannot_edit_an_action_led_by_another_organisation():
    objects, users = build_world(published=False)
    lead = users["lead_other"]
    action = objects["action"]
    assert can(lead, "contract.view", action)
    assert not can(lead, "action.change", action)
    assert not can(lead, "indicator_value.change", objects["indicator"])
    assert not can(lead, "deliverable.change", objects["deliverable"])
    # … while the action its own organisation leads is editable.
    own_action = action.contract.actions.exclude(pk=action.pk).get()
    assert can(lead, "action.change", own_action)


@pytest.mark.django_db
def test_lead_of_an_operation_acts_on_that_operation_only():
    objects, users = build_world(published=False)
    lead = users["lead_operation"]
    action, operation = objects["action"], objects["operation"]
    assert can(lead, "action.change", operation)
    assert can(lead, "deliverable.change", objects["deliverable"])
    # Not the action itself, nor what hangs on the action rather than on its operation …
    assert not can(lead, "action.change", action)
    assert not can(lead, "indicator_value.change", objects["indicator"])
    # … nor a sibling operation of the same action, its deliverables, indicators and values.
    sibling = OperationFactory(action=action)
    sibling_deliverable = DeliverableFactory(action=action, operation=sibling)
    sibling_indicator = IndicatorFactory(action=action, operation=sibling)
    own_indicator = IndicatorFactory(action=action, operation=operation)
    lead.__dict__.pop("_opencls_led_work", None)
    assert not can(lead, "action.change", sibling)
    assert not can(lead, "deliverable.change", sibling_deliverable)
    assert not can(lead, "indicator_value.change", sibling_indicator)
    assert can(lead, "indicator_value.change", own_indicator)
    # The lead of the action itself acts on every operation of it.
    assert can(users["lead_own"], "action.change", sibling)
    # A partner (not a lead) of the operation gets nothing from it.
    partner_org = OrganisationFactory()
    operation.involvements.create(organisation=partner_org, involvement="partner")
    partner = user_with_role(objects["contract"], LEAD, organisation=partner_org)
    assert not can(partner, "action.change", operation)


@pytest.mark.django_db
def test_creating_contracts_is_a_right_given_by_an_administrator():
    objects, users = build_world(published=False)
    rows = {
        "coordinator": False,  # coordinating one contract is not the right to create others
        "ars": False,
        "member": False,
        "anonymous": False,
        "superuser": True,
    }
    for user_key, want in rows.items():
        assert can_create_contract(users[user_key]) is want, user_key
    assert can_create_contract(UserFactory(can_create_contracts=True))
    with pytest.raises(PermissionDenied):
        require_create_contract(users["coordinator"])
    # What is created is a draft, except for a superuser or the command line.
    assert not may_publish_on_creation(UserFactory(can_create_contracts=True))
    assert not may_publish_on_creation(users["anonymous"])
    assert may_publish_on_creation(users["superuser"])
    assert may_publish_on_creation(None)


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["action", "operation", "deliverable", "indicator", "funding_line"])
def test_the_public_does_not_read_an_action_kept_off_the_public_page(kind):
    objects, users = build_world(published=True)
    objects["action"].is_public = False
    objects["action"].save()
    for user_key in ("anonymous", "no_role", "ars_other"):
        assert not can(users[user_key], "contract.view_public", objects[kind]), user_key
    # Those who read the whole contract still see it.
    assert can(users["member"], "contract.view_public", objects[kind])
    assert can(users["member"], "contract.view", objects[kind])


@pytest.mark.django_db
def test_get_contract_or_404_hides_unseen_contracts_and_refuses_seen_ones():
    objects, users = build_world(published=True)
    contract = objects["contract"]
    assert get_contract_or_404(users["member"], contract.pk) == contract
    assert get_contract_or_404(users["coordinator"], contract.pk, "contract.change") == contract
    with pytest.raises(PermissionDenied):
        get_contract_or_404(users["member"], contract.pk, "contract.change")
    # Published: the public sees it exists, but not its private pages.
    with pytest.raises(PermissionDenied):
        get_contract_or_404(users["no_role"], contract.pk)
    contract.is_published = False
    contract.save()
    with pytest.raises(Http404):
        get_contract_or_404(UserFactory(), contract.pk)
    with pytest.raises(Http404):
        get_contract_or_404(users["member"], contract.pk + 1000)


@pytest.mark.django_db
def test_require_raises_permission_denied():
    objects, users = build_world(published=False)
    require(users["lead_own"], "action.change", objects["action"])
    with pytest.raises(PermissionDenied):
        require(users["lead_own"], "action.change", objects["axis"])


@pytest.mark.django_db
def test_visible_contracts():
    objects, users = build_world(published=True)
    contract = objects["contract"]
    other_region = ContractFactory(territory=TerritoryFactory(region="Bretagne"))
    # Two roles on one contract: listed once.
    ContractRole.objects.create(contract=contract, user=users["lead_own"], role=MEMBER)
    assert list(visible_contracts(users["lead_own"])) == [contract]
    assert list(visible_contracts(users["ars"])) == [contract]
    assert list(visible_contracts(users["ars_other"])) == [other_region]
    # Published is not "visible in full": that is the public list's business.
    assert list(visible_contracts(users["no_role"])) == []
    assert list(visible_contracts(users["anonymous"])) == []
    assert set(visible_contracts(users["superuser"])) == {contract, other_region}


@pytest.mark.django_db
def test_can_template_tag():
    objects, users = build_world(published=False)
    template = engines["django"].from_string(
        '{% can "action.change" action as ok %}{% if ok %}modifiable{% else %}lecture seule{% endif %}'
    )
    request = RequestFactory().get("/")
    for user_key, shown in [
        ("lead_own", "modifiable"),
        ("lead_other", "lecture seule"),
        ("member", "lecture seule"),
    ]:
        request.user = users[user_key]
        assert template.render({"action": objects["action"]}, request) == shown
