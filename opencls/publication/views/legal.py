"""The pages the DSFR footer links to: legal notice, personal data, accessibility, site map."""

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render
from django.utils.translation import gettext as _


def _page(template, title):
    @login_not_required
    def view(request):
        return render(
            request,
            template,
            {
                "title": title(),
                "retention_days": settings.OPENCLS_SUGGESTION_PERSONAL_DATA_DAYS,
                "contact_email": settings.OPENCLS_CONTACT_EMAIL,
                "publisher": settings.OPENCLS_PUBLISHER,
            },
        )

    return view


legal_notice = _page("publication/legal/legal_notice.html", lambda: _("Mentions légales"))
privacy = _page("publication/legal/privacy.html", lambda: _("Données personnelles"))
accessibility = _page("publication/legal/accessibility.html", lambda: _("Déclaration d'accessibilité"))
sitemap = _page("publication/legal/sitemap.html", lambda: _("Plan du site"))
