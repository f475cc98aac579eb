import json

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import HttpResponse
from django.urls import include, path
from jwcrypto import jwk, jwt
from oauth2_provider.models import get_application_model
from oauth2_provider.views import UserInfoView


class SignedUserInfoView(UserInfoView):
    """Userinfo as ProConnect serves it: a JWT signed with the provider's key (application/jwt)."""

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        if response.status_code != 200:
            return response
        claims = json.loads(response.content)
        claims["iss"] = settings.CONFIG["issuer"]
        claims["aud"] = get_application_model().objects.get().client_id
        key = jwk.JWK.from_pem(settings.OAUTH2_PROVIDER["OIDC_RSA_PRIVATE_KEY"].encode())
        token = jwt.JWT(header={"alg": "RS256", "kid": key.thumbprint()}, claims=claims)
        token.make_signed_token(key)
        return HttpResponse(token.serialize(), content_type="application/jwt")


urlpatterns = [
    path("connexion/", auth_views.LoginView.as_view(), name="login"),
    path("o/userinfo/", SignedUserInfoView.as_view()),
    path("o/", include("oauth2_provider.urls", namespace="oauth2_provider")),
]
