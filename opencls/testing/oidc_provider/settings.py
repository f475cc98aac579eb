"""Settings of the test OpenID Connect provider (never used by OpenCLS itself)."""

import json
import os
from pathlib import Path

CONFIG = json.loads(Path(os.environ["OPENCLS_TEST_OIDC_CONFIG"]).read_text())

DEBUG = False
SECRET_KEY = "test-oidc-provider-only"
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "oauth2_provider",
    "opencls.testing.oidc_provider",
]
MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
]
ROOT_URLCONF = "opencls.testing.oidc_provider.urls"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
            ]
        },
    }
]
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": CONFIG["database"]}}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
LOGIN_URL = "/connexion/"
USE_TZ = True
LANGUAGE_CODE = "fr"
OAUTH2_PROVIDER = {
    "OIDC_ENABLED": True,
    "OIDC_RSA_PRIVATE_KEY": CONFIG["rsa_private_key"],
    "OIDC_ISS_ENDPOINT": CONFIG["issuer"],
    "OIDC_USERINFO_ENDPOINT": CONFIG["issuer"] + "/userinfo/",
    "OIDC_RP_INITIATED_LOGOUT_ENABLED": True,
    "OIDC_RP_INITIATED_LOGOUT_ALWAYS_PROMPT": False,
    "OAUTH2_VALIDATOR_CLASS": "opencls.testing.oidc_provider.validators.ProConnectLikeValidator",
    "PKCE_REQUIRED": True,
    "AUTHORIZATION_CODE_EXPIRE_SECONDS": 30,  # as ProConnect
    "SCOPES": {
        "openid": "Identifiant",
        "email": "Adresse électronique",
        "given_name": "Prénoms",
        "usual_name": "Nom d'usage",
        "siret": "SIRET de l'établissement",
    },
}
