"""How a session's results are put in order and grouped by class for the pages.

Plain functions over loaded rows: no queries, so they are tested without a request.
"""

import re
from dataclasses import dataclass, field

_DIGITS = re.compile(r"\d+")


def number_key(number):
    """Sort key of a car number as painted: 7 before 39 before 007's neighbours, unknown last."""
    match = _DIGITS.search(number or "")
    return (number == "", int(match.group()) if match else 0, number)


def result_key(result, class_rank):
    """Sort key of a result in its session.

    Cars with a finish order come first, in that order (the unclassified ones follow the
    classified ones there, as the official classification lists them). Cars without finish
    order (a partial classification) follow: the classified ones, then the others, each by class
    in the season's order, then class position, then number.
    """
    entry = result.entry
    if result.finish_order is not None:
        return (0, result.finish_order, 0, 0, ())
    return (
        1,
        result.status != "classified",  # classified cars first, as in a full classification
        class_rank.get(entry.car_class_id, len(class_rank)),
        result.class_position if result.class_position is not None else 10_000,
        number_key(entry.number),
    )


def ordered_results(results, class_rank):
    """`results` of one session in classification order (see `result_key`)."""
    return sorted(results, key=lambda r: result_key(r, class_rank))


def by_class(results, class_order):
    """The ordered `results` split by class: a list of (class, results), classes in `class_order`
    first, then any other class by code."""
    groups = {}
    for result in results:
        groups.setdefault(result.entry.car_class_id, []).append(result)
    rank = {car_class.pk: i for i, car_class in enumerate(class_order)}
    classes = {r.entry.car_class_id: r.entry.car_class for r in results}
    ids = sorted(groups, key=lambda pk: (rank.get(pk, len(rank)), classes[pk].code))
    return [(classes[pk], groups[pk]) for pk in ids]


def entry_key(entry):
    """Entry-list order: the cars entered by number, then reserves and the others by number."""
    return (entry.status != "entered", number_key(entry.number))


@dataclass
class ClassResults:
    car_class: object
    rows: list


def session_results(sessions, results, entries, class_order):
    """`sessions`, each given `rows` (its results in order, entries attached from `entries`)
    and `classes` (a ClassResults per class, in the season's class order)."""
    by_id = {entry.pk: entry for entry in entries}
    rank = {car_class.pk: i for i, car_class in enumerate(class_order)}
    per_session = {}
    for result in results:
        result.entry = by_id[result.entry_id]
        per_session.setdefault(result.session_id, []).append(result)
    for session in sessions:
        for result in per_session.get(session.pk, []):
            result.session = session
        session.rows = ordered_results(per_session.get(session.pk, []), rank)
        session.classes = [ClassResults(c, rows) for c, rows in by_class(session.rows, class_order)]
    return sessions


def attach_championships(entries, rounds):
    """Give each entry `registered_for`: the seasons among `rounds` it is registered for."""
    seasons = {round_.season_id: round_.season for round_ in rounds}
    for entry in entries:
        entry.registered_for = [
            seasons[reg.season_id] for reg in entry.registrations.all() if reg.season_id in seasons
        ]


def _last_race(results, key):
    """Per `key`, the result of the event's last race session (an event may have two races)."""
    best = {}
    for result in results:
        k = key(result)
        if k not in best or result.session.order > best[k].session.order:
            best[k] = result
    return best


def class_winners(results):
    """The class winners among `results`, one per event and class."""
    winners = (r for r in results if r.class_position == 1)
    return list(_last_race(winners, lambda r: (r.session.event_id, r.entry.car_class_id)).values())


def overall_winners(results):
    """The overall winner of each event among `results`, by event id."""
    return _last_race((r for r in results if r.position == 1), lambda r: r.session.event_id)


def attach_calendar(rounds, class_order, winners, other_rounds):
    """Give each round `winners` (class winners in class order) and `other_rounds` (the same
    event in other championships)."""
    rank = {car_class.pk: i for i, car_class in enumerate(class_order)}
    by_event, others = {}, {}
    for result in class_winners(winners):
        by_event.setdefault(result.session.event_id, []).append(result)
    for other in other_rounds:
        others.setdefault(other.event_id, []).append(other)
    for round_ in rounds:
        round_.winners = sorted(
            by_event.get(round_.event_id, []),
            key=lambda r: (rank.get(r.entry.car_class_id, len(rank)), r.entry.car_class.code),
        )
        round_.other_rounds = others.get(round_.event_id, [])


def attach_rounds_and_winners(seasons, rounds, winners):
    """Give each season `round_list` and, for its first round, the overall `winner`."""
    overall = overall_winners(winners)
    by_season = {}
    for round_ in rounds:
        by_season.setdefault(round_.season_id, []).append(round_)
    for season in seasons:
        season.round_list = by_season.get(season.pk, [])
        first = season.round_list[0] if season.round_list else None
        season.winner = overall.get(first.event_id) if first else None


@dataclass
class EventRaces:
    event: object
    rounds: list = field(default_factory=list)
    winner: object = None


def races_with_winners(rounds, winners):
    """The events of `rounds` (in their order), each with its rounds and overall winner."""
    overall = overall_winners(winners)
    events = {}
    for round_ in rounds:
        row = events.setdefault(round_.event_id, EventRaces(round_.event))
        row.rounds.append(round_)
        row.winner = overall.get(round_.event_id)
    return list(events.values())


def entries_by_year(entries, results, rounds):
    """`entries` grouped by year, newest first: (year, entries), each entry given its race
    `race_results` and the `rounds` its event counts as."""
    per_entry, per_event = {}, {}
    for result in results:
        per_entry.setdefault(result.entry_id, []).append(result)
    for round_ in rounds:
        per_event.setdefault(round_.event_id, []).append(round_)
    years = {}
    ordered = sorted(entries, key=lambda e: (-e.event.last_day.toordinal(), number_key(e.number)))
    for entry in ordered:
        entry.race_results = sorted(per_entry.get(entry.pk, []), key=lambda r: r.session.order)
        entry.rounds = per_event.get(entry.event_id, [])
        years.setdefault(entry.event.last_day.year, []).append(entry)
    return list(years.items())


def finish_key(result):
    """Order of results by finish order, those without last."""
    return (result.finish_order is None, result.finish_order or 0, number_key(result.entry.number))
