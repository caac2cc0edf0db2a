"""How a session's results are put in order and grouped by class for the pages.

Plain functions over loaded rows: no queries and no attributes set on what they are given, so
they are tested without a request. races/pages.py builds the pages' objects from them.
"""

import re

_DIGITS = re.compile(r"\d+")


def number_key(number):
    """Sort key of a car number as painted: 7 before 39 before 007's neighbours, unknown last."""
    match = _DIGITS.search(number or "")
    return (number == "", int(match.group()) if match else 0, number)


def result_key(result, class_rank, entry):
    """Sort key of a result in its session (`entry` is its car).

    Cars with a finish order come first, in that order (the unclassified ones follow the
    classified ones there, as the official classification lists them). Cars without finish
    order (a partial classification) follow: the classified ones, then the others, each by class
    in the season's order, then class position, then number.
    """
    if result.finish_order is not None:
        return (0, result.finish_order, 0, 0, ())
    return (
        1,
        result.status != "classified",  # classified cars first, as in a full classification
        class_rank.get(entry.car_class_id, len(class_rank)),
        result.class_position if result.class_position is not None else 10_000,
        number_key(entry.number),
    )


def ordered_results(results, class_rank, entries):
    """`results` of one session in classification order (see `result_key`); `entries` gives
    each result's car by id."""
    return sorted(results, key=lambda r: result_key(r, class_rank, entries[r.entry_id]))


def by_class(items, class_order, car_class_of):
    """The ordered `items` split by class: a list of (class, items), classes in `class_order`
    first, then any other class by code. `car_class_of(item)` gives an item's class."""
    groups, classes = {}, {}
    for item in items:
        car_class = car_class_of(item)
        groups.setdefault(car_class.pk, []).append(item)
        classes[car_class.pk] = car_class
    rank = {car_class.pk: i for i, car_class in enumerate(class_order)}
    ids = sorted(groups, key=lambda pk: (rank.get(pk, len(rank)), classes[pk].code))
    return [(classes[pk], groups[pk]) for pk in ids]


def entry_key(entry):
    """Entry-list order: the cars entered by number, then reserves and the others by number."""
    return (entry.status != "entered", number_key(entry.number))


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


def finish_key(result):
    """Order of results by finish order, those without last."""
    return (result.finish_order is None, result.finish_order or 0, number_key(result.entry.number))
