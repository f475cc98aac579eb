from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "opencls.accounts"
    verbose_name = "Comptes et organisations"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from opencls.accounts.middleware import session_started

        user_logged_in.connect(session_started, dispatch_uid="opencls_session_started")
