"""`manage.py import_classification <series> <year> <round> <session> <file>`: import an official
timing classification (Al Kamel CSV) into a session, or with --dry-run only show the plan.

Unlike the admin it asks nothing: an ambiguous driver or team, or a class the season does not
run and no --map-class names, fails the command and nothing is written.
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError
from django.db.models import Q

from drivers import matching
from races.importers import alkamel
from races.importers.classification import (
    Decisions,
    ImportFailed,
    import_reason,
    parse_class_map,
    run_import,
    season_classes,
)
from races.models import Round, Session


class Command(BaseCommand):
    help = (
        "Import an Al Kamel classification CSV into a session; prints what it matches and "
        "creates. Fails on any ambiguity or unmapped class."
    )

    def add_arguments(self, parser):
        parser.add_argument("series", help="series slug, e.g. european-le-mans-series")
        parser.add_argument("year", type=int)
        parser.add_argument("round", type=int, help="round number within the season")
        parser.add_argument("session", help="session name (e.g. Race) or order within the event")
        parser.add_argument("file", type=Path)
        parser.add_argument("--dry-run", action="store_true", help="show the plan, write nothing")
        parser.add_argument(
            "--map-class",
            action="append",
            default=[],
            metavar="FROM=TO",
            help="import the file's class FROM as the season's class TO (repeatable)",
        )
        parser.add_argument(
            "--aliases",
            type=Path,
            default=matching.ALIASES,
            help="alias file for name matching (default: drivers/data/aliases.csv)",
        )

    def handle(self, *args, **options):
        session = find_session(
            options["series"], options["year"], options["round"], options["session"]
        )
        path = options["file"]
        try:
            size = path.stat().st_size
            if size > alkamel.MAX_BYTES:
                raise CommandError(
                    f"{path}: {size / 2**20:.1f} MB, larger than the limit of "
                    f"{alkamel.MAX_BYTES // 2**20} MB"
                )
            content = path.read_bytes()
        except OSError as error:
            raise CommandError(f"{path}: {error.strerror}") from error
        try:
            rules = matching.read_rules(options["aliases"])
        except (OSError, matching.AliasError) as error:
            raise CommandError(f"{options['aliases']}: {error}") from error
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
    round_ = (
        Round.objects.filter(season__series__slug=series, season__year=year, number=number)
        .select_related("event")
        .first()
    )
    if round_ is None:
        raise CommandError(f"No round {number} of {series} {year}.")
    condition = Q(name__iexact=name)
    if name.isascii() and name.isdigit():
        condition |= Q(order=int(name))
    sessions = list(Session.objects.filter(condition, event=round_.event))
    if len(sessions) != 1:
        names = ", ".join(f"{s.order} {s.name}" for s in Session.objects.filter(event=round_.event))
        found = "no" if not sessions else f"{len(sessions)}"
        raise CommandError(f"{found} session “{name}” in {round_.event} (sessions: {names}).")
    return sessions[0]
