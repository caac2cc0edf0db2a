"""`manage.py import_season <series> <year> <folder>`: `import_event` for every round folder (or
zip) of a season's folder, named by its round ("01 Barcelona", "R2", "round-3.zip"), in round
order, all in one block of writes: the standings are refreshed once, and a round that fails
leaves the whole season as it was (so does --dry-run, after showing every round's preview). One
decisions file may serve every round (its `round` column).
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError

from lmsite.outage import is_outage
from races import writes
from races.importers.weekend import MAX_FILES, round_of, season_rounds
from races.management.commands.import_event import add_common_arguments, import_one
from races.management.timing_arguments import UNREACHABLE, add_season_arguments, read_rules


class Command(BaseCommand):
    help = "Import every round folder of a season's folder, as import_event does for one."

    def add_arguments(self, parser):
        add_season_arguments(parser, round=False)
        parser.add_argument("folder", type=Path, help="a folder of round folders or zips")
        add_common_arguments(parser)

    def handle(self, *args, **options):
        folder = options["folder"]
        if not folder.is_dir():
            raise CommandError(f"{folder}: not a folder")
        rounds = {r.number: r for r in season_rounds(options["series"], options["year"])}
        if not rounds:
            raise CommandError(f"No rounds of {options['series']} {options['year']}.")
        children = sorted(p for p in folder.iterdir() if not p.name.startswith("."))
        if len(children) > MAX_FILES:
            raise CommandError(f"{folder}: more than {MAX_FILES} entries")
        found, skipped = {}, []
        for child in children:
            number = round_of(child.name)
            if child.is_file() and child.suffix.casefold() != ".zip":
                number = None
            if number is None or number not in rounds or number in found:
                skipped.append(child.name)
                continue
            found[number] = child
        for name in skipped:
            self.stdout.write(f"ignored: {name} (not a round folder of the season)")
        if not found:
            raise CommandError(f"{folder}: no round folder (01, R2, round-3…)")
        rules = read_rules(options)
        try:
            with writes.changes():
                for number in sorted(found):
                    import_one(self, rounds[number], found[number], options, rules, write=True)
                if options["dry_run"]:
                    raise DryRun
        except DryRun:
            self.stdout.write("Dry run: every round previewed, nothing written.")
        except DatabaseError as error:
            if is_outage(error):
                raise CommandError(UNREACHABLE) from error
            raise CommandError(
                f"Nothing imported: the database refused a value ({error}): check the files."
            ) from None
        else:
            self.stdout.write(self.style.SUCCESS(f"{len(found)} rounds imported."))


class DryRun(Exception):
    """Rolls the season's block back after its preview."""
