from django import forms
from django.utils.translation import gettext_lazy as _

from opencls.core.forms import BaseForm, BaseModelForm
from opencls.renewal.models import QUESTIONS, ActionConclusion, FinalEvaluation


class FinalEvaluationForm(BaseModelForm):
    class Meta:
        model = FinalEvaluation
        fields = [key for key, _label, _question in QUESTIONS] + [
            "porteurs_said",
            "inhabitants_said",
            "conclusion",
        ]
        widgets = {name: forms.Textarea(attrs={"rows": 4}) for name in fields}
        help_texts = {key: question for key, _label, question in QUESTIONS}


class ConclusionForm(BaseModelForm):
    class Meta:
        model = ActionConclusion
        fields = ["judgement", "comment", "to_continue"]
        widgets = {"comment": forms.Textarea(attrs={"rows": 2})}


class RenewalForm(BaseForm):
    title = forms.CharField(label=_("Intitulé du nouveau contrat"), max_length=300)
    short_name = forms.CharField(label=_("Sigle"), max_length=50, required=False)
    start_date = forms.DateField(label=_("Date de début"), widget=forms.DateInput(attrs={"type": "date"}))
    end_date = forms.DateField(label=_("Date de fin"), widget=forms.DateInput(attrs={"type": "date"}))
    actions = forms.ModelMultipleChoiceField(
        label=_("Fiches actions reconduites"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Cochées d'office : celles que l'évaluation finale propose de reconduire."),
    )

    def __init__(self, *args, actions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["actions"].queryset = actions

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_date"), cleaned.get("end_date")
        if start and end and end <= start:
            self.add_error("end_date", _("La date de fin doit suivre la date de début."))
        return cleaned
