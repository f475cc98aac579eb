"""The coordination's side: what is public, publishing a version, withdrawing the page."""

from django.contrib import messages
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from opencls.accounts.permissions import get_contract_or_404
from opencls.actions.models import Action, Indicator
from opencls.core.confirm import confirmation_page, is_confirmed
from opencls.publication import selectors, services
from opencls.publication.forms import PublishForm
from opencls.publication.snapshot import build_snapshot, changes


def manage(request, pk):
    """The publication page (`contracts:publish`): state, versions, publish and withdraw."""
    contract = get_contract_or_404(request.user, pk, "contract.publish")
    reports = selectors.evaluation_reports(contract)
    latest = selectors.latest_version(contract)
    initial = {"evaluation_report": latest.evaluation_report_id if latest else None}
    if initial["evaluation_report"] is None:
        initial["evaluation_report"] = reports.values_list("pk", flat=True).first()
    form = PublishForm(request.POST or None, reports=reports, initial=initial)
    here = reverse("contracts:publish", args=[contract.pk])
    context = {"contract": contract, "title": _("Publication")}
    if request.method == "POST" and request.POST.get("op") == "unpublish":
        if not contract.is_published:
            return redirect(here)
        if not is_confirmed(request):
            return confirmation_page(
                request,
                context={**context, "heading": _("Retirer la page publique")},
                question=_(
                    "La page publique du contrat ne sera plus visible (les suggestions non plus). "
                    "Les versions publiées restent dans l'historique ; vous pourrez publier à nouveau."
                ),
                replacements=changes(latest.snapshot if latest else None, None),
                cancel_url=here,
                confirm_label=_("Retirer la page publique"),
            )
        services.unpublish(contract)
        messages.success(request, _("La page publique est retirée."))
        return redirect(here)
    if request.method == "POST" and request.POST.get("op") == "publish" and form.is_valid():
        report = form.cleaned_data["evaluation_report"]
        current = selectors.latest_published_version(contract)
        candidate = build_snapshot(contract, evaluation_report=report)
        rows = changes(current.snapshot if current else None, candidate)
        if current is not None and not rows:
            messages.info(
                request,
                _("Rien ne changerait sur la page publique : la version n° %(number)s reste en ligne.")
                % {"number": current.number},
            )
            return redirect(here)
        if not is_confirmed(request):
            return confirmation_page(
                request,
                context={**context, "heading": _("Publier une nouvelle version")},
                question=_(
                    "Voici ce qui changera sur la page publique, vue par tous sans compte. "
                    "Le reste du contrat (brouillon, fiches et indicateurs non publics) n'y apparaît pas."
                ),
                replacements=rows,
                cancel_url=here,
                confirm_label=_("Publier"),
            )
        version = services.publish_version(contract, user=request.user, evaluation_report=report)
        messages.success(
            request,
            _("La version n° %(number)s est en ligne sur la page publique.") % {"number": version.number},
        )
        return redirect(here)
    public_actions = Action.objects.filter(contract=contract, is_public=True).count()
    context.update(
        {
            "form": form,
            "latest": latest,
            "versions": selectors.contract_versions(contract),
            "public_action_count": public_actions,
            "public_indicator_count": Indicator.objects.filter(
                action__contract=contract, is_public=True
            ).count(),
            "pending_count": selectors.pending_count(contract),
        }
    )
    return render(request, "publication/manage.html", context)


def visibility(request, pk):
    """Which fiches, and which indicators' values, the next published version shows."""
    contract = get_contract_or_404(request.user, pk, "action.visibility")
    actions = list(
        Action.objects.filter(contract=contract)
        .select_related("axis")
        .prefetch_related(Prefetch("indicators", queryset=Indicator.objects.select_related("operation")))
    )
    if request.method == "POST":
        wanted_actions = {int(v) for v in request.POST.getlist("actions") if v.isdigit()}
        wanted_indicators = {int(v) for v in request.POST.getlist("indicators") if v.isdigit()}
        changed = services.set_public_marks(
            contract, action_ids=wanted_actions, indicator_ids=wanted_indicators
        )
        if changed:
            messages.success(
                request,
                _(
                    "%(n)s changement(s) enregistré(s). Ils apparaîtront sur la page publique à la prochaine "
                    "publication."
                )
                % {"n": changed},
            )
        else:
            messages.info(request, _("Aucun changement."))
        return redirect("contracts:publish", contract.pk)
    return render(
        request,
        "publication/visibility.html",
        {"contract": contract, "actions": actions, "title": _("Ce qui est public")},
    )
