"""Properties of the championship rules of docs/decisions/0014-championship-rules.md on
generated seasons (hypothesis, no database): who drove, a sub-class of its own, double-headers
and race factors."""

import dataclasses
from decimal import Decimal as D

from hypothesis import given, settings
from hypothesis import strategies as st

from races.standings import Race, ResultRow, RoundRow, SeasonData, compute
from races.tests.test_standings_properties import CLASS, seasons


def totals(standings):
    return {s.key: s.total for s in standings}


def replaced(data, **changes):
    return SeasonData(**{**vars(data), **changes})


@settings(max_examples=50, deadline=None)
@given(seasons(), st.data())
def test_a_driver_who_did_not_drive_loses_only_their_own_points_of_that_round(data, draw):
    data = replaced(data, rules=dataclasses.replace(data.rules, drove_required=True))
    car = draw.draw(st.sampled_from(data.cars))
    member = draw.draw(st.sampled_from(car.crew))
    crew = tuple(dataclasses.replace(m, drove=m is not member) for m in car.crew)
    cars = tuple(dataclasses.replace(c, crew=crew) if c is car else c for c in data.cars)
    (before,) = compute(data)
    (after,) = compute(replaced(data, cars=cars))
    key = f"driver:{member.driver_id}"
    assert totals(after.teams) == totals(before.teams)
    assert totals(after.manufacturers) == totals(before.manufacturers)
    others = {k: v for k, v in totals(before.drivers).items() if k != key}
    assert {k: v for k, v in totals(after.drivers).items() if k != key} == others
    (standing,) = [s for s in after.drivers if s.key == key]
    (cell,) = [c for c in standing.cells if c.round_number == car.round_number]
    assert cell.points == 0  # nor a penalty of the car: it goes to the drivers who score
    assert [p.kind for p in cell.parts] == ["did_not_drive"]


@settings(max_examples=50, deadline=None)
@given(seasons(), st.data())
def test_cars_of_a_sub_class_of_its_own_anywhere_in_the_order_change_nothing(data, draw):
    """Their places held in the parent class (positions counted the old way) take nothing."""
    races = {}
    for number, rows in data.races.items():
        rows = list(rows)
        for k in range(draw.draw(st.integers(min_value=0, max_value=3))):
            at = draw.draw(st.integers(min_value=0, max_value=len(rows)))
            holder = ResultRow(number * 100 + 90 + k, 0, True, holds_in=CLASS)
            rows.insert(at, holder)
        races[number] = tuple(
            dataclasses.replace(r, class_position=i) for i, r in enumerate(rows, 1)
        )
    (before,) = compute(data)
    (after,) = compute(replaced(data, races=races))
    assert totals(after.drivers) == totals(before.drivers)
    assert totals(after.teams) == totals(before.teams)


@settings(max_examples=50, deadline=None)
@given(seasons(min_rounds=2))
def test_a_double_header_scores_as_two_rounds_of_one_race(data):
    """Rounds 1 and 2 run as the two races of round 1 (same cars), at full points, no pole."""
    rules = dataclasses.replace(data.rules, pole_points=D(0), best_n=None)
    rounds = tuple(dataclasses.replace(r, factor=D(1)) for r in data.rounds)
    apart = replaced(data, rules=rules, rounds=rounds, adjustments=())
    second = tuple(dataclasses.replace(r, entry_id=r.entry_id - 100) for r in data.races[2])
    together = replaced(
        apart,
        rounds=(RoundRow(1, "R1", races=2), *rounds[2:]),
        cars=tuple(c for c in data.cars if c.round_number != 2),
        races={
            **{n: rows for n, rows in data.races.items() if n != 2},
            1: (Race(data.races[1], "Race 1"), Race(second, "Race 2")),
        },
    )
    (split,) = compute(apart)
    (joined,) = compute(together)
    assert totals(joined.drivers) == totals(split.drivers)
    if rules.team_standings != "best_car":
        assert totals(joined.teams) == totals(split.teams)


@settings(max_examples=50, deadline=None)
@given(seasons(), st.sampled_from([D(0), D("0.5"), D(2)]), st.data())
def test_a_race_factor_scales_the_position_points_of_that_race_only(data, factor, draw):
    rules = dataclasses.replace(data.rules, pole_points=D(0), best_n=None)
    data = replaced(data, rules=rules, adjustments=())
    number = draw.draw(st.sampled_from(sorted(data.races)))
    races = {**data.races, number: (Race(data.races[number], "Race", factor, "Shortened"),)}
    (before,) = compute(data)
    (after,) = compute(replaced(data, races=races))
    scored = {
        s.key: {c.round_number: c.scored for c in s.cells} for s in before.drivers + before.teams
    }
    for standing in after.drivers + after.teams:
        for cell in standing.cells:
            expected = scored[standing.key][cell.round_number]
            if cell.round_number == number:
                expected *= factor
            assert cell.scored == expected
