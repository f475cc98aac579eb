"""Hostile contract JSON is refused before parsing and validation, in French, saying where; nothing is
written; the time taken is bounded (compared with a generous ceiling, not a performance target)."""

import json
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from opencls.contracts.io import ContractJsonError
from opencls.contracts.json_limits import parse_contract_json
from opencls.contracts.models import Contract
from opencls.contracts.services import contract_load_json_bytes
from opencls.testing.factories import UserFactory

# Each refusal happens before json.loads and jsonschema: far under this on any machine.
CEILING_SECONDS = 10


def refusal(raw: bytes) -> list[str]:
    start = time.monotonic()
    with pytest.raises(ContractJsonError) as error:
        contract_load_json_bytes(raw)
    assert time.monotonic() - start < CEILING_SECONDS
    return error.value.messages


def contract_with(**fields) -> dict:
    return {"schema_version": "1", "contract": {"kind": "cls", "title": "CLS", **fields}}


@pytest.mark.django_db
def test_nesting_200_deep_is_refused_with_its_path(settings):
    nested: object = "fin"
    for _ in range(200):
        nested = {"children": [nested]}
    raw = json.dumps(contract_with(axes=[{"objectives": [nested]}])).encode()
    messages = refusal(raw)
    assert len(messages) == 1
    assert messages[0].startswith("contract/axes/0/objectives/0/children/0/children/0/")
    assert messages[0].endswith(
        f": le document est imbriqué sur plus de {settings.OPENCLS_MAX_JSON_DEPTH} niveaux ; "
        "un contrat n'en a jamais autant. Ce fichier n'est pas un export OpenCLS."
    )
    assert Contract.objects.count() == 0


@pytest.mark.django_db
def test_a_hundred_thousand_open_brackets_are_refused():
    messages = refusal(b"[" * 100_000)
    assert messages[0].startswith("0/0/0/0/")
    assert "imbriqué sur plus de 40 niveaux" in messages[0]


@pytest.mark.django_db
def test_a_5000_digit_number_is_refused_with_its_path():
    raw = json.dumps(contract_with(axes=[{"title": "Axe", "actions": [{"year": 0}]}])).encode()
    raw = raw.replace(b'"year": 0', b'"year": ' + b"9" * 5000)
    messages = refusal(raw)
    assert messages == [
        "contract/axes/0/actions/0/year : nombre de 5000 caractères ; un contrat n'a pas de nombre de plus "
        "de 30 caractères (les montants s'écrivent « 1234.50 »)."
    ]
    assert Contract.objects.count() == 0


def test_numbers_in_strings_and_keys_are_not_numbers():
    data = {"schema_version": "1", "x" * 50: "9" * 5000, "list": [1, -2.5e3, "[[[["]}
    assert parse_contract_json(json.dumps(data).encode()) == data


def test_the_limits_are_settings(settings):
    settings.OPENCLS_MAX_JSON_DEPTH = 3
    settings.OPENCLS_MAX_JSON_NUMBER_DIGITS = 4
    with pytest.raises(ContractJsonError, match="^a/b/c : le document est imbriqué sur plus de 3 niveaux"):
        parse_contract_json(b'{"a": {"b": {"c": {}}}}')
    with pytest.raises(ContractJsonError, match="^racine/|^a/1 : nombre de 5 caractères"):
        parse_contract_json(b'{"a": [1, 12345]}')


def test_nan_and_integers_past_python_limit_are_french_errors(settings):
    with pytest.raises(ContractJsonError, match="^racine : nombre invalide"):
        parse_contract_json(b'{"a": NaN}')
    settings.OPENCLS_MAX_JSON_NUMBER_DIGITS = 10_000  # only Python's own limit (4 300 digits) left
    with pytest.raises(ContractJsonError, match="^racine : nombre invalide"):
        parse_contract_json(b'{"a": ' + b"9" * 5000 + b"}")


@pytest.mark.django_db
def test_a_40_megabyte_json_is_refused_before_being_parsed(monkeypatch):
    monkeypatch.setattr("json.loads", lambda *a, **k: pytest.fail("the file was parsed"))
    raw = b'{"schema_version": "1", "padding": "' + b"x" * (40 * 1024 * 1024) + b'"}'
    assert refusal(raw) == [
        "Le fichier fait 40,0 Mo ; la taille maximale d'un contrat JSON est de 10,0 Mo. "
        "Ce fichier n'est pas un export OpenCLS."
    ]


@pytest.mark.django_db
def test_the_upload_page_refuses_a_40_megabyte_json_unread(client, monkeypatch):
    """Refused from its size by the form, before being read (the test client's own encoding of the
    40 Mo request is what takes time here, so it is not timed: the service test above is)."""
    client.force_login(UserFactory(can_create_contracts=True))
    upload = SimpleUploadedFile("contrat.json", b"[" + b" " * (40 * 1024 * 1024) + b"]")
    monkeypatch.setattr(
        "opencls.contracts.services.contract_load_json_bytes",
        lambda *a, **k: pytest.fail("the file was read"),
    )
    response = client.post(reverse("contracts:import_json"), {"file": upload})
    page = response.content.decode()
    assert "Le fichier fait 40,0 Mo ; la taille maximale d&#x27;un contrat JSON est de 10,0 Mo." in page
    assert Contract.objects.count() == 0


@pytest.mark.django_db
def test_the_upload_page_refuses_deep_json_with_its_path(client):
    client.force_login(UserFactory(can_create_contracts=True))
    upload = SimpleUploadedFile("contrat.json", b'{"contract": ' + b"[" * 100_000 + b"}")
    response = client.post(reverse("contracts:import_json"), {"file": upload})
    assert response.status_code == 400
    assert "contract/0/0/0" in response.content.decode()
    assert Contract.objects.count() == 0


@pytest.mark.django_db
def test_the_load_command_refuses_deep_json(tmp_path):
    path = tmp_path / "contrat.json"
    path.write_bytes(b"[" * 100_000)
    with pytest.raises(CommandError, match="imbriqué sur plus de 40 niveaux"):
        call_command("load_contract", str(path))
    assert Contract.objects.count() == 0
