from django.conf import settings
from django.core.management.base import BaseCommand

from portal.identity import signing_keys


class Command(BaseCommand):
    help = (
        "Rotate the OpenID Connect signing key: make a new active key, keep the old one in the "
        "JWKS until the ID tokens it signed have expired. Restart the web processes afterwards."
    )
    # It makes the first key of a production install, which the system checks would refuse
    # to start without (identity/checks.py).
    requires_system_checks = []

    def handle(self, *args, **options):
        retired = signing_keys.rotate(
            settings.OIDC_KEY_DIR,
            # Twice the ID-token lifetime: a token issued just before the rotation by a process
            # not yet restarted still validates to the end of its life.
            keep_retired_seconds=2 * settings.ID_TOKEN_LIFETIME_SECONDS,
        )
        self.stdout.write(f"New active key in {settings.OIDC_KEY_DIR}; previous key: {retired}")
