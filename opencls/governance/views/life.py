"""The contract's life: governance overview, versions over time, termination."""

import json

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from opencls.accounts.permissions import can, get_contract_or_404, require, visible_contracts
from opencls.governance import selectors, services
from opencls.governance.forms import DateForm, TerminationForm
from opencls.governance.models import ContractVersion, GovernanceBody, TerminationNotice
from opencls.governance.rules import governance_alerts
from opencls.governance.views.common import attempt, breadcrumb


def overview(request, pk):
    contract = get_contract_or_404(request.user, pk, "contract.view")
    today = timezone.localdate()
    lifetime = selectors.contract_lifetime(contract)
    rows = selectors.contract_signature_rows(contract)
    upcoming, _past = selectors.contract_meetings(contract)
    linked_from = GovernanceBody.objects.filter(
        linked_contract=contract, contract__in=visible_contracts(request.user).values("pk")
    ).select_related("contract")
    return render(
        request,
        "governance/overview.html",
        {
            "contract": contract,
            "lifetime": lifetime,
            "time_left": lifetime.time_left(today),
            "ended": lifetime.end is not None and lifetime.end < today,
            "signature_total": len(rows),
            "signed_count": sum(1 for _s, state in rows if state.is_signed),
            "missing_deliberations": sum(1 for _s, state in rows if state.deliberation_missing),
            "bodies": selectors.contract_bodies(contract),
            "upcoming": upcoming[:5],
            "open_amendment": selectors.open_amendment(contract),
            "linked_from": list(linked_from),
            "alerts": governance_alerts(contract, today),
            "may_change": can(request.user, "governance.change", contract),
            "title": _("Gouvernance"),
            "breadcrumb_data": {
                "links": [{"url": reverse("contracts:detail", args=[pk]), "title": str(contract)}],
                "current": _("Gouvernance"),
            },
        },
    )


@require_POST
def align_end_with_prs(request, pk):
    contract = get_contract_or_404(request.user, pk, "governance.change")
    try:
        end = services.contract_align_end_with_prs(contract)
    except services.GovernanceError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, _("Le contrat prend fin avec le PRS, le %(end)s.") % {"end": f"{end:%d/%m/%Y}"}
        )
    return redirect("governance:overview", contract.pk)


def versions(request, pk):
    """The contract as it stood on a given date (its recorded history), and its signed versions."""
    contract = get_contract_or_404(request.user, pk, "contract.view")
    form = DateForm(request.GET or None, initial={"date": timezone.localdate()})
    day = timezone.localdate()
    if form.is_bound and form.is_valid() and form.cleaned_data["date"]:
        day = form.cleaned_data["date"]
    all_versions = selectors.contract_versions(contract)
    in_force = [v for v in all_versions if v.effective_on <= day]
    state = selectors.contract_as_of(contract, day)
    return render(
        request,
        "governance/versions.html",
        {
            "contract": contract,
            "form": form,
            "day": day,
            "state": state,
            "entered_on": None if state else selectors.contract_entered_on(contract),
            "before_start": bool(contract.start_date and day < contract.start_date),
            "versions": all_versions,
            "version_in_force": in_force[-1] if in_force else None,
            "title": _("Versions du contrat"),
            "breadcrumb_data": breadcrumb(contract, current=_("Versions du contrat")),
        },
        status=400 if form.is_bound and form.errors else 200,
    )


def version_detail(request, pk, version_pk):
    contract = get_contract_or_404(request.user, pk, "contract.view")
    version = get_object_or_404(
        ContractVersion.objects.select_related("amendment"), pk=version_pk, contract=contract
    )
    if request.GET.get("format") == "json":
        require(request.user, "contract.export", contract)
        response = HttpResponse(
            json.dumps(version.snapshot, ensure_ascii=False, indent=2) + "\n",
            content_type="application/json; charset=utf-8",
        )
        response["Content-Disposition"] = (
            f'attachment; filename="contrat-{pk}-version-{version.effective_on}.json"'
        )
        return response
    snapshot = version.snapshot["contract"]
    return render(
        request,
        "governance/version_detail.html",
        {
            "contract": contract,
            "version": version,
            "snapshot": snapshot,
            "title": str(version),
            "breadcrumb_data": breadcrumb(
                contract,
                (reverse("governance:versions", args=[pk]), _("Versions du contrat")),
                current=str(version),
            ),
        },
    )


def termination(request, pk):
    contract = get_contract_or_404(request.user, pk, "contract.view")
    active = selectors.active_termination(contract)
    may_change = can(request.user, "governance.change", contract)
    form = TerminationForm(request.POST or None, contract=contract) if may_change and active is None else None
    if request.method == "POST":
        if form is None:  # not allowed, or a termination is already running
            require(request.user, "governance.change", contract)
            return redirect("governance:termination", contract.pk)

        def save():
            data = form.cleaned_data
            services.termination_record(contract, user=request.user, **data)

        if form.is_valid() and attempt(form, save):
            messages.warning(request, _("La résiliation est enregistrée : notifiez les autres parties."))
            return redirect("governance:termination", contract.pk)
    return render(
        request,
        "governance/termination.html",
        {
            "contract": contract,
            "termination": active,
            "notices": list(active.notices.all()) if active else [],
            "form": form,
            "past": selectors.past_terminations(contract),
            "may_change": may_change,
            "today": timezone.localdate(),
            "title": _("Résiliation"),
            "breadcrumb_data": breadcrumb(contract, current=_("Résiliation")),
        },
        status=400 if form is not None and form.is_bound and form.errors else 200,
    )


@require_POST
def termination_notice(request, pk, notice_pk):
    contract = get_contract_or_404(request.user, pk, "governance.change")
    notice = get_object_or_404(
        TerminationNotice.objects.select_related("termination"), pk=notice_pk, termination__contract=contract
    )
    form = DateForm(request.POST)
    if form.is_valid():
        try:
            services.termination_notice_record(notice, form.cleaned_data["date"])
        except services.GovernanceError as error:
            messages.error(request, str(error))
        else:
            messages.success(
                request, _("Notification de %(party)s enregistrée.") % {"party": notice.party_name}
            )
    else:
        messages.error(request, _("Date invalide."))
    return redirect("governance:termination", contract.pk)


@require_POST
def termination_withdraw(request, pk):
    contract = get_contract_or_404(request.user, pk, "governance.change")
    active = selectors.active_termination(contract)
    if active is not None:
        services.termination_withdraw(active, timezone.localdate())
        messages.success(request, _("La résiliation est retirée : le contrat retrouve sa date de fin."))
    return redirect("governance:termination", contract.pk)
