from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from opencls.core.forms import BaseForm


class CampaignOpenForm(BaseForm):
    year = forms.IntegerField(label=_("Année évaluée"), min_value=2000, max_value=2100)
    deadline = forms.DateField(
        label=_("Date limite de saisie"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        self.fields["year"].initial = today.year


class TransitionForm(BaseForm):
    comment = forms.CharField(
        label=_("Commentaire"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3})
    )


class LockForm(BaseForm):
    meeting = forms.ModelChoiceField(label=_("Réunion du COPIL ayant approuvé l'évaluation"), queryset=None)

    def __init__(self, *args, meetings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = meetings
        self.fields["meeting"].label_from_instance = lambda m: (
            f"{m.display_title} — {timezone.localtime(m.starts_at).strftime('%d/%m/%Y')}"
        )


class UnlockForm(BaseForm):
    reason = forms.CharField(
        label=_("Motif du déverrouillage"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
