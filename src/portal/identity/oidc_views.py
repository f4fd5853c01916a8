"""The provider's endpoints where the portal differs from django-oauth-toolkit's own views:
discovery at the site root with back-channel logout announced, and an authorization page
that is the hand-off's last step (choose business, consent: SVC-02) for logins that a
connected system starts by itself."""

import json
import time
import uuid
from datetime import UTC, datetime

from django import forms
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.db import transaction
from django.http import HttpResponse, JsonResponse, QueryDict
from django.middleware.csrf import CsrfViewMiddleware
from django.utils import translation
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from oauth2_provider.exceptions import OAuthToolkitError
from oauth2_provider.forms import AllowForm
from oauth2_provider.views import (
    AuthorizationView,
    ConnectDiscoveryInfoView,
    RevokeTokenView,
    RPInitiatedLogoutView,
    TokenView,
    UserInfoView,
)
from oauth2_provider.views.oidc import _load_id_token
from oauthlib.oauth2.rfc6749.errors import ConsentRequired, InvalidRequestError, LoginRequired
from oauthlib.openid.connect.core.exceptions import RequestNotSupported, RequestURINotSupported

from portal.accounts.login_steps import AUTH_TIME, REAUTHENTICATE
from portal.core.forms import PortalFormMixin
from portal.core.middleware import LANGUAGE_CHOSEN_IN_VISIT, SUPPORTED, UI_LOCALE
from portal.identity import selectors as identity_selectors
from portal.identity.models import SignIn
from portal.identity.services import sign_ins_end
from portal.services import selectors as service_selectors
from portal.services import services as service_services


class DiscoveryView(ConnectDiscoveryInfoView):
    """OpenID Provider Metadata at /.well-known/openid-configuration; the issuer is the
    portal's base URL."""

    def get(self, request, *args, **kwargs):
        response = super().get(request, *args, **kwargs)
        data = json.loads(response.content)
        data.update(
            {
                "id_token_signing_alg_values_supported": ["RS256"],
                "code_challenge_methods_supported": ["S256"],
                "grant_types_supported": ["authorization_code", "refresh_token"],
                "response_types_supported": ["code"],
                "prompt_values_supported": ["none", "login", "consent"],
                "backchannel_logout_supported": True,
                "backchannel_logout_session_supported": True,
                "frontchannel_logout_supported": False,
                "claims_parameter_supported": False,
                # OIDC Core 6: request objects are refused (request_not_supported,
                # request_uri_not_supported); request_uri's default would be true.
                "request_parameter_supported": False,
                "request_uri_parameter_supported": False,
                "ui_locales_supported": ["th", "en"],
            }
        )
        answer = JsonResponse(data)
        answer["Access-Control-Allow-Origin"] = "*"
        answer["Cache-Control"] = "public, max-age=3600"
        return answer


@method_decorator(csrf_exempt, name="dispatch")
@method_decorator(login_not_required, name="dispatch")
class PortalUserInfoView(UserInfoView):
    """Userinfo takes the access token from the Authorization header (or a form body, RFC 6750
    2.2), never from the query string (2.3): a token in a URL is written into access logs,
    proxies and browser histories. Such a request is refused whole, even with a good header,
    so that a client that does it learns at once."""

    def dispatch(self, request, *args, **kwargs):
        if "access_token" in request.GET:
            answer = JsonResponse(
                {
                    "error": "invalid_request",
                    "error_description": "Send the access token in the Authorization header.",
                },
                status=400,
            )
            answer["WWW-Authenticate"] = (
                'Bearer error="invalid_request", '
                'error_description="Send the access token in the Authorization header."'
            )
            answer["Cache-Control"] = "no-store"
            return answer
        return super().dispatch(request, *args, **kwargs)

    def _create_userinfo_response(self, request):
        response = super()._create_userinfo_response(request)
        if response.status_code >= 400:
            # The toolkit sends oauthlib's JSON error body as text/html.
            response["Content-Type"] = "application/json"
            response["Cache-Control"] = "no-store"
        return response


BASIC_CHALLENGE = 'Basic realm="i-Industry", charset="UTF-8"'


def with_basic_challenge(request, response):
    """RFC 6749 5.2: a client that authenticated with HTTP Basic and failed gets 401 with a
    challenge of the scheme it used (oauthlib's is `Bearer`, which is for resources)."""
    authorization = request.META.get("HTTP_AUTHORIZATION", "")
    if response.status_code == 401 and authorization[:6].lower() == "basic ":
        response["WWW-Authenticate"] = BASIC_CHALLENGE
    return response


class PortalTokenView(TokenView):
    def post(self, request, *args, **kwargs):
        return with_basic_challenge(request, super().post(request, *args, **kwargs))


class PortalRevokeTokenView(RevokeTokenView):
    def post(self, request, *args, **kwargs):
        return with_basic_challenge(request, super().post(request, *args, **kwargs))


@method_decorator(never_cache, name="dispatch")
@method_decorator(login_not_required, name="dispatch")
class PortalLogoutView(RPInitiatedLogoutView):
    """RP-initiated logout. When the hint names a sign-in of this browser's own portal
    session, it ends at once with that session (which ends the session's other sign-ins,
    SSO-07), and the browser goes straight back to the system.

    An ID token travels in URLs and histories, so a hint proves nothing about who follows
    the link. A hint naming a living sign-in that this browser's session does not own
    (another person's, another session's, or a browser with no session at all) ends nothing
    by itself: the page asks, and "Log out" then ends only what this browser's session owns.
    The toolkit's deletion of all the hint's user's tokens stays off."""

    template_name = "identity/logout_confirm.html"
    hint_sign_in = None

    def validate_logout_request(self, id_token_hint, client_id, post_logout_redirect_uri):
        application, token_user = super().validate_logout_request(
            id_token_hint=id_token_hint,
            client_id=client_id,
            post_logout_redirect_uri=post_logout_redirect_uri,
        )
        self.hint_sign_in = self._sign_in_of_hint(id_token_hint, application)
        return application, token_user

    @staticmethod
    def _sign_in_of_hint(hint, application):
        if not hint or application is None:
            return None
        _id_token, claims = _load_id_token(hint)  # validated by the toolkit just before
        try:
            sid = uuid.UUID(str((claims or {}).get("sid")))
        except ValueError:
            return None
        return SignIn.objects.filter(pk=sid, system__client=application).first()

    def _owned(self, sign_in) -> bool:
        """The sign-in was made from this browser's portal session, by its member."""
        user = self.request.user
        return (
            sign_in is not None
            and user.is_authenticated
            and sign_in.member_id == user.pk
            and bool(self.request.session.session_key)
            and sign_in.session_key == self.request.session.session_key
        )

    def must_prompt(self, token_user):
        sign_in = self.hint_sign_in
        if sign_in is not None and sign_in.ended_at is None:
            return not self._owned(sign_in)
        return super().must_prompt(token_user)

    def do_logout(
        self, application=None, post_logout_redirect_uri=None, state=None, token_user=None
    ):

        sign_in = self.hint_sign_in
        if self._owned(sign_in) and sign_in.ended_at is None:
            sign_ins_end(
                sign_in_ids=[str(sign_in.pk)],
                member=self.request.user,
                system=service_selectors.system_for_client(client_id=application.client_id),
                request=self.request,
            )
        # Ends this browser's portal session, if any, and with it only that session's
        # sign-ins (identity/apps.py); nobody else's.
        return super().do_logout(application, post_logout_redirect_uri, state, token_user)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        application = context.get("application")
        system = getattr(application, "connected_system", None) if application else None
        context["system_name"] = service_selectors.system_name(system) if system else ""
        context["signed_in_here"] = self.request.user.is_authenticated
        return context


class HandOffForm(PortalFormMixin, AllowForm):
    holding = forms.IntegerField(required=False, widget=forms.RadioSelect)
    # Marks the consent page's own submission, which stays CSRF-protected, as against an
    # authorization request that a system sends by POST (OIDC Core 3.1.2.1).
    step = forms.CharField(
        required=False, max_length=7, widget=forms.HiddenInput, initial="consent"
    )


def refusal(error_class, credentials, **kwargs):
    return OAuthToolkitError(
        error=error_class(state=credentials.get("state"), **kwargs),
        redirect_uri=credentials["redirect_uri"],
    )


def requested_language(ui_locales: str) -> str | None:
    """The first of the space-separated language tags (OIDC Core 3.1.2.1 `ui_locales`) that
    the portal speaks, by its primary subtag ("en-GB" is English)."""
    for tag in ui_locales.split():
        language = tag.split("-")[0].lower()
        if language in SUPPORTED:
            return language
    return None


def as_get(request) -> None:
    """An authorization request sent by POST, form-encoded (OIDC Core 3.1.2.1), is handled
    as the GET it stands for: same checks, and a login page that comes back here by GET."""
    params = request.POST.copy()
    request.method = "GET"
    request.META["REQUEST_METHOD"] = "GET"
    request.META["QUERY_STRING"] = params.urlencode()
    request.GET = params
    request.POST = QueryDict()


# A system's own POST of an authorization request comes from its site, with no CSRF token of
# the portal's: the view is exempt and checks the token itself on the consent form only.
@method_decorator(csrf_exempt, name="dispatch")
@method_decorator(never_cache, name="dispatch")
class PortalAuthorizationView(AuthorizationView):
    template_name = "identity/authorize.html"
    form_class = HandOffForm
    portal_business_id = None

    def dispatch(self, request, *args, **kwargs):
        if request.method == "POST":
            if request.POST.get("step") == "consent":
                refused = CsrfViewMiddleware(lambda _request: None).process_view(
                    request, None, (), {}
                )
                if refused is not None:
                    return refused
            else:
                as_get(request)
        return super().dispatch(request, *args, **kwargs)

    # --- checks made before anything else, logged in or not ------------------------------

    def _checked(self, request):
        """The request's scopes, credentials and system, or the answer refusing it. A bad
        client or redirect URI gets the error page before any login page (never a redirect);
        other errors go back to the system's redirect URI."""
        try:
            scopes, credentials = self.validate_authorization_request(request)
        except OAuthToolkitError as error:
            return self.error_response(error, application=None)
        system = service_selectors.system_for_client(client_id=credentials["client_id"])
        application = system.client
        error = None
        if "request" in request.GET:
            error = refusal(RequestNotSupported, credentials)
        elif "request_uri" in request.GET:
            error = refusal(RequestURINotSupported, credentials)
        elif credentials.get("code_challenge_method") != "S256":
            # PKCE with S256 only (RFC 9700): "plain" would show the verifier to anyone
            # who sees the authorization request.
            error = refusal(
                InvalidRequestError,
                credentials,
                description="PKCE with S256 is required.",
            )
        elif self._max_age(request) is False:
            error = refusal(
                InvalidRequestError,
                credentials,
                description="max_age must be a whole number of seconds.",
            )
        if error is not None:
            return self.error_response(error, application)
        self._take_ui_locales(request)
        return scopes, credentials, system

    @staticmethod
    def _max_age(request) -> int | bool | None:
        """The `max_age` asked for; None when absent, False when it is not a number."""
        value = request.GET.get("max_age")
        if value is None:
            return None
        return int(value) if value.isdigit() else False

    def _authenticated_too_long_ago(self, request) -> bool:
        """OIDC Core 3.1.2.1: the member's last real authentication in this session (password
        and, when set up, the second factor) is older than `max_age`."""
        max_age = self._max_age(request)
        if max_age is None:
            return False
        auth_time = request.session.get(AUTH_TIME)
        return auth_time is None or time.time() - auth_time > max_age

    def _take_ui_locales(self, request) -> None:
        """`ui_locales` sets the language of this sign-in's login and consent pages, unless the
        visitor chose a language with the switch in this visit (docs/decisions.md)."""
        language = requested_language(request.GET.get("ui_locales", ""))
        if language is None or request.session.get(LANGUAGE_CHOSEN_IN_VISIT):
            return
        request.session[UI_LOCALE] = language
        translation.activate(language)
        request.LANGUAGE_CODE = language

    def _login_again(self):
        """To the login page, coming back without `prompt=login` and `max_age`: the login just
        made satisfies both, and `auth_time` in the ID token says when it was."""
        query = self.request.GET.copy()
        query.pop("max_age", None)
        others = [value for value in query.pop("prompt", [""])[-1].split() if value != "login"]
        if others:  # `consent` still applies after the login
            query["prompt"] = " ".join(others)
        path = self.request.path + ("?" + query.urlencode() if query else "")
        return redirect_to_login(path, self.get_login_url(), self.get_redirect_field_name())

    def redirect(self, redirect_to, application):
        # Back to the system: this sign-in's pages are over, and so is its `ui_locales`.
        if hasattr(self.request, "session"):
            self.request.session.pop(UI_LOCALE, None)
        return super().redirect(redirect_to, application)

    # --- GET: sign in at once when the member already chose and consented ---------------

    def get(self, request, *args, **kwargs):
        checked = self._checked(request)
        if isinstance(checked, HttpResponse):
            return checked
        scopes, credentials, system = checked
        application = system.client
        prompt = set(request.GET.get("prompt", "").split())
        if "none" in prompt and self._authenticated_too_long_ago(request):
            error = refusal(LoginRequired, credentials)
            return self.error_response(error, application)
        if "login" in prompt or self._authenticated_too_long_ago(request):
            # The login page asks again (password, then the second factor when the member
            # has one) even though the member is logged in.
            request.session[REAUTHENTICATE] = True
            return self._login_again()
        page = self._page_state(system)
        handoff = service_services.handoff_peek(
            session=request.session, client_id=application.client_id
        )
        holding = preselected = None
        readiness = page["readiness"]
        if readiness.ready and handoff is not None:
            holding = service_selectors.chosen_holding(
                readiness=readiness, holding_id=handoff["holding"]
            )
        elif readiness.ready:
            chosen_before = self._holding_chosen_before(readiness, system)
            # Silent renewal (prompt=none, e.g. mozilla-django-oidc every 15 minutes): the
            # business already chosen for this system. A member starting a sign-in at the
            # system sees the page, with that business ticked.
            holding = service_selectors.chosen_holding(
                readiness=readiness, holding_id=chosen_before if "none" in prompt else None
            )
            preselected = chosen_before
        chosen = holding is not None or not system.needs_business
        if page["readiness"].ready and page["consented"] and chosen and "consent" not in prompt:
            service_services.handoff_take(session=request.session, client_id=application.client_id)
            self.portal_business_id = holding.business_id if holding else None
            try:
                uri, _headers, _body, _status = self.create_authorization_response(
                    request=request,
                    scopes=" ".join(scopes),
                    credentials=credentials,
                    allow=True,
                )
            except OAuthToolkitError as error:
                return self.error_response(error, application)
            return self.redirect(uri, application)
        if "none" in prompt:
            error = OAuthToolkitError(
                error=ConsentRequired(state=credentials.get("state")),
                redirect_uri=credentials["redirect_uri"],
            )
            return self.error_response(error, application)
        # The toolkit's own page fills the hidden fields of the form; ours adds the rest. Its
        # `approval_prompt=auto` (skip the page when any token exists) must never apply here:
        # consent, business and readiness are decided above.
        request.GET = request.GET.copy()
        request.GET.pop("approval_prompt", None)
        response = super().get(request, *args, **kwargs)
        initial_holding = holding.pk if holding is not None else preselected
        if hasattr(response, "context_data") and initial_holding is not None:
            response.context_data["form"].initial["holding"] = initial_holding
        return response

    def _holding_chosen_before(self, readiness, system) -> int | None:
        """The member's holding of the business of their latest sign-in to this system, if it
        still fits the service."""
        business_id = identity_selectors.last_sign_in_business(
            member=self.request.user, system=system
        )
        return next(
            (holding.pk for holding in readiness.eligible if holding.business_id == business_id),
            None,
        )

    def handle_no_permission(self):
        """Not logged in: the request is checked first (a bad client or redirect URI is
        refused here, before the visitor types a password), then the login page, unless the
        system asked for no interaction (prompt=none): `login_required` at its redirect URI."""
        checked = self._checked(self.request)
        if isinstance(checked, HttpResponse):
            return checked
        _scopes, credentials, system = checked
        if "none" in self.request.GET.get("prompt", "").split():
            error = refusal(LoginRequired, credentials)
            return self.error_response(error, system.client)
        return self._login_again()

    # --- POST: the member chose a business and answered the consent ----------------------

    @transaction.atomic
    def form_valid(self, form):
        system = service_selectors.system_for_client(client_id=form.cleaned_data["client_id"])
        if system is None:
            return self.form_invalid(form)
        if not form.cleaned_data.get("allow"):
            return super().form_valid(form)  # access_denied goes back to the system
        page = self._page_state(system)
        if not page["readiness"].ready:
            return self.form_invalid(form)
        holding = None
        if system.needs_business:
            holding = service_selectors.chosen_holding(
                readiness=page["readiness"], holding_id=form.cleaned_data.get("holding")
            )
            if holding is None:
                form.add_error("holding", service_selectors.CHOOSE_BUSINESS)
                return self.form_invalid(form)
        service_services.consent_give(member=self.request.user, system=system, request=self.request)
        service_services.handoff_take(
            session=self.request.session, client_id=system.client.client_id
        )
        self.portal_business_id = holding.business_id if holding else None
        return super().form_valid(form)

    def create_authorization_response(self, request, scopes, credentials, allow):
        if allow:
            # Read by PortalValidator.save_authorization_code, which records the SignIn.
            if request.session.session_key is None:
                request.session.save()
            credentials["portal_business_id"] = self.portal_business_id
            credentials["portal_session_key"] = request.session.session_key
            auth_time = request.session.get(AUTH_TIME)
            credentials["portal_auth_time"] = (
                datetime.fromtimestamp(auth_time, tz=UTC) if auth_time is not None else None
            )
        return super().create_authorization_response(request, scopes, credentials, allow)

    # --- the page ------------------------------------------------------------------------

    def _page_state(self, system) -> dict:
        return service_selectors.handoff_page(member=self.request.user, system=system)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = context.get("form")
        client_id = ""
        if form is not None:
            client_id = form.data.get("client_id") or form.initial.get("client_id") or ""
        system = service_selectors.system_for_client(client_id=client_id) if client_id else None
        if system is not None and "error" not in context:
            context.update(self._page_state(system))
        return context
