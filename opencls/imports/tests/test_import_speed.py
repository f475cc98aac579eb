"""Issue 17: saving an import goes through the loader's bulk path — organisations resolved at once,
one insert per kind of row with its history rows, no per-row foreign key check — in one transaction,
with a pinned number of queries; the history page still shows what the import created."""

import copy

import pytest
from django.db import connection

from opencls.actions.models import Action, Indicator, Operation, OperationOrganisation
from opencls.contracts.io import ContractJsonError, contract_from_json, contract_to_json
from opencls.contracts.models import Contract
from opencls.governance.models import BodyMember
from opencls.imports.tests.test_extraction import extracted

# Queries to save seed 004 as read from its text (1 651 before issue 17, without its governance bodies
# and co-financing). SQLite inserts in smaller
# batches than PostgreSQL (999 variables per statement).
# 004 now carries 6 diagnosis figures read in its sentences (one insert and its history rows), and
# indicators have more columns (measure, public values, baseline): SQLite batches them in more inserts.
QUERIES_004 = {"postgresql": 43, "sqlite": 51}


@pytest.mark.django_db
def test_saving_004_takes_a_pinned_number_of_queries(django_assert_num_queries):
    data = extracted("004", "txt")

    with django_assert_num_queries(QUERIES_004[connection.vendor]):
        contract = contract_from_json(data)

    assert contract.actions.count() == 15


@pytest.mark.django_db
def test_bulk_rows_have_their_history_rows():
    contract = contract_from_json(extracted("004", "txt"))

    for model, rows in (
        (Action, Action.objects.filter(contract=contract)),
        (Operation, Operation.objects.filter(action__contract=contract)),
        (OperationOrganisation, OperationOrganisation.objects.filter(operation__action__contract=contract)),
        (Indicator, Indicator.objects.filter(action__contract=contract)),
        (BodyMember, BodyMember.objects.filter(body__contract=contract)),
    ):
        ids = set(rows.values_list("pk", flat=True))
        assert ids and set(model.history.filter(id__in=ids).values_list("id", flat=True)) == ids, model


@pytest.mark.django_db
def test_a_bad_row_deep_in_the_plan_writes_nothing_and_says_where():
    data = copy.deepcopy(extracted("004", "txt"))  # the extraction is cached for the module's tests
    data["contract"]["axes"][2]["actions"][1]["operations"][0]["indicators"][0]["label"] = "x" * 600

    with pytest.raises(ContractJsonError) as raised:
        contract_from_json(data)

    assert Contract.objects.count() == 0
    assert raised.value.messages[0].startswith(
        "contract/axes/2/actions/1/operations/0/indicators/0 / label :"
    )


@pytest.mark.django_db
def test_load_contract_of_an_export_gives_the_same_export():
    first = contract_to_json(contract_from_json(extracted("004", "txt")))

    again = contract_to_json(contract_from_json(first))

    assert again == first
