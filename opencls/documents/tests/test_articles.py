import pytest
from django.urls import reverse

from opencls.contracts.io import contract_from_json, contract_to_json
from opencls.contracts.models import ContractRole
from opencls.documents import articles, contract_document
from opencls.documents.articles import DEFAULT_ARTICLES
from opencls.documents.models import ContractArticle
from opencls.governance import amendments
from opencls.testing import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def contract():
    contract = factories.ContractFactory()
    factories.SignatoryFactory(
        contract=contract, organisation=factories.OrganisationFactory(name="Commune d'Ici")
    )
    factories.AxisFactory(contract=contract, code="Axe 1", title="Prévenir les addictions")
    return contract


def edit_url(contract, key="objet"):
    return reverse("documents:article_edit", args=[contract.pk, key])


def test_default_model_is_shown_and_filled_with_the_contracts_data(contract, client):
    member = factories.user_with_role(contract, ContractRole.Role.MEMBER)
    client.force_login(member)
    response = client.get(reverse("documents:articles", args=[contract.pk]))
    assert response.status_code == 200
    assert "Modèle par défaut" in response.content.decode()
    assert not ContractArticle.objects.exists()  # reading stores nothing
    data = contract_document.contract_document_data(contract)
    assert [a.title for a in data.articles] == [m.title for m in DEFAULT_ARTICLES]
    parties = next(a for a in data.articles if a.title == "Les parties signataires")
    assert "- Commune d'Ici ;" in parties.body
    axes = next(a for a in data.articles if a.title.startswith("Orientations"))
    assert "Prévenir les addictions" in axes.body


def test_coordinator_edits_an_article_with_history_and_an_untouched_form_saves_nothing(contract, client):
    coordinator = factories.user_with_role(contract, ContractRole.Role.COORDINATOR)
    client.force_login(coordinator)
    page = client.get(edit_url(contract))
    assert page.status_code == 200
    form = page.context["form"]
    untouched = {name: form.initial[name] for name in ("number", "title", "body")}
    response = client.post(edit_url(contract), untouched)
    assert response.status_code == 302
    assert not ContractArticle.objects.exists()
    assert ContractArticle.history.count() == 0

    edited = untouched | {
        "body": "Le présent contrat engage {signataires}\r\n\r\nTexte propre au territoire.  "
    }
    client.post(edit_url(contract), edited)
    stored = ContractArticle.objects.filter(contract=contract)
    assert stored.count() == len(DEFAULT_ARTICLES)  # the whole model is stored at the first edit
    article = stored.get(key="objet")
    assert article.body == "Le présent contrat engage {signataires}\n\nTexte propre au territoire."
    assert article.updated_by == coordinator
    history_before = ContractArticle.history.filter(key="objet").count()
    # The same text again: nothing written, no history row.
    client.post(edit_url(contract), edited)
    assert ContractArticle.history.filter(key="objet").count() == history_before
    client.post(edit_url(contract), edited | {"title": "Objet et engagements"})
    assert ContractArticle.history.filter(key="objet").count() == history_before + 1
    data = contract_document.contract_document_data(contract)
    assert data.articles[0].title == "Objet et engagements"
    assert "Le présent contrat engage - Commune d'Ici ;" in data.articles[0].body.replace("\n", " ")
    # Shown on the contract's history page.
    history = client.get(reverse("core:contract_history", args=[contract.pk])).content.decode()
    assert "Article du contrat" in history


def test_only_the_coordinator_edits_articles(contract, client):
    for role in (ContractRole.Role.MEMBER, ContractRole.Role.LEAD, ContractRole.Role.SIGNATORY):
        client.force_login(factories.user_with_role(contract, role))
        assert client.get(edit_url(contract)).status_code == 403
        assert client.post(edit_url(contract), {"number": "1", "title": "X", "body": "Y"}).status_code == 403
    other = factories.ContractFactory()
    client.force_login(factories.user_with_role(other, ContractRole.Role.COORDINATOR))
    assert client.post(edit_url(contract), {"number": "1", "title": "X", "body": "Y"}).status_code == 404
    assert not ContractArticle.objects.exists()


def test_unknown_article_and_empty_text(contract, client):
    client.force_login(factories.user_with_role(contract, ContractRole.Role.COORDINATOR))
    assert client.get(edit_url(contract, "inconnu")).status_code == 404
    response = client.post(edit_url(contract), {"number": "1", "title": "Objet", "body": "   "})
    assert response.status_code == 200
    assert "obligatoire" in response.content.decode()
    assert not ContractArticle.objects.exists()


def test_placeholders_other_braces_kept():
    assert articles.fill("{periode} et {autre}", {"periode": "2025"}) == "2025 et {autre}"


def test_articles_travel_in_the_contract_json_and_in_amendment_snapshots(contract):
    user = factories.UserFactory()
    articles.article_save(
        user=user, contract=contract, key="duree", number="11", title="Durée", body="Trois ans."
    )
    data = contract_to_json(contract)
    saved = data["extensions"]["documents"]["articles"]
    assert len(saved) == len(DEFAULT_ARTICLES)
    assert {"key": "duree", "number": "11", "title": "Durée", "body": "Trois ans."} in saved
    copy = contract_from_json(data)
    assert contract_to_json(copy) == data
    amendment = amendments.amendment_create(contract, title="Avenant 1", user=user)
    assert amendment.base_json["extensions"]["documents"] == data["extensions"]["documents"]


def test_bad_articles_in_json_are_refused(contract):
    from opencls.contracts.io import ContractJsonError

    data = contract_to_json(contract)
    data["extensions"] = {"documents": {"articles": [{"key": "a", "number": "1", "title": "T", "body": ""}]}}
    with pytest.raises(ContractJsonError):
        contract_from_json(data)
    data["extensions"]["documents"]["articles"] = [
        {"key": "a", "number": "1", "title": "T", "body": "x"},
        {"key": "a", "number": "2", "title": "U", "body": "y"},
    ]
    with pytest.raises(ContractJsonError) as error:
        contract_from_json(data)
    assert "même clé" in str(error.value)
