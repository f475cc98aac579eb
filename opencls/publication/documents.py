"""Documents offered for download on the citizen page.

Other apps add theirs from their AppConfig.ready() with `register_public_document_provider`:
a provider `(contract, version) -> list[PublicDocument]` returns what it has for that published
version (the contract document as DOCX/PDF, for instance), or [] when it has nothing public.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class PublicDocument:
    label: str
    url: str
    format: str  # shown as the DSFR download detail: « PDF », « JSON »…
    order: int = 100


PUBLIC_DOCUMENT_PROVIDERS: list[Callable] = []


def register_public_document_provider(provider: Callable) -> None:
    if provider not in PUBLIC_DOCUMENT_PROVIDERS:
        PUBLIC_DOCUMENT_PROVIDERS.append(provider)


def public_documents(contract, version) -> list[PublicDocument]:
    documents = [doc for provider in PUBLIC_DOCUMENT_PROVIDERS for doc in provider(contract, version)]
    return sorted(documents, key=lambda doc: doc.order)


def builtin_documents(contract, version) -> list[PublicDocument]:
    documents = [
        PublicDocument(
            _("Le contrat publié (données ouvertes, JSON)"),
            reverse("publication:contract_json", args=[contract.pk]),
            "JSON",
            order=50,
        )
    ]
    report = version.snapshot.get("evaluation_report")
    if report and version.evaluation_report_id:
        documents.append(
            PublicDocument(
                _("Rapport d'évaluation %(year)s") % {"year": report["year"]},
                reverse("publication:evaluation_report", args=[contract.pk]),
                "PDF",
                order=60,
            )
        )
    return documents
