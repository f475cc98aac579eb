"""The regional view (/region/) and the themes of a contract's actions."""

from collections import defaultdict

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from opencls.accounts.permissions import get_contract_or_404, require
from opencls.actions.models import Action
from opencls.contracts.models import Contract
from opencls.jobs.services import start_job
from opencls.region import compare, exports, maps, selectors, themes
from opencls.region.forms import RegionFilterForm, ThemeAddForm, ThemeDecisionForm
from opencls.region.jobs import REGION_EXPORT
from opencls.region.models import ActionTheme, Theme
from opencls.region.search import search as search_actions

MAX_QUERY = 200


def _filters(request):
    form = RegionFilterForm(
        request.GET or None, choices=selectors.filter_choices(request.user), themes=list(Theme.objects.all())
    )
    return form, form.filters()


def _nav(current: str) -> dict:
    return {"region_tab": current}


def home(request):
    """Every contract of the scope, filtered, sorted, paginated, with counts at the top."""
    today = timezone.localdate()
    form, filters = _filters(request)
    view = selectors.regional_view(request.user, filters, today, request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "filters": filters,
        "view": view,
        "statuses": [(key, selectors.RegionalStatus.LABELS[key], n) for key, n in view.by_status.items()],
        "querystring": query.urlencode(),
        "sort_links": _sort_links(query, filters.sort),
        "title": _("Vue régionale"),
        **_nav("home"),
    }
    if request.htmx and not request.htmx.boosted:
        return render(request, "region/includes/results.html", context)
    return render(request, "region/home.html", context)


def _sort_links(query, current: str) -> dict:
    """Column → (URL query that sorts by it, aria-sort value)."""
    links = {}
    for key in selectors.SORTS:
        descending = current == key
        params = query.copy()
        params["sort"] = f"-{key}" if descending else key
        state = "ascending" if current == key else "descending" if current == f"-{key}" else ""
        links[key] = (params.urlencode(), state)
    return links


def export_csv(request):
    """Streamed whatever the number of contracts (rows computed by batches)."""
    _form, filters = _filters(request)
    queryset = selectors.filtered_contracts(request.user, filters, timezone.localdate())
    response = StreamingHttpResponse(
        exports.csv_stream(queryset, timezone.localdate()), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="vue-regionale.csv"'
    return response


def _export(request, fmt: str):
    """Small exports are answered at once; beyond JOB_THRESHOLD contracts the page offers to
    prepare the file as a background job (a POST), followed on /taches/."""
    if request.method == "POST":
        job = start_job(
            REGION_EXPORT,
            request.user,
            label=_("Vue régionale (%(format)s)") % {"format": fmt.upper()},
            origin_url=f"{reverse('region:home')}?{request.GET.urlencode()}",
            fmt=fmt,
            query=request.GET.urlencode(),
        )
        return redirect("jobs:detail", job.pk)
    form, filters = _filters(request)
    today = timezone.localdate()
    queryset = selectors.filtered_contracts(request.user, filters, today)
    count = queryset.count()
    if count > exports.JOB_THRESHOLD:
        return render(
            request,
            "region/export_job.html",
            {"count": count, "fmt": fmt.upper(), "title": _("Préparer l'export"), **_nav("home")},
        )
    content, filename, content_type = exports.build(fmt, request.user, form, queryset, today)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def export_xlsx(request):
    return _export(request, "xlsx")


def export_ods(request):
    return _export(request, "ods")


def export_pdf(request):
    return _export(request, "pdf")


def search(request):
    query = (request.GET.get("q") or "")[:MAX_QUERY]
    ids = selectors.scope(request.user).values("pk")
    terms, groups = search_actions(ids, query) if query.strip() else ([], [])
    return render(
        request,
        "region/search.html",
        {
            "query": query,
            "terms": terms,
            "groups": groups,
            "hit_count": sum(len(group.hits) for group in groups),
            "title": _("Rechercher dans les fiches actions"),
            **_nav("search"),
        },
    )


def theme_matrix(request):
    """Themes × contracts of the scope (a page of contracts at a time): number of actions of
    each contract with each theme; cells computed here, not one template tag per cell."""
    today = timezone.localdate()
    form, filters = _filters(request)
    ids = selectors.filtered_contracts(request.user, filters, today).values_list("pk", flat=True)
    page = Paginator(ids, selectors.PAGE_SIZE).get_page(request.GET.get("page"))
    page_ids = list(page.object_list)
    by_pk = Contract.objects.only("pk", "title", "short_name").in_bulk(page_ids)
    contracts = [by_pk[pk] for pk in page_ids if pk in by_pk]
    all_themes = list(Theme.objects.all())
    matrix = themes.theme_matrix(page_ids, all_themes)
    urls = {contract.pk: reverse("region:contract_themes", args=[contract.pk]) for contract in contracts}
    rows = []
    for theme in all_themes:
        cells = []
        for contract in contracts:
            n, confirmed = matrix[contract.pk, theme.pk]
            title = _("%(theme)s dans %(contract)s") % {"theme": theme.label, "contract": contract}
            cells.append((contract.pk, n, confirmed, urls[contract.pk], title))
        rows.append((theme, cells))
    return render(
        request,
        "region/themes.html",
        {
            "form": form,
            "contracts": contracts,
            "page": page,
            "rows": rows,
            "title": _("Thèmes des contrats"),
            **_nav("themes"),
        },
    )


def comparison(request):
    ids = selectors.scope(request.user).values("pk")
    all_themes = list(Theme.objects.all())
    theme_id = request.GET.get("theme") or ""
    theme_id = (
        int(theme_id) if theme_id.isdigit() and any(t.pk == int(theme_id) for t in all_themes) else None
    )
    query = (request.GET.get("q") or "")[:MAX_QUERY]
    years, groups = compare.compared_indicators(ids, theme_id=theme_id, query=query)
    diagnosis_contracts, diagnosis = compare.compared_diagnosis(
        ids, query=request.GET.get("dq", "")[:MAX_QUERY]
    )
    return render(
        request,
        "region/comparison.html",
        {
            "themes": all_themes,
            "theme_id": theme_id,
            "query": query,
            "diagnosis_query": request.GET.get("dq", "")[:MAX_QUERY],
            "years": years,
            "groups": groups,
            "diagnosis_contracts": diagnosis_contracts,
            "diagnosis": diagnosis,
            "title": _("Comparer les contrats"),
            **_nav("compare"),
        },
    )


def department_map(request):
    today = timezone.localdate()
    form, filters = _filters(request)
    rows = defaultdict(list)
    for pk, code, status in selectors.filtered_contracts(request.user, filters, today).values_list(
        "pk", "territory__department_code", "regional_status"
    ):
        rows[code or ""].append((pk, status))
    measure = request.GET.get("mesure", "status")
    tiles, legend, frame = maps.department_map(rows, measure)
    table = sorted((tile for tile in tiles if tile.contracts), key=lambda tile: tile.code)
    return render(
        request,
        "region/map.html",
        {
            "form": form,
            "tiles": tiles,
            "legend": legend,
            "frame": frame,
            "table": table,
            "measures": list(maps.MEASURES.items()),
            "measure": frame["measure"],
            "measure_label": maps.MEASURES[frame["measure"]],
            "unplaced": len(rows.get("", [])),
            "extra": [("mesure", frame["measure"])],
            "title": _("Carte des contrats"),
            **_nav("map"),
        },
    )


# Themes of a contract's actions ---------------------------------------------------------------


def contract_themes(request, pk):
    """The contract's actions with their themes; the coordinator asks for suggestions (POST)."""
    contract = get_contract_or_404(request.user, pk, "contract.view")
    if request.method == "POST":
        require(request.user, "theme.change", contract)
        added = themes.suggest_themes(contract)
        messages.success(
            request,
            _("%(n)s thème(s) suggéré(s) d'après le texte des fiches : confirmez-les ou écartez-les.")
            % {"n": added}
            if added
            else _("Aucune nouvelle suggestion : les thèmes déjà décidés sont conservés."),
        )
        return redirect("region:contract_themes", contract.pk)
    return render(
        request,
        "region/contract_themes.html",
        {
            "contract": contract,
            "actions": themes.contract_theme_rows(contract),
            "add_form": ThemeAddForm(),
            "states": ActionTheme.State,
            "title": _("Thèmes des fiches actions — %(contract)s") % {"contract": contract},
        },
    )


@require_POST
def theme_decide(request, pk, link_pk):
    contract = get_contract_or_404(request.user, pk, "theme.change")
    link = get_object_or_404(
        ActionTheme.objects.select_related("theme", "action"), pk=link_pk, contract=contract
    )
    form = ThemeDecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choix inconnu : rien n'a été modifié."))
    elif themes.theme_decide(link, form.cleaned_data["state"], user=request.user):
        messages.success(
            request,
            _("« %(theme)s » : %(state)s pour %(action)s.")
            % {
                "theme": link.theme,
                "state": ActionTheme.State(form.cleaned_data["state"]).label,
                "action": link.action,
            },
        )
    return redirect(f"{_themes_url(contract)}#fiche-{link.action_id}")


@require_POST
def theme_add(request, pk, action_pk):
    contract = get_contract_or_404(request.user, pk, "theme.change")
    action = get_object_or_404(Action, pk=action_pk, contract=contract)
    form = ThemeAddForm(request.POST)
    if form.is_valid():
        themes.theme_add(action, form.cleaned_data["theme"], user=request.user)
        messages.success(request, _("Thème « %(theme)s » confirmé.") % {"theme": form.cleaned_data["theme"]})
    else:
        messages.error(request, _("Choisissez un thème de la liste : rien n'a été modifié."))
    return redirect(f"{_themes_url(contract)}#fiche-{action.pk}")


def _themes_url(contract) -> str:
    return reverse("region:contract_themes", args=[contract.pk])
