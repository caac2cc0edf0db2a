"""`manage.py import_event <series> <year> <round> <folder|zip>`: every official timing file of one
event in one go (races/importers/weekend.py), or with --dry-run only the combined preview.

Each file is placed in its session by its name (a `sessions.csv` in the folder names the others);
the sessions the event lacks are created in order. Like import_classification it asks nothing:
a name to decide, a class to map or a file it cannot place fails the command and nothing is
written; a decisions file (--decisions) settles names per car, --map-class maps classes (kept
for the season's next files).
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from lmsite.outage import is_outage
from races.importers.classification import parse_class_map, season_classes
from races.importers.weekend import WeekendError, read_decisions, read_folder, run_weekend
from races.management.timing_arguments import (
    UNREACHABLE,
    add_aliases,
    add_decisions,
    add_dry_run,
    add_map_class,
    add_season_arguments,
    read_rules,
    round_of_options,
)


def add_common_arguments(parser):
    """The options import_event and import_season share."""
    add_dry_run(parser)
    add_decisions(parser, drivers="id, slug or new")
    add_map_class(
        parser, "the files' class FROM is the season's class TO (repeatable; kept for the season)"
    )
    add_aliases(parser)


def decisions_for(options, event, round_number=None):
    try:
        classes = parse_class_map(options["map_class"], season_classes(event=event))
        if options["decisions"] is None:
            from races.importers.classification import Decisions

            return Decisions(classes=classes)
        return read_decisions(options["decisions"], round_number, classes)
    except OSError as error:
        raise CommandError(f"{options['decisions']}: {error.strerror}") from error
    except ValueError as error:
        raise CommandError(str(error)) from error


def import_one(command, round_, path, options, rules, write=None):
    """Import one round's folder; returns the Weekend. Raises CommandError when it fails.
    `write` False: write inside the caller's block, which rolls back (a season's dry run)."""
    event = round_.event
    decisions = decisions_for(options, event, round_.number)
    dry_run = options["dry_run"] if write is None else False
    try:
        entries = read_folder(path)
        weekend = run_weekend(event, entries, decisions, rules, dry_run=dry_run)
    except WeekendError as error:
        raise CommandError(f"{path}: {error}") from None
    except DatabaseError as error:
        if is_outage(error):
            raise CommandError(UNREACHABLE) from error
        raise CommandError(
            f"Nothing imported: the database refused a value ({error}): check the files."
        ) from None
    report(command, weekend, options.get("verbosity", 1))
    where = f"{event} (round {round_.number})"
    counts = ", ".join(f"{n} {what}" for what, n in weekend.counts().items())
    if weekend.blocking:
        raise CommandError(f"Nothing imported into {where}: see the problems above.")
    if options["dry_run"]:
        command.stdout.write(f"Dry run, nothing written. Would import into {where}: {counts}.")
    else:
        command.stdout.write(command.style.SUCCESS(f"Imported into {where}: {counts}."))
    return weekend


def report(command, weekend, verbosity=1):
    out, err = command.stdout, command.stderr
    for session in weekend.created_sessions:
        out.write(f"new session: {session.order} {session.name} ({session.kind})")
    for file in sorted(weekend.placed, key=lambda f: f.name):
        where = "entry list" if file.kind == "entries" else file.session_name
        counts = ""
        if file.plan is not None:
            counts = ": " + ", ".join(f"{n} {what}" for what, n in file.plan.counts().items())
        out.write(f"{file.name} → {where}{counts}")
    for file in weekend.analyses:
        race = f" in {file.session.name}" if file.session is not None else ""
        places = f": {weekend.laps.places} crew places" if weekend.laps is not None else ""
        out.write(f"{file.name} → laps and time at the wheel{race}{places}")
        if file.error:
            err.write(f"error: {file.name}: {file.error}")
    if weekend.laps is not None and verbosity > 1:
        for line in weekend.laps.lines:
            out.write(f"  {line}")
    for file in weekend.ignored:
        out.write(f"ignored: {file.name} ({file.why})")
    for file in weekend.unplaced:
        err.write(f"error: cannot place {file.name}: {file.why or file.error}")
    for problem in weekend.errors:
        err.write(f"error: {problem}")
    for file in weekend.placed:
        plan = file.plan
        if file.error:
            err.write(f"error: {file.name}: {file.error}")
        if plan is None:
            continue
        if verbosity > 1:
            for line in plan.lines():
                out.write(f"  {file.name}: {line}")
        for match in plan.new_drivers:
            out.write(f"new driver: {match.written} → “{match.display}” ({file.name})")
        for match in plan.new_teams:
            out.write(f"new team: {match.display} ({file.name})")
        for line in plan.lines():
            if "leaves the race crew" in line or "is not added to the race crew" in line:
                out.write(f"{file.name}:{line}")
        for warning in plan.warnings:
            out.write(f"warning: {file.name}: {warning}")
        for error in plan.errors:
            err.write(f"error: {file.name}: {error}")


class Command(BaseCommand):
    help = (
        "Import every official timing file of one event (a folder or a zip): each placed in "
        "its session, the missing sessions created, one combined preview. Fails on any "
        "question, unmapped class or file it cannot place."
    )

    def add_arguments(self, parser):
        add_season_arguments(parser)
        parser.add_argument("folder", type=Path, help="a folder or a zip of the event's files")
        add_common_arguments(parser)

    def handle(self, *args, **options):
        round_ = round_of_options(options)
        import_one(self, round_, options["folder"], options, read_rules(options))
