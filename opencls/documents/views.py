from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from opencls.accounts.permissions import can, get_contract_or_404
from opencls.contracts.models import Contract
from opencls.documents import articles, contract_document, fiche, gantt
from opencls.documents.forms import ArticleForm, GenerateForm
from opencls.documents.jobs import CONTRACT_DOCUMENT, COPIL_DECK
from opencls.jobs.services import start_job


def _breadcrumb(contract, current, *, parent=None):
    links = [
        {"url": reverse("core:dashboard"), "title": _("Tableau de bord")},
        {"url": reverse("contracts:detail", args=[contract.pk]), "title": str(contract)},
    ]
    if parent:
        links.append(parent)
    return {"links": links, "current": current}


def _documents_link(contract):
    return {"url": reverse("documents:index", args=[contract.pk]), "title": _("Documents")}


@require_GET
def index(request, pk):
    """The contract's documents: the contract for signature, the fiches, the COPIL deck, the calendar."""
    contract = get_contract_or_404(request.user, pk, "contract.view")
    actions = list(contract.actions.select_related("axis").order_by("axis__position", "position", "pk"))
    return render(
        request,
        "documents/index.html",
        {
            "contract": contract,
            "actions": actions,
            "may_export": can(request.user, "contract.export", contract),
            "title": _("Documents — %(contract)s") % {"contract": contract},
            "breadcrumb_data": _breadcrumb(contract, _("Documents")),
        },
    )


@require_POST
def generate(request, pk):
    contract = get_contract_or_404(request.user, pk, "contract.export")
    form = GenerateForm(request.POST)
    if not form.is_valid():
        raise Http404
    fmt = form.cleaned_data["format"]
    origin = reverse("documents:index", args=[contract.pk])
    if fmt == "pptx":
        job = start_job(
            COPIL_DECK, request.user, contract, label=_("Diaporama du COPIL (PPTX)"), origin_url=origin
        )
    else:
        job = start_job(
            CONTRACT_DOCUMENT,
            request.user,
            contract,
            label=_("Contrat à signer (%(format)s)") % {"format": fmt.upper()},
            origin_url=origin,
            fmt=fmt,
        )
    return redirect("jobs:detail", job.pk)


@require_GET
def articles_list(request, pk):
    contract = get_contract_or_404(request.user, pk, "contract.view")
    items = articles.contract_articles(contract)
    return render(
        request,
        "documents/articles.html",
        {
            "contract": contract,
            "articles": items,
            "is_default": not items or items[0].pk is None,
            "may_change": can(request.user, "contract.change", contract),
            "title": _("Articles du contrat — %(contract)s") % {"contract": contract},
            "breadcrumb_data": _breadcrumb(contract, _("Articles"), parent=_documents_link(contract)),
        },
    )


def article_edit(request, pk, key):
    contract = get_contract_or_404(request.user, pk, "contract.change")
    article = next((a for a in articles.contract_articles(contract) if a.key == key), None)
    if article is None:
        raise Http404
    initial = {"number": article.number, "title": article.title, "body": article.body}
    form = ArticleForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        changed = articles.article_save(user=request.user, contract=contract, key=key, **form.cleaned_data)
        if changed:
            messages.success(request, _("L'article a été enregistré."))
        else:
            messages.info(request, _("Aucune modification : rien n'a été enregistré."))
        return redirect("documents:articles", contract.pk)
    history = list(article.history.select_related("history_user")[:20]) if article.pk else []
    return render(
        request,
        "documents/article_form.html",
        {
            "contract": contract,
            "article": article,
            "form": form,
            "history": history,
            "title": str(article),
            "breadcrumb_data": _breadcrumb(
                contract,
                str(article),
                parent={"url": reverse("documents:articles", args=[contract.pk]), "title": _("Articles")},
            ),
        },
    )


def _pdf(content: bytes, filename: str, *, attachment: bool = False) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    disposition = "attachment" if attachment else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    return response


@require_GET
def fiche_pdf(request, pk, action_pk):
    """One fiche action on one page, for its porteur (readers of the contract)."""
    contract = get_contract_or_404(request.user, pk, "contract.view")
    action = fiche.fiche_action(contract, action_pk)
    name = slugify(action.code or action.title)[:50] or str(action.pk)
    return _pdf(fiche.render_fiche_pdf(action), f"fiche-{name}.pdf")


PUBLIC_PDF_CACHE_SECONDS = 24 * 3600


@login_not_required
@require_GET
def public_contract_pdf(request, pk):
    """The published contract as a PDF for the citizen page: the actions kept off the public page
    are left out. The PDF is kept in the cache under a fingerprint of its HTML, so visitors cost a
    page render (a tenth of a second) and the layout runs again only when the contract changed."""
    contract = get_object_or_404(Contract.objects.select_related("territory"), pk=pk)
    if not can(request.user, "contract.view_public", contract):
        raise Http404
    data = contract_document.contract_document_data(contract, public=True)
    html = contract_document.render_html(data)
    key = f"documents:public-pdf:{contract.pk}:{contract_document.fingerprint(html)}"
    content = cache.get(key)
    if content is None:
        content = contract_document.html_to_pdf(html)
        cache.set(key, content, PUBLIC_PDF_CACHE_SECONDS)
    return _pdf(content, f"contrat-{slugify(contract.title)[:60]}.pdf")


@require_GET
def calendar(request, pk):
    contract = get_contract_or_404(request.user, pk, "contract.view")
    data = gantt.timeline(contract, today=timezone.localdate())
    return render(
        request,
        "documents/calendar.html",
        {
            "contract": contract,
            "timeline": data,
            "title": _("Calendrier des actions — %(contract)s") % {"contract": contract},
            "breadcrumb_data": _breadcrumb(contract, _("Calendrier des actions")),
        },
    )


@require_GET
def calendar_ics(request, pk):
    contract = get_contract_or_404(request.user, pk, "contract.view")
    data = gantt.timeline(contract, today=timezone.localdate())
    url = request.build_absolute_uri(reverse("documents:calendar", args=[contract.pk]))
    content = gantt.timeline_ical(data, host=request.get_host().split(":")[0], url=url)
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="calendrier-{slugify(contract.title)[:60]}.ics"'
    return response
