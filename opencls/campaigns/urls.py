from django.urls import path

from opencls.campaigns import views

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
