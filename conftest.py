import pytest

from opencls.testing.browser import browser, page  # noqa: F401  (fixtures)


@pytest.fixture(autouse=True)
def _isolated_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # PBKDF2 costs ~0.3 s per user created; tests create hundreds.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _empty_cache():
    # Throttle counters live in the cache: each test starts from zero.
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _small_official_geography(settings):
    # The demo loads the whole COG (35 000 communes, ~3 s); tests need the seeds' départements.
    settings.OPENCLS_DEMO_COG_DEPARTMENTS = ["59", "62"]
