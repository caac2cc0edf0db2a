"""`manage.py import_classification <series> <year> <round> <session> <file>`: import an official
timing classification (Al Kamel CSV) into a session, or with --dry-run only show the plan.

Unlike the admin it asks nothing: an ambiguous driver or team, or a class the season does not
run and no --map-class names, fails the command and nothing is written.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError
from django.db.models import Q

from lmsite.outage import is_outage
from races.importers import alkamel
from races.importers.classification import (
    Decisions,
    ImportFailed,
    import_reason,
    parse_class_map,
    run_import,
    season_classes,
)
from races.management.timing_arguments import (
    UNREACHABLE,
    add_aliases,
    add_dry_run,
    add_map_class,
    add_season_arguments,
    find_round,
    read_file,
    read_rules,
)
from races.models import Session


class Command(BaseCommand):
    help = (
        "Import an Al Kamel classification CSV into a session; prints what it matches and "
        "creates. Fails on any ambiguity or unmapped class."
    )

    def add_arguments(self, parser):
        add_season_arguments(parser, series_example="european-le-mans-series")
        parser.add_argument("session", help="session name (e.g. Race) or order within the event")
        parser.add_argument("file", type=Path)
        add_dry_run(parser)
        add_map_class(parser, "import the file's class FROM as the season's class TO (repeatable)")
        add_aliases(parser)

    def handle(self, *args, **options):
        session = find_session(
            options["series"], options["year"], options["round"], options["session"]
        )
        path = options["file"]
        content = read_file(path, alkamel.MAX_BYTES, size_shown=True)
        rules = read_rules(options)
        try:
            classes = parse_class_map(options["map_class"], season_classes(session))
        except ValueError as error:
            raise CommandError(str(error)) from error
        parsed = alkamel.parse(content)
        decisions = Decisions(classes=classes)
        source = f"Official timing classification (Al Kamel), file {path.name}"
        try:
            plan, outcome = run_import(
                session,
                parsed,
                decisions,
                rules,
                source=source,
                dry_run=options["dry_run"],
                reason=import_reason(path.name, content),
            )
        except ImportFailed as failure:
            self.report(failure.plan)
            raise CommandError(
                f"Nothing imported: {len(failure.plan.errors) or 1} problem(s). {failure}"
            ) from None
        except DatabaseError as error:  # a value the parser let through, refused by the database
            if is_outage(error):
                raise CommandError(UNREACHABLE) from error
            raise CommandError(
                f"Nothing imported: the database refused a value ({error}): check the file."
            ) from None
        self.report(plan)
        counts = ", ".join(f"{n} {what}" for what, n in plan.counts().items())
        where = f"{session.event} – {session}"
        if outcome is None:
            self.stdout.write(f"Dry run, nothing written. Would import into {where}: {counts}.")
        else:
            self.stdout.write(self.style.SUCCESS(f"Imported into {where}: {counts}."))

    def report(self, plan):
        for line in plan.lines():
            self.stdout.write(line)
        for match in plan.new_drivers:
            self.stdout.write(f"new driver: {match.written} → “{match.display}”")
        for match in plan.new_teams:
            self.stdout.write(f"new team: {match.display}")
        for warning in plan.warnings:
            self.stdout.write(f"warning: {warning}")
        for error in plan.errors:
            self.stderr.write(f"error: {error}")


def find_session(series, year, number, name):
    round_ = find_round(series, year, number)
    condition = Q(name__iexact=name)
    if name.isascii() and name.isdigit():
        condition |= Q(order=int(name))
    sessions = list(Session.objects.filter(condition, event=round_.event))
    if len(sessions) != 1:
        names = ", ".join(f"{s.order} {s.name}" for s in Session.objects.filter(event=round_.event))
        found = "no" if not sessions else f"{len(sessions)}"
        raise CommandError(f"{found} session “{name}” in {round_.event} (sessions: {names}).")
    return sessions[0]
