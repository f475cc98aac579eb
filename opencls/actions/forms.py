from django import forms
from django.utils.translation import gettext_lazy as _

from opencls.actions.models import Action, Deliverable, Indicator, Involvement, Operation
from opencls.contracts.editor_forms import DATE_WIDGET, OrganisationPickerForm, check_date_order
from opencls.contracts.editor_selectors import objective_choices
from opencls.contracts.models import Axis, Contract, Objective
from opencls.core.forms import BaseModelForm
from opencls.territories.models import PriorityNeighbourhood

SCHEDULE_HELP = _(
    "Tel qu'écrit dans la fiche, par exemple « Premier semestre 2026 ». Les dates de début et de fin "
    "laissées vides sont déduites de ce calendrier quand il est reconnu."
)
TEXTAREA = forms.Textarea(attrs={"rows": 4})


QPV_FIELDS = [
    "neighbourhoods", "whole_territory", "qpv_public_share", "qpv_public_share_basis", "city_policy_funded",
]  # fmt: skip
QPV_WIDGETS = {"neighbourhoods": forms.CheckboxSelectMultiple}


class QpvFieldsMixin:
    """The politique de la ville fields of an action or an operation (issue 14)."""

    def setup_qpv_fields(self, contract: Contract | None):
        field = self.fields["neighbourhoods"]
        field.queryset = (
            PriorityNeighbourhood.objects.filter(territory_id=contract.territory_id)
            if contract
            else PriorityNeighbourhood.objects.none()
        )
        field.required = False
        self["neighbourhoods"].help_text = _(
            "Les quartiers prioritaires du territoire que l'action sert ; sinon cochez « tout le territoire »."
        )

    def clean_qpv_fields(self, cleaned: dict) -> None:
        if cleaned.get("whole_territory") and cleaned.get("neighbourhoods"):
            self.add_error(
                "whole_territory",
                _("Choisissez des quartiers prioritaires ou « tout le territoire », pas les deux."),
            )
        share, basis = cleaned.get("qpv_public_share"), cleaned.get("qpv_public_share_basis")
        if share is not None and not basis:
            self.add_error(
                "qpv_public_share_basis", _("Précisez si la part du public en QPV est estimée ou mesurée.")
            )
        if basis and share is None:
            self.add_error("qpv_public_share", _("Indiquez la part du public résidant en QPV (en %)."))


class ActionForm(QpvFieldsMixin, BaseModelForm):
    class Meta:
        model = Action
        fields = [
            "code", "title", "axis", "objective", "context", "area", "description", "target_publics",
            "funding_text", "schedule", "start_date", "end_date", "is_public", *QPV_FIELDS,
            "participation_level",
        ]  # fmt: skip
        widgets = {
            **QPV_WIDGETS,
            "context": TEXTAREA, "description": TEXTAREA, "target_publics": forms.Textarea(attrs={"rows": 2}),
            "funding_text": forms.Textarea(attrs={"rows": 2}), "start_date": DATE_WIDGET, "end_date": DATE_WIDGET,
        }  # fmt: skip
        help_texts = {
            "schedule": SCHEDULE_HELP,
            "objective": _("Les objectifs proposés sont ceux de l'axe choisi."),
            "is_public": _(
                "Non cochée par défaut. La fiche paraît sur la page publique à la prochaine version "
                "publiée (onglet Publication)."
            ),
        }

    def __init__(
        self,
        *args,
        contract: Contract,
        may_change_axis: bool = True,
        may_change_visibility: bool = True,
        objectives_url: str = "",
        **kwargs,
    ):
        super().__init__(*args, **kwargs)
        self.contract = contract
        self.setup_qpv_fields(contract)
        self.fields["axis"].queryset = Axis.objects.filter(contract=contract)
        self.fields["axis"].empty_label = None
        if not may_change_axis:
            # A porteur edits its fiche, not where it sits in the contract's structure.
            self.fields["axis"].disabled = True
            # Bound fields already exist (DsfrBaseForm made them): the hint goes on the bound one.
            self["axis"].help_text = _("Seule la coordination peut déplacer une fiche vers un autre axe.")
        if not may_change_visibility:
            # Whether the fiche shows on the public page is the coordinator's decision.
            self.fields["is_public"].disabled = True
            self["is_public"].help_text = _("Seule la coordination décide de la publication de la fiche.")
        if objectives_url:
            self.fields["axis"].widget.attrs.update(
                {"hx-get": objectives_url, "hx-target": "#objective-field",
                 "hx-swap": "outerHTML", "hx-trigger": "change"}
            )  # fmt: skip
        self.fields["objective"].queryset = Objective.objects.filter(axis__contract=contract)
        self.fields["objective"].choices = [("", "---------"), *objective_choices(self.selected_axis())]

    def selected_axis(self) -> Axis | None:
        """The axis whose objectives are offered: the one submitted, else the action's, else the first."""
        axes = self.fields["axis"].queryset
        if self.is_bound and not self.fields["axis"].disabled:
            value = self.data.get(self.add_prefix("axis"))
            return axes.filter(pk=value).first() if str(value or "").isdigit() else None
        axis_id = self.initial.get("axis") or self.instance.axis_id
        return axes.filter(pk=axis_id).first() if axis_id else axes.first()

    def clean_code(self):
        code = " ".join(self.cleaned_data["code"].split())
        if code:
            taken = Action.objects.filter(contract=self.contract, code__iexact=code).exclude(
                pk=self.instance.pk
            )
            if taken.exists():
                raise forms.ValidationError(
                    _("Le code « %(code)s » est déjà utilisé par une autre fiche action de ce contrat."),
                    params={"code": code},
                )
        return code

    def clean(self):
        cleaned = super().clean()
        axis, objective = cleaned.get("axis"), cleaned.get("objective")
        if axis and objective and objective.axis_id != axis.pk:
            self.add_error(
                "objective",
                _("Cet objectif n'appartient pas à l'axe choisi : choisissez-en un de l'axe « %(axis)s ».")
                % {"axis": axis},
            )
        check_date_order(self, cleaned)
        self.clean_qpv_fields(cleaned)
        return cleaned


class OperationForm(QpvFieldsMixin, BaseModelForm):
    class Meta:
        model = Operation
        fields = [
            "title", "objective_text", "description", "target_publics", "funding_text", "schedule", "start_date",
            "end_date", *QPV_FIELDS,
        ]  # fmt: skip
        widgets = {
            **QPV_WIDGETS,
            "objective_text": forms.Textarea(attrs={"rows": 2}), "description": TEXTAREA,
            "target_publics": forms.Textarea(attrs={"rows": 2}), "funding_text": forms.Textarea(attrs={"rows": 2}),
            "start_date": DATE_WIDGET, "end_date": DATE_WIDGET,
        }  # fmt: skip
        help_texts = {"schedule": SCHEDULE_HELP}

    def __init__(self, *args, contract: Contract | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.setup_qpv_fields(contract)

    def clean(self):
        cleaned = super().clean()
        check_date_order(self, cleaned)
        self.clean_qpv_fields(cleaned)
        return cleaned


def operation_field():
    """Deliverables and indicators may belong to one of the action's operations."""
    return forms.ModelChoiceField(
        queryset=Operation.objects.none(),
        required=False,
        label=_("Rattaché à"),
        empty_label=_("L'ensemble de la fiche action"),
    )


class DeliverableForm(BaseModelForm):
    operation = operation_field()

    class Meta:
        model = Deliverable
        fields = ["text", "operation"]
        widgets = {"text": forms.Textarea(attrs={"rows": 2})}
        help_texts = {"text": _("Par exemple « Au moins deux sessions de sensibilisation par an ».")}

    def __init__(self, *args, action: Action, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["operation"].queryset = Operation.objects.filter(action=action)


class IndicatorForm(BaseModelForm):
    field_order = ["kind", "label", "measure_kind", "categories_text", "unit", "periodicity", "operation"]
    operation = operation_field()
    categories_text = forms.CharField(
        label=_("Catégories ou niveaux"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_(
            "Une par ligne. Pour une typologie : les catégories (« Femmes », « Hommes »…). Pour une "
            "échelle de satisfaction : les niveaux, du moins au plus satisfait (cinq niveaux par défaut). "
            "Les communes et QPV viennent du territoire du contrat."
        ),
    )

    class Meta:
        model = Indicator
        fields = ["kind", "label", "measure_kind", "unit", "periodicity", "operation"]
        help_texts = {
            "unit": _("Par exemple « personnes », « sessions » ou « % »."),
            "measure_kind": _(
                "Comment la valeur se saisit : un nombre, un pourcentage, un nombre ventilé (par "
                "catégorie, commune ou QPV, le total étant calculé) ou des réponses par niveau de satisfaction."
            ),
        }

    def __init__(self, *args, action: Action, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["operation"].queryset = Operation.objects.filter(action=action)
        # Absent from a form posted by an older page: the indicator keeps how it is measured.
        self.fields["measure_kind"].required = False
        self.fields["categories_text"].initial = "\n".join(self.instance.categories or [])

    def clean(self):
        from opencls.actions.measures import clean_categories
        from opencls.monitoring.measures import measure_change_problems

        cleaned = super().clean()
        if "measure_kind" in self.errors:
            return cleaned
        kind = cleaned.get("measure_kind") or self.instance.measure_kind or Indicator.Measure.NUMBER
        cleaned["measure_kind"] = kind
        lines = (cleaned.get("categories_text") or "").splitlines()
        try:
            cleaned["categories"] = clean_categories(kind, lines, required=True)
        except ValueError as error:
            self.add_error("categories_text", str(error))
            return cleaned
        for problem in measure_change_problems(self.instance, kind, cleaned["categories"]):
            self.add_error("measure_kind", problem)
        return cleaned

    def measure_fields(self) -> dict:
        """The model fields to save (the categories come from their text area)."""
        data = {k: v for k, v in self.cleaned_data.items() if k != "categories_text"}
        data.setdefault("categories", [])
        return data


class InvolvementForm(OrganisationPickerForm):
    """Add a porteur or a partner to an action or an operation."""

    involvement = forms.ChoiceField(
        label=_("En tant que"), choices=Involvement.choices, initial=Involvement.LEAD
    )

    def __init__(self, *args, work: Action | Operation, **kwargs):
        super().__init__(*args, **kwargs)
        self.work = work

    def clean(self):
        cleaned = super().clean()
        if self.errors:
            return cleaned
        taken = self.work.involvements.filter(
            involvement=cleaned["involvement"], organisation__normalised_name=self.chosen_key()
        )
        if taken.exists():
            self.add_error(
                "organisation_name",
                _("Cette organisation est déjà %(involvement)s ici.")
                % {"involvement": Involvement(cleaned["involvement"]).label.lower()},
            )
        return cleaned
