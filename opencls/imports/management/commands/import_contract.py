import json
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from opencls.contracts.io import ContractJsonError, contract_from_json
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
