"""manage.py build_world: write a generated sandbox world (see portal.sandbox.world_generator)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from portal.sandbox.world_generator import (
    DEFAULT_CITIZENS,
    DEFAULT_SEED,
    MIN_CITIZENS,
    WorldExistsError,
    write_world,
)


class Command(BaseCommand):
    help = "Generate a sandbox world of Thai registries (citizens, DBD, RD, DOAE, DIW) as JSONL."

    def add_arguments(self, parser):
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="random seed")
        parser.add_argument(
            "--citizens", type=int, default=DEFAULT_CITIZENS, help="number of citizens"
        )
        parser.add_argument(
            "--out", default=None, help="directory to write (default: settings.SANDBOX_WORLD)"
        )
        parser.add_argument(
            "--force", action="store_true", help="overwrite a directory that is not empty"
        )

    def handle(self, *args, seed, citizens, out, force, **options):
        out = out or settings.SANDBOX_WORLD
        if citizens < MIN_CITIZENS:
            raise CommandError(f"--citizens must be at least {MIN_CITIZENS}")
        try:
            counts = write_world(out, seed=seed, citizens=citizens, force=force)
        except WorldExistsError:
            raise CommandError(f"{out} is not empty; add --force to overwrite it") from None
        summary = ", ".join(f"{count} {name}" for name, count in counts.items())
        self.stdout.write(self.style.SUCCESS(f"World (seed {seed}) written to {out}: {summary}"))
