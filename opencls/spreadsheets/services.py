"""Writes of the spreadsheets app: keep an uploaded file for review, then apply it — all or
nothing, in one transaction, only if the plan has not changed since the review."""

import difflib
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from opencls.accounts.models import Organisation, normalise_name
from opencls.accounts.permissions import require
from opencls.accounts.services import organisation_get_or_create
from opencls.actions.measures import clean_categories
from opencls.actions.models import (
    Action,
    ActionOrganisation,
    Deliverable,
    FundingLine,
    Indicator,
    Involvement,
    Operation,
    OperationOrganisation,
)
from opencls.campaigns.locks import PeriodLocked
from opencls.contracts.io import involvement_rows
from opencls.contracts.models import Axis, Contract, Objective
from opencls.spreadsheets.cells import date_cell
from opencls.spreadsheets.diff import Change, Diff, compute_diff
from opencls.spreadsheets.followup import DEFAULT_STATUS, FigureChange, figures_write, statuses_record
from opencls.spreadsheets.models import ActionPlanDetails, PlanUpload
from opencls.spreadsheets.native import is_opencls, read_opencls
from opencls.spreadsheets.reader import SpreadsheetError, read_workbook
from opencls.spreadsheets.selectors import Snapshot, plan_snapshot
from opencls.spreadsheets.source import Source, exported_at_from_properties, problem_text
from opencls.spreadsheets.tet import is_tet, read_tet
from opencls.territories.models import Municipality, PriorityNeighbourhood

ACTION_FIELDS = {"code", "title", "context", "area", "is_public"}
WORK_FIELDS = {"description", "target_publics", "funding_text", "schedule", "start_date", "end_date"}
DETAIL_FIELDS = {"priority", "objectives_text", "governance_text", "participation"}
OPERATION_FIELDS = {"title", "objective_text"}
INDICATOR_FIELDS = {"kind", "label", "unit", "periodicity", "measure_kind", "categories"}
FUNDING_FIELDS = {"kind", "year", "planned_amount", "granted_amount", "spent_amount", "comment"}
MUNICIPALITY_FIELDS = {
    "name",
    "insee_code",
    "population",
    "population_year",
    "neighbourhood_inhabitants",
    "stated_neighbourhood_share",
}
DATE_FIELDS = {"start_date", "end_date"}
DECIMAL_FIELDS = {"planned_amount", "granted_amount", "spent_amount", "stated_neighbourhood_share"}


class PlanApplyError(Exception):
    """The upload cannot be applied; `messages` are French."""

    def __init__(self, messages: list[str] | str):
        self.messages = [messages] if isinstance(messages, str) else list(messages)
        super().__init__("\n".join(self.messages))


def plan_file_read(data: bytes) -> Source:
    """What the file says, in either format; SpreadsheetError when it cannot be read at all."""
    workbook = read_workbook(data)
    if is_opencls(workbook):
        return read_opencls(workbook)
    if is_tet(workbook):
        source = read_tet(workbook)
        source.exported_at = exported_at_from_properties(data)
        return source
    raise SpreadsheetError(
        _(
            "Ce classeur n'est ni un tableur exporté par OpenCLS ni le modèle d'import de Territoires en "
            "Transitions : la ligne d'en-tête est introuvable (colonnes « ID », « Axe », « Intitulé »… ou "
            "« Axe (x) », « Titre de la fiche action »…)."
        )
    )


def plan_diff(contract: Contract, source: Source, *, today: date | None = None) -> Diff:
    return compute_diff(plan_snapshot(contract), source, today=today or timezone.localdate())


def plan_upload_create(*, contract: Contract, user, filename: str, data: bytes) -> PlanUpload:
    """Reads the file and keeps it with its diff for review. Raises SpreadsheetError when the
    file cannot be read; a readable file with invalid rows is kept with its errors."""
    require(user, "contract.change", contract)
    source = plan_file_read(data)
    diff = plan_diff(contract, source)
    return PlanUpload.objects.create(
        contract=contract,
        user=user,
        filename=filename[:255],
        source=source.source,
        state=PlanUpload.State.INVALID if diff.errors else PlanUpload.State.PENDING,
        content=source.to_json(),
        diff=diff.to_json(),
        digest=diff.digest,
        added=diff.count("add"),
        changed=diff.count("change"),
        removed=diff.count("remove"),
        error_count=len(diff.errors),
    )


def plan_upload_discard(*, upload: PlanUpload, user) -> None:
    require(user, "contract.change", upload.contract)
    if upload.state in (PlanUpload.State.PENDING, PlanUpload.State.INVALID):
        upload.state = PlanUpload.State.DISCARDED
        upload.save(update_fields=["state"])


@transaction.atomic
def plan_upload_apply(
    *,
    upload: PlanUpload,
    user,
    organisation_choices: dict[str, int | None] | None = None,
    removals: set[str] | None = None,
) -> Diff:
    """Applies the reviewed upload. `organisation_choices` maps the normalised name of an
    organisation the file names and the database does not know to the pk of the existing
    organisation the user picked instead, or None to create it."""
    contract = Contract.objects.select_for_update().get(pk=upload.contract_id)
    require(user, "contract.change", contract)
    upload = PlanUpload.objects.select_for_update().get(pk=upload.pk)
    if upload.state != PlanUpload.State.PENDING:
        raise PlanApplyError(_("Ce fichier a déjà été appliqué ou abandonné : déposez-le de nouveau."))
    diff = plan_apply(
        contract,
        Source.from_json(upload.content),
        user=user,
        expected_digest=upload.digest,
        organisation_choices=organisation_choices,
        removals=removals,
    )
    upload.state = PlanUpload.State.APPLIED
    upload.applied_at = timezone.now()
    upload.save(update_fields=["state", "applied_at"])
    return diff


@transaction.atomic
def plan_apply(
    contract: Contract,
    source: Source,
    *,
    user=None,
    expected_digest: str | None = None,
    organisation_choices: dict[str, int | None] | None = None,
    removals: set[str] | None = None,
    today: date | None = None,
) -> Diff:
    """Writes what `source` changes in the contract's plan, all or nothing. Rows created in
    OpenCLS after the file was exported are removed only if their ref is in `removals`."""
    today = today or timezone.localdate()
    snapshot = plan_snapshot(contract)
    diff = compute_diff(snapshot, source, today=today)
    if diff.errors:
        raise PlanApplyError([problem_text(e) for e in diff.errors])
    if expected_digest is not None and diff.digest != expected_digest:
        raise PlanApplyError(
            _(
                "Le plan a été modifié depuis l'envoi du fichier : rien n'a été enregistré. Déposez le fichier "
                "de nouveau pour revoir les changements."
            )
        )
    diff.without_unticked(removals or set())
    try:
        _Applier(snapshot, diff, organisation_choices or {}, user, today).run()
    except PeriodLocked as error:  # a year approved by the COPIL (issue 13)
        raise PlanApplyError(error.messages) from error
    return diff


def _sync_texts(existing: list[Deliverable], texts: list[str]):
    """Deliverables kept, rewritten in place, created or deleted to follow `texts`; a text
    rewritten at its place keeps its follow-up and evidence."""
    matcher = difflib.SequenceMatcher(a=[d.text for d in existing], b=texts, autojunk=False)
    keep, create, delete = [], [], []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        old, new = existing[i1:i2], list(range(j1, j2))
        paired = min(len(old), len(new)) if tag in ("equal", "replace") else 0
        for deliverable, index in zip(old[:paired], new[:paired], strict=True):
            deliverable.text, deliverable.position = texts[index], index
            keep.append(deliverable)
        delete += old[paired:]
        create += new[paired:]
    return keep, create, delete


class _Applier:
    def __init__(self, snapshot: Snapshot, diff: Diff, choices: dict, user, today: date):
        self.snapshot, self.diff, self.choices, self.today = snapshot, diff, choices, today
        self.contract = snapshot.contract
        self.user = user if user is not None and user.is_authenticated else None
        self.by = {
            (kind, op): [c for c in diff.changes if c.kind == kind and c.op == op]
            for kind in ("territory", "municipality", "action", "operation", "indicator", "funding")
            for op in ("add", "change", "remove")
        }
        self.axes: dict[str, Axis] = {}
        self.objectives: dict[str, Objective] = {}
        self.actions: dict[str, Action] = {}
        self.operations: dict[str, Operation] = {}
        self.organisations: dict[str, Organisation] = {}
        self.statuses: list[tuple[int, int | None, str]] = []

    def run(self):
        self.resolve_organisations()
        self.remove()
        self.territory()
        self.municipalities()
        self.create_axes()
        self.apply_actions()
        self.apply_operations()
        self.apply_indicators()
        self.apply_funding()
        if self.statuses:
            statuses_record(self.contract, self.statuses, user=self.user, day=self.today)

    def bulk_create(self, objects, model):
        return bulk_create_with_history(objects, model, default_user=self.user) if objects else []

    def bulk_update(self, objects, model, fields):
        if objects and fields:
            bulk_update_with_history(objects, model, sorted(fields), default_user=self.user)

    # ------------------------------------------------------------ organisations

    def resolve_organisations(self):
        for proposal in self.diff.organisations:
            key = proposal["key"]
            if proposal["existing"]:
                organisation = Organisation.objects.get(pk=proposal["existing"]["pk"])
            elif self.choices.get(key):
                organisation = Organisation.objects.filter(pk=self.choices[key]).first()
                if organisation is None:
                    raise PlanApplyError(
                        _("L'organisation choisie pour « %(name)s » n'existe plus.") % proposal
                    )
            else:
                organisation = organisation_get_or_create(name=proposal["name"])
            self.organisations[key] = organisation

    def organisation(self, name: str) -> Organisation | None:
        return self.organisations[normalise_name(name)] if name else None

    # ------------------------------------------------------------ removals

    def remove(self):
        contract = self.contract
        for kind, queryset in (
            ("funding", FundingLine.objects.filter(action__contract=contract)),
            ("indicator", Indicator.objects.filter(action__contract=contract)),
            ("operation", Operation.objects.filter(action__contract=contract)),
            ("action", Action.objects.filter(contract=contract)),
            ("municipality", Municipality.objects.filter(territory=contract.territory_id)),
        ):
            pks = [c.pk for c in self.by[(kind, "remove")]]
            if pks:
                for obj in queryset.filter(pk__in=pks):
                    obj.delete()  # one by one: each deletion is kept in the history

    # ------------------------------------------------------------ territory

    def territory(self):
        for change in self.by[("territory", "change")]:
            territory = self.contract.territory
            for key, value in change.values.items():
                setattr(territory, key, value)
            territory.save()

    def neighbourhoods(self, names: list[str]) -> list[PriorityNeighbourhood]:
        result = []
        known = {normalise_name(name): n for name, n in self.snapshot.neighbourhoods.items()}
        for name in names:
            key = normalise_name(name)
            if key not in known:
                known[key] = PriorityNeighbourhood.objects.create(
                    territory=self.contract.territory, name=name
                )
                self.snapshot.neighbourhoods[name] = known[key]
            result.append(known[key])
        return result

    def municipalities(self):
        territory = self.contract.territory
        position = max(
            (m for m in Municipality.objects.filter(territory=territory).values_list("position", flat=True)),
            default=-1,
        )
        for change in self.by[("municipality", "add")]:
            position += 1
            values = change.values
            municipality = Municipality.objects.create(
                territory=territory,
                position=position,
                **{
                    k: self.scalar(k, v)
                    for k, v in values.items()
                    if k in MUNICIPALITY_FIELDS and v is not None
                },
            )
            municipality.neighbourhoods.set(self.neighbourhoods(values.get("neighbourhoods", [])))
        changes = self.by[("municipality", "change")]
        objects = Municipality.objects.in_bulk([c.pk for c in changes])
        for change in changes:
            municipality = objects[change.pk]
            for key, value in change.values.items():
                if key in MUNICIPALITY_FIELDS:
                    setattr(
                        municipality,
                        key,
                        "" if value is None and key == "insee_code" else self.scalar(key, value),
                    )
            municipality.save()
            if "neighbourhoods" in change.values:
                municipality.neighbourhoods.set(self.neighbourhoods(change.values["neighbourhoods"]))

    # ------------------------------------------------------------ axes and objectives

    def create_axes(self):
        position = max((a.position for a in self.snapshot.axes), default=-1)
        for proposal in self.diff.new_axes:
            position += 1
            self.axes[proposal["ref"]] = Axis.objects.create(
                contract=self.contract, code=proposal["code"], title=proposal["title"], position=position
            )
        positions: dict[tuple, int] = {}
        for objective in self.snapshot.objectives:
            key = (objective.axis_id, objective.parent_id)
            positions[key] = max(positions.get(key, -1), objective.position)
        for proposal in self.diff.new_objectives:
            axis = self.axis(proposal["axis"])
            parent = self.objective(proposal["parent"])
            key = (axis.pk, parent.pk if parent else None)
            positions[key] = positions.get(key, -1) + 1
            self.objectives[proposal["ref"]] = Objective.objects.create(
                axis=axis,
                parent=parent,
                code=proposal["code"],
                title=proposal["title"],
                position=positions[key],
            )

    def axis(self, ref: str) -> Axis:
        if ref.startswith("pk:"):
            return next(a for a in self.snapshot.axes if a.pk == int(ref[3:]))
        return self.axes[ref]

    def objective(self, ref: str | None) -> Objective | None:
        if ref is None:
            return None
        if ref.startswith("pk:"):
            return next(o for o in self.snapshot.objectives if o.pk == int(ref[3:]))
        return self.objectives[ref]

    def action(self, ref: str) -> Action:
        if ref not in self.actions:
            self.actions[ref] = Action.objects.get(pk=int(ref[3:]), contract=self.contract)
        return self.actions[ref]

    def operation(self, ref: str | None) -> Operation | None:
        if ref is None:
            return None
        if ref not in self.operations:
            self.operations[ref] = Operation.objects.get(pk=int(ref[3:]), action__contract=self.contract)
        return self.operations[ref]

    # ------------------------------------------------------------ shared by actions and operations

    @staticmethod
    def scalar(key: str, value):
        """A canonical value (ISO date, decimal string) as the model field takes it."""
        if key in DATE_FIELDS:
            return date_cell(value)
        if key in DECIMAL_FIELDS and value is not None:
            return Decimal(value)
        return value

    def involvements(self, model, owner_field: str, pairs: list[tuple[object, dict, bool]]):
        """Replaces the leads and/or partners named in each (owner, values, is_new)."""
        rows = []
        for owner, values, is_new in pairs:
            for involvement, key in ((Involvement.LEAD, "leads"), (Involvement.PARTNER, "partners")):
                if key not in values:
                    continue
                if not is_new:
                    for old in model.objects.filter(**{owner_field: owner}, involvement=involvement):
                        old.delete()
                rows += involvement_rows(
                    model, owner_field, owner, involvement, values[key], self.organisation
                )
        self.bulk_create(rows, model)

    def deliverables(self, pairs: list[tuple[Action, Operation | None, list[str], bool]]):
        create, keep = [], []
        for action, operation, texts, is_new in pairs:
            existing = [] if is_new else list(Deliverable.objects.filter(action=action, operation=operation))
            kept, created, deleted = _sync_texts(existing, texts)
            keep += kept
            for obj in deleted:
                obj.delete()
            create += [
                Deliverable(action=action, operation=operation, text=texts[i], position=i) for i in created
            ]
        self.bulk_update(keep, Deliverable, {"text", "position"})
        self.bulk_create(create, Deliverable)

    def note_status(self, action: Action, operation: Operation | None, values: dict, is_new: bool):
        status = values.get("status")
        if status and not (is_new and status == DEFAULT_STATUS):
            self.statuses.append((action.pk, operation.pk if operation else None, status))

    # ------------------------------------------------------------ actions

    def apply_actions(self):
        positions: dict[int, int] = {}
        for axis_id, position in Action.objects.filter(contract=self.contract).values_list(
            "axis_id", "position"
        ):
            positions[axis_id] = max(positions.get(axis_id, -1), position)
        added: list[tuple[Change, Action]] = []
        for change in self.by[("action", "add")]:
            values = change.values
            axis = self.axis(change.links["axis"])
            positions[axis.pk] = positions.get(axis.pk, -1) + 1
            action = Action(
                contract=self.contract,
                axis=axis,
                objective=self.objective(change.links["objective"]),
                position=positions[axis.pk],
                **{
                    k: self.scalar(k, v)
                    for k, v in values.items()
                    if k in ACTION_FIELDS | WORK_FIELDS and v is not None
                },
            )
            added.append((change, action))
        self.bulk_create([a for _c, a in added], Action)
        for change, action in added:
            self.actions[change.ref] = action
        changes = self.by[("action", "change")]
        objects = Action.objects.in_bulk([c.pk for c in changes])
        fields, recoded = set(), []
        for change in changes:
            action = objects[change.pk]
            self.actions[change.ref] = action
            keys = {f.key for f in change.fields}
            if keys & {"axis", "objective"}:
                action.axis = self.axis(change.links["axis"])
                action.objective = self.objective(change.links["objective"])
                fields |= {"axis", "objective"}
            for key, value in change.values.items():
                if key in ACTION_FIELDS | WORK_FIELDS:
                    setattr(action, key, self.scalar(key, value))
                    fields.add(key)
            if "code" in change.values:
                recoded.append(action)
        if recoded:  # codes are unique: swapping two codes goes through empty ones
            final = {a.pk: a.code for a in recoded}
            for action in recoded:
                action.code = ""
            Action.objects.filter(pk__in=final).update(code="")
            for action in recoded:
                action.code = final[action.pk]
        self.bulk_update(list(objects.values()), Action, fields)
        pairs = [(a, c.values, True) for c, a in added] + [(objects[c.pk], c.values, False) for c in changes]
        self.details(pairs)
        self.involvements(ActionOrganisation, "action", pairs)
        self.deliverables([(a, None, v["deliverables"], new) for a, v, new in pairs if "deliverables" in v])
        for action, values, is_new in pairs:
            self.note_status(action, None, values, is_new)

    def details(self, pairs):
        wanted = [(a, v) for a, v, _new in pairs if DETAIL_FIELDS & set(v)]
        existing = {
            d.action_id: d for d in ActionPlanDetails.objects.filter(action__in=[a for a, _v in wanted])
        }
        create, update = [], []
        for action, values in wanted:
            detail = existing.get(action.pk) or ActionPlanDetails(contract=self.contract, action=action)
            for key in DETAIL_FIELDS & set(values):
                setattr(detail, key, values[key] or "")
            (update if detail.pk else create).append(detail)
        self.bulk_create(create, ActionPlanDetails)
        self.bulk_update(update, ActionPlanDetails, DETAIL_FIELDS)

    # ------------------------------------------------------------ operations

    def apply_operations(self):
        positions: dict[int, int] = {}
        for action_id, position in Operation.objects.filter(action__contract=self.contract).values_list(
            "action_id", "position"
        ):
            positions[action_id] = max(positions.get(action_id, -1), position)
        added = []
        for change in self.by[("operation", "add")]:
            action = self.action(change.links["action"])
            positions[action.pk] = positions.get(action.pk, -1) + 1
            operation = Operation(
                action=action,
                position=positions[action.pk],
                **{
                    k: self.scalar(k, v)
                    for k, v in change.values.items()
                    if k in OPERATION_FIELDS | WORK_FIELDS and v is not None
                },
            )
            added.append((change, operation))
        self.bulk_create([o for _c, o in added], Operation)
        for change, operation in added:
            self.operations[change.ref] = operation
        changes = self.by[("operation", "change")]
        objects = Operation.objects.in_bulk([c.pk for c in changes])
        fields = set()
        for change in changes:
            operation = objects[change.pk]
            self.operations[change.ref] = operation
            if "action" in {f.key for f in change.fields}:
                operation.action = self.action(change.links["action"])
                fields.add("action")
            for key, value in change.values.items():
                if key in OPERATION_FIELDS | WORK_FIELDS:
                    setattr(operation, key, self.scalar(key, value))
                    fields.add(key)
        self.bulk_update(list(objects.values()), Operation, fields)
        if "action" in fields:  # what hangs on a moved operation follows it
            for operation in objects.values():
                Deliverable.objects.filter(operation=operation).exclude(action=operation.action_id).update(
                    action=operation.action_id
                )
        pairs = [(o, c.values, True) for c, o in added] + [(objects[c.pk], c.values, False) for c in changes]
        self.involvements(OperationOrganisation, "operation", pairs)
        self.deliverables(
            [(o.action, o, v["deliverables"], new) for o, v, new in pairs if "deliverables" in v]
        )
        for operation, values, is_new in pairs:
            self.note_status(operation.action, operation, values, is_new)

    # ------------------------------------------------------------ indicators and funding

    def apply_indicators(self):
        positions: dict[int, int] = {}
        for action_id, position in Indicator.objects.filter(action__contract=self.contract).values_list(
            "action_id", "position"
        ):
            positions[action_id] = max(positions.get(action_id, -1), position)
        added = []
        for change in self.by[("indicator", "add")]:
            action = self.action(change.links["action"])
            positions[action.pk] = positions.get(action.pk, -1) + 1
            indicator = Indicator(
                action=action,
                operation=self.operation(change.links["operation"]),
                position=positions[action.pk],
                **{k: v for k, v in change.values.items() if k in INDICATOR_FIELDS and v not in (None, "")},
            )
            indicator.categories = clean_categories(indicator.measure_kind, indicator.categories)
            added.append((change, indicator))
        self.bulk_create([i for _c, i in added], Indicator)
        changes = self.by[("indicator", "change")]
        objects = Indicator.objects.in_bulk([c.pk for c in changes])
        fields = set()
        for change in changes:
            indicator = objects[change.pk]
            keys = {f.key for f in change.fields}
            if keys & {"action", "operation"}:
                indicator.action = self.action(change.links["action"])
                indicator.operation = self.operation(change.links["operation"])
                fields |= {"action", "operation"}
            for key, value in change.values.items():
                if key in INDICATOR_FIELDS:
                    setattr(indicator, key, value)
                    fields.add(key)
            if {"measure_kind", "categories"} & set(change.values):  # checked by the diff (issue 13)
                indicator.categories = clean_categories(indicator.measure_kind, indicator.categories)
                fields.add("categories")
        self.bulk_update(list(objects.values()), Indicator, fields)
        figures = [
            FigureChange(
                indicator.pk,
                c.values.get("targets", {}),
                c.values.get("values", {}),
                c.values.get("cumulative"),
                c.values.get("breakdowns", {}),
            )
            for c, indicator in added + [(c, objects[c.pk]) for c in changes]
            if c.values.get("targets") or c.values.get("values") or c.values.get("cumulative") is not None
        ]
        figures_write(self.contract, figures, user=self.user)

    def apply_funding(self):
        added = []
        for change in self.by[("funding", "add")]:
            values = change.values
            added.append(
                FundingLine(
                    action=self.action(change.links["action"]),
                    operation=self.operation(change.links["operation"]),
                    funder=self.organisation(values.get("funder", "")),
                    **{
                        k: self.scalar(k, v)
                        for k, v in values.items()
                        if k in FUNDING_FIELDS and v not in (None, "")
                    },
                )
            )
        self.bulk_create(added, FundingLine)
        changes = self.by[("funding", "change")]
        objects = FundingLine.objects.in_bulk([c.pk for c in changes])
        fields = set()
        for change in changes:
            line = objects[change.pk]
            keys = {f.key for f in change.fields}
            if keys & {"action", "operation"}:
                line.action = self.action(change.links["action"])
                line.operation = self.operation(change.links["operation"])
                fields |= {"action", "operation"}
            for key, value in change.values.items():
                if key == "funder":
                    line.funder = self.organisation(value)
                    fields.add("funder")
                elif key in FUNDING_FIELDS:
                    if key == "kind":
                        value = value or FundingLine.Kind.OTHER
                    setattr(line, key, self.scalar(key, value))
                    fields.add(key)
        self.bulk_update(list(objects.values()), FundingLine, fields)
