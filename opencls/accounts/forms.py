from django.contrib.auth import forms as auth_forms

from opencls.core.forms import BaseForm


class LoginForm(auth_forms.AuthenticationForm, BaseForm):
    pass


class PasswordResetForm(auth_forms.PasswordResetForm, BaseForm):
    pass


class SetPasswordForm(auth_forms.SetPasswordForm, BaseForm):
    pass
