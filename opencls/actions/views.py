"""The fiche action editor: the actions of a contract, one action with its porteurs,
operations, deliverables and indicators.

The list, creating, deleting and moving actions change the contract's structure
(`contract.change`); everything inside one action needs `action.change` on it, which a porteur
holds for the actions its organisation leads.
"""

from django.contrib import messages
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from opencls.accounts.permissions import can, get_contract_or_404, require
from opencls.actions import selectors, services
from opencls.actions.forms import ActionForm, DeliverableForm, IndicatorForm, InvolvementForm, OperationForm
from opencls.actions.models import (
    Action,
    ActionOrganisation,
    Deliverable,
    Indicator,
    Involvement,
    Operation,
    OperationOrganisation,
)
from opencls.contracts.editor_views import (
    confirm_delete,
    editor_context,
    move_direction,
    moved,
    organisation_search_url,
)
from opencls.contracts.models import Axis

LIST = "actions:list"


def action_context(request, contract, title: str, **extra) -> dict:
    """Editor context; a porteur, who only edits its own actions, gets no editor menu."""
    context = editor_context(contract, LIST, title, **extra)
    context["may_change_involvements"] = can(request.user, "involvement.change", contract)
    links = context["breadcrumb_data"]["links"]
    if not can(request.user, "contract.change", contract):
        context["editor_menu"] = None
        del links[1:]
    action = extra.get("action")
    if action is not None and title != str(action):
        links.append({"url": action_url(action), "title": str(action)})
    return context


def involvement_groups(work) -> list:
    """Porteurs then partners of an action or operation, from its prefetched involvements."""
    involvements = list(work.involvements.all())
    return [
        (_("Porteur(s)"), [i for i in involvements if i.involvement == Involvement.LEAD]),
        (_("Partenaires"), [i for i in involvements if i.involvement == Involvement.PARTNER]),
    ]


def editable_action(request, pk, action_pk):
    """The contract and one of its actions, if the user may edit that action."""
    contract = get_contract_or_404(request.user, pk, "contract.view")
    action = get_object_or_404(Action, pk=action_pk, contract=contract)
    require(request.user, "action.change", action)
    return contract, action


def editable_operation(request, pk, action_pk, operation_pk):
    """The contract, action and operation, if the user may edit that operation (its lead may,
    without any right on the action around it or on the other operations)."""
    contract = get_contract_or_404(request.user, pk, "contract.view")
    action = get_object_or_404(Action, pk=action_pk, contract=contract)
    operation = get_object_or_404(Operation, pk=operation_pk, action=action)
    require(request.user, "action.change", operation)
    return contract, action, operation


def action_url(action, anchor: str = "") -> str:
    url = reverse("actions:edit", args=[action.contract_id, action.pk])
    return f"{url}#{anchor}" if anchor else url


# The list of actions


def action_list(request, pk):
    contract = get_contract_or_404(request.user, pk, "contract.change")
    context = editor_context(contract, LIST, _("Fiches actions"), axes=selectors.editor_action_list(contract))
    return render(request, "actions/list.html", context)


@require_POST
def action_move(request, pk, action_pk):
    contract = get_contract_or_404(request.user, pk, "contract.change")
    action = get_object_or_404(Action, pk=action_pk, contract=contract)
    services.action_move(action=action, direction=move_direction(request))
    return moved(
        request, "actions/includes/action_list.html",
        {"contract": contract, "axes": selectors.editor_action_list(contract)},
        reverse(LIST, args=[contract.pk]) + f"#action-{action.pk}",
    )  # fmt: skip


def action_create(request, pk):
    contract = get_contract_or_404(request.user, pk, "contract.change")
    if not contract.axes.exists():
        messages.warning(
            request, _("Créez d'abord un axe stratégique : chaque fiche action appartient à un axe.")
        )
        return redirect("contracts:edit_axes", contract.pk)
    axis_pk = request.GET.get("axe", "")
    axis = Axis.objects.filter(contract=contract, pk=axis_pk).first() if axis_pk.isdigit() else None
    form = ActionForm(
        request.POST or None, contract=contract, initial={"axis": axis.pk if axis else None},
        objectives_url=reverse("actions:objective_options", args=[contract.pk]),
    )  # fmt: skip
    if request.method == "POST" and form.is_valid():
        action = services.action_create(contract=contract, **form.cleaned_data)
        messages.success(
            request,
            _("La fiche action a été créée. Ajoutez ses porteurs, opérations, livrables et indicateurs."),
        )
        return redirect(action_url(action))
    context = editor_context(contract, LIST, _("Nouvelle fiche action"), form=form)
    return render(request, "actions/action_form.html", context)


@require_GET
def objective_options(request, pk):
    """The objective field for the axis just chosen in the action form (htmx)."""
    contract = get_contract_or_404(request.user, pk, "contract.view")
    axis_pk = request.GET.get("axis", "")
    form = ActionForm(contract=contract, initial={"axis": int(axis_pk) if axis_pk.isdigit() else None})
    return render(request, "actions/includes/objective_field.html", {"form": form})


def action_delete(request, pk, action_pk):
    contract = get_contract_or_404(request.user, pk, "contract.change")
    action = get_object_or_404(Action, pk=action_pk, contract=contract)
    back = reverse(LIST, args=[contract.pk])
    if request.method == "POST":
        services.action_delete(action=action)
        messages.success(request, _("La fiche action « %(action)s » a été supprimée.") % {"action": action})
        return redirect(back)
    counts = {
        _("opération(s)"): action.operations.count(),
        _("livrable(s)"): action.deliverables.count(),
        _("indicateur(s) et leurs valeurs saisies"): action.indicators.count(),
        _("ligne(s) de financement"): action.funding_lines.count(),
    }
    consequences = [f"{count} {label}" for label, count in counts.items() if count]
    context = editor_context(contract, LIST, _("Supprimer une fiche action"))
    return confirm_delete(
        request, context, cancel_url=back, consequences=consequences,
        question=_("Supprimer la fiche action « %(action)s » avec tout ce qu'elle contient ?") % {"action": action},
    )  # fmt: skip


# One action


def action_page(request, contract, action_pk, **forms):
    """The action's editor page; `forms` replace the blank ones by a submitted form with errors."""
    action = selectors.action_for_editor(contract, action_pk)
    if action is None:
        raise Http404
    search_url = organisation_search_url(contract, action)
    forms.setdefault(
        "form",
        ActionForm(
            instance=action, contract=contract, may_change_axis=can(request.user, "contract.change", contract),
            may_change_visibility=can(request.user, "action.visibility", action),
            objectives_url=reverse("actions:objective_options", args=[contract.pk]),
        ),
    )  # fmt: skip
    forms.setdefault(
        "involvement_form", InvolvementForm(work=action, prefix="involvement", search_url=search_url)
    )
    forms.setdefault("deliverable_form", DeliverableForm(action=action, prefix="deliverable"))
    forms.setdefault("indicator_form", IndicatorForm(action=action, prefix="indicator"))
    context = action_context(
        request, contract, str(action), action=action, involvement_groups=involvement_groups(action), **forms
    )
    return render(request, "actions/action_edit.html", context)


def action_edit(request, pk, action_pk):
    contract, action = editable_action(request, pk, action_pk)
    if request.method != "POST":
        return action_page(request, contract, action.pk)
    form = ActionForm(
        request.POST, instance=action, contract=contract, may_change_axis=can(request.user, "contract.change", contract),
        may_change_visibility=can(request.user, "action.visibility", action),
        objectives_url=reverse("actions:objective_options", args=[contract.pk]),
    )  # fmt: skip
    if not form.is_valid():
        return action_page(request, contract, action.pk, form=form)
    services.action_update(action=action, **form.cleaned_data)
    messages.success(request, _("La fiche action a été enregistrée."))
    return redirect(action_url(action))


@require_POST
def action_involvement_add(request, pk, action_pk):
    contract, action = editable_action(request, pk, action_pk)
    require(request.user, "involvement.change", action)
    form = InvolvementForm(
        request.POST, work=action, prefix="involvement", search_url=organisation_search_url(contract, action)
    )
    if not form.is_valid():
        return action_page(request, contract, action.pk, involvement_form=form)
    involvement = services.involvement_add(work=action, **form.cleaned_data)
    messages.success(
        request,
        _("« %(organisation)s » a été ajouté (%(involvement)s).")
        % {
            "organisation": involvement.organisation,
            "involvement": involvement.get_involvement_display().lower(),
        },
    )
    return redirect(action_url(action, "organisations"))


@require_POST
def action_involvement_remove(request, pk, action_pk, involvement_pk):
    contract, action = editable_action(request, pk, action_pk)
    require(request.user, "involvement.change", action)
    involvement = get_object_or_404(
        ActionOrganisation.objects.select_related("organisation"), pk=involvement_pk, action=action
    )
    services.involvement_remove(involvement=involvement)
    messages.success(
        request, _("« %(organisation)s » a été retiré.") % {"organisation": involvement.organisation}
    )
    return redirect(action_url(action, "organisations"))


# Operations


def get_operation(action, operation_pk) -> Operation:
    return get_object_or_404(Operation, pk=operation_pk, action=action)


def operation_page(request, contract, action, operation, form=None, involvement_form=None):
    search_url = organisation_search_url(contract, action)
    if operation is not None:
        operation = Operation.objects.prefetch_related(
            Prefetch("involvements", queryset=OperationOrganisation.objects.select_related("organisation"))
        ).get(pk=operation.pk)
    context = action_context(
        request, contract,
        _("Modifier l'opération « %(title)s »") % {"title": operation.title} if operation else _("Nouvelle opération"),
        action=action, operation=operation, involvement_groups=involvement_groups(operation) if operation else [],
        form=form or OperationForm(instance=operation, contract=contract),
        involvement_form=involvement_form
        or (InvolvementForm(work=operation, prefix="involvement", search_url=search_url) if operation else None),
    )  # fmt: skip
    return render(request, "actions/operation_form.html", context)


def operation_add(request, pk, action_pk):
    contract, action = editable_action(request, pk, action_pk)
    form = OperationForm(request.POST or None, contract=contract)
    if request.method == "POST" and form.is_valid():
        operation = services.operation_create(action=action, **form.cleaned_data)
        messages.success(
            request, _("L'opération a été ajoutée. Indiquez maintenant ses porteurs et partenaires.")
        )
        return redirect("actions:operation_edit", contract.pk, action.pk, operation.pk)
    return operation_page(request, contract, action, None, form=form)


def operation_edit(request, pk, action_pk, operation_pk):
    contract, action, operation = editable_operation(request, pk, action_pk, operation_pk)
    form = OperationForm(request.POST or None, instance=operation, contract=contract)
    if request.method == "POST" and form.is_valid():
        services.operation_update(operation=operation, **form.cleaned_data)
        messages.success(request, _("L'opération a été enregistrée."))
        return redirect(action_url(action, f"operation-{operation.pk}"))
    return operation_page(request, contract, action, operation, form=form)


def operation_delete(request, pk, action_pk, operation_pk):
    contract, action = editable_action(request, pk, action_pk)
    operation = get_operation(action, operation_pk)
    back = action_url(action, "operations")
    if request.method == "POST":
        services.operation_delete(operation=operation)
        messages.success(
            request, _("L'opération « %(title)s » a été supprimée.") % {"title": operation.title}
        )
        return redirect(back)
    counts = {
        _("livrable(s)"): operation.deliverables.count(),
        _("indicateur(s)"): operation.indicators.count(),
    }
    consequences = [f"{count} {label}" for label, count in counts.items() if count]
    context = action_context(request, contract, _("Supprimer une opération"), action=action)
    return confirm_delete(
        request, context, cancel_url=back, consequences=consequences,
        question=_("Supprimer l'opération « %(title)s » avec ses livrables et indicateurs ?") % {"title": operation.title},
    )  # fmt: skip


@require_POST
def operation_move(request, pk, action_pk, operation_pk):
    contract, action = editable_action(request, pk, action_pk)
    operation = get_operation(action, operation_pk)
    services.operation_move(operation=operation, direction=move_direction(request))
    return moved(
        request, "actions/includes/operation_list.html",
        {"contract": contract, "action": selectors.action_for_editor(contract, action.pk)},
        action_url(action, f"operation-{operation.pk}"),
    )  # fmt: skip


@require_POST
def operation_involvement_add(request, pk, action_pk, operation_pk):
    contract, action = editable_action(request, pk, action_pk)
    operation = get_operation(action, operation_pk)
    require(request.user, "involvement.change", operation)
    form = InvolvementForm(
        request.POST,
        work=operation,
        prefix="involvement",
        search_url=organisation_search_url(contract, action),
    )
    if not form.is_valid():
        return operation_page(request, contract, action, operation, involvement_form=form)
    involvement = services.involvement_add(work=operation, **form.cleaned_data)
    messages.success(
        request,
        _("« %(organisation)s » a été ajouté (%(involvement)s).")
        % {
            "organisation": involvement.organisation,
            "involvement": involvement.get_involvement_display().lower(),
        },
    )
    return redirect(
        reverse("actions:operation_edit", args=[contract.pk, action.pk, operation.pk]) + "#organisations"
    )


@require_POST
def operation_involvement_remove(request, pk, action_pk, operation_pk, involvement_pk):
    contract, action = editable_action(request, pk, action_pk)
    operation = get_operation(action, operation_pk)
    require(request.user, "involvement.change", operation)
    involvement = get_object_or_404(
        OperationOrganisation.objects.select_related("organisation"), pk=involvement_pk, operation=operation
    )
    services.involvement_remove(involvement=involvement)
    messages.success(
        request, _("« %(organisation)s » a été retiré.") % {"organisation": involvement.organisation}
    )
    return redirect(
        reverse("actions:operation_edit", args=[contract.pk, action.pk, operation.pk]) + "#organisations"
    )


# Deliverables and indicators


@require_POST
def deliverable_add(request, pk, action_pk):
    contract, action = editable_action(request, pk, action_pk)
    form = DeliverableForm(request.POST, action=action, prefix="deliverable")
    if not form.is_valid():
        return action_page(request, contract, action.pk, deliverable_form=form)
    services.deliverable_create(action=action, **form.cleaned_data)
    messages.success(request, _("Le livrable a été ajouté."))
    return redirect(action_url(action, "deliverables"))


def deliverable_edit(request, pk, action_pk, deliverable_pk):
    contract, action = editable_action(request, pk, action_pk)
    deliverable = get_object_or_404(Deliverable, pk=deliverable_pk, action=action)
    form = DeliverableForm(request.POST or None, instance=deliverable, action=action)
    if request.method == "POST" and form.is_valid():
        services.deliverable_update(deliverable=deliverable, **form.cleaned_data)
        messages.success(request, _("Le livrable a été enregistré."))
        return redirect(action_url(action, "deliverables"))
    context = action_context(
        request, contract, _("Modifier un livrable"), action=action, form=form,
        cancel_url=action_url(action, "deliverables"),
    )  # fmt: skip
    return render(request, "contracts/editor/form_page.html", context)


def deliverable_delete(request, pk, action_pk, deliverable_pk):
    contract, action = editable_action(request, pk, action_pk)
    deliverable = get_object_or_404(Deliverable, pk=deliverable_pk, action=action)
    back = action_url(action, "deliverables")
    if request.method == "POST":
        services.deliverable_delete(deliverable=deliverable)
        messages.success(request, _("Le livrable a été supprimé."))
        return redirect(back)
    context = action_context(request, contract, _("Supprimer un livrable"), action=action)
    return confirm_delete(
        request,
        context,
        cancel_url=back,
        question=_("Supprimer le livrable « %(text)s » ?") % {"text": deliverable},
    )


@require_POST
def indicator_add(request, pk, action_pk):
    contract, action = editable_action(request, pk, action_pk)
    form = IndicatorForm(request.POST, action=action, prefix="indicator")
    if not form.is_valid():
        return action_page(request, contract, action.pk, indicator_form=form)
    services.indicator_create(action=action, **form.measure_fields())
    messages.success(request, _("L'indicateur a été ajouté."))
    return redirect(action_url(action, "indicators"))


def indicator_edit(request, pk, action_pk, indicator_pk):
    contract, action = editable_action(request, pk, action_pk)
    indicator = get_object_or_404(Indicator, pk=indicator_pk, action=action)
    form = IndicatorForm(request.POST or None, instance=indicator, action=action)
    if request.method == "POST" and form.is_valid():
        services.indicator_update(indicator=indicator, **form.measure_fields())
        messages.success(request, _("L'indicateur a été enregistré."))
        return redirect(action_url(action, "indicators"))
    context = action_context(
        request, contract, _("Modifier un indicateur"), action=action, form=form,
        cancel_url=action_url(action, "indicators"),
    )  # fmt: skip
    return render(request, "contracts/editor/form_page.html", context)


def indicator_delete(request, pk, action_pk, indicator_pk):
    contract, action = editable_action(request, pk, action_pk)
    indicator = get_object_or_404(Indicator, pk=indicator_pk, action=action)
    back = action_url(action, "indicators")
    if request.method == "POST":
        services.indicator_delete(indicator=indicator)
        messages.success(request, _("L'indicateur a été supprimé."))
        return redirect(back)
    context = action_context(request, contract, _("Supprimer un indicateur"), action=action)
    return confirm_delete(
        request, context, cancel_url=back,
        question=_("Supprimer l'indicateur « %(label)s » ?") % {"label": indicator},
        consequences=[_("Les valeurs déjà saisies pour cet indicateur seront supprimées avec lui.")],
    )  # fmt: skip
