from django.contrib import admin
from django.urls import include, path

from opencls.core import health
from opencls.core import views as core_views

urlpatterns = [
    path("", include("opencls.core.urls")),
    path("comptes/", include("opencls.accounts.urls")),
    path("contrats/", include("opencls.contracts.urls")),
    path("contrats/", include("opencls.actions.urls")),
    path("", include("opencls.monitoring.urls")),
    path("", include("opencls.governance.urls")),
    path("", include("opencls.finance.urls")),
    path("", include("opencls.imports.urls")),
    path("", include("opencls.spreadsheets.urls")),
    path("api/", include("opencls.api.urls")),
    path("", include("opencls.people.urls")),
    path("", include("opencls.campaigns.urls")),
    path("admin/", admin.site.urls),
    path("taches/", include("opencls.jobs.urls")),
    path("sante/", health.liveness, name="health"),
    path("sante/pret/", health.readiness, name="health_ready"),
    # Issue 18: diagnosis, final evaluation and renewal.
    path("", include("opencls.diagnosis.urls")),
    path("", include("opencls.renewal.urls")),
    # Issue 16: open data and API tokens.
    path("", include("opencls.opendata.urls")),
    path("notifications/", include("opencls.notifications.urls")),
    # Issue 14: citizen pages, moderation, footer pages.
    path("", include("opencls.publication.urls")),
    # Issue 14: participation of inhabitants and the health part of the contrat de ville.
    path("", include("opencls.participation.urls")),
    # Issue 16: the regional view, themes, search, comparison, map and exports.
    path("", include("opencls.region.urls")),
    # Contract document, articles, COPIL deck, calendar of actions (issue 18).
    path("", include("opencls.documents.urls")),
]


handler403 = core_views.error_403
handler404 = core_views.error_404
handler500 = core_views.error_500
