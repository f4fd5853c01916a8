"""axe-core finds no violation on any page of the accounts and the back office, in Thai and
in English, for a visitor, a member and an officer."""

from django.db import transaction

from portal.backoffice.services import officer_appoint
from portal.sandbox.connected_client import register_sample_clients
from tests.e2e.helpers import officer_login
from tests.factories import DEFAULT_PASSWORD, MemberFactory

VISITOR_PAGES = [
    "/",
    "/accounts/login/",
    "/accounts/register/",
    "/accounts/reset/",
    "/accounts/reopen/",
    "/services/",
    "/services/guide/",
    "/services/faq/",
    "/services/faq/?q=ThaID",
    "/verify/",
    "/sandbox/outbox/",
    "/sandbox/registries/",
    "/sandbox/authenticator/",
]
MEMBER_PAGES = [
    "/accounts/settings/",
    "/accounts/settings/contact/mobile/",
    "/accounts/settings/contact/email/",
    "/accounts/settings/password/",
    "/accounts/settings/consents/",
    "/accounts/two-factor/",
    "/accounts/sessions/",
    "/businesses/",
    "/businesses/add/",
    "/factories/",
    "/factories/search/",
    "/bills/",
    "/accounts/settings/name-change/",
    "/accounts/settings/close/",
    "/services/",
    "/services/diw-identity-verification/",
    "/oidc/logout/",  # without a hint: the confirmation page (identity/logout_confirm.html)
]
OFFICER_PAGES = [
    "/backoffice/",
    "/backoffice/member-requests/",
    "/backoffice/businesses/",
    "/backoffice/removals/",
    "/backoffice/two-factor-reset/",
]


def sweep(page, urls, switch_language, assert_accessible):
    for language in ("th", "en"):
        page.goto(urls[0])
        if page.locator("html").get_attribute("lang") != language:
            switch_language(page, language)
        for url in urls:
            response = page.goto(url)
            assert response.status == 200, url
            assert page.locator("html").get_attribute("lang") == language
            assert_accessible(page)


def test_every_page_is_accessible_in_both_languages(
    page, live_server, solve_robot_check, switch_language, assert_accessible
):
    register_sample_clients([live_server.url])
    sweep(page, VISITOR_PAGES, switch_language, assert_accessible)
    officer = MemberFactory()
    with transaction.atomic():
        officer_appoint(
            member=officer,
            agency="OPS",
            permissions=[
                "accounts.review_member_request",
                "operators.verify_holding",
                "identity.reset_two_factor",
            ],
        )
    switch_language(page, "th")
    officer_login(page, solve_robot_check, officer, DEFAULT_PASSWORD)
    sweep(page, MEMBER_PAGES + OFFICER_PAGES, switch_language, assert_accessible)
