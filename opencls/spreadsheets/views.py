from django.conf import settings
from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from opencls.accounts.permissions import get_contract_or_404
from opencls.spreadsheets import selectors, services
from opencls.spreadsheets.export import export_plan
from opencls.spreadsheets.followup import STATUS_CHOICES
from opencls.spreadsheets.forms import OrganisationChoiceForm, PlanUploadForm
from opencls.spreadsheets.jobs import export_filename, start_plan_export
from opencls.spreadsheets.models import PlanUpload
from opencls.spreadsheets.reader import SpreadsheetError
from opencls.spreadsheets.source import problem_text
from opencls.spreadsheets.tet import TET_STATUSES, tet_rows

CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "tet": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _breadcrumb(contract, current: str, *, with_tab: bool = False) -> dict:
    links = [{"url": reverse("contracts:detail", args=[contract.pk]), "title": str(contract)}]
    if with_tab:
        links.append({"url": reverse("spreadsheets:home", args=[contract.pk]), "title": _("Tableur")})
    return {"links": links, "current": current}


def _home_context(request, contract, form):
    warnings = []
    tet_rows(selectors.plan_snapshot(contract), warnings)
    return {
        "contract": contract,
        "form": form,
        "uploads": selectors.contract_uploads(contract, request.user),
        "tet_warnings": warnings,
        "tet_statuses": TET_STATUSES.items(),
        "status_labels": STATUS_CHOICES,
        "title": _("Tableur"),
        "breadcrumb_data": _breadcrumb(contract, _("Tableur")),
    }


def spreadsheet_home(request, pk):
    contract = get_contract_or_404(request.user, pk, "contract.export")
    return render(request, "spreadsheets/home.html", _home_context(request, contract, PlanUploadForm()))


def spreadsheet_export(request, pk, file_format):
    """POST (the page's buttons): a background job, whose page offers the file when done. GET: the
    file at once, for a plan small enough to be written within the request."""
    contract = get_contract_or_404(request.user, pk, "contract.export")
    if file_format not in CONTENT_TYPES:
        return redirect("spreadsheets:home", contract.pk)
    if request.method == "POST":
        job = start_plan_export(user=request.user, contract=contract, file_format=file_format)
        return redirect("jobs:detail", job.pk)
    if contract.actions.count() > settings.OPENCLS_SYNC_EXPORT_MAX_ACTIONS:
        messages.info(
            request,
            _(
                "Ce plan est volumineux : son export se prépare en arrière-plan. Utilisez les boutons ci-dessous."
            ),
        )
        return redirect("spreadsheets:home", contract.pk)
    data, _warnings = export_plan(contract, file_format)
    response = HttpResponse(data, content_type=CONTENT_TYPES[file_format])
    response["Content-Disposition"] = f'attachment; filename="{export_filename(contract, file_format)}"'
    return response


@require_POST
def spreadsheet_upload(request, pk):
    contract = get_contract_or_404(request.user, pk, "contract.change")
    form = PlanUploadForm(request.POST, request.FILES)
    if form.is_valid():
        upload_file = form.cleaned_data["file"]
        try:
            upload = services.plan_upload_create(
                contract=contract, user=request.user, filename=upload_file.name, data=upload_file.read()
            )
        except SpreadsheetError as error:
            for message in error.messages:
                form.add_error("file", message)
        else:
            return redirect("spreadsheets:review", contract.pk, upload.pk)
    return render(request, "spreadsheets/home.html", _home_context(request, contract, form), status=400)


def _upload(request, contract, upload_pk) -> PlanUpload:
    # An upload is its author's draft: scoped by the contract and the user, never by its id alone.
    return get_object_or_404(PlanUpload, pk=upload_pk, contract=contract, user=request.user)


def spreadsheet_review(request, pk, upload_pk, form=None, apply_errors=None):
    contract = get_contract_or_404(request.user, pk, "contract.change")
    upload = _upload(request, contract, upload_pk)
    diff = upload.diff
    form = form or OrganisationChoiceForm(proposals=diff.get("organisations", []))
    groups = []
    for kind, label in (
        ("territory", _("Territoire")),
        ("municipality", _("Communes")),
        ("action", _("Fiches actions")),
        ("operation", _("Opérations")),
        ("indicator", _("Indicateurs")),
        ("funding", _("Lignes de financement")),
    ):
        changes = [c for c in diff.get("changes", []) if c["kind"] == kind]
        if changes:
            groups.append({"kind": kind, "label": label, "changes": changes})
    return render(
        request,
        "spreadsheets/review.html",
        {
            "contract": contract,
            "upload": upload,
            "diff": diff,
            "exported_at": parse_datetime(diff["exported_at"]) if diff.get("exported_at") else None,
            "groups": groups,
            "errors": [problem_text(e) for e in diff.get("errors", [])],
            "apply_errors": apply_errors or [],
            "matched_organisations": [o for o in diff.get("organisations", []) if o["existing"]],
            "form": form,
            "tet_statuses": TET_STATUSES.items() if upload.source == PlanUpload.Source.TET else None,
            "status_labels": STATUS_CHOICES,
            "title": _("Vérifier les changements"),
            "breadcrumb_data": _breadcrumb(contract, upload.filename, with_tab=True),
        },
        status=400 if apply_errors else 200,
    )


@require_POST
def spreadsheet_apply(request, pk, upload_pk):
    contract = get_contract_or_404(request.user, pk, "contract.change")
    upload = _upload(request, contract, upload_pk)
    form = OrganisationChoiceForm(request.POST, proposals=upload.diff.get("organisations", []))
    if not form.is_valid():
        return spreadsheet_review(request, pk, upload_pk, form=form)
    try:
        diff = services.plan_upload_apply(
            upload=upload,
            user=request.user,
            organisation_choices=form.choices(),
            removals=set(request.POST.getlist("remove")),
        )
    except services.PlanApplyError as error:
        return spreadsheet_review(request, pk, upload_pk, form=form, apply_errors=error.messages)
    messages.success(
        request,
        _(
            "Le plan a été mis à jour : %(added)s ajout(s), %(changed)s modification(s), %(removed)s suppression(s)."
        )
        % {"added": diff.count("add"), "changed": diff.count("change"), "removed": diff.count("remove")},
    )
    return redirect("spreadsheets:home", contract.pk)


@require_POST
def spreadsheet_discard(request, pk, upload_pk):
    contract = get_contract_or_404(request.user, pk, "contract.change")
    services.plan_upload_discard(upload=_upload(request, contract, upload_pk), user=request.user)
    messages.info(request, _("Le fichier a été abandonné : rien n'a été modifié."))
    return redirect("spreadsheets:home", contract.pk)
