"""Reading an uploaded contract document as a background job (issue 13): upload → job page with
its progress bar → the same review page as a document read in the request."""

import uuid
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils.translation import gettext as _

from opencls.accounts.permissions import can_create_contract
from opencls.imports.exceptions import ImportRejected
from opencls.jobs.registry import JobKind, JobOutput
from opencls.jobs.services import JobError, progress, start_job

DOCUMENT_IMPORT = "imports.document"


def start_document_import(*, user, filename: str, data: bytes):
    """Keeps the checked bytes in private storage until the job has read them (then deletes them:
    only what was extracted is kept, as for a document read in the request)."""
    name = Path(filename).name[:100]
    stored = default_storage.save(f"jobs/imports/{uuid.uuid4().hex}/{name}", ContentFile(data))
    return start_job(
        DOCUMENT_IMPORT,
        user,
        label=_("Lecture du document « %(name)s »") % {"name": name},
        origin_url=reverse("imports:upload"),
        stored_name=stored,
        filename=name,
    )


def run_document_import(job, *, stored_name: str, filename: str) -> JobOutput:
    from opencls.imports import services

    try:
        # The kind has no contract: its right is the user's contract.create (as for the upload page).
        if not can_create_contract(job.requested_by):
            raise JobError(_("Vous n'avez plus le droit de créer des contrats."))
        progress(job, 5, _("Ouverture du document…"))
        with default_storage.open(stored_name, "rb") as handle:
            data = handle.read()
        progress(job, 15, _("Lecture du texte et reconnaissance des fiches actions…"))
        try:
            extracted = services.extract_checked_and_matched(data, filename)
        except ImportRejected as rejection:
            raise JobError(rejection.message) from None
        progress(job, 90, _("Préparation de la vérification…"))
        document_import = services.document_import_record(user=job.requested_by, data=extracted)
    finally:
        default_storage.delete(stored_name)
    return JobOutput(url=reverse("imports:review", args=[document_import.pk]))


KIND = JobKind(key=DOCUMENT_IMPORT, run=run_document_import, permission=None, requester_only=True)
