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
