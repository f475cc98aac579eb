"""Remove the stored files of evidence deleted (or replaced) more than DAYS ago.

Deleting an evidence in the application keeps its file, so that the history can still name it and an
administrator can recover it. This command is the explicit purge: without --apply it only lists
what it would remove.
"""

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Max
from django.utils import timezone

from opencls.monitoring.models import Evidence


def purgeable_files(older_than_days: int) -> list[str]:
    """Stored names no live evidence uses any more, last recorded before the cut-off date."""
    cutoff = timezone.now() - timedelta(days=older_than_days)
    in_use = set(Evidence.objects.values_list("file", flat=True))
    last_seen = (
        Evidence.history.exclude(file="")
        .values("file")
        .annotate(last=Max("history_date"))
        .filter(last__lt=cutoff)
        .values_list("file", flat=True)
    )
    return sorted(name for name in last_seen if name not in in_use)


class Command(BaseCommand):
    help = "Supprime les fichiers des pièces justificatives supprimées depuis plus de N jours (simulation par défaut)."

    def add_arguments(self, parser):
        parser.add_argument("--older-than", type=int, required=True, metavar="DAYS", dest="days")
        parser.add_argument(
            "--apply", action="store_true", help="Supprime vraiment les fichiers (sinon : simple liste)."
        )

    def handle(self, *args, days, apply, **options):
        if days < 0:
            raise CommandError("--older-than doit être un nombre de jours positif ou nul.")
        storage = Evidence._meta.get_field("file").storage
        names = [name for name in purgeable_files(days) if storage.exists(name)]
        for name in names:
            if apply:
                storage.delete(name)
            self.stdout.write(("supprimé : " if apply else "à supprimer : ") + name)
        if apply:
            self.stdout.write(f"{len(names)} fichier(s) supprimé(s).")
        else:
            self.stdout.write(
                f"{len(names)} fichier(s) à supprimer. Relancer avec --apply pour les supprimer."
            )
