"""What the timing import's commands share (import_classification, import_event, import_season,
import_laps): their arguments, the round they name, the alias file and the files they read.
Each failure is a CommandError that says what is wrong, and nothing has been written."""

from pathlib import Path

from django.core.management.base import CommandError

from drivers import matching
from races.models import Round


def add_season_arguments(parser, round=True, series_example="le-mans-series"):
    """`series year [round]`: the season, and the round within it."""
    parser.add_argument("series", help=f"series slug, e.g. {series_example}")
    parser.add_argument("year", type=int)
    if round:
        parser.add_argument("round", type=int, help="round number within the season")


def add_dry_run(parser):
    parser.add_argument("--dry-run", action="store_true", help="show the plan, write nothing")


def add_decisions(parser, drivers="id or slug"):
    parser.add_argument(
        "--decisions",
        type=Path,
        help=f"CSV of who a name is in one car (columns round, car, name, driver: {drivers})",
    )


def add_map_class(parser, help):
    parser.add_argument("--map-class", action="append", default=[], metavar="FROM=TO", help=help)


def add_aliases(parser):
    parser.add_argument(
        "--aliases",
        type=Path,
        default=matching.ALIASES,
        help="alias file for name matching (default: drivers/data/aliases.csv)",
    )


def find_round(series, year, number):
    """The round `number` of the season `series` `year`, with its event."""
    round_ = (
        Round.objects.filter(season__series__slug=series, season__year=year, number=number)
        .select_related("event")
        .first()
    )
    if round_ is None:
        raise CommandError(f"No round {number} of {series} {year}.")
    return round_


def round_of_options(options):
    """The round the command's `series year round` arguments name."""
    return find_round(options["series"], options["year"], options["round"])


def read_rules(options):
    """The name matching rules of the `--aliases` file."""
    try:
        return matching.read_rules(options["aliases"])
    except (OSError, matching.AliasError) as error:
        raise CommandError(f"{options['aliases']}: {error}") from error


def read_file(path, max_bytes, size_shown=False):
    """The bytes of `path`, refused above `max_bytes` (its size said when `size_shown`)."""
    try:
        size = path.stat().st_size
        if size > max_bytes:
            said = f"{size / 2**20:.1f} MB, " if size_shown else ""
            raise CommandError(f"{path}: {said}larger than the limit of {max_bytes // 2**20} MB")
        return path.read_bytes()
    except OSError as error:
        raise CommandError(f"{path}: {error.strerror}") from error


# What a timing command says when the database cannot be reached (lmsite.outage.is_outage):
# the file is not at fault.
UNREACHABLE = "The database cannot be reached: nothing was imported; try again when it is back."
