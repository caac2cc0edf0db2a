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

from drivers import matching
from races.importers import laps
from races.importers.weekend import read_decisions
from races.models import Round


def read_rules(options):
    try:
        return matching.read_rules(options["aliases"])
    except (OSError, matching.AliasError) as error:
        raise CommandError(f"{options['aliases']}: {error}") from error


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
        parser.add_argument("series", help="series slug, e.g. le-mans-series")
        parser.add_argument("year", type=int)
        parser.add_argument("round", type=int, help="round number within the season")
        parser.add_argument("files", type=Path, nargs="+", metavar="file")
        parser.add_argument("--dry-run", action="store_true", help="show the plan, write nothing")
        parser.add_argument(
            "--decisions",
            type=Path,
            help="CSV of who a name is in one car (columns round, car, name, driver: id or slug)",
        )
        parser.add_argument(
            "--aliases",
            type=Path,
            default=matching.ALIASES,
            help="alias file for name matching (default: drivers/data/aliases.csv)",
        )

    def handle(self, *args, **options):
        round_ = (
            Round.objects.filter(
                season__series__slug=options["series"],
                season__year=options["year"],
                number=options["round"],
            )
            .select_related("event")
            .first()
        )
        if round_ is None:
            raise CommandError(
                f"No round {options['round']} of {options['series']} {options['year']}."
            )
        parsed = []
        for path in options["files"]:
            try:
                if path.stat().st_size > laps.MAX_BYTES:
                    raise CommandError(
                        f"{path}: larger than the limit of {laps.MAX_BYTES // 2**20} MB"
                    )
                content = path.read_bytes()
            except OSError as error:
                raise CommandError(f"{path}: {error.strerror}") from error
            parsed.append(laps.parse(content))
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
