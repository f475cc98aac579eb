"""The coordination moderates the inhabitants' messages: nothing shows before approval."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from opencls.accounts.permissions import get_contract_or_404
from opencls.core.confirm import Replacement, confirmation_page, is_confirmed
from opencls.publication import selectors, services
from opencls.publication.forms import AnswerForm, EraseForm
from opencls.publication.models import Suggestion


def suggestion_list(request, pk):
    contract = get_contract_or_404(request.user, pk, "suggestion.moderate")
    state = request.GET.get("etat", Suggestion.State.PENDING)
    if state not in Suggestion.State.values:
        state = ""
    page = Paginator(
        selectors.moderation_queue(contract, state or None), selectors.MODERATION_PAGE_SIZE
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "publication/suggestion_list.html",
        {
            "contract": contract,
            "page_obj": page,
            "state": state,
            "states": Suggestion.State.choices,
            "title": _("Suggestions et questions des habitants"),
        },
    )


def _public_url(request, suggestion):
    if suggestion.action_id:
        path = reverse("publication:action", args=[suggestion.contract_id, suggestion.action_id])
    else:
        path = reverse("contracts:public_detail", args=[suggestion.contract_id])
    return request.build_absolute_uri(path)


def suggestion_detail(request, pk, suggestion_pk):
    contract = get_contract_or_404(request.user, pk, "suggestion.moderate")
    suggestion = get_object_or_404(
        Suggestion.objects.select_related("moderated_by"), pk=suggestion_pk, contract=contract
    )
    here = reverse("publication:suggestion", args=[contract.pk, suggestion.pk])
    op = request.POST.get("op") if request.method == "POST" else None
    answer_form = AnswerForm(
        request.POST if op in ("approve", "answer") else None, initial={"answer": suggestion.answer}
    )
    erase_form = EraseForm(request.POST if op == "erase" else None)
    context = {"contract": contract, "suggestion": suggestion, "title": str(suggestion)}
    if op in ("approve", "answer") and answer_form.is_valid():
        answer = answer_form.cleaned_data["answer"]
        if suggestion.answer and answer != suggestion.answer and not is_confirmed(request):
            return confirmation_page(
                request,
                context=context,
                question=_("La réponse publiée sera remplacée."),
                replacements=[Replacement(_("Réponse publique"), suggestion.answer, answer)],
                cancel_url=here,
            )
        if op == "approve":
            services.approve(
                suggestion, user=request.user, answer=answer, public_url=_public_url(request, suggestion)
            )
            messages.success(request, _("Le message est publié."))
        else:
            services.set_answer(
                suggestion, user=request.user, answer=answer, public_url=_public_url(request, suggestion)
            )
            messages.success(request, _("La réponse est enregistrée."))
        return redirect(here)
    if op == "reject":
        if suggestion.state == Suggestion.State.APPROVED and not is_confirmed(request):
            return confirmation_page(
                request,
                context=context,
                question=_("Le message publié quittera la page publique."),
                replacements=[
                    Replacement(_("État"), Suggestion.State.APPROVED.label, Suggestion.State.REJECTED.label)
                ],
                cancel_url=here,
            )
        services.reject(suggestion, user=request.user)
        messages.success(request, _("Le message est refusé : il ne sera pas publié."))
        return redirect(here)
    if op == "erase" and erase_form.is_valid():
        with_message = erase_form.cleaned_data["with_message"]
        if not is_confirmed(request):
            rows = [
                Replacement(_("Nom ou pseudonyme"), suggestion.author_name, ""),
                Replacement(_("Adresse électronique"), suggestion.email, ""),
            ]
            if with_message:
                rows.append(Replacement(_("Message"), suggestion.message, services.WITHDRAWN_MESSAGE))
            return confirmation_page(
                request,
                context={**context, "heading": _("Effacer des données personnelles")},
                question=_(
                    "Ces données seront effacées définitivement (l'historique ne les a jamais gardées)."
                ),
                replacements=rows,
                cancel_url=here,
                confirm_label=_("Effacer"),
            )
        services.erase_personal_data(suggestion, user=request.user, with_message=with_message)
        messages.success(request, _("Les données personnelles du message sont effacées."))
        return redirect(here)
    context.update(
        {"answer_form": answer_form, "erase_form": erase_form, "public_url": _public_url(request, suggestion)}
    )
    status = 400 if request.method == "POST" else 200
    return render(request, "publication/suggestion_detail.html", context, status=status)
