"""`manage.py import_laps <series> <year> <round> <file> [<file>…]`: store each driver's laps and
time at the wheel from the lap analysis of the round's race (Al Kamel `23_Analysis` CSV; a
double-header's two files add up), or with --dry-run only show them.

A crew member of a car in the file who drove no lap is stored as not having driven. A car the
event does not have, or a driver place that names someone else than the crew on record, fails
the command and nothing is written.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from races.importers import laps
from races.importers.weekend import read_decisions
from races.management.timing_arguments import (
    add_aliases,
    add_decisions,
    add_dry_run,
    add_season_arguments,
    read_file,
    read_rules,
    round_of_options,
)


def lap_decisions(options, round_number):
    """{decision key of a name in a car: driver id} of the decisions file (the timing
    import's layout)."""
    if options["decisions"] is None:
        return {}
    try:
        decisions = read_decisions(options["decisions"], round_number)
    except OSError as error:
        raise CommandError(f"{options['decisions']}: {error.strerror}") from error
    except ValueError as error:
        raise CommandError(str(error)) from error
    return decisions.people


class Command(BaseCommand):
    help = "Store each driver's laps and time at the wheel from a lap analysis CSV."

    def add_arguments(self, parser):
        add_season_arguments(parser)
        parser.add_argument("files", type=Path, nargs="+", metavar="file")
        add_dry_run(parser)
        add_decisions(parser)
        add_aliases(parser)

    def handle(self, *args, **options):
        round_ = round_of_options(options)
        parsed = [laps.parse(read_file(path, laps.MAX_BYTES)) for path in options["files"]]
        rules = read_rules(options)
        decisions = lap_decisions(options, round_.number)
        try:
            report = laps.store(
                round_.event, parsed, options["dry_run"], rules=rules, decisions=decisions
            )
        except DatabaseError as error:
            raise CommandError(f"Nothing stored: the database refused a value ({error}).") from None
        for line in report.lines:
            self.stdout.write(line)
        if report.errors:
            for error in report.errors:
                self.stderr.write(f"error: {error}")
            raise CommandError(f"Nothing stored: {len(report.errors)} problem(s).")
        if options["dry_run"]:
            self.stdout.write(f"Dry run, nothing written: {len(report.lines)} crew places.")
        else:
            self.stdout.write(
                self.style.SUCCESS(f"Stored {len(report.lines)} crew places of {round_.event}.")
            )
