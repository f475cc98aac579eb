from django.urls import path

from opencls.contracts import editor_urls, views
from opencls.publication.views import manage as publication_manage
from opencls.publication.views import public as publication_public

app_name = "contracts"
urlpatterns = [
    path("nouveau/", views.contract_create, name="create"),
    path("importer-json/", views.contract_import_json, name="import_json"),
    path("publies/", publication_public.public_list, name="public_list"),
    path("publies/<int:pk>/", publication_public.public_detail, name="public_detail"),
    path("<int:pk>/", views.contract_detail, name="detail"),
    path("<int:pk>/publication/", publication_manage.manage, name="publish"),
    path("<int:pk>/export.json", views.contract_export_json, name="export_json"),
]
urlpatterns += editor_urls.urlpatterns
