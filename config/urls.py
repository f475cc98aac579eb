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
    # Contract document, articles, COPIL deck, calendar of actions (issue 18).
    path("", include("opencls.documents.urls")),
]


handler403 = core_views.error_403
handler404 = core_views.error_404
handler500 = core_views.error_500
