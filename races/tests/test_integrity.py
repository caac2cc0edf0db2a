"""Every integrity rule listed in races/models.py, with the legal data it must allow.

A database rule is tested twice: `full_clean()` reports it (so the admin shows a form error) and
a direct save is refused by the database (so no other path can store it). Each rejection is
checked to be the only error of an otherwise valid object, so it comes from the rule tested.
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import DataError, IntegrityError, transaction

from drivers.models import Driver
from races.importers.alkamel import parse_gap
from races.models import (
    CarClass,
    ChampionshipRules,
    Circuit,
    CircuitLayout,
    Crew,
    Entry,
    Event,
    PointsScale,
    RaceLaps,
    Registration,
    Result,
    Round,
    Season,
    SeasonClass,
    Series,
    Session,
    Team,
    registration_errors,
    registrations_counting_on_round,
    registrations_outside_classes,
    unordered_results_error,
)
from races.results import (
    Placing,
    check_session,
    class_order_errors,
    renumber_finish_order,
    result_order_errors,
)

pytestmark = pytest.mark.django_db


def assert_rejected(obj, message):
    """`obj` fails full_clean() with `message` as its only error, and the database refuses it."""
    with pytest.raises(ValidationError) as excinfo:
        obj.full_clean()
    assert excinfo.value.messages == [message]
    with pytest.raises(IntegrityError), transaction.atomic():
        obj.save()


def assert_accepted(*objs):
    for obj in objs:
        obj.full_clean()
        obj.save()


def violated(name):
    return f"Constraint “{name}” is violated."


# --- fixtures ---------------------------------------------------------------------------------


@pytest.fixture
def lmp2(make_class):
    return make_class("LMP2")


@pytest.fixture
def season(make_season, lmp2):
    return make_season(classes=[lmp2])


@pytest.fixture
def event(make_event):
    return make_event()


@pytest.fixture
def round_(make_round, season, event):
    return make_round(season, event, number=5)


@pytest.fixture
def session(make_session, event):
    return make_session(event)


@pytest.fixture
def entry(make_entry, event, lmp2):
    return make_entry(event, number="39", car_class=lmp2)


@pytest.fixture
def result(make_result, session, entry):
    return make_result(session, entry, finish_order=1)


# --- series, seasons, classes -----------------------------------------------------------------


def test_series_slugs_are_unique(make_series):
    make_series("Le Mans Series", slug="lms")
    assert_rejected(Series(name="Other", slug="lms"), "Series with this Slug already exists.")


def test_a_series_has_one_season_per_year(season):
    duplicate = Season(series=season.series, year=season.year, name="Another 2011 season")
    assert_rejected(duplicate, "Season with this Series and Year already exists.")


def test_a_season_year_is_plausible(make_series):
    season = Season(series=make_series(), year=1899, name="Before motor racing")
    assert_rejected(season, violated("races_season_year_plausible"))


def test_class_codes_are_unique(lmp2):
    assert_rejected(CarClass(code="LMP2", name="Again"), "Class with this Code already exists.")


def test_a_class_cannot_be_its_own_parent(lmp2):
    lmp2.parent = lmp2
    assert_rejected(lmp2, "A class cannot be its own parent.")


def test_a_class_is_run_once_per_season(season, lmp2):
    duplicate = SeasonClass(season=season, car_class=lmp2, order=2)
    assert_rejected(duplicate, "Class of a season with this Season and Class already exists.")


def test_a_season_orders_its_classes_without_ties(season, make_class):
    tied = SeasonClass(season=season, car_class=make_class("GTE Pro"), order=1)
    assert_rejected(tied, "Class of a season with this Season and Order already exists.")


def test_a_class_colour_is_written_as_hex():
    with pytest.raises(ValidationError, match="rrggbb"):
        CarClass(code="GT1", name="GT1", colour="red").full_clean()


# --- circuits and events ----------------------------------------------------------------------


def test_circuit_slugs_are_unique(make_circuit):
    circuit = make_circuit()
    duplicate = Circuit(name="Estoril", slug=circuit.slug, country="PT", time_zone="Europe/Lisbon")
    assert_rejected(duplicate, "Circuit with this Slug already exists.")


def test_a_circuit_time_zone_is_a_known_iana_name():
    circuit = Circuit(name="Atlantis", slug="atlantis", country="PT", time_zone="Europe/Atlantis")
    with pytest.raises(ValidationError, match="Europe/Atlantis is not a known time zone"):
        circuit.full_clean()
    circuit.time_zone = "Atlantic/Azores"
    circuit.full_clean()


def test_a_circuit_has_one_layout_from_each_date(make_circuit):
    circuit = make_circuit()
    CircuitLayout.objects.create(circuit=circuit, since=dt.date(2000, 1, 1), length_km=4)
    duplicate = CircuitLayout(circuit=circuit, since=dt.date(2000, 1, 1), length_km=5)
    assert_rejected(duplicate, "Layout with this Circuit and In use from already exists.")


def test_a_layout_has_a_positive_length(make_circuit):
    layout = CircuitLayout(circuit=make_circuit(), since=dt.date(2000, 1, 1), length_km=0)
    assert_rejected(layout, violated("races_circuitlayout_length_positive"))


def test_an_event_cannot_end_before_it_starts(event):
    event.first_day = event.last_day + dt.timedelta(days=1)
    assert_rejected(event, violated("races_event_ends_after_start"))


def test_an_event_may_last_one_day_or_have_an_unknown_first_day(event):
    event.first_day = event.last_day
    assert_accepted(event)
    event.first_day = None
    assert_accepted(event)


def test_an_event_status_is_one_of_its_choices(event):
    event.status = "postponed"
    assert_rejected(event, "Value 'postponed' is not a valid choice.")


def test_only_a_cancelled_event_has_a_cancellation_reason(event):
    event.cancellation_reason = "Volcanic ash"
    assert_rejected(event, violated("races_event_cancellation_reason_only_if_cancelled"))
    event.status = Event.Status.CANCELLED
    assert_accepted(event)


# --- rounds -----------------------------------------------------------------------------------


def test_round_numbers_are_unique_within_a_season(round_, make_event):
    other = make_event("1000 km of Spa", slug="1000-km-of-spa", circuit=round_.event.circuit)
    duplicate = Round(season=round_.season, event=other, number=round_.number)
    assert_rejected(duplicate, "Round with this Season and Round already exists.")


def test_an_event_is_one_round_of_a_season_at_most(round_):
    duplicate = Round(season=round_.season, event=round_.event, number=6)
    assert_rejected(duplicate, "Round with this Season and Event already exists.")


def test_round_numbers_start_at_one(season, event):
    assert_rejected(
        Round(season=season, event=event, number=0), violated("races_round_number_positive")
    )


def test_an_event_may_be_a_round_of_two_championships(round_, make_season, make_series):
    other = make_season(series=make_series("Intercontinental Le Mans Cup"), year=2011)
    assert_accepted(Round(season=other, event=round_.event, number=round_.number))


def test_two_events_of_a_season_cannot_share_a_slug(round_, make_event):
    """A check in Round.clean(): the slug is the event's, so no constraint can hold it."""
    namesake = make_event(
        round_.event.name, last_day=dt.date(2011, 10, 2), circuit=round_.event.circuit
    )
    clash = Round(season=round_.season, event=namesake, number=6)
    with pytest.raises(ValidationError) as excinfo:
        clash.full_clean()
    assert list(excinfo.value.message_dict) == ["event"]


def test_a_slug_clash_names_the_slug(round_, make_event):
    namesake = make_event(
        round_.event.name, last_day=dt.date(2011, 10, 2), circuit=round_.event.circuit
    )
    clash = Round(season=round_.season, event=namesake, number=6)
    with pytest.raises(ValidationError) as excinfo:
        clash.full_clean()
    assert excinfo.value.message_dict == {
        "event": ["Another event of this season already uses the slug “6-hours-of-estoril”."]
    }


def test_events_of_different_seasons_may_share_a_slug(round_, make_event, make_season):
    namesake = make_event(
        round_.event.name, last_day=dt.date(2012, 9, 30), circuit=round_.event.circuit
    )
    next_year = make_season(series=round_.season.series, year=2012)
    assert_accepted(Round(season=next_year, event=namesake, number=1))
    round_.full_clean()  # the round does not clash with itself


# --- sessions ---------------------------------------------------------------------------------


def test_a_session_has_its_own_place_in_the_event_order(session):
    duplicate = Session(event=session.event, kind="practice", name="FP1", order=session.order)
    assert_rejected(duplicate, "Session with this Event and Order already exists.")


def test_a_session_kind_is_one_of_its_choices(session):
    session.kind = "parade"
    assert_rejected(session, "Value 'parade' is not a valid choice.")


def test_a_session_results_status_is_one_of_its_choices(session):
    session.results_status = "rumoured"
    assert_rejected(session, "Value 'rumoured' is not a valid choice.")


def test_a_distance_unit_is_one_of_its_choices(session):
    session.distance_limit, session.distance_unit = Decimal(1000), "yd"
    assert_rejected(session, "Value 'yd' is not a valid choice.")


def test_a_distance_limit_has_a_unit(session):
    session.distance_limit = Decimal(1000)
    assert_rejected(session, violated("races_session_distance_limit_has_unit"))
    session.distance_unit = Session.DistanceUnit.KM
    assert_accepted(session)


def test_a_distance_limit_is_positive(session):
    session.distance_limit, session.distance_unit = Decimal(0), Session.DistanceUnit.LAPS
    assert_rejected(session, violated("races_session_distance_limit_positive"))


# --- teams, entries, registrations, crews -----------------------------------------------------


def test_team_slugs_are_unique(make_team):
    team = make_team()
    assert_rejected(Team(name="Pecom", slug=team.slug), "Team with this Slug already exists.")


def test_entered_cars_of_an_event_have_different_numbers(entry):
    duplicate = Entry(event=entry.event, number=entry.number, car_class=entry.car_class)
    assert_rejected(duplicate, "Another entered car of this event already has this number.")


def test_reserves_and_non_starters_may_share_an_entered_car_number(entry):
    assert_accepted(
        Entry(event=entry.event, number="39", car_class=entry.car_class, status="reserve"),
        Entry(event=entry.event, number="39", car_class=entry.car_class, status="did_not_start"),
        Entry(event=entry.event, number="39", car_class=entry.car_class, status="withdrawn"),
    )


def test_cars_with_unknown_numbers_may_be_many(event, lmp2):
    assert_accepted(
        Entry(event=event, number="", car_class=lmp2), Entry(event=event, number="", car_class=lmp2)
    )


def test_car_numbers_are_strings_so_007_is_not_7(event, lmp2):
    assert_accepted(
        Entry(event=event, number="7", car_class=lmp2),
        Entry(event=event, number="007", car_class=lmp2),
    )


def test_the_same_number_may_be_entered_at_another_event(entry, make_event):
    other = make_event("1000 km of Spa", slug="1000-km-of-spa", circuit=entry.event.circuit)
    assert_accepted(Entry(event=other, number=entry.number, car_class=entry.car_class))


def test_an_entry_status_is_one_of_its_choices(entry):
    entry.status = "crashed"
    assert_rejected(entry, "Value 'crashed' is not a valid choice.")


def test_an_entry_is_registered_once_per_championship(round_, entry):
    Registration.objects.create(entry=entry, season=round_.season)
    duplicate = Registration(entry=entry, season=round_.season)
    assert_rejected(duplicate, "Registration with this Entry and Season already exists.")


def test_an_entry_registers_only_for_championships_the_event_counts_for(
    round_, entry, make_season, make_series, lmp2
):
    elsewhere = make_season(series=make_series("Asian Le Mans Series"), classes=[lmp2])
    registration = Registration(entry=entry, season=elsewhere)
    with pytest.raises(ValidationError) as excinfo:
        registration.full_clean()
    assert excinfo.value.message_dict == {
        "season": ["The event is not a round of 2011 Asian Le Mans Series."]
    }
    assert_accepted(Registration(entry=entry, season=round_.season))


def test_an_entry_registers_only_for_championships_that_run_its_class(
    round_, event, make_entry, make_class
):
    gt1 = make_entry(event, number="50", car_class=make_class("GT1"))
    assert registration_errors(gt1, round_.season) == [
        "2011 Le Mans Series does not run the class GT1."
    ]
    with pytest.raises(ValidationError, match="does not run the class GT1"):
        Registration(entry=gt1, season=round_.season).full_clean()


def test_a_registration_may_fail_both_ways_at_once(event, make_entry, make_class, make_season):
    elsewhere = make_season(year=2012)
    gt1 = make_entry(event, number="50", car_class=make_class("GT1"))
    assert len(registration_errors(gt1, elsewhere)) == 2


def test_a_sub_class_is_run_by_a_championship_that_runs_its_parent(
    round_, event, make_entry, make_class, lmp2
):
    pro_am = make_entry(event, number="40", car_class=make_class("LMP2 Pro-Am", parent=lmp2))
    assert registration_errors(pro_am, round_.season) == []
    assert_accepted(Registration(entry=pro_am, season=round_.season))


def test_a_parent_class_is_not_run_by_a_championship_that_runs_only_its_sub_class(
    event, make_entry, make_class, make_season
):
    gte = make_class("GTE")
    season = make_season(year=2012, classes=[make_class("GTE Am", parent=gte)])
    car = make_entry(event, number="50", car_class=gte)
    assert registration_errors(car, season)[-1] == "2012 Le Mans Series does not run the class GTE."


def test_a_driver_is_listed_once_per_crew(entry, make_crew):
    member = make_crew(entry, order=1)
    duplicate = Crew(entry=entry, driver=member.driver, order=2)
    assert_rejected(duplicate, "Crew member with this Entry and Driver already exists.")


def test_crew_members_have_different_places_in_the_order(entry, make_crew, make_driver):
    make_crew(entry, order=1)
    tied = Crew(entry=entry, driver=make_driver("Soheil Ayari"), order=1)
    assert_rejected(tied, "Crew member with this Entry and Order already exists.")


def test_a_driver_may_drive_two_cars_of_one_event(entry, make_entry, make_crew):
    """Car-hopping: a driver moved to a sister car during the race."""
    member = make_crew(entry, order=1)
    sister = make_entry(entry.event, number="40", car_class=entry.car_class)
    assert_accepted(Crew(entry=sister, driver=member.driver, order=3))


def test_a_crew_members_laps_are_kept_once_per_race(session, entry, make_crew):
    member = make_crew(entry, order=1)
    assert_accepted(RaceLaps(session=session, crew=member, laps=10, drive_time=dt.timedelta(0)))
    again = RaceLaps(session=session, crew=member, laps=3, drive_time=dt.timedelta(0))
    assert_rejected(again, "Laps in a race with this Session and Crew member already exists.")


@pytest.mark.parametrize(
    ("laps", "time", "message"),
    [
        (10001, dt.timedelta(hours=1), "A number of laps is at most 10000."),
        (10, dt.timedelta(seconds=-1), "A time is at most 999 hours and not negative."),
    ],
)
def test_laps_in_a_race_are_bounded(session, entry, make_crew, laps, time, message):
    member = make_crew(entry, order=1)
    assert_rejected(RaceLaps(session=session, crew=member, laps=laps, drive_time=time), message)


def test_laps_are_kept_for_a_race_of_the_cars_event(
    session, entry, make_crew, make_session, make_event, make_entry, make_driver
):
    member = make_crew(entry, order=1)
    qualifying = make_session(session.event, kind="qualifying", name="Qualifying", order=2)
    spa = make_event("1000 km of Spa", circuit=session.event.circuit)
    elsewhere = make_crew(make_entry(spa), driver=make_driver("Soheil Ayari"))
    for row, message in (
        (RaceLaps(session=qualifying, crew=member), "Laps are kept per race, not per Qualifying."),
        (
            RaceLaps(session=session, crew=elsewhere),
            "This crew member's car is not in the race's event.",
        ),
    ):
        row.laps, row.drive_time = 1, dt.timedelta(minutes=2)
        with pytest.raises(ValidationError) as excinfo:
            row.full_clean()
        assert excinfo.value.messages == [message]


# --- drivers ----------------------------------------------------------------------------------


def test_driver_slugs_are_unique(make_driver):
    driver = make_driver()
    duplicate = Driver(full_name="P. Kaffer", slug=driver.slug)
    assert_rejected(duplicate, "Driver with this Slug already exists.")


def test_a_driver_cannot_die_before_being_born(make_driver):
    driver = make_driver(birth_date=dt.date(1976, 2, 7))
    driver.death_date = dt.date(1970, 1, 1)
    assert_rejected(driver, violated("drivers_driver_dies_after_birth"))


def test_a_driver_has_a_name(make_driver):
    driver = make_driver()
    driver.full_name = ""
    assert_rejected(driver, "This field cannot be blank.")


# --- results ----------------------------------------------------------------------------------


def test_a_car_has_one_result_per_session(result):
    duplicate = Result(session=result.session, entry=result.entry, finish_order=2, status="retired")
    assert_rejected(duplicate, "Result with this Session and Entry already exists.")


def test_two_cars_cannot_share_a_finish_order(result, make_entry):
    other = make_entry(result.entry.event, number="40")
    tied = Result(session=result.session, entry=other, finish_order=1, status="retired")
    assert_rejected(tied, "Another car of this session has this finish order.")


def test_two_cars_cannot_share_a_classified_position(result, make_entry):
    other = make_entry(result.entry.event, number="40")
    tied = Result(
        session=result.session, entry=other, finish_order=2, position=1, status="classified"
    )
    assert_rejected(tied, "Another car of this session has this position.")


def test_finish_order_starts_at_one(result):
    result.finish_order = 0
    assert_rejected(result, violated("races_result_finish_order_positive"))


@pytest.mark.parametrize("field", ["position", "class_position", "parent_class_position"])
def test_positions_start_at_one(result, field):
    setattr(result, field, 0)
    assert_rejected(result, violated("races_result_positions_positive"))


def test_only_a_classified_car_has_a_classified_position(result):
    result.status = Result.Status.RETIRED
    assert_rejected(result, "Only a classified car has a classified position.")


def test_a_result_status_is_one_of_its_choices(result):
    result.status, result.position = "crashed", None
    assert_rejected(result, "Value 'crashed' is not a valid choice.")


def test_a_classified_car_may_have_an_unknown_position_but_a_known_class_position(session, entry):
    assert_accepted(
        Result(
            session=session,
            entry=entry,
            finish_order=4,
            position=None,
            class_position=2,
            status=Result.Status.CLASSIFIED,
        )
    )


def test_a_result_belongs_to_a_car_of_the_session_event(session, make_entry, make_event):
    elsewhere = make_entry(
        make_event("1000 km of Spa", slug="1000-km-of-spa", circuit=session.event.circuit)
    )
    stray = Result(session=session, entry=elsewhere, finish_order=1, status="retired")
    with pytest.raises(ValidationError) as excinfo:
        stray.full_clean()
    assert excinfo.value.message_dict == {
        "entry": ["This car is not entered in the session's event."]
    }


@pytest.mark.parametrize("results_status", ["none", "provisional", "final"])
def test_a_result_has_a_finish_order_unless_the_session_results_are_partial(
    make_session, event, entry, results_status
):
    session = make_session(event, results_status=results_status)
    unordered = Result(session=session, entry=entry, finish_order=None, status="retired")
    with pytest.raises(ValidationError) as excinfo:
        unordered.full_clean()
    assert list(excinfo.value.message_dict) == ["finish_order"]


def test_cars_of_a_partial_session_may_have_unknown_finish_orders(
    make_session, event, entry, make_entry
):
    session = make_session(event, results_status=Session.ResultsStatus.PARTIAL)
    other = make_entry(event, number="40")
    assert_accepted(
        Result(session=session, entry=entry, finish_order=None, status="unknown"),
        Result(session=session, entry=other, finish_order=None, status="unknown"),
    )


@pytest.mark.parametrize("results_status", ["none", "provisional", "final"])
def test_a_session_with_a_car_without_finish_order_keeps_partial_results(
    session, entry, make_entry, make_result, results_status
):
    Session.objects.filter(pk=session.pk).update(results_status="partial")
    make_result(session, entry, finish_order=None, status="unknown")
    make_result(session, make_entry(session.event, number="40"), finish_order=None)
    session.refresh_from_db()
    session.results_status = results_status
    assert unordered_results_error(session) == (
        "2 results of this session have no finish order: only partial results may leave it empty."
    )
    session.results_status = "partial"
    assert unordered_results_error(session) is None


def test_a_session_whose_cars_all_have_a_finish_order_may_have_final_results(session, result):
    session.results_status = "provisional"
    session.full_clean()
    assert unordered_results_error(session) is None


# --- registrations that rounds and classes carry ----------------------------------------------


@pytest.fixture
def registration(round_, entry, season):
    return Registration.objects.create(entry=entry, season=season)


def test_the_registrations_counting_on_a_round_are_its_event_cars_for_its_season(
    registration, round_, make_season, make_series, make_round, event
):
    other = make_round(make_season(series=make_series("ILMC")), event, number=1)
    assert list(registrations_counting_on_round(round_.pk)) == [registration]
    assert list(registrations_counting_on_round(other.pk)) == []


def test_a_round_cars_are_registered_through_cannot_move_to_another_event(
    registration, round_, make_event
):
    round_.event = make_event("1000 km of Spa", circuit=round_.event.circuit)
    with pytest.raises(ValidationError) as excinfo:
        round_.full_clean()
    assert excinfo.value.messages == [
        "1 car of this event is registered for this championship: remove its registration first."
    ]


def test_a_round_no_car_is_registered_through_may_move(round_, make_event):
    round_.event = make_event("1000 km of Spa", circuit=round_.event.circuit)
    round_.full_clean()


def test_registrations_outside_the_classes_a_season_keeps_are_found(
    registration, season, lmp2, make_class
):
    pro_am = make_class("LMP2 Pro-Am", parent=lmp2)
    assert list(registrations_outside_classes(season, [])) == [registration]
    assert list(registrations_outside_classes(season, [pro_am])) == [registration]
    assert list(registrations_outside_classes(season, [lmp2])) == []


def test_a_sub_class_car_stays_registered_while_the_season_runs_its_parent(
    season, lmp2, make_class, make_entry, event, round_
):
    pro_am = make_class("LMP2 Pro-Am", parent=lmp2)
    car = make_entry(event, number="40", car_class=pro_am)
    registration = Registration.objects.create(entry=car, season=season)
    assert list(registrations_outside_classes(season, [lmp2])) == []
    assert list(registrations_outside_classes(season, [pro_am])) == []
    assert list(registrations_outside_classes(season, [make_class("GT1")])) == [registration]


# --- class order (races/results.py) -----------------------------------------------------------


def test_class_positions_following_the_finish_order_are_accepted():
    placings = [
        Placing("#39", 1, "LMP2", 1),
        Placing("#50", 2, "GT2", 1),
        Placing("#40", 3, "LMP2", 2),
        Placing("#41", 9, "LMP2", 4),  # a gap is not this rule's business
    ]
    assert class_order_errors(placings) == []


def test_a_car_behind_in_the_finish_order_cannot_have_a_better_class_position():
    placings = [Placing("#39", 1, "LMP2", 2), Placing("#40", 3, "LMP2", 1)]
    assert class_order_errors(placings) == [
        "#40 finished behind #39 but has a better class position."
    ]


def test_two_cars_of_a_class_cannot_share_a_class_position():
    placings = [Placing("#39", None, "LMP2", 1), Placing("#40", None, "LMP2", 1)]
    assert class_order_errors(placings) == ["#39 and #40 share class position 1."]


def test_cars_without_finish_order_or_class_position_are_not_compared():
    placings = [
        Placing("#39", 1, "LMP2", 2),
        Placing("#40", None, "LMP2", 1),
        Placing("#41", 2, "LMP2", None),
    ]
    assert class_order_errors(placings) == []


def test_check_session_finds_class_order_errors_in_stored_results(
    session, make_entry, make_result, lmp2
):
    first = make_entry(session.event, number="39", car_class=lmp2)
    second = make_entry(session.event, number="40", car_class=lmp2)
    make_result(session, first, finish_order=1, class_position=2)
    make_result(session, second, finish_order=2, class_position=1)
    assert check_session(session) == ["#40 finished behind #39 but has a better class position."]


def test_check_session_checks_positions_in_the_parent_class(
    session, make_entry, make_result, make_class, lmp2
):
    pro_am = make_class("LMP2 Pro-Am", parent=lmp2)
    first = make_entry(session.event, number="39", car_class=pro_am)
    second = make_entry(session.event, number="40", car_class=pro_am)
    make_result(session, first, finish_order=1, class_position=1, parent_class_position=2)
    make_result(session, second, finish_order=2, class_position=2, parent_class_position=1)
    assert check_session(session) == ["#40 finished behind #39 but has a better class position."]


def test_a_sub_class_car_ranks_in_its_parent_class_with_the_parent_class_cars(
    session, make_entry, make_result, make_class, lmp2
):
    """A Pro-Am car's position in LMP2 and a plain LMP2 car's class position are one ranking."""
    pro_am = make_class("LMP2 Pro-Am", parent=lmp2)
    plain = make_entry(session.event, number="39", car_class=lmp2)
    amateur = make_entry(session.event, number="40", car_class=pro_am)
    make_result(session, plain, finish_order=1, class_position=2)
    make_result(session, amateur, finish_order=2, class_position=1, parent_class_position=1)
    assert check_session(session) == ["#40 finished behind #39 but has a better class position."]


def test_check_session_accepts_a_consistent_session(
    session, make_entry, make_result, make_class, lmp2
):
    pro_am = make_class("LMP2 Pro-Am", parent=lmp2)
    plain = make_entry(session.event, number="39", car_class=lmp2)
    amateur = make_entry(session.event, number="40", car_class=pro_am)
    make_result(session, plain, finish_order=1, class_position=1)
    make_result(session, amateur, finish_order=2, class_position=1, parent_class_position=2)
    assert check_session(session) == []


# --- renumbering (races/results.py) -----------------------------------------------------------


def test_renumbering_closes_gaps_in_the_finish_order_and_keeps_it(
    make_session, event, make_entry, make_result
):
    session = make_session(event, results_status=Session.ResultsStatus.PARTIAL)
    cars = [make_entry(event, number=str(n)) for n in (1, 2, 3, 4)]
    make_result(session, cars[0], finish_order=9)
    make_result(session, cars[1], finish_order=2)
    make_result(session, cars[2], finish_order=5)
    make_result(session, cars[3], finish_order=None, status="unknown")

    assert renumber_finish_order(session) == 3

    orders = dict(session.results.values_list("entry__number", "finish_order"))
    assert orders == {"2": 1, "3": 2, "1": 3, "4": None}


def test_renumbering_keeps_each_change_in_the_history(session, make_entry, make_result):
    result = make_result(session, make_entry(session.event), finish_order=3)
    renumber_finish_order(session)
    assert [h.finish_order for h in result.history.order_by("history_date")] == [3, 1]


def test_renumbering_an_orderly_session_changes_nothing(session, make_entry, make_result):
    make_result(session, make_entry(session.event, number="39"), finish_order=1)
    make_result(session, make_entry(session.event, number="40"), finish_order=2, position=2)
    renumber_finish_order(session)
    assert list(session.results.values_list("entry__number", "finish_order")) == [
        ("39", 1),
        ("40", 2),
    ]


def test_search_keys_hold_names_that_folding_lengthens(make_circuit, make_team, make_driver):
    circuit = make_circuit("C" * 120, slug="long", place="P" * 120)
    team = make_team("ß" * 150, slug="long-team")
    driver = make_driver("Æ" * 200, slug="long-driver")
    assert len(circuit.search_key) == 241
    assert team.search_key == "ss" * 150
    assert driver.search_key == "ae" * 200


def test_one_result_is_checked_against_the_stored_results_of_its_session(
    session, entry, result, make_entry, make_result
):
    other = make_entry(session.event, number="40")
    make_result(session, other, finish_order=2, class_position=2)
    result.class_position = 1
    assert result_order_errors(result) == []
    result.class_position = 2
    assert result_order_errors(result) == [
        "#40 and #39 share class position 2.",
        "#40 finished behind #39 but has a better class position.",
    ]
    result.class_position = 3
    assert result_order_errors(result) == [
        "#40 finished behind #39 but has a better class position."
    ]


def test_one_result_is_not_blamed_for_errors_among_the_other_results(
    session, entry, result, make_entry, make_result
):
    for number, order in (("40", 2), ("41", 3)):
        make_result(session, make_entry(session.event, number=number), finish_order=order)
    session.results.filter(finish_order__gt=1).update(class_position=2)
    result.class_position = 1
    assert result_order_errors(result) == []


def test_class_positions_count_a_sub_class_in_its_own_class_and_in_its_parent():
    from races.results import class_positions

    cars = [("a", "LMP2", None), ("b", "ProAm", "LMP2"), ("c", "LMP2", None), ("d", "GT", None)]
    assert class_positions(cars) == {"a": (1, None), "b": (1, 2), "c": (3, None), "d": (1, None)}


# --- upper bounds: the same on SQLite (which stores any integer) and PostgreSQL ----------------

HOURS_999 = dt.timedelta(hours=999)
LAPS = "A number of laps is at most 10000."
POSITION = "A position or an order is at most 999."
DURATION = "A time is at most 999 hours and not negative."


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("laps", 10001, LAPS),
        ("gap_laps", 10001, LAPS),
        ("best_lap_number", 10001, LAPS),
        ("finish_order", 1000, POSITION),
        ("class_position", 1000, POSITION),
        ("parent_class_position", 1000, POSITION),
        ("time", HOURS_999 + dt.timedelta(seconds=1), DURATION),
        ("gap_time", HOURS_999 + dt.timedelta(seconds=1), DURATION),
        ("best_lap", -dt.timedelta(seconds=1), DURATION),
    ],
)
def test_a_result_number_beyond_its_bound_is_refused(result, field, value, message):
    setattr(result, field, value)
    assert_rejected(result, message)


def test_the_bounds_themselves_are_allowed(result):
    result.laps = result.gap_laps = result.best_lap_number = 10000
    result.finish_order = result.class_position = 999
    result.time = result.gap_time = HOURS_999
    result.full_clean()
    result.save()


def test_a_gap_of_eleven_digit_laps_is_refused_by_both_databases(result):
    result.gap_laps = 99_999_999_999
    with pytest.raises((IntegrityError, DataError)), transaction.atomic():
        result.save()


def test_the_import_refuses_a_gap_of_more_laps_than_its_limit():
    with pytest.raises(ValueError, match="more than 10000"):
        parse_gap("99999999999 Laps")
    with pytest.raises(ValueError, match="more than 10000"):
        parse_gap("-10001 Laps")
    assert parse_gap("10000 Laps").laps == 10000


def test_session_order_and_time_limit_are_bounded(session):
    session.order = 1000
    assert_rejected(session, POSITION)
    session.order, session.time_limit = 1, HOURS_999 + dt.timedelta(hours=1)
    assert_rejected(session, DURATION)


def test_season_year_and_orders_are_bounded(season, round_, entry, make_driver, lmp2):
    season.year = 2101
    assert_rejected(season, "A year is at most 2100.")
    round_.number = 1000
    assert_rejected(round_, POSITION)
    season_class = SeasonClass.objects.get(season=season, car_class=lmp2)
    season_class.order = 1000
    assert_rejected(season_class, POSITION)
    crew = Crew(entry=entry, driver=make_driver(), order=10000)
    assert_rejected(crew, "A place in a crew is at most 9999.")


def test_championship_rules_are_bounded(season):
    scale = PointsScale.objects.create(name="ELMS", slug="elms")
    rules = ChampionshipRules(season=season, scale=scale, manufacturers_best_n=1000)
    assert_rejected(rules, POSITION)
