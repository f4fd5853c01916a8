"""OpenID Connect Back-Channel Logout 1.0 (SSO-07): when a portal session ends, each
connected system the member signed into from it gets a signed logout token, server to server.

Why back-channel and not front-channel: front-channel logout loads each system's logout page
in a hidden iframe, which needs that system's cookies in a third-party context; Safari and
Firefox block those by default (SSO-08 names both), and a closed tab sends nothing. A POST
from the portal to each system works whatever the browser does, and also when the session
is ended from another device (the sessions page, a password change).
"""

import json
import time
import uuid

from django.conf import settings
from jwcrypto import jwk, jwt

BACKCHANNEL_EVENT = "http://schemas.openid.net/event/backchannel-logout"


def signing_key() -> jwk.JWK:
    return jwk.JWK.from_pem(settings.OAUTH2_PROVIDER["OIDC_RSA_PRIVATE_KEY"].encode())


def logout_token(*, issuer: str, client_id: str, subject: str, sid: str) -> str:
    """A logout token (spec section 2.4): signed like the ID token, never with a nonce."""
    key = signing_key()
    now = int(time.time())
    claims = {
        "iss": issuer,
        "aud": client_id,
        "iat": now,
        "exp": now + 120,
        "jti": str(uuid.uuid4()),
        "sub": subject,
        "sid": sid,
        "events": {BACKCHANNEL_EVENT: {}},
    }
    token = jwt.JWT(
        header={"alg": "RS256", "typ": "logout+jwt", "kid": key.thumbprint()},
        claims=json.dumps(claims),
    )
    token.make_signed_token(key)
    return token.serialize()
