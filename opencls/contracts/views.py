from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from opencls.accounts.permissions import get_contract_or_404, require_create_contract
from opencls.contracts import selectors, services
from opencls.contracts.forms import ContractCreateForm, ContractJsonUploadForm
from opencls.contracts.io import ContractJsonError, contract_to_json_text
from opencls.contracts.models import Contract
from opencls.core.registry import contract_alerts
from opencls.geo.selectors import official_comparison
from opencls.territories.selectors import territory_figures


def contract_create(request):
    require_create_contract(request.user)
    form = ContractCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        contract = services.contract_create(
            user=request.user,
            territory_name=data.pop("territory_name"),
            territory_kind=data.pop("territory_kind"),
            region=data.pop("region"),
            **data,
        )
        messages.success(
            request, _("Le contrat a été créé. Ajoutez maintenant ses axes et ses fiches actions.")
        )
        return redirect("contracts:detail", contract.pk)
    return render(request, "contracts/create.html", {"form": form, "title": _("Créer un contrat")})


def _plan_context(contract):
    axes = selectors.plan_axes(contract)
    for axis in axes:
        axis.operation_total = sum(len(action.operations.all()) for action in axis.plan_actions)
    municipalities = selectors.territory_municipalities(contract)
    return {
        "contract": contract,
        "axes": axes,
        "action_count": sum(len(axis.plan_actions) for axis in axes),
        "operation_count": sum(axis.operation_total for axis in axes),
        "municipalities": municipalities,
        "figures": territory_figures(contract.territory, municipalities),
        "qpv_rows": selectors.qpv_rows(contract, municipalities),
        "official_checks": official_comparison(contract.territory, municipalities),  # issue 16, no query
        "signatories": selectors.contract_signatories(contract),
        "diagnosis": list(contract.diagnosis_indicators.all()),
        "title": contract.title,
    }


def contract_detail(request, pk):
    contract = get_contract_or_404(request.user, pk, "contract.view")
    if contract.parent_id:
        contract = Contract.objects.select_related("territory", "parent").get(pk=contract.pk)
    context = _plan_context(contract)
    context["alerts"] = contract_alerts(contract, timezone.localdate())
    context["json_form"] = ContractJsonUploadForm()
    context["linked_contracts"] = selectors.linked_contracts(contract)
    return render(request, "contracts/detail.html", context)


def contract_export_json(request, pk):
    contract = get_contract_or_404(request.user, pk, "contract.export")
    response = HttpResponse(contract_to_json_text(contract), content_type="application/json; charset=utf-8")
    filename = f"contrat-{contract.pk}-{slugify(contract.short_name or contract.title)[:40]}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def contract_import_json(request):
    require_create_contract(request.user)
    form = ContractJsonUploadForm(request.POST or None, request.FILES or None)
    errors = []
    if request.method == "POST" and form.is_valid():
        try:
            contract = services.contract_load_json_bytes(form.cleaned_data["file"].read(), user=request.user)
        except ContractJsonError as error:
            errors = error.messages
        else:
            messages.success(
                request, _("Le contrat « %(title)s » a été importé.") % {"title": contract.title}
            )
            return redirect("contracts:detail", contract.pk)
    return render(
        request,
        "contracts/import_json.html",
        {"form": form, "errors": errors, "title": _("Importer un contrat (JSON)")},
        status=400 if errors else 200,
    )
