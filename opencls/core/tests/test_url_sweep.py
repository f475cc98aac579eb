"""Every URL pattern × every role × two contracts: no 500, no cross-contract access, and a POST
by a role without the right changes nothing.

`ROUTES` classifies every named URL of the project; a new URL that is not classified here
fails `test_every_url_pattern_is_classified`, so it cannot ship without its permission check
being decided (and then swept). What a route needs is checked with `can()` on the most
specific object of its URL (an operation rather than its action), so the sweep tests that the
views enforce the one matrix of `opencls/accounts/permissions.py`.
"""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from opencls.accounts.permissions import can, can_create_contract
from opencls.accounts.proconnect import config as proconnect_config
from opencls.campaigns.models import ActionReport, Campaign, PeriodLock, ReportState
from opencls.contracts.io import contract_to_json
from opencls.contracts.models import ContractRole
from opencls.governance import amendments
from opencls.governance import services as governance_services
from opencls.governance.models import ContractVersion, Decision
from opencls.governance.tests.factories import (
    AgendaItemFactory,
    BodyMemberFactory,
    GovernanceBodyFactory,
    MeetingFactory,
)
from opencls.imports.tests.factories import DocumentImportFactory
from opencls.jobs.models import Job
from opencls.jobs.registry import KINDS
from opencls.monitoring.jobs import EVALUATION_REPORT
from opencls.monitoring.models import Evaluation, EvaluationReport, Evidence
from opencls.monitoring.tests.factories import IndicatorTargetFactory, IndicatorValueFactory
from opencls.notifications.models import Kind, Notification
from opencls.participation import services as participation_services
from opencls.participation.models import ParticipationBody, ParticipationEvent, Seat
from opencls.people.models import Invitation, hash_token
from opencls.publication import services as publication_services
from opencls.publication.models import Suggestion
from opencls.region.models import ActionTheme, Theme
from opencls.spreadsheets.tests.factories import PlanUploadFactory
from opencls.testing import factories

pytestmark = pytest.mark.django_db

# Who may reach a route. A permission code is checked with can() on the URL's object.
PUBLIC = "public"  # anyone, no contract
USER = "user"  # any logged-in user, no contract
CREATE = "create"  # the contract.create right (see can_create_contract)
OWNER = "owner"  # the author of a document import (its own pages only)
OWNER_CREATE = "owner_create"  # … who still has the contract.create right (to save it as a contract)
VIEW = "contract.view"
GOV = "governance.change"
CHANGE = "contract.change"
AMEND = "amendment.change"
FIN = "finance.change"
ROLES_CHANGE = "role.change"
CAMPAIGN = "campaign.manage"
OWNER_VIEW = "owner_view"  # the author of a document import who reads the contract it would update
OWNER_CHANGE = "owner_change"  # … who may change that contract
JOB = "job"  # the job's requester, or whoever changes its contract (its coordinators)
JOB_RESULT = "job_result"  # … who still holds the right its kind needs on the contract
RENEW = "renew"  # contract.change on the contract renewed, and the contract.create right
PUBLISHED = "published"  # anyone, when the contract is published (open data); nobody otherwise
BAD_TOKEN = "bad_token"  # a public link whose token is wrong in the sweep: 404 for everyone, never a 500
RECIPIENT = "recipient"  # the recipient of a notification, nobody else (issue 13)
# Issue 13: the campaign grid is the action's (indicator_value.change), or, per operation, of whoever
# may enter the values of one of its operations (a porteur of an operation only).
GRID = "grid"

# name: (what a GET needs, what a POST that writes needs). A POST to a read-only page must
# change nothing whoever sends it: its write code is then the read code.
ROUTES = {
    "core:dashboard": (USER, USER),
    "core:contract_history": (VIEW, VIEW),
    "accounts:login": (PUBLIC, PUBLIC),
    "accounts:logout": (PUBLIC, PUBLIC),
    "accounts:password_reset": (PUBLIC, PUBLIC),
    "accounts:password_reset_done": (PUBLIC, PUBLIC),
    "accounts:password_reset_confirm": (PUBLIC, PUBLIC),
    "accounts:password_reset_complete": (PUBLIC, PUBLIC),
    "accounts:proconnect_login": (PUBLIC, PUBLIC),
    "accounts:proconnect_callback": (PUBLIC, PUBLIC),
    "accounts:proconnect_logout_done": (PUBLIC, PUBLIC),
    "contracts:create": (CREATE, CREATE),
    "contracts:import_json": (CREATE, CREATE),
    "contracts:public_list": (PUBLIC, PUBLIC),
    "contracts:public_detail": ("contract.view_public", "contract.view_public"),
    "contracts:detail": (VIEW, VIEW),
    "contracts:publish": ("contract.publish", "contract.publish"),
    "contracts:export_json": ("contract.export", "contract.export"),
    "contracts:edit": (CHANGE, CHANGE),
    "contracts:edit_territory": (CHANGE, CHANGE),
    "contracts:municipality_add": (CHANGE, CHANGE),
    "contracts:municipality_edit": (CHANGE, CHANGE),
    "contracts:municipality_delete": (CHANGE, CHANGE),
    "contracts:neighbourhood_add": (CHANGE, CHANGE),
    "contracts:neighbourhood_edit": (CHANGE, CHANGE),
    "contracts:neighbourhood_delete": (CHANGE, CHANGE),
    "contracts:edit_signatories": (CHANGE, CHANGE),
    "contracts:signatory_add": (CHANGE, CHANGE),
    "contracts:signatory_edit": (CHANGE, CHANGE),
    "contracts:signatory_delete": (CHANGE, CHANGE),
    "contracts:signatory_move": (CHANGE, CHANGE),
    "contracts:edit_axes": (CHANGE, CHANGE),
    "contracts:axis_add": (CHANGE, CHANGE),
    "contracts:axis_edit": (CHANGE, CHANGE),
    "contracts:axis_delete": (CHANGE, CHANGE),
    "contracts:axis_move": (CHANGE, CHANGE),
    "contracts:objective_add": (CHANGE, CHANGE),
    "contracts:objective_edit": (CHANGE, CHANGE),
    "contracts:objective_delete": (CHANGE, CHANGE),
    "contracts:objective_move": (CHANGE, CHANGE),
    "contracts:organisation_search": ("action.change", "action.change"),
    # Issue 16: the territory picked in the official geography.
    "contracts:territory_official_search": (CHANGE, CHANGE),
    "contracts:territory_official_choose": (CHANGE, CHANGE),
    "actions:list": (CHANGE, CHANGE),
    "actions:create": (CHANGE, CHANGE),
    "actions:objective_options": (VIEW, VIEW),
    "actions:edit": ("action.change", "action.change"),
    "actions:delete": (CHANGE, CHANGE),
    "actions:move": (CHANGE, CHANGE),
    "actions:involvement_add": ("involvement.change", "involvement.change"),
    "actions:involvement_remove": ("involvement.change", "involvement.change"),
    "actions:operation_add": ("action.change", "action.change"),
    "actions:operation_edit": ("action.change", "action.change"),
    "actions:operation_delete": ("action.change", "action.change"),
    "actions:operation_move": ("action.change", "action.change"),
    "actions:operation_involvement_add": ("involvement.change", "involvement.change"),
    "actions:operation_involvement_remove": ("involvement.change", "involvement.change"),
    "actions:deliverable_add": ("action.change", "action.change"),
    "actions:deliverable_edit": ("action.change", "action.change"),
    "actions:deliverable_delete": ("action.change", "action.change"),
    "actions:indicator_add": ("action.change", "action.change"),
    "actions:indicator_edit": ("action.change", "action.change"),
    "actions:indicator_delete": ("action.change", "action.change"),
    "monitoring:dashboard": (VIEW, VIEW),
    "monitoring:action": (VIEW, "action.change"),
    "monitoring:indicator": (VIEW, "indicator_value.change"),
    "monitoring:indicator_value_delete": ("indicator_value.change", "indicator_value.change"),
    "monitoring:indicator_target_delete": ("target.change", "target.change"),
    "monitoring:deliverable": (VIEW, "deliverable.change"),
    "monitoring:evidence": (VIEW, VIEW),
    "monitoring:evidence_delete": ("deliverable.change", "deliverable.change"),
    "monitoring:evaluation_index": (VIEW, VIEW),
    "monitoring:evaluation": (VIEW, "evaluation.change"),
    "monitoring:evaluation_generate": ("report.generate", "report.generate"),
    "monitoring:evaluation_report": ("contract.export", "contract.export"),
    "governance:upcoming": (USER, USER),
    "governance:overview": (VIEW, VIEW),
    "governance:align_end": (GOV, GOV),
    "governance:body_create": (GOV, GOV),
    "governance:bodies_defaults": (GOV, GOV),
    "governance:body_detail": (VIEW, VIEW),
    "governance:body_update": (GOV, GOV),
    "governance:body_delete": (GOV, GOV),
    "governance:member_create": (GOV, GOV),
    "governance:member_update": (GOV, GOV),
    "governance:member_delete": (GOV, GOV),
    "governance:co_chair": (GOV, GOV),
    "governance:meetings": (VIEW, VIEW),
    "governance:meeting_create": (GOV, GOV),
    "governance:meeting_detail": (VIEW, VIEW),
    "governance:meeting_update": (GOV, GOV),
    "governance:meeting_cancel": (GOV, GOV),
    "governance:agenda_item_create": (GOV, GOV),
    "governance:agenda_item_update": (GOV, GOV),
    "governance:agenda_item_delete": (GOV, GOV),
    "governance:agenda_print": (VIEW, VIEW),
    "governance:agenda_pdf": (VIEW, VIEW),
    "governance:invitation": (VIEW, VIEW),
    "governance:attendance": (GOV, GOV),
    "governance:decision_create": (GOV, GOV),
    "governance:decision_delete": (GOV, GOV),
    "governance:minutes_edit": (GOV, GOV),
    "governance:minutes_file": (VIEW, VIEW),
    "governance:signatures": (VIEW, VIEW),
    "governance:deliberations_import": (GOV, GOV),
    "governance:signature_edit": (GOV, GOV),
    "governance:amendments": (VIEW, VIEW),
    "governance:amendment_create": (AMEND, AMEND),
    "governance:amendment_detail": (VIEW, VIEW),
    "governance:amendment_update": (AMEND, AMEND),
    "governance:amendment_diff": (VIEW, VIEW),
    "governance:amendment_signatory": (AMEND, AMEND),
    "governance:amendment_axis": (AMEND, AMEND),
    "governance:amendment_action": (AMEND, AMEND),
    "governance:amendment_remove": (AMEND, AMEND),
    "governance:amendment_abandon": (AMEND, AMEND),
    "governance:amendment_signature": (AMEND, AMEND),
    "governance:versions": (VIEW, VIEW),
    "governance:version_detail": (VIEW, VIEW),
    "governance:termination": (VIEW, GOV),
    "governance:termination_notice": (GOV, GOV),
    "governance:termination_withdraw": (GOV, GOV),
    "finance:overview": ("finance.view", "finance.view"),
    "finance:cofinancing_edit": (FIN, FIN),
    "finance:cofinancing_xlsx": ("finance.view", "finance.view"),
    "finance:cofinancing_csv": ("finance.view", "finance.view"),
    "finance:budget": ("finance.view", "finance.view"),
    "finance:budget_xlsx": ("finance.view", "finance.view"),
    "finance:budget_csv": ("finance.view", "finance.view"),
    "finance:line_create": (FIN, FIN),
    "finance:line_update": (FIN, FIN),
    "finance:line_delete": (FIN, FIN),
    "imports:upload": (CREATE, CREATE),
    "imports:review": (OWNER_CREATE, OWNER_CREATE),
    "imports:discard": (OWNER, OWNER),
    "imports:json": (OWNER, OWNER),
    "imports:update": (OWNER_VIEW, OWNER_CHANGE),
    "spreadsheets:home": ("contract.export", "contract.export"),
    "spreadsheets:export": ("contract.export", "contract.export"),
    "spreadsheets:upload": (CHANGE, CHANGE),
    "spreadsheets:review": (CHANGE, CHANGE),
    "spreadsheets:apply": (CHANGE, CHANGE),
    "spreadsheets:discard": (CHANGE, CHANGE),
    "api:contract-list": (USER, USER),
    "api:contract-detail": (VIEW, CHANGE),
    "api:contract-actions": (VIEW, VIEW),
    "api:schema": (PUBLIC, PUBLIC),
    "api:schema-ui": (PUBLIC, PUBLIC),
    "people:list": (ROLES_CHANGE, ROLES_CHANGE),
    "people:invite": (ROLES_CHANGE, ROLES_CHANGE),
    "people:role_change": (ROLES_CHANGE, ROLES_CHANGE),
    "people:role_remove": (ROLES_CHANGE, ROLES_CHANGE),
    "people:invitation_resend": (ROLES_CHANGE, ROLES_CHANGE),
    "people:invitation_revoke": (ROLES_CHANGE, ROLES_CHANGE),
    "people:accept": (BAD_TOKEN, BAD_TOKEN),
    "campaigns:index": (VIEW, VIEW),
    "campaigns:open": (CAMPAIGN, CAMPAIGN),
    "campaigns:detail": (VIEW, VIEW),
    "campaigns:remind": (CAMPAIGN, CAMPAIGN),
    "campaigns:report": (VIEW, VIEW),
    "campaigns:transition": ("report.return", "report.return"),
    "campaigns:home": (USER, USER),
    "campaigns:after_login": (USER, USER),
    "campaigns:grid": (GRID, GRID),
    "campaigns:grid_action": (GRID, GRID),
    "campaigns:locks": (VIEW, VIEW),
    "campaigns:lock": ("period.lock", "period.lock"),
    "campaigns:unlock": ("period.lock", "period.lock"),
    "campaigns:api_values": (VIEW, "indicator_value.change"),
    "jobs:list": (USER, USER),
    "jobs:detail": (JOB, JOB),
    "jobs:download": (JOB_RESULT, JOB_RESULT),
    # Issue 18: the contract's documents, article texts, fiche PDF, public PDF, calendar of actions.
    "documents:index": (VIEW, VIEW),
    "documents:generate": ("contract.export", "contract.export"),
    "documents:articles": (VIEW, VIEW),
    "documents:article_edit": (CHANGE, CHANGE),
    "documents:fiche_pdf": (VIEW, VIEW),
    "documents:public_contract_pdf": ("contract.view_public", "contract.view_public"),
    "documents:calendar": (VIEW, VIEW),
    "documents:calendar_ics": (VIEW, VIEW),
    "health": (PUBLIC, PUBLIC),
    "health_ready": (PUBLIC, PUBLIC),
    # Issue 18: diagnosis, final evaluation and renewal.
    "diagnosis:page": (VIEW, VIEW),
    "diagnosis:row_add": (CHANGE, CHANGE),
    "diagnosis:row_edit": (CHANGE, CHANGE),
    "diagnosis:row_delete": (CHANGE, CHANGE),
    "diagnosis:row_move": (CHANGE, CHANGE),
    "diagnosis:baselines": (CHANGE, CHANGE),
    "renewal:evaluation": (VIEW, VIEW),
    "renewal:evaluation_edit": ("evaluation.change", "evaluation.change"),
    "renewal:report_generate": ("report.generate", "report.generate"),
    "renewal:renew": (RENEW, RENEW),
    # Issue 16: open data (published contracts only, whoever asks) and the user's API token.
    "opendata:contract-list": (PUBLIC, PUBLIC),
    "opendata:contract-detail": (PUBLISHED, PUBLISHED),
    "opendata:region-csv": (PUBLIC, PUBLIC),
    "opendata:region-json": (PUBLIC, PUBLIC),
    "opendata:region-oscars": (PUBLIC, PUBLIC),
    "opendata:token": (USER, USER),
    # Notifications (issue 13): each user's own list, counter and preference.
    "notifications:list": (USER, USER),
    "notifications:badge": (USER, USER),
    "notifications:read_all": (USER, USER),
    "notifications:preferences": (USER, USER),
    "notifications:open": (RECIPIENT, RECIPIENT),
    "notifications:read": (RECIPIENT, RECIPIENT),
    # Issue 14: citizen pages (drawn from the published version), moderation, footer pages.
    "publication:action": ("contract.view_public", "contract.view_public"),
    "publication:contract_json": ("contract.view_public", "contract.view_public"),
    "publication:evaluation_report": ("contract.view_public", "contract.view_public"),
    "publication:visibility": ("action.visibility", "action.visibility"),
    "publication:suggestions": ("suggestion.moderate", "suggestion.moderate"),
    "publication:suggestion": ("suggestion.moderate", "suggestion.moderate"),
    "publication:legal_notice": (PUBLIC, PUBLIC),
    "publication:privacy": (PUBLIC, PUBLIC),
    "publication:accessibility": (PUBLIC, PUBLIC),
    "publication:sitemap": (PUBLIC, PUBLIC),
}
# Issue 14: participation of inhabitants and the health part of the contrat de ville.
PARTICIPATION = "participation.change"
ROUTES |= {
    "participation:overview": (VIEW, VIEW),
    "participation:body_add": (PARTICIPATION, PARTICIPATION),
    "participation:body_detail": (VIEW, VIEW),
    "participation:body_edit": (PARTICIPATION, PARTICIPATION),
    "participation:body_delete": (PARTICIPATION, PARTICIPATION),
    "participation:participant_add": (PARTICIPATION, PARTICIPATION),
    "participation:participant_edit": (PARTICIPATION, PARTICIPATION),
    "participation:participant_erase": (PARTICIPATION, PARTICIPATION),
    "participation:consent_add": (PARTICIPATION, PARTICIPATION),
    "participation:consent_withdraw": (PARTICIPATION, PARTICIPATION),
    "participation:seat_add": (PARTICIPATION, PARTICIPATION),
    "participation:seat_delete": (PARTICIPATION, PARTICIPATION),
    "participation:event_add": (PARTICIPATION, PARTICIPATION),
    "participation:event_edit": (PARTICIPATION, PARTICIPATION),
    "participation:event_delete": (PARTICIPATION, PARTICIPATION),
    "participation:city_contract": (VIEW, VIEW),
    "participation:city_contract_docx": ("contract.export", "contract.export"),
    "participation:city_contract_xlsx": ("contract.export", "contract.export"),
    "participation:city_contract_pdf": ("contract.export", "contract.export"),
    # Issue 16: the regional view reads the user's scope only (no contract in the URL).
    "region:home": (USER, USER),
    "region:export_csv": (USER, USER),
    "region:export_xlsx": (USER, USER),
    "region:export_ods": (USER, USER),
    "region:export_pdf": (USER, USER),
    "region:search": (USER, USER),
    "region:themes": (USER, USER),
    "region:comparison": (USER, USER),
    "region:map": (USER, USER),
    "region:contract_themes": (VIEW, "theme.change"),
    "region:theme_decide": ("theme.change", "theme.change"),
    "region:theme_add": ("theme.change", "theme.change"),
}
# A spreadsheet upload is its author's draft: other users, even allowed, get a 404.
UPLOAD_AUTHOR_ONLY = {"spreadsheets:review", "spreadsheets:apply", "spreadsheets:discard"}
# What a POST sends: a valid form where one is needed to get past validation, so that only
# the permission check stands between the request and a change.
POST_DATA = {
    "contracts:publish": {"op": "publish", "confirmed": "1"},
    "publication:visibility": lambda world: {"indicators": [world["indicator"].pk]},
    "publication:suggestion": {"op": "approve", "answer": "Réponse pirate"},
    "monitoring:evaluation_generate": {"format": "pdf"},
    "monitoring:evaluation": {"synthesis": "Synthèse pirate"},
    "monitoring:action": {"target": "action", "action-status": "done", "action-day": "2026-02-01"},
    "monitoring:indicator": {"form": "value", "value-period": "2026", "value-value": "9"},
    "monitoring:deliverable": {"form": "follow", "follow-is_done": "on", "follow-done_on": "2026-01-20"},
    "actions:edit": lambda world: {
        "title": "Fiche pirate",
        "is_public": "",
        "axis": world["axis"].pk,
        "objective": world["objective"].pk,
    },
    "actions:operation_edit": {"title": "Opération pirate"},
    "actions:deliverable_add": {"deliverable-text": "Livrable pirate"},
    "actions:indicator_add": {
        "indicator-label": "Pirate",
        "indicator-kind": "process",
        "indicator-periodicity": "year",
    },
    "contracts:axis_add": {"axis-title": "Axe pirate"},
    "governance:body_create": {"name": "Instance pirate", "kind": "steering", "min_meetings_per_year": "1"},
    "finance:line_create": {"kind": "other", "year": "2026", "planned_amount": "10"},
    "people:invite": {"email": "pirate@example.org", "role": "coordinator"},
    "people:role_change": {"role": "coordinator"},
    "region:theme_decide": {"state": "rejected"},
    "region:theme_add": lambda world: {"theme": world["action_theme"].theme_id + 1},
    "people:accept": {
        "first_name": "Pi",
        "last_name": "Rate",
        "password1": "Pirate-2026!x",
        "password2": "Pirate-2026!x",
    },
    "campaigns:open": lambda world: {
        "year": "2026",
        "deadline": (datetime.date.today() + datetime.timedelta(days=60)).isoformat(),
    },
    "campaigns:transition": {"comment": "Renvoi pirate"},
    "campaigns:grid": lambda world: grid_data(world),
    "campaigns:grid_action": lambda world: grid_data(world),
    "campaigns:lock": lambda world: {"y2025-meeting": world["meeting"].pk},
    "campaigns:unlock": {"y2024-reason": "Déverrouillage pirate"},
    "diagnosis:row_add": {"label": "Chiffre pirate"},
    "diagnosis:row_edit": {"label": "Chiffre pirate"},
    "diagnosis:row_delete": {"confirmed": "1"},
    "diagnosis:row_move": {"direction": "up"},
    "diagnosis:baselines": lambda world: {"indicators": [world["indicator"].pk], "confirmed": "1"},
    "renewal:evaluation_edit": {"relevance": "Évaluation pirate"},
    "renewal:report_generate": {"format": "pdf"},
    "renewal:renew": {"title": "Contrat pirate", "start_date": "2030-01-01", "end_date": "2034-12-31"},
    "documents:generate": {"format": "pdf"},
    "documents:article_edit": {"number": "1", "title": "Objet pirate", "body": "Texte pirate"},
    "campaigns:api_values": lambda world: {
        "indicator": world["indicator"].pk,
        "period": "2026",
        "value": "7",
    },
}

POST_DATA |= {
    "participation:body_add": {"kind": "participation_lab", "name": "Instance pirate"},
    "participation:body_edit": {"kind": "participation_lab", "name": "Instance pirate"},
    "participation:participant_add": {"participant-name": "Pirate"},
    "participation:participant_edit": {"name": "Pirate"},
    "participation:consent_add": {"consent-purpose": "photo", "consent-given_on": "2026-01-01"},
    "participation:consent_withdraw": {"withdrawn_on": "2026-01-02"},
    "participation:event_add": {"kind": "survey", "title": "Enquête pirate", "date_text": "2026"},
    "participation:event_edit": {"kind": "survey", "title": "Enquête pirate", "date_text": "2026"},
    "participation:seat_add": lambda world: {"seat-governance_body": world["body"].pk, "seat-count": "3"},
}


def grid_data(world):
    """The grid of the action: a new status, the value already entered kept as it is."""
    prefix = f"a{world['action'].pk}"
    return {f"{prefix}-status": "done", f"{prefix}-v{world['indicator'].pk}_2025": "3"}


# Kwargs that are not objects of the world: a year (a route may want another one: 2024 is the
# locked year), a transition's name.
YEARS = {"campaigns:unlock": 2024}
NAMES = {"campaigns:transition": "return"}
# Routes whose POST is not swept: it ends the session the sweep runs in.
NO_POST = {"accounts:logout"}
# Kwargs whose object depends on the route (an action's or an operation's involvement).
INVOLVEMENT = {
    "actions:involvement_remove": "action_involvement",
    "actions:operation_involvement_remove": "operation_involvement",
}
# The object a route's check applies to, when it is not the most specific one of the URL:
# adding to or deleting from an action is a right on the action, not on one of its operations.
CHECK_ON = {
    "actions:operation_add": "action",
    "actions:operation_delete": "action",
    "actions:operation_move": "action",
    "actions:deliverable_add": "action",
    "actions:deliverable_edit": "action",
    "actions:deliverable_delete": "action",
    "actions:indicator_add": "action",
    "actions:indicator_edit": "action",
    "actions:indicator_delete": "action",
    "actions:involvement_remove": "action",
    "actions:operation_involvement_remove": "operation",
    "finance:line_update": "contract",
    "finance:line_delete": "contract",
    "finance:line_create": "contract",
    "campaigns:transition": "action_report",
    "campaigns:grid": "action",
    "campaigns:api_values": "indicator",
    "region:theme_decide": "contract",
    "region:theme_add": "contract",
    "jobs:detail": "job",
    "jobs:download": "job",
    "notifications:open": "notification",
    "notifications:read": "notification",
}
# URL kwarg → key of the object in the world, most specific last.
KWARG_OBJECTS = {
    "pk": "contract",
    "municipality_pk": "municipality",
    "neighbourhood_pk": "neighbourhood",
    "signatory_pk": "signatory",
    "axis_pk": "axis",
    "objective_pk": "objective",
    "action_pk": "action",
    "operation_pk": "operation",
    "involvement_pk": None,  # see INVOLVEMENT
    "deliverable_pk": "deliverable",
    "indicator_pk": "indicator",
    "value_pk": "value",
    "target_pk": "target",
    "evidence_pk": "evidence",
    "report_pk": "report",
    "body_pk": "body",
    "member_pk": "member",
    "meeting_pk": "meeting",
    "item_pk": "item",
    "decision_pk": "decision",
    "amendment_pk": "amendment",
    "organisation_pk": "signatory_organisation",
    "version_pk": "version",
    "notice_pk": "notice",
    "line_pk": "funding_line",
    "upload_pk": "upload",
    "contract_pk": "contract",
    "role_pk": "contract_role",
    "invitation_pk": "invitation",
    "row_pk": "diagnosis_figure",
    "notification_pk": "notification",
    "suggestion_pk": "suggestion",
    "participation_body_pk": "participation_body",
    "participant_pk": "participant",
    "consent_pk": "consent",
    "seat_pk": "seat",
    "event_pk": "participation_event",
    "link_pk": "action_theme",
}
SPECIFICITY = [
    "contract",
    "axis",
    "objective",
    "action",
    "operation",
    "deliverable",
    "indicator",
    "funding_line",
    "value",
    "target",
    "evidence",
]
DENIED = {403, 404, 405}
ROLES = [
    "anonymous",
    "coordinator_a",
    "coordinator_b",
    "lead_a",
    "member_a",
    "ars_a",
    "ars_other",
    "superuser",
]


def url_patterns(patterns=None, namespace=None):
    """(view name, pattern) of every named URL of the project, admin aside (Django's own)."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            inner = namespace
            if pattern.namespace:
                inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            if inner == "admin":
                continue
            yield from url_patterns(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}:{pattern.name}" if namespace and pattern.name else pattern.name
            yield name, pattern


def test_every_url_pattern_is_classified():
    names = [name for name, _pattern in url_patterns()]
    assert None not in names, "every URL pattern has a name, to be classified here"
    assert sorted(set(names) - set(ROUTES)) == [], "classify the new URL in ROUTES (and check its rights)"
    assert sorted(set(ROUTES) - set(names)) == [], "remove the URL gone from ROUTES"


def build_contract(label, region, coordinator):
    contract = factories.ContractFactory(
        title=f"Contrat {label}",
        territory=factories.TerritoryFactory(region=region),
        start_date=datetime.date(2025, 1, 1),
        end_date=datetime.date(2029, 12, 31),
    )
    ContractRole.objects.create(contract=contract, user=coordinator, role=ContractRole.Role.COORDINATOR)
    municipality = factories.MunicipalityFactory(territory=contract.territory)
    axis = factories.AxisFactory(contract=contract)
    objective = factories.ObjectiveFactory(axis=axis)
    lead_org = factories.OrganisationFactory(name=f"Porteur {label}")
    action = factories.ActionFactory(axis=axis, objective=objective, leads=[factories.OrganisationFactory()])
    operation = factories.OperationFactory(action=action, leads=[lead_org])
    deliverable = factories.DeliverableFactory(action=action, operation=operation)
    indicator = factories.IndicatorFactory(action=action, operation=operation)
    signatories = [factories.SignatoryFactory(contract=contract) for _ in range(2)]
    body = GovernanceBodyFactory(contract=contract)
    meeting = MeetingFactory(body=body, minutes_file=SimpleUploadedFile("cr.pdf", b"%PDF-1.4 compte rendu"))
    evaluation = Evaluation.objects.create(contract=contract, year=2025)
    termination = governance_services.termination_record(
        contract,
        signatory=signatories[0],
        notified_on=datetime.date(2026, 1, 5),
        letter_reference="",
        reason="",
        user=coordinator,
    )
    # The evaluation 2025 approved by the COPIL (so that 2025 may be locked); 2024 already locked.
    evaluation_item = AgendaItemFactory(meeting=meeting, evaluation=True)
    evaluation_item.evaluation = evaluation
    evaluation_item.save()
    Decision.objects.create(meeting=meeting, agenda_item=evaluation_item, text="Évaluation 2025 approuvée")
    PeriodLock.objects.create(contract=contract, year=2024, meeting=meeting, locked_by=coordinator)
    campaign = Campaign.objects.create(contract=contract, year=2025, deadline=datetime.date(2026, 3, 31))
    world = {
        "contract": contract,
        "municipality": municipality,
        "neighbourhood": factories.PriorityNeighbourhoodFactory(territory=contract.territory),
        "signatory": signatories[1],
        "signatory_organisation": signatories[1].organisation,
        "axis": axis,
        "objective": objective,
        "action": action,
        "operation": operation,
        "action_involvement": action.involvements.get(),
        "operation_involvement": operation.involvements.get(),
        "deliverable": deliverable,
        "indicator": indicator,
        "value": IndicatorValueFactory(indicator=indicator, year=2025, value="3"),
        "target": IndicatorTargetFactory(indicator=indicator, year=2026, value="5"),
        "evidence": Evidence.objects.create(
            contract=contract,
            deliverable=deliverable,
            file=SimpleUploadedFile("preuve.pdf", b"%PDF-1.4 preuve"),
            original_name="preuve.pdf",
            content_type="application/pdf",
            size=15,
        ),
        "report": EvaluationReport.objects.create(
            contract=contract,
            evaluation=evaluation,
            year=2025,
            format=EvaluationReport.Format.PDF,
            file=SimpleUploadedFile("rapport.pdf", b"%PDF-1.4 rapport"),
            size=16,
            duration_ms=1,
        ),
        "body": body,
        "member": BodyMemberFactory(body=body),
        "meeting": meeting,
        "item": AgendaItemFactory(meeting=meeting),
        "decision": Decision.objects.create(meeting=meeting, text="Décision"),
        "amendment": amendments.amendment_create(contract, title="Avenant 1", user=coordinator),
        "version": ContractVersion.objects.create(
            contract=contract, effective_on=datetime.date(2025, 1, 1), snapshot=contract_to_json(contract)
        ),
        "notice": termination.notices.first(),
        "funding_line": factories.FundingLineFactory(action=action),
        "upload": PlanUploadFactory(contract=contract, user=coordinator),
        "lead_org": lead_org,
        "contract_role": ContractRole.objects.create(
            contract=contract, user=factories.UserFactory(), role=ContractRole.Role.SIGNATORY
        ),
        "invitation": Invitation.objects.create(
            contract=contract,
            email=f"invite-{label.lower()}@example.org",
            role=ContractRole.Role.MEMBER,
            token_hash=hash_token(f"token-{label}"),
            invited_by=coordinator,
            expires_at=timezone.now() + datetime.timedelta(days=14),
        ),
        # The second figure of two: moving it up writes.
        "diagnosis_figure": [
            factories.DiagnosisIndicatorFactory(contract=contract, position=p) for p in (1, 2)
        ][1],
        "campaign": campaign,
        "action_report": ActionReport.objects.create(
            campaign=campaign, action=action, state=ReportState.SUBMITTED
        ),
        "action_theme": ActionTheme.objects.create(
            contract=contract, action=action, theme=Theme.objects.get(code="vaccination")
        ),
    }
    participation_body = ParticipationBody.objects.create(
        contract=contract, kind="participation_lab", name="Labo"
    )
    participant = participation_services.participant_create(
        body=participation_body,
        name=f"Habitante {label}",
        email="h@example.org",
        consent_contact_on=datetime.date(2026, 1, 5),
    )
    world |= {
        "participation_body": participation_body,
        "participant": participant,
        "consent": participant.consents.get(),
        "seat": Seat.objects.create(
            body=participation_body, governance_body=GovernanceBodyFactory(contract=contract, name="COTECH")
        ),
        "participation_event": ParticipationEvent.objects.create(
            contract=contract, kind="workshop", title="Atelier", date_text="juin 2024"
        ),
    }
    assert world["notice"] is not None
    # Issue 14: the fiche made public and a version published, then withdrawn: the contract's
    # readers preview it, the public gets a 404 (B is published again by the fixture).
    world["action"].is_public = True
    world["action"].save()
    publication_services.publish_version(contract, user=coordinator, evaluation_report=world["report"])
    publication_services.unpublish(contract)
    world["suggestion"] = Suggestion.objects.create(
        contract=contract,
        action=action,
        message=f"Suggestion d'un habitant de {label}",
        email="h@example.org",
    )
    return world


@pytest.fixture
def sweep_world(settings):
    # ProConnect configured (explicit endpoints, nothing contacted): its pages answer, not 404.
    proconnect_config.forget_discovery()
    settings.PROCONNECT_ISSUER = settings.PROCONNECT_DISCOVERY_URL = ""
    settings.OIDC_RP_CLIENT_ID, settings.OIDC_RP_CLIENT_SECRET = "client-opencls", "secret-opencls"
    for name, endpoint in [
        ("OIDC_OP_AUTHORIZATION_ENDPOINT", "authorize"),
        ("OIDC_OP_TOKEN_ENDPOINT", "token"),
        ("OIDC_OP_USER_ENDPOINT", "userinfo"),
        ("OIDC_OP_JWKS_ENDPOINT", "jwks"),
        ("PROCONNECT_END_SESSION_ENDPOINT", "session/end"),
    ]:
        setattr(settings, name, f"http://127.0.0.1:9/{endpoint}")
    settings.PROCONNECT_PKCE = "off"
    coordinator_a, coordinator_b = factories.UserFactory(), factories.UserFactory()
    a = build_contract("A", "Hauts-de-France", coordinator_a)
    b = build_contract("B", "Bretagne", coordinator_b)
    b["contract"].is_published = True  # B's public page exists: A's ids must not reach it either
    b["contract"].save()
    lead_a = factories.UserFactory(organisation=a["lead_org"])
    ContractRole.objects.create(contract=a["contract"], user=lead_a, role=ContractRole.Role.LEAD)
    member_a = factories.UserFactory()
    ContractRole.objects.create(contract=a["contract"], user=member_a, role=ContractRole.Role.MEMBER)
    users = {
        "anonymous": AnonymousUser(),
        "coordinator_a": coordinator_a,
        "coordinator_b": coordinator_b,
        "lead_a": lead_a,
        "member_a": member_a,
        "ars_a": factories.UserFactory(ars_region="Hauts-de-France"),
        "ars_other": factories.UserFactory(ars_region="Occitanie"),
        "superuser": factories.UserFactory(is_superuser=True, is_staff=True),
    }
    document_import = DocumentImportFactory(user=coordinator_a)
    # A finished report job asked by a member (whose right to generate it is gone, or never was):
    # its coordinators and the member see it; only the coordinators download its result.
    a["job"] = Job.objects.create(
        kind=EVALUATION_REPORT,
        label="Rapport d'évaluation 2025 (PDF)",
        params={"year": 2025, "fmt": "pdf"},
        requested_by=member_a,
        contract=a["contract"],
        status=Job.Status.DONE,
        progress=100,
        result_filename="rapport-job.pdf",
    )
    a["job"].result.save("rapport-job.pdf", SimpleUploadedFile("rapport-job.pdf", b"%PDF-1.4 rapport"))
    a["notification"] = Notification.objects.create(
        user=lead_a, contract=a["contract"], kind=Kind.REMINDER, title="Rappel", url="/mes-fiches/"
    )
    return a, b, users, document_import


def route_kwargs(name, pattern, world, document_import):
    kwargs = {}
    for key in pattern.pattern.converters:
        if name.startswith("imports:") and key == "pk":
            kwargs[key] = document_import.pk
        elif name.startswith("jobs:") and key == "pk":
            kwargs[key] = world["job"].pk
        elif key == "involvement_pk":
            kwargs[key] = world[INVOLVEMENT[name]].pk
        elif key == "year":
            kwargs[key] = YEARS.get(name, 2025)
        elif key == "name":
            kwargs[key] = NAMES[name]
        elif key == "kind":
            kwargs[key] = "chiffres"
        elif key == "code":
            kwargs[key] = "32"
        elif key == "key":
            kwargs[key] = "objet"
        elif key == "section":
            kwargs[key] = "axes"
        elif key == "file_format":
            kwargs[key] = "xlsx"
        elif key == "uidb64":
            kwargs[key] = "MQ"
        elif key == "token":
            kwargs[key] = "set-password"
        else:
            kwargs[key] = world[KWARG_OBJECTS[key]].pk
    return kwargs


def checked_object(name, pattern, world):
    keys = {KWARG_OBJECTS.get(key) for key in pattern.pattern.converters}
    if name in CHECK_ON:
        return world[CHECK_ON[name]]
    return world[max((k for k in keys if k in SPECIFICITY), key=SPECIFICITY.index, default="contract")]


def allowed(code, user, obj, document_import):
    if code == PUBLIC:
        return True
    if code == USER:
        return user.is_authenticated
    if code == CREATE:
        return can_create_contract(user)
    if code == OWNER:
        return user.is_authenticated and user.pk == document_import.user_id
    if code == OWNER_CREATE:
        return allowed(OWNER, user, obj, document_import) and can_create_contract(user)
    if code in (OWNER_VIEW, OWNER_CHANGE):
        right = "contract.view" if code == OWNER_VIEW else "contract.change"
        return allowed(OWNER, user, obj, document_import) and can(user, right, obj)
    if code == BAD_TOKEN:
        return False
    if code == RENEW:
        return can(user, CHANGE, obj) and can_create_contract(user)
    if code == PUBLISHED:
        return obj.is_published
    if code == RECIPIENT:
        return user.is_authenticated and user.pk == obj.user_id
    if code == GRID:
        return can(user, "indicator_value.change", obj) or any(
            can(user, "indicator_value.change", operation) for operation in obj.operations.all()
        )
    if code == JOB:
        return user.is_authenticated and (user.pk == obj.requested_by_id or can(user, CHANGE, obj))
    if code == JOB_RESULT:
        return allowed(JOB, user, obj, document_import) and can(user, KINDS[obj.kind].permission, obj)
    return can(user, code, obj)


def database_state():
    """Row counts of every table OpenCLS owns (history tables included), in one query."""
    tables = [
        table
        for table in connection.introspection.table_names()
        if table.split("_")[0] in {"accounts", "actions", "contracts", "core", "finance", "governance"}
        or table.split("_")[0]
        in {
            "imports",
            "monitoring",
            "spreadsheets",
            "territories",
            "people",
            "campaigns",
            "jobs",
            "publication",
            "participation",
            "region",
            "documents",
        }
        or table.split("_")[0] in {"diagnosis", "renewal"}
        or table.startswith("notifications_")
        or table.startswith("django_tasks_database")
        or table.startswith("authtoken_")
    ]
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(f"(SELECT COUNT(*) FROM {t})" for t in tables))
        return dict(zip(tables, cursor.fetchone(), strict=True))


def client_for(user):
    client = Client(raise_request_exception=False)
    if user.is_authenticated:
        client.force_login(user)
    return client


def forget_cached_rights(user):
    for key in ("_opencls_roles", "_opencls_led_work"):
        user.__dict__.pop(key, None)


@pytest.mark.parametrize("role", ROLES)
def test_every_url_for_every_role(sweep_world, role):
    a, _b, users, document_import = sweep_world
    user = users[role]
    client = client_for(user)
    wrong = []
    for name, pattern in url_patterns():
        url = reverse(name, kwargs=route_kwargs(name, pattern, a, document_import))
        obj = checked_object(name, pattern, a)
        read_code, write_code = ROUTES[name]
        forget_cached_rights(user)
        may_read = allowed(read_code, user, obj, document_import)
        may_write = allowed(write_code, user, obj, document_import)
        if name in UPLOAD_AUTHOR_ONLY and user != a["upload"].user:
            may_read = may_write = False
        before = database_state()
        response = client.get(url)
        status = response.status_code
        if (after := database_state()) != before:  # reading generates nothing, whoever reads
            wrong.append(f"GET {name}: changed {sorted(t for t in after if after[t] != before[t])}")
        if status >= 500:
            wrong.append(f"GET {name}: {status}")
        elif may_read and status in (403, 404):
            wrong.append(f"GET {name}: {status} while allowed")
        elif not may_read and status not in DENIED and not _to_login(response, user):
            wrong.append(f"GET {name}: {status} while not allowed")
        if may_write or name in NO_POST:
            continue
        before = database_state()
        data = POST_DATA.get(name, {})
        response = client.post(url, data(a) if callable(data) else data)
        if response.status_code >= 500:
            wrong.append(f"POST {name}: {response.status_code}")
        elif (after := database_state()) != before:
            changed = sorted(t for t in after if after[t] != before[t])
            wrong.append(f"POST {name}: {response.status_code} and changed {changed}")
        elif response.status_code not in DENIED and not _to_login(response, user):
            wrong.append(f"POST {name}: {response.status_code} while not allowed")
    assert not wrong, "\n".join(wrong)


def _to_login(response, user) -> bool:
    return not user.is_authenticated and response.status_code == 302 and "/comptes/" in response["Location"]


def test_ids_of_another_contract_are_404_under_this_one(sweep_world):
    """Contract A's URL with B's child ids, by A's coordinator: nothing of B is reached."""
    a, b, users, document_import = sweep_world
    client = client_for(users["coordinator_a"])
    wrong = []
    before = database_state()
    for name, pattern in url_patterns():
        converters = set(pattern.pattern.converters)
        if "pk" not in converters or not converters & (set(KWARG_OBJECTS) - {"pk"}):
            continue
        if name.startswith("imports:"):
            continue
        kwargs = route_kwargs(name, pattern, b, document_import)
        kwargs["pk"] = a["contract"].pk
        url = reverse(name, kwargs=kwargs)
        for method in (client.get, client.post):
            status = method(url, {}).status_code
            if status not in (404, 405):
                wrong.append(f"{method.__name__.upper()} {name}: {status}")
    assert not wrong, "\n".join(wrong)
    assert database_state() == before


@pytest.mark.parametrize("name", sorted(name for name in POST_DATA if ROUTES[name][1] != BAD_TOKEN))
def test_post_data_gets_past_validation(sweep_world, name):
    """The sweep's POST data is valid: sent by a superuser it writes, so that for the other roles
    only the permission check stands between the request and the change (a test that can fail)."""
    a, _b, users, document_import = sweep_world
    pattern = dict(url_patterns())[name]
    url = reverse(name, kwargs=route_kwargs(name, pattern, a, document_import))
    data = POST_DATA[name]
    before = database_state()
    response = client_for(users["superuser"]).post(url, data(a) if callable(data) else data)
    assert response.status_code < 400
    assert database_state() != before
