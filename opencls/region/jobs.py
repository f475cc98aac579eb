"""Large exports of the regional view as background jobs (XLSX, ODS, PDF). The job reads the
scope of the user who asked for it, with the filters of the page they were on."""

from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _

from opencls.jobs.registry import JobKind, JobOutput
from opencls.jobs.services import progress

REGION_EXPORT = "region.export"


def run_region_export(job, *, fmt: str, query: str) -> JobOutput:
    from opencls.region import exports, selectors
    from opencls.region.forms import RegionFilterForm
    from opencls.region.models import Theme

    user = job.requested_by
    today = timezone.localdate()
    progress(job, 5, _("Lecture des contrats du périmètre…"))
    form = RegionFilterForm(
        QueryDict(query) or None, choices=selectors.filter_choices(user), themes=list(Theme.objects.all())
    )
    queryset = selectors.filtered_contracts(user, form.filters(), today)
    progress(job, 20, _("Écriture du fichier…"))
    content, filename, _content_type = exports.build(fmt, user, form, queryset, today)
    return JobOutput(filename=filename, content=content)


# No contract: the result is the requester's (and the job reads only their scope).
KIND = JobKind(key=REGION_EXPORT, run=run_region_export, permission=None)
