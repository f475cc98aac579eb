from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import path, reverse_lazy

from opencls.accounts import forms
from opencls.accounts.proconnect import config as proconnect
from opencls.accounts.proconnect import views as proconnect_views
from opencls.accounts.views import ThrottledPasswordResetView

app_name = "accounts"


def public(view):
    return login_not_required(view)


class LoginView(auth_views.LoginView):
    authentication_form = forms.LoginForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        return super().get_context_data(proconnect_enabled=proconnect.is_enabled(), **kwargs)


urlpatterns = [
    path("connexion/", public(LoginView.as_view()), name="login"),
    path("deconnexion/", proconnect_views.LogoutView.as_view(), name="logout"),
    path(
        "proconnect/connexion/",
        public(proconnect_views.ProConnectLoginView.as_view()),
        name="proconnect_login",
    ),
    path(
        "proconnect/retour/",
        public(proconnect_views.ProConnectCallbackView.as_view()),
        name="proconnect_callback",
    ),
    path("proconnect/deconnexion/", public(proconnect_views.logout_done), name="proconnect_logout_done"),
    path(
        "mot-de-passe/oubli/",
        public(
            ThrottledPasswordResetView.as_view(
                form_class=forms.PasswordResetForm,
                success_url=reverse_lazy("accounts:password_reset_done"),
                email_template_name="registration/password_reset_email.txt",
            )
        ),
        name="password_reset",
    ),
    path(
        "mot-de-passe/oubli/envoye/",
        public(auth_views.PasswordResetDoneView.as_view()),
        name="password_reset_done",
    ),
    path(
        "mot-de-passe/nouveau/<uidb64>/<token>/",
        public(
            auth_views.PasswordResetConfirmView.as_view(
                form_class=forms.SetPasswordForm, success_url=reverse_lazy("accounts:password_reset_complete")
            )
        ),
        name="password_reset_confirm",
    ),
    path(
        "mot-de-passe/nouveau/termine/",
        public(auth_views.PasswordResetCompleteView.as_view()),
        name="password_reset_complete",
    ),
]
