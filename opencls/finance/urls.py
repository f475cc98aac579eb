from django.urls import path

from opencls.finance import views

app_name = "finance"
urlpatterns = [
    path("contrats/<int:pk>/financements/", views.overview, name="overview"),
    path(
        "contrats/<int:pk>/financements/coordination/modifier/",
        views.cofinancing_edit,
        name="cofinancing_edit",
    ),
    path("contrats/<int:pk>/financements/coordination.xlsx", views.cofinancing_xlsx, name="cofinancing_xlsx"),
    path("contrats/<int:pk>/financements/coordination.csv", views.cofinancing_csv, name="cofinancing_csv"),
    path("contrats/<int:pk>/financements/budget/", views.budget, name="budget"),
    path("contrats/<int:pk>/financements/budget.xlsx", views.budget_xlsx, name="budget_xlsx"),
    path("contrats/<int:pk>/financements/budget.csv", views.budget_csv, name="budget_csv"),
    path(
        "contrats/<int:pk>/financements/fiches/<int:action_pk>/lignes/ajouter/",
        views.line_create,
        name="line_create",
    ),
    path(
        "contrats/<int:pk>/financements/lignes/<int:line_pk>/modifier/", views.line_update, name="line_update"
    ),
    path(
        "contrats/<int:pk>/financements/lignes/<int:line_pk>/supprimer/",
        views.line_delete,
        name="line_delete",
    ),
]
