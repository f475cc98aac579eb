"""Fiches actions and their operations of the file against the plan."""

from opencls.spreadsheets.cells import fold
from opencls.spreadsheets.diff.records import (
    ACTION_LINK,
    Change,
    FieldChange,
    truncated_same,
)
from opencls.spreadsheets.layout import (
    OPERATIONS,
    PLAN,
    Column,
)


class WorksDiffer:
    # ------------------------------------------------------------ actions

    def match_action(self, record: dict) -> int | None:
        """A TeT row's fiche: same code, else same title in the same axis, else the only one of
        that title."""
        values = record["values"]
        current = self.records["action"]
        if values.get("code"):
            for pk, action in current.items():
                if fold(action["code"]) == fold(values["code"]):
                    return pk
        title = values["title"]

        def titled(pk):
            old = current[pk]["title"]
            return fold(old) == fold(title) or truncated_same(old, title)

        same_axis = [pk for pk in current if titled(pk) and fold(current[pk]["axis"]) == fold(values["axis"])]
        if len(same_axis) == 1:
            return same_axis[0]
        anywhere = [pk for pk in current if titled(pk)]
        return anywhere[0] if len(anywhere) == 1 else None

    def actions(self):
        columns = {c.key: c for c in PLAN.columns}
        current = self.records["action"]
        matched: dict[int, int] = {}
        for record in self.source.records.get("action", []):
            values = dict(record["values"])
            pk = self.match_action(record) if record.get("match") else record["pk"]
            self.action_refs.append(None)
            if pk is not None and pk not in current:
                self.error(
                    record["sheet"],
                    record["row"],
                    "ID",
                    f"la fiche action n° {pk} n'existe pas dans ce contrat (elle a été supprimée, ou la ligne vient "
                    "d'un autre fichier) : videz l'ID pour la créer",
                )
                continue
            if pk is not None and pk in matched:
                self.error(
                    record["sheet"],
                    record["row"],
                    "Titre de la fiche action",
                    f"cette ligne désigne la même fiche que la ligne {matched[pk]}",
                )
                continue
            ref = f"pk:{pk}" if pk else self.new_ref(record)
            old = current.get(pk, {})
            links = {}
            axis_label = values.pop("axis", None)
            objective_text = values.pop("objective", None)
            fields = []
            if axis_label is not None:
                links["axis"] = self.axis_ref(axis_label, record)
                if links["axis"] is None:
                    continue
            elif pk is None:
                self.error(
                    record["sheet"], record["row"], "Axe", "l'axe d'une nouvelle fiche est obligatoire"
                )
                continue
            else:
                links["axis"] = f"pk:{self.snapshot.action_axis[pk]}"
            if objective_text is not None:
                links["objective"] = self.objective_ref(links["axis"], objective_text, record)
            elif pk is not None and links["axis"] == f"pk:{self.snapshot.action_axis[pk]}":
                objective = self.snapshot.action_objective[pk]
                links["objective"] = f"pk:{objective}" if objective else None
            else:
                links["objective"] = None  # an objective belongs to the axis the fiche left
            if pk is not None:
                matched[pk] = record["row"]
                old_objective = self.snapshot.action_objective[pk]
                if links["axis"] != f"pk:{self.snapshot.action_axis[pk]}":
                    fields.append(FieldChange("axis", "Axe", old["axis"], axis_label))
                if links["objective"] != (f"pk:{old_objective}" if old_objective else None):
                    new_label = objective_text if objective_text is not None else ""
                    fields.append(FieldChange("objective", "Objectif", old["objective"], new_label))
                more, changed = self.compare(columns, old, values)
                fields += more
                if fields:
                    self.note_names(changed)
                    self.diff.changes.append(
                        Change(
                            "action",
                            "change",
                            ref,
                            pk,
                            self.snapshot.action_label(pk),
                            self.where(record),
                            fields,
                            changed,
                            links,
                        )
                    )
            else:
                values.setdefault("status", "")
                self.note_names(values)
                shown = self.added_fields(columns, values)
                shown.insert(0, FieldChange("axis", "Axe", "", axis_label))
                if objective_text:
                    shown.insert(1, FieldChange("objective", "Objectif", "", objective_text))
                label = f"{values.get('code')} — {values['title']}" if values.get("code") else values["title"]
                self.diff.changes.append(
                    Change("action", "add", ref, None, label, self.where(record), shown, values, links)
                )
            self.action_refs[-1] = ref
            code = values["code"] if "code" in values else old.get("code", "")
            self.action_labels[ref] = (
                f"{code} — {values.get('title') or old.get('title')}"
                if code
                else (values.get("title") or old.get("title"))
            )
            if code:
                self.action_codes.setdefault(fold(code), ref)
            self.record_codes.append((fold(code), record, ref))
        if "action" in self.source.complete:
            for pk in current:
                if pk not in matched and pk not in self.unreadable("action"):
                    self.removed_actions.add(pk)
                    self.diff.changes.append(
                        Change(
                            "action",
                            "remove",
                            f"pk:{pk}",
                            pk,
                            self.snapshot.action_label(pk),
                            "absente du fichier",
                            note=self.removal_note(pk),
                        )
                    )
        for pk, values in current.items():
            ref = f"pk:{pk}"
            if pk not in matched and pk not in self.removed_actions:
                self.action_labels[ref] = self.snapshot.action_label(pk)
                if values["code"]:
                    self.action_codes.setdefault(fold(values["code"]), ref)

    def removal_note(self, pk: int) -> str:
        counts = [
            (sum(1 for v in self.records[kind].values() if v["action_id"] == pk), singular, plural)
            for kind, singular, plural in (
                ("operation", "opération", "opérations"),
                ("indicator", "indicateur", "indicateurs"),
                ("funding", "ligne de financement", "lignes de financement"),
            )
        ]
        parts = [f"{n} {singular if n == 1 else plural}" for n, singular, plural in counts if n]
        return "avec " + ", ".join(parts) if parts else ""

    def check_codes(self):
        seen: dict[str, dict] = {}
        for code, record, ref in self.record_codes:
            if not code:
                continue
            if code in seen and seen[code]["ref"] != ref:
                self.error(
                    record["sheet"],
                    record["row"],
                    "Code",
                    f"le code est déjà celui de la fiche ligne {seen[code]['record']['row']}",
                )
                continue
            seen[code] = {"record": record, "ref": ref}
        in_file = {ref for _code, _record, ref in self.record_codes}
        for pk, values in self.records["action"].items():
            code = fold(values["code"])
            if code and f"pk:{pk}" not in in_file and pk not in self.removed_actions and code in seen:
                record = seen[code]["record"]
                self.error(
                    record["sheet"],
                    record["row"],
                    "Code",
                    f"le code « {values['code']} » est déjà celui de la fiche « {values['title'][:60]} »",
                )

    # ------------------------------------------------------------ references to a fiche

    def action_of(self, record: dict) -> str | None:
        ref = record.get("action") or {}
        if "record" in ref:
            return self.action_refs[ref["record"]]
        if "id" in ref:
            pk = ref["id"]
            if pk not in self.records["action"]:
                self.error(
                    record["sheet"],
                    record["row"],
                    "ID fiche action",
                    f"aucune fiche action n'a l'ID {pk} dans ce contrat",
                )
                return None
            if pk in self.removed_actions:
                self.error(
                    record["sheet"],
                    record["row"],
                    "ID fiche action",
                    f"la fiche action n° {pk} n'est plus dans la feuille Plan : cette ligne ne peut pas y rester rattachée",
                )
                return None
            return f"pk:{pk}"
        found = self.action_codes.get(fold(ref.get("code", "")))
        if found is None:
            self.error(
                record["sheet"],
                record["row"],
                "Code fiche action",
                f"aucune fiche action n'a le code « {ref.get('code', '')} »",
            )
        return found

    def operation_of(self, record: dict, action_ref: str) -> tuple[bool, str | None]:
        ref = record.get("operation") or {}
        if not ref:
            return True, None
        if "record" in ref:
            return True, self.operation_refs[ref["record"]]
        if "id" in ref:
            pk = ref["id"]
            found = f"pk:{pk}"
            owner = self.operation_owner.get(found)
            if pk in self.removed_operations:
                self.error(
                    record["sheet"],
                    record["row"],
                    "ID opération",
                    f"l'opération n° {pk} n'est plus dans la feuille Opérations : rattachez cette ligne à "
                    "la fiche (videz l'ID opération) ou supprimez-la",
                )
                return False, None
            if owner is None:
                self.error(
                    record["sheet"],
                    record["row"],
                    "ID opération",
                    f"aucune opération n'a l'ID {pk} dans ce contrat",
                )
                return False, None
            if owner != action_ref:
                self.error(
                    record["sheet"],
                    record["row"],
                    "ID opération",
                    f"l'opération n° {pk} n'appartient pas à la fiche action de cette ligne",
                )
                return False, None
            return True, found
        found = self.operation_titles.get((action_ref, fold(ref.get("title", ""))))
        if found is None:
            self.error(
                record["sheet"],
                record["row"],
                "Opération",
                f"la fiche action n'a pas d'opération « {ref.get('title', '')} »",
            )
            return False, None
        return True, found

    def link_change(self, old_ref: str, new_ref: str, column: Column, labels: dict) -> FieldChange | None:
        if old_ref == new_ref:
            return None
        return FieldChange(column.key, column.header, labels.get(old_ref, ""), labels.get(new_ref, ""))

    # ------------------------------------------------------------ operations

    def operations(self):
        columns = {c.key: c for c in OPERATIONS.columns}
        current = self.records["operation"]
        seen = set()
        for pk, values in current.items():
            if values["action_id"] not in self.removed_actions:
                owner = f"pk:{values['action_id']}"
                self.operation_owner[f"pk:{pk}"] = owner
                self.operation_titles.setdefault((owner, fold(values["title"])), f"pk:{pk}")
        for record in self.source.records.get("operation", []):
            self.operation_refs.append(None)
            values = dict(record["values"])
            action_ref = self.action_of(record)
            if action_ref is None:
                continue
            pk = record["pk"]
            if record.get("match") and action_ref.startswith("pk:"):
                found = self.operation_titles.get((action_ref, fold(values["title"])))
                pk = int(found[3:]) if found and found.startswith("pk:") else None
            if pk is not None and pk not in current:
                self.error(
                    record["sheet"],
                    record["row"],
                    "ID",
                    f"l'opération n° {pk} n'existe pas dans ce contrat : videz l'ID pour la créer",
                )
                continue
            if pk in seen:
                self.error(record["sheet"], record["row"], "ID", "cette opération figure déjà plus haut")
                continue
            ref = f"pk:{pk}" if pk else self.new_ref(record)
            if pk is not None:
                seen.add(pk)
                old = current[pk]
                fields, changed = self.compare(columns, old, values)
                moved = self.link_change(
                    f"pk:{old['action_id']}", action_ref, ACTION_LINK, self.action_labels
                )
                if moved:
                    fields.insert(0, moved)
                if fields:
                    self.note_names(changed)
                    self.diff.changes.append(
                        Change(
                            "operation",
                            "change",
                            ref,
                            pk,
                            old["title"],
                            self.where(record),
                            fields,
                            changed,
                            {"action": action_ref},
                        )
                    )
            else:
                values.setdefault("status", "")
                self.note_names(values)
                shown = [FieldChange("action", "Fiche action", "", self.action_labels.get(action_ref, ""))]
                shown += self.added_fields(columns, values)
                self.diff.changes.append(
                    Change(
                        "operation",
                        "add",
                        ref,
                        None,
                        values["title"],
                        self.where(record),
                        shown,
                        values,
                        {"action": action_ref},
                    )
                )
            self.operation_refs[-1] = ref
            self.operation_owner[ref] = action_ref
            self.operation_titles[(action_ref, fold(values.get("title") or current[pk]["title"]))] = ref
        if "operation" in self.source.complete:
            for pk, values in current.items():
                if pk in seen or pk in self.unreadable("operation"):
                    continue
                if values["action_id"] not in self.removed_actions:
                    self.operation_owner.pop(f"pk:{pk}", None)
                    self.removed_operations.add(pk)
                    self.diff.changes.append(
                        Change(
                            "operation",
                            "remove",
                            f"pk:{pk}",
                            pk,
                            values["title"],
                            "absente du fichier",
                            note=f"fiche {self.snapshot.action_label(values['action_id'])}",
                        )
                    )

    # ------------------------------------------------------------ indicators and funding
