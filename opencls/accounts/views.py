from django.conf import settings
from django.contrib.auth import views as auth_views
from django.core.cache import cache
from django.utils.translation import gettext as _

from opencls.accounts.models import normalise_name


def _client_ip(request) -> str:
    return request.META.get("REMOTE_ADDR", "")


def throttle_hit(key: str, limit: int, window: int) -> bool:
    """Counts one more request under `key`; True once more than `limit` came within `window` s."""
    if cache.add(key, 1, timeout=window):
        return False
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
        return False
    return count > limit


class ThrottledPasswordResetView(auth_views.PasswordResetView):
    """Password-reset e-mails are limited per address and per client IP (French message, 429);
    the answer never says whether the address has an account."""

    def form_valid(self, form):
        window = settings.PASSWORD_RESET_THROTTLE_WINDOW
        email = normalise_name(form.cleaned_data["email"])
        over_email = throttle_hit(
            f"password-reset:email:{email}", settings.PASSWORD_RESET_LIMIT_PER_EMAIL, window
        )
        over_ip = throttle_hit(
            f"password-reset:ip:{_client_ip(self.request)}", settings.PASSWORD_RESET_LIMIT_PER_IP, window
        )
        if over_email or over_ip:
            form.add_error(
                None,
                _(
                    "Trop de demandes de réinitialisation du mot de passe : réessayez dans une heure. "
                    "Si vous avez déjà reçu un lien, utilisez le plus récent."
                ),
            )
            response = self.form_invalid(form)
            response.status_code = 429
            return response
        return super().form_valid(form)
