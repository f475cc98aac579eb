"""The DSFR footer links lead to real pages, readable without an account."""

import pytest
from django.urls import reverse
from django.utils.html import escape

pytestmark = pytest.mark.django_db

PAGES = {
    "publication:legal_notice": ["Éditeur du site", "etalab-2.0"],
    "publication:privacy": ["Responsable du traitement", "suggestion", "Vos droits", "365 jours", "CNIL"],
    "publication:accessibility": [
        "État de conformité",
        "non conforme",
        "Voies de recours",
        "Défenseur des droits",
    ],
    "publication:sitemap": ["Contrats publiés", "Mentions légales"],
}


@pytest.mark.parametrize("name", sorted(PAGES))
def test_footer_pages_answer_anonymous_with_content(client, name, settings):
    settings.OPENCLS_CONTACT_EMAIL = "contact@cls.example"
    response = client.get(reverse(name))
    page = response.content.decode()
    assert response.status_code == 200
    for text in PAGES[name]:
        assert escape(text) in page, text
    if name != "publication:sitemap":
        assert "contact@cls.example" in page


def test_every_page_footer_links_to_them(client):
    page = client.get(reverse("accounts:login")).content.decode()
    for name in PAGES:
        assert f'href="{reverse(name)}"' in page
    assert "Accessibilité : non conforme" in page
