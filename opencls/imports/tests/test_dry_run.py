"""Issue 17: `import_contract --dry-run --format json` shows every field that applying stores —
statuses, priorities, dates, porteurs, partners, funding, governance bodies — in the contract JSON
vocabulary: the dry run is compared with the applied contract, exported with contracts/io.py."""

import io
import json

import pytest
from django.core.management import call_command

from opencls.contracts.io import contract_to_json
from opencls.contracts.models import Contract
from opencls.imports.tests.corpus import CORPUS
from opencls.imports.tests.dry_run import by_place, differences
from opencls.imports.tests.expected import DOCUMENTS

CASES = {
    "003.txt": DOCUMENTS["003"]["txt"],
    "004.txt": DOCUMENTS["004"]["txt"],
}


def dry_run_then_apply(path) -> tuple[dict, dict]:
    out = io.StringIO()
    call_command(
        "import_contract", str(path), "--dry-run", "--format", "json", stdout=out, stderr=io.StringIO()
    )
    announced = json.loads(out.getvalue())
    assert not Contract.objects.exists()
    call_command("import_contract", str(path), "--new", stdout=io.StringIO(), stderr=io.StringIO())
    return announced, contract_to_json(Contract.objects.get())


def assert_same(announced: dict, stored: dict) -> None:
    contract = {k: v for k, v in announced["contract"].items() if k != "organisations"}
    # The export lists a territory's priority neighbourhoods by name (their model's order).
    territory = contract["territory"]
    territory["neighbourhoods"] = sorted(territory.get("neighbourhoods", []), key=lambda n: n["name"])
    for municipality in territory.get("municipalities", []):
        municipality["neighbourhoods"] = sorted(municipality.get("neighbourhoods", []))
    assert differences(contract, stored["contract"]) == []
    kinds = {o["name"]: o["kind"] for o in stored["contract"]["organisations"]}
    assert {o["name"]: o["kind"] for o in announced["contract"]["organisations"]}.items() <= kinds.items()
    extensions = announced["extensions"]
    if "spreadsheets" in extensions:
        stored_details = by_place(stored["extensions"]["spreadsheets"]["action_details"])
        for place, item in by_place(extensions["spreadsheets"]["action_details"]).items():
            assert differences(item, stored_details.get(place)) == []
    if "governance" in extensions:
        assert differences(extensions["governance"], stored["extensions"]["governance"]) == []
    if "finance" in extensions:
        assert differences(extensions["finance"], stored["extensions"]["finance"]) == []


@pytest.mark.parametrize("name", CASES)
def test_the_dry_run_of_a_seed_is_what_applying_stores(db, name):
    announced, stored = dry_run_then_apply(CASES[name])

    assert_same(announced, stored)


@pytest.mark.parametrize("document", [d for d in CORPUS if d.fmt != "pdf"], ids=lambda d: d.name)
def test_the_dry_run_of_a_corpus_document_is_what_applying_stores(db, tmp_path, document):
    path = tmp_path / document.filename
    path.write_bytes(document.build())

    announced, stored = dry_run_then_apply(path)

    assert announced["extensions"]["spreadsheets"]["action_details"]  # statuses and priorities announced
    assert_same(announced, stored)


def test_the_review_page_shows_statuses_priorities_governance_and_cofinancing(db, tmp_path):
    from django.test import Client
    from django.urls import reverse

    from opencls.imports.services import read_and_extract
    from opencls.imports.tests.factories import DocumentImportFactory
    from opencls.testing.factories import UserFactory

    user = UserFactory(can_create_contracts=True)
    document = next(d for d in CORPUS if d.name == "main_lens_lievin")
    data = read_and_extract(document.build(), document.filename)
    data["extensions"]["finance"] = extracted_finance = read_and_extract(
        CASES["004.txt"].read_bytes(), "004.txt"
    )["extensions"]["finance"]
    data["contract"]["territory"]["municipalities"] = []  # the table is shown as the document gives it
    document_import = DocumentImportFactory(user=user, data=data)
    client = Client()
    client.force_login(user)

    page = client.get(reverse("imports:review", args=[document_import.pk])).content.decode()

    assert 'class="opencls-import-status">En cours</dd>' in page
    assert 'class="opencls-import-priority">Élevée</dd>' in page
    assert "Abandonnée" in page and "Non démarrée" in page
    assert "Comité de pilotage (COPIL)" in page and "Comité technique (COTECH)" in page
    assert "<td>Communauté d&#x27;Agglomération de Lens-Liévin</td>" in page  # co-chair (the ARS is unnamed)
    assert 'id="coordinator-post-rule"' in page and "dans la limite de 30000.00 € par an" in page
    assert "réparti entre les communes au prorata de leur population" in page
    assert len(extracted_finance["coordinator_post"]["stated_shares"]) == 9 and "39.92" in page
