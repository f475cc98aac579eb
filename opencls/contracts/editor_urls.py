"""The editor's pages, included by `opencls/contracts/urls.py` (namespace "contracts")."""

from django.urls import path

from opencls.contracts import editor_views as views
from opencls.geo import views as geo_views

urlpatterns = [
    path("<int:pk>/edition/", views.contract_edit, name="edit"),
    path("<int:pk>/edition/territoire/", views.territory_edit, name="edit_territory"),
    path("<int:pk>/edition/territoire/communes/ajouter/", views.municipality_add, name="municipality_add"),
    path(
        "<int:pk>/edition/territoire/communes/<int:municipality_pk>/modifier/",
        views.municipality_edit,
        name="municipality_edit",
    ),
    path(
        "<int:pk>/edition/territoire/communes/<int:municipality_pk>/supprimer/",
        views.municipality_delete,
        name="municipality_delete",
    ),
    path("<int:pk>/edition/territoire/quartiers/ajouter/", views.neighbourhood_add, name="neighbourhood_add"),
    path(
        "<int:pk>/edition/territoire/quartiers/<int:neighbourhood_pk>/modifier/",
        views.neighbourhood_edit,
        name="neighbourhood_edit",
    ),
    path(
        "<int:pk>/edition/territoire/quartiers/<int:neighbourhood_pk>/supprimer/",
        views.neighbourhood_delete,
        name="neighbourhood_delete",
    ),
    path("<int:pk>/edition/signataires/", views.signatory_list, name="edit_signatories"),
    path("<int:pk>/edition/signataires/ajouter/", views.signatory_add, name="signatory_add"),
    path(
        "<int:pk>/edition/signataires/<int:signatory_pk>/modifier/",
        views.signatory_edit,
        name="signatory_edit",
    ),
    path(
        "<int:pk>/edition/signataires/<int:signatory_pk>/supprimer/",
        views.signatory_delete,
        name="signatory_delete",
    ),
    path(
        "<int:pk>/edition/signataires/<int:signatory_pk>/deplacer/",
        views.signatory_move,
        name="signatory_move",
    ),
    path("<int:pk>/edition/axes/", views.axis_list, name="edit_axes"),
    path("<int:pk>/edition/axes/ajouter/", views.axis_add, name="axis_add"),
    path("<int:pk>/edition/axes/<int:axis_pk>/modifier/", views.axis_edit, name="axis_edit"),
    path("<int:pk>/edition/axes/<int:axis_pk>/supprimer/", views.axis_delete, name="axis_delete"),
    path("<int:pk>/edition/axes/<int:axis_pk>/deplacer/", views.axis_move, name="axis_move"),
    path("<int:pk>/edition/axes/<int:axis_pk>/objectifs/ajouter/", views.objective_add, name="objective_add"),
    path(
        "<int:pk>/edition/objectifs/<int:objective_pk>/modifier/", views.objective_edit, name="objective_edit"
    ),
    path(
        "<int:pk>/edition/objectifs/<int:objective_pk>/supprimer/",
        views.objective_delete,
        name="objective_delete",
    ),
    path(
        "<int:pk>/edition/objectifs/<int:objective_pk>/deplacer/", views.objective_move, name="objective_move"
    ),
    path("<int:pk>/edition/organisations/", views.organisation_search_results, name="organisation_search"),
    # Issue 16: the territory chosen from the official geography (COG).
    path(
        "<int:pk>/edition/territoire/officiel/recherche/",
        geo_views.territory_official_search,
        name="territory_official_search",
    ),
    path(
        "<int:pk>/edition/territoire/officiel/choisir/",
        geo_views.territory_official_choose,
        name="territory_official_choose",
    ),
]
