import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from opencls.contracts.models import Contract
from opencls.spreadsheets.diff import compute_diff
from opencls.spreadsheets.reader import SpreadsheetError
from opencls.spreadsheets.report import diff_as_contract_json
from opencls.spreadsheets.selectors import plan_snapshot
from opencls.spreadsheets.services import PlanApplyError, plan_apply, plan_file_read
from opencls.spreadsheets.source import problem_text


class Command(BaseCommand):
    help = (
        "Lit un tableur (export OpenCLS en .xlsx/.ods, ou modèle Territoires en Transitions) et applique "
        "au plan du contrat ce qu'il change, tout ou rien. --dry-run montre les changements sans rien écrire."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument(
            "--contract", type=int, required=True, help="Identifiant du contrat à mettre à jour."
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="N'écrit rien : affiche ce qui serait fait."
        )
        parser.add_argument("--format", choices=("text", "json"), default="text")

    def handle(self, file, contract, dry_run, format, **options):
        target = Contract.objects.select_related("territory").filter(pk=contract).first()
        if target is None:
            raise CommandError(f"Aucun contrat n'a l'identifiant {contract}.")
        try:
            data = file.read_bytes()
        except OSError as error:
            raise CommandError(f"Impossible de lire {file} : {error.strerror}.") from error
        try:
            source = plan_file_read(data)
        except SpreadsheetError as error:
            raise CommandError("\n".join(error.messages)) from error
        snapshot = plan_snapshot(target)
        diff = compute_diff(snapshot, source, today=timezone.localdate())
        if format == "json":
            self.stdout.write(json.dumps(diff_as_contract_json(snapshot, diff), ensure_ascii=False, indent=2))
        else:
            self.write_text(diff)
        if diff.errors:
            raise CommandError(f"{len(diff.errors)} erreur(s) : rien n'a été enregistré.")
        if dry_run:
            return
        try:
            plan_apply(target, source)
        except PlanApplyError as error:
            raise CommandError("\n".join(error.messages)) from error
        self.stderr.write(
            f"Plan mis à jour : {diff.count('add')} ajout(s), {diff.count('change')} modification(s), "
            f"{diff.count('remove')} suppression(s)."
        )

    def write_text(self, diff):
        write = self.stdout.write
        write(
            f"{diff.count('add')} ajout(s), {diff.count('change')} modification(s), {diff.count('remove')} suppression(s)."
        )
        for error in diff.errors:
            write(f"ERREUR  {problem_text(error)}")
        for warning in diff.warnings:
            write(f"ATTENTION  {warning}")
        for axis in diff.new_axes:
            write(f"+ axe « {axis['label']} »")
        for objective in diff.new_objectives:
            write(f"+ objectif « {objective['label']} »")
        symbols = {"add": "+", "change": "~", "remove": "-"}
        for change in diff.changes:
            write(f"{symbols[change.op]} {change.kind} « {change.label} » ({change.where})")
            for field in change.fields:
                write(f"    {field.label} : {field.old or '—'} → {field.new or '—'}")
        for organisation in diff.organisations:
            if organisation["existing"]:
                write(
                    f"= organisation « {organisation['name']} » : existante « {organisation['existing']['name']} »"
                )
            else:
                write(f"+ organisation « {organisation['name']} » (créée)")
        for item in diff.not_imported:
            write(f"non importé  {item['where']} : {item['text']}")
