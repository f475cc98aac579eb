from django.urls import path

from opencls.diagnosis import views

app_name = "diagnosis"
urlpatterns = [
    path("contrats/<int:pk>/diagnostic/", views.page, name="page"),
    path("contrats/<int:pk>/diagnostic/<slug:kind>/ajouter/", views.row_add, name="row_add"),
    path("contrats/<int:pk>/diagnostic/<slug:kind>/<int:row_pk>/modifier/", views.row_edit, name="row_edit"),
    path(
        "contrats/<int:pk>/diagnostic/<slug:kind>/<int:row_pk>/supprimer/",
        views.row_delete,
        name="row_delete",
    ),
    path("contrats/<int:pk>/diagnostic/<slug:kind>/<int:row_pk>/deplacer/", views.row_move, name="row_move"),
    path(
        "contrats/<int:pk>/diagnostic/chiffres/<int:row_pk>/situation-de-depart/",
        views.baselines,
        name="baselines",
    ),
]
