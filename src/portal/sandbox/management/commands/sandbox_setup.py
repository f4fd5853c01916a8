from django.conf import settings
from django.core.management.base import BaseCommand

from portal.documents.signing import signature_level
from portal.sandbox.connected_client import register_sample_clients
from portal.sandbox.demo import DEMO_PASSWORD, demo_accounts_ensure
from portal.sandbox.world_generator import ensure_default_world


class Command(BaseCommand):
    help = "Build the default sandbox world if needed and create the demo accounts."

    def handle(self, *args, **options):
        ensure_default_world()
        # The sandbox CA and signing keys of the signed documents, made once here at set-up
        # rather than at the first receipt.
        level = signature_level()
        logins = demo_accounts_ensure()
        site = settings.SITE_URL.rstrip("/")
        also = site.replace("127.0.0.1", "localhost") if "127.0.0.1" in site else ""
        systems = register_sample_clients([site, *([also] if also else [])])
        self.stdout.write(f"Sandbox world: {settings.SANDBOX_WORLD}")
        self.stdout.write(
            f"Signed documents: {level}, sandbox keys in {settings.DOCUMENT_SANDBOX_KEYS_DIR}"
            if settings.DOCUMENT_SANDBOX_KEYS
            else f"Signed documents: {level}"
        )
        self.stdout.write(f"Demo logins (password {DEMO_PASSWORD}):")
        for login in logins:
            note = f" ({login.note})" if login.note else ""
            self.stdout.write(f"  {login.role:<36} {login.pid}  {login.name}{note}")
        self.stdout.write(
            f"{systems} connected systems, played by the sample client at {site}/sandbox/connected/"
        )
