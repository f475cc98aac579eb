"""Participation pages under a contract, and the health part of the contrat de ville.

Every view starts from the contract (`get_contract_or_404`) and fetches its objects through it."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from opencls.accounts.permissions import can, get_contract_or_404
from opencls.jobs.services import start_job
from opencls.participation import selectors, services
from opencls.participation.citycontract import city_contract_data
from opencls.participation.citycontract_exports import filename, render_docx, render_xlsx
from opencls.participation.forms import (
    BodyForm,
    ConsentForm,
    EventForm,
    ParticipantForm,
    SeatForm,
    WithdrawForm,
)
from opencls.participation.jobs import CITY_CONTRACT_PDF
from opencls.participation.models import Consent, Participant, ParticipationBody, ParticipationEvent, Seat

CHANGE = "participation.change"


def _context(contract, title: str, *crumbs, **extra) -> dict:
    links = [{"url": reverse("contracts:detail", args=[contract.pk]), "title": str(contract)}]
    if crumbs or title != _("Participation des habitants"):
        links.append(
            {"url": reverse("participation:overview", args=[contract.pk]), "title": _("Participation")}
        )
    links += [{"url": url, "title": label} for url, label in crumbs]
    return {
        "contract": contract,
        "title": title,
        "breadcrumb_data": {"links": links, "current": title},
        **extra,
    }


def _form_page(request, contract, title, form, back, *crumbs, submit=None, **extra):
    context = _context(
        contract, title, *crumbs, form=form, back=back, submit=submit or _("Enregistrer"), **extra
    )
    return render(
        request, "participation/form.html", context, status=400 if form.is_bound and form.errors else 200
    )


def _confirm(request, contract, title, question, back, consequences=(), confirm=None):
    context = _context(
        contract, title, question=question, consequences=consequences, back=back,
        confirm=confirm or _("Supprimer"),
    )  # fmt: skip
    return render(request, "participation/confirm.html", context)


def _body(contract, pk) -> ParticipationBody:
    return get_object_or_404(
        ParticipationBody.objects.select_related("neighbourhood"), pk=pk, contract=contract
    )


def _participant(body, pk) -> Participant:
    return get_object_or_404(Participant, pk=pk, body=body)


def _body_url(body, anchor="") -> str:
    url = reverse("participation:body_detail", args=[body.contract_id, body.pk])
    return f"{url}#{anchor}" if anchor else url


# Overview


def overview(request, pk):
    contract = get_contract_or_404(request.user, pk, "contract.view")
    return render(
        request,
        "participation/overview.html",
        _context(
            contract,
            _("Participation des habitants"),
            bodies=selectors.contract_bodies(contract),
            events=selectors.contract_events(contract),
            may_change=can(request.user, CHANGE, contract),
        ),
    )


# Bodies


def body_add(request, pk):
    contract = get_contract_or_404(request.user, pk, CHANGE)
    form = BodyForm(request.POST or None, contract=contract)
    if request.method == "POST" and form.is_valid():
        body = services.body_create(contract=contract, **form.cleaned_data)
        messages.success(request, _("L'instance « %(name)s » a été ajoutée.") % {"name": body.name})
        return redirect(_body_url(body))
    back = reverse("participation:overview", args=[contract.pk])
    return _form_page(request, contract, _("Ajouter une instance participative"), form, back)


def body_detail(request, pk, participation_body_pk):
    contract = get_contract_or_404(request.user, pk, "contract.view")
    body = _body(contract, participation_body_pk)
    may_change = can(request.user, CHANGE, contract)
    return render(
        request,
        "participation/body_detail.html",
        _context(
            contract, body.name, body=body, participants=selectors.body_participants(body),
            seats=list(body.seats.select_related("governance_body", "holder")),
            may_change=may_change, may_see_contact=can(request.user, "participation.contact", contract),
            participant_form=ParticipantForm(contract=contract, prefix="participant") if may_change else None,
            seat_form=SeatForm(body=body, prefix="seat") if may_change else None,
        ),
    )  # fmt: skip


def body_edit(request, pk, participation_body_pk):
    contract = get_contract_or_404(request.user, pk, CHANGE)
    body = _body(contract, participation_body_pk)
    form = BodyForm(request.POST or None, instance=body, contract=contract)
    if request.method == "POST" and form.is_valid():
        services.body_update(body=body, **form.cleaned_data)
        messages.success(request, _("L'instance a été enregistrée."))
        return redirect(_body_url(body))
    return _form_page(
        request, contract, _("Modifier « %(name)s »") % {"name": body.name}, form, _body_url(body),
        (_body_url(body), body.name),
    )  # fmt: skip


def body_delete(request, pk, participation_body_pk):
    contract = get_contract_or_404(request.user, pk, CHANGE)
    body = _body(contract, participation_body_pk)
    back = reverse("participation:overview", args=[contract.pk])
    if request.method == "POST":
        services.body_delete(body=body)
        messages.success(request, _("L'instance « %(name)s » a été supprimée.") % {"name": body.name})
        return redirect(back)
    members = body.participants.filter(erased_on__isnull=True).count()
    consequences = [
        _("%(n)s membre(s) : leurs données personnelles sont effacées, historique compris.") % {"n": members},
        _("%(n)s siège(s) en instance de gouvernance.") % {"n": body.seats.count()},
        _("Les temps de participation qu'elle a organisés restent, sans instance."),
    ]
    return _confirm(
        request, contract, _("Supprimer une instance participative"),
        _("Supprimer l'instance « %(name)s » ?") % {"name": body.name}, back, consequences,
    )  # fmt: skip


# Members


@require_POST
def participant_add(request, pk, participation_body_pk):
    contract = get_contract_or_404(request.user, pk, CHANGE)
    body = _body(contract, participation_body_pk)
    form = ParticipantForm(request.POST, contract=contract, prefix="participant")
    if form.is_valid():
        services.participant_create(body=body, **form.cleaned_data)
        messages.success(request, _("Le membre a été ajouté."))
        return redirect(_body_url(body, "membres"))
    return _form_page(
        request, contract, _("Ajouter un membre"), form, _body_url(body), (_body_url(body), body.name),
        submit=_("Ajouter le membre"), action_url=reverse("participation:participant_add", args=[contract.pk, body.pk]),
    )  # fmt: skip


def participant_edit(request, pk, participation_body_pk, participant_pk):
    contract = get_contract_or_404(request.user, pk, CHANGE)
    body = _body(contract, participation_body_pk)
    participant = _participant(body, participant_pk)
    if participant.erased_on:
        messages.info(request, str(participant))
        return redirect(_body_url(body, "membres"))
    has_consent = services.has_contact_consent(participant)
    form = ParticipantForm(
        request.POST or None, instance=participant, contract=contract, has_consent=has_consent
    )
    if request.method == "POST" and form.is_valid():
        services.participant_update(participant=participant, **form.cleaned_data)
        messages.success(request, _("Le membre a été enregistré."))
        return redirect(_body_url(body, "membres"))
    return _form_page(
        request, contract, _("Modifier le membre « %(name)s »") % {"name": participant}, form, _body_url(body),
        (_body_url(body), body.name), participant=participant,
        consents=list(participant.consents.all()), consent_form=ConsentForm(prefix="consent"),
        withdraw_form=WithdrawForm(initial={"withdrawn_on": timezone.localdate()}),
    )  # fmt: skip


def participant_erase(request, pk, participation_body_pk, participant_pk):
    contract = get_contract_or_404(request.user, pk, CHANGE)
    body = _body(contract, participation_body_pk)
    participant = _participant(body, participant_pk)
    back = _body_url(body, "membres")
    if participant.erased_on:
        return redirect(back)
    if request.method == "POST":
        services.participant_erase(participant=participant, on=timezone.localdate())
        messages.success(request, _("Les données du membre ont été effacées, historique compris."))
        return redirect(back)
    consequences = [
        _("Son nom ou pseudonyme, son quartier, son collège et ses coordonnées sont effacés."),
        _("Les versions antérieures gardées dans l'historique du contrat sont effacées aussi."),
        _(
            "Reste seulement la mention « membre supprimé à sa demande le %(date)s » et le registre des consentements, sans donnée personnelle."
        )
        % {"date": timezone.localdate().strftime("%d/%m/%Y")},
    ]
    return _confirm(
        request, contract, _("Supprimer un membre à sa demande"),
        _("Supprimer les données de « %(name)s » à sa demande ? Cette opération est définitive.") % {"name": participant},
        back, consequences, confirm=_("Effacer ses données"),
    )  # fmt: skip


@require_POST
def consent_add(request, pk, participation_body_pk, participant_pk):
    contract = get_contract_or_404(request.user, pk, CHANGE)
    body = _body(contract, participation_body_pk)
    participant = _participant(body, participant_pk)
    form = ConsentForm(request.POST, prefix="consent")
    edit_url = reverse("participation:participant_edit", args=[contract.pk, body.pk, participant.pk])
    if not form.is_valid() or participant.erased_on:
        messages.error(
            request, _("Le consentement n'a pas été enregistré : vérifiez la finalité et la date.")
        )
        return redirect(edit_url)
    services.consent_add(participant=participant, **form.cleaned_data)
    messages.success(request, _("Le consentement a été ajouté au registre."))
    return redirect(edit_url + "#consentements")


@require_POST
def consent_withdraw(request, pk, participation_body_pk, participant_pk, consent_pk):
    contract = get_contract_or_404(request.user, pk, CHANGE)
    body = _body(contract, participation_body_pk)
    participant = _participant(body, participant_pk)
    consent = get_object_or_404(Consent, pk=consent_pk, participant=participant)
    form = WithdrawForm(request.POST)
    edit_url = reverse("participation:participant_edit", args=[contract.pk, body.pk, participant.pk])
    if not form.is_valid():
        messages.error(request, _("Indiquez la date du retrait (pas dans le futur)."))
        return redirect(edit_url)
    services.consent_withdraw(consent=consent, on=form.cleaned_data["withdrawn_on"])
    messages.success(request, _("Le retrait du consentement est enregistré."))
    return redirect(edit_url + "#consentements")


# Seats


@require_POST
def seat_add(request, pk, participation_body_pk):
    contract = get_contract_or_404(request.user, pk, CHANGE)
    body = _body(contract, participation_body_pk)
    form = SeatForm(request.POST, body=body, prefix="seat")
    if form.is_valid():
        services.seat_add(body=body, **form.cleaned_data)
        messages.success(request, _("Le siège a été ajouté."))
        return redirect(_body_url(body, "sieges"))
    return _form_page(
        request, contract, _("Ajouter des sièges"), form, _body_url(body), (_body_url(body), body.name),
        action_url=reverse("participation:seat_add", args=[contract.pk, body.pk]),
    )  # fmt: skip


def seat_delete(request, pk, participation_body_pk, seat_pk):
    contract = get_contract_or_404(request.user, pk, CHANGE)
    body = _body(contract, participation_body_pk)
    seat = get_object_or_404(Seat.objects.select_related("governance_body"), pk=seat_pk, body=body)
    back = _body_url(body, "sieges")
    if request.method == "POST":
        services.seat_delete(seat=seat)
        messages.success(request, _("Le siège a été retiré."))
        return redirect(back)
    return _confirm(
        request, contract, _("Retirer des sièges"),
        _("Retirer les sièges de « %(body)s » dans « %(governance)s » ?") % {"body": body, "governance": seat.governance_body},
        back,
    )  # fmt: skip


# Events


def event_add(request, pk):
    contract = get_contract_or_404(request.user, pk, CHANGE)
    form = EventForm(request.POST or None, contract=contract)
    back = reverse("participation:overview", args=[contract.pk]) + "#temps"
    if request.method == "POST" and form.is_valid():
        services.event_create(contract=contract, **form.cleaned_data)
        messages.success(request, _("Le temps de participation a été ajouté."))
        return redirect(back)
    return _form_page(request, contract, _("Ajouter un temps de participation"), form, back)


def _event(contract, pk) -> ParticipationEvent:
    return get_object_or_404(ParticipationEvent, pk=pk, contract=contract)


def event_edit(request, pk, event_pk):
    contract = get_contract_or_404(request.user, pk, CHANGE)
    event = _event(contract, event_pk)
    form = EventForm(request.POST or None, instance=event, contract=contract)
    back = reverse("participation:overview", args=[contract.pk]) + f"#temps-{event.pk}"
    if request.method == "POST" and form.is_valid():
        services.event_update(event=event, **form.cleaned_data)
        messages.success(request, _("Le temps de participation a été enregistré."))
        return redirect(back)
    return _form_page(request, contract, _("Modifier « %(title)s »") % {"title": event.title}, form, back)


def event_delete(request, pk, event_pk):
    contract = get_contract_or_404(request.user, pk, CHANGE)
    event = _event(contract, event_pk)
    back = reverse("participation:overview", args=[contract.pk]) + "#temps"
    if request.method == "POST":
        services.event_delete(event=event)
        messages.success(request, _("Le temps de participation a été supprimé."))
        return redirect(back)
    return _confirm(
        request, contract, _("Supprimer un temps de participation"),
        _("Supprimer « %(title)s » et ce qui en a été noté ?") % {"title": event.title}, back,
    )  # fmt: skip


# The health part of the contrat de ville


def city_contract(request, pk):
    contract = get_contract_or_404(request.user, pk, "contract.view")
    data = city_contract_data(contract)
    context = _context(
        contract, _("Volet santé du contrat de ville"), data=data,
        may_export=can(request.user, "contract.export", contract),
    )  # fmt: skip
    context["breadcrumb_data"]["links"] = context["breadcrumb_data"]["links"][:1]
    return render(request, "participation/citycontract.html", context)


def _download(content: bytes, name: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def city_contract_docx(request, pk):
    contract = get_contract_or_404(request.user, pk, "contract.export")
    data = city_contract_data(contract)
    return _download(
        render_docx(data), filename(data, "docx"),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )  # fmt: skip


def city_contract_xlsx(request, pk):
    contract = get_contract_or_404(request.user, pk, "contract.export")
    data = city_contract_data(contract)
    return _download(
        render_xlsx(data),
        filename(data, "xlsx"),
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


@require_POST
def city_contract_pdf(request, pk):
    contract = get_contract_or_404(request.user, pk, "contract.export")
    job = start_job(
        CITY_CONTRACT_PDF, request.user, contract,
        label=_("Volet santé du contrat de ville (PDF)"),
        origin_url=reverse("participation:city_contract", args=[contract.pk]),
    )  # fmt: skip
    return redirect("jobs:detail", job.pk)
