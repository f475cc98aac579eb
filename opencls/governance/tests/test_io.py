from datetime import date

import pytest

from opencls.accounts.models import Organisation
from opencls.contracts.io import ContractJsonError, contract_from_json, contract_to_json
from opencls.contracts.models import Contract
from opencls.governance.io import KEY
from opencls.governance.models import BodyMember, GovernanceBody, SignatureState
from opencls.governance.services import signature_state_update
from opencls.governance.tests.factories import BodyMemberFactory, GovernanceBodyFactory
from opencls.testing import factories

pytestmark = pytest.mark.django_db


def test_export_import_export_keeps_bodies_signatures_and_deliberations():
    contract = factories.ContractFactory()
    willems = factories.SignatoryFactory(
        contract=contract,
        organisation=factories.OrganisationFactory(name="Commune de Willems", kind="municipality"),
    )
    factories.SignatoryFactory(contract=contract)
    signature_state_update(
        willems,
        user=None,
        signed_on=None,
        deliberation_required=True,
        deliberation={
            "number": "XXXXXX",
            "date": None,
            "body": "conseil municipal",
            "stated_text": "n°XXXXXX du XXXXXXXXXX 2025",
        },
    )
    copil = GovernanceBodyFactory(contract=contract, copil=True, rotating_co_chair=True)
    BodyMemberFactory(
        body=copil, role=BodyMember.Role.CO_CHAIR, email="elue@exemple.fr", represents_linked_council=True
    )
    exported = contract_to_json(contract)
    assert exported["extensions"][KEY]["signatures"][0]["deliberation"]["number"] == "XXXXXX"

    copy = contract_from_json(exported)

    assert contract_to_json(copy) == exported
    state = SignatureState.objects.get(signatory__contract=copy)
    assert state.deliberation_missing and state.deliberation.stated_text == "n°XXXXXX du XXXXXXXXXX 2025"
    assert GovernanceBody.objects.get(contract=copy).rotating_co_chair


def test_a_contract_without_governance_data_exports_no_section():
    assert KEY not in contract_to_json(factories.ContractFactory()).get("extensions", {})


def test_an_importer_may_name_a_party_as_the_document_does():
    data = contract_to_json(factories.ContractFactory())
    data["contract"]["signatories"] = [
        {"organisation": "Commune de Willems"},
        {"organisation": "Commune de Gruson"},
    ]
    data["contract"]["organisations"] = [{"name": "Commune de Willems", "kind": "municipality"}]
    data["extensions"] = {
        KEY: {
            "signatures": [
                {
                    "organisation": "Willems",
                    "deliberation": {
                        "number": "XXXXXX",
                        "date": None,
                        "stated_text": "n°XXXXXX du XXXXXXXXXX 2025",
                    },
                },
                {"organisation": "Gruson", "deliberation": {"number": "2024-36", "date": "2024-12-06"}},
            ]
        }
    }
    contract = contract_from_json(data)
    states = {s.signatory.organisation.name: s for s in SignatureState.objects.filter(contract=contract)}
    assert states["Commune de Willems"].deliberation_missing
    assert not states["Commune de Gruson"].deliberation_missing
    assert states["Commune de Gruson"].deliberation.date == date(2024, 12, 6)
    assert contract.status == Contract.Status.DRAFT


def test_bad_governance_data_is_refused_in_french_and_nothing_is_created():
    data = contract_to_json(factories.ContractFactory())
    data["contract"]["signatories"] = [{"organisation": "ARS Hauts-de-France"}]
    data["extensions"] = {KEY: {"signatures": [{"organisation": "Commune inconnue"}], "bodies": []}}
    before = Contract.objects.count()
    with pytest.raises(ContractJsonError) as error:
        contract_from_json(data)
    assert error.value.messages == [
        "extensions/governance/signatures/0 : « Commune inconnue » n'est pas signataire du contrat."
    ]
    data["extensions"][KEY] = {"bodies": [{"kind": "copil", "name": "COPIL"}]}
    with pytest.raises(ContractJsonError) as error:
        contract_from_json(data)
    assert error.value.messages[0].startswith(
        "extensions/governance/bodies/0/kind : valeur « copil » inconnue"
    )
    assert Contract.objects.count() == before
    assert not Organisation.objects.filter(name="Commune inconnue").exists()
