"""The deploy/ files are syntax-checked with the real tools when the machine has them."""

import shutil
import subprocess

import pytest
from django.conf import settings

DEPLOY = settings.BASE_DIR / "deploy"
NGINX = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/sbin")
UNITS = ["opencls.service", "opencls-worker.service", "opencls-daily.service", "opencls-daily.timer"]


def installed_units(tmp_path, extra=None):
    """The units with /srv/opencls pointing at this checkout (verify wants real executables)."""
    for name in UNITS:
        text = (DEPLOY / name).read_text().replace("/srv/opencls", str(settings.BASE_DIR))
        (tmp_path / name).write_text(text)
    if extra:
        (tmp_path / extra[0]).write_text(extra[1])
    return tmp_path


def verify(directory, names):
    return subprocess.run(
        ["systemd-analyze", "verify", *names], cwd=directory, capture_output=True, text=True, timeout=60
    )


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze absent (pas de systemd)")
def test_systemd_units_verify_cleanly(tmp_path):
    result = verify(installed_units(tmp_path), UNITS)
    assert result.returncode == 0 and not result.stderr.strip(), result.stderr
    # The check can fail: a unit with an unknown key is reported.
    broken = "[Unit]\nDescription=x\n[Service]\nExecStrat=/bin/true\nExecStart=/bin/true\n"
    result = verify(installed_units(tmp_path, ("broken.service", broken)), ["broken.service"])
    assert "Unknown key 'ExecStrat'" in result.stderr


def test_units_run_what_the_repository_provides():
    from django.core.management import get_commands

    worker = (DEPLOY / "opencls-worker.service").read_text()
    web = (DEPLOY / "opencls.service").read_text()
    daily = (DEPLOY / "opencls-daily.service").read_text()
    assert "manage.py db_worker --no-reload" in worker and "config/gunicorn.py" in web
    assert "manage.py run_periodic" in daily and "run_periodic" in get_commands()
    assert "OnCalendar=" in (DEPLOY / "opencls-daily.timer").read_text()


NGINX_MAIN = """
pid {dir}/nginx.pid;
error_log {dir}/error.log;
events {{}}
http {{
  access_log off;
  client_body_temp_path {dir}/body; proxy_temp_path {dir}/proxy; fastcgi_temp_path {dir}/fastcgi;
  uwsgi_temp_path {dir}/uwsgi; scgi_temp_path {dir}/scgi;
  include {site};
}}
"""


def nginx_test(tmp_path, site_text):
    # A throwaway certificate stands for the real one; paths point into the temporary directory.
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=opencls.test",
         "-keyout", str(tmp_path / "key.pem"), "-out", str(tmp_path / "cert.pem")],
        check=True, capture_output=True, timeout=60,
    )  # fmt: skip
    site = tmp_path / "opencls.conf"
    site.write_text(
        site_text.replace("/etc/ssl/certs/ssl-cert-snakeoil.pem", str(tmp_path / "cert.pem"))
        .replace("/etc/ssl/private/ssl-cert-snakeoil.key", str(tmp_path / "key.pem"))
        .replace("/srv/opencls", str(settings.BASE_DIR))
    )
    main = tmp_path / "nginx.conf"
    main.write_text(NGINX_MAIN.format(dir=tmp_path, site=site))
    return subprocess.run(
        [NGINX, "-t", "-c", str(main), "-p", str(tmp_path)], capture_output=True, text=True, timeout=60
    )


@pytest.mark.skipif(
    NGINX is None,
    reason="nginx absent : apt-get install nginx-light pour vérifier deploy/nginx.conf",
)
@pytest.mark.skipif(shutil.which("openssl") is None, reason="openssl absent")
def test_nginx_configuration_passes_nginx_t(tmp_path):
    text = (DEPLOY / "nginx.conf").read_text()
    result = nginx_test(tmp_path, text)
    assert result.returncode == 0 and "test is successful" in result.stderr, result.stderr
    broken = nginx_test(tmp_path, text.replace("client_max_body_size 25m;", "client_max_body_size;"))
    assert broken.returncode != 0
    for directive in ("client_max_body_size 25m;", "proxy_read_timeout 65s;", "X-Request-ID $request_id"):
        assert directive in text
