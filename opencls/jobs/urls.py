from django.urls import path

from opencls.jobs import views

app_name = "jobs"
urlpatterns = [
    path("", views.job_list, name="list"),
    path("<int:pk>/", views.job_detail, name="detail"),
    path("<int:pk>/telecharger/", views.job_download, name="download"),
]
