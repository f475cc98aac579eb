"""An untouched form saves no change (issue 12).

The walker opens every page of one rich contract reachable from its tabs, as its coordinator,
and sends back every edit form exactly as a browser would with nothing touched (textareas
with CRLF line endings, as browsers send them). Not one history row may appear, anywhere.
"""

import datetime
import html
import re
from decimal import Decimal
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from django.apps import apps
from django.urls import reverse

from opencls.contracts.models import ContractRole
from opencls.finance.tests.factories import CoordinatorPostFundingFactory
from opencls.governance.tests.factories import (
    AgendaItemFactory,
    BodyMemberFactory,
    GovernanceBodyFactory,
    MeetingFactory,
)
from opencls.monitoring.tests.factories import DeliverableFollowUpFactory, EvaluationFactory
from opencls.participation import services as participation_services
from opencls.participation.models import ParticipationBody, ParticipationEvent, Seat
from opencls.testing import factories

pytestmark = pytest.mark.django_db

# Posting these would create, delete, move, cancel, import or generate: not an edit.
NOT_EDITS = re.compile(
    r"supprimer|deplacer|ajouter|nouveau|nouvelle|abandon|annulation|retrait|retirer|par-defaut|"
    r"fin-du-prs|publication|importer|deconnexion|logout|rapport|generer|tableur|preuves|signataire/$|axe/$|"
    r"fiche-action/$|recherche|organisations/$"
)
SKIPPED_LINKS = re.compile(r"\.(pdf|xlsx|ods|csv|ics|json|docx|pptx)$|imprimer|/api/|deconnexion")
# Forms on a page that add a dated entry rather than edit one.
ADDING_FORMS = {"status", "evidence", "value", "target", "proposal", "report"}
MULTILINE = "Première ligne du texte\nDeuxième ligne, accentuée : é à ç\n\nTroisième paragraphe"


class FormParser(HTMLParser):
    """The POST forms of a page and what a browser would send for each, untouched."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms, self.links = [], []
        self.form = self.select = self.textarea = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        elif tag == "form":
            self.form = {
                "method": (a.get("method") or "get").lower(),
                "action": a.get("action") or "",
                "fields": [],
                "files": False,
            }
        elif self.form is None:
            return
        elif tag == "input":
            kind = (a.get("type") or "text").lower()
            if kind == "file":
                self.form["files"] = True
            if "disabled" in a or not a.get("name") or kind in ("submit", "button", "file", "reset", "image"):
                return
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self.form["fields"].append((a["name"], a.get("value", "on")))
            else:
                self.form["fields"].append((a["name"], a.get("value", "")))
        elif tag == "select" and "disabled" not in a and a.get("name"):
            self.select = {"name": a["name"], "multiple": "multiple" in a, "options": [], "selected": []}
        elif tag == "option" and self.select is not None:
            value = a.get("value", "")
            self.select["options"].append(value)
            if "selected" in a:
                self.select["selected"].append(value)
        elif tag == "textarea" and "disabled" not in a and a.get("name"):
            self.textarea = {"name": a["name"], "text": ""}

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea["text"] += data

    def handle_endtag(self, tag):
        if self.form is None:
            return
        if tag == "select" and self.select is not None:
            chosen = self.select["selected"] or (
                [] if self.select["multiple"] or not self.select["options"] else self.select["options"][:1]
            )
            self.form["fields"].extend((self.select["name"], value) for value in chosen)
            self.select = None
        elif tag == "textarea" and self.textarea is not None:
            text = self.textarea["text"]
            text = text[1:] if text.startswith("\n") else text  # the newline after <textarea> is markup
            self.form["fields"].append((self.textarea["name"], text.replace("\n", "\r\n")))  # as browsers do
            self.textarea = None
        elif tag == "form":
            self.forms.append(self.form)
            self.form = None


def history_count() -> int:
    return sum(
        model.objects.count() for model in apps.get_models() if model.__name__.startswith("Historical")
    )


def latest_changes() -> list:
    """What the newest history rows say changed (for the failure message)."""
    found = []
    for model in apps.get_models():
        if model.__name__.startswith("Historical"):
            record = model.objects.order_by("-history_id").first()
            if record is not None:
                previous = record.prev_record
                fields = (
                    [(c.field, c.old, c.new) for c in record.diff_against(previous).changes]
                    if previous
                    else "created"
                )
                found.append((record.history_date, model.__name__, fields))
    return [item[1:] for item in sorted(found, reverse=True)[:1]]


@pytest.fixture
def rich_contract():
    contract = factories.ContractFactory(
        start_date=datetime.date(2025, 1, 1), end_date=datetime.date(2029, 12, 31), summary=MULTILINE
    )
    territory = contract.territory
    city = factories.MunicipalityFactory(territory=territory, name="Liévin")
    north = factories.PriorityNeighbourhoodFactory(territory=territory, name="Quartier Nord", code="QN06201M")
    north.municipalities.add(city)
    organisation = factories.OrganisationFactory(name="Association Prisme")
    factories.SignatoryFactory(contract=contract, organisation=organisation, representative="Camille Martin")
    axis = factories.AxisFactory(contract=contract, code="1", title="Accès aux soins", description=MULTILINE)
    objective = factories.ObjectiveFactory(axis=axis, title="Faciliter l'accès aux droits")
    action = factories.ActionFactory(
        axis=axis, objective=objective, title="Maison de santé", leads=[organisation]
    )
    action.context = action.description = MULTILINE
    action.save()
    operation = factories.OperationFactory(action=action, title="Étude", leads=[organisation])
    deliverable = factories.DeliverableFactory(action=action, operation=operation)
    DeliverableFollowUpFactory(deliverable=deliverable, comment=MULTILINE)
    factories.IndicatorFactory(action=action, label="Nombre de sessions")
    factories.FundingLineFactory(action=action)
    body = GovernanceBodyFactory(contract=contract, copil=True, description=MULTILINE)
    BodyMemberFactory(body=body, organisation=organisation)
    meeting = MeetingFactory(body=body)
    AgendaItemFactory(meeting=meeting)
    CoordinatorPostFundingFactory(contract=contract)
    EvaluationFactory(contract=contract, year=2026, synthesis=MULTILINE)
    # Issue 14: QPV served, participation body, member with consent, seat, event.
    action.neighbourhoods.add(north)
    action.qpv_public_share, action.qpv_public_share_basis = Decimal("35.5"), "estimated"
    action.participation_level = "concertation"
    action.save()
    operation.neighbourhoods.add(north)
    lab = ParticipationBody.objects.create(
        contract=contract, kind="citizen_council", name="Conseil", neighbourhood=north
    )
    member = participation_services.participant_create(
        body=lab, name="Nadia", email="n@example.org", consent_contact_on=datetime.date(2026, 1, 5)
    )
    Seat.objects.create(body=lab, governance_body=body, holder=member)
    event = ParticipationEvent.objects.create(
        contract=contract, kind="workshop", title="Atelier", date_text="juin 2024", what_changed=MULTILINE
    )
    event.actions.add(action)
    event.axes.add(axis)
    return contract


def test_every_untouched_edit_form_of_a_contract_saves_nothing(client, rich_contract):
    contract = rich_contract
    client.force_login(factories.user_with_role(contract, ContractRole.Role.COORDINATOR))
    prefix = f"/contrats/{contract.pk}/"
    to_visit = [
        reverse("contracts:detail", args=[contract.pk]),
        reverse("contracts:edit", args=[contract.pk]),
        reverse("monitoring:dashboard", args=[contract.pk]),
        reverse("governance:overview", args=[contract.pk]),
        reverse("finance:overview", args=[contract.pk]),
        reverse("participation:overview", args=[contract.pk]),
    ]
    seen, submitted, saved, offenders = set(), [], [], []
    before = history_count()
    while to_visit and len(seen) < 150:
        page_url = to_visit.pop(0)
        if page_url in seen:
            continue
        seen.add(page_url)
        response = client.get(page_url)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        parser = FormParser()
        parser.feed(response.content.decode())
        for href in parser.links:
            target = urlsplit(urljoin(page_url, html.unescape(href)))
            if target.path.startswith(prefix) and not SKIPPED_LINKS.search(target.path):
                link = target.path + (f"?{target.query}" if target.query else "")
                if link not in seen:
                    to_visit.append(link)
        for form in parser.forms:
            action = urljoin(page_url, html.unescape(form["action"])) or page_url
            data = {}
            for name, value in form["fields"]:
                data.setdefault(name, []).append(value)
            if (
                form["method"] != "post"
                or form["files"]
                or NOT_EDITS.search(urlsplit(action).path)
                or set(data.get("form", [])) & ADDING_FORMS
                or not (set(data) - {"csrfmiddlewaretoken", "form"})
            ):
                continue
            data.pop("csrfmiddlewaretoken", None)
            response = client.post(action, data)
            submitted.append(action)
            if response.status_code == 302:
                saved.append(action)
            after = history_count()
            if after != before:
                offenders.append((action, page_url, after - before, latest_changes()))
                before = after
    assert offenders == [], "\n".join(map(str, offenders))
    # The walk really went through the editor, the follow-up, governance and finance.
    assert len(seen) > 20, seen
    assert len(saved) >= 10, (submitted, saved)
    for part in ("/edition/", "/actions/", "/gouvernance/", "/financements/"):
        assert any(part in url for url in saved), (part, saved)


def test_crlf_from_a_browser_on_descriptif_records_only_descriptif(client, rich_contract):
    """The case of the issue: only « Descriptif » edited; « Contexte et enjeux » came back in CRLF."""
    contract = rich_contract
    action = contract.actions.get()
    client.force_login(factories.user_with_role(contract, ContractRole.Role.COORDINATOR))
    edit_url = reverse("actions:edit", args=[contract.pk, action.pk])
    parser = FormParser()
    parser.feed(client.get(edit_url).content.decode())
    form = next(f for f in parser.forms if any(name == "description" for name, _v in f["fields"]))
    data = dict(form["fields"])
    assert "\r\n" in data["context"]  # the browser's line endings
    data["description"] = data["description"] + "\r\nUne phrase ajoutée."
    data.pop("csrfmiddlewaretoken", None)
    count = action.history.count()
    response = client.post(urljoin(edit_url, form["action"]) or edit_url, data)
    assert response.status_code == 302
    assert action.history.count() == count + 1
    latest = action.history.first()
    changed = latest.diff_against(latest.prev_record).changed_fields
    assert changed == ["description"]
    action.refresh_from_db()
    assert action.context == MULTILINE and "\r" not in action.description
