import json

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from opencls.accounts.permissions import can, get_contract_or_404, require_create_contract, visible_contracts
from opencls.contracts.io import ContractJsonError
from opencls.imports import selectors, services, twins
from opencls.imports.exceptions import ImportRejected
from opencls.imports.forms import DocumentUploadForm, ImportReviewForm
from opencls.imports.jobs import start_document_import
from opencls.imports.models import DocumentImport
from opencls.imports.uploads import SizeLimitUploadHandler


def _breadcrumb(current: str, *links) -> dict:
    return {
        "links": [{"url": reverse("core:dashboard"), "title": _("Tableau de bord")}, *links],
        "current": current,
    }


@csrf_exempt  # the size limit must be in place before the body is parsed; CSRF is checked just below
def upload(request):
    require_create_contract(request.user)
    request.upload_handlers.insert(0, SizeLimitUploadHandler(request))
    return _upload(request)


@csrf_protect
def _upload(request):
    form = DocumentUploadForm(request.POST or None, request.FILES or None)
    error = None
    if request.method == "POST":
        if too_large := getattr(request, "upload_too_large", None):
            error = services.too_large_message(too_large)
            form = DocumentUploadForm()
        elif form.is_valid():
            uploaded = form.cleaned_data["file"]
            try:
                data = services.checked_document(uploaded, uploaded.name)
                if services.reads_in_background(uploaded.name, len(data)):
                    job = start_document_import(user=request.user, filename=uploaded.name, data=data)
                    return redirect("jobs:detail", job.pk)
                document_import = services.document_import_record(
                    user=request.user, data=services.extract_checked_and_matched(data, uploaded.name)
                )
            except ImportRejected as rejection:
                error = rejection.message
            else:
                return redirect("imports:review", document_import.pk)
    context = {
        "form": form,
        "error": error,
        "imports": selectors.recent_imports(request.user),
        "title": _("Importer un document"),
        "breadcrumb_data": _breadcrumb(_("Importer un document")),
    }
    return render(request, "imports/upload.html", context, status=400 if error or form.errors else 200)


def review(request, pk):
    require_create_contract(request.user)
    document_import = get_object_or_404(DocumentImport, pk=pk, user=request.user)
    initial = ImportReviewForm.initial_from(document_import.data)
    form = ImportReviewForm(request.POST or None, initial=initial)
    errors: list[str] = []
    found = (
        []
        if document_import.contract_id
        else twins.find_twins(document_import.data, visible_contracts(request.user))
    )
    if request.method == "POST" and found and not request.POST.get("create_new"):
        errors = [
            _(
                "Ce contrat semble déjà exister dans OpenCLS : mettez-le à jour, ou cochez « Créer quand "
                "même un nouveau contrat »."
            )
        ]
    elif request.method == "POST" and form.is_valid():
        try:
            contract = services.document_import_save(
                document_import=document_import, user=request.user, changes=form.cleaned_data
            )
        except ContractJsonError as error:
            errors = error.messages
        else:
            messages.success(
                request,
                _("Le contrat « %(title)s » a été créé comme brouillon. Complétez-le et corrigez-le ici.")
                % {"title": contract.title},
            )
            return redirect("contracts:detail", contract.pk)
    context = {
        "document_import": document_import,
        "summary": selectors.review_summary(document_import.data),
        "twins": [(contract, can(request.user, "contract.change", contract)) for contract in found],
        "form": form,
        "errors": errors,
        "title": _("Vérifier l'import"),
        "breadcrumb_data": _breadcrumb(
            document_import.filename, {"url": reverse("imports:upload"), "title": _("Importer un document")}
        ),
    }
    return render(request, "imports/review.html", context, status=400 if errors or form.errors else 200)


@require_POST
def discard(request, pk):
    document_import = get_object_or_404(DocumentImport, pk=pk, user=request.user)
    services.document_import_discard(document_import=document_import)
    messages.success(
        request, _("L'import de « %(name)s » a été abandonné.") % {"name": document_import.filename}
    )
    return redirect("imports:upload")


def download_json(request, pk):
    """The extracted contract as JSON: correct it by hand, then load it with « Importer un contrat (JSON) »."""
    document_import = get_object_or_404(DocumentImport, pk=pk, user=request.user)
    text = json.dumps(document_import.data, ensure_ascii=False, indent=2) + "\n"
    response = HttpResponse(text, content_type="application/json; charset=utf-8")
    name = slugify(document_import.filename.rsplit(".", 1)[0])[:60] or "document"
    response["Content-Disposition"] = f'attachment; filename="import-{name}.json"'
    return response


def update_twin(request, pk, contract_pk):
    """The document's contract already exists: its changes as a reviewed diff, applied on confirmation."""
    document_import = get_object_or_404(DocumentImport, pk=pk, user=request.user)
    contract = get_contract_or_404(request.user, contract_pk, "contract.view")
    allowed = can(request.user, "contract.change", contract) and contract.status == contract.Status.DRAFT
    error = None
    if request.method == "POST":
        if not allowed:
            raise PermissionDenied
        try:
            with transaction.atomic():  # the contract's changes and the import's link, or nothing
                twins.contract_update_from_document(
                    contract=contract,
                    data=document_import.data,
                    user=request.user,
                    fingerprint=request.POST.get("fingerprint", ""),
                )
                services.document_import_link(document_import=document_import, contract=contract)
        except twins.UpdateRefused as refusal:
            error = str(refusal)
        else:
            messages.success(
                request,
                _(
                    "Le contrat « %(title)s » a été mis à jour depuis le document ; chaque modification figure dans son historique."
                )
                % {"title": contract.title},
            )
            return redirect("core:contract_history", contract.pk)
    preview = twins.update_preview(contract, document_import.data)
    context = {
        "document_import": document_import,
        "contract": contract,
        "preview": preview,
        "allowed": allowed,
        "error": error,
        "title": _("Mettre à jour le contrat existant"),
        "breadcrumb_data": _breadcrumb(
            _("Mettre à jour le contrat existant"),
            {"url": reverse("imports:review", args=[document_import.pk]), "title": document_import.filename},
        ),
    }
    return render(request, "imports/update.html", context, status=400 if error else 200)
