"""Open data, version 1 of its URLs: /api/v1/donnees-ouvertes/… (kept stable; a v2 would sit beside)."""

from django.contrib.auth.decorators import login_not_required
from django.urls import path

from opencls.opendata import views

app_name = "opendata"
urlpatterns = [
    path(
        "api/v1/donnees-ouvertes/contrats/",
        login_not_required(views.OpenContractList.as_view()),
        name="contract-list",
    ),
    path(
        "api/v1/donnees-ouvertes/contrats/<int:pk>/",
        login_not_required(views.OpenContractDetail.as_view()),
        name="contract-detail",
    ),
    path(
        "api/v1/donnees-ouvertes/regions/<str:code>/contrats.csv",
        login_not_required(views.region_csv),
        name="region-csv",
    ),
    path(
        "api/v1/donnees-ouvertes/regions/<str:code>/contrats.json",
        login_not_required(views.region_json),
        name="region-json",
    ),
    path(
        "api/v1/donnees-ouvertes/regions/<str:code>/oscars.csv",
        login_not_required(views.region_oscars),
        name="region-oscars",
    ),
    path("comptes/jeton-api/", views.token, name="token"),
]
