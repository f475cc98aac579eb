import copy
import io
import json
import logging.config

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, override_settings

from opencls.testing.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def json_log():
    """The production logging configuration (JSON formatter) writing into a buffer."""
    buffer = io.StringIO()
    config = copy.deepcopy(settings.LOGGING)
    config["handlers"]["console"].update(formatter="json", stream=buffer)
    logging.config.dictConfig(config)
    yield buffer
    logging.config.dictConfig(settings.LOGGING)


def test_request_id_is_echoed_or_made(client):
    given = client.get("/sante/", HTTP_X_REQUEST_ID="proxy-id-1234")
    assert given["X-Request-ID"] == "proxy-id-1234"
    made = client.get("/sante/")
    hostile = client.get("/sante/", HTTP_X_REQUEST_ID="x\r\nSet-Cookie: a=b" + "y" * 80)
    assert len(made["X-Request-ID"]) == 32 and made["X-Request-ID"] != hostile["X-Request-ID"]
    assert len(hostile["X-Request-ID"]) == 32


@override_settings(ROOT_URLCONF="opencls.core.tests.boom_urls")
def test_errors_are_logged_as_json_with_request_and_user_ids_but_no_secrets(json_log):
    user = UserFactory()
    client = Client(raise_request_exception=False)
    client.force_login(user)
    response = client.post(
        "/boom/",
        {
            "username": user.username,
            "password": "MotDePasseTresSecret!",
            "document": SimpleUploadedFile("bilan.txt", b"CONTENU-CONFIDENTIEL-DU-FICHIER"),
        },
        HTTP_X_REQUEST_ID="requete-0042",
    )
    assert response.status_code == 500 and response["X-Request-ID"] == "requete-0042"
    output = json_log.getvalue()
    assert "MotDePasseTresSecret" not in output and "CONTENU-CONFIDENTIEL" not in output
    records = [json.loads(line) for line in output.splitlines() if line.startswith("{")]
    error = next(r for r in records if r["logger"] == "django.request")
    assert error["level"] == "ERROR" and error["request_id"] == "requete-0042"
    assert error["user_id"] == user.pk
    assert error["request"] == "POST /boom/"
    assert "RuntimeError: la vue a échoué" in error["exc_info"]


def test_anonymous_requests_log_no_user(json_log):
    logger = logging.getLogger("opencls.test")
    logger.warning("hors requête")
    record = json.loads(json_log.getvalue().splitlines()[-1])
    assert record["message"] == "hors requête" and record["user_id"] is None and record["request_id"] is None
