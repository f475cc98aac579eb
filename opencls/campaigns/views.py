from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from opencls.accounts.permissions import can, get_contract_or_404, led_action_ids, require, roles_for
from opencls.campaigns import grid as grid_module
from opencls.campaigns import locks, selectors, services
from opencls.campaigns.forms import CampaignOpenForm, LockForm, TransitionForm, UnlockForm
from opencls.campaigns.models import ActionReport, Campaign, PeriodLock
from opencls.contracts.models import ContractRole
from opencls.monitoring.models import IndicatorValue


def _breadcrumb(contract, current, campaign=None) -> dict:
    links = [
        {"url": reverse("contracts:detail", args=[contract.pk]), "title": str(contract)},
        {"url": reverse("campaigns:index", args=[contract.pk]), "title": _("Campagnes")},
    ]
    if campaign:
        links.append(
            {"url": reverse("campaigns:detail", args=[contract.pk, campaign.year]), "title": str(campaign)}
        )
    return {"links": links, "current": current}


def _only_own(user, contract) -> bool:
    """A porteur (without coordination rights) sees the actions their organisation leads."""
    return ContractRole.Role.LEAD in roles_for(user, contract) and not can(user, "campaign.manage", contract)


def index(request, pk):
    contract = get_contract_or_404(request.user, pk, "contract.view")
    manage = can(request.user, "campaign.manage", contract)
    return render(
        request,
        "campaigns/index.html",
        {
            "contract": contract,
            "campaigns": selectors.campaigns_with_counts(contract),
            "manage": manage,
            "form": CampaignOpenForm() if manage else None,
            "title": _("Campagnes annuelles"),
            "breadcrumb_data": {
                "links": [{"url": reverse("contracts:detail", args=[contract.pk]), "title": str(contract)}],
                "current": _("Campagnes"),
            },
        },
    )


def open_campaign(request, pk):
    contract = get_contract_or_404(request.user, pk, "campaign.manage")
    form = CampaignOpenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            campaign = services.open_campaign(
                contract=contract,
                year=form.cleaned_data["year"],
                deadline=form.cleaned_data["deadline"],
                user=request.user,
                request=request,
            )
        except services.CampaignError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                _("La campagne %(year)s est ouverte ; les porteurs sont prévenus.") % {"year": campaign.year},
            )
            return redirect("campaigns:detail", contract.pk, campaign.year)
    return render(
        request,
        "campaigns/open.html",
        {
            "contract": contract,
            "form": form,
            "title": _("Ouvrir une campagne"),
            "breadcrumb_data": _breadcrumb(contract, _("Ouvrir une campagne")),
        },
        status=400 if form.is_bound and form.errors else 200,
    )


def _campaign(contract, year) -> Campaign:
    return get_object_or_404(Campaign, contract=contract, year=year)


def detail(request, pk, year):
    contract = get_contract_or_404(request.user, pk, "contract.view")
    campaign = _campaign(contract, year)
    own = _only_own(request.user, contract)
    reports = selectors.campaign_reports(campaign, led_action_ids(request.user, contract) if own else None)
    return render(
        request,
        "campaigns/detail.html",
        {
            "contract": contract,
            "campaign": campaign,
            "reports": reports,
            "own": own,
            "manage": can(request.user, "campaign.manage", contract),
            "progress": [] if own else selectors.progress_by_porteur(contract, reports),
            "title": str(campaign),
            "breadcrumb_data": _breadcrumb(contract, str(campaign)),
        },
    )


@require_POST
def remind(request, pk, year):
    contract = get_contract_or_404(request.user, pk, "campaign.manage")
    sent = services.remind(_campaign(contract, year), request=request)
    messages.success(request, _("Rappel envoyé à %(n)s porteur(s).") % {"n": sent})
    return redirect("campaigns:detail", contract.pk, year)


def _report(contract, year, action_pk) -> ActionReport:
    return get_object_or_404(
        ActionReport.objects.select_related("campaign", "action", "changed_by"),
        campaign__contract=contract,
        campaign__year=year,
        action_id=action_pk,
    )


def report_detail(request, pk, year, action_pk, form=None, status=200):
    contract = get_contract_or_404(request.user, pk, "contract.view")
    report = _report(contract, year, action_pk)
    indicators = list(report.action.indicators.order_by("kind", "position", "pk"))
    values: dict = {}
    for value in IndicatorValue.objects.filter(indicator__in=indicators, year__lte=year).order_by(
        "year", "period"
    ):
        values.setdefault(value.indicator_id, []).append(value)
    return render(
        request,
        "campaigns/report.html",
        {
            "contract": contract,
            "campaign": report.campaign,
            "report": report,
            "indicators": [(indicator, values.get(indicator.pk, [])) for indicator in indicators],
            "transitions": services.allowed_transitions(request.user, report),
            "form": form or TransitionForm(),
            "title": f"{report.action.code} {report.action.title}".strip(),
            "breadcrumb_data": _breadcrumb(
                contract, report.action.code or report.action.title, report.campaign
            ),
        },
        status=status,
    )


@require_POST
def report_transition(request, pk, year, action_pk, name):
    contract = get_contract_or_404(request.user, pk, "contract.view")
    report = _report(contract, year, action_pk)
    step = services.TRANSITIONS.get(name)
    if step is None:
        return report_detail(request, pk, year, action_pk, status=404)
    require(request.user, step.permission, report)
    form = TransitionForm(request.POST)
    if form.is_valid():
        try:
            report = services.transition(
                report, name, user=request.user, comment=form.cleaned_data["comment"], request=request
            )
        except services.CampaignError as error:
            form.add_error("comment" if step.needs_comment else None, str(error))
        else:
            messages.success(
                request,
                _("Fiche « %(action)s » : %(state)s.")
                % {"action": report.action, "state": report.get_state_display().lower()},
            )
            return redirect("campaigns:detail", contract.pk, year)
    return report_detail(request, pk, year, action_pk, form=form, status=400)


def after_login(request):
    """Where a login lands: a porteur (and nothing else) on "Mes fiches", everyone else on the dashboard."""
    return redirect("campaigns:home" if selectors.is_porteur_only(request.user) else "core:dashboard")


def my_reports(request):
    reports = selectors.porteur_reports(request.user)
    today = timezone.localdate()
    return render(
        request,
        "campaigns/home.html",
        {
            "due": [r for r in reports if r.is_pending],
            "others": [r for r in reports if not r.is_pending],
            "today": today,
            "title": _("Mes fiches"),
        },
    )


def grid(request, pk, year, action_pk=None):
    """One form for a whole action, or for all the actions the user may fill, for a campaign's year."""
    contract = get_contract_or_404(request.user, pk, "contract.view")
    campaign = _campaign(contract, year)
    reports = {
        r.action_id: r for r in ActionReport.objects.filter(campaign=campaign).select_related("action")
    }
    if action_pk is not None and action_pk not in reports:
        raise Http404
    candidates = [r for action_id, r in reports.items() if action_pk is None or action_id == action_pk]
    editable, operations = selectors.grid_scope(request.user, contract, candidates)
    if not editable:
        raise PermissionDenied
    locked_note = locks.approval_note(contract, year)
    if locked_note:
        message = _("L'année %(year)s est verrouillée (%(note)s) : la saisie est fermée.") % {
            "year": year,
            "note": locked_note.lower(),
        }
        return render(
            request,
            "campaigns/locked.html",
            {"message": message, "contract": contract},
            status=409 if request.method == "POST" else 200,
        )
    actions = grid_module.grid_actions(editable, year)
    for action in actions:
        action.contract = contract
        action.report = reports[action.pk]
    data = (request.POST, request.FILES) if request.method == "POST" else (None, None)
    forms = grid_module.grid_forms(actions, year, *data, operations=operations)
    status, saved_message = 200, ""
    if request.method == "POST":
        saved = grid_module.grid_save(forms, request.user)
        if saved is None:
            status = 400
        else:
            submitted = 0
            if "submit" in request.POST:
                for action in actions:
                    if action.report.is_pending and can(request.user, "report.submit", action.report):
                        action.report = services.transition(
                            action.report, "submit", user=request.user, request=request
                        )
                        submitted += 1
            saved_message = _("%(n)s modification(s) enregistrée(s).") % {"n": saved}
            if submitted:
                saved_message += " " + _("%(n)s fiche(s) soumise(s) à la coordination.") % {"n": submitted}
            if not request.htmx:
                messages.success(request, saved_message)
                return redirect(request.path)
            # htmx: the fresh grid replaces the form in place.
            actions = grid_module.grid_actions(editable, year)
            for action in actions:
                action.contract = contract
                action.report = ActionReport.objects.get(campaign=campaign, action=action)
            forms = grid_module.grid_forms(actions, year, operations=operations)
    template = "campaigns/grid_form.html" if request.htmx else "campaigns/grid.html"
    return render(
        request,
        template,
        {
            "contract": contract,
            "campaign": campaign,
            "forms": forms,
            "may_submit": any(can(request.user, "report.submit", form.action.report) for form in forms),
            "operation_only": any(form.operations is not None for form in forms),
            "has_errors": status == 400,
            "saved_message": saved_message,
            "title": _("Saisie %(year)s") % {"year": year},
            "breadcrumb_data": _breadcrumb(contract, _("Saisie"), campaign),
        },
        # htmx swaps only successful responses: the form with its errors comes back as 200.
        status=200 if request.htmx else status,
    )


def _lock_years(contract) -> list[int]:
    years = set(Campaign.objects.filter(contract=contract).values_list("year", flat=True))
    years |= set(PeriodLock.objects.filter(contract=contract).values_list("year", flat=True))
    years.add(timezone.localdate().year - 1)
    return sorted(years, reverse=True)


def locks_page(request, pk, forms_by_year=None, status=200):
    """Each year: locked (by which COPIL) or open, with the form to lock or unlock it."""
    contract = get_contract_or_404(request.user, pk, "contract.view")
    manage = can(request.user, "period.lock", contract)
    active = {
        lock.year: lock
        for lock in PeriodLock.objects.filter(contract=contract, unlocked_at=None).select_related(
            "meeting", "locked_by"
        )
    }
    past = (
        PeriodLock.objects.filter(contract=contract).exclude(unlocked_at=None).select_related("unlocked_by")
    )
    rows = []
    for year in _lock_years(contract):
        form = (forms_by_year or {}).get(year)
        if manage and form is None:
            form = (
                UnlockForm(prefix=f"y{year}")
                if year in active
                else LockForm(prefix=f"y{year}", meetings=locks.approving_meetings(contract, year))
            )
        rows.append({"year": year, "lock": active.get(year), "form": form if manage else None})
    return render(
        request,
        "campaigns/locks.html",
        {
            "contract": contract,
            "rows": rows,
            "past": past,
            "manage": manage,
            "title": _("Années verrouillées"),
            "breadcrumb_data": _breadcrumb(contract, _("Années verrouillées")),
        },
        status=status,
    )


@require_POST
def lock_year(request, pk, year):
    contract = get_contract_or_404(request.user, pk, "period.lock")
    form = LockForm(request.POST, prefix=f"y{year}", meetings=locks.approving_meetings(contract, year))
    if form.is_valid():
        try:
            locks.lock(contract=contract, year=year, meeting=form.cleaned_data["meeting"], user=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("L'année %(year)s est verrouillée.") % {"year": year})
            return redirect("campaigns:locks", contract.pk)
    return locks_page(request, pk, {year: form}, status=400)


@require_POST
def unlock_year(request, pk, year):
    contract = get_contract_or_404(request.user, pk, "period.lock")
    form = UnlockForm(request.POST, prefix=f"y{year}")
    if form.is_valid():
        try:
            locks.unlock(contract=contract, year=year, user=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("L'année %(year)s est déverrouillée.") % {"year": year})
            return redirect("campaigns:locks", contract.pk)
    return locks_page(request, pk, {year: form}, status=400)
