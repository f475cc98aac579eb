"""The health part of the contrat de ville as a PDF, written in the background."""

from django.utils.translation import gettext as _

from opencls.jobs.registry import JobKind, JobOutput
from opencls.jobs.services import progress

CITY_CONTRACT_PDF = "participation.city_contract_pdf"


def run_city_contract_pdf(job) -> JobOutput:
    from opencls.participation.citycontract import city_contract_data
    from opencls.participation.citycontract_exports import filename, render_pdf

    progress(job, 10, _("Lecture des actions qui servent les quartiers prioritaires…"))
    data = city_contract_data(job.contract)
    progress(job, 40, _("Mise en page du PDF…"))
    return JobOutput(filename=filename(data, "pdf"), content=render_pdf(data))


KIND = JobKind(key=CITY_CONTRACT_PDF, run=run_city_contract_pdf, permission="contract.export")
