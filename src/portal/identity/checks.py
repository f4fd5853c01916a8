"""Production refuses to start without what the OpenID Connect provider signs and names with.

Development, the sandbox and the tests make a signing key at first start
(signing_keys.load(create=True)) and take the issuer from the request. Production must not:
a key made on one machine is not the key of the others behind the load balancer, a missing
key publishes an empty JWKS (every connected system then refuses every ID token), and an
issuer taken from the Host header depends on whatever name a request arrived with.
"""

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.conf import settings
from django.core import checks
from django.core.checks import Error


def production() -> bool:
    return not (settings.DEBUG or settings.SANDBOX or getattr(settings, "TESTING", False))


def oidc_signing_key_and_issuer(app_configs=None, **kwargs) -> list[Error]:
    if not production():
        return []
    provider = settings.OAUTH2_PROVIDER
    errors = []
    if not provider.get("OIDC_ISS_ENDPOINT"):
        errors.append(
            Error(
                "OIDC_ISSUER is not set.",
                hint="Set OIDC_ISSUER to the portal's public base URL, e.g. https://portal.example.",
                id="identity.E001",
            )
        )
    pem = provider.get("OIDC_RSA_PRIVATE_KEY") or ""
    if not pem:
        errors.append(
            Error(
                f"No OpenID Connect signing key: {settings.OIDC_KEY_DIR}/active.pem is missing.",
                hint="Provide the RSA key as active.pem in OIDC_KEY_DIR (the same on every "
                "machine); `manage.py oidc_rotate_key` makes one.",
                id="identity.E002",
            )
        )
    else:
        try:
            key = serialization.load_pem_private_key(pem.encode(), password=None)
        except ValueError:
            key = None
        if not isinstance(key, rsa.RSAPrivateKey) or key.key_size < 2048:
            errors.append(
                Error(
                    "The OpenID Connect signing key is not an RSA private key of 2048 bits "
                    "or more.",
                    hint=f"Check {settings.OIDC_KEY_DIR}/active.pem (PEM, unencrypted).",
                    id="identity.E003",
                )
            )
    return errors


def register() -> None:
    # Not deploy-only: `migrate`, `runserver` and `check` all stop on these errors.
    checks.register(oidc_signing_key_and_issuer, checks.Tags.security)
