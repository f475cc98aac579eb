from django.contrib.auth import forms as auth_forms

from opencls.core.forms import BaseForm

# BaseForm comes first: DsfrBaseForm builds the bound fields at the end of its __init__, which
# must run after AuthenticationForm has set the username label ("Nom d’utilisateur").


class LoginForm(BaseForm, auth_forms.AuthenticationForm):
    pass


class PasswordResetForm(BaseForm, auth_forms.PasswordResetForm):
    pass


class SetPasswordForm(BaseForm, auth_forms.SetPasswordForm):
    pass
