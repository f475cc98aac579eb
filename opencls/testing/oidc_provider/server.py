"""Serve the test provider: python -m opencls.testing.oidc_provider.server CONFIG.json PORT

Or `… server --demo PORT`: a configuration for OpenCLS's runserver on 127.0.0.1:8000, with the
users of opencls/testing/oidc.py, written to a temporary folder.

Migrates its own SQLite database, creates the client application and the users listed in the
config, then serves on 127.0.0.1:PORT until terminated.
"""

import os
import sys


def main(config_path: str, port: int) -> None:
    os.environ["OPENCLS_TEST_OIDC_CONFIG"] = config_path
    os.environ["DJANGO_SETTINGS_MODULE"] = "opencls.testing.oidc_provider.settings"
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth.models import User
    from django.core.management import call_command
    from django.core.servers.basehttp import run
    from django.core.wsgi import get_wsgi_application
    from oauth2_provider.models import get_application_model

    call_command("migrate", verbosity=0)
    client = settings.CONFIG["client"]
    get_application_model().objects.create(
        name="OpenCLS",
        client_id=client["id"],
        client_secret=client["secret"],
        client_type="confidential",
        authorization_grant_type="authorization-code",
        redirect_uris=client["redirect_uri"],
        post_logout_redirect_uris=client["post_logout_redirect_uri"],
        algorithm="RS256",
        skip_authorization=False,
    )
    for person in settings.CONFIG["users"]:
        User.objects.create_user(person["username"], password=person["password"])
    run("127.0.0.1", port, get_wsgi_application(), ipv6=False, threading=True)


def demo_config(port: int) -> str:
    import json
    import tempfile
    from pathlib import Path

    from opencls.testing.oidc import PASSWORD, USERS, Provider, rsa_private_key_pem

    folder = Path(tempfile.mkdtemp(prefix="oidc-provider-"))
    provider = Provider(issuer=f"http://127.0.0.1:{port}/o")
    config = {
        "database": str(folder / "provider.sqlite3"),
        "issuer": provider.issuer,
        "rsa_private_key": rsa_private_key_pem(),
        "client": {
            "id": provider.client_id,
            "secret": provider.client_secret,
            "redirect_uri": "http://127.0.0.1:8000/comptes/proconnect/retour/",
            "post_logout_redirect_uri": "http://127.0.0.1:8000/comptes/proconnect/deconnexion/",
        },
        "users": [
            {"username": name, "password": PASSWORD, "claims": claims} for name, claims in USERS.items()
        ],
    }
    (folder / "config.json").write_text(json.dumps(config))
    print(
        f"PROCONNECT_CLIENT_ID={provider.client_id} PROCONNECT_CLIENT_SECRET={provider.client_secret} "
        f"PROCONNECT_ISSUER={provider.issuer} .venv/bin/python manage.py runserver 127.0.0.1:8000\n"
        f"Utilisateurs du fournisseur : {', '.join(USERS)} (mot de passe : {PASSWORD})",
        flush=True,
    )
    return str(folder / "config.json")


if __name__ == "__main__":
    if sys.argv[1] == "--demo":
        main(demo_config(int(sys.argv[2])), int(sys.argv[2]))
    else:
        main(sys.argv[1], int(sys.argv[2]))
