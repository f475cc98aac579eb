import json
import os
import subprocess
import sys

import pytest
from bs4 import BeautifulSoup
from django.conf import settings
from django.urls import reverse

READ_SETTINGS = """
import json
import django
from django.conf import settings
django.setup()
print(json.dumps({
    "DEBUG": settings.DEBUG,
    "SECRET_KEY": settings.SECRET_KEY,
    "ALLOWED_HOSTS": settings.ALLOWED_HOSTS,
    "ENGINE": settings.DATABASES["default"]["ENGINE"],
    "NAME": settings.DATABASES["default"]["NAME"],
    "SESSION_COOKIE_SECURE": settings.SESSION_COOKIE_SECURE,
    "CSRF_COOKIE_SECURE": settings.CSRF_COOKIE_SECURE,
    "SECURE_SSL_REDIRECT": getattr(settings, "SECURE_SSL_REDIRECT", False),
    "SECURE_HSTS_SECONDS": getattr(settings, "SECURE_HSTS_SECONDS", 0),
}))
"""
ENVIRONMENT_KEYS = ("DJANGO_DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "SECURE_SSL_REDIRECT")


def load_settings(**environment):
    """Import the settings in a fresh interpreter with exactly the given OpenCLS variables."""
    env = {key: value for key, value in os.environ.items() if key not in ENVIRONMENT_KEYS}
    env.update(DJANGO_SETTINGS_MODULE="config.settings", **environment)
    return subprocess.run(
        [sys.executable, "-c", READ_SETTINGS],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_production_refuses_to_start_without_secret_key():
    result = load_settings(DJANGO_DEBUG="false")
    assert result.returncode != 0
    assert "ImproperlyConfigured: SECRET_KEY doit être défini quand DJANGO_DEBUG=false." in result.stderr


def test_production_settings_come_from_the_environment_with_secure_defaults():
    result = load_settings(
        DJANGO_DEBUG="false",
        SECRET_KEY="une-cle-de-production-tres-longue",
        ALLOWED_HOSTS="cls.exemple.fr,www.cls.exemple.fr",
        DATABASE_URL="postgres://opencls:secret@db.exemple.fr:5432/opencls",
    )
    assert result.returncode == 0, result.stderr
    loaded = json.loads(result.stdout)
    assert loaded == {
        "DEBUG": False,
        "SECRET_KEY": "une-cle-de-production-tres-longue",
        "ALLOWED_HOSTS": ["cls.exemple.fr", "www.cls.exemple.fr"],
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "opencls",
        "SESSION_COOKIE_SECURE": True,
        "CSRF_COOKIE_SECURE": True,
        "SECURE_SSL_REDIRECT": True,
        "SECURE_HSTS_SECONDS": 31536000,
    }


def test_development_needs_nothing_and_keeps_plain_http_cookies():
    result = load_settings()
    assert result.returncode == 0, result.stderr
    loaded = json.loads(result.stdout)
    assert loaded["DEBUG"] is True
    assert loaded["ENGINE"] == "django.db.backends.sqlite3"
    assert loaded["SESSION_COOKIE_SECURE"] is False
    assert loaded["CSRF_COOKIE_SECURE"] is False


@pytest.mark.django_db
def test_pages_carry_a_content_security_policy_with_a_nonce_for_their_scripts(client):
    response = client.get(reverse("accounts:login"))
    policy = dict(
        directive.strip().split(" ", 1)
        for directive in response["Content-Security-Policy"].split(";")
        if directive
    )
    assert policy["default-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["form-action"] == "'self'"
    assert "'unsafe-inline'" not in policy["script-src"]
    scripts = BeautifulSoup(response.content, "html.parser").find_all("script")
    assert scripts
    for script in scripts:
        # Every script of the page is one the policy lets run: served by the site itself, or
        # carrying the nonce of the header.
        if script.get("src", "").startswith("/") and not script["src"].startswith("//"):
            continue
        assert f"'nonce-{script.get('nonce')}'" in policy["script-src"].split(), script
    assert any(script.get("nonce") for script in scripts)


@pytest.mark.django_db
def test_pages_carry_the_other_security_headers(client):
    response = client.get(reverse("accounts:login"))
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
