from django.core.management.base import BaseCommand, CommandError

from portal.identity.models import ConnectedSystem
from portal.identity.services import connected_system_register_client


class Command(BaseCommand):
    help = (
        "Register or update the OpenID Connect client of a connected system (SSO-01). "
        "Prints the client id and, once, the secret."
    )

    def add_arguments(self, parser):
        parser.add_argument("slug", help="the system's slug in the catalogue")
        parser.add_argument("--redirect-uri", action="append", required=True)
        parser.add_argument("--initiate-login-uri", required=True)
        parser.add_argument("--backchannel-logout-uri", default="")
        parser.add_argument("--post-logout-redirect-uri", action="append", default=[])
        parser.add_argument(
            "--rotate-secret",
            action="store_true",
            help="give an existing client a new secret (the old one stops working at once)",
        )

    def handle(self, *args, **options):
        system = ConnectedSystem.objects.filter(slug=options["slug"]).first()
        if system is None:
            raise CommandError(f"no connected system {options['slug']!r} in the catalogue")
        client, secret = connected_system_register_client(
            system=system,
            redirect_uris=options["redirect_uri"],
            initiate_login_uri=options["initiate_login_uri"],
            backchannel_logout_uri=options["backchannel_logout_uri"],
            post_logout_redirect_uris=options["post_logout_redirect_uri"],
            rotate_secret=options["rotate_secret"],
        )
        self.stdout.write(f"client_id: {client.client_id}")
        if secret is None:
            self.stdout.write("client_secret: unchanged (--rotate-secret gives a new one)")
        else:
            self.stdout.write(f"client_secret (shown once): {secret}")
