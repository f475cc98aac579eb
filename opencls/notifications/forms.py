from django import forms
from django.utils.translation import gettext_lazy as _

from opencls.core.forms import BaseForm
from opencls.notifications.models import Preference


class PreferenceForm(BaseForm):
    email_frequency = forms.ChoiceField(
        label=_("Courriels de notification"),
        choices=Preference.Frequency.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "Avec le résumé hebdomadaire, vous recevez chaque lundi un seul courriel qui reprend vos "
            "notifications non lues de la semaine passée. Les notifications restent toujours visibles "
            "dans OpenCLS ; les invitations sont toujours envoyées tout de suite."
        ),
    )
