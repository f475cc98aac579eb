import json

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST

from opencls.accounts.permissions import require_create_contract
from opencls.contracts.io import ContractJsonError
from opencls.imports import selectors, services
from opencls.imports.exceptions import ImportRejected
from opencls.imports.forms import DocumentUploadForm, ImportReviewForm
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
            try:
                document_import = services.document_import_create(
                    user=request.user, uploaded_file=form.cleaned_data["file"]
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
    if request.method == "POST" and form.is_valid():
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
