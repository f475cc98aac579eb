from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from opencls.accounts.models import User
from opencls.accounts.permissions import get_contract_or_404
from opencls.accounts.services import organisation_get_or_create
from opencls.contracts.models import ContractRole
from opencls.people import selectors, services
from opencls.people.forms import AccountCreationForm, InviteForm, RoleChangeForm
from opencls.people.models import Invitation

PERMISSION = "role.change"


def _breadcrumb(contract, current: str, people=True) -> dict:
    links = [{"url": reverse("contracts:detail", args=[contract.pk]), "title": str(contract)}]
    if people:
        links.append({"url": reverse("people:list", args=[contract.pk]), "title": _("Personnes")})
    return {"links": links, "current": current}


def people_list(request, pk):
    contract = get_contract_or_404(request.user, pk, PERMISSION)
    pending, others = selectors.contract_invitations(contract)
    return render(
        request,
        "people/list.html",
        {
            "contract": contract,
            "rows": selectors.contract_people(contract),
            "pending": pending,
            "others": others,
            "role_form": RoleChangeForm(),
            "title": _("Personnes"),
            "breadcrumb_data": _breadcrumb(contract, _("Personnes"), people=False),
        },
    )


def invite(request, pk):
    contract = get_contract_or_404(request.user, pk, PERMISSION)
    form = InviteForm(request.POST or None, contract=contract)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                name = data["organisation_name"].strip()
                invitation = services.invite(
                    contract=contract,
                    email=data["email"],
                    role=data["role"],
                    organisation=organisation_get_or_create(name=name) if name else None,
                    actions=data["actions"],
                    invited_by=request.user,
                    request=request,
                )
        except services.PeopleError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, _("Invitation envoyée à %(email)s.") % {"email": invitation.email})
            return redirect("people:list", contract.pk)
    return render(
        request,
        "people/form.html",
        {
            "contract": contract,
            "form": form,
            "title": _("Inviter une personne"),
            "submit": _("Envoyer l'invitation"),
            "back": reverse("people:list", args=[contract.pk]),
            "breadcrumb_data": _breadcrumb(contract, _("Inviter une personne")),
        },
        status=400 if form.is_bound and form.errors else 200,
    )


def _role(contract, role_pk) -> ContractRole:
    return get_object_or_404(ContractRole.objects.select_related("user"), pk=role_pk, contract=contract)


@require_POST
def role_change(request, pk, role_pk):
    contract = get_contract_or_404(request.user, pk, PERMISSION)
    contract_role = _role(contract, role_pk)
    form = RoleChangeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choisissez un rôle de la liste."))
    else:
        try:
            new = services.change_role(contract_role, form.cleaned_data["role"])
        except services.PeopleError as error:
            messages.error(request, str(error))
        else:
            if new.pk != contract_role.pk:
                messages.success(
                    request,
                    _("%(user)s : %(before)s → %(after)s.")
                    % {
                        "user": contract_role.user,
                        "before": contract_role.get_role_display(),
                        "after": new.get_role_display(),
                    },
                )
    return redirect("people:list", contract.pk)


def role_remove(request, pk, role_pk):
    """Asks first (GET shows what goes away), removes on POST."""
    contract = get_contract_or_404(request.user, pk, PERMISSION)
    contract_role = _role(contract, role_pk)
    if request.method == "POST":
        try:
            services.remove_role(contract_role)
        except services.PeopleError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request,
                _("%(user)s n'a plus le rôle « %(role)s ».")
                % {"user": contract_role.user, "role": contract_role.get_role_display()},
            )
        return redirect("people:list", contract.pk)
    return render(
        request,
        "people/confirm_remove.html",
        {
            "contract": contract,
            "contract_role": contract_role,
            "title": _("Retirer un rôle"),
            "breadcrumb_data": _breadcrumb(contract, _("Retirer un rôle")),
        },
    )


def _invitation(contract, invitation_pk) -> Invitation:
    return get_object_or_404(Invitation, pk=invitation_pk, contract=contract)


@require_POST
def invitation_resend(request, pk, invitation_pk):
    contract = get_contract_or_404(request.user, pk, PERMISSION)
    invitation = _invitation(contract, invitation_pk)
    try:
        services.resend(invitation, request)
    except services.PeopleError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Nouvelle invitation envoyée à %(email)s.") % {"email": invitation.email})
    return redirect("people:list", contract.pk)


@require_POST
def invitation_revoke(request, pk, invitation_pk):
    contract = get_contract_or_404(request.user, pk, PERMISSION)
    invitation = _invitation(contract, invitation_pk)
    try:
        services.revoke(invitation)
    except services.PeopleError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("L'invitation de %(email)s est annulée.") % {"email": invitation.email})
    return redirect("people:list", contract.pk)


def _after_accept(invitation) -> str:
    return reverse("contracts:detail", args=[invitation.contract_id])


@login_not_required
def accept(request, token):
    """The link of the e-mail. Logged in: join with this account. Otherwise: create an account,
    or log in first (the login page, password or ProConnect, comes back here through `next`)."""
    invitation = services.invitation_for_token(token)
    reason = services.refusal_reason(invitation)
    context = {"invitation": invitation, "title": _("Invitation"), "reason": reason}
    if reason:
        return render(request, "people/accept.html", context, status=404 if invitation is None else 410)
    login_url = reverse("accounts:login") + "?" + urlencode({"next": request.path})
    context["login_url"] = login_url
    if request.user.is_authenticated:
        if request.method == "POST":
            try:
                services.accept(invitation, request.user)
            except services.PeopleError as error:
                context["error"] = str(error)
                return render(request, "people/accept.html", context, status=400)
            messages.success(
                request, _("Vous avez rejoint « %(contract)s ».") % {"contract": invitation.contract}
            )
            return redirect(_after_accept(invitation))
        return render(request, "people/accept.html", context)
    context["has_account"] = User.objects.filter(email__iexact=invitation.email).exists()
    if context["has_account"]:
        return render(request, "people/accept.html", context)
    form = AccountCreationForm(request.POST or None, email=invitation.email)
    context["form"] = form
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user = services.create_account_and_accept(
                invitation,
                first_name=data["first_name"],
                last_name=data["last_name"],
                password=data["password1"],
            )
        except services.PeopleError as error:
            form.add_error(None, str(error))
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(
                request,
                _("Votre compte est créé ; vous avez rejoint « %(contract)s ».")
                % {"contract": invitation.contract},
            )
            return redirect(_after_accept(invitation))
    return render(
        request, "people/accept.html", context, status=400 if form.is_bound and form.errors else 200
    )
