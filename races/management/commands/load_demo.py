"""`manage.py load_demo [--subset]`: the demo data (README, "Demo data")."""

import time

from django.core.management.base import BaseCommand, CommandError

from races.demo import explained, lemans, lms2011


class Command(BaseCommand):
    help = (
        "Load the demo data: the 24 Hours of Le Mans 1923–2026 and the 2011 Le Mans Series. "
        "Idempotent: what is loaded already is left alone."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--subset",
            action="store_true",
            help="Only Le Mans 2010–2012 and the 2011 seasons (for fast tests).",
        )

    def handle(self, *args, subset=False, **options):
        started = time.monotonic()
        try:
            lemans.load(years=lemans.SUBSET_YEARS if subset else None, stdout=self.stdout)
        except lemans.LoadError as error:
            raise CommandError(str(error)) from error
        lms2011.load(self.stdout)
        explained.load(self.stdout)  # after the data: races/demo/explained.py
        self.stdout.write(f"Demo data ready in {time.monotonic() - started:.1f} s.")
