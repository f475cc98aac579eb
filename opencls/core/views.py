from django.db.models import Count
from django.shortcuts import render
from django.utils.translation import gettext as _

from opencls.accounts.permissions import visible_contracts


def dashboard(request):
    contracts = visible_contracts(request.user).annotate(action_count=Count("actions", distinct=True))
    return render(request, "core/dashboard.html", {"contracts": contracts, "title": _("Tableau de bord")})


def error_403(request, exception=None):
    return render(request, "403.html", status=403)


def error_404(request, exception=None):
    return render(request, "404.html", status=404)


def error_500(request):
    return render(request, "500.html", status=500)
