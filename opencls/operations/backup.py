"""One consistent archive of an instance (database + uploaded files + manifest), and its restore.

The archive is a tar.gz holding:
- `manifest.json`: format, OpenCLS version, date, database vendor, migration state, row counts per
  model and the SHA-256 and size of every other member;
- `database/data.json`: `dumpdata` with natural foreign keys (content types and permissions are
  rebuilt by `migrate`), read in one snapshot; restorable into SQLite or PostgreSQL;
- `database/postgresql.sql`: on PostgreSQL when `pg_dump` is installed, a plain dump restored by
  `psql` in a single transaction (faster and exact for large instances);
- `media/…`: every file of the default storage (local disk or object storage).

Restoring checks every checksum before touching anything, refuses an instance that already has
users or contracts (unless forced), writes the database in one transaction and removes the files
it wrote if that transaction fails.
"""

import hashlib
import io
import json
import os
import shutil
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from django.apps import apps
from django.conf import settings
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.recorder import MigrationRecorder
from django.test.utils import override_settings
from django.utils import timezone

FORMAT = 1
MANIFEST = "manifest.json"
DATA_JSON = "database/data.json"
PG_SQL = "database/postgresql.sql"
MEDIA_PREFIX = "media/"
# Rebuilt by migrate (post_migrate) on the restored instance; referenced by natural keys.
EXCLUDED_MODELS = ["contenttypes", "auth.permission", "sessions"]
CHUNK = 1024 * 1024


class BackupError(Exception):
    """A French message for the operator; nothing was changed."""


@dataclass
class RestoreReport:
    method: str
    files: int
    counts: dict = field(default_factory=dict)


def opencls_version() -> str:
    try:
        from importlib.metadata import version

        release = version("opencls")
    except Exception:  # not installed as a package
        release = "inconnue"
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=settings.BASE_DIR,
            capture_output=True,
            text=True,
            timeout=5,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        commit = ""
    return f"{release} ({commit})" if commit else release


def sha256_file(path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _sha256_stream(stream) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    while chunk := stream.read(CHUNK):
        digest.update(chunk)
        size += len(chunk)
    return digest.hexdigest(), size


def applied_migrations(using=DEFAULT_DB_ALIAS) -> dict[str, list[str]]:
    recorder = MigrationRecorder(connections[using])
    state: dict[str, list[str]] = {}
    for app, name in sorted(recorder.applied_migrations()):
        state.setdefault(app, []).append(name)
    return state


def model_counts(using=DEFAULT_DB_ALIAS) -> dict[str, int]:
    excluded = {"contenttypes", "sessions"}
    return {
        model._meta.label: model._default_manager.using(using).count()
        for model in apps.get_models()
        if model._meta.app_label not in excluded and model._meta.label != "auth.Permission"
    }


def storage_files(storage=None, path=""):
    """Every file name of a storage, walked through the storage API (works for S3 too)."""
    storage = storage or default_storage
    try:
        directories, files = storage.listdir(path)
    except FileNotFoundError:
        return
    for name in sorted(files):
        yield f"{path}/{name}" if path else name
    for directory in sorted(directories):
        yield from storage_files(storage, f"{path}/{directory}" if path else directory)


def _pg_command_env(database: dict) -> tuple[list[str], dict]:
    args = ["-h", database.get("HOST") or "localhost", "-d", database["NAME"]]
    if database.get("PORT"):
        args += ["-p", str(database["PORT"])]
    if database.get("USER"):
        args += ["-U", database["USER"]]
    env = dict(os.environ)
    if database.get("PASSWORD"):
        env["PGPASSWORD"] = database["PASSWORD"]
    return args, env


def _dump_json(path: Path, using: str) -> dict[str, int]:
    """dumpdata and the counts, both read from one snapshot of the database."""
    connection = connections[using]
    outermost = not connection.in_atomic_block  # inside a caller's transaction, its snapshot holds
    with transaction.atomic(using=using):
        if connection.vendor == "postgresql" and outermost:
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        elif connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute("SELECT count(*) FROM django_migrations")  # takes the read lock now
        counts = model_counts(using)
        call_command(
            "dumpdata",
            natural_foreign=True,
            exclude=EXCLUDED_MODELS,
            output=str(path),
            indent=None,
            database=using,
            verbosity=0,
        )
    return counts


def create_backup(output, *, using=DEFAULT_DB_ALIAS, use_pg_dump=True, stdout=None) -> dict:
    """Write the archive to `output` (a path); return its manifest."""
    output = Path(output)
    connection = connections[using]
    members: dict[str, dict] = {}
    with tempfile.TemporaryDirectory(prefix="opencls-backup-") as tmp:
        tmp = Path(tmp)
        partial = output.with_name(output.name + ".partial")
        with tarfile.open(partial, "w:gz") as tar:

            def add(name: str, path: Path):
                members[name] = {"sha256": sha256_file(path), "size": path.stat().st_size}
                tar.add(path, arcname=name, recursive=False)

            data_path = tmp / "data.json"
            counts = _dump_json(data_path, using)
            add(DATA_JSON, data_path)
            if connection.vendor == "postgresql" and use_pg_dump and shutil.which("pg_dump"):
                sql_path = tmp / "postgresql.sql"
                args, env = _pg_command_env(connection.settings_dict)
                with open(sql_path, "wb") as out:
                    result = subprocess.run(
                        ["pg_dump", "--no-owner", "--no-privileges", "--format=plain", *args],
                        stdout=out,
                        stderr=subprocess.PIPE,
                        env=env,
                    )
                if result.returncode != 0:
                    raise BackupError("pg_dump a échoué : " + result.stderr.decode(errors="replace")[:500])
                add(PG_SQL, sql_path)
            files = 0
            for name in storage_files():
                with default_storage.open(name, "rb") as source:
                    copy = tmp / "media-file"
                    with open(copy, "wb") as out:
                        shutil.copyfileobj(source, out, CHUNK)
                add(MEDIA_PREFIX + name, copy)
                files += 1
            manifest = {
                "format": FORMAT,
                "application": "OpenCLS",
                "version": opencls_version(),
                "created_at": timezone.now().isoformat(),
                "database": {
                    "vendor": connection.vendor,
                    "method": "pg_dump" if PG_SQL in members else "dumpdata",
                },
                "migrations": applied_migrations(using),
                "counts": counts,
                "media_files": files,
                "members": members,
            }
            raw = json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(raw)
            info.mtime = int(timezone.now().timestamp())
            tar.addfile(info, io.BytesIO(raw))
        os.replace(partial, output)
    if stdout:
        stdout.write(
            f"Sauvegarde écrite : {output} ({len(members)} éléments, {files} fichiers, "
            f"base {connection.vendor} par {manifest['database']['method']}).\n"
        )
    return manifest


# Restore -----------------------------------------------------------------------------------------


def _safe_member_name(name: str) -> bool:
    path = PurePosixPath(name)
    return not path.is_absolute() and ".." not in path.parts and name == str(path)


def read_and_verify(archive) -> tuple[dict, Path]:
    """Extract the archive into a temporary directory after checking every member against the
    manifest. Returns (manifest, directory); the caller removes the directory."""
    try:
        tar = tarfile.open(archive, "r:*")
    except (OSError, tarfile.TarError) as exc:
        raise BackupError(f"Archive illisible : {exc}") from exc
    with tar:
        try:
            manifest = json.load(tar.extractfile(MANIFEST))
        except (KeyError, AttributeError, ValueError) as exc:
            raise BackupError(
                "Archive sans manifeste lisible (manifest.json) : ce n'est pas une sauvegarde OpenCLS."
            ) from exc
        if manifest.get("application") != "OpenCLS" or manifest.get("format") != FORMAT:
            raise BackupError(
                "Format de sauvegarde inconnu : cette version d'OpenCLS ne sait pas la restaurer."
            )
        expected = manifest.get("members") or {}
        if DATA_JSON not in expected:
            raise BackupError("La sauvegarde ne contient pas la base de données.")
        directory = Path(tempfile.mkdtemp(prefix="opencls-restore-"))
        try:
            seen = set()
            for member in tar:
                if member.name == MANIFEST:
                    continue
                if member.name not in expected or not member.isfile() or not _safe_member_name(member.name):
                    raise BackupError(f"Élément inattendu dans l'archive : « {member.name} ».")
                target = directory / member.name
                target.parent.mkdir(parents=True, exist_ok=True)
                digest = hashlib.sha256()
                size = 0
                with tar.extractfile(member) as source, open(target, "wb") as out:
                    while chunk := source.read(CHUNK):
                        digest.update(chunk)
                        size += len(chunk)
                        out.write(chunk)
                want = expected[member.name]
                if digest.hexdigest() != want["sha256"] or size != want["size"]:
                    raise BackupError(
                        f"Somme de contrôle incorrecte pour « {member.name} » : archive altérée ou incomplète."
                    )
                seen.add(member.name)
            if missing := sorted(set(expected) - seen):
                raise BackupError(f"Éléments manquants dans l'archive : {', '.join(missing[:5])}.")
        except BaseException:
            shutil.rmtree(directory, ignore_errors=True)
            raise
    return manifest, directory


def instance_is_empty(using=DEFAULT_DB_ALIAS) -> bool:
    from opencls.accounts.models import User
    from opencls.contracts.models import Contract

    connection = connections[using]
    tables = set(connection.introspection.table_names())
    if User._meta.db_table not in tables:
        return True
    return not User.objects.using(using).exists() and not (
        Contract._meta.db_table in tables and Contract.objects.using(using).exists()
    )


def _check_migrations(manifest: dict, using: str) -> list[tuple[str, str]]:
    """The archive's leaf migrations; refuses an archive made by a newer OpenCLS."""
    executor = MigrationExecutor(connections[using])
    graph = executor.loader.graph
    applied = {(app, name) for app, names in manifest["migrations"].items() for name in names}
    unknown = sorted(node for node in applied if node not in graph.nodes)
    if unknown:
        raise BackupError(
            "Cette sauvegarde vient d'une version plus récente d'OpenCLS (migrations inconnues : "
            + ", ".join(f"{a}.{n}" for a, n in unknown[:5])
            + "). Installez cette version avant de restaurer."
        )
    return sorted(
        node for node in applied if not any(child.key in applied for child in graph.node_map[node].children)
    )


def _psql_restore(sql_path: Path, using: str) -> None:
    """Drop the public schema and replay the dump, all in one psql transaction."""
    connection = connections[using]
    connection.close()
    args, env = _pg_command_env(connection.settings_dict)
    prelude = b"DROP SCHEMA IF EXISTS public CASCADE;\nCREATE SCHEMA public;\n"
    with open(sql_path, "rb") as dump:
        script = tempfile.TemporaryFile()
        script.write(prelude)
        shutil.copyfileobj(dump, script, CHUNK)
        script.seek(0)
        result = subprocess.run(
            ["psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "--single-transaction", *args],
            stdin=script,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            env=env,
        )
        script.close()
    if result.returncode != 0:
        raise BackupError(
            "La restauration PostgreSQL a échoué ; la base est inchangée : "
            + result.stderr.decode(errors="replace")[:500]
        )


def _json_restore(data_path: Path, leaves: list[tuple[str, str]], using: str) -> None:
    # Bring the schema to the archive's state, load the rows in one transaction, then migrate on.
    executor = MigrationExecutor(connections[using])
    executor.loader.check_consistent_history(connections[using])
    executor.migrate(leaves)
    # The archive holds the history tables themselves: loading the rows (and their many-to-many
    # links, which send signals even on a raw load) must not write history rows of its own.
    with transaction.atomic(using=using), override_settings(SIMPLE_HISTORY_ENABLED=False):
        call_command("flush", interactive=False, database=using, verbosity=0)
        call_command("loaddata", str(data_path), database=using, verbosity=0)


def restore_backup(archive, *, force=False, using=DEFAULT_DB_ALIAS, stdout=None) -> RestoreReport:
    manifest, directory = read_and_verify(archive)
    written: list[str] = []
    try:
        leaves = _check_migrations(manifest, using)
        if not force and not instance_is_empty(using):
            raise BackupError(
                "La base de données n'est pas vide (comptes ou contrats présents) : la restauration "
                "remplacerait ces données. Relancez avec --force pour les remplacer."
            )
        media_root = directory / "media"
        names = [str(p.relative_to(media_root)) for p in sorted(media_root.rglob("*")) if p.is_file()]
        if not force:
            if existing := [name for name in names if default_storage.exists(name)]:
                raise BackupError(
                    f"Le fichier « {existing[0]} » existe déjà dans le stockage : relancez avec --force."
                )
        try:
            for name in names:
                if default_storage.exists(name):
                    default_storage.delete(name)
                with open(media_root / name, "rb") as source:
                    saved = default_storage.save(name, File(source, name=name))
                written.append(saved)
                if saved != name:
                    raise BackupError(
                        f"Le stockage a renommé « {name} » en « {saved} » : restauration annulée."
                    )
            vendor = connections[using].vendor
            pg_sql = directory / PG_SQL
            if vendor == "postgresql" and pg_sql.exists() and shutil.which("psql"):
                method = "psql"
                _psql_restore(pg_sql, using)
            else:
                method = "loaddata"
                _json_restore(directory / DATA_JSON, leaves, using)
        except BaseException:
            for name in written:
                default_storage.delete(name)
            raise
        call_command("migrate", database=using, interactive=False, verbosity=0)
        counts = model_counts(using)
    finally:
        shutil.rmtree(directory, ignore_errors=True)
    if stdout:
        stdout.write(
            f"Restauration terminée ({method}) : {counts.get('contracts.Contract', 0)} contrats, "
            f"{counts.get('accounts.User', 0)} comptes, {len(names)} fichiers.\n"
        )
    return RestoreReport(method=method, files=len(names), counts=counts)
