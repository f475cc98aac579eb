"""The citizen pages: drawn from the latest published version only, never from the draft."""

import json

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from opencls.accounts.permissions import can
from opencls.accounts.views import _client_ip, throttle_hit
from opencls.actions.models import Action, Indicator
from opencls.contracts.models import Contract
from opencls.monitoring.charts import ChartBlock, indicator_chart, status_by_axis_chart
from opencls.monitoring.measures import breakdown_text, summarise
from opencls.monitoring.models import Status
from opencls.participation.models import ParticipationBody, ParticipationEvent
from opencls.publication import selectors, services
from opencls.publication.documents import public_documents
from opencls.publication.forms import HONEYPOT, SuggestionForm
from opencls.publication.snapshot import all_actions, participation_label, served
from opencls.publication.templatetags.publication_tags import iso_date


@login_not_required
def public_list(request):
    page = Paginator(selectors.published_contracts(), selectors.PUBLIC_LIST_PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "publication/public_list.html", {"page_obj": page, "title": _("Contrats publiés")})


def _readable_version(request, pk):
    """(contract, version, preview): the published version for everyone; for the contract's own
    readers, the latest version even when withdrawn (a preview). 404 when there is nothing."""
    contract = get_object_or_404(Contract.objects.select_related("territory"), pk=pk)
    version = selectors.latest_published_version(contract)
    if version is not None:
        return contract, version, False
    if request.user.is_authenticated and can(request.user, "contract.view", contract):
        return contract, selectors.latest_version(contract), True
    raise Http404


def _status_label(value):
    return Status(value).label if value in Status.values else Status.NOT_STARTED.label


def _decorate(action: dict) -> dict:
    names, whole = served(action)
    return {
        **action,
        "status_label": _status_label(action["status"]),
        "name": f"{action['code']} {action['title']}".strip(),
        "themes": action.get("themes", []),  # older versions have none
        "served_names": names,
        "whole_territory": whole,
        "participation_label": participation_label(action.get("participation_level")),
    }


def _label(choices, value) -> str:
    return str(choices(value).label) if value in choices.values else ""


def _participation(snapshot: dict, actions: dict[int, dict]) -> dict:
    """Bodies and events with their labels; an event's fiches as links (public ones only)."""
    data = selectors.participation(snapshot)
    return {
        "bodies": [{**b, "kind_label": _label(ParticipationBody.Kind, b["kind"])} for b in data["bodies"]],
        "events": [
            {
                **event,
                "kind_label": _label(ParticipationEvent.Kind, event["kind"]),
                "day": iso_date(event["date"]),
                "fiches": [actions[pk] for pk in event["actions"] if pk in actions],
            }
            for event in data["events"]
        ],
    }


def _value_text(indicator: dict, row) -> str:
    if row is None or row.value is None:
        return "—"
    return summarise(selectors.indicator_shown(indicator), row.value.value, row.value.breakdown).text


def _suggestion_post(
    request, contract, version, *, action: Action | None, action_label: str, redirect_to: str
):
    """Handle the suggestion form: honeypot, limits, validation. Returns (form, response|None)."""
    form = SuggestionForm(request.POST)
    if request.POST.get(HONEYPOT):
        # A robot: it is told what a person is told, and nothing is stored.
        messages.success(request, _("Merci : votre message sera publié après relecture par la coordination."))
        return form, redirect(redirect_to)
    if not form.is_valid():
        return form, None
    window = settings.OPENCLS_SUGGESTION_WINDOW
    if throttle_hit(
        f"suggestion:ip:{_client_ip(request)}", settings.OPENCLS_SUGGESTION_LIMIT_PER_IP, window
    ) or throttle_hit(
        f"suggestion:contract:{contract.pk}", settings.OPENCLS_SUGGESTION_LIMIT_PER_CONTRACT, window
    ):
        form.add_error(
            None,
            _(
                "Trop de messages ont été envoyés en peu de temps : votre message n'a pas été enregistré. "
                "Réessayez dans une heure ; vous pouvez copier votre texte pour ne pas le perdre."
            ),
        )
        return form, "limited"
    data = form.cleaned_data
    services.submit_suggestion(
        contract,
        action=action,
        action_label=action_label,
        kind=data["kind"],
        message=data["message"],
        author_name=data["author_name"],
        email=data["email"],
    )
    messages.success(request, _("Merci : votre message sera publié après relecture par la coordination."))
    return form, redirect(redirect_to + "#suggestions")


def _page_context(contract, version, preview):
    return {
        "contract": contract,
        "public": True,
        "version": version,
        "preview": preview,
        "honeypot": HONEYPOT,
    }


def _render_with_form(request, template, context, form, outcome):
    status = 200
    if outcome == "limited":
        status = 429
    elif request.method == "POST":
        status = 400
    context["form"] = form
    return render(request, template, context, status=status)


@login_not_required
def public_detail(request, pk):
    contract, version, preview = _readable_version(request, pk)
    context = _page_context(contract, version, preview)
    if version is None:
        return render(request, "publication/not_published.html", {**context, "title": contract.title})
    snapshot = version.snapshot
    form, outcome = SuggestionForm(), None
    if request.method == "POST":
        if preview:
            raise Http404  # nothing public to comment on
        form, outcome = _suggestion_post(
            request, contract, version, action=None, action_label="", redirect_to=request.path
        )
        if outcome not in (None, "limited"):
            return outcome
    themes = selectors.snapshot_themes(snapshot)
    theme = request.GET.get("theme", "")
    chosen = next((t for t in themes if t["code"] == theme), None)
    axes = []
    for axis in snapshot["contract"]["axes"]:
        fiches = [_decorate(a) for a in axis["actions"]]
        shown = [a for a in fiches if any(t["code"] == theme for t in a["themes"])] if chosen else fiches
        axes.append({**axis, "actions": shown, "hidden_count": len(fiches) - len(shown)})
    actions = {pk: _decorate(a) for pk, a in all_actions(snapshot).items()}
    counts = selectors.axis_counts(snapshot)
    indicators = []
    for action in actions.values():
        for indicator in action["indicators"] + [i for op in action["operations"] for i in op["indicators"]]:
            latest = next((row for row in reversed(selectors.indicator_rows(indicator)) if row.value), None)
            indicators.append(
                {
                    **indicator,
                    "action": action,
                    "latest": latest,
                    "latest_text": _value_text(indicator, latest),
                    "unit_shown": indicator.get("measure_kind") not in ("percentage", "satisfaction"),
                    "latest_breakdown": breakdown_text(latest.value.breakdown)
                    if latest and latest.value
                    else "",
                }
            )
    qpv, whole_territory = selectors.qpv_table(snapshot, list(actions.values()))
    context.update(
        {
            "title": snapshot["contract"]["title"],
            "c": snapshot["contract"],
            "axes": axes,
            "themes": themes,
            "theme": chosen,
            "qpv": qpv,
            "whole_territory_actions": whole_territory,
            "participation": _participation(snapshot, actions),
            "action_count": sum(row.total for row in counts),
            "done_count": sum(row.counts[Status.DONE] for row in counts),
            "status_chart": ChartBlock(status_by_axis_chart(counts), "public-status") if counts else None,
            "indicators": indicators,
            "meetings": selectors.upcoming_meetings(snapshot, timezone.now()),
            "documents": public_documents(contract, version),
            "suggestions": list(selectors.approved_suggestions(contract, on_contract=True)[:50]),
        }
    )
    return _render_with_form(request, "publication/public_detail.html", context, form, outcome)


@login_not_required
def public_action(request, pk, action_pk):
    contract, version, preview = _readable_version(request, pk)
    action = selectors.snapshot_action(version.snapshot, action_pk) if version else None
    if action is None:
        raise Http404
    action = _decorate(action)
    form, outcome = SuggestionForm(), None
    if request.method == "POST":
        if preview:
            raise Http404
        live = Action.objects.filter(contract=contract, pk=action_pk).first()
        form, outcome = _suggestion_post(
            request, contract, version, action=live, action_label=action["name"], redirect_to=request.path
        )
        if outcome not in (None, "limited"):
            return outcome
    indicators = []
    for where, items in [("", action["indicators"])] + [
        (op["title"], op["indicators"]) for op in action["operations"]
    ]:
        for indicator in items:
            rows = selectors.indicator_rows(indicator)
            shown = selectors.indicator_shown(indicator)
            if indicator["unit"]:
                shown.label += f" ({indicator['unit']})"
            indicators.append(
                {
                    **indicator,
                    "operation": where,
                    "measure_label": ""
                    if shown.measure_kind == Indicator.Measure.NUMBER
                    else _label(Indicator.Measure, shown.measure_kind),
                    "rows": [
                        {
                            "row": row,
                            "text": _value_text(indicator, row),
                            "breakdown": breakdown_text(row.value.breakdown) if row.value else "",
                        }
                        for row in rows
                    ],
                    "chart": ChartBlock(indicator_chart(shown, rows), f"indicator-{indicator['id']}")
                    if rows
                    else None,
                }
            )
    codes = selectors.qpv_codes(version.snapshot)
    actions = {pk: _decorate(a) for pk, a in all_actions(version.snapshot).items()}
    events = [e for e in _participation(version.snapshot, actions)["events"] if action_pk in e["actions"]]
    context = _page_context(contract, version, preview)
    context.update(
        {
            "title": action["name"],
            "c": version.snapshot["contract"],
            "action": action,
            "operations": [
                {**op, "status_label": _status_label(op["status"])} for op in action["operations"]
            ],
            "indicators": indicators,
            "served": [(name, codes.get(name, "")) for name in action["served_names"]],
            "events": events,
            "suggestions": list(selectors.approved_suggestions(contract, action_pk=action_pk)[:50]),
        }
    )
    return _render_with_form(request, "publication/public_action.html", context, form, outcome)


@login_not_required
def contract_json(request, pk):
    contract, version, _preview = _readable_version(request, pk)
    if version is None:
        raise Http404
    data = {
        "version": version.number,
        "published_at": version.published_at.isoformat(),
        "url": request.build_absolute_uri(reverse("contracts:public_detail", args=[contract.pk])),
        **version.snapshot,
    }
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2) + "\n", content_type="application/json; charset=utf-8"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="contrat-{contract.pk}-version-{version.number}.json"'
    )
    return response


@login_not_required
def evaluation_report(request, pk):
    contract, version, _preview = _readable_version(request, pk)
    report = version.evaluation_report if version else None
    if report is None or report.contract_id != contract.pk or not report.file:
        raise Http404
    try:
        handle = report.file.open("rb")
    except FileNotFoundError as error:
        raise Http404 from error
    return FileResponse(handle, as_attachment=True, filename=report.filename, content_type="application/pdf")
