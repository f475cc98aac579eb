"""Upgrades: every migration goes back and forth, and an instance of the previous release, with its
data, migrates to this code and still answers.

Both run manage.py in subprocesses against a scratch database of the same vendor as the suite's
(a SQLite file, or a new PostgreSQL database dropped afterwards)."""

import json
import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings

PREVIOUS_RELEASE = "4c8f873"  # the last landed release before this one
TIMEOUT = 600


@pytest.fixture
def scratch_database(tmp_path):
    """A DATABASE_URL for an empty database of the suite's vendor."""
    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("sqlite3"):
        yield f"sqlite:///{tmp_path / 'scratch.sqlite3'}"
        return
    name = f"opencls_scratch_{uuid.uuid4().hex[:12]}"
    args = [
        "-h",
        database["HOST"] or "127.0.0.1",
        "-p",
        str(database["PORT"] or 5432),
        "-U",
        database["USER"],
    ]
    env = {**os.environ, **({"PGPASSWORD": database["PASSWORD"]} if database.get("PASSWORD") else {})}
    subprocess.run(["createdb", *args, name], check=True, env=env, timeout=60)
    password = f":{database['PASSWORD']}" if database.get("PASSWORD") else ""
    try:
        yield (
            f"postgres://{database['USER']}{password}@{database['HOST'] or '127.0.0.1'}:"
            f"{database['PORT'] or 5432}/{name}"
        )
    finally:
        subprocess.run(["dropdb", *args, "--force", name], env=env, timeout=60)


def manage(code_dir: Path, database_url: str, media: Path, *args: str) -> str:
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "PYTHONPATH"}}
    env.update(DATABASE_URL=database_url, MEDIA_ROOT=str(media), DJANGO_SETTINGS_MODULE="config.settings")
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=code_dir,
        env=env,
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )
    assert result.returncode == 0, (
        f"manage.py {' '.join(args)} ({code_dir}):\n{result.stdout[-2000:]}\n{result.stderr[-4000:]}"
    )
    return result.stdout


def test_every_migration_goes_back_to_zero_and_forward_again(scratch_database, tmp_path):
    here = Path(settings.BASE_DIR)
    manage(here, scratch_database, tmp_path, "migrate", "--verbosity", "0")
    our_apps = [config.label for config in apps.get_app_configs() if config.name.startswith("opencls.")]
    for label in our_apps:
        if (Path(apps.get_app_config(label).path) / "migrations").is_dir():
            manage(here, scratch_database, tmp_path, "migrate", label, "zero", "--verbosity", "0")
    plan = manage(here, scratch_database, tmp_path, "showmigrations", "--plan")
    assert not [line for line in plan.splitlines() if line.startswith("[X]") and "opencls" in line]
    manage(here, scratch_database, tmp_path, "migrate", "--verbosity", "0")
    manage(here, scratch_database, tmp_path, "migrate", "--check")  # nothing left unapplied


def _previous_release(tmp_path) -> Path:
    here = Path(settings.BASE_DIR)
    if shutil.which("git") is None or not (here / ".git").exists():
        pytest.skip("pas de dépôt git : la version précédente n'est pas disponible")
    known = subprocess.run(["git", "cat-file", "-e", f"{PREVIOUS_RELEASE}^{{commit}}"], cwd=here)
    if known.returncode != 0:
        pytest.skip(f"le commit {PREVIOUS_RELEASE} n'est pas dans ce clone (clone superficiel)")
    old = tmp_path / "previous"
    old.mkdir()
    archive = subprocess.run(["git", "archive", PREVIOUS_RELEASE], cwd=here, capture_output=True, check=True)
    subprocess.run(["tar", "-x", "-C", str(old)], input=archive.stdout, check=True)
    return old


def test_the_previous_release_with_its_demo_upgrades_and_still_answers(scratch_database, tmp_path):
    """Same virtualenv: the previous release has the same dependencies minus the new ones."""
    old = _previous_release(tmp_path)
    media = tmp_path / "media"
    manage(old, scratch_database, media, "migrate", "--verbosity", "0")
    manage(old, scratch_database, media, "load_demo")
    before = json.loads(manage(old, scratch_database, media, "export_contract", "1"))["contract"]

    here = Path(settings.BASE_DIR)
    manage(here, scratch_database, media, "migrate", "--verbosity", "0")
    manage(here, scratch_database, media, "migrate", "--check")
    result = json.loads(manage(here, scratch_database, media, "smoke_check").strip().splitlines()[-1])
    assert result["failures"] == []
    assert result["contracts"] == 2 and result["pages"] > 20

    after = json.loads(manage(here, scratch_database, media, "export_contract", "1"))["contract"]
    assert after["title"] == before["title"]
    assert [a["code"] for axis in after["axes"] for a in axis["actions"]] == [
        a["code"] for axis in before["axes"] for a in axis["actions"]
    ]
