"""A sandbox ThaID (ACC-10): an OpenID Connect provider that plays DOPA's digital-ID app.

    /sandbox/thaid/.well-known/openid-configuration   discovery (issuer /sandbox/thaid)
    /sandbox/thaid/jwks                               its own RS256 public key
    /sandbox/thaid/authorize                          starts a request, then shows its QR code
    /sandbox/thaid/qr/<id>/                           the QR code, a countdown, status polling
    /sandbox/thaid/app/<id>/                          the "phone app": pick a citizen of the
                                                      sandbox world, consent or refuse
    /sandbox/thaid/token                              code -> tokens (client_secret_basic)
    /sandbox/thaid/userinfo                           the same claims for a bearer token

As with the real ThaID: the authorization code flow, client_secret_basic at the token
endpoint, claims named like ThaID's scopes (pid, title, given_name, family_name, name,
name_en, birthdate ...), one claim per scope asked for. The QR code lives
THAID_QR_LIFETIME_SECONDS; an expired request cannot be approved. A code lives
CODE_LIFETIME_SECONDS and is exchanged once; PKCE (S256) is checked when the client sent a
challenge. The client ID and secret it accepts are the portal's THAID_CLIENT_ID and
THAID_CLIENT_SECRET. Not implemented: refresh tokens, client_secret_post, the plain PKCE
method, the claims ThaID has and the world does not (gender, address, smartcard_code, ial).
"""

import base64
import hashlib
import hmac
import itertools
import logging
import re
import secrets
import threading
import time
from datetime import timedelta
from pathlib import Path
from urllib.parse import unquote, urlencode, urlsplit

import segno
from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods
from joserfc import jwt
from joserfc.jwk import RSAKey

from portal.core import thaidate
from portal.core.thaiid import normalize_pid
from portal.identity.signing_keys import new_private_key_pem, write_once
from portal.registries.base import RegistryUnavailable
from portal.registries.dopa import Citizen, citizen_registry
from portal.registries.world import current_world
from portal.sandbox.models import ThaidRequest

logger = logging.getLogger(__name__)

CODE_LIFETIME_SECONDS = 60
TOKEN_LIFETIME_SECONDS = 600
SAMPLE_CITIZENS = 8
BOUND_SESSION_KEY = "sandbox_thaid_requests"
KEEP_REQUESTS = timedelta(days=1)
SCOPES = (
    "openid",
    "pid",
    "title",
    "title_en",
    "given_name",
    "middle_name",
    "family_name",
    "name",
    "given_name_en",
    "family_name_en",
    "name_en",
    "birthdate",
    "date_of_expiry",
)
_EN_TITLES = {"นาย": "Mr.", "นาง": "Mrs.", "นางสาว": "Miss", "เด็กชาย": "Master", "เด็กหญิง": "Miss"}
_CHALLENGE = re.compile(r"[A-Za-z0-9_\-]{43}")


# --- the provider's own signing key --------------------------------------------------------

_key_lock = threading.Lock()
_key_cache: tuple[str, RSAKey] | None = None


def signing_key() -> RSAKey:
    """The sandbox ThaID's RS256 key (THAID_SANDBOX_KEY_FILE), made on first use. It is not
    the portal's own OpenID Connect key: the portal must trust it only through the JWKS."""
    global _key_cache
    path = str(settings.THAID_SANDBOX_KEY_FILE)
    cached = _key_cache
    if cached is not None and cached[0] == path:
        return cached[1]
    with _key_lock:
        if not Path(path).exists():
            write_once(Path(path), new_private_key_pem())
        key = RSAKey.import_key(Path(path).read_bytes())
        key.ensure_kid()
        _key_cache = (path, key)
        return key


# --- addresses -----------------------------------------------------------------------------


def issuer(request: HttpRequest) -> str:
    discovery = reverse("sandbox:thaid_discovery")
    return request.build_absolute_uri(discovery.removesuffix("/.well-known/openid-configuration"))


def _absolute(request: HttpRequest, name: str, *args) -> str:
    return request.build_absolute_uri(reverse(f"sandbox:{name}", args=args))


def _with_query(url: str, params: dict) -> str:
    params = {k: v for k, v in params.items() if v}
    return f"{url}{'&' if '?' in url else '?'}{urlencode(params)}"


def _redirect_uri_allowed(request: HttpRequest, uri: str) -> bool:
    """Only this site's own pages: the sandbox serves the portal it runs in, on any port."""
    parts = urlsplit(uri)
    return parts.scheme in ("http", "https") and parts.netloc == request.get_host()


def _hash(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


# --- claims --------------------------------------------------------------------------------


def subject_for(pid: str) -> str:
    """A stable subject per person that does not reveal the national ID."""
    key = f"sandbox-thaid-sub:{settings.SECRET_KEY}".encode()
    return hmac.new(key, pid.encode(), hashlib.sha256).hexdigest()[:32]


def birthdate_claim(citizen: Citizen) -> str:
    """OpenID Connect's birthdate: YYYY-MM-DD in the Gregorian calendar, or YYYY alone when
    the civil registry knows only the year (elderly people, ACC-02)."""
    if not citizen.birth_year_be:
        return ""
    year = thaidate.be_to_ce(citizen.birth_year_be)
    if citizen.birth_month and citizen.birth_day:
        return f"{year:04d}-{citizen.birth_month:02d}-{citizen.birth_day:02d}"
    return f"{year:04d}"


def claims_for(citizen: Citizen, scopes: list[str]) -> dict:
    """ThaID's claims for the scopes asked for: one claim per scope of the same name."""
    full_th = " ".join(
        part
        for part in (citizen.first_name_th, citizen.middle_name_th, citizen.last_name_th)
        if part
    )
    full_en = " ".join(part for part in (citizen.first_name_en, citizen.last_name_en) if part)
    available = {
        "pid": citizen.pid,
        "title": citizen.title_th,
        "title_en": _EN_TITLES.get(citizen.title_th, ""),
        "given_name": citizen.first_name_th,
        "middle_name": citizen.middle_name_th,
        "family_name": citizen.last_name_th,
        "name": full_th,
        "given_name_en": citizen.first_name_en,
        "family_name_en": citizen.last_name_en,
        "name_en": full_en,
        "birthdate": birthdate_claim(citizen),
        "date_of_expiry": citizen.card_expiry.isoformat() if citizen.card_expiry else "",
    }
    return {name: available[name] for name in scopes if available.get(name)}


def _citizen(pid: str) -> Citizen | None:
    """A living citizen of the sandbox world, through the DOPA port (its failure switch too)."""
    citizen = citizen_registry().lookup(pid)
    return citizen if citizen is not None and citizen.alive else None


def sample_citizens() -> list[Citizen]:
    records = (r for r in current_world().citizens.values() if r.alive)
    return [record.to_citizen() for record in itertools.islice(records, SAMPLE_CITIZENS)]


# --- discovery and keys --------------------------------------------------------------------


@never_cache
@require_GET
def discovery(request: HttpRequest) -> JsonResponse:
    return JsonResponse(
        {
            "issuer": issuer(request),
            "authorization_endpoint": _absolute(request, "thaid_authorize"),
            "token_endpoint": _absolute(request, "thaid_token"),
            "userinfo_endpoint": _absolute(request, "thaid_userinfo"),
            "jwks_uri": _absolute(request, "thaid_jwks"),
            "response_types_supported": ["code"],
            "response_modes_supported": ["query"],
            "grant_types_supported": ["authorization_code"],
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
            "token_endpoint_auth_methods_supported": ["client_secret_basic"],
            "code_challenge_methods_supported": ["S256"],
            "scopes_supported": list(SCOPES),
            "claims_supported": ["sub", "iss", "aud", "exp", "iat", "auth_time", "nonce"]
            + [s for s in SCOPES if s != "openid"],
        }
    )


@never_cache
@require_GET
def jwks(request: HttpRequest) -> JsonResponse:
    public = signing_key().as_dict(private=False)
    public.update({"use": "sig", "alg": "RS256"})
    return JsonResponse({"keys": [public]})


# --- authorization: the QR code on the computer --------------------------------------------


def _error_page(request, message: str, *, status: int = 400) -> HttpResponse:
    return render(request, "sandbox/thaid_error.html", {"message": message}, status=status)


def _bind(request: HttpRequest, thaid_request: ThaidRequest) -> None:
    """Only the browser that started a request is sent on with its code."""
    bound = [i for i in request.session.get(BOUND_SESSION_KEY, []) if i != str(thaid_request.pk)]
    request.session[BOUND_SESSION_KEY] = [*bound[-9:], str(thaid_request.pk)]


def _is_bound(request: HttpRequest, thaid_request: ThaidRequest) -> bool:
    return str(thaid_request.pk) in request.session.get(BOUND_SESSION_KEY, [])


@never_cache
@require_GET
def authorize(request: HttpRequest) -> HttpResponse:
    params = request.GET
    client_id = params.get("client_id", "")
    redirect_uri = params.get("redirect_uri", "")
    # Errors about the client or its address are shown here, never sent to an unknown site.
    if not client_id or not hmac.compare_digest(client_id, settings.THAID_CLIENT_ID or ""):
        return _error_page(request, _("This application is not registered with ThaID."))
    if not _redirect_uri_allowed(request, redirect_uri):
        return _error_page(request, _("The return address of this application is not allowed."))

    def back(error: str, description: str) -> HttpResponse:
        return redirect(
            _with_query(
                redirect_uri,
                {"error": error, "error_description": description, "state": params.get("state")},
            )
        )

    if params.get("response_type") != "code":
        return back("unsupported_response_type", "only the authorization code flow")
    scopes = params.get("scope", "").split()
    if "openid" not in scopes:
        return back("invalid_scope", "openid is required")
    challenge = params.get("code_challenge", "")
    if challenge and (
        params.get("code_challenge_method") != "S256" or not _CHALLENGE.fullmatch(challenge)
    ):
        return back("invalid_request", "PKCE: only S256 with a 43-character challenge")
    now = timezone.now()
    ThaidRequest.objects.filter(created_at__lt=now - KEEP_REQUESTS).delete()
    thaid_request = ThaidRequest.objects.create(
        client_id=client_id,
        redirect_uri=redirect_uri,
        scope=" ".join(s for s in scopes if s in SCOPES),
        state=params.get("state", "")[:500],
        nonce=params.get("nonce", "")[:500],
        code_challenge=challenge,
        created_at=now,
        expires_at=now + timedelta(seconds=settings.THAID_QR_LIFETIME_SECONDS),
    )
    _bind(request, thaid_request)
    return redirect("sandbox:thaid_qr", request_id=thaid_request.pk)


def _status(thaid_request: ThaidRequest) -> str:
    if thaid_request.status == ThaidRequest.Status.PENDING and thaid_request.is_expired():
        return "expired"
    return thaid_request.status


@never_cache
@require_GET
def qr(request: HttpRequest, request_id) -> HttpResponse:
    thaid_request = get_object_or_404(ThaidRequest, pk=request_id)
    if not _is_bound(request, thaid_request):
        raise Http404
    app_url = _absolute(request, "thaid_app", thaid_request.pk)
    qr_svg = segno.make(app_url, error="m").svg_inline(
        scale=5, title=_("QR code for the ThaID app"), border=2
    )
    seconds_left = thaid_request.seconds_left()
    return render(
        request,
        "sandbox/thaid_qr.html",
        {
            "thaid_request": thaid_request,
            "status": _status(thaid_request),
            "seconds_left": seconds_left,
            "countdown": f"{seconds_left // 60}:{seconds_left % 60:02d}",
            "lifetime": settings.THAID_QR_LIFETIME_SECONDS,
            "qr_svg": qr_svg,
            "app_url": app_url,
        },
    )


@never_cache
@require_GET
def status(request: HttpRequest, request_id) -> JsonResponse:
    """{"status": pending|approved|refused|expired, "seconds_left": n, "continue": url|null};
    the QR page asks every 2 s. Only the browser that started the request gets "continue"."""
    thaid_request = get_object_or_404(ThaidRequest, pk=request_id)
    state = _status(thaid_request)
    go_on = None
    if state != "pending" and _is_bound(request, thaid_request):
        go_on = reverse("sandbox:thaid_continue", args=[thaid_request.pk])
    return JsonResponse(
        {"status": state, "seconds_left": thaid_request.seconds_left(), "continue": go_on}
    )


@never_cache
@require_GET
def continue_(request: HttpRequest, request_id) -> HttpResponse:
    """Back to the application with the answer: a code, access_denied, or expired_token."""
    thaid_request = get_object_or_404(ThaidRequest, pk=request_id)
    if not _is_bound(request, thaid_request):
        return _error_page(
            request, _("This ThaID request was started in another browser."), status=403
        )
    state = _status(thaid_request)
    answer = {"state": thaid_request.state}
    if state == "pending":
        return redirect("sandbox:thaid_qr", request_id=thaid_request.pk)
    if state == "expired":
        answer |= {"error": "expired_token", "error_description": "The QR code expired"}
    elif state == ThaidRequest.Status.REFUSED:
        answer |= {"error": "access_denied", "error_description": "The person did not consent"}
    else:
        code = secrets.token_urlsafe(32)
        issued = ThaidRequest.objects.filter(
            pk=thaid_request.pk, status=ThaidRequest.Status.APPROVED, code_hash=""
        ).update(code_hash=_hash(code), code_issued_at=timezone.now())
        if not issued:
            return _error_page(
                request,
                _("This ThaID request was already used. Start again from the application."),
            )
        answer["code"] = code
    return redirect(_with_query(thaid_request.redirect_uri, answer))


# --- the phone app -------------------------------------------------------------------------


def _scope_labels(scope: str) -> list[str]:
    labels = {
        "pid": _("National ID"),
        "title": _("Title"),
        "title_en": _("Title in English"),
        "given_name": _("First name"),
        "middle_name": _("Middle name"),
        "family_name": _("Last name"),
        "name": _("Full name"),
        "given_name_en": _("First name in English"),
        "family_name_en": _("Last name in English"),
        "name_en": _("Full name in English"),
        "birthdate": _("Date of birth"),
        "date_of_expiry": _("ID card expiry date"),
    }
    return [labels[s] for s in scope.split() if s in labels]


@never_cache
@require_http_methods(["GET", "POST"])
def app(request: HttpRequest, request_id) -> HttpResponse:
    """The sandbox phone app: choose a citizen of the world, then consent or refuse."""
    thaid_request = get_object_or_404(ThaidRequest, pk=request_id)
    error = ""
    found = None
    http_status = 200
    typed = normalize_pid(request.POST.get("national_id", ""))
    action = request.POST.get("action", "")
    try:
        if request.method == "POST" and action == "find":
            found = _citizen(typed) if typed else None
            if found is None:
                error = _("No living citizen of the sandbox world has this national ID.")
                http_status = 400
        elif request.method == "POST" and action in ("consent", "refuse"):
            error, http_status = _decide(request, thaid_request, action, typed)
            if http_status == 200:
                return redirect("sandbox:thaid_app", request_id=thaid_request.pk)
        samples = sample_citizens()
    except RegistryUnavailable:
        error = _("The civil registry cannot be reached (see the sandbox registry switches).")
        http_status = 503
        samples = []
    thaid_request.refresh_from_db()
    chosen = request.POST.get("citizen", "")
    if found:
        samples = [found, *[c for c in samples if c.pid != found.pid]]
        chosen = found.pid
    return render(
        request,
        "sandbox/thaid_app.html",
        {
            "thaid_request": thaid_request,
            "status": _status(thaid_request),
            "seconds_left": thaid_request.seconds_left(),
            "samples": samples,
            "chosen": chosen,
            "typed": "" if found else typed,
            "error": error,
            "shared": _scope_labels(thaid_request.scope),
            "continue_url": reverse("sandbox:thaid_continue", args=[thaid_request.pk])
            if _is_bound(request, thaid_request)
            else "",
        },
        status=http_status,
    )


def _decide(request, thaid_request: ThaidRequest, action: str, typed: str) -> tuple[str, int]:
    """Record the app's answer once, while the QR code lives: ("", 200) when recorded; else
    (a message, 400) for a missing citizen, or ("", 409) when the request is no longer
    pending (expired or answered), which the page then shows as its state."""
    now = timezone.now()
    pending = ThaidRequest.objects.filter(
        pk=thaid_request.pk, status=ThaidRequest.Status.PENDING, expires_at__gt=now
    )
    if action == "refuse":
        refused = pending.update(status=ThaidRequest.Status.REFUSED, decided_at=now)
        return "", 200 if refused else 409
    pid = request.POST.get("citizen", "") or typed
    citizen = _citizen(pid) if pid else None
    if citizen is None and pending.exists():
        return _("Choose a citizen, or type the national ID of one, before you consent."), 400
    if citizen and pending.update(
        status=ThaidRequest.Status.APPROVED, pid=citizen.pid, decided_at=now
    ):
        logger.info("sandbox ThaID request %s approved", thaid_request.pk)
        return "", 200
    return "", 409


# --- tokens --------------------------------------------------------------------------------


def _token_error(error: str, description: str, *, status: int = 400) -> JsonResponse:
    response = JsonResponse({"error": error, "error_description": description}, status=status)
    if error == "invalid_client":
        response["WWW-Authenticate"] = 'Basic realm="sandbox-thaid"'
    return response


def _client_authenticated(request: HttpRequest) -> bool:
    """client_secret_basic (RFC 6749 2.3.1): Base64 of the form-encoded ID and secret."""
    scheme, _space, credentials = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "basic":
        return False
    try:
        decoded = base64.b64decode(credentials, validate=True).decode()
    except (ValueError, UnicodeDecodeError):
        return False
    client_id, colon, secret = decoded.partition(":")
    expected_id = settings.THAID_CLIENT_ID or ""
    expected_secret = settings.THAID_CLIENT_SECRET or ""
    return bool(
        colon
        and expected_id
        and expected_secret
        and hmac.compare_digest(unquote(client_id).encode(), expected_id.encode())
        and hmac.compare_digest(unquote(secret).encode(), expected_secret.encode())
    )


def _s256(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def _at_hash(access_token: str) -> str:
    digest = hashlib.sha256(access_token.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest[:16]).rstrip(b"=").decode("ascii")


@csrf_exempt
@never_cache
@require_http_methods(["POST"])
def token(request: HttpRequest) -> JsonResponse:
    if not _client_authenticated(request):
        return _token_error("invalid_client", "client authentication failed", status=401)
    if request.POST.get("grant_type") != "authorization_code":
        return _token_error("unsupported_grant_type", "only authorization_code")
    code = request.POST.get("code", "")
    thaid_request = ThaidRequest.objects.filter(code_hash=_hash(code)).first() if code else None
    if thaid_request is None or thaid_request.client_id != settings.THAID_CLIENT_ID:
        return _token_error("invalid_grant", "unknown code")
    now = timezone.now()
    # Used once: the first exchange wins; any later one fails and ends its tokens too.
    used = ThaidRequest.objects.filter(pk=thaid_request.pk, code_used_at=None).update(
        code_used_at=now
    )
    if not used:
        ThaidRequest.objects.filter(pk=thaid_request.pk).update(access_token_hash="")
        logger.warning("sandbox ThaID code of request %s used again", thaid_request.pk)
        return _token_error("invalid_grant", "the code was already used")
    if now - thaid_request.code_issued_at > timedelta(seconds=CODE_LIFETIME_SECONDS):
        return _token_error("invalid_grant", "the code expired")
    if request.POST.get("redirect_uri", "") != thaid_request.redirect_uri:
        return _token_error("invalid_grant", "redirect_uri differs from the authorization")
    if thaid_request.code_challenge and not hmac.compare_digest(
        _s256(request.POST.get("code_verifier", "")), thaid_request.code_challenge
    ):
        return _token_error("invalid_grant", "PKCE verification failed")
    try:
        citizen = _citizen(thaid_request.pid)
    except RegistryUnavailable:
        return _token_error("temporarily_unavailable", "civil registry down", status=503)
    if citizen is None:
        return _token_error("invalid_grant", "the person is no longer known")
    access_token = secrets.token_urlsafe(32)
    ThaidRequest.objects.filter(pk=thaid_request.pk).update(
        access_token_hash=_hash(access_token),
        access_token_expires_at=now + timedelta(seconds=TOKEN_LIFETIME_SECONDS),
    )
    issued_at = int(time.time())
    claims = {
        "iss": issuer(request),
        "sub": subject_for(citizen.pid),
        "aud": thaid_request.client_id,
        "iat": issued_at,
        "exp": issued_at + TOKEN_LIFETIME_SECONDS,
        "auth_time": int(thaid_request.decided_at.timestamp()),
        "at_hash": _at_hash(access_token),
        **({"nonce": thaid_request.nonce} if thaid_request.nonce else {}),
        **claims_for(citizen, thaid_request.scope.split()),
    }
    key = signing_key()
    id_token = jwt.encode({"alg": "RS256", "kid": key.kid, "typ": "JWT"}, claims, key)
    return JsonResponse(
        {
            "access_token": access_token,
            "token_type": "Bearer",
            "expires_in": TOKEN_LIFETIME_SECONDS,
            "scope": thaid_request.scope,
            "id_token": id_token,
        }
    )


@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def userinfo(request: HttpRequest) -> JsonResponse:
    scheme, _space, access_token = request.headers.get("Authorization", "").partition(" ")
    thaid_request = (
        ThaidRequest.objects.filter(
            access_token_hash=_hash(access_token),
            access_token_expires_at__gt=timezone.now(),
            status=ThaidRequest.Status.APPROVED,
        ).first()
        if scheme.lower() == "bearer" and access_token
        else None
    )
    if thaid_request is None:
        response = JsonResponse({"error": "invalid_token"}, status=401)
        response["WWW-Authenticate"] = 'Bearer error="invalid_token"'
        return response
    try:
        citizen = _citizen(thaid_request.pid)
    except RegistryUnavailable:
        return JsonResponse({"error": "temporarily_unavailable"}, status=503)
    if citizen is None:
        return JsonResponse({"error": "invalid_token"}, status=401)
    return JsonResponse(
        {"sub": subject_for(citizen.pid), **claims_for(citizen, thaid_request.scope.split())},
        json_dumps_params={"ensure_ascii": False},
    )
