from django.contrib import messages
from django.contrib.staticfiles import finders
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from opencls.accounts.permissions import can, get_contract_or_404
from opencls.governance import selectors, services
from opencls.governance.forms import AgendaItemForm, AttendanceForm, DecisionForm, MeetingForm, MinutesForm
from opencls.governance.ical import meeting_calendar
from opencls.governance.models import AgendaItem, Decision, Meeting
from opencls.governance.richtext import render_minutes
from opencls.governance.views.common import attempt, breadcrumb, form_page


def _meeting(contract, meeting_pk) -> Meeting:
    return get_object_or_404(Meeting.objects.select_related("body"), pk=meeting_pk, contract=contract)


def _meeting_crumb(meeting) -> tuple[str, str]:
    return (
        reverse("governance:meeting_detail", args=[meeting.contract_id, meeting.pk]),
        f"{meeting.display_title} — {timezone.localtime(meeting.starts_at):%d/%m/%Y}",
    )


def meetings(request, pk):
    contract = get_contract_or_404(request.user, pk, "contract.view")
    upcoming, past = selectors.contract_meetings(contract)
    return render(
        request,
        "governance/meetings.html",
        {
            "contract": contract,
            "upcoming": upcoming,
            "past": past,
            "title": _("Réunions"),
            "breadcrumb_data": breadcrumb(contract, current=_("Réunions")),
        },
    )


def upcoming_meetings(request):
    """Every meeting to come, across the contracts the user reads."""
    return render(
        request,
        "governance/upcoming.html",
        {"meetings": selectors.upcoming_meetings_for_user(request.user), "title": _("Prochaines réunions")},
    )


def meeting_detail(request, pk, meeting_pk):
    contract = get_contract_or_404(request.user, pk, "contract.view")
    meeting = selectors.meeting_detail(contract, meeting_pk)
    may_change = can(request.user, "governance.change", contract)
    attendance = selectors.meeting_attendance(meeting)
    return render(
        request,
        "governance/meeting_detail.html",
        {
            "contract": contract,
            "meeting": meeting,
            "agenda": list(meeting.agenda_items.all()),
            "decisions": list(meeting.decisions.all()),
            "attendance": attendance,
            "emails": ",".join(member.email for member, _record in attendance if member.email),
            "minutes_html": render_minutes(meeting.minutes),
            "decision_form": DecisionForm(meeting=meeting) if may_change else None,
            "may_change": may_change,
            "title": meeting.display_title,
            "breadcrumb_data": breadcrumb(
                contract,
                (reverse("governance:meetings", args=[pk]), _("Réunions")),
                current=_meeting_crumb(meeting)[1],
            ),
        },
    )


def meeting_edit(request, pk, meeting_pk=None):
    contract = get_contract_or_404(request.user, pk, "governance.change")
    if meeting_pk:
        meeting = _meeting(contract, meeting_pk)
        previous = Meeting.objects.get(pk=meeting.pk)
    else:
        meeting, previous = Meeting(contract=contract), None
    body = request.GET.get("instance", "")
    initial = {"body": body} if not meeting_pk and body.isdigit() else {}
    form = MeetingForm(request.POST or None, instance=meeting, contract=contract, initial=initial)
    if not form.fields["body"].queryset.exists():
        messages.warning(
            request, _("Créez d'abord une instance (COPIL, COTECH…) pour y rattacher la réunion.")
        )
        return redirect("governance:overview", contract.pk)
    if (
        request.method == "POST"
        and form.is_valid()
        and attempt(form, lambda: services.meeting_save(form.instance, previous=previous, user=request.user))
    ):
        messages.success(request, _("La réunion est enregistrée."))
        return redirect("governance:meeting_detail", contract.pk, meeting.pk)
    back = (
        reverse("governance:meeting_detail", args=[pk, meeting_pk])
        if meeting_pk
        else reverse("governance:meetings", args=[pk])
    )
    return form_page(
        request,
        contract,
        form,
        title=_("Modifier la réunion") if meeting_pk else _("Nouvelle réunion"),
        back=back,
        crumbs=[(reverse("governance:meetings", args=[pk]), _("Réunions"))],
    )


@require_POST
def meeting_cancel(request, pk, meeting_pk):
    contract = get_contract_or_404(request.user, pk, "governance.change")
    meeting = _meeting(contract, meeting_pk)
    cancelled = request.POST.get("cancelled") == "1"
    services.meeting_set_cancelled(meeting, cancelled)
    messages.success(
        request,
        _("La réunion est annulée : téléchargez à nouveau l'invitation pour prévenir les participants.")
        if cancelled
        else _("La réunion est rétablie."),
    )
    return redirect("governance:meeting_detail", contract.pk, meeting.pk)


def agenda_item_edit(request, pk, meeting_pk, item_pk=None):
    contract = get_contract_or_404(request.user, pk, "governance.change")
    meeting = _meeting(contract, meeting_pk)
    item = (
        get_object_or_404(AgendaItem, pk=item_pk, meeting=meeting) if item_pk else AgendaItem(meeting=meeting)
    )
    initial = {}
    if not item_pk and request.GET.get("nature") in AgendaItem.Kind.values:
        initial["kind"] = request.GET["nature"]
    form = AgendaItemForm(request.POST or None, instance=item, contract=contract, initial=initial)
    if (
        request.method == "POST"
        and form.is_valid()
        and attempt(form, lambda: services.agenda_item_save(form.instance))
    ):
        messages.success(request, _("L'ordre du jour est à jour."))
        return redirect("governance:meeting_detail", contract.pk, meeting.pk)
    crumb = _meeting_crumb(meeting)
    return form_page(
        request,
        contract,
        form,
        title=_("Modifier le point") if item_pk else _("Ajouter un point à l'ordre du jour"),
        back=crumb[0],
        crumbs=[(reverse("governance:meetings", args=[pk]), _("Réunions")), crumb],
    )


@require_POST
def agenda_item_delete(request, pk, meeting_pk, item_pk):
    contract = get_contract_or_404(request.user, pk, "governance.change")
    item = get_object_or_404(AgendaItem, pk=item_pk, meeting=_meeting(contract, meeting_pk))
    item.delete()
    messages.success(request, _("Le point est retiré de l'ordre du jour."))
    return redirect("governance:meeting_detail", contract.pk, meeting_pk)


def attendance(request, pk, meeting_pk):
    contract = get_contract_or_404(request.user, pk, "governance.change")
    meeting = _meeting(contract, meeting_pk)
    form = AttendanceForm(request.POST or None, rows=selectors.meeting_attendance(meeting))
    if request.method == "POST" and form.is_valid():
        if attempt(form, lambda: services.attendance_record(meeting, form.records())):
            messages.success(request, _("Les présences sont enregistrées."))
            return redirect("governance:meeting_detail", contract.pk, meeting.pk)
    crumb = _meeting_crumb(meeting)
    return render(
        request,
        "governance/attendance.html",
        {
            "contract": contract,
            "meeting": meeting,
            "form": form,
            "title": _("Présences"),
            "breadcrumb_data": breadcrumb(
                contract,
                (reverse("governance:meetings", args=[pk]), _("Réunions")),
                crumb,
                current=_("Présences"),
            ),
        },
        status=400 if form.is_bound and form.errors else 200,
    )


@require_POST
def decision_create(request, pk, meeting_pk):
    contract = get_contract_or_404(request.user, pk, "governance.change")
    meeting = _meeting(contract, meeting_pk)
    form = DecisionForm(request.POST, instance=Decision(meeting=meeting), meeting=meeting)
    if form.is_valid() and attempt(form, lambda: services.decision_save(form.instance)):
        messages.success(request, _("La décision est enregistrée."))
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect(reverse("governance:meeting_detail", args=[contract.pk, meeting.pk]) + "#decisions")


@require_POST
def decision_delete(request, pk, meeting_pk, decision_pk):
    contract = get_contract_or_404(request.user, pk, "governance.change")
    decision = get_object_or_404(Decision, pk=decision_pk, meeting=_meeting(contract, meeting_pk))
    decision.delete()
    messages.success(request, _("La décision est retirée."))
    return redirect(reverse("governance:meeting_detail", args=[contract.pk, meeting_pk]) + "#decisions")


def minutes_edit(request, pk, meeting_pk):
    contract = get_contract_or_404(request.user, pk, "governance.change")
    meeting = _meeting(contract, meeting_pk)
    form = MinutesForm(request.POST or None, request.FILES or None, initial={"minutes": meeting.minutes})
    if request.method == "POST" and form.is_valid():
        services.minutes_update(
            meeting,
            minutes=form.cleaned_data["minutes"],
            file=form.cleaned_data["file"],
            remove_file=form.cleaned_data["remove_file"],
        )
        messages.success(request, _("Le compte rendu est enregistré."))
        return redirect(
            reverse("governance:meeting_detail", args=[contract.pk, meeting.pk]) + "#compte-rendu"
        )
    crumb = _meeting_crumb(meeting)
    return form_page(
        request,
        contract,
        form,
        title=_("Compte rendu"),
        back=crumb[0],
        crumbs=[(reverse("governance:meetings", args=[pk]), _("Réunions")), crumb],
        intro=_("Fichier actuel : %(name)s") % {"name": meeting.minutes_file_name}
        if meeting.minutes_file
        else "",
    )


def minutes_file(request, pk, meeting_pk):
    """Served only to those who read the contract; never from a public media URL."""
    contract = get_contract_or_404(request.user, pk, "contract.view")
    meeting = _meeting(contract, meeting_pk)
    if not meeting.minutes_file:
        raise Http404
    response = FileResponse(
        meeting.minutes_file.open("rb"),
        as_attachment=True,
        filename=meeting.minutes_file_name or "compte-rendu",
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response


def invitation(request, pk, meeting_pk):
    contract = get_contract_or_404(request.user, pk, "contract.view")
    meeting = selectors.meeting_detail(contract, meeting_pk)
    url = request.build_absolute_uri(reverse("governance:meeting_detail", args=[pk, meeting.pk]))
    content = meeting_calendar(
        meeting, agenda=list(meeting.agenda_items.all()), url=url, host=request.get_host()
    )
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    day = timezone.localtime(meeting.starts_at).strftime("%Y-%m-%d")
    response["Content-Disposition"] = f'attachment; filename="{slugify(meeting.display_title)}-{day}.ics"'
    return response


def _agenda_context(request, contract, meeting_pk) -> dict:
    meeting = selectors.meeting_detail(contract, meeting_pk)
    return {
        "contract_title": contract.title,
        "meeting": meeting,
        "agenda": list(meeting.agenda_items.all()),
        "members": selectors.body_members(meeting.body),
        "starts_at": timezone.localtime(meeting.starts_at),
        "ends_at": timezone.localtime(meeting.ends_at) if meeting.ends_at else None,
    }


def agenda_print(request, pk, meeting_pk):
    contract = get_contract_or_404(request.user, pk, "contract.view")
    context = _agenda_context(request, contract, meeting_pk)
    context["back"] = reverse("governance:meeting_detail", args=[pk, meeting_pk])
    return render(request, "governance/agenda_print.html", context)


def agenda_pdf(request, pk, meeting_pk):
    from weasyprint import CSS, HTML

    contract = get_contract_or_404(request.user, pk, "contract.view")
    context = _agenda_context(request, contract, meeting_pk)
    context["pdf"] = True
    html = render_to_string("governance/agenda_print.html", context, request=request)
    # The style sheet is read from disk: the PDF never fetches anything over the network.
    pdf = HTML(string=html).write_pdf(stylesheets=[CSS(filename=finders.find("governance/print.css"))])
    response = HttpResponse(pdf, content_type="application/pdf")
    day = context["starts_at"].strftime("%Y-%m-%d")
    response["Content-Disposition"] = (
        f'attachment; filename="ordre-du-jour-{slugify(context["meeting"].display_title)}-{day}.pdf"'
    )
    return response
