from django.urls import path

from opencls.region import views

app_name = "region"
urlpatterns = [
    path("region/", views.home, name="home"),
    path("region/export.csv", views.export_csv, name="export_csv"),
    path("region/export.xlsx", views.export_xlsx, name="export_xlsx"),
    path("region/export.ods", views.export_ods, name="export_ods"),
    path("region/synthese.pdf", views.export_pdf, name="export_pdf"),
    path("region/recherche/", views.search, name="search"),
    path("region/themes/", views.theme_matrix, name="themes"),
    path("region/comparaison/", views.comparison, name="comparison"),
    path("region/carte/", views.department_map, name="map"),
    path("contrats/<int:pk>/themes/", views.contract_themes, name="contract_themes"),
    path("contrats/<int:pk>/themes/<int:link_pk>/", views.theme_decide, name="theme_decide"),
    path("contrats/<int:pk>/themes/fiches/<int:action_pk>/ajouter/", views.theme_add, name="theme_add"),
]
