"""The contract editor: general fields, territory, signatories, axes and objectives.

Every view starts from `get_contract_or_404(..., "contract.change")` and fetches child objects
scoped by that contract. Lists reorder with up/down forms: htmx swaps the list, a plain POST
redirects back to the page.
"""

from django.contrib import messages
from django.core.exceptions import BadRequest, PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from opencls.accounts.permissions import can, get_contract_or_404
from opencls.actions.models import Action
from opencls.contracts import editor_services as services
from opencls.contracts.editor_forms import (
    AxisForm,
    ContractEditForm,
    MoveForm,
    MunicipalityForm,
    NeighbourhoodForm,
    ObjectiveForm,
    SignatoryForm,
    TerritoryForm,
)
from opencls.contracts.editor_selectors import editor_axes, organisation_matches
from opencls.contracts.models import Axis, Objective, Signatory
from opencls.contracts.selectors import contract_signatories, territory_municipalities
from opencls.geo.selectors import official_picker_context
from opencls.territories.models import Municipality, PriorityNeighbourhood
from opencls.territories.selectors import territory_figures

SECTIONS = [
    ("contracts:edit", _("Informations générales")),
    ("contracts:edit_territory", _("Territoire")),
    ("contracts:edit_signatories", _("Signataires")),
    ("contracts:edit_axes", _("Axes et objectifs")),
    ("actions:list", _("Fiches actions")),
]


def editor_context(contract, section: str, title: str, **extra) -> dict:
    """What every editor page needs: the contract header, the editor's menu, breadcrumbs."""
    menu = [
        {"label": label, "url": reverse(name, args=[contract.pk]), "current": name == section}
        for name, label in SECTIONS
    ]
    links = [{"url": reverse("contracts:detail", args=[contract.pk]), "title": str(contract)}]
    if section != "contracts:edit":
        links.append({"url": reverse("contracts:edit", args=[contract.pk]), "title": _("Édition")})
        section_label = dict(SECTIONS)[section]
        if title != section_label:
            links.append({"url": reverse(section, args=[contract.pk]), "title": section_label})
    return {
        "contract": contract,
        "title": title,
        "editor_menu": menu,
        "breadcrumb_data": {"links": links, "current": title},
        **extra,
    }


def organisation_search_url(contract, action=None) -> str:
    url = reverse("contracts:organisation_search", args=[contract.pk])
    return f"{url}?action={action.pk}" if action else url


def moved(request, partial: str, context: dict, url: str):
    """After a reorder: the list again for htmx, the page otherwise."""
    if request.htmx:
        return render(request, partial, context)
    return redirect(url)


def move_direction(request) -> str:
    form = MoveForm(request.POST)
    if not form.is_valid():
        raise BadRequest
    return form.cleaned_data["direction"]


def confirm_delete(
    request, context: dict, *, question: str, consequences=(), cancel_url: str, error: str = ""
):
    return render(
        request,
        "contracts/editor/confirm_delete.html",
        {
            **context,
            "question": question,
            "consequences": consequences,
            "cancel_url": cancel_url,
            "error": error,
        },
    )


# General fields


def contract_edit(request, pk):
    contract = get_contract_or_404(request.user, pk, "contract.change")
    form = ContractEditForm(request.POST or None, instance=contract, user=request.user)
    if request.method == "POST" and form.is_valid():
        services.contract_update(contract=contract, **form.cleaned_data)
        messages.success(request, _("Les informations générales ont été enregistrées."))
        return redirect("contracts:edit", contract.pk)
    context = editor_context(contract, "contracts:edit", _("Informations générales"), form=form)
    return render(request, "contracts/editor/general.html", context)


# Territory


def territory_page(
    request, contract, *, territory_form=None, municipality_form=None, neighbourhood_form=None,
    official_error="", status=200,
):  # fmt: skip
    territory = contract.territory
    municipalities = territory_municipalities(contract)
    neighbourhoods = list(
        PriorityNeighbourhood.objects.filter(territory=territory).prefetch_related("municipalities")
    )
    context = editor_context(
        contract,
        "contracts:edit_territory",
        _("Territoire"),
        territory_form=territory_form or TerritoryForm(instance=territory, prefix="territory"),
        municipality_form=municipality_form or MunicipalityForm(territory=territory, prefix="municipality"),
        neighbourhood_form=neighbourhood_form
        or NeighbourhoodForm(territory=territory, prefix="neighbourhood"),
        municipalities=municipalities,
        neighbourhoods=neighbourhoods,
        figures=territory_figures(territory, municipalities),
        # Issue 16: the territory chosen from the official geography, compared with the document.
        official=official_picker_context(request, contract, municipalities, error=official_error),
    )
    return render(request, "contracts/editor/territory.html", context, status=status)


def territory_edit(request, pk):
    contract = get_contract_or_404(request.user, pk, "contract.change")
    if request.method != "POST":
        return territory_page(request, contract)
    form = TerritoryForm(request.POST, instance=contract.territory, prefix="territory")
    if not form.is_valid():
        return territory_page(request, contract, territory_form=form)
    services.territory_update(territory=contract.territory, **form.cleaned_data)
    messages.success(request, _("Le territoire a été enregistré."))
    return redirect("contracts:edit_territory", contract.pk)


@require_POST
def municipality_add(request, pk):
    contract = get_contract_or_404(request.user, pk, "contract.change")
    form = MunicipalityForm(request.POST, territory=contract.territory, prefix="municipality")
    if not form.is_valid():
        return territory_page(request, contract, municipality_form=form)
    municipality = services.municipality_create(territory=contract.territory, **form.cleaned_data)
    messages.success(request, _("La commune « %(name)s » a été ajoutée.") % {"name": municipality.name})
    return redirect(reverse("contracts:edit_territory", args=[contract.pk]) + "#municipalities")


def municipality_edit(request, pk, municipality_pk):
    contract = get_contract_or_404(request.user, pk, "contract.change")
    municipality = get_object_or_404(Municipality, pk=municipality_pk, territory_id=contract.territory_id)
    form = MunicipalityForm(request.POST or None, instance=municipality, territory=contract.territory)
    if request.method == "POST" and form.is_valid():
        services.municipality_update(municipality=municipality, **form.cleaned_data)
        messages.success(
            request, _("La commune « %(name)s » a été enregistrée.") % {"name": municipality.name}
        )
        return redirect(reverse("contracts:edit_territory", args=[contract.pk]) + "#municipalities")
    context = editor_context(
        contract, "contracts:edit_territory", _("Modifier la commune « %(name)s »") % {"name": municipality.name},
        form=form, object=municipality, cancel_url=reverse("contracts:edit_territory", args=[contract.pk]),
    )  # fmt: skip
    return render(request, "contracts/editor/form_page.html", context)


def municipality_delete(request, pk, municipality_pk):
    contract = get_contract_or_404(request.user, pk, "contract.change")
    municipality = get_object_or_404(Municipality, pk=municipality_pk, territory_id=contract.territory_id)
    back = reverse("contracts:edit_territory", args=[contract.pk]) + "#municipalities"
    if request.method == "POST":
        services.municipality_delete(municipality=municipality)
        messages.success(
            request, _("La commune « %(name)s » a été retirée du territoire.") % {"name": municipality.name}
        )
        return redirect(back)
    context = editor_context(contract, "contracts:edit_territory", _("Retirer une commune"))
    return confirm_delete(
        request, context, cancel_url=back,
        question=_("Retirer la commune « %(name)s » du territoire ?") % {"name": municipality.name},
    )  # fmt: skip


@require_POST
def neighbourhood_add(request, pk):
    contract = get_contract_or_404(request.user, pk, "contract.change")
    form = NeighbourhoodForm(request.POST, territory=contract.territory, prefix="neighbourhood")
    if not form.is_valid():
        return territory_page(request, contract, neighbourhood_form=form)
    neighbourhood = services.neighbourhood_create(territory=contract.territory, **form.cleaned_data)
    messages.success(request, _("Le quartier « %(name)s » a été ajouté.") % {"name": neighbourhood.name})
    return redirect(reverse("contracts:edit_territory", args=[contract.pk]) + "#neighbourhoods")


def neighbourhood_edit(request, pk, neighbourhood_pk):
    contract = get_contract_or_404(request.user, pk, "contract.change")
    neighbourhood = get_object_or_404(
        PriorityNeighbourhood, pk=neighbourhood_pk, territory_id=contract.territory_id
    )
    form = NeighbourhoodForm(request.POST or None, instance=neighbourhood, territory=contract.territory)
    if request.method == "POST" and form.is_valid():
        services.neighbourhood_update(neighbourhood=neighbourhood, **form.cleaned_data)
        messages.success(
            request, _("Le quartier « %(name)s » a été enregistré.") % {"name": neighbourhood.name}
        )
        return redirect(reverse("contracts:edit_territory", args=[contract.pk]) + "#neighbourhoods")
    context = editor_context(
        contract, "contracts:edit_territory", _("Modifier le quartier « %(name)s »") % {"name": neighbourhood.name},
        form=form, cancel_url=reverse("contracts:edit_territory", args=[contract.pk]),
    )  # fmt: skip
    return render(request, "contracts/editor/form_page.html", context)


def neighbourhood_delete(request, pk, neighbourhood_pk):
    contract = get_contract_or_404(request.user, pk, "contract.change")
    neighbourhood = get_object_or_404(
        PriorityNeighbourhood, pk=neighbourhood_pk, territory_id=contract.territory_id
    )
    back = reverse("contracts:edit_territory", args=[contract.pk]) + "#neighbourhoods"
    if request.method == "POST":
        services.neighbourhood_delete(neighbourhood=neighbourhood)
        messages.success(
            request, _("Le quartier « %(name)s » a été supprimé.") % {"name": neighbourhood.name}
        )
        return redirect(back)
    context = editor_context(contract, "contracts:edit_territory", _("Supprimer un quartier prioritaire"))
    return confirm_delete(
        request, context, cancel_url=back,
        question=_("Supprimer le quartier prioritaire « %(name)s » ?") % {"name": neighbourhood.name},
        consequences=[_("Les communes qu'il couvre restent ; elles ne lui sont plus rattachées.")],
    )  # fmt: skip


# Signatories


def signatories_context(contract, form=None) -> dict:
    return editor_context(
        contract,
        "contracts:edit_signatories",
        _("Signataires"),
        signatories=contract_signatories(contract),
        form=form
        or SignatoryForm(contract=contract, prefix="signatory", search_url=organisation_search_url(contract)),
    )


def signatory_list(request, pk):
    contract = get_contract_or_404(request.user, pk, "contract.change")
    return render(request, "contracts/editor/signatories.html", signatories_context(contract))


@require_POST
def signatory_add(request, pk):
    contract = get_contract_or_404(request.user, pk, "contract.change")
    form = SignatoryForm(
        request.POST, contract=contract, prefix="signatory", search_url=organisation_search_url(contract)
    )
    if not form.is_valid():
        return render(request, "contracts/editor/signatories.html", signatories_context(contract, form))
    signatory = services.signatory_create(contract=contract, **form.cleaned_data)
    messages.success(
        request, _("« %(name)s » a été ajouté aux signataires.") % {"name": signatory.organisation}
    )
    return redirect("contracts:edit_signatories", contract.pk)


def signatory_edit(request, pk, signatory_pk):
    contract = get_contract_or_404(request.user, pk, "contract.change")
    signatory = get_object_or_404(
        Signatory.objects.select_related("organisation"), pk=signatory_pk, contract=contract
    )
    form = SignatoryForm(
        request.POST or None, instance=signatory, contract=contract, prefix="signatory",
        search_url=organisation_search_url(contract),
    )  # fmt: skip
    if request.method == "POST" and form.is_valid():
        services.signatory_update(signatory=signatory, **form.cleaned_data)
        messages.success(request, _("Le signataire a été enregistré."))
        return redirect("contracts:edit_signatories", contract.pk)
    context = editor_context(
        contract, "contracts:edit_signatories", _("Modifier le signataire « %(name)s »") % {"name": signatory.organisation},
        form=form, cancel_url=reverse("contracts:edit_signatories", args=[contract.pk]),
    )  # fmt: skip
    return render(request, "contracts/editor/form_page.html", context)


def signatory_delete(request, pk, signatory_pk):
    contract = get_contract_or_404(request.user, pk, "contract.change")
    signatory = get_object_or_404(
        Signatory.objects.select_related("organisation"), pk=signatory_pk, contract=contract
    )
    back = reverse("contracts:edit_signatories", args=[contract.pk])
    if request.method == "POST":
        services.signatory_delete(signatory=signatory)
        messages.success(
            request,
            _("« %(name)s » ne figure plus parmi les signataires.") % {"name": signatory.organisation},
        )
        return redirect(back)
    context = editor_context(contract, "contracts:edit_signatories", _("Retirer un signataire"))
    return confirm_delete(
        request, context, cancel_url=back,
        question=_("Retirer « %(name)s » des signataires ?") % {"name": signatory.organisation},
        consequences=[_("L'organisation reste connue d'OpenCLS, avec ses autres engagements.")],
    )  # fmt: skip


@require_POST
def signatory_move(request, pk, signatory_pk):
    contract = get_contract_or_404(request.user, pk, "contract.change")
    signatory = get_object_or_404(Signatory, pk=signatory_pk, contract=contract)
    services.signatory_move(signatory=signatory, direction=move_direction(request))
    return moved(
        request, "contracts/editor/includes/signatory_list.html",
        {"contract": contract, "signatories": contract_signatories(contract)},
        reverse("contracts:edit_signatories", args=[contract.pk]) + f"#signatory-{signatory.pk}",
    )  # fmt: skip


# Axes and objectives


def axes_context(contract, form=None) -> dict:
    return editor_context(
        contract, "contracts:edit_axes", _("Axes et objectifs"), axes=editor_axes(contract),
        form=form or AxisForm(prefix="axis"),
    )  # fmt: skip


def axis_list(request, pk):
    contract = get_contract_or_404(request.user, pk, "contract.change")
    return render(request, "contracts/editor/axes.html", axes_context(contract))


@require_POST
def axis_add(request, pk):
    contract = get_contract_or_404(request.user, pk, "contract.change")
    form = AxisForm(request.POST, prefix="axis")
    if not form.is_valid():
        return render(request, "contracts/editor/axes.html", axes_context(contract, form))
    axis = services.axis_create(contract=contract, **form.cleaned_data)
    messages.success(request, _("L'axe « %(title)s » a été ajouté.") % {"title": axis.title})
    return redirect(reverse("contracts:edit_axes", args=[contract.pk]) + f"#axis-{axis.pk}")


def axis_edit(request, pk, axis_pk):
    contract = get_contract_or_404(request.user, pk, "contract.change")
    axis = get_object_or_404(Axis, pk=axis_pk, contract=contract)
    form = AxisForm(request.POST or None, instance=axis)
    back = reverse("contracts:edit_axes", args=[contract.pk]) + f"#axis-{axis.pk}"
    if request.method == "POST" and form.is_valid():
        services.axis_update(axis=axis, **form.cleaned_data)
        messages.success(request, _("L'axe a été enregistré."))
        return redirect(back)
    context = editor_context(
        contract, "contracts:edit_axes", _("Modifier l'axe « %(title)s »") % {"title": axis.title},
        form=form, cancel_url=back,
    )  # fmt: skip
    return render(request, "contracts/editor/form_page.html", context)


def axis_delete(request, pk, axis_pk):
    contract = get_contract_or_404(request.user, pk, "contract.change")
    axis = get_object_or_404(Axis, pk=axis_pk, contract=contract)
    back = reverse("contracts:edit_axes", args=[contract.pk])
    context = editor_context(contract, "contracts:edit_axes", _("Supprimer un axe"))
    question = _("Supprimer l'axe « %(title)s » et ses objectifs ?") % {"title": axis.title}
    if request.method == "POST":
        try:
            services.axis_delete(axis=axis)
        except ValidationError as error:
            return confirm_delete(
                request, context, question=question, cancel_url=back, error=error.messages[0]
            )
        messages.success(request, _("L'axe « %(title)s » a été supprimé.") % {"title": axis.title})
        return redirect(back)
    return confirm_delete(request, context, question=question, cancel_url=back)


@require_POST
def axis_move(request, pk, axis_pk):
    contract = get_contract_or_404(request.user, pk, "contract.change")
    axis = get_object_or_404(Axis, pk=axis_pk, contract=contract)
    services.axis_move(axis=axis, direction=move_direction(request))
    return moved(
        request, "contracts/editor/includes/axis_list.html", {"contract": contract, "axes": editor_axes(contract)},
        reverse("contracts:edit_axes", args=[contract.pk]) + f"#axis-{axis.pk}",
    )  # fmt: skip


def objective_add(request, pk, axis_pk):
    contract = get_contract_or_404(request.user, pk, "contract.change")
    axis = get_object_or_404(Axis, pk=axis_pk, contract=contract)
    parent_pk = request.GET.get("parent") or request.POST.get("parent")
    if parent_pk and not str(parent_pk).isdigit():  # ?parent=abc: no such objective, not a 500
        raise Http404(_("Objectif parent introuvable."))
    parent = get_object_or_404(Objective, pk=parent_pk, axis=axis) if parent_pk else None
    form = ObjectiveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        objective = services.objective_create(axis=axis, parent=parent, **form.cleaned_data)
        messages.success(request, _("L'objectif « %(title)s » a été ajouté.") % {"title": objective.title})
        return redirect(reverse("contracts:edit_axes", args=[contract.pk]) + f"#objective-{objective.pk}")
    title = (
        _("Ajouter un sous-objectif à « %(parent)s »") % {"parent": parent}
        if parent
        else _("Ajouter un objectif à l'axe « %(axis)s »") % {"axis": axis}
    )
    context = editor_context(
        contract, "contracts:edit_axes", title, form=form, hidden={"parent": parent.pk if parent else ""},
        cancel_url=reverse("contracts:edit_axes", args=[contract.pk]) + f"#axis-{axis.pk}",
    )  # fmt: skip
    return render(request, "contracts/editor/form_page.html", context)


def get_objective(contract, objective_pk) -> Objective:
    return get_object_or_404(
        Objective.objects.select_related("axis"), pk=objective_pk, axis__contract=contract
    )


def objective_edit(request, pk, objective_pk):
    contract = get_contract_or_404(request.user, pk, "contract.change")
    objective = get_objective(contract, objective_pk)
    form = ObjectiveForm(request.POST or None, instance=objective)
    back = reverse("contracts:edit_axes", args=[contract.pk]) + f"#objective-{objective.pk}"
    if request.method == "POST" and form.is_valid():
        services.objective_update(objective=objective, **form.cleaned_data)
        messages.success(request, _("L'objectif a été enregistré."))
        return redirect(back)
    context = editor_context(
        contract, "contracts:edit_axes", _("Modifier l'objectif « %(title)s »") % {"title": objective.title},
        form=form, cancel_url=back,
    )  # fmt: skip
    return render(request, "contracts/editor/form_page.html", context)


def objective_delete(request, pk, objective_pk):
    contract = get_contract_or_404(request.user, pk, "contract.change")
    objective = get_objective(contract, objective_pk)
    back = reverse("contracts:edit_axes", args=[contract.pk]) + f"#axis-{objective.axis_id}"
    context = editor_context(contract, "contracts:edit_axes", _("Supprimer un objectif"))
    question = _("Supprimer l'objectif « %(title)s » ?") % {"title": objective}
    action_count = Action.objects.filter(objective=objective).count()
    consequences = (
        [
            _("%(count)s fiche(s) action y sont rattachées : elles resteront dans l'axe, sans objectif.")
            % {"count": action_count}
        ]
        if action_count
        else []
    )
    if request.method == "POST":
        try:
            services.objective_delete(objective=objective)
        except ValidationError as error:
            return confirm_delete(
                request,
                context,
                question=question,
                consequences=consequences,
                cancel_url=back,
                error=error.messages[0],
            )
        messages.success(request, _("L'objectif « %(title)s » a été supprimé.") % {"title": objective.title})
        return redirect(back)
    return confirm_delete(request, context, question=question, consequences=consequences, cancel_url=back)


@require_POST
def objective_move(request, pk, objective_pk):
    contract = get_contract_or_404(request.user, pk, "contract.change")
    objective = get_objective(contract, objective_pk)
    services.objective_move(objective=objective, direction=move_direction(request))
    return moved(
        request, "contracts/editor/includes/axis_list.html", {"contract": contract, "axes": editor_axes(contract)},
        reverse("contracts:edit_axes", args=[contract.pk]) + f"#objective-{objective.pk}",
    )  # fmt: skip


# Organisation picker


@require_GET
def organisation_search_results(request, pk):
    """Matches for the picker (htmx). With `action`, for a porteur editing that fiche action."""
    contract = get_contract_or_404(request.user, pk, "contract.view")
    action_pk = request.GET.get("action", "")
    if action_pk.isdigit():
        allowed = can(
            request.user, "action.change", get_object_or_404(Action, pk=action_pk, contract=contract)
        )
    else:
        allowed = can(request.user, "contract.change", contract)
    if not allowed:
        raise PermissionDenied
    prefix = request.GET.get("prefix", "")
    if prefix and not prefix.isidentifier():
        raise Http404
    field = f"{prefix}-organisation" if prefix else "organisation"
    picker = organisation_matches(request.GET.get(f"{field}_name", ""), field=field)
    return render(request, "contracts/editor/includes/organisation_matches.html", {"picker": picker})
