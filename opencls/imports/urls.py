from django.urls import path

from opencls.imports import views

app_name = "imports"
urlpatterns = [
    path("importer/", views.upload, name="upload"),
    path("importer/<int:pk>/", views.review, name="review"),
    path("importer/<int:pk>/abandonner/", views.discard, name="discard"),
    path("importer/<int:pk>/contrat.json", views.download_json, name="json"),
    path("importer/<int:pk>/mise-a-jour/<int:contract_pk>/", views.update_twin, name="update"),
]
