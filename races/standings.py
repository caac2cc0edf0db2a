"""Championship standings: results, rules and adjustments in, standings out.

`season_data(season)` reads every row a season's standings need, in a constant number of
queries, into plain frozen dataclasses; `compute(data, after_round=…)` is a pure function of
those rows, so tests and the benchmark call it without a database. What it returns is plain
dataclasses too (one `Standing` per contender, one `Cell` per round, one `Part` per reason), made
to be stored as they are.

The rules, as `compute` applies them (the why: docs/decisions/0005-standings-rules.md):
- Only a classified car scores (its official status). Its position is its class position among
  the championship's own registered cars: a car registered only for another championship, or a
  car not classified, placed ahead of it in the class does not count.
- Class position points from the class's scale (or the season's), then the further points for
  every further classified car; the class pole bonus to the pole car (an editor-set pole, else
  the best registered car of the class in the pole session the rules name).
- The round's factor multiplies the position points and the pole bonus (factor 0: the round does
  not count); adjustments are never multiplied and never dropped.
- An adjustment of a car goes to its team entry and to every scoring driver of its crew; an
  adjustment of a driver to that driver only.
- Drivers: every crew member scores the car's points, unless the rules require driving and the
  crew's "drove" is No. Teams: per car entry (team + number), all of a team's cars adding up, or
  its best car in each round. Manufacturers: the N best cars of each maker in each round.
- Best-N keeps the N best rounds' points (adjustments always count).
- Ties: countback (more best positions, then more second-best, …), then shared.
- Most reachable: the total plus the most each remaining counting round can give; a contender
  "can still win" when that reaches the leader's total (a tie countback could decide).
"""

from __future__ import annotations

import dataclasses
import itertools
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch, Q
from django.utils.translation import gettext as _

ZERO = Decimal(0)
TEAM_PER_CAR, TEAM_ALL_CARS, TEAM_BEST_CAR = "per_car", "all_cars", "best_car"


# --- rows in ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scale:
    points: tuple[Decimal, ...]  # 1st, 2nd, …
    further: Decimal = ZERO  # every further classified car

    def for_position(self, position):
        if position <= len(self.points):
            return self.points[position - 1]
        return self.further


@dataclass(frozen=True)
class Rules:
    scale: Scale
    class_scales: dict = field(default_factory=dict)  # class id -> Scale
    pole_points: Decimal = ZERO
    team_standings: str = TEAM_PER_CAR
    drove_required: bool = False
    best_n: int | None = None
    manufacturers_best_n: int | None = None

    def scale_for(self, class_id):
        return self.class_scales.get(class_id, self.scale)


@dataclass(frozen=True)
class RoundRow:
    number: int
    name: str
    factor: Decimal = Decimal(1)
    completed: bool = True


@dataclass(frozen=True)
class CrewRow:
    driver_id: int
    name: str
    drove: bool | None = None


@dataclass(frozen=True)
class CarRow:
    """A car of one round, in the championship class it scores in."""

    entry_id: int
    round_number: int
    class_id: int
    number: str
    team_id: int | None
    team_name: str
    manufacturer: str = ""
    crew: tuple[CrewRow, ...] = ()
    registered: bool = True


@dataclass(frozen=True)
class ResultRow:
    """A car's place in one session, within its championship class."""

    entry_id: int
    class_position: int | None
    classified: bool
    status: str = ""  # as shown, e.g. Retired
    code: str = ""  # the status as stored, e.g. retired


@dataclass(frozen=True)
class AdjustmentRow:
    round_number: int
    points: Decimal
    reason: str
    entry_id: int | None = None
    driver_id: int | None = None


@dataclass(frozen=True)
class ClassRow:
    id: int
    code: str
    name: str


@dataclass(frozen=True)
class SeasonData:
    name: str
    is_complete: bool
    rules: Rules
    classes: tuple[ClassRow, ...]
    rounds: tuple[RoundRow, ...]
    cars: tuple[CarRow, ...]  # registered or not: others take no points but may hold places
    races: dict  # round number -> tuple[ResultRow, ...]
    pole_sessions: dict  # round number -> tuple[ResultRow, ...]
    pole_awards: dict  # (round number, class id) -> entry id
    adjustments: tuple[AdjustmentRow, ...] = ()


# --- standings out ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Part:
    """One reason for a cell's points: kind is position, further, pole, factor, adjustment,
    not_classified, not_counted or dropped."""

    kind: str
    points: Decimal
    detail: str  # in the language active when computed
    value: str = ""  # what the detail says, as data: a position, status, factor, best-N, reason
    car: str = ""  # the car, when a contender scores with several ("#39")


@dataclass(frozen=True)
class Cell:
    round_number: int
    points: Decimal  # what counts toward the total
    scored: Decimal  # before best-N dropped it (adjustments excluded)
    adjustment: Decimal
    dropped: bool
    positions: tuple[int, ...]  # championship class positions that scored (for countback)
    parts: tuple[Part, ...]


@dataclass(frozen=True)
class Standing:
    kind: str  # driver, team, manufacturer
    key: str  # stable across rounds: driver:12, team:5, car:5:39, manufacturer:Lola
    name: str
    cells: tuple[Cell, ...]
    total: Decimal
    position: int
    countback: tuple[int, ...]
    max_reachable: Decimal
    can_still_win: bool


@dataclass(frozen=True)
class ClassStandings:
    class_id: int
    code: str
    name: str
    after_round: int
    remaining_rounds: tuple[int, ...]
    drivers: tuple[Standing, ...]
    teams: tuple[Standing, ...]
    manufacturers: tuple[Standing, ...]


def as_dict(obj):
    """Standings (or any of their parts) as plain dicts and lists, for storage."""
    return dataclasses.asdict(obj)


# --- rules checks -----------------------------------------------------------------------------


def scale_errors(rows, further_points):
    """Messages for a scale whose (position, points) rows have a gap or rise with the position,
    or whose further points are above the last position's."""
    errors = []
    rows = sorted(rows)
    positions = [position for position, _points in rows]
    if positions != list(range(1, len(rows) + 1)):
        errors.append(_("Positions must run 1, 2, 3… without a gap."))
    for (position, points), (behind, behind_points) in itertools.pairwise(rows):
        if behind_points > points:
            errors.append(
                _("Position %(behind)d scores more than position %(position)d.")
                % {"behind": behind, "position": position}
            )
    if rows and further_points is not None and further_points > rows[-1][1]:
        errors.append(_("Every further car would score more than the last position."))
    return errors


# --- the computation --------------------------------------------------------------------------


def ordinal(n):
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def championship_positions(results, registered):
    """Entry id -> class position among the championship's cars, for classified registered cars
    with a class position: a car ahead that is not registered or not classified takes no place.
    `results` are the rows of one session and one class."""
    placed = sorted(
        (r for r in results if r.class_position is not None), key=lambda r: r.class_position
    )
    positions, skipped = {}, 0
    for row in placed:
        if row.classified and row.entry_id in registered:
            positions[row.entry_id] = row.class_position - skipped
        else:
            skipped += 1
    return positions


@dataclass
class CarRound:
    """What one car scored in one round."""

    car: CarRow
    points: Decimal = ZERO
    position: int | None = None
    parts: list = field(default_factory=list)
    adjustment: Decimal = ZERO
    adjustment_parts: list = field(default_factory=list)


def score_cars(data, round_, class_id, cars):
    """CarRound for every registered car of one class in one round."""
    registered = {car.entry_id for car in cars if car.registered}
    class_entries = {car.entry_id for car in cars}
    race = [r for r in data.races.get(round_.number, ()) if r.entry_id in class_entries]
    positions = championship_positions(race, registered)
    pole_entry = data.pole_awards.get((round_.number, class_id))
    if pole_entry is None:
        qualifying = [
            r for r in data.pole_sessions.get(round_.number, ()) if r.entry_id in class_entries
        ]
        pole_entry = next(
            (e for e, p in championship_positions(qualifying, registered).items() if p == 1), None
        )
    scale = data.rules.scale_for(class_id)
    race_by_entry = {r.entry_id: r for r in race}
    scored = {}
    for car in cars:
        if not car.registered:
            continue
        result = CarRound(car)
        position = positions.get(car.entry_id)
        base = ZERO
        if position is not None:
            base = scale.for_position(position)
            kind = "position" if position <= len(scale.points) else "further"
            result.parts.append(
                Part(kind, base, _("%s in class") % ordinal(position), str(position))
            )
            result.position = position
        elif car.entry_id in race_by_entry:
            row = race_by_entry[car.entry_id]
            if row.code == "unknown" or not (row.code or row.status):
                why = _("outcome unknown")  # a source said only "no points"
            elif row.classified:
                why = _("class position unknown")
            elif row.code == "not_classified":
                why = _("not classified")
            else:
                why = _("not classified (%s)") % row.status.lower()
            result.parts.append(Part("not_classified", ZERO, why, row.code))
        if car.entry_id == pole_entry and data.rules.pole_points:
            base += data.rules.pole_points
            result.parts.append(Part("pole", data.rules.pole_points, _("class pole")))
        if round_.factor == 0:
            if result.parts:
                result.parts.append(Part("not_counted", -base, _("round does not count")))
            base = ZERO
        elif round_.factor != 1 and base:
            extra = base * round_.factor - base
            base += extra
            factor = str(round_.factor.normalize())
            result.parts.append(Part("factor", extra, _("× %s") % factor, factor))
        result.points = base
        if result.parts:
            scored[car.entry_id] = result
    by_entry = {car.entry_id: car for car in cars}
    for adjustment in data.adjustments:
        if adjustment.round_number == round_.number and adjustment.entry_id in registered:
            result = scored.setdefault(adjustment.entry_id, CarRound(by_entry[adjustment.entry_id]))
            result.adjustment += adjustment.points
            result.adjustment_parts.append(
                Part("adjustment", adjustment.points, adjustment.reason, adjustment.reason)
            )
    return scored


@dataclass
class Tally:
    """A contender's rounds while they are being added up: round number -> RoundTally."""

    kind: str
    key: str
    name: str
    rounds: dict = field(default_factory=dict)
    cars_per_round: int = 1

    def add(self, round_number, points=ZERO, adjustment=ZERO, positions=(), parts=()):
        entry = self.rounds.setdefault(round_number, RoundTally())
        entry.points += points
        entry.adjustment += adjustment
        entry.positions.extend(positions)
        entry.parts.extend(parts)


@dataclass
class RoundTally:
    points: Decimal = ZERO
    adjustment: Decimal = ZERO
    positions: list = field(default_factory=list)
    parts: list = field(default_factory=list)


def compute(data, after_round=None, class_code=None):
    """ClassStandings for every class of the season (or the one named), after `after_round`
    (default: the last completed round)."""
    if after_round is None:
        after_round = max((r.number for r in data.rounds if r.completed), default=0)
    counted = [r for r in data.rounds if r.number <= after_round]
    remaining = [r for r in data.rounds if r.number > after_round]
    cars_by_round_class = defaultdict(list)
    for car in data.cars:
        cars_by_round_class[car.round_number, car.class_id].append(car)
    return [
        class_standings(data, season_class, counted, remaining, cars_by_round_class, after_round)
        for season_class in data.classes
        if class_code is None or season_class.code == class_code
    ]


def class_standings(data, season_class, counted, remaining, cars_by_round_class, after_round):
    rules = data.rules
    drivers, teams, makers = {}, {}, {}
    for round_ in counted:
        cars = cars_by_round_class.get((round_.number, season_class.id), [])
        scored = score_cars(data, round_, season_class.id, cars)
        add_drivers(drivers, data, round_, cars, scored)
        by_team, by_maker = defaultdict(list), defaultdict(list)
        names = {}
        for car_round in scored.values():
            key, names[key] = team_of(car_round.car, rules.team_standings)
            by_team[key].append(car_round)
            if car_round.car.manufacturer:
                by_maker[car_round.car.manufacturer].append(car_round)
        for key, car_rounds in by_team.items():
            tally = teams.setdefault(key, Tally("team", key, names[key]))
            tally.cars_per_round = max(tally.cars_per_round, len(car_rounds))
            counting = car_rounds
            if rules.team_standings == TEAM_BEST_CAR:
                counting = [max(car_rounds, key=lambda c: (c.points, -(c.position or 10**6)))]
            tally.add(
                round_.number,
                sum((c.points for c in counting), ZERO),
                sum((c.adjustment for c in car_rounds), ZERO),
                [c.position for c in counting if c.position],
                [p for c in counting for p in labelled(c, len(car_rounds) > 1)]
                + [p for c in car_rounds for p in c.adjustment_parts],
            )
        if rules.manufacturers_best_n:
            for maker, car_rounds in by_maker.items():
                key = f"manufacturer:{maker}"
                tally = makers.setdefault(key, Tally("manufacturer", key, maker))
                best = sorted(car_rounds, key=lambda c: (-c.points, c.position or 10**6))
                counting = best[: rules.manufacturers_best_n]
                tally.add(
                    round_.number,
                    sum((c.points for c in counting), ZERO),
                    positions=[c.position for c in counting if c.position],
                    parts=[p for c in counting for p in labelled(c, len(counting) > 1)],
                )
    scale = rules.scale_for(season_class.id)
    all_cars = rules.team_standings == TEAM_ALL_CARS
    return ClassStandings(
        class_id=season_class.id,
        code=season_class.code,
        name=season_class.name,
        after_round=after_round,
        remaining_rounds=tuple(r.number for r in remaining),
        drivers=rank(drivers.values(), rules, scale, remaining, lambda t: 1),
        teams=rank(
            teams.values(), rules, scale, remaining, lambda t: t.cars_per_round if all_cars else 1
        ),
        manufacturers=rank(
            makers.values(), rules, scale, remaining, lambda t: rules.manufacturers_best_n
        ),
    )


def add_drivers(drivers, data, round_, cars, scored):
    """Each crew member's points of the round: their car's (the better car's, for a driver in
    two), and their own adjustments."""
    best = {}
    for car_round in scored.values():
        for member in car_round.car.crew:
            if data.rules.drove_required and member.drove is False:
                continue
            held = best.get(member.driver_id)
            if held is None or car_round.points > held[1].points:
                best[member.driver_id] = (member, car_round)
    for driver_id, (member, car_round) in best.items():
        key = f"driver:{driver_id}"
        tally = drivers.setdefault(key, Tally("driver", key, member.name))
        tally.add(
            round_.number,
            car_round.points,
            car_round.adjustment,
            [car_round.position] if car_round.position else [],
            car_round.parts + car_round.adjustment_parts,
        )
    crew = {m.driver_id: m for car in cars if car.registered for m in car.crew}
    for adjustment in data.adjustments:
        if adjustment.round_number != round_.number or adjustment.driver_id not in crew:
            continue
        member = crew[adjustment.driver_id]
        key = f"driver:{member.driver_id}"
        tally = drivers.setdefault(key, Tally("driver", key, member.name))
        tally.add(
            round_.number,
            adjustment=adjustment.points,
            parts=[Part("adjustment", adjustment.points, adjustment.reason, adjustment.reason)],
        )


def team_of(car, mode):
    """The key and name of the team standing a car scores for. A car without a team is known by
    its number across the season; without a number either, it stands alone."""
    number = f"#{car.number}" if car.number else ""
    if car.team_id is None:
        if not number:
            return f"car:entry-{car.entry_id}", _("car without number")
        return f"car::{car.number}", number
    if mode == TEAM_PER_CAR:
        return f"car:{car.team_id}:{car.number}", f"{car.team_name} {number}".strip()
    return f"team:{car.team_id}", car.team_name


def labelled(car_round, several):
    """The car's parts, named by the car when a contender scores with several."""
    if not several:
        return car_round.parts
    label = f"#{car_round.car.number}" if car_round.car.number else _("a car")
    return [
        dataclasses.replace(p, detail=f"{label}: {p.detail}", car=label) for p in car_round.parts
    ]


def rank(tallies, rules, scale, remaining, cars_for):
    """Standings of one kind in one class, best first."""
    tallies = list(tallies)
    depth = max((p for t in tallies for r in t.rounds.values() for p in r.positions), default=0)
    built = []
    for tally in tallies:
        cells = build_cells(tally, rules)
        countback = [0] * depth
        for cell in cells:
            for position in cell.positions:
                countback[position - 1] += 1
        total = sum((c.points for c in cells), ZERO)
        most = most_reachable(cells, rules, scale, remaining, cars_for(tally))
        built.append((total, tuple(countback), tally, cells, most))
    built.sort(key=lambda b: (-b[0], tuple(-n for n in b[1]), b[2].name, b[2].key))
    leader_total = built[0][0] if built else ZERO
    standings, previous = [], None
    for index, (total, countback, tally, cells, most) in enumerate(built):
        tied = previous is not None and (total, countback) == previous[1:]
        position = previous[0] if tied else index + 1
        previous = (position, total, countback)
        standings.append(
            Standing(
                kind=tally.kind,
                key=tally.key,
                name=tally.name,
                cells=cells,
                total=total,
                position=position,
                countback=countback,
                max_reachable=most,
                can_still_win=position == 1 or (bool(remaining) and most >= leader_total),
            )
        )
    return tuple(standings)


def build_cells(tally, rules):
    """One Cell per round, with best-N applied (adjustments are never dropped)."""
    numbers = sorted(tally.rounds)
    kept = set(numbers)
    if rules.best_n is not None and len(numbers) > rules.best_n:
        kept = set(sorted(numbers, key=lambda n: (-tally.rounds[n].points, n))[: rules.best_n])
    cells = []
    for number in numbers:
        row = tally.rounds[number]
        dropped = number not in kept
        parts = list(row.parts)
        if dropped and row.points:
            parts.append(
                Part(
                    "dropped",
                    -row.points,
                    _("dropped (best %d count)") % rules.best_n,
                    str(rules.best_n),
                )
            )
        cells.append(
            Cell(
                round_number=number,
                points=(ZERO if dropped else row.points) + row.adjustment,
                scored=row.points,
                adjustment=row.adjustment,
                dropped=dropped,
                positions=tuple(row.positions),
                parts=tuple(parts),
            )
        )
    return tuple(cells)


def most_reachable(cells, rules, scale, remaining, cars):
    """The total a contender reaches by taking the most of every remaining round."""
    per_round = (
        sum((scale.for_position(p) for p in range(1, (cars or 1) + 1)), ZERO) + rules.pole_points
    )
    scores = [c.scored for c in cells] + [per_round * r.factor for r in remaining if r.factor]
    scores.sort(reverse=True)
    if rules.best_n is not None:
        scores = scores[: rules.best_n]
    return sum(scores, ZERO) + sum((c.adjustment for c in cells), ZERO)


# --- reading a season -------------------------------------------------------------------------


class NoRules(Exception):
    """The season has no championship rules."""


def season_data(season):
    """Every row `compute` needs for `season`, in a constant number of queries (nine)."""
    from races.models import (
        Adjustment,
        ChampionshipRules,
        Crew,
        Entry,
        PointsScale,
        PoleAward,
        Registration,
        Result,
        ResultStatus,
        Round,
        SeasonClass,
        SessionKind,
    )

    rules_row = (
        ChampionshipRules.objects.filter(season=season)
        .prefetch_related(
            "class_scales", Prefetch("pole_awards", PoleAward.objects.select_related("round"))
        )
        .first()
    )
    if rules_row is None:
        raise NoRules(_("%(season)s has no championship rules.") % {"season": season})
    scales = {
        scale.pk: Scale(tuple(row.points for row in scale.points.all()), scale.further_points)
        for scale in PointsScale.objects.filter(
            Q(rules=rules_row) | Q(class_scales__rules=rules_row)
        )
        .distinct()
        .prefetch_related("points")
    }
    rules = Rules(
        scale=scales[rules_row.scale_id],
        class_scales={c.car_class_id: scales[c.scale_id] for c in rules_row.class_scales.all()},
        pole_points=rules_row.pole_points,
        team_standings=rules_row.team_standings,
        drove_required=rules_row.drove_required,
        best_n=rules_row.best_n,
        manufacturers_best_n=rules_row.manufacturers_best_n,
    )
    classes = tuple(
        ClassRow(sc.car_class_id, sc.car_class.code, sc.car_class.name)
        for sc in SeasonClass.objects.filter(season=season).select_related("car_class")
    )
    class_ids = {c.id for c in classes}
    rounds = list(Round.objects.filter(season=season).select_related("event").order_by("number"))
    round_of_event = {r.event_id: r.number for r in rounds}
    registered = set(Registration.objects.filter(season=season).values_list("entry_id", flat=True))
    crews = defaultdict(list)
    for entry_id, driver_id, name, drove in (
        Crew.objects.filter(entry__registrations__season=season)
        .order_by("entry_id", "order")
        .values_list("entry_id", "driver_id", "driver__full_name", "drove")
    ):
        crews[entry_id].append(CrewRow(driver_id, name, drove))
    cars, parent_class = {}, set()
    entries = Entry.objects.filter(event__rounds__season=season).values_list(
        "pk", "event_id", "number", "team_id", "team__name", "manufacturer", "car_class_id",
        "car_class__parent_id",
    )  # fmt: skip
    for entry_id, event_id, number, team_id, team_name, maker, class_id, parent_id in entries:
        if class_id not in class_ids:
            if parent_id not in class_ids:
                continue
            class_id = parent_id
            parent_class.add(entry_id)
        cars[entry_id] = CarRow(
            entry_id, round_of_event[event_id], class_id, number, team_id, team_name or "", maker,
            tuple(crews.get(entry_id, ())), entry_id in registered,
        )  # fmt: skip
    results = Result.objects.filter(session__event__rounds__season=season).values_list(
        "entry_id", "class_position", "parent_class_position", "status", "session_id",
        "session__kind", "session__name", "session__order",
    )  # fmt: skip
    sessions = defaultdict(list)
    for entry_id, position, parent_position, status, session_id, kind, name, order in results:
        if entry_id not in cars:
            continue
        sessions[cars[entry_id].round_number, session_id, kind, name, order].append(
            ResultRow(
                entry_id,
                parent_position if entry_id in parent_class else position,
                status == ResultStatus.CLASSIFIED,
                _("outcome unknown")
                if status == ResultStatus.UNKNOWN
                else str(ResultStatus(status).label).lower(),
                status,
            )
        )
    races, pole_sessions = {}, {}
    for (number, _id, kind, name, _order), rows in sorted(sessions.items(), key=lambda i: i[0][4]):
        if kind == SessionKind.RACE:
            races.setdefault(number, tuple(rows))
        elif kind == rules_row.pole_session_kind and (
            not rules_row.pole_session_name or name == rules_row.pole_session_name
        ):
            pole_sessions.setdefault(number, tuple(rows))
    pole_awards = {
        (award.round.number, award.car_class_id): award.entry_id
        for award in rules_row.pole_awards.all()
    }
    adjustments = []
    for number, entry_id, driver_id, points, reason in Adjustment.objects.filter(
        round__season=season
    ).values_list("round__number", "entry_id", "driver_id", "points", "reason"):
        adjustments.append(AdjustmentRow(number, points, reason, entry_id, driver_id))
    return SeasonData(
        name=season.name,
        is_complete=season.is_complete,
        rules=rules,
        classes=classes,
        rounds=tuple(
            RoundRow(r.number, r.event.name, r.points_factor, r.event.status == "completed")
            for r in rounds
        ),
        cars=tuple(cars.values()),
        races=races,
        pole_sessions=pole_sessions,
        pole_awards=pole_awards,
        adjustments=tuple(adjustments),
    )
