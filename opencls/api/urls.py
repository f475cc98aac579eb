from django.contrib.auth.decorators import login_not_required
from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.permissions import AllowAny

from opencls.api import views

app_name = "api"

# DRF answers 403 in JSON itself: the login redirect of the middleware is for pages.
urlpatterns = [
    path("contrats/", login_not_required(views.ContractList.as_view()), name="contract-list"),
    path("contrats/<int:pk>/", login_not_required(views.ContractDetail.as_view()), name="contract-detail"),
    path(
        "contrats/<int:pk>/actions/",
        login_not_required(views.ContractActionList.as_view()),
        name="contract-actions",
    ),
    path(
        "schema/",
        login_not_required(SpectacularAPIView.as_view(permission_classes=[AllowAny])),
        name="schema",
    ),
    # The split view serves Swagger UI's start-up script as a file: the CSP forbids inline scripts.
    path(
        "docs/",
        login_not_required(
            SpectacularSwaggerSplitView.as_view(url_name="api:schema", permission_classes=[AllowAny])
        ),
        name="schema-ui",
    ),
]
