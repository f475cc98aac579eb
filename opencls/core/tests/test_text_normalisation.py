"""Text is normalised in one place (opencls/core/text.py) on every way in (issue 12)."""

import unicodedata

import pytest
from django.apps import apps as django_apps
from django.urls import reverse

from opencls.actions.forms import ActionForm
from opencls.contracts.io import contract_from_json, contract_to_json
from opencls.contracts.models import Contract, ContractRole
from opencls.core.text import normalize_text, normalize_value
from opencls.governance.diff import amendment_changes
from opencls.spreadsheets.cells import clean_text
from opencls.testing import factories

DECOMPOSED = unicodedata.normalize("NFD", "Santé mentale")  # « e » + combining accent, as some tools write it
assert DECOMPOSED != "Santé mentale"


def test_normalize_text():
    assert normalize_text("  a \r\nb\t\rc  \r\n") == "a\nb\nc"
    assert normalize_text(DECOMPOSED) == "Santé mentale"
    assert normalize_text("ligne  \u00a0\nsuite") == "ligne\nsuite"
    assert normalize_text("a\n\n  retrait conservé") == "a\n\n  retrait conservé"  # indentation kept
    assert normalize_text("") == "" and normalize_text(None) is None
    assert normalize_value({"a": ["x\r\n", 1, None], "b": {"c": " y "}}) == {
        "a": ["x", 1, None],
        "b": {"c": "y"},
    }


def test_spreadsheet_cells_use_the_same_normalisation():
    assert clean_text(f"{DECOMPOSED} \r\nsuite\u00a0") == "Santé mentale\nsuite"


@pytest.mark.django_db
def test_forms_clean_and_compare_normalised_text():
    action = factories.ActionFactory(context="Premier\nSecond", title="Santé mentale")
    data = {
        "title": DECOMPOSED + "  ",
        "context": "Premier\r\nSecond",
        "axis": action.axis_id,
        "code": action.code,
    }
    form = ActionForm(data, instance=action, contract=action.contract)
    form.is_valid()
    assert form.cleaned_data["title"] == "Santé mentale"
    assert form.cleaned_data["context"] == "Premier\nSecond"
    assert "title" not in form.changed_data and "context" not in form.changed_data


@pytest.mark.django_db
def test_passwords_are_not_normalised():
    from opencls.accounts.forms import SetPasswordForm

    user = factories.UserFactory()
    form = SetPasswordForm(
        user, {"new_password1": " Mot de passe\r\n ", "new_password2": " Mot de passe\r\n "}
    )
    form.is_valid()
    assert form.cleaned_data.get("new_password1", " Mot de passe\r\n ") == " Mot de passe\r\n "


@pytest.mark.django_db
def test_the_contract_json_loader_normalises_every_text():
    contract = factories.ContractFactory(summary="Édito")
    data = contract_to_json(contract)
    data["contract"]["summary"] = "Ligne 1  \r\nLigne 2\r\n"
    data["contract"]["title"] = f" {DECOMPOSED} "
    loaded = contract_from_json(data)
    assert loaded.summary == "Ligne 1\nLigne 2"
    assert loaded.title == "Santé mentale"


@pytest.mark.django_db
def test_the_api_normalises_text(client):
    contract = factories.ContractFactory()
    client.force_login(factories.user_with_role(contract, ContractRole.Role.COORDINATOR))
    response = client.patch(
        reverse("api:contract-detail", args=[contract.pk]),
        {"regional_health_plan": f"{DECOMPOSED}\r\n2018-2028 "},
        content_type="application/json",
    )
    assert response.status_code == 200
    contract.refresh_from_db()
    assert contract.regional_health_plan == "Santé mentale\n2018-2028"


def test_amendment_differences_ignore_line_endings_and_accents_form():
    def version(context, title):
        return {
            "contract": {
                "signatories": [],
                "axes": [
                    {
                        "code": "1",
                        "title": "Axe",
                        "actions": [{"code": "FA 1", "title": title, "context": context}],
                    }
                ],
            }
        }

    before = version("Premier\r\nSecond ", DECOMPOSED)
    assert amendment_changes(before, version("Premier\nSecond", "Santé mentale")) == []
    changes = amendment_changes(before, version("Premier\nAutre", "Santé mentale"))
    assert [(c.key, [f.name for f in c.fields]) for c in changes] == [("FA 1", ["context"])]


@pytest.mark.django_db
def test_the_data_migration_normalises_stored_text_without_history_rows():
    from importlib import import_module

    migration = import_module("opencls.core.migrations.0001_normalize_stored_text")
    action = factories.ActionFactory(title="Titre")
    action.context = "Avant"
    action.save()
    type(action).objects.filter(pk=action.pk).update(context="Un\r\ndeux  \r\n", title=DECOMPOSED)
    action.history.filter(history_type="~").update(context="Un\r\ndeux  \r\n")
    Contract.objects.filter(pk=action.contract_id).update(summary="Édito \r\n")
    rows = action.history.count()

    migration.normalize_stored_text(django_apps, None)

    action.refresh_from_db()
    assert (action.context, action.title) == ("Un\ndeux", "Santé mentale")
    assert action.history.count() == rows  # not a change anyone made: no new history row
    assert action.history.filter(history_type="~").get().context == "Un\ndeux"
    assert Contract.objects.get(pk=action.contract_id).summary == "Édito"
