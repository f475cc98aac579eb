"""Serve the test provider: python -m opencls.testing.oidc_provider.server CONFIG.json PORT

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


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
