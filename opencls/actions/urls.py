"""The fiche action editor, under /contrats/ (see config/urls.py)."""

from django.urls import path

from opencls.actions import views

app_name = "actions"

ACTION = "<int:pk>/actions/<int:action_pk>/"
OPERATION = ACTION + "operations/<int:operation_pk>/"
urlpatterns = [
    path("<int:pk>/actions/", views.action_list, name="list"),
    path("<int:pk>/actions/ajouter/", views.action_create, name="create"),
    path("<int:pk>/actions/objectifs/", views.objective_options, name="objective_options"),
    path(ACTION + "modifier/", views.action_edit, name="edit"),
    path(ACTION + "supprimer/", views.action_delete, name="delete"),
    path(ACTION + "deplacer/", views.action_move, name="move"),
    path(ACTION + "organisations/ajouter/", views.action_involvement_add, name="involvement_add"),
    path(
        ACTION + "organisations/<int:involvement_pk>/retirer/",
        views.action_involvement_remove,
        name="involvement_remove",
    ),
    path(ACTION + "operations/ajouter/", views.operation_add, name="operation_add"),
    path(OPERATION + "modifier/", views.operation_edit, name="operation_edit"),
    path(OPERATION + "supprimer/", views.operation_delete, name="operation_delete"),
    path(OPERATION + "deplacer/", views.operation_move, name="operation_move"),
    path(
        OPERATION + "organisations/ajouter/",
        views.operation_involvement_add,
        name="operation_involvement_add",
    ),
    path(
        OPERATION + "organisations/<int:involvement_pk>/retirer/",
        views.operation_involvement_remove,
        name="operation_involvement_remove",
    ),
    path(ACTION + "livrables/ajouter/", views.deliverable_add, name="deliverable_add"),
    path(
        ACTION + "livrables/<int:deliverable_pk>/modifier/", views.deliverable_edit, name="deliverable_edit"
    ),
    path(
        ACTION + "livrables/<int:deliverable_pk>/supprimer/",
        views.deliverable_delete,
        name="deliverable_delete",
    ),
    path(ACTION + "indicateurs/ajouter/", views.indicator_add, name="indicator_add"),
    path(ACTION + "indicateurs/<int:indicator_pk>/modifier/", views.indicator_edit, name="indicator_edit"),
    path(
        ACTION + "indicateurs/<int:indicator_pk>/supprimer/", views.indicator_delete, name="indicator_delete"
    ),
]
