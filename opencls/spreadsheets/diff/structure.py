"""Territory, municipalities, axes and objectives of the file against the plan."""

from opencls.spreadsheets import layout
from opencls.spreadsheets.cells import fold
from opencls.spreadsheets.diff.records import (
    Change,
)
from opencls.spreadsheets.layout import (
    MUNICIPALITIES,
    TERRITORY_FIELDS,
    numbered,
    split_numbered,
    split_path,
)


class StructureDiffer:
    # ------------------------------------------------------------ territory and municipalities

    def territory(self):
        if not self.source.territory:
            return
        columns = {c.key: c for c in TERRITORY_FIELDS}
        fields, changed = self.compare(columns, self.snapshot.territory, self.source.territory)
        if fields:
            self.diff.changes.append(
                Change(
                    "territory",
                    "change",
                    "territory",
                    self.snapshot.contract.territory_id,
                    self.snapshot.territory["name"],
                    f"Feuille {layout.TERRITORY_SHEET}",
                    fields,
                    changed,
                )
            )

    def municipalities(self):
        columns = {c.key: c for c in MUNICIPALITIES.columns}
        current = self.records["municipality"]
        seen, names = set(), {}
        for record in self.source.records.get("municipality", []):
            pk, values = record["pk"], record["values"]
            name = fold(values.get("name") or (current.get(pk) or {}).get("name", ""))
            if name in names:
                self.error(
                    record["sheet"], record["row"], "Commune", f"la commune apparaît déjà ligne {names[name]}"
                )
                continue
            names[name] = record["row"]
            if pk is None:
                self.diff.changes.append(
                    Change(
                        "municipality",
                        "add",
                        self.new_ref(record),
                        None,
                        values["name"],
                        self.where(record),
                        self.added_fields(columns, values),
                        values,
                    )
                )
                continue
            if pk not in current:
                self.error(
                    record["sheet"],
                    record["row"],
                    "ID",
                    f"la commune n° {pk} n'est pas sur le territoire de ce contrat",
                )
                continue
            seen.add(pk)
            fields, changed = self.compare(columns, current[pk], values)
            if fields:
                self.diff.changes.append(
                    Change(
                        "municipality",
                        "change",
                        f"pk:{pk}",
                        pk,
                        current[pk]["name"],
                        self.where(record),
                        fields,
                        changed,
                    )
                )
        if "municipality" in self.source.complete:
            for pk, values in current.items():
                if pk not in seen and pk not in self.unreadable("municipality"):
                    self.diff.changes.append(
                        Change("municipality", "remove", f"pk:{pk}", pk, values["name"], "absente du fichier")
                    )

    # ------------------------------------------------------------ axes and objectives

    def axis_ref(self, label: str, record: dict) -> str | None:
        folded = fold(label)
        for axis in self.snapshot.axes:
            if fold(self.snapshot.axis_labels[axis.pk]) == folded:
                return f"pk:{axis.pk}"
        code, title = split_numbered(label)
        if not code:
            same_title = [a for a in self.snapshot.axes if fold(a.title) == folded]
            if len(same_title) == 1:
                return f"pk:{same_title[0].pk}"
        if len(code) > 20:
            code, title = "", label
        if len(title) > 500:
            self.error(record["sheet"], record["row"], "Axe", "l'intitulé de l'axe dépasse 500 caractères")
            return None
        ref = f"new:{folded}"
        self.new_axes.setdefault(ref, {"ref": ref, "code": code, "title": title, "label": label})
        return ref

    def objective_ref(self, axis_ref: str, text: str, record: dict) -> str | None:
        if not text:
            return None
        folded = fold(text)
        existing = []
        if axis_ref.startswith("pk:"):
            axis_pk = int(axis_ref[3:])
            existing = [o for o in self.snapshot.objectives if o.axis_id == axis_pk]
            paths = self.snapshot.objective_paths
            for objective in existing:
                if fold(paths[objective.pk]) == folded:
                    return f"pk:{objective.pk}"
            named = [
                o
                for o in existing
                if folded in (fold(numbered(o.code, o.title)), fold(o.title))
                or (o.code and folded == fold(o.code))
            ]
            if len(named) == 1:
                return f"pk:{named[0].pk}"
        parent_ref, parent_pk, walked = None, None, []
        for segment in split_path(text):
            walked.append(fold(segment))
            match = None
            if parent_ref is None or parent_ref.startswith("pk:"):
                match = next(
                    (
                        o
                        for o in existing
                        if o.parent_id == parent_pk
                        and fold(segment) in (fold(numbered(o.code, o.title)), fold(o.title))
                    ),
                    None,
                )
            if match is not None:
                parent_ref, parent_pk = f"pk:{match.pk}", match.pk
                continue
            code, title = split_numbered(segment)
            if len(code) > 30:
                code, title = "", segment
            if len(title) > 500:
                self.error(record["sheet"], record["row"], "Objectif", "un objectif dépasse 500 caractères")
                return None
            ref = f"new:{axis_ref}|{'|'.join(walked)}"
            self.new_objectives.setdefault(
                ref,
                {
                    "ref": ref,
                    "axis": axis_ref,
                    "parent": parent_ref,
                    "code": code,
                    "title": title,
                    "label": layout.PATH_SEPARATOR.join(split_path(text)[: len(walked)]),
                },
            )
            parent_ref, parent_pk = ref, None
        return parent_ref

    # ------------------------------------------------------------ actions
