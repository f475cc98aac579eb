from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from opencls.accounts.models import Organisation, normalise_name
from opencls.contracts.editor_selectors import organisation_matches
from opencls.contracts.models import Axis, Contract, ContractRole, Objective, Signatory
from opencls.core.forms import BaseForm, BaseModelForm
from opencls.territories.models import Municipality, PriorityNeighbourhood, Territory, validate_qpv_code

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def check_date_order(form: forms.Form, cleaned: dict) -> None:
    start, end = cleaned.get("start_date"), cleaned.get("end_date")
    if start and end and end < start:
        form.add_error("end_date", _("La date de fin doit être postérieure à la date de début."))


class MoveForm(BaseForm):
    direction = forms.ChoiceField(choices=[("up", _("Monter")), ("down", _("Descendre"))])


PICKER_FIELDS = ("organisation", "organisation_name", "organisation_kind")


class OrganisationPickerForm(BaseForm):
    """Choose an organisation among those found as you type, or name a new one.

    Rendered by `contracts/editor/includes/picker_form_fields.html`; `search_url` is where
    the name field asks for matches (htmx), which come back as radio buttons for `organisation`.
    Without JavaScript the typed name is looked up ignoring case and accents, and created only
    if unknown.
    """

    organisation = forms.ModelChoiceField(
        queryset=Organisation.objects.all(), required=False, widget=forms.HiddenInput
    )
    organisation_name = forms.CharField(
        label=_("Organisation"),
        max_length=300,
        help_text=_(
            "Tapez quelques lettres pour retrouver une organisation ; si elle n'existe pas, elle sera créée."
        ),
        error_messages={
            "required": _(
                "Choisissez une organisation existante ou saisissez le nom d'une nouvelle organisation."
            )
        },
    )
    organisation_kind = forms.ChoiceField(
        label=_("Type (pour une nouvelle organisation)"),
        choices=Organisation.Kind.choices,
        initial=Organisation.Kind.OTHER,
        required=False,
    )

    def __init__(self, *args, search_url: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if self.is_bound and self.data.get(self.add_prefix("organisation")):
            self.fields["organisation_name"].required = False  # an organisation was picked
        if search_url:
            if self.prefix:
                search_url += f"{'&' if '?' in search_url else '?'}prefix={self.prefix}"
            widget = self.fields["organisation_name"].widget
            widget.input_type = "search"
            widget.attrs.update(
                {
                    "hx-get": search_url,
                    "hx-trigger": "input changed delay:300ms, search",
                    # A newer keystroke cancels the request still running: the matches of
                    # "PRIS" never arrive after (and replace) those of "PRISME".
                    "hx-sync": "this:replace",
                    "hx-target": f"#{self.picker_id}-results",
                    "hx-swap": "innerHTML",
                    "autocomplete": "off",
                }
            )

    @property
    def picker_id(self) -> str:
        return f"picker-{self.prefix or 'organisation'}"

    def matches(self) -> dict:
        """The matches for the typed name, shown again when the form comes back with errors."""
        query = self.data.get(self.add_prefix("organisation_name"), "") if self.is_bound else ""
        chosen = self.data.get(self.add_prefix("organisation"), "") if self.is_bound else ""
        return organisation_matches(query, field=self.add_prefix("organisation"), chosen=chosen)

    def other_fields(self) -> list:
        return [field for field in self if field.name not in PICKER_FIELDS]

    def chosen_key(self) -> str:
        """Normalised name of the organisation picked or typed, to detect duplicates."""
        organisation = self.cleaned_data.get("organisation")
        return (
            organisation.normalised_name
            if organisation
            else normalise_name(self.cleaned_data["organisation_name"])
        )


class ContractEditForm(BaseModelForm):
    class Meta:
        model = Contract
        fields = [
            "title",
            "short_name",
            "kind",
            "status",
            "start_date",
            "end_date",
            "regional_health_plan",
            "summary",
            "parent",
        ]
        widgets = {
            "start_date": DATE_WIDGET,
            "end_date": DATE_WIDGET,
            "summary": forms.Textarea(attrs={"rows": 6}),
        }
        help_texts = {
            "parent": _(
                "Pour un Atelier Santé Ville ou un CLSM / CISM : le CLS auquel il appartient, parmi les "
                "contrats que vous coordonnez. Son plan et ses instances se voient depuis la page du CLS."
            ),
        }

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["parent"]
        scope = models.Q(kind__in=Contract.PARENT_KINDS)
        if user is not None and not user.is_superuser:
            coordinated = ContractRole.objects.filter(user=user, role=ContractRole.Role.COORDINATOR)
            scope &= models.Q(pk__in=coordinated.values("contract_id"))
        # The current parent stays offered even if the user no longer coordinates it.
        scope |= models.Q(pk=self.instance.parent_id)
        field.queryset = Contract.objects.filter(scope).exclude(pk=self.instance.pk).order_by("title")
        field.required = False

    def clean(self):
        cleaned = super().clean()
        check_date_order(self, cleaned)
        parent, kind = cleaned.get("parent"), cleaned.get("kind")
        if parent is not None and kind not in Contract.CHILD_KINDS:
            self.add_error(
                "parent",
                _("Seuls un Atelier Santé Ville ou un CLSM / CISM se rattachent à un CLS."),
            )
        if parent is not None and self.instance.pk and Contract.objects.filter(parent=self.instance).exists():
            self.add_error(
                "parent", _("Ce contrat a lui-même des contrats rattachés : il ne peut pas être rattaché.")
            )
        return cleaned


class TerritoryForm(BaseModelForm):
    class Meta:
        model = Territory
        fields = [
            "name", "kind", "region", "department", "stated_municipality_count", "stated_population",
            "stated_neighbourhood_count", "stated_neighbourhood_inhabitants",
        ]  # fmt: skip
        help_texts = {
            "stated_municipality_count": _(
                "Tel qu'écrit dans le document ; comparé au nombre de communes saisies."
            ),
            "stated_population": _(
                "Tel qu'écrit dans le document ; comparé à la somme des populations saisies."
            ),
        }


class MunicipalityForm(BaseModelForm):
    class Meta:
        model = Municipality
        fields = [
            "name", "insee_code", "population", "population_year", "neighbourhood_inhabitants",
            "stated_neighbourhood_share", "neighbourhoods",
        ]  # fmt: skip
        widgets = {"neighbourhoods": forms.CheckboxSelectMultiple}
        labels = {"neighbourhoods": _("Quartiers prioritaires de la commune")}
        help_texts = {
            "stated_neighbourhood_share": _(
                "Le pourcentage imprimé dans le document, gardé pour comparaison. "
                "La part réelle est calculée à partir des habitants en QPV et de la population."
            ),
        }

    def __init__(self, *args, territory: Territory, **kwargs):
        super().__init__(*args, **kwargs)
        self.territory = territory
        self.fields["neighbourhoods"].queryset = territory.neighbourhoods.all()
        self.fields["neighbourhoods"].required = False

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        others = Municipality.objects.filter(territory=self.territory, name__iexact=name).exclude(
            pk=self.instance.pk
        )
        if others.exists():
            raise forms.ValidationError(
                _("La commune « %(name)s » est déjà saisie pour ce territoire."), params={"name": name}
            )
        return name

    def clean(self):
        cleaned = super().clean()
        population, inhabitants = cleaned.get("population"), cleaned.get("neighbourhood_inhabitants")
        if population is not None and inhabitants is not None and inhabitants > population:
            self.add_error(
                "neighbourhood_inhabitants",
                _(
                    "Les habitants en QPV (%(inhabitants)s) ne peuvent pas dépasser la population (%(population)s)."
                )
                % {"inhabitants": inhabitants, "population": population},
            )
        share = cleaned.get("stated_neighbourhood_share")
        if share is not None and not 0 <= share <= 100:
            self.add_error("stated_neighbourhood_share", _("Un pourcentage est compris entre 0 et 100."))
        return cleaned


class NeighbourhoodForm(BaseModelForm):
    municipalities = forms.ModelMultipleChoiceField(
        queryset=Municipality.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        label=_("Communes couvertes"),
        help_text=_("Un quartier prioritaire peut s'étendre sur plusieurs communes."),
    )

    class Meta:
        model = PriorityNeighbourhood
        fields = ["name", "code", "population", "population_year"]

    def __init__(self, *args, territory: Territory, **kwargs):
        super().__init__(*args, **kwargs)
        self.territory = territory
        self.fields["municipalities"].queryset = territory.municipalities.all()
        if self.instance.pk:
            self.initial["municipalities"] = list(self.instance.municipalities.values_list("pk", flat=True))

    def clean_name(self):
        name = " ".join(self.cleaned_data["name"].split())
        others = PriorityNeighbourhood.objects.filter(territory=self.territory, name__iexact=name)
        if others.exclude(pk=self.instance.pk).exists():
            raise forms.ValidationError(
                _("Le quartier « %(name)s » existe déjà sur ce territoire."), params={"name": name}
            )
        return name

    def clean_code(self):
        code = "".join(self.cleaned_data["code"].split()).upper()
        if code:
            validate_qpv_code(code)
            others = PriorityNeighbourhood.objects.filter(territory=self.territory, code=code)
            if others.exclude(pk=self.instance.pk).exists():
                raise forms.ValidationError(
                    _("Le code %(code)s est déjà celui d'un autre quartier de ce territoire."),
                    params={"code": code},
                )
        return code


class SignatoryForm(OrganisationPickerForm, BaseModelForm):
    class Meta:
        model = Signatory
        fields = ["representative", "representative_title", "role"]
        help_texts = {
            "role": _("Par exemple « Porteur du contrat » ou « Financeur »."),
        }

    def __init__(self, *args, contract: Contract, **kwargs):
        super().__init__(*args, **kwargs)
        self.contract = contract
        # The picker comes first on the page.
        if self.instance.pk and not self.is_bound:
            self.initial["organisation_name"] = self.instance.organisation.name
            self.initial["organisation_kind"] = self.instance.organisation.kind

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        others = Signatory.objects.filter(contract=self.contract).exclude(pk=self.instance.pk)
        if others.filter(organisation__normalised_name=self.chosen_key()).exists():
            self.add_error("organisation_name", _("Cette organisation est déjà signataire du contrat."))
        return cleaned


class AxisForm(BaseModelForm):
    class Meta:
        model = Axis
        fields = ["code", "title", "description"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "code": _("Par exemple « 1 » ou « Axe 2 »."),
        }


class ObjectiveForm(BaseModelForm):
    class Meta:
        model = Objective
        fields = ["code", "title"]
        help_texts = {
            "code": _("Par exemple « 2.1.1 »."),
        }
