"""Every standings rule on a small hand-computed season, without a database.

Class LMP2, scale 10-6-4 then 1 for every further classified car, +1 class pole. Cars: #1 T1
(Ana, Abe), #2 T1 (Ben, Bo), #3 T2 (Cy), #4 T2 (Dee); #9 T3 (Xi) is registered for another
championship only.

| round (factor) | #1             | #2                     | #3                 | #4         |
|---|---|---|---|---|
| 1 (×1)         | 1st: 10        | 3rd→2nd + pole: 7      | 4th→3rd: 4         | retired: 0 |
| 2 (×2)         | 2nd: 12        | 1st: 20; Ben −1        | NC, editor pole: 2 | 3rd: 8     |
| 3 (×0.5)       | 1st: 5; car −2 | 4th: further 1 → 0.5   | 2nd: 3             | 3rd: 2     |

#9 was 2nd in round 1 and fastest in its qualifying: it takes neither a place nor the pole.
"""

from decimal import Decimal as D

import pytest

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
    as_dict,
    championship_positions,
    compute,
    scale_errors,
)

LMP2 = 1
SCALE = Scale((D(10), D(6), D(4)), D(1))
PEOPLE = {"Ana": 1, "Abe": 2, "Ben": 3, "Bo": 4, "Cy": 5, "Dee": 6, "Xi": 7}
CARS = {  # number: team id, team name, crew, manufacturer
    "1": (1, "T1", ["Ana", "Abe"], "Lola"),
    "2": (1, "T1", ["Ben", "Bo"], "Lola"),
    "3": (2, "T2", ["Cy"], "Oreca"),
    "4": (2, "T2", ["Dee"], "Lola"),
    "9": (3, "T3", ["Xi"], "Lola"),
}


def entry_id(round_number, number):
    return round_number * 100 + int(number)


def make_car(round_number, number, registered=True, drove=None):
    team_id, team_name, crew, maker = CARS[number]
    return CarRow(
        entry_id=entry_id(round_number, number),
        round_number=round_number,
        class_id=LMP2,
        number=number,
        team_id=team_id,
        team_name=team_name,
        manufacturer=maker,
        crew=tuple(CrewRow(PEOPLE[n], n, drove.get(n) if drove else None) for n in crew),
        registered=registered,
    )


def result(round_number, number, class_position, status="classified"):
    return ResultRow(
        entry_id(round_number, number),
        class_position,
        status == "classified",
        status,
        number=number,
    )


def hand_season(**rules):
    rules = Rules(scale=SCALE, pole_points=D(1), **rules)
    cars = [make_car(r, n) for r in (1, 2, 3) for n in "1234"] + [make_car(1, "9", False)]
    races = {
        1: (
            result(1, "1", 1),
            result(1, "9", 2),
            result(1, "2", 3),
            result(1, "3", 4),
            result(1, "4", 5, "retired"),
        ),
        2: (result(2, "2", 1), result(2, "1", 2), result(2, "4", 3), result(2, "3", None, "nc")),
        3: (result(3, "1", 1), result(3, "3", 2), result(3, "4", 3), result(3, "2", 4)),
    }
    return SeasonData(
        name="Test season",
        is_complete=True,
        rules=rules,
        classes=(ClassRow(LMP2, "LMP2", "LMP2"),),
        rounds=(RoundRow(1, "R1"), RoundRow(2, "R2", D(2)), RoundRow(3, "R3", D("0.5"))),
        cars=tuple(cars),
        races=races,
        pole_sessions={1: (result(1, "9", 1), result(1, "2", 2), result(1, "1", 3))},
        pole_awards={(2, LMP2): entry_id(2, "3")},
        adjustments=(
            AdjustmentRow(3, D(-2), "Early engine change", entry_id=entry_id(3, "1")),
            AdjustmentRow(2, D(-1), "Unsporting behaviour", driver_id=PEOPLE["Ben"]),
        ),
    )


def table(standings):
    return {s.name: (s.position, s.total) for s in standings}


def cells(standing):
    return {c.round_number: c.points for c in standing.cells}


def test_drivers_score_their_cars_points_with_positions_poles_factors_and_adjustments():
    (lmp2,) = compute(hand_season())
    assert table(lmp2.drivers) == {
        "Bo": (1, D("27.5")),
        "Ben": (2, D("26.5")),
        "Abe": (3, D(25)),
        "Ana": (3, D(25)),
        "Dee": (5, D(10)),
        "Cy": (6, D(9)),
    }
    ana = next(s for s in lmp2.drivers if s.name == "Ana")
    assert cells(ana) == {1: D(10), 2: D(12), 3: D(3)}
    assert [p.kind for p in ana.cells[2].parts] == ["position", "factor", "adjustment"]


def test_a_car_of_another_championship_neither_scores_nor_takes_a_position():
    (lmp2,) = compute(hand_season())
    assert "Xi" not in table(lmp2.drivers)
    bo = next(s for s in lmp2.drivers if s.name == "Bo")
    assert bo.cells[0].positions == (2,)
    assert bo.cells[0].parts[0].detail == "2nd in class"


def test_the_pole_comes_from_qualifying_among_the_championships_cars_or_from_the_editor():
    (lmp2,) = compute(hand_season())
    bo = next(s for s in lmp2.drivers if s.name == "Bo")
    assert [(p.kind, p.points, p.value) for p in bo.cells[0].parts] == [
        ("position", D(6), "2"),
        ("ahead_not_eligible", D(0), "#9"),  # why 3rd on the road scores as 2nd
        ("pole", D(1), ""),
    ]
    cy = next(s for s in lmp2.drivers if s.name == "Cy")
    assert [(p.kind, p.points) for p in cy.cells[1].parts] == [
        ("not_classified", D(0)),
        ("pole", D(1)),
        ("factor", D(1)),
    ]


def test_only_classified_cars_score_and_a_further_car_scores_the_further_points():
    (lmp2,) = compute(hand_season())
    dee = next(s for s in lmp2.drivers if s.name == "Dee")
    assert dee.cells[0].points == 0
    assert dee.cells[0].parts[0].detail == "not classified (retired)"
    bo = next(s for s in lmp2.drivers if s.name == "Bo")
    assert bo.cells[2].parts[0].kind == "further"
    assert bo.cells[2].points == D("0.5")


def test_a_round_with_factor_zero_does_not_count():
    data = hand_season()
    data = SeasonData(**{**vars(data), "rounds": (RoundRow(1, "R1", D(0)), *data.rounds[1:])})
    (lmp2,) = compute(data)
    assert all(s.cells[0].points == 0 for s in lmp2.drivers if s.cells[0].round_number == 1)
    assert table(lmp2.drivers)["Ana"] == (3, D(15))


def test_team_standings_per_car_entry():
    (lmp2,) = compute(hand_season())
    assert table(lmp2.teams) == {
        "T1 #2": (1, D("27.5")),
        "T1 #1": (2, D(25)),
        "T2 #4": (3, D(10)),
        "T2 #3": (4, D(9)),
    }


def test_team_standings_with_all_cars_adding_up():
    (lmp2,) = compute(hand_season(team_standings="all_cars"))
    assert table(lmp2.teams) == {"T1": (1, D("52.5")), "T2": (2, D(19))}


def test_team_standings_with_the_best_car_of_each_round():
    (lmp2,) = compute(hand_season(team_standings="best_car"))
    assert table(lmp2.teams) == {"T1": (1, D(33)), "T2": (2, D(15))}


def test_a_crew_member_who_did_not_drive_scores_only_if_the_rules_allow():
    data = hand_season(drove_required=True)
    cars = [
        make_car(c.round_number, c.number, c.registered, drove={"Abe": False})
        if c.number == "1"
        else c
        for c in data.cars
    ]
    (lmp2,) = compute(SeasonData(**{**vars(data), "cars": tuple(cars)}))
    abe = next(s for s in lmp2.drivers if s.name == "Abe")
    assert abe.total == 0
    assert [[(p.kind, p.value) for p in c.parts] for c in abe.cells] == [
        [("did_not_drive", "#1")]
    ] * 3
    assert table(lmp2.drivers)["Ana"] == (3, D(25))  # the car, and its other driver, score
    assert table(lmp2.teams)["T1 #1"] == (2, D(25))
    (lmp2,) = compute(SeasonData(**{**vars(data), "cars": tuple(cars), "rules": Rules(SCALE)}))
    assert "Abe" in table(lmp2.drivers)


def test_best_n_drops_the_worst_rounds_but_never_an_adjustment():
    (lmp2,) = compute(hand_season(best_n=2))
    ana = next(s for s in lmp2.drivers if s.name == "Ana")
    assert [c.dropped for c in ana.cells] == [False, False, True]
    assert cells(ana) == {1: D(10), 2: D(12), 3: D(-2)}
    assert ana.total == D(20)
    assert ana.cells[2].parts[-1].kind == "dropped"


def test_manufacturers_count_the_best_cars_of_each_round():
    (lmp2,) = compute(hand_season(manufacturers_best_n=2))
    # Lola: R1 10 + 7, R2 20 + 12, R3 5 + 2 (the car adjustment is not the maker's); Oreca: #3.
    assert table(lmp2.manufacturers) == {"Lola": (1, D(56)), "Oreca": (2, D(9))}


def test_a_class_scale_replaces_the_seasons_scale_for_its_class():
    (lmp2,) = compute(hand_season(class_scales={LMP2: Scale((D(25), D(18)), D("0.5"))}))
    ana = next(s for s in lmp2.drivers if s.name == "Ana")
    assert ana.cells[0].points == D(25)


def test_ties_go_to_countback_then_are_shared():
    (lmp2,) = compute(hand_season())
    # Ana and Abe shared a car: the same points and the same countback, so the same position.
    abe, ana = (s for s in lmp2.drivers if s.name in ("Ana", "Abe"))
    assert (abe.position, ana.position) == (3, 3)
    assert abe.countback == ana.countback == (2, 1, 0, 0)  # wins, seconds, thirds, fourths
    data = SeasonData(
        **{
            **vars(hand_season()),
            "rounds": (RoundRow(1, "R1"), RoundRow(2, "R2"), RoundRow(3, "R3")),
            "adjustments": (),
            "pole_awards": {},
            "pole_sessions": {},
        }
    )
    (lmp2,) = compute(data, after_round=2)
    # Bo: 2nd + 1st = 16; Ana: 1st + 2nd = 16; same countback (1 win, 1 second) -> shared.
    assert table(lmp2.drivers)["Bo"] == table(lmp2.drivers)["Ana"] == (1, D(16))
    bonus = AdjustmentRow(3, D(2), "Points reinstated", driver_id=PEOPLE["Dee"])
    (lmp2,) = compute(SeasonData(**{**vars(data), "adjustments": (bonus,)}), after_round=3)
    # Cy: 3rd, NC, 2nd = 10; Dee: retired, 3rd, 3rd + 2 = 10. Cy has a second place, Dee none:
    # countback puts Cy ahead.
    ranks = table(lmp2.drivers)
    assert ranks["Cy"][1] == ranks["Dee"][1] == D(10)
    assert ranks["Cy"][0] < ranks["Dee"][0]


def test_the_most_reachable_and_who_can_still_win_a_tie_included():
    (lmp2,) = compute(hand_season(), after_round=1)
    assert lmp2.remaining_rounds == (2, 3)
    # Each remaining round gives at most (10 + 1 pole) × factor: 22 + 5.5.
    ranks = {s.name: s for s in lmp2.drivers}
    assert ranks["Ana"].total == 10
    assert ranks["Ana"].max_reachable == D("37.5")
    assert ranks["Dee"].max_reachable == D("27.5")
    assert all(s.can_still_win for s in lmp2.drivers)
    data = hand_season()
    data = SeasonData(**{**vars(data), "rounds": (*data.rounds[:2], RoundRow(3, "R3", D("0.4")))})
    (lmp2,) = compute(data, after_round=2)
    ranks = {s.name: s for s in lmp2.drivers}
    # Bo leads with 27; Ana 22 can reach 22 + 4.4 = 26.4: out. Dee 8 cannot.
    assert ranks["Bo"].can_still_win
    assert not ranks["Ana"].can_still_win
    # Leader 27: a contender reaching exactly 27 can still win (countback could decide).
    data = SeasonData(**{**vars(data), "rounds": (*data.rounds[:2], RoundRow(3, "R3", D("0.5")))})
    (lmp2,) = compute(data, after_round=2)
    ranks = {s.name: s for s in lmp2.drivers}
    assert ranks["Bo"].total == D(27)
    assert ranks["Ana"].max_reachable == D("27.5")
    assert ranks["Ana"].can_still_win


def test_a_round_still_to_run_counts_each_of_its_races():
    """After round 2 Bo leads with 27 and Ana has 22; round 3 counts ×0.4."""

    def after_two(races):
        data = hand_season()
        last = RoundRow(3, "R3", D("0.4"), completed=False, races=races)
        (lmp2,) = compute(SeasonData(**{**vars(data), "rounds": (*data.rounds[:2], last)}), 2)
        return {s.name: s for s in lmp2.drivers}

    # One race: 22 + (10 + 1) × 0.4 = 26.4, out. Two: 22 + (2 × 10 + 1) × 0.4 = 30.4, in.
    assert (after_two(1)["Ana"].max_reachable, after_two(1)["Ana"].can_still_win) == (
        D("26.4"),
        False,
    )
    assert (after_two(2)["Ana"].max_reachable, after_two(2)["Ana"].can_still_win) == (
        D("30.4"),
        True,
    )
    # Races not known (no race on record): nothing bounds the round, every contender is in.
    unknown = after_two(None)
    assert all(s.can_still_win and s.max_reachable is None for s in unknown.values())
    # A cancelled round runs no race and gives no pole: only the leader can still win.
    cancelled = after_two(0)
    assert [name for name, s in cancelled.items() if s.can_still_win] == ["Bo"]
    assert cancelled["Ana"].max_reachable == D(22)


def test_after_the_last_round_only_the_leader_can_still_win():
    (lmp2,) = compute(hand_season())
    assert [s.name for s in lmp2.drivers if s.can_still_win] == ["Bo"]


def test_standings_are_plain_data_to_store():
    (lmp2,) = compute(hand_season())
    stored = as_dict(lmp2)
    assert stored["drivers"][0]["key"] == "driver:4"
    assert stored["drivers"][0]["cells"][0]["parts"][0]["kind"] == "position"


def test_championship_positions_skip_cars_of_other_championships_and_unclassified_cars():
    rows = [
        ResultRow(1, 1, True),
        ResultRow(2, 2, True),  # other championship
        ResultRow(3, 3, False),  # not classified, ranked before a classified car
        ResultRow(4, 4, True),
        ResultRow(5, None, True),  # position not on record
    ]
    assert championship_positions(rows, registered={1, 3, 4, 5}) == {1: 1, 4: 2}


@pytest.mark.parametrize(
    ("rows", "further", "errors"),
    [
        ([(1, D(15)), (2, D(13))], D(1), []),
        ([(1, D(15)), (3, D(13))], D(1), ["Positions must run 1, 2, 3… without a gap."]),
        ([(1, D(13)), (2, D(15))], D(1), ["Position 2 scores more than position 1."]),
        ([(1, D(2))], D(3), ["Every further car would score more than the last position."]),
    ],
)
def test_a_scale_whose_points_rise_or_skip_a_position_is_an_error(rows, further, errors):
    assert scale_errors(rows, further) == errors
