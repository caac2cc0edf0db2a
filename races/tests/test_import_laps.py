"""The lap analysis names its drivers: each DRIVER_NAME is matched against the car's crew on
record (folded names, aliases, short forms, a decisions file), the driver place only where the
file gives no name."""

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command

from drivers.models import Driver
from races.models import Crew, RaceLaps
from races.tests import synthetic
from races.tests.test_admin import AdminForm
from races.writes import changes

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


# --- a double-header: each file is its own race's ---------------------------------------------

RACE_ONE = [("22", 1, "Ann 22", 5, 100), ("22", 2, "Bob 22", 3, 100)]  # Cid sits it out
RACE_TWO = [("22", 1, "Ann 22", 2, 100), ("22", 3, "Cid 22", 4, 90)]  # Bob sits it out


def run_race(tmp_path, rows, name, *extra, round_number="3"):
    """`import_laps` on round 3 (Race 1 and Race 2) of the synthetic season with one file named
    `name`, or with several (`rows` and `name` lists)."""
    if not isinstance(name, list):
        rows, name = [rows], [name]
    files = []
    for each_rows, each_name in zip(rows, name, strict=True):
        path = tmp_path / each_name
        path.write_bytes(synthetic.lap_analysis(each_rows))
        files.append(str(path))
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "import_laps",
        "synthetic-endurance-series",
        "2030",
        round_number,
        *files,
        *extra,
        stdout=out,
        stderr=err,
    )
    return out.getvalue(), err.getvalue()


def totals(number="22", round_number=3):
    return [
        (c.laps, None if c.drive_time is None else int(c.drive_time.total_seconds()), c.drove)
        for c in Crew.objects.filter(
            entry__event__rounds__number=round_number, entry__number=number
        ).order_by("order")
    ]


BOTH = [(7, 700, True), (3, 300, True), (4, 360, True)]  # Ann, Bob, Cid over the two races


def test_race_two_after_race_one_keeps_race_one_and_the_totals_cover_both(season, tmp_path):
    run_race(tmp_path, RACE_ONE, "23_Analysis_Race 1_Hour 2.CSV")
    assert [each[:2] for each in totals()] == [(5, 500), (3, 300), (0, 0)]
    run_race(tmp_path, RACE_TWO, "23_Analysis_Race 2_Hour 2.CSV")
    assert totals() == BOTH
    race_one = RaceLaps.objects.filter(session__name="Race 1", crew__entry__number="22")
    assert sorted(race_one.values_list("crew__order", "laps")) == [(1, 5), (2, 3), (3, 0)]


@pytest.mark.parametrize(
    "order",
    [
        ["Race 2", "Race 1"],
        ["Race 1", "Race 2", "Race 1"],
        ["Race 2", "Race 1", "Race 2"],
        ["Race 1", "Race 2", "Race 2"],
    ],
)
def test_the_races_in_any_order_or_again_give_what_both_together_give(season, tmp_path, order):
    files = {"Race 1": RACE_ONE, "Race 2": RACE_TWO}
    for race in order:
        run_race(tmp_path, files[race], f"23_Analysis_{race}.CSV")
    one_by_one = totals(), sorted(RaceLaps.objects.values_list("session__name", "crew", "laps"))
    RaceLaps.objects.all().delete()
    Crew.objects.update(laps=None, drive_time=None, drove=None)
    run_race(tmp_path, [RACE_ONE, RACE_TWO], ["Analysis Race 1.csv", "Analysis Race 2.csv"])
    together = totals(), sorted(RaceLaps.objects.values_list("session__name", "crew", "laps"))
    assert one_by_one == together
    assert together[0] == BOTH


def test_a_driver_without_a_lap_in_either_race_did_not_drive_once_both_are_in(season, tmp_path):
    run_race(tmp_path, [("22", 1, "Ann 22", 5, 100)], "Analysis Race 2.csv")
    assert totals()[2] == (0, 0, None)  # Race 1 has no analysis yet: Cid may have driven it
    out, _ = run_race(tmp_path, [("22", 1, "Ann 22", 5, 100)], "Analysis Race 1.csv")
    assert totals() == [(10, 1000, True), (0, 0, False), (0, 0, False)]
    assert "#22 Ann 22, all races: 10 laps, 0:16:40" in out


def test_a_corrected_file_of_one_race_replaces_that_race_only(season, tmp_path):
    run_race(tmp_path, RACE_ONE, "Analysis Race 1.csv")
    run_race(tmp_path, RACE_TWO, "Analysis Race 2.csv")
    run_race(tmp_path, [("22", 1, "Ann 22", 8, 100)], "Analysis Race 1.csv")
    assert totals() == [(10, 1000, True), (0, 0, False), (4, 360, True)]


def test_a_file_whose_name_names_no_race_of_a_double_header_needs_its_session(season, tmp_path):
    with pytest.raises(CommandError, match=r"which race .* \(Race 1, Race 2\): say it with"):
        run_race(tmp_path, RACE_TWO, "analysis.csv")
    assert not RaceLaps.objects.exists()
    run_race(tmp_path, RACE_TWO, "analysis.csv", "--session", "race 2")
    assert set(RaceLaps.objects.values_list("session__name", flat=True)) == {"Race 2"}
    with pytest.raises(CommandError, match="No race 'Race 3'"):
        run_race(tmp_path, RACE_TWO, "analysis.csv", "--session", "Race 3")


def test_two_files_of_one_race_are_refused(season, tmp_path):
    with pytest.raises(CommandError, match="Nothing stored"):
        run_race(tmp_path, [RACE_ONE, RACE_TWO], ["Race 1 Analysis.csv", "Analysis_Race 1.csv"])
    assert not RaceLaps.objects.exists()


def test_totals_not_kept_per_race_are_not_lost_to_one_race_of_two(season, tmp_path):
    """Laps typed in the crew (or stored before laps were kept per race) cannot be told apart
    by race: one race's file would replace them; the analyses of both races may."""
    with changes():
        Crew.objects.filter(entry__event__rounds__number=3, entry__number="22", order=1).update(
            laps=40, drive_time=dt.timedelta(hours=1)
        )
    with pytest.raises(CommandError, match="Nothing stored: 1 problem"):
        run_race(tmp_path, RACE_TWO, "Analysis Race 2.csv")
    assert totals()[0] == (40, 3600, None)
    assert not RaceLaps.objects.exists()
    run_race(tmp_path, [RACE_ONE, RACE_TWO], ["Analysis Race 1.csv", "Analysis Race 2.csv"])
    assert totals() == BOTH


def test_the_problem_of_totals_not_kept_per_race_names_the_driver(season, tmp_path):
    with changes():
        Crew.objects.filter(entry__event__rounds__number=3, entry__number="22", order=1).update(
            laps=40
        )
    path = tmp_path / "Analysis Race 2.csv"
    path.write_bytes(synthetic.lap_analysis(RACE_TWO))
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command(
            "import_laps",
            "synthetic-endurance-series",
            "2030",
            "3",
            str(path),
            stdout=io.StringIO(),
            stderr=err,
        )
    assert "#22 Ann 22: laps or a time at the wheel on record that are not kept per race" in (
        err.getvalue()
    )


def test_a_single_race_event_takes_a_file_of_any_name_and_replaces_its_laps(season, tmp_path):
    run(season, tmp_path, [("22", 1, "Ann 22", 5, 100)])
    run(season, tmp_path, [("22", 2, "Bob 22", 4, 100)])
    assert (crew("22", 1).laps, crew("22", 1).drove, crew("22", 2).laps) == (0, False, 4)


def test_a_race_deleted_leaves_the_totals_of_the_race_left(season, tmp_path):
    from races.models import Session

    run_race(tmp_path, RACE_ONE, "23_Analysis_Race 1_Hour 2.CSV")
    run_race(tmp_path, RACE_TWO, "23_Analysis_Race 2_Hour 2.CSV")
    Session.objects.get(event__rounds__number=3, name="Race 1").delete()
    # Race 2 is all there is: Bob sat it out, so he did not drive.
    assert totals() == [(2, 200, True), (0, 0, False), (4, 360, True)]
    assert set(RaceLaps.objects.values_list("session__name", flat=True)) == {"Race 2"}


def test_races_deleted_in_bulk_leave_no_totals(season, tmp_path):
    from races.models import Session

    run_race(tmp_path, RACE_ONE, "23_Analysis_Race 1_Hour 2.CSV")
    run_race(tmp_path, RACE_TWO, "23_Analysis_Race 2_Hour 2.CSV")
    Session.objects.filter(event__rounds__number=3, kind="race").delete()
    assert totals() == [(None, None, True), (None, None, True), (None, None, True)]


def test_a_race_deleted_in_the_admin_leaves_the_totals_of_the_race_left(
    season, tmp_path, admin_client
):
    from races.models import Session

    run_race(tmp_path, RACE_ONE, "23_Analysis_Race 1_Hour 2.CSV")
    run_race(tmp_path, RACE_TWO, "23_Analysis_Race 2_Hour 2.CSV")
    race_two = Session.objects.get(event__rounds__number=3, name="Race 2")
    response = admin_client.post(f"/admin/races/session/{race_two.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert totals() == [(5, 500, True), (3, 300, True), (0, 0, False)]  # Race 1 is all there is


def test_the_admin_shows_a_race_s_stored_laps_read_only(season, tmp_path, admin_client):
    from races.models import Session

    run_race(tmp_path, RACE_ONE, "23_Analysis_Race 1_Hour 2.CSV")
    race_one = Session.objects.get(event__rounds__number=3, name="Race 1")
    html = admin_client.get(f"/admin/races/session/{race_one.pk}/change/").text
    assert "Laps in this race, from its lap analysis" in html
    section = html.split("race_laps-group", 1)[1].split("</fieldset>", 1)[0]
    assert "#22 Ann 22" in section
    assert "#22 Bob 22" in section
    assert "race_laps-__prefix__" not in section  # no empty row to add one
    assert 'name="race_laps-0-DELETE"' not in section  # nor to delete


def test_a_session_page_drawn_before_a_lap_import_still_saves(season, tmp_path, admin_client):
    from races.models import Session

    race_one = Session.objects.get(event__rounds__number=3, name="Race 1")
    form = AdminForm(admin_client, f"/admin/races/session/{race_one.pk}/change/")
    run_race(tmp_path, RACE_ONE, "23_Analysis_Race 1_Hour 2.CSV")  # meanwhile
    assert form.post(name="Race One").status_code == 302
    race_one.refresh_from_db()
    assert race_one.name == "Race One"
