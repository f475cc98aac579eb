"""URLs for the logging tests: a view that fails after reading a login form and an upload."""

from django.urls import include, path


def boom(request):
    request.POST.get("password")
    request.FILES.get("document")
    raise RuntimeError("la vue a échoué")


urlpatterns = [path("boom/", boom), path("", include("config.urls"))]
