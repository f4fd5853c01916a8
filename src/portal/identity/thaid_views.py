"""Login with ThaID (ACC-10): the button's POST and ThaID's answer.

A refused, expired or unverifiable answer logs nobody in and says why on the login page,
where the button waits for a new press. A member with two-factor authentication still gives
the code from the authenticator app (SSO-04). A citizen with no account is offered
registration with what ThaID proved filled in.
"""

import logging

from django.conf import settings
from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from portal.accounts.login_steps import continue_login
from portal.accounts.middleware import CLOSED_NOTICE
from portal.accounts.selectors import member_by_national_id, not_thai_reason
from portal.core.network import client_ip
from portal.core.ratelimit import rate_limit_hit
from portal.identity import thaid
from portal.registries.base import RegistryUnavailable
from portal.registries.dopa import THAI

logger = logging.getLogger(__name__)


def _unreachable_message() -> str:
    return _(
        "ThaID cannot be reached. Try again in 1-2 minutes, or log in with your national ID "
        "and password."
    )


def _error_message(code: str) -> str:
    messages_by_code = {
        "refused": _("You did not consent in the ThaID app, so nobody was logged in."),
        "expired": _(
            "The ThaID QR code expired before you consented, so nobody was logged in. Press "
            "“Verify with the ThaID app” to get a new QR code."
        ),
        "no_flow": _(
            "This ThaID answer does not belong to a login started in this browser, so nobody "
            "was logged in. Press “Verify with the ThaID app” again."
        ),
        "invalid_token": _(
            "ThaID's answer could not be verified, so nobody was logged in. Please try again."
        ),
    }
    aliases = {"state_mismatch": "no_flow", "invalid_claims": "invalid_token"}
    return messages_by_code.get(
        aliases.get(code, code),
        _("ThaID could not complete the login, so nobody was logged in. Please try again."),
    )


@require_POST
def start(request):
    """The "Log in with ThaID" button: every press starts a new request with a new QR code."""
    if request.user.is_authenticated:
        return redirect("core:home")
    if not thaid.configured():
        messages.error(request, _("Login with ThaID is not available at the moment."))
        return redirect("accounts:login")
    if rate_limit_hit(
        scope="thaid-start-ip",
        key=client_ip(request) or "",
        limit=settings.THAID_STARTS_PER_IP_HOUR,
        window_seconds=3600,
    ):
        messages.error(request, _("Too many ThaID logins from this network. Try again later."))
        return redirect("accounts:login")
    try:
        authorization_url = thaid.begin(request, next_url=request.POST.get("next", ""))
    except RegistryUnavailable:
        messages.error(request, _unreachable_message())
        return redirect("accounts:login")
    return redirect(authorization_url)


@never_cache
@require_GET
def callback(request):
    try:
        identity, next_url = thaid.finish(request)
    except thaid.ThaidError as error:
        logger.info("ThaID login ended without a login: %s", error.code)
        messages.error(request, _error_message(error.code))
        return redirect("accounts:login")
    except RegistryUnavailable:
        messages.error(request, _unreachable_message())
        return redirect("accounts:login")

    member = member_by_national_id(pid=identity.pid)
    if member is None:
        return _offer_registration(request, identity)
    if not member.is_active:
        # ACC-15: the login page says it with the same words as the password login, and
        # leads to the reopen request.
        request.session[CLOSED_NOTICE] = True
        return redirect("accounts:login")
    logger.info("ThaID proved member %s", member.pk)
    # SSO-04: ThaID stands in for the password, not for the second factor.
    return continue_login(request, member, next_url=next_url)


def _offer_registration(request, identity: thaid.ThaidIdentity):
    """ACC-10: no account yet; registration with the registry's data filled in and locked.
    ACC-01: someone the civil registry records as not Thai is told why at once, and nothing
    of them is kept."""
    identity = thaid.with_registry_nationality(identity)
    if identity.nationality and identity.nationality != THAI:
        messages.error(request, not_thai_reason())
        return redirect("accounts:login")
    if not identity.complete:
        messages.info(
            request,
            _(
                "This national ID has no account yet. ThaID did not give every detail that "
                "registration needs, so please register by typing them."
            ),
        )
        return redirect("accounts:register")
    thaid.remember_identity(request, identity)
    messages.info(
        request,
        _(
            "This national ID has no account yet. Register now: your national ID, name and "
            "date of birth from ThaID are filled in for you."
        ),
    )
    return redirect("accounts:register")
