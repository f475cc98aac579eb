"""Nothing but media on an app server: files on object storage, cache and sessions shared."""

import io
import json
import os
import subprocess
import sys
import tarfile
import uuid

import boto3
import pytest
from django.conf import settings as django_settings
from django.core.cache import caches
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from moto import mock_aws

from opencls.contracts.models import ContractRole
from opencls.monitoring.models import Evidence
from opencls.testing import factories

PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
BUCKET = "opencls-preuves"
S3_STORAGE = {
    "BACKEND": "storages.backends.s3.S3Storage",
    "OPTIONS": {
        "bucket_name": BUCKET,
        "region_name": "eu-west-3",
        "default_acl": "private",
        "file_overwrite": False,
    },
}


def _settings_in_a_new_process(env: dict, expression: str):
    """Evaluate `expression` against config.settings read by a fresh process with `env`."""
    full_env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "REDIS_URL"))}
    full_env.update(env, DJANGO_SETTINGS_MODULE="config.settings")
    code = f"import json, django; django.setup(); from django.conf import settings; print(json.dumps({expression}))"
    result = subprocess.run(
        [sys.executable, "-c", code], env=full_env, capture_output=True, text=True, timeout=60, check=True
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_environment_chooses_local_disk_or_object_storage():
    assert _settings_in_a_new_process({}, "settings.STORAGES['default']['BACKEND']") == (
        "django.core.files.storage.FileSystemStorage"
    )
    options = _settings_in_a_new_process(
        {"AWS_STORAGE_BUCKET_NAME": BUCKET, "AWS_S3_ENDPOINT_URL": "http://127.0.0.1:9000"},
        "settings.STORAGES['default']",
    )
    assert options["BACKEND"] == "storages.backends.s3.S3Storage"
    assert options["OPTIONS"]["bucket_name"] == BUCKET
    assert options["OPTIONS"]["endpoint_url"] == "http://127.0.0.1:9000"
    assert options["OPTIONS"]["default_acl"] == "private"


@pytest.fixture
def s3(settings, monkeypatch):
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
        monkeypatch.setenv(name, "test")
    with mock_aws():
        client = boto3.client("s3", region_name="eu-west-3")
        client.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-west-3"})
        settings.STORAGES = {**django_settings.STORAGES, "default": S3_STORAGE}
        yield client


@pytest.mark.django_db
def test_evidence_uploaded_and_read_back_through_the_views_on_object_storage(s3, client, settings, tmp_path):
    contract = factories.ContractFactory()
    action = factories.ActionFactory(contract=contract)
    deliverable = factories.DeliverableFactory(action=action)
    coordinator = factories.user_with_role(contract, ContractRole.Role.COORDINATOR)
    client.force_login(coordinator)

    response = client.post(
        reverse("monitoring:deliverable", args=[contract.pk, deliverable.pk]),
        {"form": "evidence", "evidence-file": SimpleUploadedFile("émargement.pdf", PDF, "application/pdf")},
    )
    assert response.status_code == 302
    evidence = Evidence.objects.get()
    stored = s3.get_object(Bucket=BUCKET, Key=evidence.file.name)
    assert stored["Body"].read() == PDF
    assert not (settings.MEDIA_ROOT / evidence.file.name).exists()  # nothing on the app server's disk

    download = client.get(reverse("monitoring:evidence", args=[contract.pk, evidence.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF

    stranger = factories.UserFactory()
    client.force_login(stranger)
    assert client.get(reverse("monitoring:evidence", args=[contract.pk, evidence.pk])).status_code in (
        403,
        404,
    )

    # The backup walks the object storage too.
    archive = tmp_path / "s3.tar.gz"
    call_command("backup", output=str(archive), stdout=io.StringIO())
    with tarfile.open(archive) as tar:
        assert tar.extractfile(f"media/{evidence.file.name}").read() == PDF


def test_environment_chooses_the_shared_cache_and_sessions():
    redis = _settings_in_a_new_process(
        {"REDIS_URL": "redis://127.0.0.1:6379/3"}, "[settings.CACHES['default'], settings.SESSION_ENGINE]"
    )
    assert redis[0]["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert redis[1] == "django.contrib.sessions.backends.cached_db"
    production = _settings_in_a_new_process(
        {"DJANGO_DEBUG": "false", "SECRET_KEY": "x" * 50},
        "[settings.CACHES['default'], settings.SESSION_ENGINE]",
    )
    assert production[0]["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"
    assert production[1] == "django.contrib.sessions.backends.db"


def _redis_up() -> bool:
    import socket

    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
        return True
    except OSError:
        return False


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("backend", ["redis", "database"])
def test_a_value_cached_by_one_process_is_seen_by_another(settings, backend):
    """What throttles and rate limits rely on: another app server sees the same counters."""
    if backend == "redis":
        if not _redis_up():
            pytest.skip("Redis ne répond pas sur 127.0.0.1:6379")
        settings.CACHES = {
            "default": {
                "BACKEND": "django.core.cache.backends.redis.RedisCache",
                "LOCATION": "redis://127.0.0.1:6379/3",
            }
        }
        env = {"REDIS_URL": "redis://127.0.0.1:6379/3"}
    else:
        settings.CACHES = {
            "default": {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "opencls_cache"}
        }
        call_command("createcachetable", verbosity=0)
        from django.db import connection

        database = connection.settings_dict
        if database["ENGINE"].endswith("sqlite3"):
            pytest.skip("une base SQLite en mémoire n'est pas partagée entre processus")
        url = (
            f"postgres://{database['USER']}@{database['HOST']}:{database['PORT'] or 5432}/{database['NAME']}"
        )
        env = {"OPENCLS_DATABASE_CACHE": "true", "DATABASE_URL": url}
    key = f"opencls-test-{uuid.uuid4().hex}"
    caches["default"].set(key, 41, 60)
    seen = _settings_in_a_new_process(
        env,
        f"__import__('django.core.cache').core.cache.cache.incr({key!r})",
    )
    assert seen == 42
    assert caches["default"].get(key) == 42
    caches["default"].delete(key)


@pytest.mark.django_db
def test_login_lockouts_are_kept_in_the_database_for_every_app_server(client):
    """Failed logins are counted in the database (axes' database handler), not in a process."""
    from axes.conf import settings as axes_settings
    from axes.models import AccessAttempt

    assert axes_settings.AXES_HANDLER == "axes.handlers.database.AxesDatabaseHandler"
    user = factories.UserFactory(username="agent")
    for _ in range(django_settings.AXES_FAILURE_LIMIT):
        client.post(reverse("accounts:login"), {"username": user.username, "password": "mauvais"})
    assert (
        AccessAttempt.objects.get(username="agent").failures_since_start == django_settings.AXES_FAILURE_LIMIT
    )
