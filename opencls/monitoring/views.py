"""Pages of the follow-up. Every child object is looked up within the contract taken from the
database; rights are checked by the services (writes) and `get_contract_or_404` (reads)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from opencls.accounts.permissions import can, get_contract_or_404, require
from opencls.actions.models import Deliverable, Indicator
from opencls.core.confirm import Replacement, confirmation_page, is_confirmed
from opencls.core.registry import contract_alerts
from opencls.jobs.services import start_job
from opencls.monitoring import charts, measures, selectors, services
from opencls.monitoring.forms import (
    DeliverableFollowUpForm,
    EvidenceForm,
    IndicatorTargetForm,
    IndicatorValueForm,
    ReportForm,
    StatusForm,
    SynthesisForm,
    TargetProposalForm,
)
from opencls.monitoring.jobs import EVALUATION_REPORT
from opencls.monitoring.models import (
    EvaluationReport,
    Evidence,
    IndicatorTarget,
    IndicatorValue,
    Status,
)
from opencls.monitoring.periods import periods_of_year, semester_of
from opencls.monitoring.targets import best_indicator, propose_target


def _save(form, write) -> bool:
    """Runs the service `write`; its French errors land on the form's fields."""
    try:
        write()
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            for field, errors in error.error_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(None, error)
        return False
    return True


def _breadcrumb(contract, current: str, *links: tuple[str, str]) -> dict:
    return {
        "links": [
            {"url": reverse("contracts:detail", args=[contract.pk]), "title": str(contract)},
            *({"url": url, "title": title} for url, title in links),
        ],
        "current": current,
    }


def _dashboard_url(contract) -> str:
    return reverse("monitoring:dashboard", args=[contract.pk])


def _confirm(request, contract, replaced: list[Replacement], question: str, cancel_url: str):
    """Before → after of what the POST would overwrite, sent again on « Confirmer »."""
    return confirmation_page(
        request,
        context={
            "contract": contract,
            "title": _("Confirmer le remplacement"),
            "breadcrumb_data": _breadcrumb(contract, _("Confirmer"), (_dashboard_url(contract), _("Suivi"))),
        },
        question=question,
        replacements=replaced,
        cancel_url=cancel_url,
    )


def _confirm_deletion(request, contract, figure, what: str, question: str):
    """Deleting a value or a target shows what disappears, then asks."""
    indicator = figure.indicator
    label = _("%(what)s %(period)s de « %(indicator)s »") % {
        "what": what,
        "period": figure.period_obj.label,
        "indicator": indicator.label,
    }
    before = charts.number(figure.value)
    if getattr(figure, "cumulative", False):
        before += " " + _("(cumulée)")
    return _confirm(
        request,
        contract,
        [Replacement(label, before, "")],
        question,
        reverse("monitoring:indicator", args=[contract.pk, indicator.pk]),
    )


# Contract dashboard ---------------------------------------------------------------------------


def dashboard(request, pk):
    contract = get_contract_or_404(request.user, pk, "contract.view")
    today = timezone.localdate()
    actions = list(selectors.contract_actions(contract))
    progress = selectors.axis_progress(contract, actions)
    due, overdue = selectors.deliverables_due(contract, today)
    items = selectors.calendar_items(actions)
    years = selectors.contract_years(contract, today)
    dated_years = [day.year for item in items for day in (item.start, item.end) if day]
    first_year, last_year = min(years + dated_years), max(years + dated_years)
    totals = dict.fromkeys(Status.values, 0)
    for action in actions:
        totals[action.current_status] += 1
    return render(
        request,
        "monitoring/dashboard.html",
        {
            "contract": contract,
            "title": _("Suivi — %(contract)s") % {"contract": contract},
            "breadcrumb_data": _breadcrumb(contract, _("Suivi")),
            "alerts": contract_alerts(contract, today),
            "progress": progress,
            "status_totals": [(status, Status(status).label, count) for status, count in totals.items()],
            "status_chart": charts.ChartBlock(charts.status_by_axis_chart(progress), "chart-status"),
            "off_target": selectors.indicators_off_target(contract, today),
            "due": due,
            "overdue": overdue,
            "semester": semester_of(today),
            "calendar_items": items,
            "undated_items": [item for item in items if not (item.start or item.end)],
            "calendar_chart": charts.ChartBlock(
                charts.calendar_chart(items, first_year, last_year, today), "chart-calendar"
            ),
            "evaluation_year": _evaluation_year(years, today),
        },
    )


def _evaluation_year(years: list[int], today) -> int:
    """The year whose evaluation is shown by default: the current one, within the contract."""
    return min(max(today.year, years[0]), years[-1])


# Action ---------------------------------------------------------------------------------------


def action_detail(request, pk, action_pk):
    contract = get_contract_or_404(request.user, pk, "contract.view")
    action = get_object_or_404(selectors.contract_actions(contract), pk=action_pk)
    action.contract = contract  # the same row, already read: permission checks walk up to it
    operations = list(action.operations.all())
    may_change = can(request.user, "action.change", action)
    today = timezone.localdate()

    status_forms = {
        "action": StatusForm(prefix="action", initial={"day": today, "status": action.current_status})
    }
    for operation in operations:
        status_forms[str(operation.pk)] = StatusForm(
            prefix=f"op-{operation.pk}", initial={"day": today, "status": operation.current_status}
        )
    if request.method == "POST":
        target = request.POST.get("target", "")
        if target not in status_forms:
            raise Http404
        form = StatusForm(request.POST, prefix=status_forms[target].prefix)
        status_forms[target] = form
        operation = next((o for o in operations if str(o.pk) == target), None)
        if form.is_valid() and _save(
            form,
            lambda: services.status_record(
                user=request.user,
                action=action,
                operation=operation,
                status=form.cleaned_data["status"],
                day=form.cleaned_data["day"],
                comment=form.cleaned_data["comment"],
            ),
        ):
            messages.success(request, _("Le statut a été enregistré."))
            return redirect("monitoring:action", contract.pk, action.pk)

    indicators = list(selectors.action_indicators(action))
    current_year = _evaluation_year(selectors.contract_years(contract, today), today)
    for indicator in indicators:
        indicator.latest_value = max(indicator.values.all(), key=lambda v: v.period_obj.end, default=None)
        indicator.year_targets = [t for t in indicator.targets.all() if t.year == current_year]
    for operation in operations:
        operation.status_form = status_forms[str(operation.pk)]
        operation.may_change = can(request.user, "action.change", operation)
    return render(
        request,
        "monitoring/action.html",
        {
            "contract": contract,
            "action": action,
            "operations": operations,
            "may_change": may_change,
            "status_form": status_forms["action"],
            "history": selectors.status_history(action),
            "indicators": indicators,
            "current_year": current_year,
            "deliverables": selectors.action_deliverables(action),
            "title": str(action),
            "breadcrumb_data": _breadcrumb(
                contract, action.code or action.title, (_dashboard_url(contract), _("Suivi"))
            ),
        },
    )


# Indicator ------------------------------------------------------------------------------------


def indicator_detail(request, pk, indicator_pk):
    contract = get_contract_or_404(request.user, pk, "contract.view")
    indicator = get_object_or_404(
        Indicator.objects.select_related("action", "operation"), pk=indicator_pk, action__contract=contract
    )
    today = timezone.localdate()
    periods = [
        period
        for year in selectors.contract_years(contract, today)
        for period in periods_of_year(indicator.periodicity, year)
    ]
    started = [period for period in periods if period.start <= today]
    may_enter = can(request.user, "indicator_value.change", indicator)
    may_target = can(request.user, "target.change", indicator)
    # Offered first: the last period already over, whose figure is being collected.
    ended = [period for period in started if period.end < today]
    default_period = (ended or started or [None])[-1]
    indicator.action.contract = contract
    keys = measures.measure_keys(indicator)
    value_form = IndicatorValueForm(
        periods=started,
        prefix="value",
        indicator=indicator,
        keys=keys,
        initial={"period": default_period.code if default_period else ""},
    )
    target_form = IndicatorTargetForm(periods=periods, prefix="target")
    indicator_url = reverse("monitoring:indicator", args=[contract.pk, indicator.pk])

    if request.method == "POST":
        if request.POST.get("form") == "value":
            value_form = IndicatorValueForm(
                request.POST, periods=started, prefix="value", indicator=indicator, keys=keys
            )
            data = value_form.cleaned_data if value_form.is_valid() else None
            replaced = (
                selectors.value_replaced(
                    indicator, data["period"], data["value"], data["comment"], data["breakdown"]
                )
                if data
                else []
            )
            if replaced and may_enter and not is_confirmed(request):
                return _confirm(
                    request, contract, replaced, _("Cette valeur remplace celle déjà saisie."), indicator_url
                )
            if data and _save(
                value_form,
                lambda: services.indicator_value_set(
                    user=request.user,
                    indicator=indicator,
                    period_code=data["period"],
                    value=data["value"],
                    comment=data["comment"],
                    breakdown=data["breakdown"],
                    keys=keys,
                    clear_breakdown=True,  # the replacement was shown and confirmed
                ),
            ):
                messages.success(request, _("La valeur a été enregistrée."))
                return redirect("monitoring:indicator", contract.pk, indicator.pk)
        elif request.POST.get("form") == "target":
            target_form = IndicatorTargetForm(request.POST, periods=periods, prefix="target")
            data = target_form.cleaned_data if target_form.is_valid() else None
            replaced = (
                selectors.targets_replaced(indicator, [data["period"]], data["value"], data["cumulative"])
                if data
                else []
            )
            if replaced and may_target and not is_confirmed(request):
                return _confirm(
                    request, contract, replaced, _("Cette cible remplace celle déjà fixée."), indicator_url
                )
            if data and _save(
                target_form,
                lambda: services.indicator_target_set(
                    user=request.user,
                    indicator=indicator,
                    period_code=data["period"],
                    value=data["value"],
                    cumulative=data["cumulative"],
                ),
            ):
                messages.success(request, _("La cible a été enregistrée."))
                return redirect("monitoring:indicator", contract.pk, indicator.pk)
        else:
            raise Http404

    values = list(IndicatorValue.objects.filter(indicator=indicator).select_related("entered_by"))
    targets = list(IndicatorTarget.objects.filter(indicator=indicator).select_related("source_deliverable"))
    rows = selectors.indicator_rows(indicator, periods, values, targets)
    return render(
        request,
        "monitoring/indicator.html",
        {
            "contract": contract,
            "indicator": indicator,
            "action": indicator.action,
            "rows": rows,
            "chart": charts.ChartBlock(
                charts.indicator_chart(indicator, rows),
                f"chart-indicator-{indicator.pk}",
            ),
            "value_form": value_form if may_enter else None,
            "target_form": target_form if may_target else None,
            "title": indicator.label,
            "breadcrumb_data": _breadcrumb(
                contract,
                indicator.label,
                (_dashboard_url(contract), _("Suivi")),
                (
                    reverse("monitoring:action", args=[contract.pk, indicator.action_id]),
                    str(indicator.action.code or indicator.action),
                ),
            ),
        },
    )


@require_POST
def indicator_value_delete(request, pk, value_pk):
    contract = get_contract_or_404(request.user, pk, "contract.view")
    value = get_object_or_404(
        IndicatorValue.objects.select_related("indicator__action"), pk=value_pk, contract=contract
    )
    require(request.user, "indicator_value.change", value.indicator)
    if not is_confirmed(request):
        return _confirm_deletion(request, contract, value, _("Valeur"), _("Supprimer cette valeur ?"))
    services.indicator_value_delete(user=request.user, indicator_value=value)
    messages.success(request, _("La valeur a été supprimée."))
    return redirect("monitoring:indicator", contract.pk, value.indicator_id)


@require_POST
def indicator_target_delete(request, pk, target_pk):
    contract = get_contract_or_404(request.user, pk, "contract.view")
    target = get_object_or_404(
        IndicatorTarget.objects.select_related("indicator__action"), pk=target_pk, contract=contract
    )
    require(request.user, "target.change", target.indicator)
    if not is_confirmed(request):
        return _confirm_deletion(request, contract, target, _("Cible"), _("Supprimer cette cible ?"))
    services.indicator_target_delete(user=request.user, target=target)
    messages.success(request, _("La cible a été supprimée."))
    return redirect("monitoring:indicator", contract.pk, target.indicator_id)


# Deliverable ----------------------------------------------------------------------------------


def deliverable_detail(request, pk, deliverable_pk):
    contract = get_contract_or_404(request.user, pk, "contract.view")
    deliverable = get_object_or_404(
        Deliverable.objects.select_related("action", "operation", "follow_up"),
        pk=deliverable_pk,
        action__contract=contract,
    )
    today = timezone.localdate()
    may_change = can(request.user, "deliverable.change", deliverable)
    may_target = can(request.user, "target.change", deliverable)
    follow_up = getattr(deliverable, "follow_up", None)
    follow_up_form = DeliverableFollowUpForm(
        prefix="follow",
        initial={
            "is_done": follow_up.is_done if follow_up else False,
            "done_on": follow_up.done_on if follow_up else None,
            "due_date": follow_up.due_date if follow_up else None,
            "comment": follow_up.comment if follow_up else "",
        },
    )
    formats = ", ".join(sorted({ext.lstrip(".").upper() for ext in services.EVIDENCE_TYPES}))
    own_evidences = Evidence.objects.filter(contract=contract, deliverable=deliverable)
    evidence_form = EvidenceForm(
        prefix="evidence", max_bytes=services.max_evidence_bytes(), formats=formats, evidences=own_evidences
    )

    proposal = propose_target(deliverable.text)
    indicators = Indicator.objects.filter(action=deliverable.action)
    years = selectors.contract_years(contract, today)
    proposal_form = None
    municipalities = 0
    if proposal:
        municipalities = selectors.municipality_count(contract)
        ordered = sorted(indicators, key=lambda i: i.operation_id != deliverable.operation_id)
        suggested = best_indicator(deliverable.text, ordered)
        proposal_form = TargetProposalForm(
            prefix="proposal",
            indicators=indicators,
            years=years,
            initial={
                "indicator": suggested.pk if suggested else None,
                "value": proposal.value_for(municipalities),
                "years": years,
                "cumulative": proposal.periodicity is None,
            },
        )

    if request.method == "POST":
        which = request.POST.get("form")
        if which == "follow":
            follow_up_form = DeliverableFollowUpForm(request.POST, prefix="follow")
            data = follow_up_form.cleaned_data if follow_up_form.is_valid() else None
            if data and _save(
                follow_up_form,
                lambda: services.deliverable_follow_up_set(
                    user=request.user, deliverable=deliverable, **data
                ),
            ):
                messages.success(request, _("Le suivi du livrable a été enregistré."))
                return redirect("monitoring:deliverable", contract.pk, deliverable.pk)
        elif which == "evidence":
            evidence_form = EvidenceForm(
                request.POST,
                request.FILES,
                prefix="evidence",
                max_bytes=services.max_evidence_bytes(),
                formats=formats,
                evidences=own_evidences,
            )
            data = evidence_form.cleaned_data if evidence_form.is_valid() else None
            if (
                data
                and data.get("replaces")
                and _save(
                    evidence_form,
                    lambda: services.evidence_replace(
                        user=request.user,
                        evidence=data["replaces"],
                        uploaded_file=data["file"],
                        description=data["description"],
                    ),
                )
            ):
                messages.success(request, _("La pièce justificative a été remplacée."))
                return redirect("monitoring:deliverable", contract.pk, deliverable.pk)
            if (
                data
                and not data.get("replaces")
                and _save(
                    evidence_form,
                    lambda: services.evidence_add(
                        user=request.user,
                        deliverable=deliverable,
                        uploaded_file=data["file"],
                        description=data["description"],
                    ),
                )
            ):
                messages.success(request, _("La pièce justificative a été déposée."))
                return redirect("monitoring:deliverable", contract.pk, deliverable.pk)
        elif which == "proposal" and proposal_form is not None:
            proposal_form = TargetProposalForm(
                request.POST, prefix="proposal", indicators=indicators, years=years
            )
            data = proposal_form.cleaned_data if proposal_form.is_valid() else None
            replaced = (
                selectors.targets_replaced(
                    data["indicator"],
                    [
                        p.code
                        for p in selectors.target_periods(
                            data["indicator"], data["years"], data["cumulative"]
                        )
                    ],
                    data["value"],
                    data["cumulative"],
                )
                if data
                else []
            )
            if replaced and may_target and not is_confirmed(request):
                return _confirm(
                    request,
                    contract,
                    replaced,
                    _("Confirmer cette cible remplace des cibles déjà fixées sur l'indicateur."),
                    reverse("monitoring:deliverable", args=[contract.pk, deliverable.pk]),
                )
            if data and _save(
                proposal_form,
                lambda: services.indicator_targets_apply(
                    user=request.user,
                    indicator=data["indicator"],
                    value=data["value"],
                    years=data["years"],
                    cumulative=data["cumulative"],
                    source=deliverable,
                ),
            ):
                messages.success(
                    request,
                    _("Les cibles ont été enregistrées sur l'indicateur « %(label)s ».")
                    % {"label": data["indicator"]},
                )
                return redirect("monitoring:deliverable", contract.pk, deliverable.pk)
        else:
            raise Http404

    return render(
        request,
        "monitoring/deliverable.html",
        {
            "contract": contract,
            "deliverable": deliverable,
            "action": deliverable.action,
            "follow_up": follow_up,
            "due": selectors.deliverable_due(deliverable),
            "evidences": list(
                Evidence.objects.filter(deliverable=deliverable, contract=contract).select_related(
                    "uploaded_by"
                )
            ),
            "confirmed_targets": list(deliverable.proposed_targets.select_related("indicator")),
            "proposal": proposal,
            "municipalities": municipalities,
            "may_change": may_change,
            "may_target": may_target and proposal_form is not None and indicators.exists(),
            "follow_up_form": follow_up_form,
            "evidence_form": evidence_form,
            "proposal_form": proposal_form,
            "title": _("Livrable : %(text)s") % {"text": deliverable.text[:80]},
            "breadcrumb_data": _breadcrumb(
                contract,
                _("Livrable"),
                (_dashboard_url(contract), _("Suivi")),
                (
                    reverse("monitoring:action", args=[contract.pk, deliverable.action_id]),
                    str(deliverable.action.code or deliverable.action),
                ),
            ),
        },
    )


def evidence_download(request, pk, evidence_pk):
    contract = get_contract_or_404(request.user, pk, "contract.view")
    evidence = get_object_or_404(Evidence, pk=evidence_pk, contract=contract)
    return FileResponse(
        evidence.file.open("rb"),
        as_attachment=True,
        filename=evidence.original_name,
        content_type=evidence.content_type,
    )


@require_POST
def evidence_delete(request, pk, evidence_pk):
    contract = get_contract_or_404(request.user, pk, "contract.view")
    evidence = get_object_or_404(
        Evidence.objects.select_related("deliverable__action"), pk=evidence_pk, contract=contract
    )
    require(request.user, "deliverable.change", evidence.deliverable)
    if not is_confirmed(request):
        return _confirm(
            request,
            contract,
            [Replacement(_("Pièce justificative"), evidence.original_name, "")],
            _("Supprimer cette pièce justificative ?"),
            reverse("monitoring:deliverable", args=[contract.pk, evidence.deliverable_id]),
        )
    services.evidence_delete(user=request.user, evidence=evidence)
    messages.success(request, _("La pièce « %(name)s » a été supprimée.") % {"name": evidence.original_name})
    return redirect("monitoring:deliverable", contract.pk, evidence.deliverable_id)


# Evaluation -----------------------------------------------------------------------------------


def evaluation_index(request, pk):
    contract = get_contract_or_404(request.user, pk, "contract.view")
    today = timezone.localdate()
    return redirect(
        "monitoring:evaluation",
        contract.pk,
        _evaluation_year(selectors.contract_years(contract, today), today),
    )


def evaluation_detail(request, pk, year):
    from opencls.monitoring import reports

    contract = get_contract_or_404(request.user, pk, "contract.view")
    today = timezone.localdate()
    years = selectors.contract_years(contract, today)
    if year not in years:
        raise Http404
    report = reports.evaluation_report_data(contract, year, today=today)
    may_write = can(request.user, "evaluation.change", contract)
    form = SynthesisForm(initial={"synthesis": report.synthesis})
    if request.method == "POST":
        form = SynthesisForm(request.POST)
        if form.is_valid() and _save(
            form,
            lambda: services.evaluation_synthesis_set(
                user=request.user, contract=contract, year=year, synthesis=form.cleaned_data["synthesis"]
            ),
        ):
            messages.success(request, _("La synthèse a été enregistrée."))
            return redirect("monitoring:evaluation", contract.pk, year)
    return render(
        request,
        "monitoring/evaluation.html",
        {
            "contract": contract,
            "year": year,
            "years": years,
            "report": report,
            "reports": selectors.latest_reports(contract, year),
            "form": form if may_write else None,
            "may_export": can(request.user, "report.generate", contract),
            "title": _("Évaluation annuelle %(year)s") % {"year": year},
            "breadcrumb_data": _breadcrumb(contract, _("Évaluation %(year)s") % {"year": year}),
        },
    )


@require_POST
def evaluation_generate(request, pk, year):
    contract = get_contract_or_404(request.user, pk, "report.generate")
    if year not in selectors.contract_years(contract, timezone.localdate()):
        raise Http404
    form = ReportForm(request.POST)
    if not form.is_valid():
        raise Http404
    fmt = form.cleaned_data["format"]
    job = start_job(
        EVALUATION_REPORT,
        request.user,
        contract,
        label=_("Rapport d'évaluation %(year)s (%(format)s)") % {"year": year, "format": fmt.upper()},
        origin_url=reverse("monitoring:evaluation", args=[contract.pk, year]),
        year=year,
        fmt=fmt,
    )
    if request.htmx:
        return render(
            request,
            "monitoring/includes/report_files.html",
            {"contract": contract, "reports": selectors.latest_reports(contract, year), "job": job},
        )
    return redirect("jobs:detail", job.pk)


def evaluation_report_download(request, pk, report_pk):
    contract = get_contract_or_404(request.user, pk, "contract.export")
    report = get_object_or_404(EvaluationReport, pk=report_pk, contract=contract)
    content_type = (
        "application/pdf"
        if report.format == EvaluationReport.Format.PDF
        else "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    return FileResponse(
        report.file.open("rb"), as_attachment=True, filename=report.filename, content_type=content_type
    )
