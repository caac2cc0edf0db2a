"""Importing a classification into a session: matching, creating, re-importing, exporting."""

import datetime as dt
from decimal import Decimal

import pytest

from drivers import matching
from drivers.models import Driver
from races.importers import alkamel
from races.importers.classification import (
    NEW,
    Decisions,
    ImportFailed,
    decision_key,
    make_plan,
    run_import,
)
from races.importers.export import export_session, format_time, written_name
from races.models import CarClass, Crew, Entry, Registration, Result, Session, Team
from races.results import TIMING_VALUES
from races.tests.import_samples import ELMS, HEADER, car, csv_bytes

pytestmark = pytest.mark.django_db


def gte_map(session_or_class=None):
    return Decisions(classes={"lmgte": str(CarClass.objects.get(code="GTE").pk)})


def do_import(session, content, decisions=None, **kwargs):
    return run_import(session, alkamel.parse(content), decisions or gte_map(), **kwargs)


def results_of(session):
    return {
        r.entry.number: r
        for r in Result.objects.filter(session=session).select_related("entry__car_class")
    }


def test_a_classification_creates_entries_teams_drivers_and_results(imola_race, elms_2014):
    _plan, outcome = do_import(imola_race, ELMS.read_bytes(), source="sample")
    assert outcome.counts == {
        "cars": 7,
        "results": 6,
        "new results": 6,
        "changed results": 0,
        "removed results": 0,
        "new entries": 7,
        "changed entries": 0,
        "new drivers": 15,
        "new teams": 6,
    }
    results = results_of(imola_race)
    assert [
        (n, r.finish_order, r.position, r.class_position, r.status)
        for n, r in sorted(results.items(), key=lambda item: item[1].finish_order)
    ] == [
        ("21", 1, 1, 1, "classified"),
        ("7", 2, 2, 2, "classified"),
        ("77", 3, 3, 1, "classified"),
        ("88", 4, 4, 1, "classified"),
        ("5", 5, None, None, "not_classified"),  # 98 % of the laps, not classified as published
        ("99", 6, None, None, "retired"),
    ]
    winner = results["21"]
    assert (winner.laps, winner.time, winner.best_lap, winner.best_lap_number) == (
        120,
        dt.timedelta(hours=4, seconds=10.5),
        dt.timedelta(minutes=1, seconds=35.1),
        55,
    )
    assert (results["7"].gap_time, results["7"].gap_laps) == (dt.timedelta(seconds=29.75), None)
    assert (results["77"].gap_laps, results["77"].entry.car_class.code) == (5, "GTE")
    assert winner.source == "sample"
    entry = winner.entry
    assert (entry.chassis, entry.engine, entry.tyres, entry.entrant) == (
        "Oreca 07",
        "Gibson",
        "Michelin",
        "Lakeside Racing",
    )
    assert list(entry.crew.values_list("driver__full_name", "order")) == [
        ("Anna Kimber-Smith", 1),
        ("Tom McMurry", 2),
    ]
    assert Registration.objects.filter(entry=entry, season=elms_2014).exists()
    assert Entry.objects.get(number="3").status == Entry.Status.DID_NOT_START
    assert not Result.objects.filter(entry__number="3").exists()
    imola_race.refresh_from_db()
    assert imola_race.results_status == Session.ResultsStatus.FINAL


def test_one_team_with_two_cars_is_one_team(imola_race):
    do_import(imola_race, ELMS.read_bytes())
    lakeside = Team.objects.get(name="Lakeside Racing")
    assert set(lakeside.entries.values_list("number", flat=True)) == {"21", "5"}


def test_a_junior_and_his_father_in_one_car_are_two_drivers(imola_race):
    do_import(imola_race, ELMS.read_bytes())
    crew = Crew.objects.filter(entry__number="77").order_by("order")
    assert [(c.driver.full_name, c.driver.slug) for c in crew[:2]] == [
        ("Alexander Talkanitsa Jr", "alexander-talkanitsa-jr"),
        ("Alexander Talkanitsa", "alexander-talkanitsa"),
    ]
    junior = Driver.objects.get(slug="alexander-talkanitsa-jr")
    assert (junior.first_name, junior.last_name) == ("Alexander", "Talkanitsa Jr")


def test_existing_drivers_and_teams_are_matched_by_folded_name(imola_race, make_driver, make_team):
    kaffer = make_driver("Piet van der Berg")
    team = make_team("Rivière Motorsport")
    content = ELMS.read_bytes().replace(b"Rivi\xc3\xa8re", b"Riviere")
    do_import(imola_race, content)
    assert Crew.objects.get(entry__number="5", order=1).driver == kaffer
    assert Entry.objects.get(number="7").team == team
    assert Entry.objects.get(number="7").entrant == "Riviere Motorsport"  # as written


def test_an_unknown_class_blocks_until_it_is_mapped(imola_race):
    plan = make_plan(imola_race, alkamel.parse(ELMS.read_bytes()))
    assert plan.blocking
    assert list(plan.unknown_classes) == ["LMGTE"]
    assert str(plan.errors[0]).startswith(
        "CLASS: class LMGTE (2 cars, first on line 4) is not run by 2014 European Le Mans Series"
    )
    with pytest.raises(ImportFailed):
        run_import(imola_race, alkamel.parse(ELMS.read_bytes()))
    assert not Entry.objects.exists()
    assert not Driver.objects.exists()


def test_a_class_may_only_be_mapped_to_a_class_of_the_season(imola_race, make_class):
    other = make_class("Hypercar")
    decisions = Decisions(classes={"lmgte": str(other.pk)})
    plan = make_plan(imola_race, alkamel.parse(ELMS.read_bytes()), decisions)
    assert "mapped to a class the season does not run" in str(plan.errors[0])


def test_two_drivers_of_one_name_are_for_the_editor_to_decide(imola_race, make_driver):
    first = make_driver("Tom McMurry", slug="tom-mcmurry")
    second = make_driver("Tom McMurry", slug="tom-mcmurry-1990")
    parsed = alkamel.parse(ELMS.read_bytes())
    plan = make_plan(imola_race, parsed, gte_map())
    key = decision_key("driver", "Tom MCMURRY", "21")
    assert plan.people[key].candidates == [first, second]
    assert any("Tom MCMURRY: 2 drivers could be meant" in str(e) for e in plan.errors)
    with pytest.raises(ImportFailed):
        run_import(imola_race, parsed, gte_map())
    assert not Result.objects.exists()

    decisions = gte_map()
    decisions.people[key] = str(second.pk)
    run_import(imola_race, parsed, decisions)
    assert Crew.objects.get(entry__number="21", order=2).driver == second


def test_a_name_that_differs_only_in_punctuation_is_a_question_not_a_match(imola_race, make_driver):
    hyphenless = make_driver("Anna Kimber Smith")
    parsed = alkamel.parse(ELMS.read_bytes())
    key = decision_key("driver", "Anna KIMBER-SMITH", "21")
    assert make_plan(imola_race, parsed, gte_map()).people[key].candidates == [hyphenless]
    decisions = gte_map()
    decisions.people[key] = NEW
    decisions.names[key] = "Anna Kimber-Smith"
    run_import(imola_race, parsed, decisions)
    assert Crew.objects.get(entry__number="21", order=1).driver != hyphenless
    assert Driver.objects.filter(full_name="Anna Kimber-Smith").count() == 1


def test_the_alias_file_joins_a_spelling_to_its_driver(imola_race, make_driver):
    from drivers.matching import parse_rule

    tom = make_driver("Thomas McMurry")
    rule = parse_rule(
        {
            "kind": "driver",
            "rule": "same",
            "name": "Tom McMurry",
            "years": "",
            "other": "Thomas McMurry",
            "reason": "test",
        },
        2,
    )
    do_import(imola_race, ELMS.read_bytes(), rules=[rule])
    assert Crew.objects.get(entry__number="21", order=2).driver == tom


def test_the_editor_edits_the_display_name_of_a_new_driver(imola_race):
    decisions = gte_map()
    decisions.names[decision_key("driver", "Jean DE LEENER", "7")] = "Jean de Leener"
    do_import(imola_race, ELMS.read_bytes(), decisions)
    driver = Driver.objects.get(slug="jean-de-leener")
    assert (driver.full_name, driver.first_name, driver.last_name) == (
        "Jean de Leener",
        "Jean",
        "de Leener",
    )


def test_reimporting_a_corrected_file_replaces_results_and_keeps_what_the_file_lacks(imola_race):
    do_import(imola_race, ELMS.read_bytes())
    retired = Result.objects.get(entry__number="99")
    retired.reason = "Gearbox"
    retired.notes = "Stopped at Rivazza."
    retired.save()
    Crew.objects.filter(entry__number="99").update(nationality="PT")
    corrected = ELMS.read_bytes().replace(b"Retired;40;", b"Retired;41;")
    _plan, outcome = do_import(imola_race, corrected)
    assert outcome.counts["changed results"] == 1
    assert outcome.counts["new results"] == 0
    retired = Result.objects.get(entry__number="99")
    assert (retired.laps, retired.reason, retired.notes) == (41, "Gearbox", "Stopped at Rivazza.")
    assert set(Crew.objects.filter(entry__number="99").values_list("nationality", flat=True)) == {
        "PT"
    }
    assert list(retired.history.values_list("laps", flat=True)) == [41, 40, 40]


def test_reimporting_the_same_file_changes_nothing(imola_race):
    do_import(imola_race, ELMS.read_bytes())
    history = Result.history.count()
    _plan, outcome = do_import(imola_race, ELMS.read_bytes())
    assert outcome.counts["changed results"] == outcome.counts["new results"] == 0
    assert outcome.counts["changed entries"] == outcome.counts["new drivers"] == 0
    assert Result.history.count() == history


def test_a_car_no_longer_in_the_file_loses_its_result_and_is_reported_not_deleted(imola_race):
    """…and the race crew is the race file's: a driver it no longer names leaves it."""
    do_import(imola_race, ELMS.read_bytes())
    lines = ELMS.read_bytes().decode("utf-8-sig").splitlines()
    without_88 = [line for line in lines if ";88;" not in line]
    swapped = [
        line.replace("Hugo FERNANDES;Ines COSTA", "Hugo FERNANDES;Rui SILVA") for line in without_88
    ]
    plan, outcome = do_import(imola_race, ("\n".join(swapped) + "\n").encode())
    assert outcome.counts["removed results"] == 1
    assert Entry.objects.filter(number="88").exists()
    assert not Result.objects.filter(entry__number="88").exists()
    deleted = Result.history.filter(entry__number="88", history_type="-")
    assert deleted.count() == 1
    assert "entry #88 (Entered) is not named by the file: kept" in plan.lines()
    assert "  #99: Ines Costa leaves the race crew, named by another session only" in plan.lines()
    crew = Crew.objects.filter(entry__number="99").order_by("order")
    assert [c.driver.full_name for c in crew] == ["Hugo Fernandes", "Rui Silva"]
    assert Crew.history.filter(driver__full_name="Ines Costa", history_type="-").count() == 1
    assert Result.objects.get(entry__number="5").finish_order == 5  # as the file numbers it


def test_a_car_that_starts_after_all_becomes_entered(imola_race):
    do_import(imola_race, ELMS.read_bytes())
    started = (
        ELMS.read_bytes()
        .replace(b";3;Morand Team", b"7;3;Morand Team")
        .replace(b"Not started;;;", b"Retired;1;0:03'00.000;")
    )
    do_import(imola_race, started)
    entry = Entry.objects.get(number="3")
    assert entry.status == Entry.Status.ENTERED
    assert entry.results.get().status == "retired"


def test_not_started_in_a_non_race_session_leaves_the_entry_alone(imola_race):
    qualifying = Session.objects.get(event=imola_race.event, kind="qualifying")
    plan, _ = do_import(qualifying, ELMS.read_bytes())
    assert Entry.objects.get(number="3").status == Entry.Status.ENTERED
    assert any("did not start this session" in str(w) for w in plan.warnings)


def test_a_failure_while_writing_writes_nothing(imola_race, monkeypatch):
    from races.importers import classification

    def broken(*args):
        raise RuntimeError("disk full")

    monkeypatch.setattr(classification, "write_results", broken)
    with pytest.raises(RuntimeError):
        do_import(imola_race, ELMS.read_bytes())
    assert not Entry.objects.exists()
    assert not Driver.objects.exists()
    assert not Team.objects.exists()


def test_a_plan_confirmed_after_the_data_changed_is_refused(imola_race, make_driver):
    parsed = alkamel.parse(ELMS.read_bytes())
    fingerprint = make_plan(imola_race, parsed, gte_map()).fingerprint()
    make_driver("Luc Étienne")
    with pytest.raises(ImportFailed, match="changed since the preview"):
        run_import(imola_race, parsed, gte_map(), expect=fingerprint)
    assert not Entry.objects.exists()


def test_two_entries_with_the_number_need_settling_first(imola_race, make_entry):
    make_entry(event=imola_race.event, number="21", status="reserve")
    make_entry(event=imola_race.event, number="21", status="withdrawn")
    plan = make_plan(imola_race, alkamel.parse(ELMS.read_bytes()), gte_map())
    assert any("the event has 2 entries numbered 21" in str(e) for e in plan.errors)


def test_a_crew_naming_one_driver_twice_is_refused(imola_race):
    content = csv_bytes(car(1, "7", drivers="Ann BEE|Ann BEE"))
    plan = make_plan(imola_race, alkamel.parse(content))
    assert any("Ann BEE is named twice in one car" in str(e) for e in plan.errors)


def test_a_sub_class_car_ranks_in_its_class_and_its_parent_class(imola_race, elms_2014, make_class):
    from races.models import SeasonClass

    pro_am = make_class("LMP2-AM", parent=CarClass.objects.get(code="LMP2"))
    SeasonClass.objects.create(season=elms_2014, car_class=pro_am, order=9)
    content = csv_bytes(car(1, "7"), car(2, "8", cls="LMP2-AM"), car(3, "9"))
    do_import(imola_race, content)
    result = Result.objects.get(entry__number="8")
    assert (result.class_position, result.parent_class_position) == (1, 2)
    # A parent class ranks its sub-classes' cars too (races.results.class_positions).
    assert Result.objects.get(entry__number="9").class_position == 3


# --- export -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (dt.timedelta(hours=4, seconds=4.69), "4:00'04.690"),
        (dt.timedelta(minutes=1, seconds=36.144), "1'36.144"),
        (dt.timedelta(seconds=0.419), "0.419"),
        (None, ""),
    ],
)
def test_times_are_written_as_the_timing_sheets_write_them(value, text):
    assert format_time(value) == text


def test_a_name_is_written_with_the_surname_in_capitals():
    assert written_name(Driver(full_name="Paul van Splunteren")) == "Paul van SPLUNTEREN"
    assert (
        written_name(Driver(full_name="Jean de Leener", first_name="Jean", last_name="de Leener"))
        == "Jean DE LEENER"
    )


def snapshot(session):
    """Every value the file carries, as stored."""
    rows = []
    for r in Result.objects.filter(session=session).select_related("entry__car_class"):
        crew = [c.driver_id for c in r.entry.crew.order_by("order")]
        rows.append(
            (
                r.entry.number,
                r.entry.car_class.code,
                r.entry.team_id,
                r.entry.chassis,
                r.entry.engine,
                r.entry.tyres,
                r.finish_order,
                r.position,
                r.class_position,
                r.laps,
                r.time,
                r.gap_laps,
                r.gap_time,
                r.best_lap,
                r.best_lap_number,
                r.status,
                tuple(crew),
            )
        )
    not_started = list(
        Entry.objects.filter(event=session.event, status="did_not_start").values_list("number")
    )
    return sorted(rows), not_started


def test_an_exported_classification_imports_back_to_equal_values(imola_race):
    do_import(imola_race, ELMS.read_bytes())
    before = snapshot(imola_race)
    exported = export_session(imola_race)
    assert exported.startswith("\ufeffPOSITION;NUMBER;TEAM;DRIVER_1;")
    assert all(line.endswith(";") for line in exported.splitlines())
    assert ";3;Morand Team;Zoe ADLER;Yann BRUN;;;Morgan - Judd;D;LMP2;Not started;" in exported
    parsed = alkamel.parse(exported.encode())
    assert parsed.errors == []
    original = alkamel.parse(ELMS.read_bytes())
    for mine, theirs in zip(parsed.rows, original.rows, strict=True):
        for name in ("position", "number", "laps", "time", "gap_first", "gap_previous"):
            assert getattr(mine, name) == getattr(theirs, name), (mine.line, name)
        for name in ("best_lap", "best_lap_number", "result_status", "entry_status", "tyres"):
            assert getattr(mine, name) == getattr(theirs, name), (mine.line, name)

    # Into the same session: nothing changes.
    _plan, outcome = run_import(imola_race, parsed, Decisions())
    assert outcome.counts["changed results"] == outcome.counts["changed entries"] == 0
    assert snapshot(imola_race) == before

    # Into the event without its entries: the same values, drivers and teams.
    Result.objects.all().delete()
    Entry.objects.all().delete()
    _plan, outcome = run_import(imola_race, parsed, Decisions())
    assert outcome.counts["new drivers"] == outcome.counts["new teams"] == 0
    assert snapshot(imola_race) == before


def test_a_near_spelling_of_the_same_surname_is_a_question(imola_race, make_driver):
    matt = make_driver("Tom McMurry-Jones")
    plan = make_plan(imola_race, alkamel.parse(ELMS.read_bytes()), gte_map())
    assert plan.people[decision_key("driver", "Tom MCMURRY", "21")].candidates == []
    matt.full_name = "Thom McMurry"
    matt.save()
    plan = make_plan(imola_race, alkamel.parse(ELMS.read_bytes()), gte_map())
    assert plan.people[decision_key("driver", "Tom MCMURRY", "21")].candidates == [matt]


def test_an_apart_rule_settles_a_near_spelling(imola_race, make_driver):
    from drivers.matching import parse_rule

    make_driver("Thom McMurry")
    row = {"kind": "driver", "rule": "apart", "name": "Tom McMurry", "years": ""}
    rule = parse_rule({**row, "other": "Thom McMurry", "reason": "Cousins."}, 2)
    plan = make_plan(imola_race, alkamel.parse(ELMS.read_bytes()), gte_map(), rules=[rule])
    assert plan.people[decision_key("driver", "Tom MCMURRY", "21")].is_new


def test_two_names_of_one_car_chosen_as_the_same_driver_are_a_plan_error(imola_race, make_driver):
    tom = make_driver("Tom Kimber-Smith")
    content = csv_bytes(car(1, "21", drivers="Tom KIMBER-SMITH|Tom KIMBER SMITH"))
    decisions = Decisions(people={decision_key("driver", "Tom KIMBER SMITH", "21"): str(tom.pk)})
    plan = make_plan(imola_race, alkamel.parse(content), decisions)
    assert [str(error) for error in plan.errors] == [
        f"line 2: #21: Tom KIMBER-SMITH and Tom KIMBER SMITH are the same driver, "
        f"Tom Kimber-Smith [{tom.pk}]: choose another for one of them"
    ]
    with pytest.raises(ImportFailed):
        do_import(imola_race, content, decisions)
    assert not Crew.objects.exists()


def test_teams_bucketed_by_bare_name_still_pair_spellings_that_differ_in_a_bracketed_note():
    # Spellings that differ only in punctuation are one team (drivers.matching.team_key); a
    # bracketed note is left to the alias file.
    teams = [(f"Team {n} Racing", 2014) for n in range(100)]
    teams += [("Lakeside Racing", 2013), ("Lakeside Racing (private entrant)", 2014)]
    teams += [("Lakeside-Racing", 2014)]
    who = matching.resolve(teams, [], kind="team")
    assert [message for message in who.undecided if "Lakeside" in message] == [
        "Lakeside-Racing (2013–2014) / Lakeside Racing (private entrant) (2014): "
        "similar names, kept apart"
    ]
    assert len(who.undecided) == 1


def test_a_qualifying_import_keeps_the_did_not_start_of_the_race(imola_race, make_entry):
    qualifying = Session.objects.get(event=imola_race.event, kind="qualifying")
    gte = CarClass.objects.get(code="GTE")
    entry = make_entry(imola_race.event, "77", car_class=gte, status=Entry.Status.DID_NOT_START)
    plan, _outcome = do_import(qualifying, csv_bytes(car(1, "77", cls="GTE")))
    assert not [change for change in plan.rows[0].entry_changes if change.startswith("status")]
    entry.refresh_from_db()
    assert entry.status == Entry.Status.DID_NOT_START
    assert Result.objects.get(session=qualifying).entry == entry


def test_a_missing_column_or_an_empty_value_keeps_what_the_entry_holds(imola_race, make_entry):
    team = Team.objects.create(name="Lakeside Racing", slug="lakeside-racing")
    entry = make_entry(
        imola_race.event,
        "21",
        team=team,
        entrant="Lakeside Racing",
        chassis="Oreca 03",
        engine="Nissan",
        tyres="Dunlop",
    )
    kept = ("team_id", "entrant", "chassis", "engine", "tyres")
    before = [getattr(entry, name) for name in kept]
    plan, _outcome = do_import(imola_race, csv_bytes(car(1, "21", team="", vehicle="", tyres="")))
    assert plan.rows[0].entry_changes == []
    entry.refresh_from_db()
    assert [getattr(entry, name) for name in kept] == before

    without_vehicle = HEADER.replace("VEHICLE;", "")
    values = car(1, "21", team="Lakeside Racing", tyres="D").split(";")
    del values[7]
    do_import(imola_race, csv_bytes(";".join(values), header=without_vehicle))
    entry.refresh_from_db()
    assert [getattr(entry, name) for name in kept] == before


def test_a_sourced_distance_is_kept_when_the_laps_are_unchanged(imola_race, make_layout):
    layout = make_layout(imola_race.event.circuit, length_km=Decimal("4.909"))
    imola_race.event.layout = layout
    imola_race.event.save()
    content = csv_bytes(car(1, "21", laps=100))
    do_import(imola_race, content)
    result = Result.objects.get(session=imola_race)
    assert result.distance_km == Decimal("490.900")
    result.distance_km = Decimal("491.250")  # from the official report
    result.save()
    plan, _outcome = do_import(imola_race, content)
    assert plan.rows[0].result_changes == []
    result.refresh_from_db()
    assert result.distance_km == Decimal("491.250")
    do_import(imola_race, csv_bytes(car(1, "21", laps=99)))
    result.refresh_from_db()
    assert result.distance_km == Decimal("485.991")


def test_a_reimport_compares_and_writes_every_timing_value_and_keeps_the_reason(imola_race):
    do_import(imola_race, csv_bytes(car(1, "21", laps=100)))
    result = Result.objects.get(session=imola_race)
    result.best_lap_number, result.reason = 3, "Penalised one lap."
    result.save()
    plan, _outcome = do_import(imola_race, csv_bytes(car(1, "21", laps=100)))
    assert tuple(plan.rows[0].values) == TIMING_VALUES
    assert [change.split()[0] for change in plan.rows[0].result_changes] == ["best_lap_number"]
    result.refresh_from_db()
    assert result.best_lap_number != 3
    assert result.reason == "Penalised one lap."


FORMULAS = {
    "team": "=cmd|' /C calc'!A0",
    "entrant": "@SUM(1+1)*cmd|' /C calc'!A0",
    "chassis": "-2+3+cmd|' /C calc'!A0",
    "engine": '+HYPERLINK("http://example.com","click")',
}


def test_an_export_neutralises_formulas_and_imports_them_back_exactly(imola_race, make_car):
    from races.models import CarClass, Team

    team = Team.objects.create(name=FORMULAS["team"], slug="formula")
    lmp2 = CarClass.objects.get(code="LMP2")
    entry = make_car(
        imola_race.event,
        "=7",
        lmp2,
        drivers=["'=Quoted Already", "Plain Name"],
        team=team,
        entrant=FORMULAS["entrant"],
        chassis=FORMULAS["chassis"],
        engine=FORMULAS["engine"],
        tyres="-3.5",
    )
    Result.objects.create(
        session=imola_race, entry=entry, finish_order=1, position=1, laps=3, status="classified"
    )
    exported = export_session(imola_race)
    cells = [cell for line in exported.splitlines() for cell in line.split(";")]
    assert not [c for c in cells if c[:1] in ("=", "+", "@", "\t", "\r")]
    assert not [c for c in cells if c.startswith("-") and c != "-3.5"]
    assert "'=7" in cells
    assert "-3.5" in cells  # a plain number is left as it is
    parsed = alkamel.parse(exported.encode())
    assert parsed.errors == []
    (row,) = parsed.rows
    assert row.number == "=7"
    assert row.team == FORMULAS["entrant"]
    assert (row.chassis, row.engine) == (FORMULAS["chassis"], FORMULAS["engine"])
    assert [name.written for name in row.drivers] == ["'=Quoted ALREADY", "Plain NAME"]
    assert row.tyres == "-3.5"


def test_the_choice_between_names_is_counted_in_words_and_in_german():
    from django.utils import translation

    from races.importers.classification import ambiguity_message

    assert ambiguity_message("Pecom Racing.", "team", ["Pecom Racing [4]"]) == (
        "Pecom Racing.: 1 team could be meant (Pecom Racing [4]): choose it or a new team"
    )
    assert ambiguity_message("Tom MCMURRY", "driver", ["A [1]", "B [2]"]) == (
        "Tom MCMURRY: 2 drivers could be meant (A [1], B [2]): choose one or a new driver"
    )
    with translation.override("de"):
        german = ambiguity_message("Tom MCMURRY", "driver", ["A [1]", "B [2]"])
    assert german.startswith("Tom MCMURRY: 2 Fahrer kommen in Frage")
