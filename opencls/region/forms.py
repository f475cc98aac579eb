from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from opencls.contracts.models import Contract
from opencls.core.forms import BaseForm
from opencls.region.models import ActionTheme, Theme
from opencls.region.selectors import Filters, RegionalStatus, sort_choices

ALL = [("", _("Tous"))]


class FastSelect(forms.Select):
    """Django's <select> markup written in Python: the stock widget renders one template per
    option, and a région has hundreds of territories and porteurs (the country, thousands)."""

    def render(self, name, value, attrs=None, renderer=None):
        final_attrs = {"name": name, **self.build_attrs(self.attrs, attrs)}
        selected = set(self.format_value(value))
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (key, mark_safe(" selected") if str(key) in selected else "", label)
                for key, label in self.choices
            ),
        )
        return format_html("<select{}>{}</select>", flatatt(final_attrs), options)


class RegionFilterForm(BaseForm):
    """The filters of the regional view (GET); choices come from the user's scope."""

    department = forms.ChoiceField(label=_("Département"), required=False, widget=FastSelect)
    territory = forms.TypedChoiceField(
        label=_("EPCI / territoire"), required=False, widget=FastSelect, coerce=int, empty_value=None
    )
    kind = forms.ChoiceField(
        label=_("Type de contrat"),
        required=False,
        widget=FastSelect,
        choices=ALL + list(Contract.Kind.choices),
    )
    status = forms.ChoiceField(
        label=_("Statut"), required=False, widget=FastSelect, choices=ALL + RegionalStatus.choices()
    )
    theme = forms.TypedChoiceField(
        label=_("Thème"), required=False, widget=FastSelect, coerce=int, empty_value=None
    )
    organisation = forms.TypedChoiceField(
        label=_("Porteur"), required=False, widget=FastSelect, coerce=int, empty_value=None
    )
    qpv = forms.ChoiceField(
        label=_("Quartiers prioritaires (QPV)"),
        required=False,
        widget=FastSelect,
        choices=[("", _("Tous")), ("yes", _("Territoire avec QPV")), ("no", _("Territoire sans QPV"))],
    )
    sort = forms.ChoiceField(label=_("Trier par"), required=False, widget=FastSelect, choices=sort_choices())

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
