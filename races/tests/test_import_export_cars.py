"""What the export writes and the import reads back to the same car, crew, team and values:
one test for each way a round trip used to change data (docs/decisions/0004, "The site's own
columns"). The whole demo data's round trips are in test_import_roundtrip.py."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from drivers.matching import parse_rule
from races.importers import admin_views, alkamel
from races.importers.classification import make_plan, run_import
from races.importers.export import export_session
from races.models import Entry, Registration, Result, Session, Team
from races.tests.import_samples import car, csv_bytes

pytestmark = pytest.mark.django_db


def plan_of(session, text=None, rules=()):
    text = export_session(session) if text is None else text
    return make_plan(session, alkamel.parse(text.encode()), rules=list(rules))


def changes(plan):
    """Errors, questions and changes of a plan, in words: empty when it changes nothing."""
    out = [str(error) for error in plan.errors]
    for rp in plan.rows:
        out += rp.entry_changes + rp.result_changes + rp.crew_removed
        out += ["new entry"] if rp.entry is None else []
        out += [f"new {m.kind} {m.written}" for m in [rp.team, *rp.drivers] if m and m.obj is None]
    out += [f"removed #{r.entry.number}" for r in plan.removed_results]
    return out


def test_an_unknown_status_is_read_back():
    content = csv_bytes(car(1, "7", status="Unknown"))
    assert alkamel.parse(content).rows[0].result_status == Result.Status.UNKNOWN


def test_a_chassis_written_with_a_dash_comes_back_whole(grid):
    race = grid(1)
    entry = Entry.objects.get(number="16")
    entry.chassis, entry.engine = "Oreca 07 - Gibson", "Gibson GK428 4.2L V8"
    entry.save()
    exported = export_session(race)
    assert ";Oreca 07 - Gibson - Gibson GK428 4.2L V8;" in exported  # VEHICLE, for people
    row = alkamel.parse(exported.encode()).rows[0]
    assert (row.chassis, row.engine) == ("Oreca 07 - Gibson", "Gibson GK428 4.2L V8")
    assert changes(plan_of(race)) == []


def test_a_timing_file_without_chassis_columns_still_splits_its_vehicle():
    row = alkamel.parse(csv_bytes(car(1, "7", vehicle="Zytek Z11SN - Nissan"))).rows[0]
    assert (row.chassis, row.engine) == ("Zytek Z11SN", "Nissan")


def test_classes_told_apart_only_by_a_plus_are_matched_as_written(
    make_series, make_season, make_class, make_event, make_round, make_session, make_car
):
    small, big = make_class("E3.0"), make_class("E+3.0")
    season = make_season(make_series("24 Hours of Le Mans"), 1962, classes=[big, small])
    event = make_event("24 Hours of Le Mans", last_day=dt.date(1962, 6, 24))
    make_round(season, event)
    race = make_session(event=event)
    for number, car_class, order in (("6", big, 1), ("19", small, 2)):
        entry = make_car(event, number, car_class, [f"Driver {number}"])
        Result.objects.create(
            session=race,
            entry=entry,
            finish_order=order,
            position=order,
            class_position=1,
            status="classified",
        )
    plan = plan_of(race)
    assert [rp.car_class.code for rp in plan.rows] == ["E+3.0", "E3.0"]
    assert changes(plan) == []
    # A code that folds to both (no case, spaces or punctuation) is not guessed: it is mapped.
    text = export_session(race).replace(";E3.0;", ";E 3.0;")
    assert "class E 3.0 (1 cars, first on line 3) is not run by" in str(plan_of(race, text).errors)


def test_an_entrant_named_other_than_its_team_keeps_the_team(grid, make_team):
    race = grid(3)
    kronos = make_team("Kronos Racing")
    tds = Entry.objects.get(number="36")
    tds.team, tds.entrant = kronos, "Kronos Racing / Marc VDS Racing Team"
    tds.save()
    pecom = Entry.objects.get(number="39")  # a team and no entrant as written
    pecom.entrant = ""
    pecom.save()
    assert changes(plan_of(race)) == []
    run_import(race, alkamel.parse(export_session(race).encode()))
    assert Team.objects.filter(name__startswith="Kronos").count() == 1
    assert Entry.objects.get(number="39").entrant == ""
    # A timing file naming another team still moves the car to it.
    text = export_session(race).replace("Kronos Racing / Marc VDS Racing Team", "Marc VDS")
    assert changes(plan_of(race, text)) == [
        "team Kronos Racing → Marc VDS",
        "entrant “Kronos Racing / Marc VDS Racing Team” → “Marc VDS”",
        "new team Marc VDS",
    ]


@pytest.fixture
def partial_race(estoril, classes, make_car, make_team):
    """A partial classification as the 2011 rounds have it: a winner, a car without number and
    finish order with only its class position, another one placed overall but not in order,
    a car whose outcome is unknown, and two cars of number 39 (one did not start)."""
    estoril.results_status = Session.ResultsStatus.PARTIAL
    estoril.save()
    event = estoril.event
    winner = make_car(event, "16", classes["LMP1"], ["Emmanuel Collard"], team=make_team("P"))
    Result.objects.create(
        session=estoril,
        entry=winner,
        finish_order=1,
        position=1,
        class_position=1,
        laps=225,
        time=dt.timedelta(hours=6, seconds=24.815),
        status="classified",
    )
    unnumbered = make_car(event, "", classes["GTEPro"], ["Rob Bell"], team=make_team("JMW"))
    Result.objects.create(session=estoril, entry=unnumbered, class_position=1, status="classified")
    placed = make_car(event, "", classes["LMP2"], [], entrant="Greaves Motorsport")
    Result.objects.create(
        session=estoril, entry=placed, position=4, class_position=2, status="classified"
    )
    unknown = make_car(event, "39", classes["LMP2"], ["Pierre Kaffer"])
    Result.objects.create(session=estoril, entry=unknown, status="unknown")
    make_car(event, "39", classes["LMP2"], ["Ann Bee"], status="did_not_start")
    return estoril


def test_a_partial_classification_comes_back_unchanged(partial_race):
    exported = export_session(partial_race)
    assert alkamel.parse(exported.encode()).errors == []
    plan = plan_of(partial_race)
    assert changes(plan) == []
    # Five cars: two without number, and the two numbered 39 (one did not start).
    assert {rp.entry.pk for rp in plan.rows} == set(
        Entry.objects.filter(event=partial_race.event).values_list("pk", flat=True)
    )
    _plan, outcome = run_import(partial_race, alkamel.parse(exported.encode()))
    assert outcome.counts["changed results"] == outcome.counts["new entries"] == 0


def test_a_car_without_finish_order_needs_a_partial_session(partial_race):
    partial_race.results_status = Session.ResultsStatus.FINAL
    partial_race.save()
    errors = [str(e) for e in plan_of(partial_race).errors]
    message = "no position: only a session whose results are partial may leave the finish order"
    assert errors
    assert all(message in e for e in errors)


def test_a_classified_position_for_a_car_not_classified_is_an_error(partial_race):
    text = export_session(partial_race)
    text = text.replace(";Unknown;", ";Retired;")
    lines = text.splitlines()
    head = lines[0].removeprefix("\ufeff").split(";")
    at = head.index("CLASSIFIED_POSITION")
    for n, line in enumerate(lines):
        cells = line.split(";")
        if "Retired" in cells:
            cells[at] = "7"
            lines[n] = ";".join(cells)
    errors = [str(e) for e in plan_of(partial_race, "\n".join(lines) + "\n").errors]
    assert any("only a classified car has a classified position" in e for e in errors)


def test_an_entry_id_names_the_car_only_with_its_own_number(partial_race):
    text = export_session(partial_race)
    pecom = Entry.objects.get(number="39", status="entered")
    changed = text.replace(";39;", ";40;", 1)
    errors = [str(e) for e in plan_of(partial_race, changed).errors]
    assert any(f"ENTRY_ID: entry {pecom.pk} is #39" in e and "not #40" in e for e in errors)


def test_a_file_without_entry_ids_still_needs_a_car_number(partial_race):
    content = csv_bytes(car(1, ""))
    assert "line 2, NUMBER: no car number" in [str(e) for e in alkamel.parse(content).errors]


def test_an_entry_id_of_another_event_leaves_the_number_to_name_the_car(partial_race):
    text = export_session(partial_race)
    other = max(Entry.objects.values_list("pk", flat=True)) + 100
    pecom = Entry.objects.get(number="39", status="entered")
    moved = text.replace(f";{pecom.pk};", f";{other};", 1)
    plan = plan_of(partial_race, moved)
    row = next(rp for rp in plan.rows if rp.row.number == "39")
    assert row.entry == pecom  # the entered #39, by its number
    # …but a car without number has nothing else to name it.
    unnumbered = Entry.objects.filter(number="").order_by("pk").first()
    lost = text.replace(f";{unnumbered.pk};", f";{other};", 1)
    errors = [str(e) for e in plan_of(partial_race, lost).errors]
    assert any(f"no car number, and entry {other} is not a car of" in e for e in errors)


def test_two_brothers_of_one_name_in_one_crew_stay_two_drivers(grid, make_driver, make_crew):
    race = grid(1)
    entry = Entry.objects.get(number="16")
    first, second = (
        make_driver("Mello-Breyner", slug="mb-1"),
        make_driver("Mello-Breyner", slug="mb-2"),
    )
    make_crew(entry, first, order=3)
    make_crew(entry, second, order=4)
    plan = plan_of(race)
    assert changes(plan) == []
    assert [m.obj for m in plan.rows[0].drivers][2:] == [first, second]


def test_the_cars_own_driver_wins_over_a_name_the_alias_file_splits_by_year(grid):
    race = grid(1)
    rules = [
        parse_rule(
            {
                "kind": "driver",
                "rule": "same",
                "name": "Emmanuel Collard",
                "years": "2030",
                "other": "Manu Collard",
                "reason": "A later namesake.",
                "source": "test",
            },
            2,
        ),
        parse_rule(
            {
                "kind": "driver",
                "rule": "apart",
                "name": "Emmanuel Collard",
                "years": "2011",
                "other": "",
                "reason": "The driver of 2011.",
                "source": "test",
            },
            3,
        ),
    ]
    assert changes(plan_of(race, rules=rules)) == []


def test_cars_registered_for_two_championships_come_back_unchanged(
    grid, classes, make_series, make_season, make_round
):
    race = grid(3)
    ilmc = make_season(
        make_series("Intercontinental Le Mans Cup"),
        2011,
        classes=[classes["LMP1"], classes["LMP2"]],
    )
    make_round(ilmc, race.event, number=7)
    for entry in Entry.objects.filter(number__in=["16", "36"]):
        Registration.objects.create(entry=entry, season=ilmc)
    registrations = sorted(Registration.objects.values_list("entry__number", "season__name"))
    assert changes(plan_of(race)) == []
    run_import(race, alkamel.parse(export_session(race).encode()))
    assert sorted(Registration.objects.values_list("entry__number", "season__name")) == (
        registrations
    )


def test_the_admin_takes_back_the_export_of_a_partial_session(
    admin_client, partial_race, tmp_path, monkeypatch
):
    """Downloaded from the session's page and uploaded again: a preview that changes nothing
    (the 2011 Estoril race's export was refused with 14 problems)."""
    monkeypatch.setattr(admin_views, "STAGING", tmp_path / "staging")
    url = f"/admin/races/session/{partial_race.pk}/"
    exported = admin_client.get(f"{url}export/").content
    response = admin_client.post(
        f"{url}import/",
        {"file": SimpleUploadedFile("estoril.csv", exported, content_type="text/csv")},
    )
    assert response.status_code == 302
    preview = admin_client.get(response["Location"])
    assert preview.status_code == 200
    counts = preview.context["counts"]
    assert counts["cars"] == 5
    assert {k: n for k, n in counts.items() if k not in ("cars", "results")} == {
        "new results": 0,
        "changed results": 0,
        "removed results": 0,
        "new entries": 0,
        "changed entries": 0,
        "new drivers": 0,
        "new teams": 0,
    }
    assert preview.context["plan"].errors == []
