"""`manage.py import_classification`: the same import from the command line, never asking."""

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import DataError

from drivers.models import Driver
from races.management.commands import import_classification
from races.models import Entry, Result
from races.tests.import_samples import ELMS, car, csv_bytes

pytestmark = pytest.mark.django_db
SESSION = ["european-le-mans-series", "2014", "2"]


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command("import_classification", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_the_command_imports_and_prints_what_it_matches_and_creates(imola_race):
    out, _ = run(*SESSION, "Race", str(ELMS), "--map-class", "LMGTE=GTE")
    assert "new driver: Alexander TALKANITSA JR → “Alexander Talkanitsa Jr”" in out
    assert "new team: Lakeside Racing" in out
    assert "Imported into 4 Hours of Imola – Race: 7 cars, 6 results, 6 new results" in out
    assert Result.objects.filter(session=imola_race).count() == 6


def test_the_session_may_be_named_by_its_order(imola_race):
    run(*SESSION, "2", str(ELMS), "--map-class", "LMGTE=GTE")
    assert Result.objects.filter(session=imola_race).count() == 6


def test_a_dry_run_writes_nothing(imola_race):
    out, _ = run(*SESSION, "race", str(ELMS), "--map-class", "lmgte=gte", "--dry-run")
    assert "Dry run, nothing written. Would import into 4 Hours of Imola – Race: 7 cars" in out
    assert not Entry.objects.exists()
    assert not Driver.objects.exists()


def test_an_unmapped_class_fails_the_command(imola_race):
    with pytest.raises(CommandError, match=r"Nothing imported: .*class LMGTE"):
        run(*SESSION, "Race", str(ELMS))
    assert not Entry.objects.exists()


def test_a_mapping_to_a_class_the_season_does_not_run_fails(imola_race):
    with pytest.raises(CommandError, match="the season runs no class LMP1"):
        run(*SESSION, "Race", str(ELMS), "--map-class", "LMGTE=LMP1")


def test_an_ambiguous_driver_fails_the_command_instead_of_asking(imola_race, make_driver, tmp_path):
    make_driver("Ann Bee", slug="ann-bee")
    make_driver("Ann Bee", slug="ann-bee-1960")
    path = tmp_path / "c.csv"
    path.write_bytes(csv_bytes(car(1, "7", drivers="Ann BEE")))
    with pytest.raises(CommandError, match="Ann BEE: 2 drivers could be meant"):
        run(*SESSION, "Race", str(path))
    assert not Entry.objects.exists()


def test_an_alias_file_settles_a_spelling(imola_race, make_driver, tmp_path):
    annie = make_driver("Annie Bee")
    aliases = tmp_path / "aliases.csv"
    aliases.write_text(
        "kind,rule,name,years,other,reason\ndriver,same,Ann Bee,,Annie Bee,Her short name.\n"
    )
    path = tmp_path / "c.csv"
    path.write_bytes(csv_bytes(car(1, "7", drivers="Ann BEE")))
    run(*SESSION, "Race", str(path), "--aliases", str(aliases))
    assert Entry.objects.get(number="7").crew.get().driver == annie


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["le-mans-series", "2014", "2", "Race"], "No round 2 of le-mans-series 2014"),
        ([*SESSION, "FP9"], "no session “FP9” in 4 Hours of Imola"),
    ],
)
def test_an_unknown_session_fails_with_the_choices(imola_race, args, message, tmp_path):
    with pytest.raises(CommandError, match=message):
        run(*args, str(ELMS))


def test_a_bad_file_fails_with_its_line(imola_race, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_bytes(csv_bytes(car(1, "7"), car(2, "7")))
    with pytest.raises(CommandError, match="line 3, NUMBER: car number 7 again"):
        run(*SESSION, "Race", str(path))
    with pytest.raises(CommandError, match="No such file"):
        run(*SESSION, "Race", str(tmp_path / "missing.csv"))
    big = tmp_path / "big.csv"
    big.write_bytes(b"x" * (3 * 2**20))
    with pytest.raises(CommandError, match=r"3\.0 MB, larger than the limit of 2 MB"):
        run(*SESSION, "Race", str(big))


def test_a_value_the_database_refuses_fails_the_command_with_a_message(
    imola_race, tmp_path, monkeypatch
):
    path = tmp_path / "one.csv"
    path.write_bytes(csv_bytes(car(1, "7")))

    def refuse(*args, **kwargs):
        raise DataError("integer overflow")

    monkeypatch.setattr(import_classification, "run_import", refuse)
    with pytest.raises(CommandError, match=r"the database refused a value \(integer overflow\)"):
        run(*SESSION, "Race", str(path))


def test_an_unreachable_database_fails_the_command_without_blaming_the_file(
    imola_race, tmp_path, monkeypatch
):
    from django.db import OperationalError

    path = tmp_path / "one.csv"
    path.write_bytes(csv_bytes(car(1, "7")))

    def down(*args, **kwargs):
        raise OperationalError("connection to server at 127.0.0.1, port 5432 failed")

    monkeypatch.setattr(import_classification, "run_import", down)
    with pytest.raises(CommandError, match=r"The database cannot be reached: nothing was"):
        run(*SESSION, "Race", str(path))


@pytest.fixture
def pecom_entered(imola_race, make_team, make_car):
    """Car 39 entered with Pecom Racing: a file's “Pecom Racing.” is near it, not it."""
    from races.models import CarClass

    team = make_team("Pecom Racing")
    lmp2 = CarClass.objects.get(code="LMP2")
    return make_car(imola_race.event, "39", lmp2, drivers=["Pierre Kaffer"], team=team)


def test_a_team_name_near_the_entered_teams_is_a_question_not_a_crash(pecom_entered, tmp_path):
    path = tmp_path / "pecom.csv"
    path.write_bytes(csv_bytes(car(1, "39", drivers="Pierre KAFFER", team="Pecom Racing.")))
    with pytest.raises(CommandError, match=r"Pecom Racing\.: 1 team could be meant") as error:
        run(*SESSION, "Race", str(path))
    assert "Nothing imported" in str(error.value)
    assert Result.objects.count() == 0
