import copy
import json

import pytest
from django.core.management import call_command

from opencls.actions.models import Action, FundingLine, Indicator, Involvement
from opencls.contracts.io import (
    ContractJsonError,
    contract_from_json,
    contract_to_json,
    validate_contract_json,
)
from opencls.contracts.models import Contract, ContractRole
from opencls.testing import factories

pytestmark = pytest.mark.django_db


def full_contract():
    """A contract using every part of the schema."""
    contract = factories.ContractFactory(
        short_name="CLSI2M", regional_health_plan="PRS 2018-2028", summary="Édito"
    )
    territory = contract.territory
    territory.stated_population = 77743
    territory.save()
    qpv = factories.PriorityNeighbourhoodFactory(territory=territory, name="Pont de Bois")
    commune = factories.MunicipalityFactory(
        territory=territory,
        name="Villeneuve d'Ascq",
        insee_code="59009",
        population=62067,
        population_year=2021,
        neighbourhood_inhabitants=5000,
        stated_neighbourhood_share="8.06",
    )
    commune.neighbourhoods.add(qpv)
    factories.SignatoryFactory(contract=contract, representative_title="Maire")
    factories.DiagnosisIndicatorFactory(contract=contract, year="2021", source="INSEE")
    axis = factories.AxisFactory(contract=contract, code="1")
    parent = factories.ObjectiveFactory(axis=axis, code="1.1")
    child = factories.ObjectiveFactory(axis=axis, parent=parent, code="1.1.1")
    lead = factories.OrganisationFactory(name="Addictions France")
    action = factories.ActionFactory(
        axis=axis, code="FA 1.1", objective=child, schedule="Premier semestre 2026", leads=[lead]
    )
    operation = factories.OperationFactory(
        action=action, leads=[factories.OrganisationFactory(name="PRISME")]
    )
    factories.DeliverableFactory(action=action)
    factories.DeliverableFactory(action=action, operation=operation, text="Au moins un évènement")
    factories.IndicatorFactory(
        action=action, operation=operation, kind=Indicator.Kind.RESULT, unit="personnes"
    )
    factories.FundingLineFactory(action=action, planned_amount="1500.50", granted_amount="1000")
    factories.FundingLineFactory(
        action=action, operation=operation, funder=None, kind=FundingLine.Kind.IN_KIND
    )
    return contract


def test_export_import_export_is_identical():
    first = contract_to_json(full_contract())
    copy_ = contract_from_json(copy.deepcopy(first))
    assert contract_to_json(copy_) == first
    assert copy_.pk != Contract.objects.order_by("pk").first().pk


def test_export_holds_the_nested_structure():
    data = contract_to_json(full_contract())["contract"]
    objective = data["axes"][0]["objectives"][0]
    assert objective["code"] == "1.1" and objective["children"][0]["code"] == "1.1.1"
    action = data["axes"][0]["actions"][0]
    assert action["objective"] == "1.1.1"
    assert action["leads"] == ["Addictions France"]
    assert action["operations"][0]["leads"] == ["PRISME"]
    assert action["operations"][0]["deliverables"] == [{"text": "Au moins un évènement"}]
    assert action["funding_lines"][0]["planned_amount"] == "1500.50"
    municipality = data["territory"]["municipalities"][0]
    assert municipality["stated_neighbourhood_share"] == "8.06"
    assert municipality["neighbourhoods"] == ["Pont de Bois"]


def test_import_makes_the_user_coordinator_and_dedupes_organisations():
    data = contract_to_json(full_contract())
    data["contract"]["axes"][0]["actions"][0]["partners"] = [
        "ADDICTIONS FRANCE"
    ]  # same organisation, other case
    user = factories.UserFactory()
    contract = contract_from_json(data, user=user)
    assert ContractRole.objects.get(contract=contract).user == user
    action = Action.objects.get(contract=contract)
    organisations = {i.involvement: i.organisation.name for i in action.involvements.all()}
    assert organisations == {Involvement.LEAD: "Addictions France", Involvement.PARTNER: "Addictions France"}


def test_errors_are_in_french_and_say_where():
    data = contract_to_json(full_contract())
    data["contract"]["kind"] = "contrat"
    del data["contract"]["axes"][0]["title"]
    errors = validate_contract_json(data)
    assert (
        "contract/kind : valeur « contrat » inconnue (valeurs possibles : cls, clsi, clsm, city_contract_health, asv)"
        in errors
    )
    assert "contract/axes/0 : champ obligatoire manquant : title" in errors


def test_duplicate_action_code_and_unknown_objective_are_refused():
    data = contract_to_json(full_contract())
    axis = data["contract"]["axes"][0]
    axis["actions"].append(copy.deepcopy(axis["actions"][0]))
    axis["actions"][1]["objective"] = "9.9"
    errors = validate_contract_json(data)
    assert any("le code d'action « FA 1.1 » est déjà utilisé" in e for e in errors)
    assert any("l'objectif « 9.9 » n'existe pas dans cet axe" in e for e in errors)


def test_a_failing_import_writes_nothing():
    data = contract_to_json(full_contract())
    data["contract"]["axes"][0]["actions"][0]["title"] = "x" * 600  # refused by the model, late in the load
    before = Contract.objects.count(), Action.objects.count()
    with pytest.raises(ContractJsonError) as error:
        contract_from_json(data)
    assert "contract/axes/0/actions/0 / title" in error.value.messages[0]
    assert (Contract.objects.count(), Action.objects.count()) == before


def test_commands_round_trip(tmp_path, capsys):
    contract = full_contract()
    call_command("export_contract", str(contract.pk))
    exported = capsys.readouterr().out
    path = tmp_path / "c.json"
    path.write_text(exported, encoding="utf-8")
    call_command("load_contract", str(path))
    new = Contract.objects.order_by("-pk").first()
    assert json.loads(exported) == contract_to_json(new)
