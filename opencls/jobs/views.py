import mimetypes

from django.http import FileResponse, Http404
from django.shortcuts import render
from django.utils.translation import gettext as _

from opencls.jobs import selectors


def job_list(request):
    return render(
        request,
        "jobs/list.html",
        {
            "jobs": selectors.jobs_of(request.user),
            "title": _("Mes tâches"),
            "breadcrumb_data": {"current": _("Mes tâches")},
        },
    )


def job_detail(request, pk):
    job = selectors.visible_job_or_404(request.user, pk)
    context = {"job": job, "may_download": selectors.may_download(request.user, job)}
    if request.htmx:
        response = render(request, "jobs/includes/status.html", context)
        if job.status == job.Status.DONE and job.result_url and job.requested_by_id == request.user.pk:
            # The page was waiting for this job: go on to its result (e.g. the import's review).
            response["HX-Redirect"] = job.result_url
        return response
    return render(
        request,
        "jobs/detail.html",
        context
        | {
            "title": job.label,
            "breadcrumb_data": {
                "links": [{"url": "/taches/", "title": _("Mes tâches")}],
                "current": job.label,
            },
        },
    )


def job_download(request, pk):
    job = selectors.visible_job_or_404(request.user, pk)
    if not selectors.may_download(request.user, job):
        raise Http404
    content_type = mimetypes.guess_type(job.result_filename)[0] or "application/octet-stream"
    return FileResponse(
        job.result.open("rb"), as_attachment=True, filename=job.result_filename, content_type=content_type
    )
