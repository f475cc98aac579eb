import json
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from opencls.accounts.services import organisation_differences
from opencls.contracts.io import ContractJsonError, contract_from_json
from opencls.contracts.models import Contract
from opencls.imports import twins
from opencls.imports.exceptions import ImportRejected
from opencls.imports.services import extract_document


class Command(BaseCommand):
    help = (
        "Lit un contrat (.docx, .pdf, .txt, .md) et crée un contrat brouillon, en une transaction. "
        "Avec --dry-run, affiche ce qui a été compris sans rien écrire."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Chemin du document à importer.")
        parser.add_argument("--dry-run", action="store_true", help="Ne rien enregistrer.")
        parser.add_argument(
            "--format", choices=["json", "text"], default="text",
            help="json : le contrat au format JSON (schéma v1) ; text : un résumé.",
        )  # fmt: skip
        parser.add_argument(
            "--user", help="Identifiant de l'utilisateur qui deviendra coordinateur du contrat."
        )
        parser.add_argument(
            "--update", type=int, metavar="N",
            help="Met à jour le contrat n° N (brouillon) avec le document au lieu d'en créer un autre.",
        )  # fmt: skip
        parser.add_argument(
            "--new", action="store_true",
            help="Crée un nouveau contrat même si un contrat semblable existe déjà.",
        )  # fmt: skip

    def handle(self, *args, **options):
        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"Fichier introuvable : {path}")
        user = None
        if options["user"]:
            user = get_user_model().objects.filter(username=options["user"]).first()
            if user is None:
                raise CommandError(f"Utilisateur inconnu : {options['user']}")
        try:
            data = extract_document(path, path.name)
        except ImportRejected as rejection:
            raise CommandError(rejection.message) from rejection
        if options["format"] == "json":
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
        else:
            self.stdout.write(self._summary(data))
        for proposal in organisation_differences(data["contract"].get("organisations", [])):
            changes = " ; ".join(f"{label} : {known} → {new}" for label, known, new in proposal["changes"])
            self.stderr.write(
                f"Organisation déjà connue « {proposal['organisation'].name} », reprise telle quelle "
                f"(le document propose : {changes})."
            )
        if options["update"]:
            self._update(data, options["update"], options["dry_run"])
            return
        found = twins.find_twins(data, Contract.objects.all())
        if found and not options["new"]:
            listed = "\n".join(f"- n° {c.pk} « {c.title} » ({c.territory.name})" for c in found)
            message = (
                f"Ce contrat semble déjà exister :\n{listed}\n"
                "Relancez avec --update N pour mettre à jour ce contrat (différences affichées, appliquées "
                "en une transaction), ou --new pour en créer un autre."
            )
            if options["dry_run"]:
                self.stderr.write(message)
                return
            raise CommandError(message)
        if options["dry_run"]:
            return
        try:
            contract = contract_from_json(data, user=user)
        except ContractJsonError as error:
            raise CommandError(
                "Le contrat n'a pas été créé, rien n'a été écrit :\n- "
                + "\n- ".join(error.messages)
                + "\nCorrigez le JSON (--dry-run --format json) puis chargez-le avec « Importer un contrat (JSON) »."
            ) from error
        self.stderr.write(
            self.style.SUCCESS(f"Contrat brouillon créé : « {contract.title} » (n° {contract.pk}).")
        )

    def _update(self, data: dict, pk: int, dry_run: bool) -> None:
        contract = Contract.objects.filter(pk=pk).first()
        if contract is None:
            raise CommandError(f"Contrat inconnu : n° {pk}")
        preview = twins.update_preview(contract, data)
        lines = [f"Différences avec « {contract.title} » (n° {contract.pk}) :"]
        lines += [f"  Contrat — {c.label} : {c.before or '—'} → {c.after}" for c in preview.contract_changes]
        for change in preview.changes:
            lines.append(f"  {change.kind_label} {change.label}")
            lines += [f"    {f.label} : {f.before or '—'} → {f.after or '—'}" for f in change.fields]
        lines += [f"  Conservé (absent du document) — {section} : {label}" for section, label in preview.kept]
        self.stdout.write("\n".join(lines))
        if dry_run:
            return
        try:
            twins.contract_update_from_document(
                contract=contract, data=data, user=None, fingerprint=preview.fingerprint
            )
        except twins.UpdateRefused as refusal:
            raise CommandError(str(refusal)) from refusal
        contract.refresh_from_db()
        self.stderr.write(
            self.style.SUCCESS(
                f"Contrat « {contract.title} » (n° {contract.pk}) mis à jour : {preview.change_count} modification(s)."
            )
        )

    @staticmethod
    def _summary(data: dict) -> str:
        contract = data["contract"]
        axes = contract.get("axes", [])
        lines = [
            f"{contract.get('title') or '(sans intitulé)'} — territoire : {contract['territory'].get('name') or '?'}",
            f"{len(contract.get('signatories', []))} signataires, "
            f"{len(contract['territory'].get('municipalities', []))} communes, {len(axes)} axes",
        ]
        for axis in axes:
            lines.append(f"  Axe {axis.get('code', '')} : {axis['title']} ({len(axis['actions'])} actions)")
            for action in axis["actions"]:
                lines.append(
                    f"    {action.get('code', '')} {action['title']} — {len(action['operations'])} opérations"
                )
        lines.append(f"{len(data.get('warnings', []))} incohérence(s) relevée(s) :")
        lines.extend(f"  - {warning}" for warning in data.get("warnings", []))
        lines.append(f"{len(data.get('not_imported', []))} passage(s) non importé(s).")
        return "\n".join(lines)
