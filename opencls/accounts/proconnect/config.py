"""ProConnect settings, resolved in one place.

Explicit endpoints (PROCONNECT_*_ENDPOINT) win; otherwise they come from the provider's discovery
document (PROCONNECT_DISCOVERY_URL, or PROCONNECT_ISSUER + /.well-known/openid-configuration),
fetched on first use and kept for an hour. ProConnect is off while no client is configured.
"""

import time

import requests
from django.conf import settings
from mozilla_django_oidc.utils import import_from_settings

# mozilla-django-oidc setting (or ours) -> key of the discovery document
ENDPOINTS = {
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "authorization_endpoint",
    "OIDC_OP_TOKEN_ENDPOINT": "token_endpoint",
    "OIDC_OP_USER_ENDPOINT": "userinfo_endpoint",
    "OIDC_OP_JWKS_ENDPOINT": "jwks_uri",
    "PROCONNECT_END_SESSION_ENDPOINT": "end_session_endpoint",
}
DISCOVERY_SECONDS = 3600
_documents: dict[str, tuple[float, dict]] = {}


class ProConnectUnavailable(Exception):
    """The provider's discovery document could not be read."""


def discovery_url() -> str:
    explicit = getattr(settings, "PROCONNECT_DISCOVERY_URL", "")
    if explicit:
        return explicit
    issuer = getattr(settings, "PROCONNECT_ISSUER", "")
    return f"{issuer.rstrip('/')}/.well-known/openid-configuration" if issuer else ""


def is_enabled() -> bool:
    client = getattr(settings, "OIDC_RP_CLIENT_ID", "") and getattr(settings, "OIDC_RP_CLIENT_SECRET", "")
    provider = discovery_url() or getattr(settings, "OIDC_OP_AUTHORIZATION_ENDPOINT", "")
    return bool(client and provider)


def discovery() -> dict:
    url = discovery_url()
    if not url:
        return {}
    cached = _documents.get(url)
    if cached and cached[0] > time.monotonic():
        return cached[1]
    try:
        response = requests.get(url, timeout=getattr(settings, "OIDC_TIMEOUT", 10))
        response.raise_for_status()
        document = response.json()
    except (requests.RequestException, ValueError) as exc:
        raise ProConnectUnavailable(str(exc)) from exc
    if not isinstance(document, dict):
        raise ProConnectUnavailable("discovery document is not a JSON object")
    _documents[url] = (time.monotonic() + DISCOVERY_SECONDS, document)
    return document


def forget_discovery() -> None:
    _documents.clear()


def issuer() -> str:
    return getattr(settings, "PROCONNECT_ISSUER", "") or discovery().get("issuer", "")


def use_pkce() -> bool:
    mode = str(getattr(settings, "PROCONNECT_PKCE", "auto")).strip().lower()
    if mode in {"1", "true", "yes", "on"}:
        return True
    if mode in {"0", "false", "no", "off"}:
        return False
    # auto: only when the provider says it checks S256 (an unknown parameter is refused by ProConnect).
    return "S256" in discovery().get("code_challenge_methods_supported", []) if discovery_url() else False


def get_setting(attr, *default):
    """mozilla-django-oidc's get_settings(), with endpoints and PKCE resolved as above."""
    if attr in ENDPOINTS:
        value = getattr(settings, attr, "") or discovery().get(ENDPOINTS[attr], "")
        return value or (default[0] if default else value)
    if attr == "OIDC_USE_PKCE":
        return use_pkce()
    return import_from_settings(attr, *default)
