"""Championship standings: results, rules and adjustments in, standings out.

`season_data(season)` reads every row a season's standings need, in a constant number of
queries, into plain frozen dataclasses; `compute(data, after_round=…)` is a pure function of
those rows, so tests and the benchmark call it without a database. What it returns is plain
dataclasses too (one `Standing` per contender, one `Cell` per round, one `Part` per reason), made
to be stored as they are.

The rules, as `compute` applies them (the why: docs/decisions/0005-standings-rules.md and
0014-championship-rules.md):
- Only a classified car scores (its official status). Its position is its class position among
  the championship's own registered cars: a car registered only for another championship, or a
  car not classified, placed ahead of it in the class does not count.
  A car of a sub-class that is its own championship (LMP2 Pro/Am) scores in its own class only
  and takes no place in the parent class. A classified car of another championship ahead is
  named in the cell.
- Class position points from the class's scale (or the season's), then the further points for
  every further classified car, in every race of the round (a double-header scores each race),
  scaled by the race's factor (half points for a shortened race); the class pole bonus, once a
  round, to the pole car (an editor-set pole, else the best registered car of the class in the
  first of the rules' pole sessions in which the class ran).
- The round's factor multiplies the position points and the pole bonus (factor 0: the round does
  not count); adjustments are never multiplied and never dropped.
- An adjustment of a car goes to its team entry and to every scoring driver of its crew; an
  adjustment of a driver to that driver only.
- Drivers: every crew member scores the car's points, unless the rules require driving and the
  crew's "drove" is No, or the rules set a minimum time at the wheel and the driver's known time
  is shorter (the cell says which). Teams: per car entry (team + number), all of a team's cars
  adding up, or its best car in each round. Manufacturers: the N best cars of each maker in each
  round.
- Best-N keeps the N best rounds' points (adjustments always count).
- Ties: countback (more best positions, then more second-best, …), then shared.
- Most reachable: the total plus the most each remaining counting round can give (each of its
  races at full points); a contender "can still win" when that reaches the leader's total (a tie
  countback could decide). A remaining round with no race on record may yet be a double-header:
  with nothing to bound it, every contender can still win (`round_races`).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import itertools
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import DEFAULT_DB_ALIAS
from django.db.models import Prefetch, Q
from django.utils.translation import get_language
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
    driver_standings: bool = True  # False: teams (and manufacturers) only, as the ILMC
    min_drive_time: dt.timedelta | None = None  # a driver known to drive less scores nothing

    def scale_for(self, class_id):
        return self.class_scales.get(class_id, self.scale)


@dataclass(frozen=True)
class RoundRow:
    number: int
    name: str
    factor: Decimal = Decimal(1)
    completed: bool = True
    races: int | None = 1  # a double-header has two; each scores. None: not known (round_races)


@dataclass(frozen=True)
class CrewRow:
    driver_id: int
    name: str
    drove: bool | None = None
    drive_time: dt.timedelta | None = None  # at the wheel in the round, where known


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
    number: str = ""  # the car's number, to name it where it holds a place
    # A car of a class that is its own championship (LMP2 Pro/Am) holds, where its position in
    # the parent class is on record, that place in the parent class (`holds_in`), to no gain.
    holds_in: int | None = None


@dataclass(frozen=True)
class Race:
    """One race of a round: a double-header has two. `factor` (with its `reason`) scales its
    position points: 0.5 for a race the regulations halve when shortened."""

    rows: tuple[ResultRow, ...]
    name: str = ""
    factor: Decimal = Decimal(1)
    reason: str = ""


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
    races: dict  # round number -> tuple[Race, ...] (or the ResultRows of its one race)
    # round number -> the sessions a pole may come from, in order, each a tuple of ResultRows
    # (or the ResultRows of one session); each class's pole comes from the first in which it ran
    pole_sessions: dict
    pole_awards: dict  # (round number, class id) -> entry id
    adjustments: tuple[AdjustmentRow, ...] = ()


# --- standings out ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Part:
    """One reason for a cell's points: kind is position, further, pole, factor, race_factor,
    adjustment, not_classified, not_counted, dropped, ahead_not_eligible, did_not_drive or
    under_min_drive_time (races/standings_page.py words each)."""

    kind: str
    points: Decimal
    detail: str  # in the language active when computed
    value: str = ""  # what the detail says, as data: a position, status, factor, best-N, reason
    car: str = ""  # the car, when a contender scores with several ("#39")
    race: str = ""  # the race, in a round of several ("Race 2"): stored in English
    note: str = ""  # a second datum: a race factor's reason (English), a minimum drive time


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
    max_reachable: Decimal | None  # None: a remaining round's races are not known
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
    return placed_in_championship(results, registered)[0]


def placed_in_championship(results, registered):
    """(entry id -> championship position, entry id -> the numbers of the classified cars ahead
    that took no place, being of another championship) for the rows of one session and class."""
    placed = sorted(
        (r for r in results if r.class_position is not None), key=lambda r: r.class_position
    )
    positions, passed, skipped, others = {}, {}, 0, []
    for row in placed:
        if row.classified and row.entry_id in registered:
            positions[row.entry_id] = row.class_position - skipped
            if others:
                passed[row.entry_id] = tuple(others)
        else:
            skipped += 1
            if row.classified:
                others.append(f"#{row.number}" if row.number else "?")
    return positions, passed


@functools.lru_cache(maxsize=512)
def position_detail(language, position):
    """The words “2nd in class” in `language` (the active one: it names the cache entry): a
    season's computation words thousands of positions, each once."""
    return _("%s in class") % ordinal(position)


def races_of(data, number):
    """The races of round `number` (rows given bare are its one race)."""
    found = data.races.get(number, ())
    if found and isinstance(found[0], ResultRow):
        return (Race(tuple(found)),)
    return tuple(found)


def pole_sessions_of(data, number):
    """The sessions a pole of round `number` may come from, each a tuple of rows."""
    found = data.pole_sessions.get(number, ())
    if found and isinstance(found[0], ResultRow):
        return (tuple(found),)
    return tuple(found)


def rows_of_class(rows, class_id, class_entries):
    """The rows of one session that count in a class: its cars', and the places held in it by
    cars of a sub-class that is its own championship."""
    return [
        r
        for r in rows
        if (r.holds_in is None and r.entry_id in class_entries) or r.holds_in == class_id
    ]


def class_pole(data, round_, class_id, class_entries, registered):
    """The entry that takes the class pole of the round: an editor's, else the best registered
    car of the class in the first pole session in which a registered car of the class ran."""
    awarded = data.pole_awards.get((round_.number, class_id))
    if awarded is not None:
        return awarded
    for rows in pole_sessions_of(data, round_.number):
        qualifying = rows_of_class(rows, class_id, class_entries)
        if any(r.entry_id in registered for r in qualifying):
            positions = championship_positions(qualifying, registered)
            return next((e for e, p in positions.items() if p == 1), None)
    return None


@dataclass
class CarRound:
    """What one car scored in one round."""

    car: CarRow
    points: Decimal = ZERO
    position: int | None = None  # the best of its races
    positions: list = field(default_factory=list)  # every race's, for countback
    parts: list = field(default_factory=list)
    adjustment: Decimal = ZERO
    adjustment_parts: list = field(default_factory=list)


def race_parts(race, row, position, scale, passed):
    """(points, parts) of one car in one race: its position's points scaled by the race's
    factor, or why it has none."""
    parts = []
    points = ZERO
    if position is not None:
        points = scale.for_position(position)
        kind = "position" if position <= len(scale.points) else "further"
        parts.append(Part(kind, points, position_detail(get_language(), position), str(position)))
        if passed:
            cars = ", ".join(passed)
            parts.append(
                Part(
                    "ahead_not_eligible",
                    ZERO,
                    _("%s ahead scored in another championship") % cars,
                    cars,
                )
            )
        if race.factor != 1 and points:
            extra = points * race.factor - points
            factor = str(race.factor.normalize())
            detail = _("× %(factor)s (%(reason)s)") % {"factor": factor, "reason": race.reason}
            parts.append(Part("race_factor", extra, detail, factor, note=race.reason))
            points += extra
    elif row is not None:
        if row.code == "unknown" or not (row.code or row.status):
            why = _("outcome unknown")  # a source said only "no points"
        elif row.classified:
            why = _("class position unknown")
        elif row.code == "not_classified":
            why = _("not classified")
        else:
            why = _("not classified (%s)") % row.status.lower()
        parts.append(Part("not_classified", ZERO, why, row.code))
    return points, parts


def score_cars(data, round_, class_id, cars):
    """CarRound for every registered car of one class in one round."""
    registered = {car.entry_id for car in cars if car.registered}
    class_entries = {car.entry_id for car in cars}
    races = races_of(data, round_.number)
    several = len(races) > 1
    placed = []
    for race in races:
        rows = rows_of_class(race.rows, class_id, class_entries)
        positions, passed = placed_in_championship(rows, registered)
        by_entry = {r.entry_id: r for r in rows if r.holds_in is None}
        placed.append((race, positions, passed, by_entry))
    pole_entry = class_pole(data, round_, class_id, class_entries, registered)
    pole_detail = _("class pole")
    scale = data.rules.scale_for(class_id)
    scored = {}
    for car in cars:
        if not car.registered:
            continue
        result = CarRound(car)
        base = ZERO
        for race, positions, passed, by_entry in placed:
            position = positions.get(car.entry_id)
            points, parts = race_parts(
                race, by_entry.get(car.entry_id), position, scale, passed.get(car.entry_id)
            )
            if several and race.name:
                parts = [
                    dataclasses.replace(p, race=race.name, detail=f"{race.name}: {p.detail}")
                    for p in parts
                ]
            base += points
            result.parts += parts
            if position is not None:
                result.positions.append(position)
        result.position = min(result.positions, default=None)
        if car.entry_id == pole_entry and data.rules.pole_points:
            base += data.rules.pole_points
            result.parts.append(Part("pole", data.rules.pole_points, pole_detail))
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
        entry = self.rounds.get(round_number)
        if entry is None:
            entry = self.rounds[round_number] = RoundTally()
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
                [p for c in counting for p in c.positions],
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
                    positions=[p for c in counting for p in c.positions],
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


def exclusion(rules, member, car):
    """Why a crew member of `car` scores nothing for the drivers' title, as a Part, or None."""
    label = f"#{car.number}" if car.number else _("a car")
    if rules.drove_required and member.drove is False:
        return Part("did_not_drive", ZERO, _("named for %s but did not drive") % label, label)
    limit = rules.min_drive_time
    if limit and member.drive_time is not None and member.drive_time < limit:
        drove, minimum = duration_text(member.drive_time), duration_text(limit)
        return Part(
            "under_min_drive_time",
            ZERO,
            _("%(time)s at the wheel, under the minimum %(min)s") % {"time": drove, "min": minimum},
            drove,
            note=minimum,
        )
    return None


def duration_text(value):
    """A drive time as data: "1:05:09" (hours, minutes, whole seconds)."""
    seconds = int(value.total_seconds())
    return f"{seconds // 3600}:{seconds % 3600 // 60:02}:{seconds % 60:02}"


def add_drivers(drivers, data, round_, cars, scored):
    """Each crew member's points of the round: their car's (the better car's, for a driver in
    two), and their own adjustments. A named driver who did not drive, or drove less than the
    rules' minimum, scores nothing: their cell says why."""
    best, excluded = {}, {}
    for car_round in scored.values():
        for member in car_round.car.crew:
            why = exclusion(data.rules, member, car_round.car)
            if why is not None:
                excluded.setdefault(member.driver_id, (member, why))
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
            car_round.positions,
            car_round.parts + car_round.adjustment_parts,
        )
    for driver_id, (member, why) in excluded.items():
        if driver_id not in best:
            key = f"driver:{driver_id}"
            tally = drivers.setdefault(key, Tally("driver", key, member.name))
            tally.add(round_.number, parts=[why])
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
        Part(p.kind, p.points, f"{label}: {p.detail}", p.value, label, p.race, p.note)
        for p in car_round.parts
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
                can_still_win=position == 1
                or (bool(remaining) and (most is None or most >= leader_total)),
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
    """The total a contender reaches by taking the most of every remaining round (each of its
    races at full points), or None when a remaining round that counts has races not known
    (`RoundRow.races` None): no total bounds what it can give."""
    counting = [r for r in remaining if r.factor and r.races != 0]
    if any(r.races is None for r in counting):
        return None
    positions = sum((scale.for_position(p) for p in range(1, (cars or 1) + 1)), ZERO)
    scores = [c.scored for c in cells] + [
        (positions * r.races + rules.pole_points) * r.factor for r in counting
    ]
    scores.sort(reverse=True)
    if rules.best_n is not None:
        scores = scores[: rules.best_n]
    return sum(scores, ZERO) + sum((c.adjustment for c in cells), ZERO)


# --- reading a season -------------------------------------------------------------------------


def round_races(on_record, event_status):
    """How many races a round scores: its event's race sessions on record (a double-header is
    two race sessions of one event), none for a cancelled event, else None: not known.

    Nothing else says how many races a round will have (neither the round nor the event has a
    field for it), so a future round whose event has no race session yet may be a
    double-header, or more. Counting it as one race would hide the "can still win" of a
    contender who can; taken as not known, it leaves every contender able to win until the
    event's sessions are entered (the event admin's sessions)."""
    if event_status == "cancelled":
        return 0
    return on_record or None


class NoRules(Exception):
    """The season has no championship rules."""


def season_data(season, using=DEFAULT_DB_ALIAS):
    """Every row `compute` needs for `season`, read from the database `using`, in a constant
    number of queries (thirteen)."""
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
        Session,
        SessionKind,
    )

    rules_row = (
        ChampionshipRules.objects.using(using)
        .filter(season=season)
        .prefetch_related(
            "class_scales", Prefetch("pole_awards", PoleAward.objects.select_related("round"))
        )
        .first()
    )
    if rules_row is None:
        raise NoRules(_("%(season)s has no championship rules.") % {"season": season})
    scales = {
        scale.pk: Scale(tuple(row.points for row in scale.points.all()), scale.further_points)
        for scale in PointsScale.objects.using(using)
        .filter(Q(rules=rules_row) | Q(class_scales__rules=rules_row))
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
        driver_standings=rules_row.driver_standings,
        min_drive_time=rules_row.min_drive_time,
    )
    classes = tuple(
        ClassRow(sc.car_class_id, sc.car_class.code, sc.car_class.name)
        for sc in SeasonClass.objects.using(using).filter(season=season).select_related("car_class")
    )
    class_ids = {c.id for c in classes}
    rounds = list(
        Round.objects.using(using).filter(season=season).select_related("event").order_by("number")
    )
    round_of_event = {r.event_id: r.number for r in rounds}
    registered = set(
        Registration.objects.using(using).filter(season=season).values_list("entry_id", flat=True)
    )
    crews = defaultdict(list)
    for entry_id, driver_id, name, drove, drive_time in (
        Crew.objects.using(using)
        .filter(entry__registrations__season=season)
        .order_by("entry_id", "order")
        .values_list("entry_id", "driver_id", "driver__full_name", "drove", "drive_time")
    ):
        crews[entry_id].append(CrewRow(driver_id, name, drove, drive_time))
    cars, parent_class, holds_in = {}, set(), {}
    entries = Entry.objects.using(using).filter(event__rounds__season=season).values_list(
        "pk", "event_id", "number", "team_id", "team__name", "manufacturer", "car_class_id",
        "car_class__parent_id", "car_class__own_championship",
    )  # fmt: skip
    numbers, event_of = {}, {}
    for entry in entries:
        entry_id, event_id, number, team_id, team_name, maker, class_id, parent_id, apart = entry
        numbers[entry_id], event_of[entry_id] = number, event_id
        if apart and parent_id in class_ids:
            holds_in[entry_id] = parent_id  # its own championship: a place in the parent only
        if class_id not in class_ids:
            if apart or parent_id not in class_ids:
                continue
            class_id = parent_id
            parent_class.add(entry_id)
        cars[entry_id] = CarRow(
            entry_id, round_of_event[event_id], class_id, number, team_id, team_name or "", maker,
            tuple(crews.get(entry_id, ())), entry_id in registered,
        )  # fmt: skip
    pole_names = set(rules_row.pole_session_names)
    sessions = {}  # session id -> (round number, kind, name, order, factor, reason)
    for pk, event_id, kind, name, order, factor, reason in (
        Session.objects.using(using)
        .filter(event__rounds__season=season)
        .filter(Q(kind=SessionKind.RACE) | Q(kind=rules_row.pole_session_kind))
        .values_list(
            "pk", "event_id", "kind", "name", "order", "points_factor", "points_factor_reason"
        )
    ):
        if kind == SessionKind.RACE or not pole_names or name in pole_names:
            sessions[pk] = (round_of_event[event_id], kind, name, order, factor, reason)
    results = (
        Result.objects.using(using)
        .filter(session__in=list(sessions))
        .values_list("entry_id", "class_position", "parent_class_position", "status", "session_id")
    )
    rows_of = defaultdict(list)
    words = {value: str(label).lower() for value, label in ResultStatus.choices}
    words[ResultStatus.UNKNOWN] = _("outcome unknown")
    for entry_id, position, parent_position, status, session_id in results:
        if entry_id not in cars and entry_id not in holds_in:
            continue
        shown = words[status]
        classified = status == ResultStatus.CLASSIFIED
        number = numbers[entry_id]
        if entry_id in cars:
            own = parent_position if entry_id in parent_class else position
            rows_of[session_id].append(ResultRow(entry_id, own, classified, shown, status, number))
        if entry_id in holds_in and parent_position is not None:
            rows_of[session_id].append(
                ResultRow(
                    entry_id, parent_position, classified, shown, status, number, holds_in[entry_id]
                )
            )
    races, pole_sessions, race_counts = defaultdict(list), defaultdict(list), defaultdict(int)
    for pk, (number, kind, name, _order, factor, reason) in sorted(
        sessions.items(), key=lambda item: item[1][3]
    ):
        if kind == SessionKind.RACE:
            race_counts[number] += 1
            if pk in rows_of:
                races[number].append(Race(tuple(rows_of[pk]), name, factor, reason))
        elif pk in rows_of:
            pole_sessions[number].append(tuple(rows_of[pk]))
    pole_awards = {
        (award.round.number, award.car_class_id): award.entry_id
        for award in rules_row.pole_awards.all()
    }
    adjustments = []
    for number, entry_id, driver_id, points, reason in (
        Adjustment.objects.using(using)
        .filter(round__season=season)
        .values_list("round__number", "entry_id", "driver_id", "points", "reason")
    ):
        adjustments.append(AdjustmentRow(number, points, reason, entry_id, driver_id))
    return SeasonData(
        name=season.name,
        is_complete=season.is_complete,
        rules=rules,
        classes=classes,
        rounds=tuple(
            RoundRow(
                r.number,
                r.event.name,
                r.points_factor,
                r.event.status == "completed",
                round_races(race_counts[r.number], r.event.status),
            )
            for r in rounds
        ),
        cars=tuple(cars.values()),
        races={number: tuple(found) for number, found in races.items()},
        pole_sessions={number: tuple(found) for number, found in pole_sessions.items()},
        pole_awards=pole_awards,
        adjustments=tuple(adjustments),
    )
