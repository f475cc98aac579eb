"""ProConnect (OpenID Connect) login on top of mozilla-django-oidc; see docs/proconnect.md."""
