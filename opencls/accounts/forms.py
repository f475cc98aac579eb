from django.contrib.auth import forms as auth_forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from opencls.accounts.proconnect import config as proconnect
from opencls.core.forms import BaseForm

# BaseForm comes first: DsfrBaseForm builds the bound fields at the end of its __init__, which
# must run after AuthenticationForm has set the username label ("Nom d’utilisateur").


class LoginForm(BaseForm, auth_forms.AuthenticationForm):
    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        # Required by an administrator (on the user or the organisation), and only while ProConnect
        # is configured: otherwise these users could not sign in at all.
        if user.must_use_proconnect and proconnect.is_enabled():
            raise ValidationError(
                _(
                    "Votre organisation impose la connexion avec ProConnect : utilisez le bouton "
                    "« S’identifier avec ProConnect »."
                ),
                code="proconnect_required",
            )


class PasswordResetForm(BaseForm, auth_forms.PasswordResetForm):
    pass


class SetPasswordForm(BaseForm, auth_forms.SetPasswordForm):
    pass
