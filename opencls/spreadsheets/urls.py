from django.urls import path

from opencls.spreadsheets import views

app_name = "spreadsheets"
urlpatterns = [
    path("contrats/<int:pk>/tableur/", views.spreadsheet_home, name="home"),
    path("contrats/<int:pk>/tableur/export/<str:file_format>/", views.spreadsheet_export, name="export"),
    path("contrats/<int:pk>/tableur/deposer/", views.spreadsheet_upload, name="upload"),
    path("contrats/<int:pk>/tableur/depots/<int:upload_pk>/", views.spreadsheet_review, name="review"),
    path(
        "contrats/<int:pk>/tableur/depots/<int:upload_pk>/appliquer/", views.spreadsheet_apply, name="apply"
    ),
    path(
        "contrats/<int:pk>/tableur/depots/<int:upload_pk>/abandonner/",
        views.spreadsheet_discard,
        name="discard",
    ),
]
