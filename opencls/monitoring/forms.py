from django import forms
from django.utils.translation import gettext_lazy as _

from opencls.core.forms import BaseForm
from opencls.monitoring.models import EvaluationReport, Evidence, Status

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
# Decimal fields take « 2,5 » as well as « 2.5 »: a text input with the numeric keyboard on phones.
DECIMAL_WIDGET = forms.TextInput(attrs={"inputmode": "decimal"})


class StatusForm(BaseForm):
    status = forms.ChoiceField(label=_("Nouveau statut"), choices=Status.choices)
    day = forms.DateField(label=_("Depuis le"), widget=DATE_WIDGET)
    comment = forms.CharField(
        label=_("Commentaire"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Ce qui a été fait, la raison d'un report ou d'un abandon…"),
    )


class PeriodChoiceForm(BaseForm):
    def __init__(self, *args, periods=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = [(p.code, p.label) for p in periods]


class IndicatorValueForm(PeriodChoiceForm):
    period = forms.ChoiceField(label=_("Période"))
    value = forms.DecimalField(
        label=_("Valeur"), max_digits=14, decimal_places=2, localize=True, widget=DECIMAL_WIDGET
    )
    comment = forms.CharField(
        label=_("Commentaire"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class IndicatorTargetForm(PeriodChoiceForm):
    period = forms.ChoiceField(label=_("Période"))
    value = forms.DecimalField(
        label=_("Cible (valeur minimale attendue)"),
        max_digits=14,
        decimal_places=2,
        min_value=0,
        localize=True,
        widget=DECIMAL_WIDGET,
    )
    cumulative = forms.BooleanField(
        label=_("Cible cumulée"),
        required=False,
        help_text=_(
            "Comparée au total des valeurs saisies depuis le début du contrat jusqu'à cette période."
        ),
    )


class TargetProposalForm(BaseForm):
    """Confirms the target read from a deliverable's wording, on one of the action's indicators."""

    indicator = forms.ModelChoiceField(label=_("Indicateur suivi"), queryset=None, empty_label=None)
    value = forms.DecimalField(
        label=_("Cible"), max_digits=14, decimal_places=2, min_value=0, localize=True, widget=DECIMAL_WIDGET
    )
    years = forms.TypedMultipleChoiceField(
        label=_("Années"), coerce=int, widget=forms.CheckboxSelectMultiple, choices=()
    )
    cumulative = forms.BooleanField(
        label=_("Une seule fois sur la durée du contrat (cible cumulée, fixée à la dernière année cochée)"),
        required=False,
    )

    def __init__(self, *args, indicators, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["indicator"].queryset = indicators
        self.fields["years"].choices = [(year, str(year)) for year in years]


class DeliverableFollowUpForm(BaseForm):
    is_done = forms.BooleanField(label=_("Livrable réalisé"), required=False)
    done_on = forms.DateField(
        label=_("Réalisé le"), required=False, widget=DATE_WIDGET, help_text=_("Aujourd'hui si laissé vide.")
    )
    due_date = forms.DateField(
        label=_("Échéance"),
        required=False,
        widget=DATE_WIDGET,
        help_text=_("Laissez vide pour reprendre la fin du calendrier de l'opération ou de la fiche action."),
    )
    comment = forms.CharField(
        label=_("Commentaire"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class EvidenceForm(BaseForm):
    file = forms.FileField(label=_("Pièce justificative"))
    description = forms.CharField(label=_("Description"), required=False, max_length=300)
    replaces = forms.ModelChoiceField(
        label=_("Remplace la pièce"),
        queryset=Evidence.objects.none(),
        required=False,
        empty_label=_("Aucune : nouvelle pièce"),
        help_text=_("La pièce remplacée reste dans l'historique, son fichier est conservé."),
    )

    def __init__(self, *args, max_bytes: int, formats: str, evidences=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Only the deliverable's own evidence can be replaced (the queryset is scoped by the view).
        if evidences is not None and evidences.exists():
            self.fields["replaces"].queryset = evidences
        else:
            del self.fields["replaces"]
        self.fields["file"].help_text = _(
            "Taille maximale : %(size)s Mo. Formats acceptés : %(formats)s."
        ) % {
            "size": round(max_bytes / 1024 / 1024, 1),
            "formats": formats,
        }


class SynthesisForm(BaseForm):
    synthesis = forms.CharField(
        label=_("Synthèse de l'année"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_("Texte libre placé en tête du rapport : faits marquants, difficultés, perspectives."),
    )


class ReportForm(BaseForm):
    format = forms.ChoiceField(choices=EvaluationReport.Format.choices)
