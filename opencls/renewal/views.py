"""The final evaluation page, its editing, its report, and the renewal into a new contract."""

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from opencls.accounts.permissions import can, can_create_contract, get_contract_or_404
from opencls.actions.models import Action
from opencls.jobs.services import start_job
from opencls.renewal import report, selectors, services
from opencls.renewal.forms import ConclusionForm, FinalEvaluationForm, RenewalForm
from opencls.renewal.models import FinalEvaluation


def _breadcrumb(contract, current, own_page=False):
    data = {
        "links": [
            {"url": reverse("core:dashboard"), "title": _("Tableau de bord")},
            {"url": reverse("contracts:detail", args=[contract.pk]), "title": str(contract)},
            {"url": reverse("renewal:evaluation", args=[contract.pk]), "title": _("Évaluation finale")},
        ],
        "current": current,
    }
    if own_page:  # the section's own page: it is the current crumb, not a link
        data["links"].pop()
    return data


def evaluation(request, pk):
    contract = get_contract_or_404(request.user, pk, "contract.view")
    results = selectors.final_results(contract, timezone.localdate())
    predecessor = (
        contract.predecessor
        if contract.predecessor_id and can(request.user, "contract.view", contract.predecessor)
        else None
    )
    return render(
        request,
        "renewal/evaluation.html",
        {
            "contract": contract,
            "results": results,
            "answers": report.answers(results.evaluation),
            "predecessor": predecessor,
            "continued": Action.objects.filter(contract=contract, predecessor__isnull=False).select_related(
                "predecessor__conclusion"
            ),
            "successors": [s for s in contract.successors.all() if can(request.user, "contract.view", s)],
            "may_change": can(request.user, "evaluation.change", contract),
            "may_generate": can(request.user, "report.generate", contract),
            "may_renew": can(request.user, "contract.change", contract) and can_create_contract(request.user),
            "title": _("Évaluation finale"),
            "breadcrumb_data": _breadcrumb(contract, _("Évaluation finale"), own_page=True),
        },
    )


@require_http_methods(["GET", "POST"])
def evaluation_edit(request, pk):
    contract = get_contract_or_404(request.user, pk, "evaluation.change")
    instance = FinalEvaluation.objects.filter(contract=contract).first() or FinalEvaluation(contract=contract)
    results = selectors.final_results(contract, timezone.localdate())
    data = request.POST if request.method == "POST" else None
    form = FinalEvaluationForm(data, instance=instance)
    rows = [
        (item, ConclusionForm(data, instance=item.conclusion, prefix=f"action-{item.action.pk}"))
        for item in results.actions
    ]
    if request.method == "POST" and form.is_valid() and all(f.is_valid() for _item, f in rows):
        changed = 0
        if form.has_changed():
            services.evaluation_save(contract=contract, form=form, user=request.user)
            changed += 1
        changed += services.conclusions_save(
            contract=contract,
            rows={item.action.pk: f.cleaned_data for item, f in rows if f.has_changed()},
        )
        if changed:
            messages.success(request, _("L'évaluation finale est enregistrée."))
        else:
            messages.info(request, _("Aucune modification : rien n'est enregistré."))
        return redirect("renewal:evaluation", contract.pk)
    return render(
        request,
        "renewal/evaluation_form.html",
        {
            "contract": contract,
            "form": form,
            "rows": rows,
            "title": _("Rédiger l'évaluation finale"),
            "breadcrumb_data": _breadcrumb(contract, _("Rédiger")),
        },
        status=400 if request.method == "POST" else 200,
    )


@require_POST
def report_generate(request, pk):
    contract = get_contract_or_404(request.user, pk, "report.generate")
    fmt = request.POST.get("format")
    if fmt not in ("pdf", "docx"):
        messages.error(request, _("Format inconnu : choisissez PDF ou DOCX."))
        return redirect("renewal:evaluation", contract.pk)
    job = start_job(
        report.FINAL_REPORT,
        request.user,
        contract,
        label=_("Évaluation finale (%(format)s)") % {"format": fmt.upper()},
        origin_url=reverse("renewal:evaluation", args=[contract.pk]),
        fmt=fmt,
    )
    return redirect("jobs:detail", job.pk)


@require_http_methods(["GET", "POST"])
def renew(request, pk):
    contract = get_contract_or_404(request.user, pk, "contract.change")
    if not can_create_contract(request.user):
        raise PermissionDenied
    actions = Action.objects.filter(contract=contract).select_related("axis", "conclusion")
    initial = {
        "title": contract.title,
        "short_name": contract.short_name,
        "actions": [a for a in actions if getattr(a, "conclusion", None) and a.conclusion.to_continue],
    }
    if contract.end_date:
        initial["start_date"] = contract.end_date + timedelta(days=1)
    form = RenewalForm(request.POST or None, actions=actions, initial=initial)
    if request.method == "POST" and form.is_valid():
        successor = services.renew(contract=contract, user=request.user, **form.cleaned_data)
        messages.success(
            request,
            _("Le nouveau contrat « %(title)s » est créé en brouillon, avec %(count)s fiches reconduites.")
            % {"title": successor.title, "count": len(form.cleaned_data["actions"])},
        )
        return redirect("contracts:detail", successor.pk)
    return render(
        request,
        "renewal/renew.html",
        {
            "contract": contract,
            "form": form,
            "title": _("Renouveler le contrat"),
            "breadcrumb_data": _breadcrumb(contract, _("Renouveler")),
        },
        status=400 if request.method == "POST" else 200,
    )
