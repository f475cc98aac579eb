from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from opencls.accounts.models import Organisation
from opencls.accounts.permissions import can, get_contract_or_404
from opencls.contracts.io import contract_to_json
from opencls.governance import amendments as service
from opencls.governance import selectors
from opencls.governance.diff import (
    SECTIONS,
    action_key,
    amendment_changes,
    axis_key,
    section_items,
    signatory_key,
)
from opencls.governance.forms import (
    AmendmentActionForm,
    AmendmentAxisForm,
    AmendmentForm,
    AmendmentSignatoryForm,
    SignatureForm,
)
from opencls.governance.models import Amendment
from opencls.governance.services import GovernanceError
from opencls.governance.views.common import attempt, breadcrumb, form_page


def _amendment(contract, amendment_pk) -> Amendment:
    return get_object_or_404(Amendment, pk=amendment_pk, contract=contract)


def _crumbs(contract, amendment=None) -> list[tuple[str, str]]:
    crumbs = [(reverse("governance:amendments", args=[contract.pk]), _("Avenants"))]
    if amendment is not None:
        crumbs.append(
            (reverse("governance:amendment_detail", args=[contract.pk, amendment.pk]), str(amendment))
        )
    return crumbs


def amendments(request, pk):
    contract = get_contract_or_404(request.user, pk, "contract.view")
    return render(
        request,
        "governance/amendments.html",
        {
            "contract": contract,
            "amendments": list(Amendment.objects.filter(contract=contract).select_related("copil_meeting")),
            "may_change": can(request.user, "amendment.change", contract),
            "title": _("Avenants"),
            "breadcrumb_data": breadcrumb(contract, current=_("Avenants")),
        },
    )


def amendment_edit(request, pk, amendment_pk=None):
    """Open an amendment (the version in force becomes its starting point) or change its heading."""
    contract = get_contract_or_404(request.user, pk, "amendment.change")
    amendment = _amendment(contract, amendment_pk) if amendment_pk else Amendment(contract=contract)
    form = AmendmentForm(request.POST or None, instance=amendment, contract=contract)
    saved = {}

    def save():
        data = form.cleaned_data
        if amendment_pk:
            service.amendment_update(
                amendment, title=data["title"], summary=data["summary"], copil_meeting=data["copil_meeting"]
            )
            saved["amendment"] = amendment
        else:
            saved["amendment"] = service.amendment_create(contract, user=request.user, **data)

    if request.method == "POST" and form.is_valid() and attempt(form, save):
        return redirect("governance:amendment_detail", contract.pk, saved["amendment"].pk)
    return form_page(
        request,
        contract,
        form,
        title=_("Modifier l'avenant") if amendment_pk else _("Préparer un avenant"),
        back=reverse("governance:amendments", args=[pk]),
        crumbs=_crumbs(contract),
        intro=""
        if amendment_pk
        else _(
            "L'avenant part de la version en vigueur du contrat. Vous y ajouterez, modifierez ou retirerez "
            "ensuite des signataires, des axes et des fiches actions."
        ),
    )


def amendment_detail(request, pk, amendment_pk):
    contract = get_contract_or_404(request.user, pk, "contract.view")
    amendment = get_object_or_404(
        Amendment.objects.select_related("copil_meeting__body"), pk=amendment_pk, contract=contract
    )
    parties = selectors.amendment_parties(amendment) if amendment.status == Amendment.Status.PROPOSED else []
    signatures = selectors.amendment_signatures(amendment)
    proposed = amendment.proposed_json["contract"]
    editable = (
        amendment.status == Amendment.Status.PROPOSED
        and can(request.user, "amendment.change", contract)
        and not any(s.is_signed for s in signatures.values())
    )
    return render(
        request,
        "governance/amendment_detail.html",
        {
            "contract": contract,
            "amendment": amendment,
            "changes": amendment_changes(amendment.base_json, amendment.proposed_json),
            "signatories": [(signatory_key(s), s) for s in proposed.get("signatories", [])],
            "axes": [
                (axis_key(a), a, [(action_key(x), x) for x in a.get("actions", [])])
                for a in proposed.get("axes", [])
            ],
            "parties": parties,
            "signed_count": sum(1 for p in parties if p.state.is_signed),
            "recorded_signatures": [] if parties else list(signatures.values()),
            "editable": editable,
            "may_sign": amendment.status == Amendment.Status.PROPOSED
            and can(request.user, "amendment.change", contract),
            "title": str(amendment),
            "breadcrumb_data": breadcrumb(contract, *_crumbs(contract), current=str(amendment)),
        },
    )


def amendment_diff(request, pk, amendment_pk):
    contract = get_contract_or_404(request.user, pk, "contract.view")
    amendment = _amendment(contract, amendment_pk)
    changes = amendment_changes(amendment.base_json, amendment.proposed_json)
    # Has the contract moved since the amendment was prepared? Its changes still apply on top.
    drifted = amendment.status == Amendment.Status.PROPOSED and section_items(
        contract_to_json(contract)
    ) != section_items(amendment.base_json)
    return render(
        request,
        "governance/amendment_diff.html",
        {
            "contract": contract,
            "amendment": amendment,
            "sections": [
                (title, [c for c in changes if c.section == name])
                for name, (title, _fields) in SECTIONS.items()
            ],
            "change_count": len(changes),
            "drifted": drifted,
            "title": _("Différences avec la version en vigueur"),
            "breadcrumb_data": breadcrumb(
                contract, *_crumbs(contract, amendment), current=_("Différences avec la version en vigueur")
            ),
        },
    )


def _edit_page(request, contract, amendment, form, title):
    back = reverse("governance:amendment_detail", args=[contract.pk, amendment.pk])
    return form_page(request, contract, form, title=title, back=back, crumbs=_crumbs(contract, amendment))


def _done(request, contract, amendment, message):
    messages.success(request, message)
    return redirect("governance:amendment_detail", contract.pk, amendment.pk)


def amendment_signatory(request, pk, amendment_pk):
    """Add a signatory (no `cle`) or change the one whose key is `cle`."""
    contract = get_contract_or_404(request.user, pk, "amendment.change")
    amendment = _amendment(contract, amendment_pk)
    key = request.GET.get("cle", "")
    signatories = section_items(amendment.proposed_json)["signatories"]
    if key and key not in signatories:
        raise Http404
    item = signatories.get(key, {})
    form = AmendmentSignatoryForm(request.POST or None, initial=item, joining=not key)

    def save():
        data = form.cleaned_data
        fields = {name: data[name] for name in ("representative", "representative_title", "role")}
        if key:
            service.amendment_signatory_change(amendment, key, **fields)
        else:
            service.amendment_signatory_add(
                amendment, organisation=data["organisation"], kind=data["kind"], **fields
            )

    if request.method == "POST" and form.is_valid() and attempt(form, save):
        return _done(request, contract, amendment, _("Le signataire est enregistré dans l'avenant."))
    title = (
        _("Modifier le signataire %(org)s") % {"org": item["organisation"]}
        if key
        else _("Ajouter un signataire")
    )
    return _edit_page(request, contract, amendment, form, title)


def amendment_axis(request, pk, amendment_pk):
    contract = get_contract_or_404(request.user, pk, "amendment.change")
    amendment = _amendment(contract, amendment_pk)
    key = request.GET.get("cle", "")
    axes = section_items(amendment.proposed_json)["axes"]
    if key and key not in axes:
        raise Http404
    form = AmendmentAxisForm(request.POST or None, initial=axes.get(key, {}), adding=not key)

    def save():
        data = form.cleaned_data
        if key:
            service.amendment_axis_change(
                amendment, key, title=data["title"], description=data["description"]
            )
        else:
            service.amendment_axis_add(amendment, **data)

    if request.method == "POST" and form.is_valid() and attempt(form, save):
        return _done(request, contract, amendment, _("L'axe est enregistré dans l'avenant."))
    return _edit_page(request, contract, amendment, form, _("Modifier l'axe") if key else _("Ajouter un axe"))


def amendment_action(request, pk, amendment_pk):
    contract = get_contract_or_404(request.user, pk, "amendment.change")
    amendment = _amendment(contract, amendment_pk)
    key = request.GET.get("cle", "")
    actions = section_items(amendment.proposed_json)["actions"]
    if key and key not in actions:
        raise Http404
    initial = AmendmentActionForm.initial_for(actions[key], actions[key]["axis"]) if key else {}
    if not key and request.GET.get("axe"):
        initial["axis"] = request.GET["axe"]
    form = AmendmentActionForm(
        request.POST or None,
        initial=initial,
        contract_json=amendment.proposed_json["contract"],
        adding=not key,
    )
    if not form.fields["axis"].choices:
        messages.warning(request, _("Ajoutez d'abord un axe à l'avenant."))
        return redirect("governance:amendment_detail", contract.pk, amendment.pk)

    def save():
        axis = form.cleaned_data["axis"]
        if key:
            service.amendment_action_change(amendment, key, axis=axis, fields=form.action_fields())
        else:
            service.amendment_action_add(amendment, axis=axis, fields=form.action_fields())

    if request.method == "POST" and form.is_valid() and attempt(form, save):
        return _done(request, contract, amendment, _("La fiche action est enregistrée dans l'avenant."))
    title = _("Modifier la fiche action %(key)s") % {"key": key} if key else _("Ajouter une fiche action")
    return _edit_page(request, contract, amendment, form, title)


@require_POST
def amendment_remove(request, pk, amendment_pk, section):
    contract = get_contract_or_404(request.user, pk, "amendment.change")
    amendment = _amendment(contract, amendment_pk)
    removers = {
        "signataire": service.amendment_signatory_remove,
        "axe": service.amendment_axis_remove,
        "fiche-action": service.amendment_action_remove,
    }
    if section not in removers:
        raise Http404
    try:
        removers[section](amendment, request.POST.get("cle", ""))
    except GovernanceError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Le retrait est inscrit dans l'avenant."))
    return redirect("governance:amendment_detail", contract.pk, amendment.pk)


@require_POST
def amendment_abandon(request, pk, amendment_pk):
    contract = get_contract_or_404(request.user, pk, "amendment.change")
    amendment = _amendment(contract, amendment_pk)
    try:
        service.amendment_abandon(amendment)
    except GovernanceError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("L'avenant est abandonné ; le contrat reste inchangé."))
    return redirect("governance:amendments", contract.pk)


def amendment_signature(request, pk, amendment_pk, organisation_pk):
    contract = get_contract_or_404(request.user, pk, "amendment.change")
    amendment = _amendment(contract, amendment_pk)
    party = next(
        (
            p
            for p in selectors.amendment_parties(amendment)
            if p.organisation and p.organisation.pk == organisation_pk
        ),
        None,
    )
    if party is None:
        raise Http404
    form = SignatureForm(request.POST or None, initial=SignatureForm.initial_for(party.state))
    result = {}

    def save():
        result["applied"] = service.amendment_signature_record(
            amendment,
            get_object_or_404(Organisation, pk=organisation_pk),
            user=request.user,
            **form.service_kwargs(),
        )

    if request.method == "POST" and form.is_valid() and attempt(form, save):
        if result["applied"]:
            messages.success(
                request,
                _(
                    "Toutes les parties ont signé : l'avenant n°%(number)d est en vigueur et le contrat est modifié."
                )
                % {"number": amendment.number},
            )
        else:
            messages.success(request, _("Signature de %(org)s enregistrée.") % {"org": party.name})
        return redirect("governance:amendment_detail", contract.pk, amendment.pk)
    return _edit_page(
        request, contract, amendment, form, _("Signature de l'avenant par %(org)s") % {"org": party.name}
    )
