from opencls.testing.oidc import oidc_provider, proconnect  # noqa: F401  (fixtures)
