"""Parsing of the Le Mans data (races/demo/lemans.py) and the load_demo command."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command

from races.demo import lemans
from races.demo.lemans import LoadError


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("24:02:37.056", dt.timedelta(hours=24, minutes=2, seconds=37, microseconds=56000)),
        ("0:7:56.424", dt.timedelta(minutes=7, seconds=56, microseconds=424000)),
        ("23:59:58.5", dt.timedelta(hours=23, minutes=59, seconds=58, microseconds=500000)),
        ("6:14:03", dt.timedelta(hours=6, minutes=14, seconds=3)),
        ("", None),
    ],
)
def test_times_in_every_format_of_the_data(text, expected):
    assert lemans.parse_time(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("S2.0 ", "S2.0"), ("3.0", "3.0"), ("1.1", "1.1"), ("LMP2(Pro-Am)", "LMP2(Pro-Am)")],
)
def test_class_codes_stay_strings_without_stray_spaces(text, expected):
    assert lemans.parse_class(text) == expected


@pytest.mark.parametrize(
    ("pos", "expected"),
    [
        ("1", ("entered", "classified", 1)),
        ("NC", ("entered", "not_classified", None)),
        ("DNF", ("entered", "retired", None)),
        ("DSQ", ("entered", "disqualified", None)),
        ("DNS", ("did_not_start", None, None)),
        ("DNQ", ("did_not_qualify", None, None)),
        ("DNA", ("did_not_arrive", None, None)),
        ("DNP", ("did_not_practise", None, None)),
        ("RES", ("reserve", None, None)),
    ],
)
def test_position_codes_map_to_entry_and_result_statuses(pos, expected):
    assert lemans.parse_outcome(pos) == expected


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("FRA", "FR"),
        ("LUD", "LU"),
        ("DDDE", "DD"),
        ("CSHH", "CS"),
        ("RHZW", "RH"),
        ("SCO", "XS"),
        ("RAF", "XR"),
        ("WFS", "XW"),
        ("", ""),
    ],
)
def test_country_codes_map_to_django_countries_codes(code, expected):
    assert lemans.country_code(code) == expected


def raw_row(**changes):
    row = dict.fromkeys(
        [
            "Year",
            "Pos",
            "Class",
            "No",
            "TeamCtry",
            "Team",
            "DrCtry",
            "Drivers",
            "Chassis",
            "Engine",
            "Tyres",
            "Laps",
            "Distance",
            "Time",
            "Reason",
        ],
        "",
    )
    row.update(Year="2011", Pos="1", Class="LMP1", No="2", Drivers="A|B", DrCtry="FRA|DEU")
    row.update(Laps="355", Distance="4838.300", Time="24:02:21.525")
    row.update(changes)
    return row


def test_an_unknown_country_code_fails_with_its_line():
    with pytest.raises(LoadError, match=r"results_in.csv line 42: unknown country code 'QAR'"):
        lemans.parse_row(42, raw_row(TeamCtry="QAR", Team="Team Qatar"))


def test_codes_that_do_not_pair_with_drivers_fail_with_their_line():
    with pytest.raises(LoadError, match=r"line 9: 2 drivers but 3 country codes"):
        lemans.parse_row(9, raw_row(DrCtry="DEU|GTM|CZE"))


def test_every_row_of_the_data_parses_and_every_code_resolves():
    data = lemans.read_data()
    assert len(data.rows) == 5539
    assert len(data.editions) == 104
    assert len(data.layouts) == 15


def test_an_erratum_that_no_longer_matches_fails_loudly():
    rows = [(2, raw_row(Pos="13", No="007", Year="2025"))]
    errata = [(5, "2025", "007", "Pos", "12", "14", "reason")]
    with pytest.raises(LoadError, match=r"line 5: 2025 #007 Pos='12' matches 0 rows"):
        lemans.apply_errata(rows, errata)


def test_an_erratum_to_an_empty_value_makes_the_laps_and_distance_unknown():
    raw = raw_row(Year="1931", Pos="DSQ", No="31", Laps="0", Distance="0.0")
    raw["Reason"] = "Last lap too slow"
    errata = [
        (2, "1931", "31", "Laps", "0", "", "reason"),
        (3, "1931", "31", "Distance", "0.0", "", "reason"),
    ]
    lemans.apply_errata([(2, raw)], errata)
    row = lemans.parse_row(2, raw)
    assert (row.laps, row.distance, row.result_status) == (None, None, "disqualified")


def test_the_errata_file_gives_a_reason_on_every_row():
    errata = lemans.read_errata()
    assert len(errata) == 24
    assert all(reason for *_, reason in errata)


def data_version():
    from races.models import DataVersion

    found = DataVersion.objects.filter(pk=1).first()
    return found.number if found else 0


@pytest.mark.django_db
def test_load_demo_subset_loads_le_mans_2010_to_2012_and_a_second_run_changes_nothing():
    from races.models import Entry, Season

    out = StringIO()
    before = data_version()
    call_command("load_demo", "--subset", stdout=out)
    assert data_version() == before + 1  # one load, one new version of the data
    years = set(
        Season.objects.filter(series__slug="24-hours-of-le-mans").values_list("year", flat=True)
    )
    assert years == {2010, 2011, 2012}
    assert "Names not decided" not in out.getvalue()  # every reported pair is settled
    entries = Entry.objects.count()
    again = StringIO()
    call_command("load_demo", "--subset", stdout=again)
    assert "already loaded, nothing to do" in again.getvalue()
    assert Entry.objects.count() == entries
    assert data_version() == before + 1


@pytest.mark.django_db
def test_a_subset_load_then_the_rest_gives_what_a_full_load_gives():
    """Nationalities and team countries come from the whole data set, and a later run fills
    in what an earlier partial one (or the 2011 data) left blank."""
    from drivers.models import Driver
    from races.models import Team

    call_command("load_demo", "--subset", stdout=StringIO())
    assert Driver.objects.get(slug="elton-julian").nationality.code == "US"  # as in a full load
    call_command("load_demo", stdout=StringIO())
    nationality = dict(
        Driver.objects.filter(slug__in=["elton-julian", "manuel-rodrigues"]).values_list(
            "slug", "nationality"
        )
    )
    assert nationality == {"elton-julian": "US", "manuel-rodrigues": "FR"}
    countries = dict(
        Team.objects.filter(slug__in=["tds-racing", "united-autosports"]).values_list(
            "slug", "country"
        )
    )
    assert countries == {"tds-racing": "FR", "united-autosports": "GB"}
    # An editor renames a driver the people file names: a later run, which loads nothing,
    # leaves the database alone and does not fail on it.
    Driver.objects.filter(slug="patrick-simon").update(full_name="Pat Simon")
    again = StringIO()
    call_command("load_demo", stdout=again)
    assert "Demo data ready" in again.getvalue()
