"""A race weekend and a season from official timing files in one go: files the project writes
(races/tests/timing_files.py) in every layout, placed in their sessions, crews and names
settled."""

import io
import zipfile

import pytest
from django.core.management import CommandError, call_command

from drivers.models import Driver
from races.importers import alkamel
from races.importers.classification import run_import
from races.importers.export import export_session
from races.importers.weekend import WeekendError, read_folder, read_zip, run_weekend
from races.models import (
    ClassName,
    Crew,
    DriverLicence,
    Entry,
    RaceLaps,
    Result,
    Round,
    Session,
    StandingsTable,
)
from races.tests import timing_files as tf

pytestmark = pytest.mark.django_db


def run(command, *args):
    out, err = io.StringIO(), io.StringIO()
    call_command(command, *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def season():
    return tf.create_calendar()


def event_of(number):
    return Round.objects.get(season__year=tf.YEAR, number=number).event


def crew_names(event, number):
    crew = Crew.objects.filter(entry__event=event, entry__number=number).order_by("order")
    return [c.driver.full_name for c in crew]


def test_a_synthetic_season_imports_with_import_season_alone(season, tmp_path):
    cars = tf.write_season(tmp_path)
    out, err = run("import_season", tf.SERIES, str(tf.YEAR), str(tmp_path))
    assert "6 rounds imported." in out
    assert err == ""
    assert "ignored: 07_Classification_Race_Hour 2.CSV (an hourly interim classification)" in out
    assert "ignored: 08_Classification_Le Mans Cup Race 1.CSV (a support race)" in out
    first = event_of(1)
    assert list(Session.objects.filter(event=first).values_list("order", "name", "kind")) == [
        (1, "Free Practice 1", "practice"),
        (2, "Qualifying LMP2", "qualifying"),
        (3, "Qualifying LMP2 Pro-Am", "qualifying"),
        (4, "Qualifying LMP3", "qualifying"),
        (5, "Qualifying LMGT3", "qualifying"),
        (6, "Race", "race"),
    ]
    # Per-class qualifying files land in their sessions, with the best lap as its time.
    pro_am = Result.objects.filter(session__event=first, session__name="Qualifying LMP2 Pro-Am")
    assert sorted(r.entry.number for r in pro_am) == ["26", "27", "28", "29", "30", "31"]
    assert {r.entry.car_class.code for r in pro_am} == {"LMP2 Pro-Am"}
    pole = pro_am.get(position=1)
    assert (pole.best_lap.total_seconds(), pole.class_position, pole.time) == (95.0, 1, None)
    assert Result.objects.filter(session__event=first, session__kind="race").count() == 45
    # The race crew is the race file's: the driver named only in qualifying is not in it.
    number, name = tf.QUALIFYING_ONLY
    assert "Quinn Qualionly" not in crew_names(first, number)
    assert len(crew_names(first, number)) == 3
    # Named drivers who did not drive stay named in the race crew (the rules judge who drove).
    for number, name in tf.DID_NOT_DRIVE:
        assert crew_names(first, number)[-1] == name.split()[0] + " " + name.split()[1].title()
    # The licence letter per driver and season; six rounds, one row per driver.
    driver = Driver.objects.get(full_name="Nora Didnot")
    assert DriverLicence.objects.get(driver=driver, season=season).category == "B"
    assert DriverLicence.objects.filter(season=season).count() == 3 * 45 + 2 + 1
    assert Entry.objects.filter(event__rounds__season=season).count() == 6 * 45
    assert Driver.objects.count() == 3 * 45 + 2 + 1
    assert StandingsTable.objects.filter(season=season, is_latest=True).exists()
    # The lap analysis of each race, in the round's folder, says who drove and how long.
    assert "23_Analysis_Race_Hour 4.CSV → laps and time at the wheel" in out
    for number, name in tf.DID_NOT_DRIVE:
        absent = Crew.objects.get(entry__event=first, entry__number=number, order=4)
        assert (absent.drove, absent.laps) == (False, 0), name
    driver = Crew.objects.get(entry__event=first, entry__number="27", order=1)
    assert (driver.drove, driver.laps, driver.drive_time.total_seconds()) == (True, 30, 3000)
    assert len(cars) == 45

    # Importing the season again changes nothing.
    history = Result.history.count(), Crew.history.count(), Entry.history.count()
    out, _ = run("import_season", tf.SERIES, str(tf.YEAR), str(tmp_path))
    assert "new results" in out
    assert (Result.history.count(), Crew.history.count(), Entry.history.count()) == history


def test_a_dry_run_of_an_event_writes_nothing_and_shows_one_combined_preview(season, tmp_path):
    tf.write_round(tmp_path, 1, tf.season_field())
    out, _ = run("import_event", tf.SERIES, str(tf.YEAR), "1", str(tmp_path), "--dry-run")
    assert "new session: 6 Race (race)" in out
    assert "09_Classification_Race_Hour 4.CSV → Race: 45 cars, 45 results, 45 new results" in out
    assert "Dry run, nothing written. Would import into 4 Hours of Circuit 1 (round 1)" in out
    assert not Session.objects.exists()
    assert not Entry.objects.exists()
    assert not Driver.objects.exists()


def test_the_last_hours_classification_is_the_race_when_there_is_no_plain_one(season, tmp_path):
    cars = tf.season_field()
    (tmp_path / "Race_Hour 1.CSV").write_bytes(tf.race_file(cars[:3]))
    (tmp_path / "Race_Hour 12.CSV").write_bytes(tf.race_file(cars))
    (tmp_path / "Race_Hour 2.CSV").write_bytes(tf.race_file(cars[:5]))
    out, _ = run("import_event", tf.SERIES, str(tf.YEAR), "1", str(tmp_path), "--dry-run")
    assert "Race_Hour 12.CSV → Race: 45 cars" in out
    assert "ignored: Race_Hour 2.CSV (an hourly interim classification)" in out
    assert "ignored: Race_Hour 1.CSV (an hourly interim classification)" in out


def test_an_event_where_nothing_is_placed_fails(season, tmp_path):
    cars = tf.season_field()
    (tmp_path / "Le Mans Cup Race 1.CSV").write_bytes(tf.race_file(cars[:3]))
    with pytest.raises(CommandError, match="Nothing imported"):
        run("import_event", tf.SERIES, str(tf.YEAR), "1", str(tmp_path), "--dry-run")


def test_a_file_it_cannot_place_is_listed_and_a_mapping_file_names_it(season, tmp_path):
    cars = tf.season_field()
    (tmp_path / "results-sunday.csv").write_bytes(tf.race_file(cars))
    with pytest.raises(CommandError, match="Nothing imported"):
        out, err = run("import_event", tf.SERIES, str(tf.YEAR), "1", str(tmp_path))
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError):
        call_command(
            "import_event", tf.SERIES, str(tf.YEAR), "1", str(tmp_path), stdout=out, stderr=err
        )
    assert "cannot place results-sunday.csv: its name names no session" in err.getvalue()
    (tmp_path / "sessions.csv").write_text("file,session\nresults-sunday.csv,Race\n")
    out, _ = run("import_event", tf.SERIES, str(tf.YEAR), "1", str(tmp_path))
    assert "results-sunday.csv → Race: 45 cars" in out
    (tmp_path / "sessions.csv").write_text("file,session\nresults-sunday.csv,ignore\n")
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError, match="Nothing imported"):  # nothing left to import
        call_command(
            "import_event", tf.SERIES, str(tf.YEAR), "1", str(tmp_path), stdout=out, stderr=err
        )
    assert "ignored: results-sunday.csv (sessions.csv says so)" in out.getvalue()
    assert "no file of this event is a session or an entry list" in err.getvalue()


def pair(number, name, cls="LMP3"):
    first, last = name.split(" ", 1)
    return tf.Car(number, f"Team {number}", cls, [(first, last, "FRA", "S")])


def test_one_name_in_two_cars_is_settled_per_car_by_a_decisions_file(season, tmp_path):
    cars = [pair("3", "Ann BEE"), pair("4", "Ann BEE")]
    (tmp_path / "Race.csv").write_bytes(tf.race_file(cars))
    with pytest.raises(CommandError):
        run("import_event", tf.SERIES, str(tf.YEAR), "1", str(tmp_path))
    assert not Driver.objects.exists()
    known = Driver.objects.create(full_name="Ann Bee", slug="ann-bee", search_key="ann bee")
    decisions = tmp_path.parent / "decisions.csv"
    decisions.write_text("round,car,name,driver,reason\n1,3,Ann BEE,ann-bee,\n1,#4,Ann BEE,new,\n")
    _out, _ = run(
        "import_event", tf.SERIES, str(tf.YEAR), "1", str(tmp_path), "--decisions", str(decisions)
    )
    event = event_of(1)
    assert Crew.objects.get(entry__event=event, entry__number="3").driver == known
    other = Crew.objects.get(entry__event=event, entry__number="4").driver
    assert other != known
    assert other.full_name == "Ann Bee"


def test_a_name_two_stored_drivers_hold_is_settled_per_car(season, tmp_path):
    one = Driver.objects.create(full_name="Ann Bee", slug="ann-bee", search_key="ann bee")
    two = Driver.objects.create(full_name="Ann Bee", slug="ann-bee-2", search_key="ann bee")
    (tmp_path / "Race.csv").write_bytes(tf.race_file([pair("3", "Ann BEE")]))
    with pytest.raises(CommandError):
        run("import_event", tf.SERIES, str(tf.YEAR), "1", str(tmp_path))
    decisions = tmp_path.parent / "decisions.csv"
    decisions.write_text(f"car,name,driver\n3,Ann BEE,{two.pk}\n")
    run("import_event", tf.SERIES, str(tf.YEAR), "1", str(tmp_path), "--decisions", str(decisions))
    assert Crew.objects.get(entry__number="3").driver == two
    assert not Crew.objects.filter(driver=one).exists()


def test_the_alias_file_names_the_driver_of_one_car_of_one_event(season, tmp_path):
    Driver.objects.create(full_name="Ann Bee", slug="ann-bee", search_key="ann bee")
    two = Driver.objects.create(full_name="Ann Bee", slug="ann-bee-2", search_key="ann bee")
    (tmp_path / "round").mkdir()
    (tmp_path / "round" / "Race.csv").write_bytes(tf.race_file([pair("3", "Ann BEE")]))
    aliases = tmp_path / "aliases.csv"
    aliases.write_text(
        "kind,rule,name,years,other,reason,car\n"
        f"driver,car,Ann Bee,{tf.YEAR},ann-bee-2,Her entry in the programme.,"
        "4-hours-circuit-1#3\n"
    )
    run(
        "import_event",
        tf.SERIES,
        str(tf.YEAR),
        "1",
        str(tmp_path / "round"),
        "--aliases",
        str(aliases),
    )
    assert Crew.objects.get(entry__number="3").driver == two


@pytest.mark.parametrize(
    ("stored", "written"),
    [
        ("Alexander Smith", "Alex SMITH"),
        ("Matt Jones", "Matthew JONES"),
        ("Tom Brown", "Tom BROWN JR"),
        ("Tom Brown Jr", "Tom BROWN JR."),
        ("Tom Kimber Smith", "Tom KIMBER-SMITH"),
    ],
)
def test_a_short_form_jr_or_hyphen_is_asked_about_never_created_silently(
    season, tmp_path, stored, written
):
    from drivers.names import fold

    Driver.objects.create(full_name=stored, slug="stored", search_key=fold(stored))
    (tmp_path / "Race.csv").write_bytes(tf.race_file([pair("3", written)]))
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError):
        call_command(
            "import_event", tf.SERIES, str(tf.YEAR), "1", str(tmp_path), stdout=out, stderr=err
        )
    assert f"{written}: 1 driver could be meant ({stored} [" in err.getvalue()
    assert Driver.objects.count() == 1


@pytest.mark.parametrize(
    ("one", "two"),
    [
        ("Jean ZEBULON JR.", "Jean ZEBULON JR"),
        ("Jean-Pierre ZEBULON", "Jean Pierre ZEBULON"),
        ("Ann VAN-DYKE", "Ann VAN DYKE"),
    ],
)
def test_near_names_inside_one_file_are_asked_about_and_settled_by_decisions(
    season, tmp_path, one, two
):
    (tmp_path / "Race.csv").write_bytes(tf.race_file([pair("3", one), pair("4", two)]))
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(CommandError):
        call_command(
            "import_event", tf.SERIES, str(tf.YEAR), "1", str(tmp_path), stdout=out, stderr=err
        )
    assert f"written near {two} (#4) in this file" in err.getvalue()
    assert not Driver.objects.exists()
    decisions = tmp_path.parent / "decisions.csv"
    decisions.write_text(f"car,name,driver\n3,{one},new\n4,{two},new\n")
    run("import_event", tf.SERIES, str(tf.YEAR), "1", str(tmp_path), "--decisions", str(decisions))
    assert Driver.objects.count() == 2


def test_an_entry_list_imports_into_the_event_before_the_race(season):
    event = event_of(2)
    cars = tf.season_field()
    weekend = run_weekend(event, [("Entry List.csv", lambda: tf.entry_list_file(cars))])
    assert weekend.written
    assert Entry.objects.filter(event=event).count() == 45
    assert not Result.objects.exists()
    assert not Session.objects.filter(event=event).exists()
    assert Entry.objects.get(event=event, number="27").car_class.code == "LMP2 Pro-Am"
    assert crew_names(event, "27")[-1] == "Nora Didnot"


def test_the_sites_own_export_imports_as_an_entry_list_and_round_trips(season, tmp_path):
    tf.write_round(tmp_path, 1, tf.season_field())
    run("import_event", tf.SERIES, str(tf.YEAR), "1", str(tmp_path))
    race = Session.objects.get(event=event_of(1), kind="race")
    exported = export_session(race).encode()
    # The export imported again into its session changes nothing.
    history = Result.history.count(), Crew.history.count(), Entry.history.count()
    _plan, outcome = run_import(race, alkamel.parse(exported))
    assert outcome.counts["changed results"] == outcome.counts["changed entries"] == 0
    assert outcome.counts["new drivers"] == outcome.counts["new results"] == 0
    assert (Result.history.count(), Crew.history.count(), Entry.history.count()) == history
    # …and as the entry list of another event.
    second = event_of(2)
    weekend = run_weekend(second, [("entry list.csv", lambda: exported)])
    assert weekend.written
    assert Entry.objects.filter(event=second).count() == 45
    assert not Result.objects.filter(session__event=second).exists()
    assert Driver.objects.count() == 3 * 45 + 2 + 1


def test_a_class_mapped_once_serves_the_seasons_next_files(season, tmp_path):
    cars = [pair("3", "Ann BEE", cls="P3")]
    for number in (1, 2):
        (tmp_path / f"r{number}").mkdir()
        (tmp_path / f"r{number}" / "Race.csv").write_bytes(tf.race_file(cars))
    with pytest.raises(CommandError):
        run("import_event", tf.SERIES, str(tf.YEAR), "1", str(tmp_path / "r1"))
    run(
        "import_event", tf.SERIES, str(tf.YEAR), "1", str(tmp_path / "r1"), "--map-class", "P3=LMP3"
    )
    assert ClassName.objects.get(season=season).car_class.code == "LMP3"
    run("import_event", tf.SERIES, str(tf.YEAR), "2", str(tmp_path / "r2"))
    assert Entry.objects.get(event=event_of(2)).car_class.code == "LMP3"


def zip_of(files):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def test_a_zip_imports_like_a_folder(season, tmp_path):
    cars = tf.season_field()
    content = zip_of(
        {"weekend/Race.CSV": tf.race_file(cars), "__MACOSX/._Race.CSV": b"x", "Hour 1.csv": b""}
    )
    path = tmp_path / "weekend.zip"
    path.write_bytes(content)
    out, _ = run("import_event", tf.SERIES, str(tf.YEAR), "1", str(path))
    assert "Race.CSV → Race: 45 cars" in out
    assert "ignored: Hour 1.csv" in out


def test_a_zip_bomb_is_refused_before_it_is_inflated():
    bomb = zip_of({"Race.csv": b"0" * (5 * 2**20)})  # 5 MB of zeros: about 5 kB compressed
    with pytest.raises(WeekendError, match="a zip bomb"):
        read_zip(bomb)
    many = zip_of({f"f{n}.csv": b"x" for n in range(201)})
    with pytest.raises(WeekendError, match="more than 200"):
        read_zip(many)
    with pytest.raises(WeekendError, match="not a readable zip"):
        read_zip(b"PK\x03\x04 broken")


def test_a_folder_that_is_neither_is_an_error(tmp_path):
    (tmp_path / "x.txt").write_text("x")
    with pytest.raises(WeekendError, match="neither a folder nor a zip"):
        read_folder(tmp_path / "x.txt")


def test_the_driver_category_shows_on_the_entry_list_and_the_drivers_page(season, client):
    event = event_of(1)
    run_weekend(event, [("Entry List.csv", lambda: tf.entry_list_file(tf.season_field()))])
    html = client.get(f"/series/{tf.SERIES}/{tf.YEAR}/{event.slug}/").content.decode()
    assert 'Nora Didnot</a> <abbr class="category" title="Bronze">B</abbr>' in html
    driver = Driver.objects.get(full_name="Nora Didnot")
    html = client.get(driver.get_absolute_url()).content.decode()
    assert "<dt>Driver category</dt><dd>Bronze (<span>2030 European Le Mans Series</span>)" in html


def test_one_name_in_another_car_of_the_event_is_a_question(season, tmp_path):
    event = event_of(1)
    run_weekend(event, [("Entry List.csv", lambda: tf.entry_list_file([pair("3", "Ann BEE")]))])
    weekend = run_weekend(event, [("Race.csv", lambda: tf.race_file([pair("4", "Ann BEE")]))])
    assert not weekend.written
    (race,) = weekend.placed
    assert [str(e) for e in race.plan.errors] == [
        "Ann BEE: written alike in cars #4, #3: decide who it is in #4"
    ]


def test_a_dry_run_of_a_season_previews_every_round_and_writes_nothing(season, tmp_path):
    cars = [pair("3", "Ann BEE")]
    for number in (1, 2):
        (tmp_path / f"R{number}").mkdir()
        (tmp_path / f"R{number}" / "Race.csv").write_bytes(tf.race_file(cars))
    (tmp_path / "notes.txt").write_text("not a round")
    out, _ = run("import_season", tf.SERIES, str(tf.YEAR), str(tmp_path), "--dry-run")
    assert "ignored: notes.txt (not a round folder of the season)" in out
    assert "Would import into 4 Hours of Circuit 2 (round 2)" in out
    assert "Dry run: every round previewed, nothing written." in out
    assert not Session.objects.exists()
    assert not Driver.objects.exists()


def test_a_file_for_a_session_of_another_kind_is_refused(season, tmp_path):
    event = event_of(1)
    Session.objects.create(event=event, kind="qualifying", name="Race", order=1)
    weekend = run_weekend(event, [("Race.csv", lambda: tf.race_file([pair("3", "Ann BEE")]))])
    assert not weekend.written
    assert weekend.placed[0].error == ("the event's session Race is a Qualifying, not a Race")


def test_a_zip_of_many_entries_is_refused_from_its_directory_end_before_it_is_opened(
    monkeypatch,
):
    from races.importers import weekend

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for n in range(2000):
            archive.writestr(f"{n}.csv", b"")

    def never(*args, **kwargs):
        raise AssertionError("opened")

    monkeypatch.setattr(weekend.zipfile, "ZipFile", never)
    with pytest.raises(WeekendError, match="declares 2000 entries"):
        read_zip(out.getvalue())


def test_a_decisions_row_naming_an_unknown_driver_id_is_an_error(season, tmp_path):
    from races.importers.weekend import read_decisions

    with pytest.raises(ValueError, match="decisions line 2: no driver with id 999999"):
        read_decisions("car,name,driver\n3,Ann BEE,999999\n")


def test_a_class_and_group_longer_than_a_stored_class_name_is_refused_in_the_parser():
    cars = [tf.Car("3", "Team 3", "X" * 30, [("Ann", "BEE", "FRA", "S")], group="G" * 30)]
    parsed = alkamel.parse(tf.race_file(cars))
    assert any("class longer than 60 characters" in str(p) for p in parsed.errors)


def test_a_session_created_later_is_placed_in_the_order_of_the_weekend(season):
    event = event_of(1)
    cars = tf.season_field()
    groups = tf.qualifying_groups(cars)
    assert run_weekend(event, [("Race.csv", lambda: tf.race_file(cars))]).written
    files = [("Qualifying LMP3.csv", lambda: tf.qualifying_file(groups["LMP3"]))]
    assert run_weekend(event, files).written
    assert list(Session.objects.filter(event=event).values_list("order", "name")) == [
        (1, "Qualifying LMP3"),
        (2, "Race"),
    ]


def test_a_double_headers_second_race_alone_keeps_the_first_races_laps(season, tmp_path):
    """The weekend import of Race 2's files after Race 1's: the laps of Race 1 stay, the crew's
    totals are both races', as when the round is imported in one go."""
    tf.write_round(tmp_path / "all", tf.DOUBLE_HEADER, tf.season_field())
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir()
    second.mkdir()
    for path in (tmp_path / "all").iterdir():
        (second if "Race 2" in path.name else first).joinpath(path.name).write_bytes(
            path.read_bytes()
        )
    args = (tf.SERIES, str(tf.YEAR), str(tf.DOUBLE_HEADER))
    run("import_event", *args, str(first))
    run("import_event", *args, str(second))
    event = event_of(tf.DOUBLE_HEADER)
    driver = Crew.objects.get(entry__event=event, entry__number="27", order=1)
    assert (driver.laps, driver.drive_time.total_seconds(), driver.drove) == (30, 3000, True)
    for number, name in tf.DID_NOT_DRIVE:
        absent = Crew.objects.get(entry__event=event, entry__number=number, order=4)
        assert (absent.drove, absent.laps) == (False, 0), name
    assert RaceLaps.objects.filter(crew=driver).count() == 2
    out, _ = run("import_event", *args, str(second), "--dry-run", "-v", "2")
    assert "23_Analysis_Race 2_Hour 2.CSV → laps and time at the wheel in Race 2" in out
    assert "#27 Nora Didnot, all races: 0 laps, 0:00:00" in out


def test_an_analysis_whose_name_names_no_race_of_a_double_header_stops_the_import(season, tmp_path):
    cars = tf.season_field()
    (tmp_path / "Race 1.csv").write_bytes(tf.race_file(cars))
    (tmp_path / "Race 2.csv").write_bytes(tf.race_file(cars))
    (tmp_path / "Analysis Race.csv").write_bytes(tf.lap_analysis_file(cars))
    err = io.StringIO()
    with pytest.raises(CommandError, match="Nothing imported"):
        call_command(
            "import_event",
            tf.SERIES,
            str(tf.YEAR),
            "1",
            str(tmp_path),
            stdout=io.StringIO(),
            stderr=err,
        )
    assert "Analysis Race.csv: its name names none of the races of the event (Race 1, Race 2)" in (
        err.getvalue()
    )
    assert not Session.objects.exists()
    assert not RaceLaps.objects.exists()
