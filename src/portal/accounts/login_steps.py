"""The steps of a login that the password login (accounts.views) and the second-factor and
ThaID logins (identity's views) share: an app reaches another through its services and
selectors, never its views, so the steps live here, not in accounts.views."""

import time

from django.contrib.auth import login
from django.shortcuts import redirect
from django.urls import reverse

from portal.accounts import selectors
from portal.accounts.middleware import CONSENT_PENDING
from portal.accounts.tasks import queue_member_registry_name_find
from portal.core.acting import TWO_FACTOR_SESSION_KEY
from portal.core.views import safe_next_url
from portal.identity.selectors import two_factor_enabled
from portal.identity.services import member_session_record, session_key_moved
from portal.operators.selectors import member_has_business, registry_changes_waiting
from portal.operators.tasks import queue_registry_changes_find

__all__ = ["AUTH_TIME", "REAUTHENTICATE", "TWO_FACTOR_PENDING", "continue_login", "finish_login"]

TWO_FACTOR_PENDING = "two_factor_pending"
REAUTHENTICATE = "reauthenticate"
# When the member last proved who they are in this session (every factor passed): what an
# OpenID Connect `max_age` is measured against and the ID token's `auth_time` (OIDC Core
# 3.1.2.1). force_login and sessions from before it have none, so they count as too old.
AUTH_TIME = "auth_time"


def continue_login(request, member, *, next_url: str = ""):
    """The first factor passed (the password, or ThaID): log the member in, or, when they
    have a second factor (SSO-04), leave the pending login in the session for
    identity:login_code to finish."""
    if two_factor_enabled(member=member):
        request.session[TWO_FACTOR_PENDING] = {
            "member": member.pk,
            "next": next_url,
            "at": time.time(),
        }
        return redirect("identity:login_code")
    return finish_login(request, member, next_url=next_url)


def finish_login(request, member, *, next_url: str = "", second_factor: bool = False):
    """Log the member in (all factors passed) and send them where they should start;
    `second_factor` marks a session that passed a TOTP or recovery code (officers need it)."""
    # Logging in again (a connected system asked for it, prompt=login) keeps the session but
    # gives it a new key: what hangs on the old key follows.
    again = request.user.is_authenticated and request.user.pk == member.pk
    first_login = member.last_login is None  # BIZ-01: login() fills it in
    old_key = request.session.session_key
    login(request, member, backend="portal.accounts.backends.NationalIdBackend")
    request.session.pop(REAUTHENTICATE, None)
    request.session[AUTH_TIME] = int(time.time())
    if second_factor:
        request.session[TWO_FACTOR_SESSION_KEY] = time.time()
    else:
        request.session.pop(TWO_FACTOR_SESSION_KEY, None)
    if again:
        session_key_moved(old_key=old_key, new_key=request.session.session_key)
    member_session_record(request=request)
    if selectors.consent_documents_unanswered(member=member):
        request.session[CONSENT_PENDING] = True
    # SSO-09: the comparison with the registries runs in the background, never in the login
    # (a consultant with 150 companies waited for 150 registry calls); the changes it finds
    # wait on the dashboard.
    queue_registry_changes_find(member_id=member.pk)
    # The member's own name with the civil registry, likewise (a name change at DOPA).
    queue_member_registry_name_find(member_id=member.pk)
    return redirect(
        safe_next_url(request, next_url, default="")
        or _landing_page(member, first_login=first_login)
    )


def _landing_page(member, *, first_login: bool) -> str:
    """BIZ-01: at their first login a member with no business yet starts at "add business";
    one who skipped it then lands on the dashboard, which offers it (docs/decisions.md).
    SSO-09: a member with registry changes already found (by an earlier comparison) confirms
    them first."""
    if first_login and not member.is_officer and not member_has_business(member=member):
        return reverse("operators:business_add")
    if registry_changes_waiting(member=member):
        return reverse("operators:registry_changes")
    return reverse("core:home")
