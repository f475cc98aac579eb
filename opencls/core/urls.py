from django.urls import path

from opencls.core import views

app_name = "core"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("contrats/<int:pk>/historique/", views.contract_history, name="contract_history"),
]
