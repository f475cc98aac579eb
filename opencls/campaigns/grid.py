"""The porteur's grid: a whole action (or all their actions) for one year, in one form.

One `ActionGridForm` per action (prefix `a<pk>`); fields are named after what they change:
`status`/`status_comment`, `v<indicator>_<period>` (a value; `…_k<i>` its breakdown by
category, commune, QPV or satisfaction level), `d<deliverable>` (done) and `e<deliverable>`
(an evidence file). Only what differs from the stored state is written, in one transaction
through the monitoring services (which check the permissions again).

A porteur whose organisation leads only some operations of an action gets the form of those
operations (`operations`): their indicators and deliverables, without the action's status,
which stays with the action's lead, as does the submission.
"""

from dataclasses import dataclass, field
from datetime import date

from django import forms
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from opencls.actions.measures import Measure
from opencls.actions.models import Action, Deliverable, Indicator
from opencls.core.forms import BaseForm
from opencls.monitoring import services as monitoring
from opencls.monitoring.forms import measure_data, measure_fields
from opencls.monitoring.measures import clean_measure, territory_keys
from opencls.monitoring.models import Evidence, IndicatorValue, Status
from opencls.monitoring.periods import periods_of_year
from opencls.monitoring.selectors import with_status

PREVIOUS_YEARS = 3


def grid_actions(action_ids, year: int) -> list[Action]:
    """The actions with what the grid shows, in a fixed number of queries."""
    values = IndicatorValue.objects.filter(year__gte=year - PREVIOUS_YEARS, year__lte=year).order_by("period")
    return list(
        with_status(Action.objects.filter(pk__in=action_ids), date(year, 12, 31))
        .select_related("contract")
        .prefetch_related(
            Prefetch(
                "indicators",
                queryset=Indicator.objects.select_related("operation")
                .order_by("kind", "position", "pk")
                .prefetch_related(Prefetch("values", queryset=values)),
            ),
            Prefetch(
                "deliverables",
                queryset=Deliverable.objects.select_related("follow_up", "operation").prefetch_related(
                    Prefetch("evidences", queryset=Evidence.objects.order_by("uploaded_at"))
                ),
            ),
        )
        .order_by("axis__position", "position", "pk")
    )


@dataclass
class IndicatorRow:
    indicator: Indicator
    cells: list = field(default_factory=list)  # (period, bound field, [bound breakdown fields])
    previous: list = field(default_factory=list)  # IndicatorValue of earlier years

    @property
    def single(self) -> bool:
        return len(self.cells) == 1


@dataclass
class DeliverableRow:
    deliverable: Deliverable
    done: forms.BoundField
    evidence: forms.BoundField
    evidences: list


TERRITORY_KINDS = (Measure.MUNICIPALITIES, Measure.NEIGHBOURHOODS)


class ActionGridForm(BaseForm):
    status = forms.ChoiceField(label=gettext_lazy("Avancement"), required=False)
    status_comment = forms.CharField(
        label=gettext_lazy("Commentaire sur l'avancement"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, action: Action, year: int, operations=None, territory=None, **kwargs):
        """`operations`: ids of the only operations this form fills (no action status then);
        `territory`: the communes and QPV of the contract, by measure kind."""
        self.action, self.year = action, year
        self.operations = None if operations is None else frozenset(operations)
        kwargs.setdefault("prefix", f"a{action.pk}")
        super().__init__(*args, **kwargs)
        if self.operations is None:
            self.fields["status"].choices = Status.choices
            self.fields["status"].initial = action.current_status
        else:
            del self.fields["status"], self.fields["status_comment"]
        self.stored_values: dict[str, IndicatorValue] = {}
        self.value_fields: dict[str, tuple[Indicator, str, list[str]]] = {}
        self.measured: dict[str, tuple] = {}
        self._indicator_specs = []
        for indicator in action.indicators.all():
            if self.operations is not None and indicator.operation_id not in self.operations:
                continue
            keys = (
                list(indicator.categories or [])
                if indicator.measure_kind not in TERRITORY_KINDS
                else list((territory or {}).get(indicator.measure_kind, []))
            )
            by_period = {value.period: value for value in indicator.values.all()}
            cells = []
            for period in periods_of_year(indicator.periodicity, year):
                name = f"v{indicator.pk}_{period.code}"
                stored = by_period.get(period.code)
                names = measure_fields(
                    self, name, indicator, keys, stored, label=f"{indicator.label} — {period.label}"
                )
                if stored:
                    self.stored_values[name] = stored
                self.value_fields[name] = (indicator, period.code, names)
                cells.append((period, name, names))
            previous = [v for v in indicator.values.all() if v.year < year]
            self._indicator_specs.append((indicator, cells, previous, keys))
        self._deliverable_specs = []
        for deliverable in action.deliverables.all():
            if self.operations is not None and deliverable.operation_id not in self.operations:
                continue
            follow_up = getattr(deliverable, "follow_up", None)
            self.fields[f"d{deliverable.pk}"] = forms.BooleanField(
                label=_("Réalisé"), required=False, initial=bool(follow_up and follow_up.is_done)
            )
            self.fields[f"e{deliverable.pk}"] = forms.FileField(label=_("Ajouter une preuve"), required=False)
            self._deliverable_specs.append((deliverable, follow_up))

    @property
    def is_empty(self) -> bool:
        return not self._indicator_specs and not self._deliverable_specs and self.operations is not None

    @property
    def operation_titles(self) -> list[str]:
        """The titles of the operations this form fills (read with their indicators and deliverables)."""
        if self.operations is None:
            return []
        found = {i.operation_id: i.operation for i, _cells, _previous, _keys in self._indicator_specs}
        found |= {d.operation_id: d.operation for d, _follow_up in self._deliverable_specs}
        return [str(found[pk]) for pk in sorted(found) if found[pk] is not None]

    @property
    def indicator_rows(self) -> list[IndicatorRow]:
        return [
            IndicatorRow(
                indicator,
                [(period, self[name], [self[n] for n in names]) for period, name, names in cells],
                previous,
            )
            for indicator, cells, previous, _keys in self._indicator_specs
        ]

    @property
    def deliverable_rows(self) -> list[DeliverableRow]:
        return [
            DeliverableRow(d, self[f"d{d.pk}"], self[f"e{d.pk}"], list(d.evidences.all()))
            for d, _follow_up in self._deliverable_specs
        ]

    def clean(self):
        cleaned = super().clean()
        for name, (indicator, _period_code, names) in self.value_fields.items():
            if name in self.errors or any(n in self.errors for n in names):
                continue
            value, breakdown = measure_data(self, name, names)
            stored = self.stored_values.get(name)
            if value is None and not breakdown:
                if stored is not None:
                    self.add_error(
                        name,
                        _(
                            "Une valeur déjà saisie ne s'efface pas ici : corrigez-la, ou supprimez-la depuis la page de l'indicateur."
                        ),
                    )
                continue
            if breakdown and stored is not None and value == stored.value:
                value = None  # the total shown, left untouched: computed again from the breakdown
            try:
                self.measured[name] = clean_measure(
                    indicator,
                    value,
                    breakdown,
                    keys=[self.fields[n].breakdown_key for n in names],
                    stored=stored.breakdown if stored else None,
                )
            except ValidationError as error:
                for field_name, messages in error.message_dict.items():
                    target = names[0] if field_name == "breakdown" and names else name
                    for message in messages:
                        self.add_error(target, message)
        return cleaned

    def changes(self) -> int:
        """How many writes `save` would do (0: an untouched form saves nothing)."""
        return len(list(self._writes(None)))

    def _writes(self, user):
        data = self.cleaned_data
        action = self.action
        if (
            self.operations is None
            and data.get("status")
            and (data["status"] != action.current_status or data.get("status_comment", "").strip())
        ):
            day = min(timezone.localdate(), date(self.year, 12, 31))
            yield (
                lambda: monitoring.status_record(
                    user=user,
                    action=action,
                    status=data["status"],
                    day=day,
                    comment=data.get("status_comment", ""),
                ),
                "status",
            )
        for name, (indicator, period_code, _names) in self.value_fields.items():
            if name not in self.measured:
                continue
            value, breakdown = self.measured[name]
            stored = self.stored_values.get(name)
            if stored is None or stored.value != value or (stored.breakdown or {}) != breakdown:
                indicator.action = action  # already read: the permission check walks up from it
                yield (
                    (
                        lambda indicator=indicator, period_code=period_code, value=value, breakdown=breakdown, stored=stored: (
                            monitoring.indicator_value_set(
                                user=user,
                                indicator=indicator,
                                period_code=period_code,
                                value=value,
                                breakdown=breakdown,
                                keys=list(breakdown),
                                stored_breakdown=stored.breakdown if stored else {},
                                comment=stored.comment if stored else "",
                            )
                        )
                    ),
                    name,
                )
        for deliverable, follow_up in self._deliverable_specs:
            deliverable.action = action
            done = data.get(f"d{deliverable.pk}", False)
            if done != bool(follow_up and follow_up.is_done):
                yield (
                    (
                        lambda deliverable=deliverable, done=done, follow_up=follow_up: (
                            monitoring.deliverable_follow_up_set(
                                user=user,
                                deliverable=deliverable,
                                is_done=done,
                                due_date=follow_up.due_date if follow_up else None,
                                comment=follow_up.comment if follow_up else "",
                            )
                        )
                    ),
                    f"d{deliverable.pk}",
                )
            upload = data.get(f"e{deliverable.pk}")
            if upload:
                yield (
                    (
                        lambda deliverable=deliverable, upload=upload: monitoring.evidence_add(
                            user=user, deliverable=deliverable, uploaded_file=upload
                        )
                    ),
                    f"e{deliverable.pk}",
                )

    def write(self, user) -> int:
        count = 0
        for write, name in self._writes(user):
            try:
                write()
            except ValidationError as error:
                messages = error.message_dict.values() if hasattr(error, "error_dict") else [error.messages]
                self.add_error(name, [m for group in messages for m in group])
                raise GridError from error
            count += 1
        return count


class GridError(Exception):
    pass


def grid_forms(actions, year, data=None, files=None, operations=None) -> list[ActionGridForm]:
    """`operations`: action id → ids of the only operations the user fills in it (absent: the
    whole action)."""
    operations = operations or {}
    kinds = {i.measure_kind for action in actions for i in action.indicators.all()}
    wanted = kinds & set(TERRITORY_KINDS)
    territory = territory_keys(actions[0].contract.territory_id, kinds=wanted) if wanted else None
    return [
        ActionGridForm(
            data, files, action=action, year=year, operations=operations.get(action.pk), territory=territory
        )
        for action in actions
    ]


def grid_save(grid: list[ActionGridForm], user) -> int | None:
    """Saves every form in one transaction; None (and nothing written) when one is invalid."""
    if not all(form.is_valid() for form in grid):
        return None
    try:
        with transaction.atomic():
            return sum(form.write(user) for form in grid)
    except GridError:
        return None
