"""The app served the production way, in subprocesses: `check --deploy`, collectstatic, gunicorn
with config/gunicorn.py, then real HTTP requests (static files, secure headers, DSFR 404, logs)."""

import json
import urllib.error
import urllib.request

import pytest

from opencls.testing import processes


def test_check_deploy_is_clean_under_production_settings():
    result = processes.manage(
        "check", "--deploy", "--fail-level", "WARNING", env=processes.environment(), timeout=120
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def fetch(url, **headers):
    """(status, headers, body) without following redirects nor raising on 4xx/5xx."""
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(urllib.request.Request(url, headers=headers), timeout=30) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


HTTPS = {"X-Forwarded-Proto": "https"}  # what deploy/nginx.conf sends behind TLS


@pytest.mark.django_db(transaction=True)
def test_gunicorn_serves_static_files_secure_headers_and_the_dsfr_404(tmp_path):
    env = processes.environment(
        DATABASE_URL=processes.database_url(tmp_path),
        STATIC_ROOT=str(tmp_path / "static"),
        MEDIA_ROOT=str(tmp_path / "media"),
        GUNICORN_LOGLEVEL="debug",
    )
    collected = processes.manage("collectstatic", "--noinput", "-v0", env=env)
    assert collected.returncode == 0, collected.stderr
    manifest = json.loads((tmp_path / "static" / "staticfiles.json").read_text())["paths"]
    css = manifest["opencls/opencls.css"]
    assert css != "opencls/opencls.css"  # hashed name

    with processes.gunicorn(env, tmp_path / "gunicorn.log") as base:
        # Plain HTTP is sent to HTTPS (health probes excepted).
        status, headers, _ = fetch(f"{base}/comptes/connexion/")
        assert status == 301 and headers["Location"].startswith("https://")
        assert fetch(f"{base}/sante/")[0] == 200

        status, headers, body = fetch(f"{base}/comptes/connexion/", **HTTPS)
        assert status == 200 and b"fr-header" in body
        assert headers["Strict-Transport-Security"].startswith("max-age=31536000")
        assert headers["X-Frame-Options"] == "DENY" and headers["X-Content-Type-Options"] == "nosniff"
        assert "default-src 'self'" in headers["Content-Security-Policy"]
        assert headers["Set-Cookie"].startswith("csrftoken=") and "; Secure" in headers["Set-Cookie"]
        assert f"/static/{css}".encode() in body

        status, headers, body = fetch(f"{base}/static/{css}", **HTTPS)
        assert status == 200 and b"{" in body and "max-age=315360000" in headers["Cache-Control"]

        status, headers, body = fetch(
            f"{base}/cette-page/nexiste-pas/", **HTTPS, **{"X-Request-ID": "essai-404-0001"}
        )
        page = body.decode()
        assert status == 404 and "Page non trouvée" in page and "fr-footer" in page
        assert "URLconf" not in page and "Traceback" not in page and "DEBUG = True" not in page
        assert headers["X-Request-ID"] == "essai-404-0001"

        status, _, body = fetch(f"{base}/sante/pret/")
        assert status == 200, body
        assert json.loads(body)["checks"]["database"]["ok"] is True

    log = (tmp_path / "gunicorn.log").read_text()
    records = [json.loads(line) for line in log.splitlines() if line.startswith("{")]
    not_found = [r for r in records if r.get("request_id") == "essai-404-0001"]
    assert not_found == [not_found[0]] and not_found[0]["logger"] == "gunicorn.access"
    assert not_found[0]["status"] == 404 and not_found[0]["path"] == "/cette-page/nexiste-pas/"
    # Each worker froze the objects loaded at start-up once warmed up (issue 15's GC pauses).
    frozen = [line for line in log.splitlines() if "gc.freeze() after warm-up" in line]
    assert frozen and all(int(line.split(": ")[-1].split()[0]) > 50_000 for line in frozen)
