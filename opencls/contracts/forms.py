from django import forms
from django.utils.translation import gettext_lazy as _

from opencls.contracts.json_limits import max_bytes, too_large_message
from opencls.contracts.models import Contract
from opencls.core.forms import BaseForm, BaseModelForm
from opencls.territories.models import Territory


class ContractCreateForm(BaseModelForm):
    territory_name = forms.CharField(
        label=_("Territoire couvert"),
        max_length=300,
        help_text=_("Par exemple « Communauté d'Agglomération de Lens-Liévin »."),
    )
    territory_kind = forms.ChoiceField(label=_("Type de territoire"), choices=Territory.Kind.choices)
    region = forms.CharField(label=_("Région"), max_length=100, initial="Hauts-de-France")

    class Meta:
        model = Contract
        fields = ["kind", "title", "short_name", "start_date", "end_date", "regional_health_plan"]
        widgets = {
            "start_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "end_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("La date de fin doit suivre la date de début."))
        return cleaned


class ContractJsonUploadForm(BaseForm):
    file = forms.FileField(
        label=_("Fichier JSON d'un contrat"), help_text=_("Exporté depuis OpenCLS (schéma v1).")
    )

    def clean_file(self):
        """A file larger than any contract is refused before it is read."""
        upload = self.cleaned_data["file"]
        if upload.size > max_bytes():
            raise forms.ValidationError(too_large_message(upload.size))
        return upload
