"""A small OpenID Connect provider (django-oauth-toolkit) that plays ProConnect in the tests.

Run as its own process on loopback by `opencls.testing.oidc.oidc_provider` (see server.py): its own
settings, SQLite file, RSA key generated at test time, users and claims given in a JSON file. Like
ProConnect it serves userinfo as a signed JWT and supports RP-initiated logout (end-session).
"""
