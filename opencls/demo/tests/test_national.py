"""The synthetic country of `generate_national`: spread over every région, deterministic."""

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from opencls.accounts.models import User
from opencls.actions.models import Action
from opencls.contracts.models import Contract
from opencls.demo.national import generate
from opencls.monitoring.models import IndicatorValue

pytestmark = pytest.mark.django_db


def test_contracts_spread_over_every_region_with_their_readers():
    report = generate(contracts=20, seed=1, say=lambda message: None)
    regions = set(Contract.objects.values_list("territory__region_code", flat=True))
    assert len(regions) == 18 and len(report.ars_logins) == 18
    reader = User.objects.get(username="ars-32")
    assert reader.ars_region == "Hauts-de-France" and reader.check_password("opencls-national")
    contract = Contract.objects.filter(territory__region_code="32").first()
    assert contract.territory.municipalities.exists() and all(
        m.insee_code for m in contract.territory.municipalities.all()
    )
    # Each published contract has its first published version: the public page and open data.
    from opencls.publication.models import PublishedVersion

    published = Contract.objects.filter(is_published=True)
    assert published.exists() and PublishedVersion.objects.count() == published.count()
    actions = Action.objects.filter(contract=contract).count()
    assert 14 <= actions <= 26
    assert IndicatorValue.objects.filter(contract=contract).count() == actions * 2 * 5


def test_same_seed_same_country():
    def country():
        return list(
            Contract.objects.order_by("pk").values_list("title", "start_date", "status", "is_published")
        )

    with transaction.atomic():
        generate(contracts=5, seed=7, say=lambda message: None)
        first = country()
        transaction.set_rollback(True)
    generate(contracts=5, seed=7, say=lambda message: None)
    assert country() == first and len(first) == 5


def test_command_refuses_to_generate_twice(capsys):
    call_command("generate_national", "--contracts", "2")
    assert "Généré en" in capsys.readouterr().out
    with pytest.raises(CommandError, match="déjà générées"):
        call_command("generate_national", "--contracts", "2")
