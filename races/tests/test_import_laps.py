"""The lap analysis names its drivers: each DRIVER_NAME is matched against the car's crew on
record (folded names, aliases, short forms, a decisions file), the driver place only where the
file gives no name."""

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command

from drivers.models import Driver
from races.models import Crew
from races.tests import synthetic

pytestmark = pytest.mark.django_db


@pytest.fixture
def season(db):
    return synthetic.build()


def run(season, tmp_path, rows, *extra):
    path = tmp_path / "analysis.csv"
    path.write_bytes(synthetic.lap_analysis(rows))
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "import_laps", season.series.slug, "2030", "2", str(path), *extra, stdout=out, stderr=err
    )
    return out.getvalue(), err.getvalue()


def crew(number, order):
    return Crew.objects.get(entry__event__rounds__number=2, entry__number=number, order=order)


def test_drivers_are_matched_by_name_not_by_their_place_in_the_crew(season, tmp_path):
    run(season, tmp_path, [("22", 1, "Bob 22", 5, 100), ("22", 2, "ANN 22", 3, 100)])
    assert (crew("22", 1).laps, crew("22", 2).laps) == (3, 5)
    assert crew("22", 2).drive_time == dt.timedelta(seconds=500)


def test_a_short_form_of_the_stored_name_is_the_crew_member(season, tmp_path):
    member = crew("22", 1).driver
    Driver.objects.filter(pk=member.pk).update(full_name="Matt McMurry", search_key="matt mcmurry")
    run(season, tmp_path, [("22", 1, "Bob 22", 5, 100), ("22", 2, "Matthew MCMURRY", 3, 100)])
    assert crew("22", 1).laps == 3


def test_the_driver_place_is_used_only_where_the_file_gives_no_name(season, tmp_path):
    run(season, tmp_path, [("22", 2, "", 4, 100)])
    assert (crew("22", 1).laps, crew("22", 2).laps, crew("22", 2).drove) == (0, 4, True)


def test_a_name_of_no_crew_member_fails_naming_car_and_name(season, tmp_path):
    with pytest.raises(CommandError, match="Nothing stored"):
        run(season, tmp_path, [("22", 1, "Manuela GOSTNER", 5, 100)])
    out, err = io.StringIO(), io.StringIO()
    path = tmp_path / "analysis.csv"
    with pytest.raises(CommandError):
        call_command(
            "import_laps", season.series.slug, "2030", "2", str(path), stdout=out, stderr=err
        )
    assert "#22: “Manuela GOSTNER” is no one of the crew on record" in err.getvalue()
    assert crew("22", 1).laps is None or crew("22", 1).laps == 0


def test_a_decisions_file_says_who_a_name_is(season, tmp_path):
    bob = crew("22", 2).driver
    decisions = tmp_path / "decisions.csv"
    decisions.write_text(f"car,name,driver\n22,Robert Zweiundzwanzig,{bob.slug}\n")
    run(
        season,
        tmp_path,
        [("22", 1, "Ann 22", 5, 100), ("22", 2, "Robert Zweiundzwanzig", 3, 100)],
        "--decisions",
        str(decisions),
    )
    assert crew("22", 2).laps == 3
