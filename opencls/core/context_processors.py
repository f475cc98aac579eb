from django.utils.translation import gettext_lazy as _

# Stands in for django-dsfr's database-backed site config: one fewer query on every page.
SITE_CONFIG = {
    "site_title": "OpenCLS",
    "site_tagline": _("Les contrats locaux de santé, de la rédaction à l'évaluation"),
    "header_brand_html": "République<br>française",
    "footer_brand_html": "République<br>française",
    "footer_description": _(
        "OpenCLS est un logiciel libre pour construire, signer, suivre et évaluer les contrats locaux de santé."
    ),
}


def site(request):
    return {
        "SITE_CONFIG": SITE_CONFIG,
        "skiplinks": [
            {"link": "#content", "label": _("Contenu")},
            {"link": "#header-navigation", "label": _("Menu")},
            {"link": "#footer", "label": _("Pied de page")},
        ],
    }
