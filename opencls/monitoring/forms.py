from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from opencls.actions.measures import Measure, has_breakdown
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


def measure_fields(form, name: str, indicator, keys: list[str], stored=None, label: str = "") -> list[str]:
    """Adds to `form` the inputs of one value of `indicator`, named after `name`: the value
    itself (a number, a % between 0 and 100, a total computed from the breakdown…) and one
    input per category, commune, QPV or level (`{name}_k{i}`); returns the breakdown names.

    `stored` (an IndicatorValue) gives the initial figures; its keys stay listed even if the
    category was renamed since, so nothing entered disappears."""
    from opencls.finance.forms import FrenchDecimalField

    kind = indicator.measure_kind
    breakdown = dict(stored.breakdown) if stored is not None else {}
    value_label = label or _("Valeur")
    help_text, short = "", ""
    if kind == Measure.PERCENTAGE:
        value_label = f"{value_label} (%)"
        help_text = _("Un pourcentage, de 0 à 100.")
    elif kind == Measure.SATISFACTION:
        short = _("Part de satisfaits (%)")
        value_label = _("Part de satisfaits (%%) — %(label)s") % {"label": value_label}
        help_text = _(
            "Calculée à partir des réponses par niveau ; à saisir seule si vous n'avez que le taux."
        )
    elif has_breakdown(kind):
        short = _("Total")
        value_label = _("Total — %(label)s") % {"label": value_label}
        help_text = _(
            "Calculé à partir de la ventilation ; à saisir seul si la ventilation n'est pas connue."
        )
    form.fields[name] = FrenchDecimalField(
        label=value_label,
        required=False,
        min_value=None,
        max_digits=14,
        help_text=help_text,
        initial=stored.value if stored is not None else None,
    )
    form.fields[name].short_label = short  # shown beside the breakdown, the full label for screen readers
    names = []
    if has_breakdown(kind):
        extra = [key for key in breakdown if key not in keys]
        for index, key in enumerate([*keys, *extra]):
            field_name = f"{name}_k{index}"
            form.fields[field_name] = FrenchDecimalField(
                label=key if key in keys else _("%(key)s (catégorie retirée)") % {"key": key},
                required=False,
                max_digits=14,
                decimal_places=0 if kind == Measure.SATISFACTION else 2,
                initial=Decimal(str(breakdown[key])) if key in breakdown else None,
                error_messages={
                    "min_value": _("Un nombre positif est attendu."),
                    "max_decimal_places": _("Un nombre entier de réponses est attendu."),
                },
            )
            form.fields[field_name].breakdown_key = key
            names.append(field_name)
    return names


def measure_data(form, name: str, names: list[str]) -> tuple:
    """(value, breakdown) typed in the inputs `measure_fields` added (cleaned data)."""
    data = form.cleaned_data
    breakdown = {form.fields[n].breakdown_key: data[n] for n in names if data.get(n) is not None}
    return data.get(name), breakdown


class IndicatorValueForm(PeriodChoiceForm):
    period = forms.ChoiceField(label=_("Période"))

    def __init__(self, *args, indicator=None, keys=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.indicator = indicator
        if indicator is None:  # a plain number
            from opencls.actions.models import Indicator

            indicator = Indicator(measure_kind=Measure.NUMBER)
        self.measure_kind = indicator.measure_kind
        self.breakdown_names = measure_fields(self, "value", indicator, list(keys))
        self.fields["comment"] = forms.CharField(
            label=_("Commentaire"), required=False, widget=forms.Textarea(attrs={"rows": 2})
        )

    def clean(self):
        from django.core.exceptions import ValidationError

        from opencls.monitoring.measures import clean_measure

        cleaned = super().clean()
        if self.errors or self.indicator is None:
            if self.indicator is None and cleaned.get("value") is None and "value" not in self.errors:
                self.add_error("value", _("Saisissez une valeur."))
            cleaned["breakdown"] = {}
            return cleaned
        value, breakdown = measure_data(self, "value", self.breakdown_names)
        try:
            cleaned["value"], cleaned["breakdown"] = clean_measure(
                self.indicator,
                value,
                breakdown,
                keys=[self.fields[n].breakdown_key for n in self.breakdown_names],
            )
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                target = "value" if field == "value" or not self.breakdown_names else self.breakdown_names[0]
                for message in messages:
                    self.add_error(target, message)
        return cleaned


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
