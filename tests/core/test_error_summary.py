"""The GOV.UK error pattern's summary: every error of a form at the top of it, each linked to
its field, and the page's title says there is an error (issue 9, first part)."""

import re

import pytest
from django.conf import settings

pytestmark = pytest.mark.django_db


def _summary(html: str) -> str:
    match = re.search(r'<div class="error-summary[^>]*>(.*?)</div>', html, re.S)
    assert match, "no error summary on the page"
    return match.group(1)


def test_a_form_with_errors_lists_them_at_the_top_linked_to_their_fields(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.post("/accounts/login/", {"national_id": "", "password": ""})
    html = response.content.decode()
    summary = _summary(html)
    assert "There is a problem" in summary
    form = response.context["form"]
    for name in ("national_id", "password"):
        for error in form[name].errors:
            assert f'<a href="#id_{name}">{error}</a>' in summary
    # The fields keep their own messages too, beside them.
    assert 'id="id_national_id_error"' in html
    assert re.search(r"<title>Error: ", html)


def test_the_summary_and_the_title_are_in_thai_on_a_thai_page(client):
    response = client.post("/accounts/login/", {"national_id": "", "password": ""})
    html = response.content.decode()
    assert "พบข้อผิดพลาด" in _summary(html)
    assert re.search(r"<title>ข้อผิดพลาด: ", html)


def test_a_page_without_errors_has_no_summary_and_a_plain_title(client):
    html = client.get("/accounts/login/").content.decode()
    assert "error-summary" not in html
    assert not re.search(r"<title>(Error|ข้อผิดพลาด):", html)
