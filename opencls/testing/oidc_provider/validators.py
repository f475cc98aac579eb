from django.conf import settings
from oauth2_provider.oauth2_validators import OAuth2Validator


class ProConnectLikeValidator(OAuth2Validator):
    """Claims named and scoped as ProConnect sends them, read from the provider's JSON config."""

    oidc_claim_scope = {
        "sub": "openid",
        "uid": "openid",
        "email": "email",
        "email_verified": "email",
        "given_name": "given_name",
        "usual_name": "usual_name",
        "siret": "siret",
    }

    def get_additional_claims(self, request):
        person = next(p for p in settings.CONFIG["users"] if p["username"] == request.user.username)
        claims = {"uid": person["username"], **person["claims"]}
        return claims
