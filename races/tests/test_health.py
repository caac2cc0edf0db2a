"""The data-health rules (races/health.py): each finds what it should and nothing else, under a
key built from slugs, in a fixed number of queries; and `manage.py check_data`."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from drivers.matching import Rule
from races import health
from races.models import Entry, FindingExplanation

pytestmark = pytest.mark.django_db

LE_MANS = "24 Hours of Le Mans"


def rule(kind, which, name, other="", years=None):
    return Rule(kind, which, name, years, other, "a reason", 2, "a source")


@pytest.fixture
def make_race(make_event, make_circuit, make_session):
    """An event of `year` (one circuit for all) with its race session."""
    circuits = []

    def make(year=1994, name=LE_MANS, **session):
        if not circuits:
            circuits.append(make_circuit(name="Circuit de la Sarthe", time_zone="Europe/Paris"))
        event = make_event(
            name=name, slug=f"le-mans-{year}", last_day=dt.date(year, 6, 19), circuit=circuits[0]
        )
        session.setdefault("time_limit", dt.timedelta(hours=24))
        return make_session(event=event, **session)

    return make


@pytest.fixture
def make_start(make_entry, make_crew):
    """A crew place of `driver` in a car `number` of the race `race` (a session)."""

    def make(race, driver, number="1", order=1, **kwargs):
        entry = Entry.objects.filter(event=race.event, number=number).first() or make_entry(
            event=race.event, number=number, **kwargs
        )
        return make_crew(entry, driver=driver, order=order)

    return make


def keys(findings):
    return [f.key for f in findings]


def count_queries(function, *args):
    with CaptureQueriesContext(connection) as queries:
        function(*args)
    return len(queries)


# --- near-duplicate drivers -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Luís Pérez Companc", "Luis Perez Companc"),  # folded
        ("Alexander Kimber", "Alex Kimber"),  # a short form of the reviewed table
        ("John Paul Jr.", "John Paul Jr"),  # "Jr" with or without its dot
        ("Tomaz Mello-Breyner", "Tomaz Mello Breyner"),  # hyphen or space
        ("Matteo Cairoli", "Matteo Carioli"),  # two letters swapped
        ("Romain Iannetta", "Romain Ianetta"),  # a doubled letter
    ],
)
def test_near_duplicate_drivers_of_one_nationality_are_found(make_driver, one, other):
    a = make_driver(one, nationality="FR")
    b = make_driver(other, slug="the-other", nationality="FR")
    (finding,) = health.near_duplicate_drivers(rules=[])
    assert finding.rule == "near-duplicate-driver"
    assert finding.key == "|".join(sorted([a.slug, b.slug]))
    assert {r.pk for r in finding.records} == {a.pk, b.pk}
    assert finding.records[0].admin_url == f"/admin/drivers/driver/{finding.records[0].pk}/change/"


@pytest.mark.parametrize(
    ("one", "other"),
    [("Matteo Cairoli", "Mattia Cairoli"), ("Anthony Wells", "Andrew Wells"), ("Jo Bonnier", "Jo")],
)
def test_different_names_are_not_near_duplicates(make_driver, one, other):
    make_driver(one, nationality="FR")
    make_driver(other, nationality="FR")
    assert health.near_duplicate_drivers(rules=[]) == []


def test_near_names_of_two_nationalities_count_only_when_their_years_overlap(
    make_driver, make_race, make_start
):
    a = make_driver("Matteo Cairoli", nationality="IT")
    b = make_driver("Matteo Carioli", nationality="CH")
    assert health.near_duplicate_drivers(rules=[]) == []
    make_start(make_race(1994), a)
    make_start(make_race(1995), b, number="2")
    assert health.near_duplicate_drivers(rules=[]) == []
    make_start(make_race(1996), a, number="3")
    make_start(Entry.objects.get(number="3").event.sessions.get(), b, number="4")
    (finding,) = health.near_duplicate_drivers(rules=[])
    assert "(1994–1996)" in finding.message
    assert "(1995–1996)" in finding.message


def test_an_apart_rule_of_the_alias_file_settles_a_near_pair(make_driver):
    make_driver("John Paul Jr.", nationality="US")
    make_driver("John Paul Sr.", nationality="US")
    assert len(health.near_duplicate_drivers(rules=[])) == 1
    settled = [rule("driver", "apart", "John Paul Jr.", "John Paul Sr.")]
    assert health.near_duplicate_drivers(rules=settled) == []


def test_a_name_split_by_years_in_the_alias_file_is_settled(make_driver):
    make_driver("Uli Richter", nationality="DE")
    make_driver("Uli Richter", slug="uli-richter-1937", nationality="DE")
    assert len(health.near_duplicate_drivers(rules=[])) == 1
    split = [rule("driver", "apart", "Uli Richter", years=(1937, 1937))]
    assert health.near_duplicate_drivers(rules=split) == []


def test_a_near_duplicate_links_to_the_merge_page_of_its_two_drivers(make_driver):
    make_driver("Matteo Cairoli", nationality="IT")
    make_driver("Matteo Carioli", nationality="IT")
    (finding,) = health.near_duplicate_drivers(rules=[])
    first, second = finding.records
    assert finding.merge_url == f"/admin/drivers/driver/{first.pk}/merge/?other={second.pk}"


def test_near_duplicate_drivers_take_two_queries_for_any_number_of_drivers(make_driver):
    make_driver("Matteo Cairoli", nationality="IT")
    make_driver("Matteo Carioli", nationality="IT")
    two = count_queries(health.near_duplicate_drivers, None, None, [])
    for n in range(10):
        make_driver(f"Driver Number{n}", nationality="IT")
        make_driver(f"Driver Nubmer{n}", nationality="IT")
    assert count_queries(health.near_duplicate_drivers, None, None, []) == two == 2


# --- near-duplicate teams ---------------------------------------------------------------------


def test_near_duplicate_teams_of_one_country_are_found(make_team):
    a = make_team("Scuderia SSS Repubblica di Venezia", country="IT")
    b = make_team("Scuderia SSS Republica di Venezia", country="IT")
    make_team("G.V.E.A.", country="FR")
    make_team("Scuderia Venezia", country="IT")
    (finding,) = health.near_duplicate_teams()
    assert finding.key == "|".join(sorted([a.slug, b.slug]))
    assert count_queries(health.near_duplicate_teams) == 2


def test_team_names_differing_in_a_plural_s_are_found_until_the_alias_file_parts_them(make_team):
    a = make_team("Nissan Motorsport", country="JP")
    b = make_team("Nissan Motorsports", country="JP")
    make_team("Toyota Motorsports", country="DE")
    (finding,) = health.near_duplicate_teams(rules=[])
    assert finding.key == "|".join(sorted([a.slug, b.slug]))
    parted = [rule("team", "apart", "Nissan Motorsports", "Nissan Motorsport")]
    assert health.near_duplicate_teams(rules=parted) == []
    assert count_queries(health.near_duplicate_teams, None, None, []) == 2


def test_near_team_names_of_two_countries_without_common_years_are_not_found(make_team):
    make_team("Racing Team Alpha", country="IT")
    make_team("Racing Team Aplha", country="GB")
    assert health.near_duplicate_teams() == []


# --- lives and careers ------------------------------------------------------------------------


def test_a_start_after_the_death_day_is_found_and_one_on_it_is_not(
    make_driver, make_race, make_start
):
    levegh = make_driver("Pierre Levegh", death_date=dt.date(1955, 6, 11))
    race = make_race(1955, start=dt.datetime(1955, 6, 11, 14, tzinfo=dt.UTC))
    make_start(race, levegh, number="20")
    assert health.starts_after_death() == []
    make_start(make_race(1956), levegh, number="20")
    (finding,) = health.starts_after_death()
    assert finding.key == "1956-le-mans-1956#20|pierre-levegh"
    assert "died in 1955-06-11" in finding.message
    assert count_queries(health.starts_after_death) == 1


def test_a_start_after_the_year_of_death_is_found(make_driver, make_race, make_start):
    driver = make_driver("Jean Someone", death_year=1960)
    make_start(make_race(1960), driver)
    assert health.starts_after_death() == []
    make_start(make_race(1961), driver)
    assert keys(health.starts_after_death()) == ["1961-le-mans-1961#1|jean-someone"]


def test_a_car_that_did_not_start_is_no_start(make_driver, make_race, make_start):
    driver = make_driver("Jean Someone", death_year=1960)
    make_start(make_race(1961), driver, status=Entry.Status.DID_NOT_START)
    assert health.starts_after_death() == []


def test_a_start_before_the_sixteenth_birthday_is_found(make_driver, make_race, make_start):
    young = make_driver("Young Driver", birth_date=dt.date(1978, 6, 20))
    make_start(make_race(1994), young)  # 18 June 1994: two days short of 16
    (finding,) = health.starts_before_16()
    assert finding.key == "1994-le-mans-1994#1|young-driver"
    make_start(make_race(1995), young, number="2")  # 16 by then
    assert len(health.starts_before_16()) == 1
    assert health.starts_after_death() == []


def test_a_start_before_16_by_year_of_birth_is_found(make_driver, make_race, make_start):
    make_start(make_race(1994), make_driver("Young Driver", birth_year=1979))
    make_start(make_race(1994, name="Other race"), make_driver("Old Driver", birth_year=1978))
    assert keys(health.starts_before_16()) == ["1994-le-mans-1994#1|young-driver"]


def test_a_career_gap_of_15_years_is_found_and_14_is_not(make_driver, make_race, make_start):
    driver = make_driver("Mario Andretti")
    make_start(make_race(1967), driver)
    make_start(make_race(1981), driver)
    assert health.career_gaps(rules=[]) == []
    make_start(make_race(1996), driver)
    (finding,) = health.career_gaps(rules=[])
    assert finding.key == "mario-andretti"
    assert "1981 and next in 1996, 15 years later (1967–1996)" in finding.message
    assert count_queries(health.career_gaps, None, []) == 1


def test_a_career_gap_the_alias_file_confirms_is_settled(make_driver, make_race, make_start):
    driver = make_driver("George Follmer")
    make_start(make_race(1966), driver)
    make_start(make_race(1986), driver)
    confirmed = [rule("driver", "same", "George Follmer", "George Follmer")]
    assert health.career_gaps(rules=confirmed) == []
    joined = [rule("driver", "same", "Georges Follmer", "George Follmer")]
    assert len(health.career_gaps(rules=joined)) == 1


# --- results ---------------------------------------------------------------------------------


@pytest.fixture
def sarthe_race(make_race, make_layout):
    race = make_race(2010)
    make_layout(race.event.circuit, since=dt.date(2007, 1, 1), length_km=Decimal("13.629"))
    return race


def test_laps_beyond_what_24_hours_allow_on_the_lap_are_found(sarthe_race, make_entry, make_result):
    # 24 h at 250 km/h on 13.629 km: at most 441 laps.
    make_result(sarthe_race, make_entry(event=sarthe_race.event, number="9"), laps=397)
    make_result(
        sarthe_race, make_entry(event=sarthe_race.event, number="8"), finish_order=2, laps=3970
    )
    (finding,) = health.laps_beyond_distance()
    assert finding.key == "2010-le-mans-2010/Race#8"
    assert "3970 laps" in finding.message
    assert count_queries(health.laps_beyond_distance) == 2


def test_laps_beyond_a_distance_limit_are_found(make_race, make_layout, make_entry, make_result):
    race = make_race(2011, time_limit=None, distance_limit=Decimal("1000"), distance_unit="km")
    make_layout(race.event.circuit, since=dt.date(2000, 1, 1), length_km=Decimal("4.182"))
    # 1000 km are 239.1 laps of 4.182 km: the 240th lap, begun before, is the last.
    make_result(race, make_entry(event=race.event, number="1"), laps=240)
    assert keys(health.laps_beyond_distance()) == []
    make_result(race, make_entry(event=race.event, number="2"), finish_order=2, laps=241)
    assert keys(health.laps_beyond_distance()) == ["2011-le-mans-2011/Race#2"]


def test_laps_of_a_race_without_layout_or_limit_are_not_judged(make_race, make_entry, make_result):
    race = make_race(2011)
    make_result(race, make_entry(event=race.event), laps=9999)
    assert health.laps_beyond_distance() == []


def test_laps_of_an_undated_race_on_a_circuit_with_layouts_are_not_judged(
    sarthe_race, make_entry, make_result
):
    sarthe_race.event.last_day = None  # a cancelled edition no source dates
    sarthe_race.event.status = "cancelled"
    sarthe_race.event.save()
    make_result(sarthe_race, make_entry(event=sarthe_race.event), laps=9999)
    assert health.laps_beyond_distance() == []


def test_a_classified_car_with_fewer_laps_than_an_unclassified_one_without_reason(
    make_race, make_entry, make_result
):
    race = make_race(2005)
    ahead = make_entry(event=race.event, number="18")
    behind = make_entry(event=race.event, number="9")
    make_result(race, ahead, finish_order=1, laps=318)
    nc = make_result(race, behind, finish_order=2, status="not_classified", laps=325)
    (finding,) = health.classified_behind_unclassified()
    assert finding.key == "2005-le-mans-2005/Race#9"
    assert "#18 was classified with 318" in finding.message
    assert count_queries(health.classified_behind_unclassified) == 1
    nc.reason = "Did not take the chequered flag"
    nc.save()
    assert health.classified_behind_unclassified() == []


def test_a_retired_car_or_a_car_of_another_class_with_more_laps_is_no_finding(
    make_race, make_entry, make_result, make_class
):
    race = make_race(2005)
    make_result(race, make_entry(event=race.event, number="18"), finish_order=1, laps=318)
    make_result(
        race,
        make_entry(event=race.event, number="9"),
        finish_order=2,
        status="retired",
        laps=325,
    )
    make_result(
        race,
        make_entry(event=race.event, number="7", car_class=make_class("GT1")),
        finish_order=3,
        status="not_classified",
        laps=330,
    )
    assert health.classified_behind_unclassified() == []


# --- winners' laps against their distance ------------------------------------------------------


@pytest.fixture
def race_on_lap(make_race, make_layout):
    """A race of `year` on a circuit whose layout since 1932 has a lap of `length_km`."""

    def make(year, length_km):
        race = make_race(year)
        make_layout(race.event.circuit, since=dt.date(1932, 1, 1), length_km=Decimal(length_km))
        return race

    return make


def test_a_winner_whose_distance_is_a_lap_fewer_than_its_laps_is_found(
    race_on_lap, make_entry, make_result, make_class
):
    # 1954: 302 laps, but 4,061.150 km are 301 laps of a lap that rounds to 13.492 km.
    race = race_on_lap(1954, "13.492")
    make_result(
        race, make_entry(event=race.event, number="4"), laps=302, distance_km=Decimal("4061.150")
    )
    class_winner = make_entry(event=race.event, number="21", car_class=make_class("S3.0"))
    make_result(
        race,
        class_winner,
        finish_order=11,
        class_position=1,
        laps=272,
        distance_km=Decimal("3494.588"),
    )
    overall, in_class = health.winners_laps_against_distance()
    assert overall.key == "1954-le-mans-1954/Race#4"
    assert "(overall winner): 302 laps, but its 4061.150 km are 301.00 laps" in overall.message
    assert in_class.key == "1954-le-mans-1954/Race#21"
    assert "(winner of S3.0): 272 laps" in in_class.message
    assert count_queries(health.winners_laps_against_distance) == 2


@pytest.mark.parametrize(
    ("year", "length", "laps", "distance"),
    [
        (1971, "13.469", 397, "5335.313"),  # 396.1 laps' worth: within a lap (decision 0013)
        (1985, "13.626", 373, "5088.507"),  # the erratum's 373 laps
        (1986, "13.528", 368, "4972.731"),  # 367.6 laps' worth (decision 0013)
    ],
)
def test_the_winners_decision_0013_settles_are_within_a_lap(
    race_on_lap, make_entry, make_result, year, length, laps, distance
):
    race = race_on_lap(year, length)
    make_result(race, make_entry(event=race.event), laps=laps, distance_km=Decimal(distance))
    assert health.winners_laps_against_distance() == []


def test_laps_against_distance_are_judged_for_winners_only(race_on_lap, make_entry, make_result):
    race = race_on_lap(1954, "13.492")
    # 1954 #43: 247 laps against 332.5 km, but 12th, and not first of its class.
    make_result(
        race,
        make_entry(event=race.event, number="43"),
        finish_order=12,
        class_position=3,
        laps=247,
        distance_km=Decimal("332.5"),
    )
    make_result(
        race,
        make_entry(event=race.event, number="44"),
        finish_order=13,
        status="retired",
        laps=300,
        distance_km=Decimal("3.0"),
    )
    assert health.winners_laps_against_distance() == []


# --- 0 laps ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "reason", "words"),
    [
        ("retired", "", "no reason"),
        ("disqualified", "Last lap too slow", "says it ran"),
        ("not_classified", "Insufficient distance", "says it ran"),
        ("disqualified", "Refuelling too early", "says it ran"),
        ("retired", "Withdrawn after 3rd hour accident", "says it ran"),
    ],
)
def test_a_starter_with_0_laps_and_no_reason_or_one_that_says_it_ran_is_found(
    make_race, make_entry, make_result, status, reason, words
):
    race = make_race(1931)
    make_result(
        race,
        make_entry(event=race.event, number="31"),
        status=status,
        reason=reason,
        laps=0,
        distance_km=Decimal("0.0"),
    )
    (finding,) = health.zero_lap_starts()
    assert finding.key == "1931-le-mans-1931/Race#31"
    assert words in finding.message
    assert count_queries(health.zero_lap_starts) == 1


def test_0_laps_with_a_first_lap_reason_or_unknown_laps_are_no_finding(
    make_race, make_entry, make_result
):
    race = make_race(1969)
    make_result(
        race,
        make_entry(event=race.event, number="19"),
        status="retired",
        reason="Accident (with #10 at Maison Blanche), fire",
        laps=0,
    )
    make_result(
        race,
        make_entry(event=race.event, number="31"),
        finish_order=2,
        status="disqualified",
        reason="Last lap too slow",
        laps=None,  # corrected to unknown (races/demo/data/lemans24-errata.csv)
    )
    make_result(race, make_entry(event=race.event, number="1"), finish_order=3, laps=372)
    assert health.zero_lap_starts() == []


# --- crews -----------------------------------------------------------------------------------


def test_a_driver_in_two_cars_of_one_race_after_1980_is_found(make_driver, make_race, make_start):
    brundle = make_driver("Martin Brundle")
    race = make_race(1990)
    make_start(race, brundle, number="1")
    make_start(race, brundle, number="3")
    (finding,) = health.driver_in_two_cars()
    assert finding.key == "1990-le-mans-1990|martin-brundle"
    assert "#1, 1990 24 Hours of Le Mans #3" in finding.message
    assert len(finding.records) == 3
    assert count_queries(health.driver_in_two_cars) == 1


def test_two_cars_of_one_driver_before_1981_or_in_a_car_that_did_not_start_are_no_finding(
    make_driver, make_race, make_start
):
    driver = make_driver("Jean Someone")
    old = make_race(1980)
    make_start(old, driver, number="1")
    make_start(old, driver, number="2")
    race = make_race(1990)
    make_start(race, driver, number="1")
    make_start(race, driver, number="2", status=Entry.Status.RESERVE)
    assert health.driver_in_two_cars() == []


def test_a_did_not_drive_place_is_not_one_of_two_cars(
    make_driver, make_race, make_start, make_crew
):
    driver = make_driver("Jean Someone")
    race = make_race(1990)
    make_start(race, driver, number="1")
    other = make_start(race, make_driver("Other One"), number="2").entry
    make_crew(other, driver=driver, order=2, drove=False)
    assert health.driver_in_two_cars() == []
    assert health.driver_in_two_cars_before_1981() == []


def test_a_driver_in_two_cars_of_one_race_before_1981_is_found(make_driver, make_race, make_start):
    ickx = make_driver("Jacky Ickx")
    race = make_race(1977)
    make_start(race, ickx, number="3")
    make_start(race, ickx, number="4")
    (finding,) = health.driver_in_two_cars_before_1981()
    assert finding.key == "1977-le-mans-1977|jacky-ickx"
    assert "#3, 1977 24 Hours of Le Mans #4" in finding.message
    assert len(finding.records) == 3
    assert count_queries(health.driver_in_two_cars_before_1981) == 1


@pytest.mark.parametrize("year", [1979, 1980, 1981, 1982])
def test_two_cars_of_one_driver_are_found_by_exactly_one_of_the_two_rules(
    make_driver, make_race, make_start, year
):
    driver = make_driver("Jean Someone")
    race = make_race(year)
    make_start(race, driver, number="1")
    make_start(race, driver, number="2")
    before = keys(health.driver_in_two_cars_before_1981())
    after = keys(health.driver_in_two_cars())
    assert before + after == [f"{year}-le-mans-{year}|jean-someone"]
    assert bool(before) == (year < health.ONE_CAR_SINCE)


def test_a_car_that_did_not_start_is_not_one_of_two_cars_before_1981(
    make_driver, make_race, make_start
):
    driver = make_driver("Jean Lucas")
    race = make_race(1954)
    make_start(race, driver, number="51")
    make_start(race, driver, number="64", status=Entry.Status.DID_NOT_START)
    assert health.driver_in_two_cars_before_1981() == []


def test_a_third_driver_of_a_car_that_ran_before_1972_is_found(make_race, make_start, make_driver):
    race = make_race(1956)
    for order, name in enumerate(["François Picard", "Bob Tappan", "Howard Hively"], start=1):
        make_start(race, make_driver(name), number="22", order=order)
    for order, name in enumerate(["Two Crew1", "Two Crew2"], start=1):
        make_start(race, make_driver(name), number="23", order=order)
    (finding,) = health.third_drivers()
    assert finding.key == "1956-le-mans-1956#22"
    assert finding.message.endswith("names 3 drivers: François Picard, Bob Tappan, Howard Hively.")
    assert len(finding.records) == 4
    assert count_queries(health.third_drivers) == 1


def test_three_from_1972_a_reserve_who_did_not_drive_or_a_car_that_did_not_start_are_no_finding(
    make_race, make_start, make_driver, make_crew
):
    later = make_race(1972)
    for order in range(1, 4):
        make_start(later, make_driver(f"Later Crew{order}"), number="1", order=order)
    race = make_race(1965)
    for order in range(1, 3):
        make_start(race, make_driver(f"Winning Crew{order}"), number="21", order=order)
    winner = Entry.objects.get(event=race.event, number="21")
    make_crew(winner, driver=make_driver("Ed Hugus"), order=3, drove=False)
    for order in range(1, 4):
        make_start(
            race,
            make_driver(f"Nominated Crew{order}"),
            number="22",
            order=order,
            status=Entry.Status.DID_NOT_ARRIVE,
        )
    assert health.third_drivers() == []


def test_a_crew_of_five_in_a_car_that_ran_is_found(make_race, make_start, make_driver):
    race = make_race(1994)
    for order in range(1, 5):
        make_start(race, make_driver(f"Four Crew{order}"), number="4", order=order)
    for order in range(1, 6):
        make_start(race, make_driver(f"Five Crew{order}"), number="5", order=order)
    for order in range(1, 7):
        make_start(
            race,
            make_driver(f"Nominated Crew{order}"),
            number="6",
            order=order,
            status=Entry.Status.DID_NOT_ARRIVE,
        )
    (finding,) = health.large_crews()
    assert finding.key == "1994-le-mans-1994#5"
    assert "has 5 drivers" in finding.message
    assert count_queries(health.large_crews) == 1


# --- names -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "key"),
    [
        ("Miss Keiko Ihara", "driver:miss-keiko-ihara:title"),
        ("f.n.u. Stalter", "driver:fnu-stalter:placeholder"),
        ("Keiko IHARA", "driver:keiko-ihara:capitals"),
        ("Bell\x07 Ringer", "driver:bell-ringer:control"),
        ("Dr. Unknown", "driver:dr-unknown:title+placeholder"),
    ],
)
def test_a_suspect_driver_name_is_found(make_driver, name, key):
    make_driver(name)
    assert keys(health.suspect_names()) == [key]


@pytest.mark.parametrize(
    "name",
    ["Keiko Ihara", "JJ Lehto", "Boris Said III", '"Beurlys"', "R.R.C. Walker", "Earl Bamber"],
)
def test_a_plain_driver_name_is_not_suspect(make_driver, name):
    make_driver(name)
    assert health.suspect_names() == []


def test_team_names_in_capitals_are_suspect_only_when_all_words_are(make_team):
    make_team("BMW")
    make_team("ORECA")
    make_team("TDS Racing")
    make_team("G.V.E.A.")
    make_team("AUDI SPORT TEAM JOEST")
    assert keys(health.suspect_names()) == ["team:audi-sport-team-joest:capitals"]
    assert count_queries(health.suspect_names) == 2


def test_a_team_without_entry_is_found(make_team, make_entry):
    make_team("Lonely Racing")
    make_entry(team=make_team("Busy Racing"))
    assert keys(health.teams_without_entry()) == ["lonely-racing"]
    assert count_queries(health.teams_without_entry) == 1


# --- all rules, the report and the command ----------------------------------------------------


def test_every_rule_is_listed_in_the_report_with_open_and_explained_findings(make_team):
    make_team("Lonely Racing")
    make_team("Quiet Racing")
    FindingExplanation.objects.create(rule="team-without-entry", key="quiet-racing", reason="r")
    rules = health.report(health.all_findings(), FindingExplanation.objects.all())
    assert [r.code for r in rules] == list(health.RULE_CODES)
    (teams,) = [r for r in rules if r.code == "team-without-entry"]
    assert keys(teams.open) == ["lonely-racing"]
    assert [(f.key, e.reason) for f, e in teams.explained] == [("quiet-racing", "r")]


def test_all_rules_take_a_fixed_number_of_queries(make_team, make_driver):
    few = count_queries(health.all_findings)
    for n in range(5):
        make_team(f"Lonely Racing {n}")
        make_driver(f"Dr. Someone{n}")
    assert count_queries(health.all_findings) == few == 20


def test_check_data_lists_open_findings_and_fails_while_any_is_open(make_team, capsys):
    make_team("Lonely Racing")
    with pytest.raises(CommandError) as error:
        call_command("check_data")
    assert error.value.returncode == 1
    out = capsys.readouterr().out
    assert "team-without-entry                 1 open     0 explained" in out
    assert "open  lonely-racing: Lonely Racing has no entry." in out


def test_check_data_succeeds_when_every_finding_is_explained(make_team, capsys):
    make_team("Lonely Racing")
    FindingExplanation.objects.create(
        rule="team-without-entry", key="lonely-racing", reason="Kept for its history."
    )
    call_command("check_data")
    assert "lonely-racing" not in capsys.readouterr().out
    call_command("check_data", "--all")
    assert "explained  lonely-racing: Lonely Racing has no entry. (Kept for its history.)" in (
        capsys.readouterr().out
    )


def test_the_merge_link_names_both_drivers_once_the_merge_page_exists(make_driver, monkeypatch):
    from races import health as module

    make_driver("Matteo Cairoli", nationality="IT")
    make_driver("Matteo Carioli", nationality="IT")
    (finding,) = health.near_duplicate_drivers(rules=[])
    first, second = finding.records

    def reverse(name, args=None):
        assert name == "admin:drivers_driver_merge"
        return f"/admin/drivers/driver/{args[0]}/merge/"

    monkeypatch.setattr(module, "reverse", reverse)
    assert finding.merge_url == f"/admin/drivers/driver/{first.pk}/merge/?other={second.pk}"
