from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _
from dsfr.utils import dsfr_input_class_attr

from opencls.accounts.models import Organisation
from opencls.actions.models import Action, FundingLine
from opencls.core.forms import BaseForm, BaseModelForm
from opencls.finance.models import CoordinatorPostFunding, StatedShare
from opencls.territories.models import Municipality

SPACES = (" ", "\u00a0", "\u202f")


class FrenchDecimalField(forms.DecimalField):
    """Takes what a French user types: « 30 000,50 », « 30000.50 », never a negative number."""

    widget = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})
    default_error_messages = {
        "invalid": _("Saisissez un nombre, par exemple 1 234,56."),
        "min_value": _("Le montant ne peut pas être négatif."),
        "max_decimal_places": _("Au plus %(max)s chiffres après la virgule."),
    }

    def __init__(self, *, max_digits=12, decimal_places=2, min_value=Decimal(0), **kwargs):
        super().__init__(
            max_digits=max_digits, decimal_places=decimal_places, min_value=min_value, localize=True, **kwargs
        )

    def to_python(self, value):
        if isinstance(value, str):
            for space in SPACES:
                value = value.replace(space, "")
        return super().to_python(value)


def percentage_field(label, **kwargs) -> FrenchDecimalField:
    return FrenchDecimalField(
        label=label,
        max_digits=5,
        max_value=Decimal(100),
        error_messages={
            "min_value": _("Une part ne peut pas être négative."),
            "max_value": _("Une part ne peut pas dépasser 100 %%."),
        },
        **kwargs,
    )


class CoordinatorPostFundingForm(BaseModelForm):
    yearly_cost = FrenchDecimalField(
        label=_("Coût annuel du poste (€)"),
        required=False,
        min_value=Decimal("0.01"),
        error_messages={"min_value": _("Le coût annuel du poste doit être supérieur à zéro.")},
        help_text=_("Salaire chargé et frais du poste sur un an. Laisser vide s'il n'est pas encore connu."),
    )
    ars_rate = percentage_field(_("Part de l'ARS (%)"), help_text=_("50 % dans la plupart des contrats."))
    ars_yearly_cap = FrenchDecimalField(
        label=_("Plafond annuel de l'ARS (€)"),
        required=False,
        error_messages={"min_value": _("Le plafond ne peut pas être négatif.")},
        help_text=_("Par exemple 30 000. Laisser vide s'il n'y a pas de plafond."),
    )

    class Meta:
        model = CoordinatorPostFunding
        fields = [
            "ars_organisation",
            "ars_rate",
            "ars_yearly_cap",
            "yearly_cost",
            "yearly_cost_note",
            "population_basis",
        ]
        widgets = {"population_basis": forms.RadioSelect}

    def clean_population_basis(self):
        """Not sent (an older form, a script): the rule keeps its population."""
        return self.cleaned_data.get("population_basis") or self.instance.population_basis

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ars_organisation"].queryset = Organisation.objects.filter(kind=Organisation.Kind.ARS)
        self.fields["ars_organisation"].empty_label = _("ARS (non précisée)")
        self.fields["population_basis"].required = False


class StatedSharesForm(BaseForm):
    """The co-financing table as signed: one line per party (the ARS, then each commune)."""

    def __init__(
        self, *args, municipalities: list[Municipality], shares: list[StatedShare], ars_label, **kwargs
    ):
        super().__init__(*args, **kwargs)
        by_key = {share.municipality_id: share for share in shares}
        self.parties = [(None, ars_label, None)] + [(m.pk, m.name, m.population) for m in municipalities]
        for key, label, _population in self.parties:
            share = by_key.get(key)
            suffix = "ars" if key is None else str(key)
            self.fields[f"percentage_{suffix}"] = percentage_field(
                _("Part signée de %(party)s (%%)") % {"party": label},
                required=False,
                initial=share.stated_percentage if share else None,
            )
            self.fields[f"amount_{suffix}"] = FrenchDecimalField(
                label=_("Montant signé de %(party)s (€)") % {"party": label},
                required=False,
                initial=share.stated_amount if share else None,
            )
            for name in (f"percentage_{suffix}", f"amount_{suffix}"):
                dsfr_input_class_attr(self[name])

    def clean(self):
        cleaned = super().clean()
        for key, _label, _population in self.parties:
            suffix = "ars" if key is None else str(key)
            if cleaned.get(f"amount_{suffix}") is not None and cleaned.get(f"percentage_{suffix}") is None:
                self.add_error(
                    f"percentage_{suffix}",
                    _("Saisissez la part signée : un montant seul ne forme pas une ligne du tableau."),
                )
        return cleaned

    @property
    def rows(self):
        """(label, population, [percentage field, amount field]) for the template's table."""
        for key, label, population in self.parties:
            suffix = "ars" if key is None else str(key)
            yield label, population, [self[f"percentage_{suffix}"], self[f"amount_{suffix}"]]

    def stated(self) -> dict[int | None, tuple[Decimal | None, Decimal | None]]:
        return {
            key: (
                self.cleaned_data[f"percentage_{'ars' if key is None else key}"],
                self.cleaned_data[f"amount_{'ars' if key is None else key}"],
            )
            for key, _label, _population in self.parties
        }


class SimulationForm(BaseForm):
    cout = FrenchDecimalField(
        label=_("Coût annuel du poste à simuler (€)"),
        min_value=Decimal("0.01"),
        error_messages={
            "min_value": _("Le coût annuel du poste doit être supérieur à zéro."),
            "required": _("Saisissez un coût annuel pour voir la répartition."),
        },
    )


class FundingLineForm(BaseModelForm):
    new_funder_name = forms.CharField(
        label=_("… ou nouveau financeur"),
        max_length=300,
        required=False,
        help_text=_("Si le financeur n'est pas encore dans la liste : son nom complet."),
    )
    year = forms.IntegerField(
        label=_("Année"),
        required=False,
        min_value=2000,
        max_value=2100,
        error_messages={
            "min_value": _("Année entre 2000 et 2100."),
            "max_value": _("Année entre 2000 et 2100."),
            "invalid": _("Saisissez une année, par exemple 2026."),
        },
    )
    planned_amount = FrenchDecimalField(label=_("Montant prévu (€)"), required=False)
    granted_amount = FrenchDecimalField(label=_("Montant accordé (€)"), required=False)
    spent_amount = FrenchDecimalField(label=_("Montant dépensé (€)"), required=False)

    class Meta:
        model = FundingLine
        fields = [
            "operation",
            "funder",
            "new_funder_name",
            "kind",
            "year",
            "planned_amount",
            "granted_amount",
            "spent_amount",
            "comment",
        ]
        labels = {"operation": _("Opération")}

    def __init__(self, *args, action: Action, funders, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["operation"].queryset = action.operations.all()
        self.fields["operation"].empty_label = _("Toute la fiche action")
        self.fields["operation"].required = False
        self.fields["funder"].queryset = funders
        self.fields["funder"].empty_label = _("Financeur non précisé")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("funder") and (cleaned.get("new_funder_name") or "").strip():
            self.add_error(
                "new_funder_name",
                _("Choisissez un financeur dans la liste ou saisissez-en un nouveau, pas les deux."),
            )
        return cleaned
