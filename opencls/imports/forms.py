from django import forms
from django.conf import settings
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from opencls.contracts.models import Contract
from opencls.core.forms import BaseForm
from opencls.imports.services import megabytes
from opencls.territories.models import Territory


def _upload_help() -> str:
    return _(
        "Word (.docx), PDF contenant du texte, texte ou Markdown (.txt, .md). Taille maximale : %(size)s."
    ) % {"size": megabytes(settings.OPENCLS_MAX_UPLOAD_BYTES)}


class DocumentUploadForm(BaseForm):
    file = forms.FileField(
        label=_("Document du contrat"),
        help_text=lazy(_upload_help, str)(),  # the limit is read when the page is shown
        widget=forms.FileInput(attrs={"class": "fr-upload", "accept": ".docx,.pdf,.txt,.md"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.group_class = "fr-upload-group"


class ImportReviewForm(BaseForm):
    """What must be right before saving; the rest is corrected afterwards in the contract's pages."""

    title = forms.CharField(label=_("Intitulé du contrat"), max_length=300)
    kind = forms.ChoiceField(label=_("Type de contrat"), choices=Contract.Kind.choices)
    short_name = forms.CharField(label=_("Sigle"), max_length=50, required=False)
    territory_name = forms.CharField(label=_("Territoire couvert"), max_length=300)
    territory_kind = forms.ChoiceField(label=_("Type de territoire"), choices=Territory.Kind.choices)
    region = forms.CharField(label=_("Région"), max_length=100, required=False)

    @classmethod
    def initial_from(cls, data: dict) -> dict:
        contract = data["contract"]
        territory = contract["territory"]
        return {
            "title": contract.get("title", ""),
            "kind": contract.get("kind", Contract.Kind.CLS),
            "short_name": contract.get("short_name", ""),
            "territory_name": territory.get("name", ""),
            "territory_kind": territory.get("kind", Territory.Kind.OTHER),
            "region": territory.get("region", ""),
        }
