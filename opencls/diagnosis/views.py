"""The diagnosis page and its editor: figures, care supply, narrative sections, baselines."""

from dataclasses import dataclass

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from opencls.accounts.permissions import can, get_contract_or_404
from opencls.contracts.models import DiagnosisIndicator
from opencls.core.confirm import Replacement, confirmation_page, is_confirmed
from opencls.diagnosis import charts, selectors, services
from opencls.diagnosis.forms import BaselineForm, CareSupplyForm, FigureForm, SectionForm
from opencls.diagnosis.models import CareSupply, DiagnosisSection
from opencls.monitoring.charts import ChartBlock


@dataclass(frozen=True)
class RowKind:
    model: type
    form: type
    anchor: str
    added: str
    changed: str
    deleted: str
    add_title: str
    change_title: str


ROW_KINDS = {
    "chiffres": RowKind(
        DiagnosisIndicator,
        FigureForm,
        "figures",
        gettext_lazy("Le chiffre est ajouté au diagnostic."),
        gettext_lazy("Le chiffre est modifié."),
        gettext_lazy("Le chiffre est supprimé du diagnostic."),
        gettext_lazy("Ajouter un chiffre au diagnostic"),
        gettext_lazy("Modifier un chiffre du diagnostic"),
    ),
    "offre-de-soins": RowKind(
        CareSupply,
        CareSupplyForm,
        "care-supply",
        gettext_lazy("L'offre est ajoutée au diagnostic."),
        gettext_lazy("L'offre est modifiée."),
        gettext_lazy("L'offre est supprimée du diagnostic."),
        gettext_lazy("Ajouter une offre de soins ou médico-sociale"),
        gettext_lazy("Modifier une offre de soins ou médico-sociale"),
    ),
    "parties": RowKind(
        DiagnosisSection,
        SectionForm,
        "sections",
        gettext_lazy("La partie est ajoutée au diagnostic."),
        gettext_lazy("La partie est modifiée."),
        gettext_lazy("La partie est supprimée du diagnostic."),
        gettext_lazy("Ajouter une partie rédigée"),
        gettext_lazy("Modifier une partie rédigée"),
    ),
}


def _kind(slug: str) -> RowKind:
    if slug not in ROW_KINDS:
        raise Http404
    return ROW_KINDS[slug]


def _page_url(contract, anchor: str = "") -> str:
    url = reverse("diagnosis:page", args=[contract.pk])
    return f"{url}#{anchor}" if anchor else url


def _breadcrumb(contract, current, own_page=False):
    data = {
        "links": [
            {"url": reverse("core:dashboard"), "title": _("Tableau de bord")},
            {"url": reverse("contracts:detail", args=[contract.pk]), "title": str(contract)},
            {"url": _page_url(contract), "title": _("Diagnostic")},
        ],
        "current": current,
    }
    if own_page:  # the section's own page: it is the current crumb, not a link
        data["links"].pop()
    return data


def page(request, pk):
    contract = get_contract_or_404(request.user, pk, "contract.view")
    population, population_basis = selectors.territory_population(contract)
    groups = selectors.figure_groups(contract)
    for group in groups:
        chart = charts.comparison_chart(
            _("%(group)s : le territoire comparé") % {"group": group.label}, group.figures
        )
        group.chart = ChartBlock(chart, f"diagnosis-chart-{group.key}") if chart else None
    return render(
        request,
        "diagnosis/page.html",
        {
            "contract": contract,
            "groups": groups,
            "figure_count": sum(len(group.figures) for group in groups),
            "supply": selectors.care_supply(contract, population),
            "population": population,
            "population_basis": population_basis,
            "sections": selectors.sections(contract),
            "may_change": can(request.user, "contract.change", contract),
            "title": _("Diagnostic territorial"),
            "breadcrumb_data": _breadcrumb(contract, _("Diagnostic"), own_page=True),
        },
    )


def _form_page(request, contract, kind, form, title):
    return render(
        request,
        "diagnosis/row_form.html",
        {
            "contract": contract,
            "form": form,
            "kind": kind,
            "cancel_url": _page_url(contract, kind.anchor),
            "title": title,
            "breadcrumb_data": _breadcrumb(contract, title),
        },
        status=400 if request.method == "POST" else 200,
    )


@require_http_methods(["GET", "POST"])
def row_add(request, pk, kind):
    contract = get_contract_or_404(request.user, pk, "contract.change")
    row_kind = _kind(kind)
    form = row_kind.form(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.row_create(contract=contract, form=form)
        messages.success(request, row_kind.added)
        return redirect(_page_url(contract, row_kind.anchor))
    return _form_page(request, contract, row_kind, form, row_kind.add_title)


@require_http_methods(["GET", "POST"])
def row_edit(request, pk, kind, row_pk):
    contract = get_contract_or_404(request.user, pk, "contract.change")
    row_kind = _kind(kind)
    row = get_object_or_404(row_kind.model, pk=row_pk, contract=contract)
    form = row_kind.form(request.POST or None, instance=row)
    if request.method == "POST" and form.is_valid():
        if form.has_changed():
            services.row_update(form=form)
            messages.success(request, row_kind.changed)
        else:
            messages.info(request, _("Aucune modification : rien n'est enregistré."))
        return redirect(_page_url(contract, row_kind.anchor))
    return _form_page(request, contract, row_kind, form, row_kind.change_title)


@require_http_methods(["GET", "POST"])
def row_delete(request, pk, kind, row_pk):
    contract = get_contract_or_404(request.user, pk, "contract.change")
    row_kind = _kind(kind)
    row = get_object_or_404(row_kind.model, pk=row_pk, contract=contract)
    if is_confirmed(request):
        services.row_delete(row=row)
        messages.success(request, row_kind.deleted)
        return redirect(_page_url(contract, row_kind.anchor))
    replacements = [Replacement(str(row._meta.verbose_name).capitalize(), str(row), "")]
    if isinstance(row, DiagnosisIndicator):
        replacements += [
            Replacement(
                _("Situation de départ de « %(indicator)s »") % {"indicator": indicator.label}, str(row), ""
            )
            for indicator in row.indicators.all()
        ]
    return confirmation_page(
        request,
        context={"contract": contract, "title": _("Supprimer du diagnostic")},
        question=_("Supprimer « %(row)s » du diagnostic ? Il reste visible dans l'historique du contrat.")
        % {"row": row},
        replacements=replacements,
        cancel_url=_page_url(contract, row_kind.anchor),
        confirm_label=_("Supprimer"),
    )


@require_POST
def row_move(request, pk, kind, row_pk):
    contract = get_contract_or_404(request.user, pk, "contract.change")
    row_kind = _kind(kind)
    row = get_object_or_404(row_kind.model, pk=row_pk, contract=contract)
    services.row_move(row=row, direction=-1 if request.POST.get("direction") == "up" else 1)
    return redirect(_page_url(contract, row_kind.anchor))


@require_http_methods(["GET", "POST"])
def baselines(request, pk, row_pk):
    """Which result indicators of the plan start from this figure."""
    contract = get_contract_or_404(request.user, pk, "contract.change")
    figure = get_object_or_404(DiagnosisIndicator, pk=row_pk, contract=contract)
    indicators = selectors.result_indicators(contract)
    initial = {"indicators": [i for i in indicators if i.baseline_id == figure.pk]}
    form = BaselineForm(request.POST or None, indicators=indicators, initial=initial)
    if request.method == "POST" and form.is_valid():
        moved = [i for i in form.cleaned_data["indicators"] if i.baseline_id not in (None, figure.pk)]
        if moved and not is_confirmed(request):
            return confirmation_page(
                request,
                context={"contract": contract, "title": _("Situation de départ")},
                question=_("Ces indicateurs partaient d'un autre chiffre du diagnostic : le remplacer ?"),
                replacements=[
                    Replacement(f"{i.action} — {i.label}", str(i.baseline), str(figure)) for i in moved
                ],
                cancel_url=reverse("diagnosis:baselines", args=[contract.pk, figure.pk]),
            )
        changed = services.baselines_set(figure=figure, indicators=form.cleaned_data["indicators"])
        if changed:
            messages.success(request, _("Les situations de départ sont enregistrées."))
        else:
            messages.info(request, _("Aucune modification : rien n'est enregistré."))
        return redirect(_page_url(contract, "figures"))
    title = _("Situation de départ : %(figure)s") % {"figure": figure}
    return render(
        request,
        "diagnosis/baselines.html",
        {
            "contract": contract,
            "figure": figure,
            "form": form,
            "title": title,
            "breadcrumb_data": _breadcrumb(contract, title),
        },
        status=400 if request.method == "POST" else 200,
    )
