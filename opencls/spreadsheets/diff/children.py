"""Indicators, funding lines and organisations of the file against the plan."""

import difflib
from decimal import Decimal

from opencls.accounts.models import Organisation, normalise_name
from opencls.spreadsheets.cells import fold
from opencls.spreadsheets.diff.records import (
    ACTION_LINK,
    OPERATION_LINK,
    Change,
    FieldChange,
)
from opencls.spreadsheets.followup import period_check
from opencls.spreadsheets.layout import (
    FUNDING,
    INDICATORS,
    breakdown_column,
    target_column,
    value_column,
)


class ChildrenDiffer:
    # ------------------------------------------------------------ indicators and funding

    def children(self, kind: str, table, compare_extra=None):
        """Indicators and funding lines: rattached to a fiche, optionally to one of its operations."""
        columns = {c.key: c for c in table.columns}
        current = self.records[kind]
        seen = set()
        operation_labels = {ref: title for (_owner, title), ref in self.operation_titles.items()}
        for record in self.source.records.get(kind, []):
            values = dict(record["values"])
            action_ref = self.action_of(record)
            if action_ref is None:
                continue
            ok, operation_ref = self.operation_of(record, action_ref)
            if not ok:
                continue
            pk = record["pk"]
            if pk is not None and pk not in current:
                self.error(
                    record["sheet"],
                    record["row"],
                    "ID",
                    f"la ligne n° {pk} n'existe pas dans ce contrat : videz l'ID pour la créer",
                )
                continue
            if (
                pk is not None
                and current[pk]["action_id"] in self.removed_actions
                and action_ref == f"pk:{current[pk]['action_id']}"
            ):
                continue
            links = {"action": action_ref, "operation": operation_ref}
            extra_fields, extra_values = (
                compare_extra(record, values, current.get(pk)) if compare_extra else ([], {})
            )
            if extra_fields is None:
                continue
            label = self.child_label(kind, values, current.get(pk))
            if pk is not None:
                seen.add(pk)
                old = current[pk]
                fields, changed = self.compare(columns, old, values)
                old_operation = f"pk:{old['operation_id']}" if old["operation_id"] else None
                for link in (
                    self.link_change(f"pk:{old['action_id']}", action_ref, ACTION_LINK, self.action_labels),
                    self.link_change(old_operation, operation_ref, OPERATION_LINK, operation_labels),
                ):
                    if link:
                        fields.insert(0, link)
                fields += extra_fields
                changed.update(extra_values)
                if fields:
                    self.note_names(changed)
                    self.diff.changes.append(
                        Change(
                            kind, "change", f"pk:{pk}", pk, label, self.where(record), fields, changed, links
                        )
                    )
            else:
                self.note_names(values)
                shown = [FieldChange("action", "Fiche action", "", self.action_labels.get(action_ref, ""))]
                if operation_ref:
                    shown.append(
                        FieldChange("operation", "Opération", "", operation_labels.get(operation_ref, ""))
                    )
                shown += self.added_fields(columns, values) + extra_fields
                values.update(extra_values)
                self.diff.changes.append(
                    Change(
                        kind,
                        "add",
                        self.new_ref(record),
                        None,
                        label,
                        self.where(record),
                        shown,
                        values,
                        links,
                    )
                )
        if kind in self.source.complete:
            for pk, values in current.items():
                if pk in seen or pk in self.unreadable(kind):
                    continue
                if values["action_id"] not in self.removed_actions:
                    self.diff.changes.append(
                        Change(
                            kind,
                            "remove",
                            f"pk:{pk}",
                            pk,
                            self.child_label(kind, values, None),
                            "absente du fichier",
                            note=f"fiche {self.snapshot.action_label(values['action_id'])}",
                        )
                    )

    def child_label(self, kind: str, values: dict, old: dict | None) -> str:
        merged = {**(old or {}), **values}
        if kind == "indicator":
            return merged.get("label", "")
        funder = merged.get("funder") or "Sans financeur"
        return f"{funder} {merged.get('year') or ''}".strip()

    def indicators(self):
        def figures(record, values, old):
            periodicity = values.get("periodicity") or (old or {}).get("periodicity") or "year"
            if old is None:
                values["periodicity"] = periodicity
            fields, changed, ok = [], {}, True
            for kind, column_of in (("targets", target_column), ("values", value_column)):
                wanted = values.pop(kind, {})
                existing = (old or {}).get(kind, {})
                updates = {}
                for period, value in wanted.items():
                    column = column_of(period)
                    try:
                        code = period_check(
                            periodicity,
                            period,
                            is_value=kind == "values" and value is not None,
                            today=self.today,
                        )
                    except ValueError as error:
                        if value is None and period not in existing:
                            continue  # an empty column of another periodicity
                        self.error(record["sheet"], record["row"], column.header, str(error))
                        ok = False
                        continue
                    if existing.get(code) != value:
                        updates[code] = value
                        fields.append(
                            FieldChange(
                                column.key,
                                column.header,
                                column.display(existing.get(code)),
                                column.display(value),
                            )
                        )
                if updates:
                    changed[kind] = updates
            ok &= self.measured_figures(record, values, old, fields, changed)
            return (fields, changed) if ok else (None, None)

        self.children("indicator", INDICATORS, figures)

    def measured_figures(self, record, values, old, fields, changed) -> bool:
        """Issue 13: values and targets checked against how the indicator is measured, and its
        breakdowns (« Ventilation 2026 ») read, checked and kept consistent with the totals; a
        changed total of a broken-down value is refused, never written beside a stale breakdown."""
        from opencls.actions.measures import PERCENT_KINDS, clean_categories
        from opencls.actions.models import Indicator
        from opencls.monitoring.measures import (
            breakdown_cell,
            clean_measure,
            measure_change_errors,
            parse_breakdown_cell,
            territory_keys,
        )

        old = old or {}
        sheet, row = record["sheet"], record["row"]
        kind = values.get("measure_kind") or old.get("measure_kind") or Indicator.Measure.NUMBER
        try:
            categories = clean_categories(kind, values.get("categories", old.get("categories", [])))
        except ValueError as error:
            self.error(sheet, row, INDICATORS.column("categories").header, str(error))
            return False
        old_breakdowns = old.get("breakdowns", {})
        old_values = old.get("values", {})
        if old and (kind != old.get("measure_kind") or categories != old.get("categories", [])):
            figures = [Decimal(v) for v in [*old_values.values(), *old.get("targets", {}).values()] if v]
            problems = measure_change_errors(
                old.get("measure_kind"), kind, categories, old_breakdowns, figures
            )
            for problem in problems:
                self.error(sheet, row, INDICATORS.column("measure_kind").header, problem)
            if problems:
                return False
        indicator = Indicator(measure_kind=kind, categories=categories)
        if kind in (Indicator.Measure.MUNICIPALITIES, Indicator.Measure.NEIGHBOURHOODS):
            if not hasattr(self, "_territory_keys"):
                self._territory_keys = territory_keys(self.snapshot.contract.territory_id)
            keys = self._territory_keys[kind]
        else:
            keys = categories
        ok = True
        for period, target in changed.get("targets", {}).items():
            if target is not None and kind in PERCENT_KINDS and not 0 <= Decimal(target) <= 100:
                self.error(
                    sheet, row, target_column(period).header, "un pourcentage est compris entre 0 et 100"
                )
                ok = False
        wanted_breakdowns = values.pop("breakdowns", {})
        value_updates = changed.get("values", {})
        new_breakdowns = {}
        for period in sorted(set(value_updates) | set(wanted_breakdowns)):
            column = breakdown_column(period)
            stored = old_breakdowns.get(period, {})
            if period in wanted_breakdowns:
                try:
                    breakdown = parse_breakdown_cell(wanted_breakdowns[period] or "")
                except ValueError as error:
                    self.error(sheet, row, column.header, str(error))
                    ok = False
                    continue
            else:
                breakdown = stored
            value = value_updates[period] if period in value_updates else old_values.get(period)
            if period not in value_updates and value is None and not breakdown:
                continue
            if period in value_updates and value is None:
                if breakdown and period in wanted_breakdowns and breakdown != stored:
                    self.error(sheet, row, column.header, "une ventilation sans valeur ne s'enregistre pas")
                    ok = False
                elif stored:  # the value deleted: its breakdown goes with it, shown on the review
                    fields.append(FieldChange(column.key, column.header, breakdown_cell(stored), ""))
                continue
            try:
                checked, clean = clean_measure(
                    indicator,
                    None if breakdown and period not in value_updates else value,
                    breakdown,
                    keys=keys,
                    stored=stored,
                )
            except Exception as error:  # ValidationError
                messages = getattr(error, "message_dict", {"value": [str(error)]})
                header = value_column(period).header if "value" in messages else column.header
                for message in [m for group in messages.values() for m in group]:
                    if stored and "value" in messages:
                        message += " La valeur est ventilée : modifiez aussi « " + column.header + " »."
                    self.error(sheet, row, header, message)
                ok = False
                continue
            if clean != stored or (period in value_updates and f"{checked:.2f}" != value_updates[period]):
                changed.setdefault("values", {})[period] = f"{checked:.2f}"
                if clean != stored:
                    new_breakdowns[period] = clean
                    fields.append(
                        FieldChange(column.key, column.header, breakdown_cell(stored), breakdown_cell(clean))
                    )
                if period not in value_updates:
                    header = value_column(period).header
                    shown = value_column(period)
                    fields.append(
                        FieldChange(
                            shown.key,
                            header,
                            shown.display(old_values.get(period)),
                            shown.display(f"{checked:.2f}"),
                        )
                    )
        if new_breakdowns:
            changed["breakdowns"] = new_breakdowns
        return ok

    def funding(self):
        self.children("funding", FUNDING)

    def funding_totals(self):
        """TeT gives, per fiche (or sub-action), an amount per funder: compared with the sum of
        the planned amounts of that funder's lines."""
        current = self.records["funding"]
        column = FUNDING.column("planned_amount")
        for record in self.source.records.get("funding_total", []):
            action_ref = self.action_of(record)
            if action_ref is None:
                continue
            _ok, operation_ref = self.operation_of(record, action_ref)
            funder, amount = record["values"]["funder"], record["values"]["planned_amount"]
            lines = []
            if action_ref.startswith("pk:") and (operation_ref is None or operation_ref.startswith("pk:")):
                action_pk = int(action_ref[3:])
                operation_pk = int(operation_ref[3:]) if operation_ref else None
                lines = [
                    (pk, v)
                    for pk, v in current.items()
                    if v["action_id"] == action_pk
                    and v["operation_id"] == operation_pk
                    and normalise_name(v["funder"]) == normalise_name(funder)
                ]
            total = sum((Decimal(v["planned_amount"] or 0) for _pk, v in lines), Decimal(0))
            new = Decimal(amount or 0)
            links = {"action": action_ref, "operation": operation_ref}
            label = f"{funder or 'Sans financeur'} ({self.action_labels.get(action_ref, '')})"
            if (lines and total == new) or (not lines and new == 0 and not funder):
                continue
            if len(lines) > 1:
                self.diff.warnings.append(
                    f"Ligne {record['row']} : {funder or 'le budget non réparti'} a plusieurs lignes budgétaires sur "
                    "cette fiche ; le montant n'est pas modifié (faites-le dans la feuille Financements d'OpenCLS)."
                )
                continue
            if lines:
                pk, old = lines[0]
                self.diff.changes.append(
                    Change(
                        "funding",
                        "change",
                        f"pk:{pk}",
                        pk,
                        label,
                        self.where(record),
                        [
                            FieldChange(
                                "planned_amount",
                                column.header,
                                column.display(old["planned_amount"]),
                                column.display(amount),
                            )
                        ],
                        {"planned_amount": amount},
                        links,
                    )
                )
                continue
            values = {"funder": funder, "planned_amount": amount}
            self.note_names(values)
            self.diff.changes.append(
                Change(
                    "funding",
                    "add",
                    self.new_ref(record) + f":{funder}",
                    None,
                    label,
                    self.where(record),
                    [
                        FieldChange("funder", "Financeur", "", funder or "—"),
                        FieldChange("planned_amount", column.header, "", column.display(amount)),
                    ],
                    values,
                    links,
                )
            )

    # ------------------------------------------------------------ organisations

    def organisations(self):
        if not self.names:
            return
        known = {
            o.normalised_name: o
            for o in Organisation.objects.filter(normalised_name__in=list(self.names)).order_by("pk")
        }
        missing = [key for key in self.names if key not in known]
        everyone = []
        if missing:
            everyone = list(Organisation.objects.values_list("pk", "name", "normalised_name"))
        by_key = {key: (pk, name) for pk, name, key in everyone}
        for key, name in sorted(self.names.items(), key=lambda item: fold(item[1])):
            found = known.get(key)
            proposal = {"name": name, "key": key, "existing": None, "candidates": []}
            if found is not None:
                proposal["existing"] = {"pk": found.pk, "name": found.name}
            else:
                close = difflib.get_close_matches(key, list(by_key), n=3, cutoff=0.75)
                proposal["candidates"] = [{"pk": by_key[c][0], "name": by_key[c][1]} for c in close]
            self.diff.organisations.append(proposal)
