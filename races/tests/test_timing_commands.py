"""The timing import's four commands share their arguments and their round lookup
(races/management/timing_arguments.py): each says a missing round, an over-long file and a
bad alias file the same way, and writes nothing."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from races.management import timing_arguments
from races.models import Result

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "command",
    [
        ["import_event", "le-mans-series", "2030", "9", "folder"],
        ["import_laps", "le-mans-series", "2030", "9", "laps.csv"],
        ["import_classification", "le-mans-series", "2030", "9", "Race", "race.csv"],
    ],
)
def test_each_round_command_says_a_missing_round_the_same_way(command):
    with pytest.raises(CommandError, match=r"^No round 9 of le-mans-series 2030\.$"):
        call_command(*command)


def test_import_season_takes_no_round_argument(tmp_path):
    with pytest.raises(CommandError, match="No rounds of le-mans-series 2030"):
        call_command("import_season", "le-mans-series", "2030", str(tmp_path))


def test_a_file_over_the_limit_is_refused_with_or_without_its_size(tmp_path):
    path = tmp_path / "big.csv"
    path.write_bytes(b"x" * 3 * 2**20)
    with pytest.raises(CommandError, match=r"big\.csv: larger than the limit of 2 MB$"):
        timing_arguments.read_file(path, 2 * 2**20)
    with pytest.raises(CommandError, match=r"big\.csv: 3\.0 MB, larger than the limit of 2 MB$"):
        timing_arguments.read_file(path, 2 * 2**20, size_shown=True)
    with pytest.raises(CommandError, match="No such file"):
        timing_arguments.read_file(tmp_path / "missing.csv", 2 * 2**20)
    assert timing_arguments.read_file(path, 4 * 2**20) == b"x" * 3 * 2**20


def test_a_bad_alias_file_is_said_before_anything_is_read(
    make_series, make_season, make_event, make_round, tmp_path
):
    make_round(make_season(make_series(), 2011), make_event())
    aliases = ["--aliases", str(tmp_path / "none.csv")]
    with pytest.raises(CommandError, match=r"none\.csv"):
        call_command("import_event", "le-mans-series", "2011", "1", str(tmp_path), *aliases)
    assert not Result.objects.exists()
