"""`manage.py load_demo [--subset]`: the demo data (README, "Demo data")."""

import time

from django.core.management.base import BaseCommand, CommandError

from drivers.models import Driver
from drivers.people import PeopleError, read_people, unplaced
from races import writes
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
        # One block of the write path: the demo is loaded whole or not at all, the standings of
        # each season it writes are stored once, and the data version advances once.
        with writes.changes():
            try:
                report = lemans.load(
                    years=lemans.SUBSET_YEARS if subset else None, stdout=self.stdout
                )
            except lemans.LoadError as error:
                raise CommandError(str(error)) from error
            try:
                loaded_2011 = lms2011.load(self.stdout)
            except PeopleError as error:
                raise CommandError(f"{error}: settle it in drivers/data/aliases.csv") from error
            # Every row of the people file found its driver: checked when this run loaded the
            # data, not against a database editors have worked on since (a renamed or merged
            # driver is their decision, not the file's).
            if not subset and (report.years or loaded_2011):
                facts = read_people()
                if problems := unplaced(facts, names_of(facts)):
                    raise CommandError("; ".join(problems))
            explained.load(self.stdout)  # after the data: races/demo/explained.py
        self.stdout.write(f"Demo data ready in {time.monotonic() - started:.1f} s.")


def names_of(facts):
    """The shown name of each driver named by a row of `facts`, by slug."""
    return dict(Driver.objects.filter(slug__in=list(facts)).values_list("slug", "full_name"))
