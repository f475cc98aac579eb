"""`load_demo` publishes a version of each seed, with public indicators and an answered question."""

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils.html import escape

from opencls.actions.models import Indicator
from opencls.contracts.models import Contract
from opencls.publication.models import PublishedVersion, Suggestion

pytestmark = pytest.mark.django_db


def test_the_demo_publishes_each_seed_once(client):
    call_command("load_demo")
    call_command("load_demo")  # idempotent: no second version
    for contract in Contract.objects.all():
        assert contract.is_published
        version = PublishedVersion.objects.get(contract=contract)
        assert version.number == 1
        assert Indicator.objects.filter(action__contract=contract, is_public=True).exists()
        suggestion = Suggestion.objects.get(contract=contract, state=Suggestion.State.APPROVED)
        page = client.get(
            reverse("publication:action", args=[contract.pk, suggestion.action_id])
        ).content.decode()
        assert escape(suggestion.message) in page and escape(suggestion.answer) in page
        assert "<svg" in client.get(reverse("contracts:public_detail", args=[contract.pk])).content.decode()
    # The citizen pages show themes, participation, QPV and breakdowns (issue 14) from the demo.
    snapshots = [v.snapshot for v in PublishedVersion.objects.all()]
    actions = [a for s in snapshots for axis in s["contract"]["axes"] for a in axis["actions"]]
    assert any(a["themes"] for a in actions) and any(a["neighbourhoods"] for a in actions)
    assert any(s["participation"]["events"] for s in snapshots)
    indicators = [
        i for a in actions for i in a["indicators"] + [i for op in a["operations"] for i in op["indicators"]]
    ]
    assert any(v.get("breakdown") for i in indicators for v in i["values"])
    with_events = next(v for v in PublishedVersion.objects.all() if v.snapshot["participation"]["events"])
    page = client.get(reverse("contracts:public_detail", args=[with_events.contract_id])).content.decode()
    assert "Participation des habitants" in page and "fr-tag" in page
