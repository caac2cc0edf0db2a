"""`manage.py import_laps <series> <year> <round> <file> [<file>…]`: store each driver's laps and
time at the wheel in a race of the round from that race's lap analysis (Al Kamel `23_Analysis`
CSV), or with --dry-run only show them. Each file is the analysis of the race its name names
("23_Analysis_Race 2_Hour 2.CSV": Race 2; a name with no race number where the event has one
race), or of the race --session names (one file). A file replaces the laps of its own race
only; each crew member's totals are those of all the event's races on record
(races/importers/laps.py).

A crew member of a car in the file who drove no lap is stored as not having driven in that
race. A car the event does not have, a driver place that names someone else than the crew on
record, or a file whose race is not clear fails the command and nothing is written.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from lmsite.outage import is_outage
from races.importers import laps
from races.importers.weekend import analysis_race, read_decisions
from races.management.timing_arguments import (
    UNREACHABLE,
    add_aliases,
    add_decisions,
    add_dry_run,
    add_season_arguments,
    read_file,
    read_rules,
    round_of_options,
)
from races.models import Session


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


def races_of_files(event, paths, session=None):
    """The race of `event` each file is the analysis of: the one `session` names (one file
    only), or the one its name names (`analysis_race`)."""
    races = list(event.sessions.filter(kind=Session.Kind.RACE).order_by("order"))
    names = ", ".join(race.name for race in races) or "none"
    if session is not None:
        if len(paths) != 1:
            raise CommandError("--session names the race of one file: give one file.")
        found = [race for race in races if race.name.casefold() == session.strip().casefold()]
        if not found:
            raise CommandError(f"No race {session!r} in {event}: its races are {names}.")
        return found
    out = []
    for path in paths:
        race = analysis_race(path.name, races)
        if race is None:
            raise CommandError(
                f"{path.name}: which race of {event} is it? Its name names none of its races "
                f"({names}): say it with --session."
            )
        out.append(race)
    return out


class Command(BaseCommand):
    help = "Store each driver's laps and time at the wheel from a lap analysis CSV."

    def add_arguments(self, parser):
        add_season_arguments(parser)
        parser.add_argument("files", type=Path, nargs="+", metavar="file")
        parser.add_argument(
            "--session", help="the race the file is the analysis of (its name), for one file"
        )
        add_dry_run(parser)
        add_decisions(parser)
        add_aliases(parser)

    def handle(self, *args, **options):
        round_ = round_of_options(options)
        races = races_of_files(round_.event, options["files"], options["session"])
        parsed = [laps.parse(read_file(path, laps.MAX_BYTES)) for path in options["files"]]
        rules = read_rules(options)
        decisions = lap_decisions(options, round_.number)
        try:
            report = laps.store(
                round_.event,
                list(zip(races, parsed, strict=True)),
                options["dry_run"],
                rules=rules,
                decisions=decisions,
            )
        except DatabaseError as error:
            if is_outage(error):
                raise CommandError(UNREACHABLE) from error
            raise CommandError(f"Nothing stored: the database refused a value ({error}).") from None
        for line in report.lines:
            self.stdout.write(line)
        if report.errors:
            for error in report.errors:
                self.stderr.write(f"error: {error}")
            raise CommandError(f"Nothing stored: {len(report.errors)} problem(s).")
        if options["dry_run"]:
            self.stdout.write(f"Dry run, nothing written: {report.places} crew places.")
        else:
            self.stdout.write(
                self.style.SUCCESS(f"Stored {report.places} crew places of {round_.event}.")
            )
