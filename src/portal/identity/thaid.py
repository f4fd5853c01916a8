"""The portal as a client of ThaID, DOPA's digital-ID app (ACC-10): OpenID Connect with the
authorization code flow, client_secret_basic, PKCE (S256), state and nonce.

    begin()   discovery -> authorization URL; state, nonce and the PKCE verifier go into the
              Django session, with the time the QR code was asked for
    finish()  on the callback: the state must be this browser's; the answer must come within
              the QR code's life (THAID_QR_LIFETIME_SECONDS); the code is exchanged once with
              client_secret_basic; the ID token is checked against the provider's JWKS
              (RS256 signature, iss, aud, exp, iat, nonce); the claims become a ThaidIdentity

The real ThaID is configured by THAID_DISCOVERY_URL and the client credentials alone. A
relative discovery URL (the sandbox default) is resolved against the request's own host, so
the sandbox provider at /sandbox/thaid/ works on any port. Every call goes through the
project's one HTTP client (core.http_client: timeout, retries of the reads only, circuit
breaker); tests set TRANSPORT to an httpx.WSGITransport instead of real sockets. An
unreachable ThaID raises RegistryUnavailable("thaid", reason) like every outside party.
Nothing here logs a national ID, a code or a token.
"""

import base64
import hashlib
import json
import logging
import re
import secrets
import time
from dataclasses import asdict, dataclass, replace
from urllib.parse import quote, urlencode, urlsplit

import httpx
from django.conf import settings
from django.core.cache import cache
from django.urls import reverse
from joserfc import jwt
from joserfc.errors import InvalidKeyIdError, JoseError
from joserfc.jwk import KeySet

from portal.core import thaidate
from portal.core.http_client import HttpClient
from portal.core.thaiid import decrypt_text, encrypt_text, is_valid_pid, normalize_pid
from portal.registries.base import RegistryUnavailable
from portal.registries.dopa import Citizen, citizen_registry

logger = logging.getLogger(__name__)

# Tests replace this with httpx.WSGITransport(app=...); None is httpx's own network transport.
TRANSPORT: httpx.BaseTransport | None = None

SESSION_FLOW = "thaid_flow"
SESSION_IDENTITY = "thaid_identity"
# The ThaID proof carried into the registration wizard is good for this long.
IDENTITY_MAX_AGE = 30 * 60
# Time for the redirects between the phone's consent and the callback.
CALLBACK_GRACE_SECONDS = 30
METADATA_CACHE_SECONDS = 3600
CLOCK_LEEWAY_SECONDS = 60
TARGET = "thaid"


class ThaidError(Exception):
    """ThaID's answer gives no login. `code` says why, for the page and the log:

    no_flow, state_mismatch  the answer does not belong to a login started in this browser
    refused                  the person did not consent in the app
    expired                  the QR code's life ended before the consent came back
    provider_error           ThaID answered with another error
    invalid_token            the code exchange or the ID token failed its checks
    invalid_claims           the ID token lacks a valid national ID
    """

    def __init__(self, code: str, detail: str = ""):
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code
        self.detail = detail


@dataclass(frozen=True)
class ProviderConfig:
    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    jwks_uri: str
    userinfo_endpoint: str = ""


@dataclass(frozen=True)
class ThaidIdentity:
    """Who ThaID says the person is: the civil registry's data, proven by DOPA's own app."""

    pid: str
    subject: str = ""
    title_th: str = ""
    first_name: str = ""
    last_name: str = ""
    first_name_en: str = ""
    last_name_en: str = ""
    birth_year_be: int | None = None
    birth_month: int | None = None
    birth_day: int | None = None
    # ACC-01: the civil registry's nationality, asked of DOPA when the person has no account
    # yet (ThaID's claims do not carry it); "" when the registry could not be asked.
    nationality: str = ""

    @property
    def complete(self) -> bool:
        """Enough to register with: names and at least the year of birth (ACC-02)."""
        return bool(self.first_name and self.last_name and self.birth_year_be)

    def as_citizen(self) -> Citizen:
        """The registry's view of this person, as the proof that stands in for a DOPA lookup."""
        return Citizen(
            pid=self.pid,
            title_th=self.title_th,
            first_name_th=self.first_name,
            last_name_th=self.last_name,
            first_name_en=self.first_name_en,
            last_name_en=self.last_name_en,
            birth_year_be=self.birth_year_be,
            birth_month=self.birth_month,
            birth_day=self.birth_day,
            alive=True,  # the person just consented in the app
            card_status="",
            card_expiry=None,
            nationality=self.nationality,
        )

    def registration_initial(self) -> dict:
        """The registration form's identity fields, filled in and locked (ACC-10)."""
        unknown = self.birth_day is None or self.birth_month is None
        return {
            "national_id": self.pid,
            "first_name": self.first_name,
            "last_name": self.last_name,
            "birth_day": "0" if unknown else str(self.birth_day),
            "birth_month": "0" if unknown else str(self.birth_month),
            "birth_year_be": self.birth_year_be,
        }


# --- settings and addresses ----------------------------------------------------------------


def configured() -> bool:
    return bool(settings.THAID_CLIENT_ID and settings.THAID_DISCOVERY_URL)


def discovery_url(request) -> str:
    """THAID_DISCOVERY_URL; a relative one is resolved against this request's host."""
    return request.build_absolute_uri(settings.THAID_DISCOVERY_URL)


def redirect_uri(request) -> str:
    return settings.THAID_REDIRECT_URI or request.build_absolute_uri(
        reverse("identity:thaid_callback")
    )


# --- HTTP ----------------------------------------------------------------------------------


def _call(
    method: str, url: str, *, data: dict | None = None, headers: dict | None = None
) -> httpx.Response:
    """One request to ThaID through the one HTTP client: a timeout, the reads (discovery,
    JWKS, userinfo) retried, the code exchange never (a code is good once), a circuit
    breaker, failures raised as RegistryUnavailable, logs with the path only (never a query,
    body, code or token). URLs are absolute: the discovery document names the endpoints."""
    parts = urlsplit(url)
    client = HttpClient(
        TARGET,
        base_url=f"{parts.scheme}://{parts.netloc}",
        timeout=settings.THAID_TIMEOUT_SECONDS,
        transport=TRANSPORT,
    )
    if method == "GET":
        return client.get(url, headers=headers)
    return client.post(url, data=data, headers=headers, idempotent=False)


def _json(response: httpx.Response, what: str) -> dict:
    try:
        body = response.json()
    except ValueError:
        body = None
    if response.status_code != 200 or not isinstance(body, dict):
        logger.warning("%s: HTTP %s, not a JSON object", what, response.status_code)
        raise RegistryUnavailable(TARGET, "down")
    return body


def _cache_key(kind: str, url: str) -> str:
    return f"thaid:{kind}:{hashlib.sha256(url.encode()).hexdigest()[:32]}"


def provider_config(url: str) -> ProviderConfig:
    """The provider's discovery document at `url`, cached for an hour."""
    key = _cache_key("discovery", url)
    document = cache.get(key)
    if document is None:
        document = _json(_call("GET", url), "discovery")
        cache.set(key, document, METADATA_CACHE_SECONDS)
    try:
        return ProviderConfig(
            issuer=document["issuer"],
            authorization_endpoint=document["authorization_endpoint"],
            token_endpoint=document["token_endpoint"],
            jwks_uri=document["jwks_uri"],
            userinfo_endpoint=document.get("userinfo_endpoint", ""),
        )
    except (KeyError, TypeError):
        cache.delete(key)
        raise RegistryUnavailable(TARGET, "down") from None


def _key_set(config: ProviderConfig, *, fresh: bool = False) -> KeySet:
    key = _cache_key("jwks", config.jwks_uri)
    document = None if fresh else cache.get(key)
    if document is None:
        document = _json(_call("GET", config.jwks_uri), "jwks")
        cache.set(key, document, METADATA_CACHE_SECONDS)
    try:
        return KeySet.import_key_set(document)
    except (JoseError, KeyError, TypeError, ValueError):
        cache.delete(key)
        raise ThaidError("invalid_token", "unusable JWKS") from None


# --- the flow ------------------------------------------------------------------------------


def _s256(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def begin(request, *, next_url: str = "") -> str:
    """Start a login: remember state, nonce and PKCE verifier; return ThaID's address.

    A new press replaces any earlier flow of this browser, so an older QR code's answer no
    longer matches anything (ACC-10)."""
    config = provider_config(discovery_url(request))
    state = secrets.token_urlsafe(32)
    nonce = secrets.token_urlsafe(32)
    verifier = secrets.token_urlsafe(64)
    callback = redirect_uri(request)
    request.session.pop(SESSION_IDENTITY, None)
    request.session[SESSION_FLOW] = {
        "state": state,
        "nonce": nonce,
        "verifier": verifier,
        "redirect_uri": callback,
        "discovery_url": discovery_url(request),
        "started": time.time(),
        "next": next_url,
    }
    query = urlencode(
        {
            "response_type": "code",
            "client_id": settings.THAID_CLIENT_ID,
            "redirect_uri": callback,
            "scope": settings.THAID_SCOPES,
            "state": state,
            "nonce": nonce,
            "code_challenge": _s256(verifier),
            "code_challenge_method": "S256",
        }
    )
    separator = "&" if "?" in config.authorization_endpoint else "?"
    return f"{config.authorization_endpoint}{separator}{query}"


def finish(request) -> tuple[ThaidIdentity, str]:
    """Check ThaID's answer on the callback; (the identity, the page to go next).

    The flow is taken out of the session first: whatever happens, this answer is used once
    and a new login needs a new press of the button."""
    flow = request.session.pop(SESSION_FLOW, None)
    if not flow:
        raise ThaidError("no_flow")
    if not secrets.compare_digest(request.GET.get("state", "").encode(), flow["state"].encode()):
        raise ThaidError("state_mismatch")
    error = request.GET.get("error", "")
    if error == "access_denied":
        raise ThaidError("refused")
    if error == "expired_token":
        raise ThaidError("expired")
    if error:
        raise ThaidError("provider_error", error[:40])
    # ACC-10 holds even if a provider keeps its QR codes longer than the portal allows.
    if time.time() - flow["started"] > settings.THAID_QR_LIFETIME_SECONDS + CALLBACK_GRACE_SECONDS:
        raise ThaidError("expired")
    code = request.GET.get("code", "")
    if not code:
        raise ThaidError("provider_error", "no code")
    config = provider_config(flow["discovery_url"])
    tokens = _exchange(config, code=code, flow=flow)
    claims = _validated_claims(config, tokens["id_token"], nonce=flow["nonce"])
    if "pid" not in claims and config.userinfo_endpoint and tokens.get("access_token"):
        claims = {**_userinfo(config, tokens["access_token"], subject=claims["sub"]), **claims}
    return identity_from_claims(claims), flow.get("next", "")


def _basic_auth() -> str:
    pair = (
        f"{quote(settings.THAID_CLIENT_ID, safe='')}:{quote(settings.THAID_CLIENT_SECRET, safe='')}"
    )
    return "Basic " + base64.b64encode(pair.encode()).decode("ascii")


def _exchange(config: ProviderConfig, *, code: str, flow: dict) -> dict:
    """The code for tokens, once, authenticated with client_secret_basic (RFC 6749 2.3.1:
    the ID and secret are form-encoded before Base64, as authlib does)."""
    response = _call(
        "POST",
        config.token_endpoint,
        data={
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": flow["redirect_uri"],
            "code_verifier": flow["verifier"],
        },
        headers={"Accept": "application/json", "Authorization": _basic_auth()},
    )
    try:
        body = response.json()
    except ValueError:
        body = {}
    if response.status_code != 200 or not isinstance(body, dict) or "id_token" not in body:
        error = body.get("error", "") if isinstance(body, dict) else ""
        logger.warning("thaid token exchange refused: HTTP %s %s", response.status_code, error)
        raise ThaidError("invalid_token", f"token endpoint: {response.status_code} {error}")
    return body


def _validated_claims(config: ProviderConfig, id_token: str, *, nonce: str) -> dict:
    """The ID token's claims after checking its RS256 signature against the provider's JWKS
    (fetched again once when the key ID is new: a rotated key), then iss, aud, exp, iat and
    the nonce of this browser's flow."""
    try:
        try:
            token = jwt.decode(id_token, _key_set(config), algorithms=["RS256"])
        except InvalidKeyIdError:
            token = jwt.decode(id_token, _key_set(config, fresh=True), algorithms=["RS256"])
        jwt.JWTClaimsRegistry(
            leeway=CLOCK_LEEWAY_SECONDS,
            iss={"essential": True, "value": config.issuer},
            aud={"essential": True, "value": settings.THAID_CLIENT_ID},
            exp={"essential": True},
            iat={"essential": True},
            sub={"essential": True},
            nonce={"essential": True, "value": nonce},
        ).validate(token.claims)
    except (ValueError, JoseError) as exc:
        logger.warning("thaid ID token refused: %s", type(exc).__name__)
        raise ThaidError("invalid_token", type(exc).__name__) from None
    return dict(token.claims)


def _userinfo(config: ProviderConfig, access_token: str, *, subject: str) -> dict:
    response = _call(
        "GET", config.userinfo_endpoint, headers={"Authorization": f"Bearer {access_token}"}
    )
    body = _json(response, "userinfo")
    if body.get("sub") != subject:  # OIDC Core 5.3.2: userinfo of another person is ignored
        raise ThaidError("invalid_token", "userinfo sub differs")
    return body


# --- claims --------------------------------------------------------------------------------

_EN_TITLES = {"mr", "mrs", "miss", "ms", "master"}
_BIRTHDATE = re.compile(r"(\d{4})(?:-?(\d{2})-?(\d{2}))?")


def parse_birthdate(value) -> tuple[int | None, int | None, int | None]:
    """(Buddhist-era year, month, day) from the birthdate claim.

    OpenID Connect's form is YYYY-MM-DD in the Gregorian calendar, or YYYY alone when only
    the year is known; DOPA's own form is YYYYMMDD in the Buddhist era with 00 for an unknown
    day and month. A year above 2400 is taken as Buddhist era. Unknown day or month: both
    None (ACC-02)."""
    match = _BIRTHDATE.fullmatch(str(value or "").strip())
    if not match:
        return None, None, None
    year = int(match.group(1))
    if year == 0:
        return None, None, None
    year_be = year if year > 2400 else thaidate.ce_to_be(year)
    month = int(match.group(2) or 0)
    day = int(match.group(3) or 0)
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return year_be, None, None
    return year_be, month, day


def _english_names(claims: dict) -> tuple[str, str]:
    first, last = claims.get("given_name_en", ""), claims.get("family_name_en", "")
    if first or last:
        return first, last
    words = str(claims.get("name_en", "")).split()
    if words and words[0].rstrip(".").lower() in _EN_TITLES:
        words = words[1:]
    if len(words) < 2:
        return "", ""
    return words[0], words[-1]


def identity_from_claims(claims: dict) -> ThaidIdentity:
    pid = normalize_pid(str(claims.get("pid", "")))
    if not is_valid_pid(pid):
        raise ThaidError("invalid_claims", "no valid pid")
    year, month, day = parse_birthdate(claims.get("birthdate"))
    first_en, last_en = _english_names(claims)
    return ThaidIdentity(
        pid=pid,
        subject=str(claims.get("sub", "")),
        title_th=str(claims.get("title", "")),
        first_name=" ".join(str(claims.get("given_name", "")).split()),
        last_name=" ".join(str(claims.get("family_name", "")).split()),
        first_name_en=first_en,
        last_name_en=last_en,
        birth_year_be=year,
        birth_month=month,
        birth_day=day,
    )


# --- the proof carried into registration ---------------------------------------------------


def with_registry_nationality(identity: ThaidIdentity) -> ThaidIdentity:
    """ACC-01: the identity with the nationality the civil registry records for it. ThaID
    proves who the person is, not whether they are Thai: non-Thai residents hold 13-digit IDs
    and use ThaID too. When DOPA cannot be asked now the nationality stays unknown and
    registration asks again before storing anything (accounts.services.member_register)."""
    try:
        citizen = citizen_registry().lookup(identity.pid)
    except RegistryUnavailable:
        logger.info("ThaID registration: the civil registry could not be asked for nationality")
        return identity
    if citizen is None:
        return identity
    return replace(identity, nationality=citizen.nationality)


def remember_identity(request, identity: ThaidIdentity) -> None:
    """Keep the proof for the registration wizard, encrypted: the session store holds no
    national ID in clear (PDPA)."""
    request.session[SESSION_IDENTITY] = {
        "identity": encrypt_text(json.dumps(asdict(identity), ensure_ascii=False)),
        "at": time.time(),
    }


def proven_identity(request) -> ThaidIdentity | None:
    """The identity ThaID proved in this browser in the last IDENTITY_MAX_AGE seconds."""
    stored = request.session.get(SESSION_IDENTITY)
    if not stored:
        return None
    fields = decrypt_text(stored.get("identity", ""))
    if time.time() - stored.get("at", 0) > IDENTITY_MAX_AGE or not fields:
        request.session.pop(SESSION_IDENTITY, None)
        return None
    return ThaidIdentity(**json.loads(fields))


def forget_identity(request) -> None:
    request.session.pop(SESSION_IDENTITY, None)
