"""A real OpenID Connect provider on loopback for the ProConnect tests (see oidc_provider/)."""

import copy
import json
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "mot-de-passe-du-fournisseur"
KNOWN_SIRET = "13000549100010"
UNKNOWN_SIRET = "99999999999999"

# username on the provider -> the claims it sends (ProConnect's names)
USERS = {
    "claire": {
        "email": "claire.martin@ars.sante.fr",
        "given_name": "Claire",
        "usual_name": "Martin",
        "siret": KNOWN_SIRET,
    },
    "paul": {
        "email": "Paul.Leroy@ville.fr",
        "given_name": "Paul",
        "usual_name": "Leroy",
        "siret": KNOWN_SIRET,
    },
    "nadia": {
        "email": "nadia.benali@asso.fr",
        "given_name": "Nadia",
        "usual_name": "Benali",
        "siret": KNOWN_SIRET,
        "email_verified": False,
    },
    "hugo": {
        "email": "hugo.petit@inconnu.fr",
        "given_name": "Hugo",
        "usual_name": "Petit",
        "siret": UNKNOWN_SIRET,
    },
}


@dataclass
class Provider:
    issuer: str
    client_id: str = "opencls-test"
    client_secret: str = "secret-du-client-opencls"
    users: dict = field(default_factory=lambda: USERS)

    @property
    def discovery_url(self):
        return f"{self.issuer}/.well-known/openid-configuration"

    @property
    def origin(self):
        return self.issuer.rsplit("/o", 1)[0]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def rsa_private_key_pem() -> str:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()


@pytest.fixture(scope="session")
def oidc_provider(live_server, tmp_path_factory):
    """The provider process, serving for the whole session; its client redirects to live_server."""
    port = free_port()
    provider = Provider(issuer=f"http://127.0.0.1:{port}/o")
    folder = tmp_path_factory.mktemp("oidc-provider")
    config = folder / "config.json"
    config.write_text(
        json.dumps(
            {
                "database": str(folder / "provider.sqlite3"),
                "issuer": provider.issuer,
                "rsa_private_key": rsa_private_key_pem(),
                "client": {
                    "id": provider.client_id,
                    "secret": provider.client_secret,
                    "redirect_uri": f"{live_server.url}/comptes/proconnect/retour/",
                    "post_logout_redirect_uri": f"{live_server.url}/comptes/proconnect/deconnexion/",
                },
                "users": [
                    {"username": name, "password": PASSWORD, "claims": claims}
                    for name, claims in USERS.items()
                ],
            }
        )
    )
    log = (folder / "provider.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "opencls.testing.oidc_provider.server", str(config), str(port)],
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                if requests.get(provider.discovery_url, timeout=5).ok:
                    break
            except requests.RequestException:  # not listening yet, or busy starting on a loaded machine
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(
                    f"the test OpenID provider did not start: {(folder / 'provider.log').read_text()}"
                )
            time.sleep(0.2)
        yield provider
    finally:
        process.terminate()
        process.wait(timeout=10)
        log.close()


@pytest.fixture
def proconnect(settings, oidc_provider):
    """OpenCLS configured, by settings only, against the loopback provider."""
    from opencls.accounts.proconnect import config

    config.forget_discovery()
    settings.PROCONNECT_DISCOVERY_URL = oidc_provider.discovery_url
    settings.OIDC_RP_CLIENT_ID = oidc_provider.client_id
    settings.OIDC_RP_CLIENT_SECRET = oidc_provider.client_secret
    policy = copy.deepcopy(settings.CONTENT_SECURITY_POLICY)
    policy["DIRECTIVES"]["form-action"].append(oidc_provider.origin)
    settings.CONTENT_SECURITY_POLICY = policy
    yield oidc_provider
    config.forget_discovery()
