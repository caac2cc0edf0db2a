"""A driver's career figures, each defined once here and explained on the profile page.

Plain functions over rows drivers/pages.py has loaded (the driver's crews with their entries and
events, the co-drivers, the race and qualifying results, the rounds of the events); nothing here
queries, and `drivers` imports nothing from `races` at run time (its models only name the types).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:  # types only: nothing here queries, and the models import nothing from here
    from drivers.models import Driver
    from races.models import Entry, Event, Result, Round, Season

RACE, QUALIFYING = "race", "qualifying"
RETIRED = "retired"
# Outcomes of a car that took the start. "unknown" (a source said only "no points") is not one:
# such a race is listed but not counted.
STARTED = {"classified", "not_classified", "retired", "disqualified", "excluded"}

# Each figure: key, label, definition (shown on the page).
DEFINITIONS = [
    (
        "starts",
        _("Starts"),
        _(
            "Events where a car of the driver took the race start; an event "
            "counts once even when the driver was entered in two cars."
        ),
    ),
    ("wins", _("Overall wins"), _("Events won overall.")),
    ("class_wins", _("Class wins"), _("Events where a car of the driver won its class.")),
    ("class_podiums", _("Class podiums"), _("Events finished first, second or third in class.")),
    (
        "poles",
        _("Poles"),
        _("Fastest overall in qualifying, where the qualifying result is on record."),
    ),
    ("retirements", _("Retirements"), _("Events where the driver's car retired.")),
    ("best_overall", _("Best overall result"), _("Best classified position overall.")),
    ("best_class", _("Best class result"), _("Best classified position in class.")),
    ("seasons", _("Seasons"), _("Championship seasons with at least one start.")),
    ("series", _("Series"), _("Series with at least one start.")),
    (
        "kilometres",
        _("Kilometres raced"),
        _(
            "Distance covered in the races started, where the "
            "distance or the laps and the lap length are known; "
            "one car per event."
        ),
    ),
]


@dataclass(frozen=True)
class Race:
    """One car the driver was entered in, with what became of it: a row of the career page's
    "every race" table."""

    entry: Entry
    event: Event
    rounds: tuple[Round, ...]  # the championships the car was registered for: they count
    co_drivers: tuple[Driver, ...]
    result: Result | None = None  # the result of the event's last race session, if any
    pole: bool = False
    drove: bool | None = None
    event_rounds: tuple[Round, ...] = ()  # every championship of the event

    @property
    def link_round(self):
        """The round page the race links to: a registered championship's, else any."""
        return (self.rounds or self.event_rounds or (None,))[0]

    @property
    def started(self):
        return (
            self.result is not None
            and self.result.status in STARTED
            and self.entry.status == "entered"
            and self.drove is not False
        )

    @property
    def kilometres(self):
        if self.result is None:
            return None
        if self.result.distance_km is not None:
            return self.result.distance_km
        layout = self.event.layout
        if self.result.laps is not None and layout is not None:
            return self.result.laps * layout.length_km
        return None

    @property
    def car(self):
        """`#39 Lola B11/40 – Judd DB 3.4 L V8`: the number, the chassis and the engine."""
        entry = self.entry
        number = f"#{entry.number} " if entry.number else ""
        return number + (f"{entry.chassis} – {entry.engine}" if entry.engine else entry.chassis)


@dataclass(frozen=True)
class Championship:
    """The driver's place in a season's stored drivers' standings of one class."""

    position: int
    class_code: str
    final: bool  # after the season's last round; else "so far"


@dataclass(frozen=True)
class SeasonLine:
    """A row of the career page's season-by-season table."""

    season: Season
    round: Round
    figures: dict
    championships: tuple[Championship, ...] = ()


@dataclass(frozen=True)
class Figure:
    label: str
    value: int | None
    definition: str


@dataclass(frozen=True)
class CoDriver:
    driver: Driver
    cars: int  # cars shared


def _best(values):
    values = [v for v in values if v is not None]
    return min(values) if values else None


def figures(races):
    """The career figures of `races` (a list of Race) as a dict keyed as in DEFINITIONS."""
    started = [r for r in races if r.started]
    events = {r.event.pk for r in started}

    def events_where(test):
        return len({r.event.pk for r in started if test(r.result)})

    longest = {}
    for race in started:
        km = race.kilometres
        if km is not None and km > longest.get(race.event.pk, 0):
            longest[race.event.pk] = km
    seasons = {rnd.season_id for r in started for rnd in r.rounds}
    series = {rnd.season.series_id for r in started for rnd in r.rounds}
    return {
        "starts": len(events),
        "wins": events_where(lambda res: res.position == 1),
        "class_wins": events_where(lambda res: res.class_position == 1),
        "class_podiums": events_where(
            lambda res: res.class_position is not None and res.class_position <= 3
        ),
        # A listed driver who did not drive takes no pole either, as he takes no start.
        "poles": len({r.event.pk for r in races if r.pole and r.drove is not False}),
        "retirements": events_where(lambda res: res.status == RETIRED),
        "best_overall": _best(r.result.position for r in started),
        "best_class": _best(r.result.class_position for r in started),
        "seasons": len(seasons),
        "series": len(series),
        "kilometres": round(sum(longest.values())) if longest else None,
    }


def races_of(crews, mates, results, rounds, registrations):
    """A Race per crew place of the driver, newest first. A race counts for a championship
    (its `rounds`) only where the car was registered for it: `registrations` are
    (entry id, season id) pairs."""
    last_race, poles = {}, set()
    for result in results:
        if result.session.kind == RACE:
            held = last_race.get(result.entry_id)
            if held is None or result.session.order > held.session.order:
                last_race[result.entry_id] = result
        elif result.session.kind == QUALIFYING and result.position == 1:
            poles.add(result.entry_id)
    registered = set(registrations)
    co_drivers, by_event = {}, {}
    for mate in mates:
        co_drivers.setdefault(mate.entry_id, []).append(mate)
    for rnd in rounds:
        by_event.setdefault(rnd.event_id, []).append(rnd)
    races = [
        Race(
            entry=crew.entry,
            event=crew.entry.event,
            rounds=tuple(
                sorted(
                    (
                        rnd
                        for rnd in by_event.get(crew.entry.event_id, [])
                        if (crew.entry_id, rnd.season_id) in registered
                    ),
                    key=lambda r: r.season.series.name,
                )
            ),
            co_drivers=tuple(
                m.driver for m in sorted(co_drivers.get(crew.entry_id, []), key=lambda m: m.order)
            ),
            result=last_race.get(crew.entry_id),
            pole=crew.entry_id in poles,
            drove=crew.drove,
            event_rounds=tuple(
                sorted(by_event.get(crew.entry.event_id, []), key=lambda r: r.season.series.name)
            ),
        )
        for crew in crews
    ]
    return sorted(races, key=lambda r: (event_day(r), r.event.pk), reverse=True)


def event_day(race):
    """The race's last day; for a cancelled edition no source dates (Le Mans 1936), the first
    day of its season's year, for the order."""
    if race.event.last_day is not None:
        return race.event.last_day
    years = [r.season.year for r in race.event_rounds]
    return dt.date(min(years), 1, 1) if years else dt.date.min


def season_lines(races, standings=()):
    """Figures per championship season, newest first, each with the driver's position in the
    season's stored drivers' standings after its last round run: `standings` are (season id,
    position, class code, rounds left) rows, one per class the driver scored in."""
    per_season, first_round = {}, {}
    for race in races:
        for rnd in race.rounds:
            per_season.setdefault(rnd.season_id, []).append(race)
            first_round.setdefault(rnd.season_id, rnd)
    by_season = {}
    for season_id, position, code, rounds_left in standings:
        by_season.setdefault(season_id, []).append((position, code, rounds_left == 0))
    lines = [
        SeasonLine(
            first_round[pk].season,
            first_round[pk],
            figures(season_races),
            tuple(Championship(*place) for place in sorted(by_season.get(pk, []))),
        )
        for pk, season_races in per_season.items()
    ]
    return sorted(lines, key=lambda line: (-line.season.year, line.season.series.name))


def frequent_co_drivers(races, limit=10):
    """The co-drivers most often shared a car with, most first."""
    counts, drivers = Counter(), {}
    for race in races:
        for driver in race.co_drivers:
            counts[driver.pk] += 1
            drivers[driver.pk] = driver
    ranked = sorted(counts.items(), key=lambda item: (-item[1], drivers[item[0]].search_key))
    return [CoDriver(drivers[pk], n) for pk, n in ranked[:limit]]


def age(birth_date, death_date, today):
    """Age in whole years of a living driver; None for one who has died or an unknown birth."""
    if birth_date is None or death_date is not None:
        return None
    return (
        today.year
        - birth_date.year
        - ((today.month, today.day) < (birth_date.month, birth_date.day))
    )


def next_birthday(birth_date, today):
    """The first day after `today` on which `age()` reads one more (1 March for a birthday on
    29 February in a common year, as `age()` counts it)."""
    for year in (today.year, today.year + 1):
        try:
            day = birth_date.replace(year=year)
        except ValueError:  # 29 February
            day = dt.date(year, 3, 1)
        if day > today:
            return day
    raise AssertionError("unreachable")


def first_year(races):
    started = [r.event.last_day.year for r in races if r.started]
    return min(started) if started else None


def last_year(races):
    started = [r.event.last_day.year for r in races if r.started]
    return max(started) if started else None


def described(values):
    """The figures in DEFINITIONS order, each with its label and definition."""
    return [Figure(label, values[key], definition) for key, label, definition in DEFINITIONS]
