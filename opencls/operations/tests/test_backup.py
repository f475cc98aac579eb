"""Backup → restore into an empty instance gives back every contract and every evidence file."""

import hashlib
import io
import json
import tarfile

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection

from opencls.accounts.models import User
from opencls.actions.models import Deliverable
from opencls.contracts.io import contract_to_json_text
from opencls.contracts.models import Contract
from opencls.monitoring.models import Evidence
from opencls.monitoring.services import evidence_add
from opencls.operations.backup import model_counts

pytestmark = pytest.mark.django_db(transaction=True)


def _demo_with_evidence():
    call_command("load_demo")
    coordinator = User.objects.get(username="coordination")
    for index, deliverable in enumerate(Deliverable.objects.order_by("pk")[:3]):
        evidence_add(
            user=coordinator,
            deliverable=deliverable,
            uploaded_file=SimpleUploadedFile(
                f"feuille-{index}.pdf", b"%PDF-1.4 preuve " + bytes([index]) * 500
            ),
            description=f"Preuve {index}",
        )


def _snapshot():
    exports = {c.pk: contract_to_json_text(c) for c in Contract.objects.order_by("pk")}
    files = {}
    for evidence in Evidence.objects.order_by("pk"):
        with default_storage.open(evidence.file.name, "rb") as f:
            files[evidence.file.name] = hashlib.sha256(f.read()).hexdigest()
    return exports, files


def _empty_instance(settings, tmp_path):
    call_command("flush", interactive=False, verbosity=0)
    settings.MEDIA_ROOT = tmp_path / "other-media"


def test_round_trip_of_a_full_demo_instance(settings, tmp_path):
    _demo_with_evidence()
    exports, files = _snapshot()
    counts = model_counts()
    assert len(exports) == 2 and len(files) == 3
    archive = tmp_path / "sauvegarde.tar.gz"
    call_command("backup", output=str(archive), stdout=io.StringIO())

    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
        names = set(tar.getnames())
    assert manifest["database"]["vendor"] == connection.vendor
    assert manifest["counts"]["contracts.Contract"] == 2
    assert "contracts" in manifest["migrations"]
    assert names == set(manifest["members"]) | {"manifest.json"}
    assert {f"media/{name}" for name in files} <= names
    if connection.vendor == "postgresql":
        assert manifest["database"]["method"] == "pg_dump"

    _empty_instance(settings, tmp_path)
    assert not Contract.objects.exists() and not default_storage.exists(next(iter(files)))
    out = io.StringIO()
    call_command("restore", str(archive), stdout=out)
    assert "Restauration terminée" in out.getvalue()

    assert _snapshot() == (exports, files)
    assert model_counts() == counts
    assert User.objects.get(username="coordination").check_password("opencls-demo")


def test_restore_refuses_a_non_empty_instance_unless_forced(settings, tmp_path):
    _demo_with_evidence()
    exports, files = _snapshot()
    archive = tmp_path / "sauvegarde.tar.gz"
    call_command("backup", output=str(archive), stdout=io.StringIO())
    Contract.objects.filter(pk=min(exports)).update(title="Modifié après la sauvegarde")

    with pytest.raises(CommandError, match="n'est pas vide"):
        call_command("restore", str(archive))
    assert Contract.objects.get(pk=min(exports)).title == "Modifié après la sauvegarde"

    call_command("restore", str(archive), force=True, stdout=io.StringIO())
    assert _snapshot() == (exports, files)


def _rewrite(archive, target, change):
    """Copy the archive, passing each member's bytes through change(name, data)."""
    with tarfile.open(archive) as src, tarfile.open(target, "w:gz") as dst:
        for member in src:
            data = change(member.name, src.extractfile(member).read())
            member.size = len(data)
            dst.addfile(member, io.BytesIO(data))


def test_restore_checks_every_checksum_before_touching_anything(settings, tmp_path):
    _demo_with_evidence()
    archive = tmp_path / "sauvegarde.tar.gz"
    call_command("backup", output=str(archive), stdout=io.StringIO())
    _empty_instance(settings, tmp_path)
    tampered = tmp_path / "alteree.tar.gz"
    _rewrite(archive, tampered, lambda name, data: data + b"x" if name.startswith("media/") else data)

    with pytest.raises(CommandError, match="Somme de contrôle incorrecte"):
        call_command("restore", str(tampered))
    assert not User.objects.exists()
    assert not (tmp_path / "other-media").exists()

    with pytest.raises(CommandError, match="Archive illisible"):
        (tmp_path / "rien.tar.gz").write_bytes(b"pas une archive")
        call_command("restore", str(tmp_path / "rien.tar.gz"))


def test_a_failing_database_load_leaves_nothing_behind(settings, tmp_path):
    _demo_with_evidence()
    archive = tmp_path / "sauvegarde.tar.gz"
    call_command("backup", output=str(archive), stdout=io.StringIO(), no_pg_dump=True)
    _empty_instance(settings, tmp_path)

    def break_last_row(name, data):
        if name != "database/data.json":
            return data
        rows = json.loads(data)
        rows.append({"model": "contracts.contract", "pk": 999999, "fields": {"territory": 424242}})
        return json.dumps(rows).encode()

    broken = tmp_path / "cassee.tar.gz"
    with tarfile.open(archive) as src:
        manifest = json.load(src.extractfile("manifest.json"))
        data = break_last_row("database/data.json", src.extractfile("database/data.json").read())
    manifest["members"]["database/data.json"] = {
        "sha256": hashlib.sha256(data).hexdigest(),
        "size": len(data),
    }
    _rewrite(
        archive,
        broken,
        lambda name, raw: (
            json.dumps(manifest).encode() if name == "manifest.json" else break_last_row(name, raw)
        ),
    )

    with pytest.raises(Exception):  # noqa: B017 - the database's own integrity error
        call_command("restore", str(broken))
    assert not User.objects.exists() and not Contract.objects.exists()
    media = tmp_path / "other-media"
    assert not media.exists() or not any(p.is_file() for p in media.rglob("*"))
