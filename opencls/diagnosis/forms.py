from django import forms
from django.utils.translation import gettext_lazy as _

from opencls.contracts.models import DiagnosisIndicator
from opencls.core.forms import BaseForm, BaseModelForm
from opencls.diagnosis.models import CareSupply, DiagnosisSection
from opencls.finance.forms import FrenchDecimalField

VALUE_HELP = _("Tel que publié, avec son unité si besoin : « 6,69 % », « 80 ans », « 32 428 € ».")


class FigureForm(BaseModelForm):
    class Meta:
        model = DiagnosisIndicator
        fields = [
            "group",
            "theme",
            "label",
            "unit",
            "territory_value",
            "department_value",
            "region_value",
            "nation_value",
            "year",
            "source",
        ]
        help_texts = {
            "group": _("Laisser vide pour que la rubrique soit déduite du libellé."),
            "theme": _("Le titre du tableau ou de la partie du document d'où vient le chiffre."),
            "territory_value": VALUE_HELP,
        }


def density_field(label):
    return FrenchDecimalField(label=label, required=False, max_digits=8)


class CareSupplyForm(BaseModelForm):
    department_density = density_field(_("Densité du département (pour 10 000 hab.)"))
    region_density = density_field(_("Densité de la région (pour 10 000 hab.)"))
    nation_density = density_field(_("Densité en France (pour 10 000 hab.)"))

    class Meta:
        model = CareSupply
        fields = ["kind", "label", "count", "department_density", "region_density", "nation_density", "year",
                  "source"]  # fmt: skip
        help_texts = {
            "count": _("La densité du territoire pour 10 000 habitants en est calculée."),
        }


class SectionForm(BaseModelForm):
    class Meta:
        model = DiagnosisSection
        fields = ["title", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 12})}


class BaselineForm(BaseForm):
    """The indicators of the contract's actions that start from one diagnosis figure."""

    indicators = forms.ModelMultipleChoiceField(
        label=_("Indicateurs des fiches actions dont ce chiffre est la situation de départ"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, indicators, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicators"].queryset = indicators
        self.fields["indicators"].label_from_instance = lambda i: (
            f"{i.action} — {i.label} ({i.get_kind_display()})"
        )
