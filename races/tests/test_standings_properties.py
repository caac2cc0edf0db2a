"""Properties of the standings computation on generated seasons (hypothesis, no database)."""

from decimal import Decimal as D

from hypothesis import given, settings
from hypothesis import strategies as st

from races.standings import (
    AdjustmentRow,
    CarRow,
    ClassRow,
    CrewRow,
    ResultRow,
    RoundRow,
    Rules,
    Scale,
    SeasonData,
    compute,
)

CLASS = 7
CREW_SIZE = 3
halves = st.integers(min_value=0, max_value=50).map(lambda n: D(n) / 2)


@st.composite
def scales(draw):
    points = sorted(draw(st.lists(halves, min_size=1, max_size=6)), reverse=True)
    further = draw(st.sampled_from([D(0), D("0.5"), D(1)]))
    return Scale(tuple(points), min(further, points[-1]))


@st.composite
def seasons(draw, min_rounds=1):
    """Cars 0..n-1 race every round with the same crew; each round's finishing order, statuses
    and factor are drawn; some cars may lose points to a car adjustment."""
    n_cars = draw(st.integers(min_value=2, max_value=6))
    n_rounds = draw(st.integers(min_value=min_rounds, max_value=4))
    rules = Rules(
        scale=draw(scales()),
        pole_points=draw(st.sampled_from([D(0), D(1)])),
        team_standings=draw(st.sampled_from(["per_car", "all_cars", "best_car"])),
        best_n=draw(st.none() | st.integers(min_value=1, max_value=n_rounds)),
        manufacturers_best_n=draw(st.none() | st.just(2)),
    )
    teams = [draw(st.integers(min_value=1, max_value=3)) for _ in range(n_cars)]
    rounds, cars, races, poles, adjustments = [], [], {}, {}, []
    for number in range(1, n_rounds + 1):
        rounds.append(RoundRow(number, f"R{number}", draw(st.sampled_from([D(1), D(2), D("0.5")]))))
        order = draw(st.permutations(range(n_cars)))
        rows = []
        for place, car in enumerate(order, start=1):
            entry = number * 100 + car
            cars.append(
                CarRow(
                    entry,
                    number,
                    CLASS,
                    str(car),
                    teams[car],
                    f"Team {teams[car]}",
                    f"Maker {car % 2}",
                    tuple(
                        CrewRow(car * CREW_SIZE + i, f"Driver {car}-{i}", True)
                        for i in range(CREW_SIZE)
                    ),
                )
            )
            rows.append(ResultRow(entry, place, draw(st.booleans()) or place == 1))
        races[number] = tuple(rows)
        poles[number] = (ResultRow(number * 100 + draw(st.sampled_from(order)), 1, True),)
        if draw(st.booleans()):
            penalised = draw(st.sampled_from(order))
            adjustments.append(
                AdjustmentRow(number, D(-2), "Engine", entry_id=number * 100 + penalised)
            )
    return SeasonData(
        name="Generated",
        is_complete=True,
        rules=rules,
        classes=(ClassRow(CLASS, "LMP2", "LMP2"),),
        rounds=tuple(rounds),
        cars=tuple(cars),
        races=races,
        pole_sessions=poles,
        pole_awards={},
        adjustments=tuple(adjustments),
    )


def totals(standings):
    return {s.key: s.total for s in standings}


def relabel(data, mapping):
    """The same season with every car's entry id and number replaced through `mapping`."""

    def entry(old):
        return old // 100 * 100 + mapping[old % 100]

    def result(row):
        return ResultRow(entry(row.entry_id), row.class_position, row.classified, row.status)

    return SeasonData(
        **{
            **vars(data),
            "cars": tuple(
                CarRow(
                    entry(c.entry_id),
                    c.round_number,
                    c.class_id,
                    str(mapping[int(c.number)]),
                    c.team_id,
                    c.team_name,
                    c.manufacturer,
                    c.crew,
                )
                for c in data.cars
            ),
            "races": {n: tuple(map(result, rows)) for n, rows in data.races.items()},
            "pole_sessions": {n: tuple(map(result, r)) for n, r in data.pole_sessions.items()},
            "adjustments": tuple(
                AdjustmentRow(a.round_number, a.points, a.reason, entry(a.entry_id))
                for a in data.adjustments
            ),
        }
    )


@settings(max_examples=50, deadline=None)
@given(seasons())
def test_co_drivers_who_shared_every_race_have_equal_points(data):
    (standings,) = compute(data)
    by_car = {}
    for standing in standings.drivers:
        car = int(standing.key.split(":")[1]) // CREW_SIZE
        by_car.setdefault(car, set()).add(standing.total)
    assert all(len(points) == 1 for points in by_car.values())


@settings(max_examples=50, deadline=None)
@given(seasons(), st.randoms(use_true_random=False))
def test_relabelling_the_cars_changes_nothing(data, random):
    numbers = sorted({int(c.number) for c in data.cars})
    shuffled = numbers[:]
    random.shuffle(shuffled)
    (before,) = compute(data)
    (after,) = compute(relabel(data, dict(zip(numbers, [n + 50 for n in shuffled], strict=True))))
    assert totals(before.drivers) == totals(after.drivers)
    assert {s.key: s.position for s in before.drivers} == {s.key: s.position for s in after.drivers}
    if data.rules.team_standings != "per_car":
        assert totals(before.teams) == totals(after.teams)
    assert totals(before.manufacturers) == totals(after.manufacturers)


@settings(max_examples=50, deadline=None)
@given(seasons(), st.data())
def test_a_result_that_scores_nothing_changes_nothing(data, draw):
    """An unclassified car, or a car of another championship, anywhere in a round's order."""
    number = draw.draw(st.sampled_from([r.number for r in data.rounds]))
    rows = list(data.races[number])
    at = draw.draw(st.integers(min_value=0, max_value=len(rows)))
    registered = draw.draw(st.booleans())
    newcomer = CarRow(
        number * 100 + 99, number, CLASS, "99", 9, "Team 9", "Maker 9",
        (CrewRow(999, "Newcomer", True),), registered,
    )  # fmt: skip
    rows.insert(at, ResultRow(newcomer.entry_id, 0, classified=not registered))
    rows = [ResultRow(r.entry_id, i, r.classified) for i, r in enumerate(rows, start=1)]
    changed = SeasonData(
        **{**vars(data), "cars": (*data.cars, newcomer), "races": {**data.races, number: rows}}
    )
    (before,) = compute(data)
    (after,) = compute(changed)
    assert totals(after.drivers).items() >= totals(before.drivers).items()
    assert totals(after.drivers).get("driver:999", D(0)) == 0
    assert totals(after.teams).items() >= totals(before.teams).items()


@settings(max_examples=50, deadline=None)
@given(seasons())
def test_every_total_is_the_sum_of_its_round_cells(data):
    (standings,) = compute(data)
    for standing in standings.drivers + standings.teams + standings.manufacturers:
        assert standing.total == sum((c.points for c in standing.cells), D(0))
        assert standing.max_reachable >= standing.total
