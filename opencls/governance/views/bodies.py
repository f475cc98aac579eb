from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from opencls.accounts.permissions import get_contract_or_404
from opencls.accounts.services import organisation_get_or_create
from opencls.governance import selectors, services
from opencls.governance.forms import BodyForm, CoChairForm, MemberForm
from opencls.governance.models import BodyMember, GovernanceBody, Meeting
from opencls.governance.views.common import attempt, breadcrumb, form_page


def _body(contract, body_pk) -> GovernanceBody:
    return get_object_or_404(GovernanceBody, pk=body_pk, contract=contract)


def body_detail(request, pk, body_pk):
    contract = get_contract_or_404(request.user, pk, "contract.view")
    body = get_object_or_404(
        GovernanceBody.objects.select_related("linked_contract"), pk=body_pk, contract=contract
    )
    upcoming, past = selectors.contract_meetings(contract, body=body)
    return render(
        request,
        "governance/body_detail.html",
        {
            "contract": contract,
            "body": body,
            "members": selectors.body_members(body),
            "upcoming": upcoming,
            "past": past,
            "designations": selectors.co_chair_designations(body) if body.rotating_co_chair else [],
            "title": body.name,
            "breadcrumb_data": breadcrumb(contract, current=body.name),
        },
    )


def body_edit(request, pk, body_pk=None):
    contract = get_contract_or_404(request.user, pk, "governance.change")
    body = _body(contract, body_pk) if body_pk else GovernanceBody(contract=contract)
    form = BodyForm(request.POST or None, instance=body, user=request.user, contract=contract)
    if (
        request.method == "POST"
        and form.is_valid()
        and attempt(form, lambda: services.body_save(form.instance))
    ):
        messages.success(request, _("L'instance « %(name)s » est enregistrée.") % {"name": body.name})
        return redirect("governance:body_detail", contract.pk, body.pk)
    title = _("Modifier l'instance") if body_pk else _("Nouvelle instance")
    back = (
        reverse("governance:body_detail", args=[pk, body_pk])
        if body_pk
        else reverse("governance:overview", args=[pk])
    )
    return form_page(request, contract, form, title=title, back=back)


@require_POST
def body_delete(request, pk, body_pk):
    contract = get_contract_or_404(request.user, pk, "governance.change")
    body = _body(contract, body_pk)
    try:
        services.body_delete(body)
    except services.GovernanceError as error:
        messages.error(request, str(error))
        return redirect("governance:body_detail", contract.pk, body.pk)
    messages.success(request, _("L'instance « %(name)s » est supprimée.") % {"name": body.name})
    return redirect("governance:overview", contract.pk)


@require_POST
def bodies_defaults(request, pk):
    contract = get_contract_or_404(request.user, pk, "governance.change")
    created = services.bodies_create_defaults(contract)
    if created:
        messages.success(
            request, _("Instances créées : %(names)s.") % {"names": ", ".join(b.name for b in created)}
        )
    return redirect("governance:overview", contract.pk)


def member_edit(request, pk, body_pk, member_pk=None):
    contract = get_contract_or_404(request.user, pk, "governance.change")
    body = _body(contract, body_pk)
    member = get_object_or_404(BodyMember, pk=member_pk, body=body) if member_pk else BodyMember(body=body)
    form = MemberForm(request.POST or None, instance=member)

    def save():
        name = form.cleaned_data["organisation_name"].strip()
        form.instance.organisation = organisation_get_or_create(name=name) if name else None
        services.member_save(form.instance)

    if request.method == "POST" and form.is_valid() and attempt(form, save):
        messages.success(request, _("%(member)s est enregistré·e.") % {"member": member})
        return redirect("governance:body_detail", contract.pk, body.pk)
    body_url = reverse("governance:body_detail", args=[pk, body.pk])
    return form_page(
        request,
        contract,
        form,
        title=_("Modifier un membre") if member_pk else _("Ajouter un membre"),
        back=body_url,
        crumbs=[(body_url, body.name)],
    )


@require_POST
def member_delete(request, pk, body_pk, member_pk):
    contract = get_contract_or_404(request.user, pk, "governance.change")
    member = get_object_or_404(BodyMember, pk=member_pk, body=_body(contract, body_pk))
    member.delete()
    messages.success(request, _("%(member)s ne fait plus partie de l'instance.") % {"member": member})
    return redirect("governance:body_detail", contract.pk, body_pk)


def co_chair(request, pk, body_pk):
    """004 art. 4: record the commune designated for a year's co-chair."""
    contract = get_contract_or_404(request.user, pk, "governance.change")
    body = _body(contract, body_pk)
    form = CoChairForm(
        request.POST or None,
        organisations=services.co_chair_eligible_organisations(body),
        meetings=Meeting.objects.filter(body=body).select_related("body"),
    )

    def save():
        data = form.cleaned_data
        services.co_chair_designate(
            body,
            year=data["year"],
            organisation=data["organisation"],
            designated_on=data["designated_on"],
            meeting=data["meeting"],
        )

    if request.method == "POST" and form.is_valid() and attempt(form, save):
        messages.success(
            request,
            _("%(org)s assurera la coprésidence en %(year)d.")
            % {"org": form.cleaned_data["organisation"], "year": form.cleaned_data["year"]},
        )
        return redirect("governance:body_detail", contract.pk, body.pk)
    body_url = reverse("governance:body_detail", args=[pk, body.pk])
    return form_page(
        request,
        contract,
        form,
        title=_("Désigner la commune coprésidente"),
        back=body_url,
        crumbs=[(body_url, body.name)],
        intro=_(
            "La commune coprésidente de l'année n est désignée en année n-1, parmi les communes signataires."
        ),
    )
