from django.contrib.auth.decorators import login_not_required
from django.urls import path

from opencls.campaigns import api, views

app_name = "campaigns"
C = "contrats/<int:pk>/campagnes/"
Y = C + "<int:year>/"
urlpatterns = [
    path(C, views.index, name="index"),
    path(C + "ouvrir/", views.open_campaign, name="open"),
    path(Y, views.detail, name="detail"),
    path(Y + "rappel/", views.remind, name="remind"),
    path(Y + "fiches/<int:action_pk>/", views.report_detail, name="report"),
    path(Y + "fiches/<int:action_pk>/<str:name>/", views.report_transition, name="transition"),
]
urlpatterns += [
    path("mes-fiches/", views.my_reports, name="home"),
    path("accueil/", views.after_login, name="after_login"),
    path(Y + "saisie/", views.grid, name="grid"),
    path(Y + "saisie/<int:action_pk>/", views.grid, name="grid_action"),
]
urlpatterns += [
    path(C + "verrous/", views.locks_page, name="locks"),
    path(C + "verrous/<int:year>/verrouiller/", views.lock_year, name="lock"),
    path(C + "verrous/<int:year>/deverrouiller/", views.unlock_year, name="unlock"),
    path(
        "api/contrats/<int:pk>/valeurs/",
        login_not_required(api.IndicatorValueList.as_view()),
        name="api_values",
    ),
]
