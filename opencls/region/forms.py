from django import forms
from django.utils.translation import gettext_lazy as _

from opencls.contracts.models import Contract
from opencls.core.forms import BaseForm
from opencls.region.models import ActionTheme, Theme
from opencls.region.selectors import Filters, RegionalStatus, sort_choices

ALL = [("", _("Tous"))]


class RegionFilterForm(BaseForm):
    """The filters of the regional view (GET); choices come from the user's scope."""

    department = forms.ChoiceField(label=_("Département"), required=False)
    territory = forms.TypedChoiceField(
        label=_("EPCI / territoire"), required=False, coerce=int, empty_value=None
    )
    kind = forms.ChoiceField(
        label=_("Type de contrat"), required=False, choices=ALL + list(Contract.Kind.choices)
    )
    status = forms.ChoiceField(label=_("Statut"), required=False, choices=ALL + RegionalStatus.choices())
    theme = forms.TypedChoiceField(label=_("Thème"), required=False, coerce=int, empty_value=None)
    organisation = forms.TypedChoiceField(label=_("Porteur"), required=False, coerce=int, empty_value=None)
    qpv = forms.ChoiceField(
        label=_("Quartiers prioritaires (QPV)"),
        required=False,
        choices=[("", _("Tous")), ("yes", _("Territoire avec QPV")), ("no", _("Territoire sans QPV"))],
    )
    sort = forms.ChoiceField(label=_("Trier par"), required=False, choices=sort_choices())

    def __init__(self, data=None, *, choices: dict, themes: list[Theme]):
        super().__init__(data)
        self.fields["department"].choices = ALL + choices["departments"]
        self.fields["territory"].choices = ALL + choices["territories"]
        self.fields["organisation"].choices = ALL + choices["organisations"]
        self.fields["theme"].choices = ALL + [(theme.pk, theme.label) for theme in themes]

    def filters(self) -> Filters:
        """The valid filters; an unknown value (another region's territory, a forged id) is ignored."""
        if not self.is_bound:
            return Filters()
        self.is_valid()
        data = {name: value for name, value in self.cleaned_data.items() if value not in (None, "")}
        return Filters(**data)


class ThemeAddForm(BaseForm):
    theme = forms.ModelChoiceField(label=_("Ajouter un thème"), queryset=Theme.objects.all())


class ThemeDecisionForm(BaseForm):
    state = forms.ChoiceField(choices=ActionTheme.State.choices)
