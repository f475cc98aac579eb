from django.contrib import admin
from django.urls import include, path

from opencls.core import views as core_views

urlpatterns = [
    path("", include("opencls.core.urls")),
    path("comptes/", include("opencls.accounts.urls")),
    path("contrats/", include("opencls.contracts.urls")),
    path("contrats/", include("opencls.actions.urls")),
    path("api/", include("opencls.api.urls")),
    path("admin/", admin.site.urls),
]
# Domain apps built on the contract add their own pages under /contrats/<pk>/….
for app in ("monitoring", "governance", "finance", "imports", "spreadsheets"):
    try:
        urlpatterns.append(path("", include(f"opencls.{app}.urls")))
    except ModuleNotFoundError:
        pass

handler403 = core_views.error_403
handler404 = core_views.error_404
handler500 = core_views.error_500
