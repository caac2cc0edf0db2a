"""The championship rules as the ELMS runs them (docs/decisions/0014-championship-rules.md): a
pole per class from its own qualifying, a sub-class that is its own championship, who drove
(from the lap analysis or the editor), presets per era, double-headers, race factors and cars
of another championship, each explained in the cell. The synthetic six-round season of
races/tests/synthetic.py gives the standings worked out by hand in its table."""

import datetime as dt
import html
import io
from decimal import Decimal as D

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import translation

from races import standings_page
from races.importers import laps
from races.models import (
    CarClass,
    ChampionshipRules,
    Crew,
    PointsScale,
    PoleAward,
    StandingsRow,
)
from races.results import championship_class_positions, class_order_errors, placings_of
from races.standings import (
    CarRow,
    ClassRow,
    CrewRow,
    Race,
    ResultRow,
    RoundRow,
    Rules,
    Scale,
    SeasonData,
    compute,
    season_data,
)
from races.stored_standings import stored_cell
from races.tests import synthetic
from races.writes import changes

SCALE = Scale((D(25), D(18), D(15), D(12), D(10), D(8), D(6), D(4), D(2), D(1)))
P2, PA, P3 = 1, 2, 3


def car(entry_id, class_id, number, crew=(), registered=True, round_number=1):
    return CarRow(
        entry_id, round_number, class_id, number, entry_id, f"T{number}", crew=crew,
        registered=registered,
    )  # fmt: skip


def row(entry_id, position, number="", holds_in=None, classified=True):
    status = "classified" if classified else "retired"
    return ResultRow(entry_id, position, classified, status, status, number, holds_in)


def season(cars, races, poles=None, classes=(P2,), rules=None, awards=None, rounds=None):
    names = {P2: "LMP2", PA: "LMP2 Pro/Am", P3: "LMP3"}
    return SeasonData(
        name="S",
        is_complete=True,
        rules=rules or Rules(SCALE, pole_points=D(1)),
        classes=tuple(ClassRow(c, names[c], names[c]) for c in classes),
        rounds=rounds or (RoundRow(1, "R1"),),
        cars=tuple(cars),
        races=races,
        pole_sessions=poles or {},
        pole_awards=awards or {},
    )


def totals(standings):
    return {s.name: s.total for s in standings}


# --- a pole per class -------------------------------------------------------------------------


def test_each_class_takes_its_pole_from_the_first_qualifying_session_it_ran_in():
    cars = [car(1, P2, "22"), car(2, P2, "23"), car(3, P3, "5"), car(4, P3, "6")]
    data = season(
        cars,
        {1: (row(1, 1), row(2, 2), row(3, 1), row(4, 2))},
        poles={1: ((row(2, 1), row(1, 2)), (row(4, 1), row(3, 2)))},
        classes=(P2, P3),
    )
    lmp2, lmp3 = compute(data)
    assert totals(lmp2.teams) == {"T22 #22": D(25), "T23 #23": D(19)}
    assert totals(lmp3.teams) == {"T5 #5": D(25), "T6 #6": D(19)}


def test_an_editor_set_pole_wins_over_the_qualifying_one():
    cars = [car(1, P2, "22"), car(2, P2, "23")]
    data = season(
        cars,
        {1: (row(1, 1), row(2, 2))},
        poles={1: ((row(2, 1), row(1, 2)),)},
        awards={(1, P2): 1},
    )
    (lmp2,) = compute(data)
    assert totals(lmp2.teams) == {"T22 #22": D(26), "T23 #23": D(18)}


# --- a sub-class that is its own championship ------------------------------------------------


def test_a_sub_class_of_its_own_takes_no_place_in_the_parent_and_scores_in_its_own_class():
    """Stored the old way (LMP2 positions counting the Pro/Am car ahead), the Pro/Am car's
    parent-class place is held, to no gain: the LMP2 car behind it scores as first."""
    cars = [car(1, P2, "22"), car(2, PA, "31"), car(3, P2, "23")]
    rows = (row(1, 2), row(2, 1, "31"), row(2, 1, "31", holds_in=P2), row(3, 3))
    (lmp2, pro_am) = compute(season(cars, {1: rows}, classes=(P2, PA)))
    assert totals(lmp2.teams) == {"T22 #22": D(25), "T23 #23": D(18)}  # 2nd and 3rd on record
    assert totals(pro_am.teams) == {"T31 #31": D(25)}
    # Derived per championship class, as races/results.py now stores them: the same standings.
    rows = (row(1, 1), row(2, 1, "31"), row(3, 2))
    (lmp2, pro_am) = compute(season(cars, {1: rows}, classes=(P2, PA)))
    assert totals(lmp2.teams) == {"T22 #22": D(25), "T23 #23": D(18)}
    assert totals(pro_am.teams) == {"T31 #31": D(25)}


def test_class_positions_rank_a_sub_class_of_its_own_apart_from_its_parent():
    lmp2 = CarClass(pk=1, code="LMP2")
    pro_am = CarClass(pk=2, code="PA", parent_id=1, own_championship=True)
    mapped = CarClass(pk=3, code="PA-OLD", parent_id=1)
    cars = [("a", pro_am), ("b", lmp2), ("c", mapped), ("d", pro_am), ("e", lmp2)]
    assert championship_class_positions(cars) == {
        "a": (1, None),
        "b": (1, None),
        "c": (1, 2),  # a sub-class scored within its parent still counts there
        "d": (2, None),
        "e": (3, None),
    }


def test_the_class_order_check_does_not_rank_a_sub_class_of_its_own_in_its_parent():
    class Entry:
        def __init__(self, number, car_class):
            self.number, self.car_class, self.pk = number, car_class, number

    class Result:
        def __init__(self, entry, order, position, parent_position):
            self.entry, self.finish_order = entry, order
            self.class_position, self.parent_class_position = position, parent_position

    lmp2 = CarClass(pk=1, code="LMP2")
    pro_am = CarClass(pk=2, code="PA", parent_id=1, own_championship=True)
    results = [
        Result(Entry("31", pro_am), 1, 1, 1),  # a parent position stored before the flag
        Result(Entry("22", lmp2), 2, 1, None),
    ]
    assert class_order_errors(placings_of(results) + placings_of(results, parent=True)) == []


# --- who drove --------------------------------------------------------------------------------


def test_a_named_driver_who_did_not_drive_scores_nothing_and_the_car_scores():
    crew = (CrewRow(1, "Ann"), CrewRow(2, "Bob", drove=False))
    data = season(
        [car(1, P2, "22", crew)], {1: (row(1, 1),)}, rules=Rules(SCALE, drove_required=True)
    )
    (lmp2,) = compute(data)
    assert totals(lmp2.drivers) == {"Ann": D(25), "Bob": D(0)}
    assert totals(lmp2.teams) == {"T22 #22": D(25)}
    bob = next(s for s in lmp2.drivers if s.name == "Bob")
    assert [(p.kind, p.value) for p in bob.cells[0].parts] == [("did_not_drive", "#22")]


def test_a_driver_under_the_minimum_drive_time_scores_nothing_and_an_unknown_time_scores():
    crew = (
        CrewRow(1, "Ann", True, dt.timedelta(hours=2)),
        CrewRow(2, "Bob", True, dt.timedelta(minutes=20)),
        CrewRow(3, "Cid"),
    )
    rules = Rules(SCALE, min_drive_time=dt.timedelta(minutes=30))
    (lmp2,) = compute(season([car(1, P2, "22", crew)], {1: (row(1, 1),)}, rules=rules))
    assert totals(lmp2.drivers) == {"Ann": D(25), "Bob": D(0), "Cid": D(25)}
    bob = next(s for s in lmp2.drivers if s.name == "Bob")
    (part,) = bob.cells[0].parts
    assert (part.kind, part.value, part.note) == ("under_min_drive_time", "0:20:00", "0:30:00")


# --- double-headers, race factors, cars of another championship ------------------------------


def test_a_double_header_scores_each_race_and_names_the_race_in_the_cell():
    cars = [car(1, P2, "22"), car(2, P2, "23")]
    races = {1: (Race((row(1, 1), row(2, 2)), "Race 1"), Race((row(2, 1), row(1, 2)), "Race 2"))}
    (lmp2,) = compute(season(cars, races, rounds=(RoundRow(1, "R1", races=2),)))
    assert totals(lmp2.teams) == {"T22 #22": D(43), "T23 #23": D(43)}
    cell = lmp2.teams[0].cells[0]
    assert [(p.race, p.value) for p in cell.parts] == [("Race 1", "1"), ("Race 2", "2")]
    assert cell.parts[1].detail == "Race 2: 2nd in class"  # as the standings command prints it
    assert sorted(cell.positions) == [1, 2]


def test_a_shortened_race_gives_its_factor_of_the_points_with_the_reason_and_the_pole_whole():
    cars = [car(1, P2, "22")]
    races = {1: (Race((row(1, 1),), "Race", D("0.5"), "Red flag"),)}
    (lmp2,) = compute(season(cars, races, poles={1: (row(1, 1),)}))
    (team,) = lmp2.teams
    assert team.total == D("13.5")
    assert [(p.kind, p.points, p.note) for p in team.cells[0].parts] == [
        ("position", D(25), ""),
        ("race_factor", D("-12.5"), "Red flag"),
        ("pole", D(1), ""),
    ]


def test_a_car_of_another_championship_ahead_is_named_in_the_cell():
    cars = [car(1, P3, "5"), car(9, P3, "99", registered=False)]
    (lmp3,) = compute(season(cars, {1: (row(9, 1, "99"), row(1, 2, "5"))}, classes=(P3,)))
    (team,) = lmp3.teams
    assert [(p.kind, p.value) for p in team.cells[0].parts] == [
        ("position", "1"),
        ("ahead_not_eligible", "#99"),
    ]


# --- the words of the new reasons -------------------------------------------------------------


@pytest.mark.parametrize(
    ("part", "english", "german"),
    [
        (
            ["ahead_not_eligible", "0", "#99", ""],
            "#99 ahead scored in another championship",
            "#99 davor punktete in einer anderen Meisterschaft",
        ),
        (
            ["did_not_drive", "0", "#22", ""],
            "named for #22 but did not drive: no points",
            "für #22 gemeldet, aber nicht gefahren: keine Punkte",
        ),
        (
            ["under_min_drive_time", "0", "0:20:00", "", "", "0:30:00"],
            "0:20:00 at the wheel, under the minimum of 0:30:00: no points",
            "0:20:00 Fahrzeit, unter der Mindestzeit von 0:30:00: keine Punkte",
        ),
        (
            ["race_factor", "-12.5", "0.5", "", "Race 2", "Red flag"],
            "Race 2: × 0.5: −12.5 (Red flag)",
            "Race 2: × 0.5: −12.5 (Red flag)",
        ),
    ],
)
def test_the_new_reasons_are_worded_in_english_and_german(part, english, german):
    for language, expected in (("en", english), ("de", german)):
        with translation.override(language):
            pieces = standings_page.part_words(part, "LMP2")
        assert "".join(p.text for p in pieces) == expected
    stored_in_english = {p.text for p in pieces if p.english}
    assert stored_in_english <= {"Race 2", "Red flag"}


# --- the lap analysis -------------------------------------------------------------------------


def test_the_lap_analysis_gives_each_drivers_laps_and_time_at_the_wheel():
    content = synthetic.lap_analysis(
        [("22", 1, "Ann 22", 3, 100.5), ("22", 2, "Bob 22", 2, 120), ("5", 1, "Ann 5", 1, 130)]
    )
    parsed = laps.parse(content)
    assert parsed.errors == []
    assert parsed.drivers == [
        laps.DriverLaps("22", 1, "Ann 22", 3, dt.timedelta(seconds=301.5)),
        laps.DriverLaps("22", 2, "Bob 22", 2, dt.timedelta(seconds=240)),
        laps.DriverLaps("5", 1, "Ann 5", 1, dt.timedelta(seconds=130)),
    ]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"POSITION;NUMBER;TEAM\r\n1;22;A\r\n", "no column DRIVER_NUMBER, LAP_NUMBER, LAP_TIME"),
        (b"\xff\xfeN\x00", "UTF-16"),
        (b"NUMBER;DRIVER_NUMBER;LAP_NUMBER;LAP_TIME\n22;1;1;fast\n", "is not a time"),
        (b"NUMBER;DRIVER_NUMBER;LAP_NUMBER;LAP_TIME\n22;0;1;1:40.000\n", "DRIVER_NUMBER"),
        (b"NUMBER;DRIVER_NUMBER;LAP_NUMBER;LAP_TIME\n22;1;1;1:40.0\n22;1;1;1:41.0\n", "also on"),
        (b"NUMBER;DRIVER_NUMBER;LAP_NUMBER;LAP_TIME\n", "no laps"),
        (
            b"NUMBER;DRIVER_NUMBER;LAP_NUMBER;LAP_TIME;DRIVER_NAME\n22;1;1;1:40.0;Ann A\n"
            b"22;1;2;1:40.0;Bob B\n",
            "one place, two names",
        ),
    ],
)
def test_a_lap_analysis_that_cannot_be_read_says_why(content, message):
    parsed = laps.parse(content)
    assert parsed.drivers == []
    assert any(message in str(problem) for problem in parsed.errors)


# --- the synthetic six-round season -----------------------------------------------------------


@pytest.fixture
def six_rounds(db, tmp_path):
    """The synthetic season, with who drove as the lap analyses of rounds 2 and 6 say and the
    editor's "did not drive" for #6's second driver at round 4."""
    season = synthetic.build()
    round_2 = tmp_path / "round-2.csv"
    round_2.write_bytes(
        synthetic.lap_analysis([("22", 1, "ANN 22", 60, 120), ("22", 2, "Bob 22", 60, 121)])
    )
    round_6 = tmp_path / "round-6.csv"
    round_6.write_bytes(
        synthetic.lap_analysis([("5", 1, "Ann 5", 100, 120), ("5", 2, "Bob 5", 10, 120)])
    )
    slug = season.series.slug
    call_command("import_laps", slug, "2030", "2", str(round_2), stdout=io.StringIO())
    call_command("import_laps", slug, "2030", "6", str(round_6), stdout=io.StringIO())
    bob = Crew.objects.get(entry__event__rounds__number=4, entry__number="6", order=2)
    bob.drove = False
    bob.save()
    return season


SIX_ROUND_TEAMS = {
    "SYN-LMP2": {"Team 22 #22": D("138.5"), "Team 23 #23": D(115), "Team 24 #24": D("114.5")},
    "SYN-LMP2PA": {"Team 31 #31": D(149), "Team 32 #32": D("136.5")},
    "SYN-LMP3": {"Team 5 #5": D("135.5"), "Team 6 #6": D(126), "Team 7 #7": D("121.5")},
}


def test_the_six_round_season_gives_the_standings_its_rules_define(six_rounds):
    by_class = {c.code: c for c in compute(season_data(six_rounds))}
    assert {code: totals(c.teams) for code, c in by_class.items()} == SIX_ROUND_TEAMS
    drivers = {name: total for c in by_class.values() for name, total in totals(c.drivers).items()}
    for number, total in [n for team in SIX_ROUND_TEAMS.values() for n in team.items()]:
        car_number = number.rsplit("#", 1)[1]
        if car_number in ("22", "6", "5"):
            continue
        assert {drivers[name] for name in synthetic.crew_names(car_number)} == {total}
    assert drivers["Ann 22"] == drivers["Bob 22"] == D("138.5")
    assert drivers["Cid 22"] == D("119.5")  # no lap at round 2 (lap analysis): not its 19
    assert drivers["Bob 6"] == D(108)  # did not drive at round 4 (the editor): not its 18
    assert drivers["Ann 6"] == D(126)
    assert drivers["Bob 5"] == D("117.5")  # 20 minutes at round 6, under the 30: not its 18
    assert drivers["Cid 5"] == D("117.5")  # no lap at round 6
    assert drivers["Ann 5"] == D("135.5")
    assert "Team 99 #99" not in totals(by_class["SYN-LMP3"].teams)


WORDED = {
    "position", "further", "pole", "factor", "race_factor", "not_classified", "not_counted",
    "dropped", "adjustment", "ahead_not_eligible", "did_not_drive", "under_min_drive_time",
}  # fmt: skip


def test_every_cell_of_the_six_round_season_is_explained(six_rounds):
    cells, kinds = 0, set()
    for standings in compute(season_data(six_rounds)):
        for standing in (*standings.drivers, *standings.teams):
            assert len(standing.cells) == 6
            for cell in standing.cells:
                assert cell.parts, (standing.name, cell.round_number)
                kinds |= {part.kind for part in cell.parts}
                stored = stored_cell(cell)
                for language in ("en", "de"):
                    with translation.override(language):
                        words = standings_page.explanation(stored, standings.code)
                    assert "".join(p.text for p in words).strip()
                cells += 1
    assert cells == 6 * (3 * 3 + 2 * 3 + 3 * 3 + 8)  # 24 drivers and 8 cars, #99 not among them
    assert kinds <= WORDED
    assert {"ahead_not_eligible", "did_not_drive", "under_min_drive_time", "race_factor"} <= kinds


def test_the_six_round_cells_name_the_double_header_the_half_points_and_the_poles(six_rounds):
    lmp2 = next(c for c in compute(season_data(six_rounds)) if c.code == "SYN-LMP2")
    team_24 = next(s for s in lmp2.teams if s.name == "Team 24 #24")
    round_3, round_5 = team_24.cells[2], team_24.cells[4]
    assert [(p.kind, p.race, p.value) for p in round_3.parts] == [
        ("position", "Race 1", "3"),
        ("position", "Race 2", "1"),
        ("pole", "", ""),
    ]
    assert [(p.kind, p.points, p.note) for p in round_5.parts] == [
        ("position", D(25), ""),
        ("race_factor", D("-12.5"), synthetic.SHORTENED[2]),
        ("pole", D(1), ""),
    ]


def test_the_standings_page_shows_the_six_round_season(six_rounds, client):
    assert StandingsRow.objects.filter(table__season=six_rounds, table__is_latest=True).exists()
    url = reverse("races:season_standings", args=[six_rounds.series.slug, 2030])
    page = client.get(url).content.decode()
    assert "named for #22 but did not drive: no points" in page
    assert "× 0.5: −12.5 (" in page


def test_the_round_page_shows_each_drivers_laps_and_time_at_the_wheel(six_rounds, client):
    url = reverse("races:round_detail", args=[six_rounds.series.slug, 2030, "synthetic-6"])
    page = client.get(url).content.decode()
    assert "(10 laps, 0:20:00)" in page
    assert "(0 laps, 0:00:00)" in page


def test_the_round_page_shows_a_time_at_the_wheel_entered_without_laps(six_rounds, client):
    member = Crew.objects.get(entry__event__rounds__number=4, entry__number="6", order=1)
    with changes():
        member.laps, member.drive_time = None, dt.timedelta(hours=1, minutes=5, seconds=9)
        member.save()
    url = reverse("races:round_detail", args=[six_rounds.series.slug, 2030, "synthetic-4"])
    assert "(1:05:09)" in client.get(url).content.decode()


# --- the lap import command -------------------------------------------------------------------


def test_import_laps_marks_who_drove_and_refuses_a_crew_it_does_not_match(db, tmp_path):
    season = synthetic.build()
    path = tmp_path / "laps.csv"
    slug, out = season.series.slug, io.StringIO()
    path.write_bytes(synthetic.lap_analysis([("22", 1, "Ann 22", 2, 100), ("22", 3, "Zed", 1, 90)]))
    with pytest.raises(CommandError, match="1 problem"):
        call_command("import_laps", slug, "2030", "1", str(path), stderr=out, stdout=out)
    assert "#22: “Zed” is no one of the crew on record (Ann 22, Bob 22, Cid 22)" in out.getvalue()
    assert not Crew.objects.filter(laps__isnull=False).exists()
    path.write_bytes(
        synthetic.lap_analysis([("22", 1, "Ann 22", 2, 100), ("22", 3, "Cid 22", 1, 90)])
    )
    call_command("import_laps", slug, "2030", "1", str(path), stdout=out)
    stored = {
        c.driver.full_name: (c.laps, c.drive_time, c.drove)
        for c in Crew.objects.filter(entry__event__slug="synthetic-1", entry__number="22")
    }
    assert stored == {
        "Ann 22": (2, dt.timedelta(seconds=200), True),
        "Bob 22": (0, dt.timedelta(0), False),
        "Cid 22": (1, dt.timedelta(seconds=90), True),
    }
    with pytest.raises(CommandError, match="No round 9"):
        call_command("import_laps", season.series.slug, "2030", "9", str(path))


# --- presets per era --------------------------------------------------------------------------


def test_each_preset_names_its_seasons_and_its_sources_by_address(db):
    presets = {p.slug: p for p in PointsScale.objects.exclude(series_slug="")}
    assert set(presets) == {"le-mans-series-2010", "ilmc-2011", "elms-2015", "elms-top-ten"}
    years = {slug: (p.first_year, p.last_year) for slug, p in presets.items()}
    assert years == {
        "le-mans-series-2010": (2010, 2011),
        "ilmc-2011": (2011, 2011),
        "elms-2015": (2015, 2018),  # sourced for 2015 and for 2018
        "elms-top-ten": (2019, None),
    }
    sourced = [p for slug, p in presets.items() if slug != "elms-top-ten"]
    assert all(p.has_source and "https://" in p.source for p in sourced)
    assert "https://racing24-7.net/" in presets["elms-2015"].source
    top_ten = presets["elms-top-ten"]
    # No source names this scale for the ELMS: it has none, and its notes say what was searched.
    assert (top_ten.source, top_ten.has_source) == ("", False)
    assert top_ten.notes.startswith("No source found")
    assert [p.points for p in top_ten.points.all()] == [25, 18, 15, 12, 10, 8, 6, 4, 2, 1]
    assert (top_ten.further_points, top_ten.pole_points) == (0, 1)


@pytest.mark.parametrize(
    ("series", "year", "preset"),
    [
        ("le-mans-series", 2011, "le-mans-series-2010"),
        ("le-mans-series", 2015, "elms-2015"),
        ("le-mans-series", 2016, "elms-2015"),
        ("le-mans-series", 2018, "elms-2015"),
        ("le-mans-series", 2019, "elms-top-ten"),
        ("le-mans-series", 2024, "elms-top-ten"),
        ("intercontinental-le-mans-cup", 2011, "ilmc-2011"),
        ("le-mans-series", 2012, None),
    ],
)
def test_the_preset_of_a_season_is_the_one_of_its_series_and_era(
    db, make_series, make_season, series, year, preset
):
    season = make_season(make_series(slug=series), year)
    found = PointsScale.objects.presets_for(season).first()
    assert (found.slug if found else None) == preset


def rules_post(season, **values):
    empty = {
        f"{prefix}-{key}": "0"
        for prefix in ("class_scales", "pole_awards")
        for key in ("TOTAL_FORMS", "INITIAL_FORMS")
    }
    return {
        "season": season.pk,
        "scale": "",
        "pole_points": "1",
        "pole_session_kind": "qualifying",
        "team_standings": "per_car",
        **empty,
        **values,
    }


def test_the_rules_add_form_proposes_the_preset_of_the_season(
    admin_client, make_series, make_season
):
    season = make_season(make_series(slug="le-mans-series"), 2024)
    url = reverse("admin:races_championshiprules_add")
    form = admin_client.get(url, {"season": season.pk}).context["adminform"].form
    top_ten = PointsScale.objects.get(slug="elms-top-ten")
    assert (form.initial["scale"], form.initial["pole_points"]) == (top_ten.pk, 1)
    assert admin_client.get(url, {"season": "abc"}).status_code == 200
    response = admin_client.post(url, rules_post(season))
    assert response.status_code == 302
    assert ChampionshipRules.objects.get(season=season).scale == top_ten
    other = make_season(make_series("Other", slug="other"), 2024)
    response = admin_client.post(url, rules_post(other))
    assert "No preset applies to this season: choose a scale." in response.content.decode()
    assert not ChampionshipRules.objects.filter(season=other).exists()


def test_a_preset_taken_for_an_empty_scale_brings_its_pole_bonus_unless_the_editor_set_one(
    admin_client, make_series, make_season
):
    """The editor who leaves the scale empty and the pole bonus at its default 0 (or empty)
    gets the preset's bonus with its scale; a bonus other than 0 is the editor's and stays."""
    elms = make_series(slug="le-mans-series")
    url = reverse("admin:races_championshiprules_add")
    for year, posted in ((2024, "0"), (2025, "")):
        season = make_season(elms, year)
        assert admin_client.post(url, rules_post(season, pole_points=posted)).status_code == 302
        rules = ChampionshipRules.objects.get(season=season)
        assert (rules.scale.slug, rules.pole_points) == ("elms-top-ten", 1)
    season = make_season(elms, 2023)
    assert admin_client.post(url, rules_post(season, pole_points="2")).status_code == 302
    assert ChampionshipRules.objects.get(season=season).pole_points == 2


def test_the_season_admin_page_links_to_adding_its_rules_with_the_preset_or_to_its_rules(
    admin_client, make_series, make_season
):
    season = make_season(make_series(slug="le-mans-series"), 2024)
    page = admin_client.get(reverse("admin:races_season_change", args=[season.pk]))
    add = f"{reverse('admin:races_championshiprules_add')}?season={season.pk}"
    assert f'<a href="{add}">Add championship rules</a>' in page.content.decode()
    form = admin_client.get(add).context["adminform"].form
    top_ten = PointsScale.objects.get(slug="elms-top-ten")
    assert (form.initial["season"], form.initial["scale"]) == (season.pk, top_ten.pk)
    assert admin_client.post(add, rules_post(season)).status_code == 302
    rules = ChampionshipRules.objects.get(season=season)
    page = admin_client.get(reverse("admin:races_season_change", args=[season.pk]))
    change = reverse("admin:races_championshiprules_change", args=[rules.pk])
    assert f'<a href="{change}">Championship rules</a>' in page.content.decode()
    assert "Add championship rules" not in page.content.decode()


NO_SOURCE = "has no source on record: check it against the season's sporting regulations"


def test_the_admin_says_when_the_proposed_or_chosen_scale_has_no_source(
    admin_client, make_series, make_season
):
    elms = make_series(slug="le-mans-series")
    url = reverse("admin:races_championshiprules_add")
    page = admin_client.get(url, {"season": make_season(elms, 2024).pk}).content.decode()
    assert f"“European Le Mans Series, nothing beyond tenth” {NO_SOURCE}" in html.unescape(page)
    page = admin_client.get(url, {"season": make_season(elms, 2015).pk}).content.decode()
    assert NO_SOURCE not in html.unescape(page)
    top_ten = PointsScale.objects.get(slug="elms-top-ten")
    page = admin_client.get(reverse("admin:races_pointsscale_change", args=[top_ten.pk]))
    assert NO_SOURCE in html.unescape(page.content.decode())
    listing = html.unescape(
        admin_client.get(reverse("admin:races_pointsscale_changelist")).content.decode()
    )
    assert "none on record" in listing
    assert "Motorsport-Total.com" in listing


# --- integrity --------------------------------------------------------------------------------


def test_only_a_sub_class_is_its_own_championship(db):
    with pytest.raises(IntegrityError), transaction.atomic():
        CarClass.objects.create(code="SOLO", name="Solo", own_championship=True)
    lmp2 = CarClass.objects.create(code="P2X", name="LMP2")
    CarClass.objects.create(code="P2X-PA", name="Pro/Am", parent=lmp2, own_championship=True)


def test_a_race_scoring_other_than_full_points_says_why(db, make_event, make_session):
    session = make_session(make_event(), order=1)
    session.points_factor = D("0.5")
    with pytest.raises(ValidationError, match="Say why this race scores"):
        session.full_clean()
    session.points_factor_reason = "Red flag: less than 75% of the race run"
    session.full_clean()
    session.points_factor = D(-1)
    with pytest.raises(ValidationError):
        session.full_clean()


def test_a_preset_cannot_end_before_it_begins_nor_a_minimum_drive_time_be_zero(db):
    scale = PointsScale(name="X", slug="x", series_slug="x", first_year=2020, last_year=2019)
    with pytest.raises(ValidationError, match="The last season comes before the first"):
        scale.full_clean()
    rules = ChampionshipRules(
        scale=PointsScale.objects.get(slug="elms-top-ten"), min_drive_time=dt.timedelta(0)
    )
    with pytest.raises(ValidationError):
        rules.full_clean(exclude=["season"])


def test_an_editor_cannot_give_a_pro_am_car_of_its_own_the_parent_class_pole(six_rounds):
    round_1 = six_rounds.rounds.get(number=1)
    pro_am_car = round_1.event.entries.get(number="31")
    award = PoleAward(
        rules=six_rounds.rules,
        round=round_1,
        car_class=pro_am_car.car_class.parent,
        entry=pro_am_car,
    )
    with pytest.raises(ValidationError, match="This car does not race in this class"):
        award.full_clean()
    award.car_class = pro_am_car.car_class
    award.full_clean()
