import pytest

from opencls.testing.browser import browser, page  # noqa: F401  (fixtures)


@pytest.fixture(autouse=True)
def _isolated_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
