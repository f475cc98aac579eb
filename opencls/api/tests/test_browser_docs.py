import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_api_documentation_displays_under_the_content_security_policy(page):
    blocked = []
    page.on(
        "console",
        lambda message: blocked.append(message.text) if "Content Security Policy" in message.text else None,
    )
    page.goto("/api/docs/")
    expect(page.get_by_role("heading", name="API OpenCLS")).to_be_visible()
    expect(page.get_by_text("/api/contrats/{id}/actions/")).to_be_visible()
    assert blocked == []
