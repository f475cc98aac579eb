"""Authentication backend for the ProConnect callback (mozilla-django-oidc, stricter checks)."""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from opencls.accounts.proconnect import config
from opencls.accounts.proconnect.claims import ProConnectRefusal, identity_from_claims


class ProConnectBackend(OIDCAuthenticationBackend):
    get_settings = staticmethod(config.get_setting)

    def __init__(self, *args, **kwargs):
        # django.contrib.auth builds every backend for every login, ProConnect configured or not:
        # the provider is read only when a ProConnect callback is being authenticated.
        self.UserModel = get_user_model()

    def authenticate(self, request, **kwargs):
        if request is None or "nonce" not in kwargs or not config.is_enabled():
            return None
        super().__init__()
        return super().authenticate(request, **kwargs)

    def verify_token(self, token, **kwargs):
        """Signature and nonce (mozilla-django-oidc), then audience and issuer.

        Called for the ID token (with a nonce) and for ProConnect's signed userinfo (without).
        """
        payload = super().verify_token(token, **kwargs)
        is_id_token = "nonce" in kwargs
        audience = payload.get("aud")
        audiences = [audience] if isinstance(audience, str) else list(audience or [])
        if (audience is not None or is_id_token) and self.OIDC_RP_CLIENT_ID not in audiences:
            raise SuspiciousOperation("ProConnect token audience is not this client.")
        expected_issuer = config.issuer()
        if expected_issuer and (payload.get("iss") is not None or is_id_token):
            if payload.get("iss") != expected_issuer:
                raise SuspiciousOperation("ProConnect token issuer is not the configured one.")
        return payload

    def get_or_create_user(self, access_token, id_token, payload):
        from opencls.accounts.services import proconnect_sign_in

        claims = self.get_userinfo(access_token, id_token, payload)
        if not isinstance(claims, dict) or claims.get("sub") != payload.get("sub"):
            raise SuspiciousOperation("ProConnect userinfo does not describe the ID token's subject.")
        try:
            user, notices = proconnect_sign_in(identity_from_claims(claims))
        except ProConnectRefusal as refusal:
            # The callback view shows it; PermissionDenied stops django.contrib.auth here.
            self.request.proconnect_error = refusal.message
            raise PermissionDenied(refusal.message) from refusal
        self.request.proconnect_notices = notices
        return user


def is_proconnect_attempt(request, credentials=None) -> bool:
    """For django-axes (AXES_WHITELIST_CALLABLE): a ProConnect callback guesses no password.

    Its failures (unknown SIRET, unverified e-mail…) carry no username; counting them would lock
    ProConnect for everyone behind the same address (a whole ARS office) after five refusals.
    """
    return bool(credentials) and "nonce" in credentials and not credentials.get("username")
