"""The territory picker of the contract editor: official EPCI, départements and communes,
searched as you type (htmx), chosen with a before → after confirmation (issue 16)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from opencls.accounts.permissions import get_contract_or_404
from opencls.core.confirm import confirmation_page, is_confirmed
from opencls.geo import services
from opencls.geo.selectors import territory_search


@require_GET
def territory_official_search(request, pk):
    """Matches for the typed name or code (htmx fragment), 20 of each kind at most."""
    contract = get_contract_or_404(request.user, pk, "contract.change")
    results = territory_search(request.GET.get("q", ""))
    return render(
        request, "geo/includes/territory_search_results.html", {"contract": contract, "results": results}
    )


@require_POST
def territory_official_choose(request, pk):
    from opencls.contracts.editor_views import editor_context, territory_page

    contract = get_contract_or_404(request.user, pk, "contract.change")
    back = reverse("contracts:edit_territory", args=[contract.pk]) + "#official-territory"
    try:
        plan = services.plan_official_territory(
            contract.territory,
            choice=request.POST.get("choice", ""),
            commune_codes=request.POST.getlist("communes"),
        )
    except ValidationError as error:
        return territory_page(request, contract, official_error=error.messages[0], status=400)
    if not plan.changed:
        messages.info(request, _("Le territoire correspond déjà à ce choix : rien n'a été modifié."))
        return redirect(back)
    if not is_confirmed(request):
        what = plan.official_name or _("les communes cochées")
        return confirmation_page(
            request,
            context=editor_context(contract, "contracts:edit_territory", _("Confirmer le territoire")),
            question=_("Définir le territoire du contrat à partir de « %(what)s » (géographie officielle) ?")
            % {"what": what},
            replacements=plan.replacements(),
            cancel_url=back,
            confirm_label=_("Confirmer le territoire"),
        )
    counts = {
        "created": len(plan.creates),
        "updated": len(plan.municipality_changes()),
        "deleted": len(plan.deletes),
    }
    services.apply_official_territory(plan)
    messages.success(
        request,
        _(
            "Le territoire a été défini à partir de la géographie officielle : %(created)s commune(s) ajoutée(s), "
            "%(updated)s complétée(s), %(deleted)s retirée(s)."
        )
        % counts,
    )
    return redirect(back)
