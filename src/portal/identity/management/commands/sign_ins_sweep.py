from django.core.management.base import BaseCommand

from portal.identity.services import sign_ins_sweep


class Command(BaseCommand):
    help = (
        "End the sign-ins to connected systems whose portal session timed out (the systems are "
        "told by back-channel logout) and delete sign-ins ended more than 30 days ago. Run it "
        "every few minutes, beside cleartokens and clearsessions."
    )

    def handle(self, *args, **options):
        ended, deleted = sign_ins_sweep()
        self.stdout.write(
            f"ended {ended} sign-ins of timed-out sessions, deleted {deleted} old ones"
        )
