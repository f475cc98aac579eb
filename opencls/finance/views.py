from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django.views.decorators.vary import vary_on_headers

from opencls.accounts.permissions import can, get_contract_or_404
from opencls.actions.models import Action, FundingLine
from opencls.core.templatetags.opencls_tags import euros
from opencls.finance import exports, selectors, services
from opencls.finance.forms import (
    CoordinatorPostFundingForm,
    FundingLineForm,
    SimulationForm,
    StatedSharesForm,
)
from opencls.finance.selectors import is_overspent

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _breadcrumb(contract, current):
    return {
        "links": [
            {"url": reverse("core:dashboard"), "title": _("Tableau de bord")},
            {"url": reverse("contracts:detail", args=[contract.pk]), "title": str(contract)},
            {"url": reverse("finance:overview", args=[contract.pk]), "title": _("Financements")},
        ],
        "current": current,
    }


@vary_on_headers("HX-Request")
def overview(request, pk):
    """The coordinator post's co-financing: the signed table beside the computed one, and a what-if."""
    contract = get_contract_or_404(request.user, pk, "finance.view")
    inputs = selectors.cofinancing_inputs(contract)
    simulation_form = SimulationForm(request.GET or None)
    simulation = None
    if simulation_form.is_valid():
        simulation = selectors.cofinancing_table(
            inputs, cost=simulation_form.cleaned_data["cout"], simulate=True
        )
    if request.htmx:
        return render(
            request,
            "finance/includes/simulation.html",
            {"contract": contract, "simulation_form": simulation_form, "simulation": simulation},
        )
    return render(
        request,
        "finance/overview.html",
        {
            "contract": contract,
            "table": selectors.cofinancing_table(inputs),
            "simulation_form": simulation_form,
            "simulation": simulation,
            "rounding_rule": exports.ROUNDING_RULE,
            "title": _("Cofinancement du poste de coordination"),
            "breadcrumb_data": _breadcrumb(contract, _("Poste de coordination")),
        },
    )


@require_http_methods(["GET", "POST"])
def cofinancing_edit(request, pk):
    contract = get_contract_or_404(request.user, pk, "finance.change")
    inputs = selectors.cofinancing_inputs(contract)
    data = request.POST if request.method == "POST" else None
    form = CoordinatorPostFundingForm(data, instance=inputs.funding)
    shares_form = StatedSharesForm(
        data,
        municipalities=inputs.municipalities,
        shares=inputs.stated_shares,
        ars_label=inputs.funding.ars_organisation.name if inputs.funding.ars_organisation else _("ARS"),
    )
    if request.method == "POST" and form.is_valid() and shares_form.is_valid():
        services.coordinator_post_funding_save(
            contract=contract, values=form.cleaned_data, stated=shares_form.stated()
        )
        messages.success(request, _("Le cofinancement du poste de coordination est enregistré."))
        return redirect("finance:overview", contract.pk)
    return render(
        request,
        "finance/cofinancing_form.html",
        {
            "contract": contract,
            "form": form,
            "shares_form": shares_form,
            "title": _("Modifier le cofinancement du poste de coordination"),
            "breadcrumb_data": _breadcrumb(contract, _("Modifier le cofinancement")),
        },
        status=400 if request.method == "POST" else 200,
    )


def budget(request, pk):
    contract = get_contract_or_404(request.user, pk, "finance.view")
    may_change = can(request.user, "finance.change", contract)
    data = selectors.budget(contract)
    kind_labels = {kind: str(label) for kind, label in FundingLine.Kind.choices}  # once, not per line
    for action in data.actions:
        for line in action.budget_lines:
            line.overspent = is_overspent(line)
            line.kind_label = kind_labels[line.kind]
    return render(
        request,
        "finance/budget.html",
        {
            "contract": contract,
            "budget": data,
            "overspent_count": sum(line.overspent for a in data.actions for line in a.budget_lines),
            "may_change": may_change,
            "column_count": 8 if may_change else 7,
            "title": _("Budget des actions"),
            "breadcrumb_data": _breadcrumb(contract, _("Budget des actions")),
        },
    )


def _warn_if_overspent(request, line: FundingLine) -> None:
    if is_overspent(line):
        messages.warning(
            request,
            _(
                "Attention : le montant dépensé (%(spent)s) dépasse le montant accordé (%(granted)s). "
                "La ligne est enregistrée ; vérifiez-la avec le financeur."
            )
            % {"spent": euros(line.spent_amount), "granted": euros(line.granted_amount)},
        )


def _line_form_page(request, contract, action, form, title, status):
    return render(
        request,
        "finance/line_form.html",
        {
            "contract": contract,
            "action": action,
            "form": form,
            "title": title,
            "breadcrumb_data": _breadcrumb(contract, title),
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
def line_create(request, pk, action_pk):
    contract = get_contract_or_404(request.user, pk, "finance.change")
    action = get_object_or_404(Action, pk=action_pk, contract=contract)
    form = FundingLineForm(
        request.POST or None, action=action, funders=selectors.contract_organisations(contract)
    )
    if request.method == "POST" and form.is_valid():
        line = services.funding_line_create(action=action, values=form.cleaned_data)
        messages.success(
            request, _("La ligne de financement est ajoutée à « %(action)s ».") % {"action": action}
        )
        _warn_if_overspent(request, line)
        return redirect(f"{reverse('finance:budget', args=[contract.pk])}#action-{action.pk}")
    title = _("Ajouter une ligne de financement — %(action)s") % {"action": action}
    return _line_form_page(request, contract, action, form, title, 400 if request.method == "POST" else 200)


@require_http_methods(["GET", "POST"])
def line_update(request, pk, line_pk):
    contract = get_contract_or_404(request.user, pk, "finance.change")
    line = get_object_or_404(
        FundingLine.objects.select_related("action"), pk=line_pk, action__contract=contract
    )
    form = FundingLineForm(
        request.POST or None,
        instance=line,
        action=line.action,
        funders=selectors.contract_organisations(contract),
    )
    if request.method == "POST" and form.is_valid():
        line = services.funding_line_update(line=line, values=form.cleaned_data)
        messages.success(request, _("La ligne de financement est modifiée."))
        _warn_if_overspent(request, line)
        return redirect(f"{reverse('finance:budget', args=[contract.pk])}#action-{line.action_id}")
    title = _("Modifier une ligne de financement — %(action)s") % {"action": line.action}
    return _line_form_page(
        request, contract, line.action, form, title, 400 if request.method == "POST" else 200
    )


@require_http_methods(["GET", "POST"])
def line_delete(request, pk, line_pk):
    contract = get_contract_or_404(request.user, pk, "finance.change")
    line = get_object_or_404(
        FundingLine.objects.select_related("action", "funder"), pk=line_pk, action__contract=contract
    )
    if request.method == "POST":
        services.funding_line_delete(line=line)
        messages.success(request, _("La ligne de financement est supprimée."))
        return redirect(f"{reverse('finance:budget', args=[contract.pk])}#action-{line.action_id}")
    title = _("Supprimer une ligne de financement")
    return render(
        request,
        "finance/line_delete.html",
        {"contract": contract, "line": line, "title": title, "breadcrumb_data": _breadcrumb(contract, title)},
    )


# ---------------------------------------------------------------- exports


def _download(content, content_type: str, contract, name: str, extension: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    slug = slugify(contract.short_name or contract.title)[:40]
    response["Content-Disposition"] = f'attachment; filename="{name}-{slug}.{extension}"'
    return response


def budget_xlsx(request, pk):
    contract = get_contract_or_404(request.user, pk, "finance.view")
    content = exports.budget_xlsx(contract, selectors.budget(contract), timezone.localdate())
    return _download(content, XLSX, contract, "budget", "xlsx")


def budget_csv(request, pk):
    contract = get_contract_or_404(request.user, pk, "finance.view")
    content = exports.budget_csv(selectors.budget(contract))
    return _download(content, "text/csv; charset=utf-8", contract, "budget", "csv")


def _cofinancing_export(request, pk, build, content_type: str, extension: str):
    contract = get_contract_or_404(request.user, pk, "finance.view")
    table = selectors.cofinancing_table(selectors.cofinancing_inputs(contract))
    if table.error:  # nothing computed: say why on the page rather than export an empty table
        messages.error(request, table.error)
        return redirect("finance:overview", contract.pk)
    return _download(build(contract, table), content_type, contract, "cofinancement-coordination", extension)


def cofinancing_xlsx(request, pk):
    return _cofinancing_export(
        request,
        pk,
        lambda contract, table: exports.cofinancing_xlsx(contract, table, timezone.localdate()),
        XLSX,
        "xlsx",
    )


def cofinancing_csv(request, pk):
    return _cofinancing_export(
        request, pk, lambda contract, table: exports.cofinancing_csv(table), "text/csv; charset=utf-8", "csv"
    )
