import pytest

from opencls.accounts.models import Organisation
from opencls.actions.models import Action, Involvement, OperationOrganisation
from opencls.contracts.io import ContractJsonError, contract_from_json
from opencls.contracts.models import Contract, ContractRole
from opencls.imports.services import apply_changes, document_import_save, extract_document, import_document
from opencls.imports.tests.expected import DOCUMENTS, SEEDS
from opencls.imports.tests.factories import DocumentImportFactory
from opencls.territories.models import Territory
from opencls.testing.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_importing_003_creates_a_draft_contract_with_its_coordinator():
    user = UserFactory()
    contract = import_document(DOCUMENTS["003"]["txt"], "003_cls_lens_lievin.txt", user=user)
    assert contract.status == Contract.Status.DRAFT
    assert contract.title == "Contrat local de santé de la Communauté d'Agglomération de Lens-Liévin"
    assert ContractRole.objects.filter(
        contract=contract, user=user, role=ContractRole.Role.COORDINATOR
    ).exists()
    territory = contract.territory
    assert (territory.name, territory.kind) == ("Communauté d'Agglomération de Lens-Liévin", "epci")
    assert (territory.stated_municipality_count, territory.stated_population) == (36, 242587)
    assert (territory.stated_neighbourhood_count, territory.stated_neighbourhood_inhabitants) == (21, 55000)
    angres = territory.municipalities.get(name="Angres")
    assert (angres.population, angres.neighbourhood_inhabitants, str(angres.stated_neighbourhood_share)) == (
        4842, 1575, "32.53",
    )  # fmt: skip
    assert angres.neighbourhood_share == angres.stated_neighbourhood_share
    assert territory.neighbourhoods.count() == 22
    signatories = list(contract.signatories.select_related("organisation"))
    assert [s.organisation.name for s in signatories][:2] == [
        "Communauté d'Agglomération de Lens-Liévin", "Agence Régionale de Santé Hauts-de-France",
    ]  # fmt: skip
    assert signatories[0].organisation.siret == "24620036400080"
    assert (signatories[1].representative, signatories[1].representative_title) == (
        "Hugo GILARDI",
        "Directeur général",
    )
    assert contract.axes.count() == 3
    assert Action.objects.filter(contract=contract).count() == 13
    assert contract.diagnosis_indicators.get(label="Infirmiers").territory_value == "194"


def test_importing_004_links_each_operation_to_its_porteurs():
    contract = import_document(DOCUMENTS["004"]["txt"], "004.txt")
    action = Action.objects.get(contract=contract, code="FA 2.1")
    second = action.operations.get(position=1)
    leads = OperationOrganisation.objects.filter(operation=second, involvement=Involvement.LEAD).order_by(
        "position"
    )
    assert [i.organisation.name for i in leads] == [
        "Coordination du CLSI2M", "CPTS", "Hôpital privé de Villeneuve-Ascq Ramsay Santé",
    ]  # fmt: skip
    # The signatory and the porteur named "l'HPVA" are one organisation, filed as a hospital.
    hospital = Organisation.objects.get(name="Hôpital privé de Villeneuve-Ascq Ramsay Santé")
    assert hospital.kind == Organisation.Kind.HOSPITAL
    assert contract.signatories.filter(organisation=hospital).exists()
    assert action.operations.get(position=0).deliverables.count() == 0
    assert action.operations.get(position=2).deliverables.count() == 4
    assert contract.territory.municipalities.get(name="Villeneuve d'Ascq").population == 62067


def test_a_document_without_territory_writes_nothing():
    with pytest.raises(ContractJsonError) as error:
        import_document(SEEDS / "001_slides_contrats_de_ville_ocr.txt", "001.txt")
    assert "contract/territory/name : ne doit pas être vide" in error.value.messages
    assert Contract.objects.count() == Territory.objects.count() == 0


def test_a_failure_halfway_rolls_everything_back():
    data = extract_document(DOCUMENTS["003"]["txt"], "003.txt")
    data["contract"]["axes"][2]["actions"][0]["title"] = "x" * 600  # too long for the model: fails late
    with pytest.raises(ContractJsonError):
        contract_from_json(data)
    assert Contract.objects.count() == Territory.objects.count() == Organisation.objects.count() == 0


def test_the_reviewer_corrections_are_applied():
    data = extract_document(SEEDS / "002_slides_contrats_de_ville.txt", "002.txt")
    changed = apply_changes(data, {"title": "Volet santé du contrat de ville", "kind": "city_contract_health",
                                   "territory_name": "Valenciennes Métropole", "territory_kind": "epci",
                                   "short_name": ""})  # fmt: skip
    assert changed["contract"]["title"] == "Volet santé du contrat de ville"
    assert changed["contract"]["territory"]["name"] == "Valenciennes Métropole"
    assert data["contract"]["territory"]["name"] == ""  # the stored extraction is left untouched


def test_saving_an_import_twice_creates_one_contract():
    document_import = DocumentImportFactory()
    first = document_import_save(document_import=document_import, user=document_import.user)
    second = document_import_save(document_import=document_import, user=document_import.user)
    assert first == second
    assert Contract.objects.count() == 1
    document_import.refresh_from_db()
    assert document_import.contract == first and document_import.saved_at is not None
