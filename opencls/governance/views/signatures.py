from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from opencls.accounts.permissions import can, get_contract_or_404
from opencls.contracts.models import Signatory
from opencls.core.confirm import confirmation_page, is_confirmed
from opencls.governance import selectors, services
from opencls.governance.deliberations import parse_deliberations
from opencls.governance.forms import DeliberationsTextForm, SignatureForm
from opencls.governance.views.common import attempt, breadcrumb, form_page


def signatures(request, pk):
    contract = get_contract_or_404(request.user, pk, "contract.view")
    rows = selectors.contract_signature_rows(contract)
    return render(
        request,
        "governance/signatures.html",
        {
            "contract": contract,
            "rows": rows,
            "signed_count": sum(1 for _s, state in rows if state.is_signed),
            "missing_deliberations": sum(1 for _s, state in rows if state.deliberation_missing),
            "may_change": can(request.user, "governance.change", contract),
            "title": _("Signatures et délibérations"),
            "breadcrumb_data": breadcrumb(contract, current=_("Signatures et délibérations")),
        },
    )


def signature_edit(request, pk, signatory_pk):
    contract = get_contract_or_404(request.user, pk, "governance.change")
    signatory = get_object_or_404(
        Signatory.objects.select_related("organisation"), pk=signatory_pk, contract=contract
    )
    state = dict(selectors.contract_signature_rows(contract))[signatory]
    form = SignatureForm(request.POST or None, initial=SignatureForm.initial_for(state))

    def save():
        was = contract.status
        services.signature_state_update(signatory, user=request.user, **form.service_kwargs())
        contract.refresh_from_db()
        if contract.status != was and contract.status == contract.Status.SIGNED:
            messages.success(request, _("Toutes les parties ont signé : le contrat est signé."))

    if request.method == "POST" and form.is_valid() and attempt(form, save):
        messages.success(request, _("Signature de %(org)s enregistrée.") % {"org": signatory.organisation})
        return redirect("governance:signatures", contract.pk)
    back = reverse("governance:signatures", args=[pk])
    return form_page(
        request,
        contract,
        form,
        title=_("Signature de %(org)s") % {"org": signatory.organisation},
        back=back,
        crumbs=[(back, _("Signatures et délibérations"))],
    )


def deliberations_import(request, pk):
    contract = get_contract_or_404(request.user, pk, "governance.change")
    form = DeliberationsTextForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        parsed = parse_deliberations(form.cleaned_data["text"])
        if not parsed:
            form.add_error(
                "text",
                _(
                    "Aucune ligne « Vu la délibération n°… du … autorisant le Maire de … à signer » n'a été reconnue."
                ),
            )
        elif (replaced := services.deliberations_replaced(contract, parsed)) and not is_confirmed(request):
            back = reverse("governance:signatures", args=[pk])
            return confirmation_page(
                request,
                context={"contract": contract, "title": _("Confirmer le remplacement")},
                question=_("Ces délibérations déjà enregistrées seront remplacées par celles du texte."),
                replacements=replaced,
                cancel_url=back,
            )
        else:
            updated, unmatched = services.deliberations_record_parsed(contract, parsed, user=request.user)
            if updated:
                messages.success(
                    request,
                    _("Délibérations rattachées : %(names)s.") % {"names": ", ".join(updated)},
                )
            if unmatched:
                messages.warning(
                    request,
                    _("Sans signataire correspondant (ajoutez-le ou saisissez-la à la main) : %(items)s.")
                    % {"items": " ; ".join(unmatched)},
                )
            return redirect("governance:signatures", contract.pk)
    back = reverse("governance:signatures", args=[pk])
    return form_page(
        request,
        contract,
        form,
        title=_("Reprendre les délibérations du texte du contrat"),
        back=back,
        crumbs=[(back, _("Signatures et délibérations"))],
        submit=_("Rattacher les délibérations"),
    )
