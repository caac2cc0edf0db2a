"""Every layout the official timing files come in, as the project writes them
(races/tests/timing_files.py): each parses to the same rows and imports."""

import datetime as dt

import pytest

from races.importers import alkamel
from races.importers.classification import Decisions, run_import
from races.models import Result
from races.tests import timing_files as tf


def field():
    return [
        tf.Car("21", "Lakeside", "LMP2", [("Anna", "KIMBER-SMITH", "GER", "G")]),
        tf.Car("22", "Lakeside", "LMP2", [("Tom", "MCMURRY", "SUI", "B")], group="P/A"),
        tf.Car("50", "North", "LMGT3", [("Kai", "MAC", "NED", "Bronze")]),
    ]


def summary(parsed):
    return [
        (
            r.position,
            r.number,
            r.car_class,
            r.result_status,
            r.laps,
            r.best_lap,
            [(n.first, n.last, n.country, n.licence) for n in r.drivers],
        )
        for r in parsed.rows
    ]


@pytest.mark.parametrize(
    "options",
    [
        {},
        {"separator": ","},
        {"bom": False},
        {"trailing": False},
        {"newline": "\r\n"},
        {"spaced": True},
        {"separator": ",", "bom": False, "trailing": False, "spaced": True},
    ],
)
def test_each_race_layout_parses_to_the_same_rows(options):
    reference = alkamel.parse(tf.race_file(field()))
    parsed = alkamel.parse(tf.race_file(field(), **options))
    assert parsed.errors == []
    assert parsed.layout == "race"
    assert summary(parsed) == summary(reference)
    assert summary(parsed)[1][2] == "LMP2 Pro/Am"  # CLASS=LMP2, GROUP=P/A
    assert summary(parsed)[0][6] == [("Anna", "KIMBER-SMITH", "DE", "G")]  # IOC code GER
    assert summary(parsed)[2][6] == [("Kai", "MAC", "NL", "B")]  # "Bronze" → B


def test_the_class_with_its_sub_class_in_one_column_reads_the_same():
    one_column = alkamel.parse(tf.race_file(field(), group_column=False))
    assert summary(one_column) == summary(alkamel.parse(tf.race_file(field())))


def test_extra_columns_anywhere_are_ignored_and_a_fifth_driver_after_the_timing_is_read():
    header = "POSITION;NUMBER;SPONSOR;TEAM;DRIVER_1;CLASS;STATUS;LAPS;TOTAL_TIME;ECM;DRIVER_5;"
    row = "1;7;Acme;Team;Ann BEE;LMP2;Classified;100;4:00'00.000;x;Bob CEE;"
    parsed = alkamel.parse(f"{header}\n{row}\n".encode())
    assert parsed.errors == []
    assert [n.written for n in parsed.rows[0].drivers] == ["Ann BEE", "Bob CEE"]


def test_a_qualifying_classification_reads_the_best_lap_and_no_status():
    cars = field()
    parsed = alkamel.parse(tf.qualifying_file(cars, no_time={"50"}))
    assert parsed.errors == []
    assert parsed.layout == "qualifying"
    first, second, third = parsed.rows
    assert (first.position, first.best_lap, first.best_lap_number) == (
        1,
        dt.timedelta(seconds=95),
        4,
    )
    assert first.gap_first == alkamel.Gap()  # written "-"
    assert second.gap_first == alkamel.Gap(time=dt.timedelta(seconds=0.253))  # "+0.253"
    assert second.car_class == "LMP2 Pro/Am"
    assert (first.result_status, third.result_status) == ("classified", None)  # no time
    assert first.time is None


def test_the_qualifying_header_refused_before_is_taken():
    header = (
        "POS,NUMBER,LAP,TIME,GAP_FIRST,GAP_PREVIOUS,KPH,LAPS,TEAM,CLASS,GROUP,DIVISION,VEHICLE,"
        "TIRES,DRIVER_1"
    )
    parsed = alkamel.parse(
        f"{header}\n1,7,3,1'36.144,-,-,183.8,8,Team,LMP2,,,Oreca,M,Ann BEE\n".encode()
    )
    assert parsed.errors == []
    assert parsed.rows[0].best_lap == dt.timedelta(minutes=1, seconds=36.144)


def test_an_entry_list_parses_without_positions():
    parsed = alkamel.parse(tf.entry_list_file(field()))
    assert parsed.errors == []
    assert parsed.layout == "entries"
    assert [(r.number, r.position, r.result_status) for r in parsed.rows] == [
        ("21", None, None),
        ("22", None, None),
        ("50", None, None),
    ]


def test_a_licence_letter_that_is_not_a_category_is_an_error():
    cars = [tf.Car("7", "T", "LMP2", [("Ann", "BEE", "FRA", "X")])]
    assert [str(e) for e in alkamel.parse(tf.race_file(cars)).errors] == [
        "line 2, DRIVER1_LICENSE: “X” is not a driver category (Platinum, Gold, Silver, Bronze)"
    ]


@pytest.mark.django_db
def test_class_positions_are_derived_in_classification_order(imola_race):
    """No class-position column: derived over the classified cars in the published order; an
    unclassified car with more laps than classified ones does not take a class position."""
    header = "POSITION;NUMBER;TEAM;DRIVER_1;CLASS;STATUS;LAPS;TOTAL_TIME;GAP_FIRST;"
    rows = [
        "1;1;A;Ann AA;LMP2;Classified;100;4:00'00.000;;",
        "2;2;B;Bob BB;GTC;Classified;90;4:00'30.000;10 Laps;",
        "3;3;C;Cid CC;LMP2;Not classified;95;3:59'00.000;5 Laps;",
        "4;4;D;Dan DD;LMP2;Classified;89;4:01'00.000;11 Laps;",
    ]
    content = "\n".join([header, *rows]).encode()
    run_import(imola_race, alkamel.parse(content), Decisions())
    results = {r.entry.number: r for r in Result.objects.filter(session=imola_race)}
    assert [(n, results[n].position, results[n].class_position) for n in "1234"] == [
        ("1", 1, 1),
        ("2", 2, 1),
        ("3", None, None),
        ("4", 4, 2),
    ]
