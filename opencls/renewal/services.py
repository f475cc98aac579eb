"""Writes of the final evaluation, and the renewal of a contract into its successor."""

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from opencls.actions.models import Action
from opencls.contracts.io import contract_from_json, contract_to_json
from opencls.contracts.models import Contract
from opencls.diagnosis.models import DiagnosisSection
from opencls.renewal import selectors
from opencls.renewal.models import QUESTIONS, ActionConclusion, FinalEvaluation

# What a renewal carries over from the contract JSON's extensions: the diagnosis' care supply and
# narrative (figures are in the core). Meetings, campaigns and money belong to the old contract.
CARRIED_EXTENSIONS = {"diagnosis"}


@transaction.atomic
def evaluation_save(*, contract: Contract, form, user) -> FinalEvaluation:
    evaluation = form.save(commit=False)
    evaluation.contract = contract
    evaluation.updated_by = user
    evaluation.save()  # untouched: nothing written (core/unchanged.py)
    return evaluation


@transaction.atomic
def conclusions_save(*, contract: Contract, rows: dict[int, dict]) -> int:
    """`rows`: action pk → judgement, comment, to_continue. Returns how many changed."""
    existing = {c.action_id: c for c in ActionConclusion.objects.filter(contract=contract)}
    changed = 0
    for action in Action.objects.filter(contract=contract, pk__in=rows):
        values = rows[action.pk]
        conclusion = existing.get(action.pk)
        if conclusion is None:
            if not (values["judgement"] or values["comment"] or values["to_continue"]):
                continue  # nothing said about this fiche: no empty row
            conclusion = ActionConclusion(contract=contract, action=action)
        if all(getattr(conclusion, name) == value for name, value in values.items()) and conclusion.pk:
            continue
        for name, value in values.items():
            setattr(conclusion, name, value)
        conclusion.save()
        changed += 1
    return changed


def evaluation_summary(results: selectors.FinalResults) -> str:
    """The previous contract's evaluation as text, the starting point of the new diagnosis."""
    contract = results.contract
    lines = [
        _("Contrat précédent : %(title)s.") % {"title": contract.title},
        _("Fiches actions : %(count)s (%(statuses)s).")
        % {
            "count": len(results.actions),
            "statuses": ", ".join(f"{label.lower()} : {count}" for label, count in results.status_counts)
            or "—",
        },
        _("Cibles atteintes : %(met)s sur %(targets)s.") % {"met": results.met, "targets": results.targets},
    ]
    evaluation = results.evaluation
    if evaluation:
        for key, label, _question in QUESTIONS:
            if getattr(evaluation, key):
                lines.append(f"{label} : {getattr(evaluation, key)}")
        for key in ("porteurs_said", "inhabitants_said", "conclusion"):
            if getattr(evaluation, key):
                lines.append(
                    f"{FinalEvaluation._meta.get_field(key).verbose_name.capitalize()} : {getattr(evaluation, key)}"
                )
    for item in results.actions:
        conclusion = item.conclusion
        if conclusion and (conclusion.judgement or conclusion.comment):
            lines.append(
                f"{item.action} : {conclusion.get_judgement_display() or '—'}"
                + (f" — {conclusion.comment}" if conclusion.comment else "")
            )
    return "\n\n".join(lines)


def _kept_json(contract: Contract, keep: set[int], changes: dict) -> tuple[dict, list[int]]:
    """The contract JSON with only the fiches in `keep` (their funding lines left behind), and
    the pks of those fiches in the order the JSON lists them."""
    data = contract_to_json(contract)
    body = data["contract"]
    by_axis: dict[int, list[Action]] = {}
    for action in Action.objects.filter(contract=contract).order_by("axis__position", "position", "pk"):
        by_axis.setdefault(action.axis_id, []).append(action)
    kept_pks: list[int] = []
    axes = []
    for axis, axis_json in zip(contract.axes.order_by("position", "pk"), body["axes"], strict=True):
        actions = []
        for action, action_json in zip(by_axis.get(axis.pk, []), axis_json["actions"], strict=True):
            if action.pk not in keep:
                continue
            action_json["funding_lines"] = []
            for operation in action_json["operations"]:
                operation["funding_lines"] = []
            actions.append(action_json)
            kept_pks.append(action.pk)
        if actions:
            axes.append({**axis_json, "actions": actions})
    body.update(axes=axes, status=Contract.Status.DRAFT, is_published=False, **changes)
    data["extensions"] = {k: v for k, v in data.get("extensions", {}).items() if k in CARRIED_EXTENSIONS}
    return data, kept_pks


@transaction.atomic
def renew(
    *, contract: Contract, user, title: str, short_name: str, start_date: date, end_date: date, actions
) -> Contract:
    """A new draft contract continuing `contract`: same territory, signatories and diagnosis, the
    chosen fiches (each linked to its predecessor), the final evaluation as the new diagnosis'
    first part. Goes through the contract JSON and its loader like every other creation."""
    changes = {
        "title": title,
        "short_name": short_name,
        "start_date": start_date.isoformat(),
        "end_date": end_date.isoformat(),
    }
    data, kept_pks = _kept_json(contract, {a.pk for a in actions}, changes)
    successor = contract_from_json(data, user=user)
    successor.predecessor = contract
    successor.save(update_fields=["predecessor"])
    new_actions = successor.actions.order_by("axis__position", "position", "pk")
    for new_action, old_pk in zip(new_actions, kept_pks, strict=True):
        new_action.predecessor_id = old_pk
        new_action.save(update_fields=["predecessor"])
    DiagnosisSection.objects.create(
        contract=successor,
        position=0,
        title=_("Évaluation du contrat précédent"),
        body=evaluation_summary(selectors.final_results(contract, timezone.localdate())),
    )
    return successor
