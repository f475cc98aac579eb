from django.db.models import Count
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from opencls.accounts.permissions import get_contract_or_404, visible_contracts
from opencls.core.forms import HistoryFilterForm
from opencls.core.selectors import (
    HistoryFilters,
    contract_history_authors,
    contract_history_page,
    contract_history_scopes,
    history_kind_choices,
)


def dashboard(request):
    if getattr(request.user, "is_ars_reader", False):
        # An ARS reader's home is the regional view (issue 16), not the coordinator's list.
        return redirect("region:home")
    contracts = visible_contracts(request.user).annotate(action_count=Count("actions", distinct=True))
    return render(request, "core/dashboard.html", {"contracts": contracts, "title": _("Tableau de bord")})


def contract_history(request, pk):
    """Historique: who changed what in the contract, and when (before → after)."""
    contract = get_contract_or_404(request.user, pk, "contract.view")
    scopes = contract_history_scopes(contract)
    form = HistoryFilterForm(
        request.GET or None, kinds=history_kind_choices(), authors=contract_history_authors(contract, scopes)
    )
    filters = HistoryFilters()
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        kinds = (data["kind"],) if data["kind"] else ()
        filters = HistoryFilters(kinds, data["author"], data["since"], data["until"])
    page, entries = contract_history_page(contract, request.GET.get("page"), filters, scopes)
    return render(
        request,
        "core/contract_history.html",
        {
            "contract": contract,
            "page_obj": page,
            "entries": entries,
            "filter_form": form,
            "filtered": filters != HistoryFilters(),
            "title": _("Historique — %(contract)s") % {"contract": contract},
        },
    )


def error_403(request, exception=None):
    return render(request, "403.html", status=403)


def error_404(request, exception=None):
    return render(request, "404.html", status=404)


def error_500(request):
    return render(request, "500.html", status=500)
