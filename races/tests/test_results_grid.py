"""The results grid's rules and derived positions, as plain functions (races/results_grid.py)."""

from datetime import timedelta
from types import SimpleNamespace

import pytest

from races.results_grid import GridRow, derive_positions, grid_problems, parse_duration, parse_gap

LMP1 = SimpleNamespace(pk=1, parent_id=None, championship_parent_id=None)
LMP2 = SimpleNamespace(pk=2, parent_id=None, championship_parent_id=None)
PRO_AM = SimpleNamespace(pk=3, parent_id=2, championship_parent_id=2)  # ranks in LMP2 too
GTE = SimpleNamespace(pk=4, parent_id=None, championship_parent_id=None)


def row(key, car_class, finish_order=None, status="classified", **kwargs):
    return GridRow(key, f"#{key}", car_class, status, finish_order, **kwargs)


def test_positions_and_class_positions_follow_the_finish_order_and_status():
    rows = [
        row(16, LMP1, 1),
        row(36, LMP2, 2),
        row(40, PRO_AM, 3),
        row(41, LMP2, 4),
        row(39, LMP2, 5, status="retired"),
        row(99, GTE, status=""),
    ]
    positions = derive_positions(rows)
    assert positions[16] == (1, 1, None)
    assert positions[36] == (2, 1, None)
    assert positions[40] == (3, 1, 2)  # first Pro-Am, second in LMP2
    assert positions[41] == (4, 3, None)  # the Pro-Am car ahead counts in LMP2
    assert positions[39] == (None, None, None)
    assert 99 not in positions


def test_a_clean_complete_grid_has_no_problems():
    rows = [row(1, LMP1, 1), row(2, LMP2, 2), row(3, GTE, 3, status="retired"), row(4, GTE)]
    assert grid_problems([*rows[:3], row(4, GTE, status="")]) == {}


def test_two_cars_with_one_finish_order_each_show_the_clash():
    problems = grid_problems([row(1, LMP1, 1), row(2, LMP2, 2), row(3, GTE, 2)])
    assert set(problems) == {2, 3}
    assert "#3 has the finish order 2 too." in problems[2]
    assert "#2 has the finish order 2 too." in problems[3]


def test_a_classified_car_behind_an_unclassified_one_is_a_problem_on_its_row():
    problems = grid_problems([row(1, LMP1, 1, status="retired"), row(2, LMP2, 2)])
    assert list(problems) == [2]
    assert "#1" in problems[2][0]


def test_a_complete_session_needs_every_finish_order_without_gaps():
    problems = grid_problems([row(1, LMP1, 1), row(2, LMP2), row(3, GTE, 5)])
    assert set(problems) == {2, 3}
    assert "only partial results" in problems[2][0]
    assert "from 1 to 3" in problems[3][0]


def test_a_finish_order_without_a_status_is_a_problem():
    problems = grid_problems([row(1, LMP1, 1), row(2, LMP2, 2, status="")])
    assert list(problems) == [2]


def test_a_partial_session_keeps_typed_class_positions_for_cars_without_finish_order():
    # Castellet 2011: #39 4th overall and 2nd in LMP2; the LMP2 winner's place overall unknown.
    rows = [
        row(16, LMP1, 1, class_position=1),
        row(39, LMP2, 4, class_position=2),
        row(42, LMP2, class_position=1),
        row(66, GTE, class_position=1),
    ]
    assert grid_problems(rows, partial=True) == {}
    positions = derive_positions(rows, partial=True)
    assert positions[39] == (4, 2, None)
    assert positions[42] == (None, 1, None)


def test_a_partial_session_shows_typed_class_positions_that_contradict_the_finish_order():
    rows = [
        row(36, LMP2, 2, class_position=2),
        row(39, LMP2, 4, class_position=1),
        row(42, LMP2, class_position=1),
    ]
    problems = grid_problems(rows, partial=True)
    assert set(problems) == {36, 39, 42}
    assert any("better class position" in message for message in problems[36])
    assert any("share class position 1" in message for message in problems[42])


def test_a_partial_session_may_leave_finish_orders_out_and_with_gaps():
    rows = [row(1, LMP1, 1, class_position=1), row(2, LMP2, 5, class_position=1), row(3, GTE)]
    assert grid_problems(rows, partial=True) == {}


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("6:00:24.815", timedelta(hours=6, seconds=24, milliseconds=815)),
        ("3:41,123", timedelta(minutes=3, seconds=41, milliseconds=123)),
        ("45.9", timedelta(seconds=45, milliseconds=900)),
        (" 1:02:03 ", timedelta(hours=1, minutes=2, seconds=3)),
    ],
)
def test_times_are_read_as_timing_screens_write_them(text, value):
    assert parse_duration(text) == value


@pytest.mark.parametrize("text", ["abc", "1:75.000", "1:61:00", "-3.1", "1000:00:00", "1.2.3"])
def test_bad_times_are_refused(text):
    with pytest.raises(ValueError):  # noqa: PT011 - the form turns it into its message
        parse_duration(text)


@pytest.mark.parametrize(
    ("text", "gap"),
    [
        ("+2 laps", (2, None)),
        ("1 lap", (1, None)),
        ("+3 Runden", (3, None)),
        ("+1:23.456", (None, timedelta(minutes=1, seconds=23, milliseconds=456))),
        ("12,5", (None, timedelta(seconds=12, milliseconds=500))),
    ],
)
def test_gaps_are_laps_or_a_time(text, gap):
    assert parse_gap(text) == gap


@pytest.mark.parametrize("text", ["+2 miles", "+0 laps", "lap", "+"])
def test_bad_gaps_are_refused(text):
    with pytest.raises(ValueError):  # noqa: PT011
        parse_gap(text)


def test_a_partial_session_keeps_a_typed_position_for_a_car_without_finish_order():
    # Estoril 2011 qualifying: the pole car is 1st, the rest of the order unknown.
    rows = [row(12, LMP1, position=1, class_position=1), row(39, LMP2, status="unknown")]
    assert grid_problems(rows, partial=True) == {}
    assert derive_positions(rows, partial=True)[12] == (1, 1, None)


def test_a_partial_session_shows_two_cars_with_one_position():
    rows = [row(12, LMP1, 1, class_position=1), row(13, LMP1, position=1)]
    problems = grid_problems(rows, partial=True)
    assert "#13 has the position 1 too." in problems[12]
