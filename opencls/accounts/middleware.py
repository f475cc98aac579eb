"""Request-wide guards for logged-in users: idle and absolute session timeouts, and no copy of
their pages, files, exports or API answers in any shared or browser cache."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

STARTED = "_opencls_session_started"
LAST_SEEN = "_opencls_session_last_seen"
# The last-seen time is written at most this often (seconds): not one session write per request.
TOUCH_EVERY = 60


def session_started(sender, request, user, **kwargs):
    """On login (`user_logged_in`): the clocks of both timeouts start, in the session being saved."""
    now = int(time.time())
    request.session[STARTED] = now
    request.session[LAST_SEEN] = now


class SessionTimeoutMiddleware:
    """Logs out after `SESSION_IDLE_TIMEOUT` seconds without a request, and in any case
    `SESSION_ABSOLUTE_TIMEOUT` seconds after the session began."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            now = int(time.time())
            session = request.session
            started = session.setdefault(STARTED, now)
            last_seen = session.get(LAST_SEEN, now)
            if (
                now - last_seen > settings.SESSION_IDLE_TIMEOUT
                or now - started > settings.SESSION_ABSOLUTE_TIMEOUT
            ):
                logout(request)
                messages.info(request, _("Votre session a expiré : reconnectez-vous pour continuer."))
            elif now - last_seen >= TOUCH_EVERY or LAST_SEEN not in session:
                session[LAST_SEEN] = now
        return self.get_response(request)


class NoStoreForUsersMiddleware:
    """`Cache-Control: no-store, private` on every answer to a logged-in user (pages, evidence
    files, exports) and on the whole API, whoever asks."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if (user is not None and user.is_authenticated) or request.path.startswith("/api/"):
            response.headers.pop("Cache-Control", None)
            patch_cache_control(response, no_store=True, private=True)
        return response
