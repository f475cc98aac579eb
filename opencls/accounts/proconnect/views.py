"""ProConnect login, callback and logout (with the provider's end-session)."""

import logging
from urllib.parse import urlencode

import requests
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import SuspiciousOperation
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.crypto import constant_time_compare, get_random_string
from django.utils.translation import gettext as _
from django.views import View
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from opencls.accounts.proconnect import config

logger = logging.getLogger(__name__)
LOGOUT_STATE = "proconnect_logout_state"


def _login_page(request, next_url=None):
    url = reverse("accounts:login")
    return HttpResponseRedirect(f"{url}?{urlencode({'next': next_url})}" if next_url else url)


def _unavailable(request):
    messages.error(request, _("ProConnect est momentanément injoignable : réessayez dans quelques minutes."))
    return _login_page(request, request.GET.get("next"))


class ProConnectLoginView(OIDCAuthenticationRequestView):
    """Sends the browser to ProConnect with a fresh state, nonce and (if supported) PKCE challenge."""

    get_settings = staticmethod(config.get_setting)

    def __init__(self, **kwargs):
        View.__init__(self, **kwargs)  # endpoints are read per request, not when the view is built

    def get(self, request):
        if not config.is_enabled():
            raise Http404
        try:
            self.OIDC_OP_AUTH_ENDPOINT = self.get_settings("OIDC_OP_AUTHORIZATION_ENDPOINT")
            self.OIDC_RP_CLIENT_ID = self.get_settings("OIDC_RP_CLIENT_ID")
            return super().get(request)
        except config.ProConnectUnavailable:
            logger.warning("ProConnect discovery document unavailable", exc_info=True)
            return _unavailable(request)


class ProConnectCallbackView(OIDCAuthenticationCallbackView):
    """ProConnect's redirect back: state checked here, code, tokens and nonce by the backend."""

    get_settings = staticmethod(config.get_setting)

    def login_failure(self):
        message = getattr(self.request, "proconnect_error", None) or _(
            "La connexion avec ProConnect a échoué. Recommencez ou utilisez un autre moyen de connexion."
        )
        messages.error(self.request, message)
        return _login_page(self.request, self.request.session.get("oidc_login_next"))

    def login_success(self):
        response = super().login_success()
        for notice in getattr(self.request, "proconnect_notices", []):
            messages.info(self.request, notice)
        self.request.session.pop("oidc_login_next", None)
        return response

    def get(self, request):
        if not config.is_enabled():
            raise Http404
        if request.GET.get("error"):
            request.proconnect_error = _("La connexion avec ProConnect a été annulée ou refusée.")
            return super().get(request)
        state = request.GET.get("state", "")
        if not request.GET.get("code") or state not in request.session.get("oidc_states", {}):
            request.proconnect_error = _(
                "La réponse de ProConnect ne correspond à aucune connexion en cours (lien expiré, ouvert "
                "dans un autre navigateur ou modifié). Recommencez la connexion."
            )
            return self.login_failure()
        try:
            return super().get(request)
        except requests.HTTPError:
            logger.warning("ProConnect refused the authorization code", exc_info=True)
            request.proconnect_error = _(
                "Le code de connexion transmis par ProConnect a expiré ou n’est pas valide. "
                "Recommencez la connexion."
            )
        except (requests.RequestException, config.ProConnectUnavailable):
            logger.warning("ProConnect unreachable during the callback", exc_info=True)
            request.proconnect_error = _(
                "ProConnect est momentanément injoignable : réessayez dans quelques minutes."
            )
        except SuspiciousOperation:
            logger.warning("ProConnect token rejected", exc_info=True)
            request.proconnect_error = _(
                "La réponse de ProConnect n’a pas pu être vérifiée (jeton invalide). Recommencez la connexion."
            )
        return self.login_failure()


class LogoutView(auth_views.LogoutView):
    """Local logout; after a ProConnect login, then ProConnect's end-session (browser redirect)."""

    def post(self, request, *args, **kwargs):
        id_token = request.session.get("oidc_id_token")
        end_session = None
        if id_token and config.is_enabled():
            try:
                end_session = config.get_setting("PROCONNECT_END_SESSION_ENDPOINT")
            except config.ProConnectUnavailable:
                logger.warning("ProConnect end-session endpoint unknown", exc_info=True)
        response = super().post(request, *args, **kwargs)
        if not end_session:
            return response
        state = get_random_string(32)
        request.session[LOGOUT_STATE] = state  # the session is a fresh, anonymous one now
        params = {
            "id_token_hint": id_token,
            "state": state,
            "post_logout_redirect_uri": request.build_absolute_uri(
                reverse("accounts:proconnect_logout_done")
            ),
        }
        return HttpResponseRedirect(f"{end_session}?{urlencode(params)}")


def logout_done(request):
    """ProConnect's redirect after its end-session: the state must be the one we sent."""
    expected = request.session.pop(LOGOUT_STATE, "")
    if expected and constant_time_compare(expected, request.GET.get("state", "")):
        messages.success(request, _("Vous êtes déconnecté d’OpenCLS et de ProConnect."))
    else:
        messages.warning(
            request,
            _(
                "Vous êtes déconnecté d’OpenCLS. La confirmation de ProConnect ne correspond pas à votre demande."
            ),
        )
    return redirect("accounts:login")
