"""Rules and writes that concern a session's results as a whole.

Pure functions take plain rows and return findings, so they are tested without a database;
the write functions wrap them in a transaction.
"""

import itertools
from collections import Counter
from dataclasses import dataclass

from django.db import DEFAULT_DB_ALIAS, transaction
from django.db.models import F
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from races.models import Result, Session

REDERIVED = "Class positions re-derived: a class's championship changed"
MOVED = "Class positions re-derived: a car moved to another class"

# A result's values as the official timing gives them: what the classification import writes
# (races/importers/classification.py). The results grid (races/results_grid.py) writes them
# but for the best lap's number, plus the editor's reason. The reason, source and notes are
# never timing's: an import keeps them from the car's previous result.
TIMING_VALUES = (
    "finish_order",
    "position",
    "class_position",
    "parent_class_position",
    "laps",
    "distance_km",
    "time",
    "gap_laps",
    "gap_time",
    "best_lap",
    "best_lap_number",
    "status",
)


@dataclass(frozen=True)
class Placing:
    """What the class-order rule needs to know of one result."""

    label: str  # how the car is named in a message, e.g. "#39"
    finish_order: int | None
    group: object  # the class (or the parent class) within which `position` counts
    position: int | None


def class_positions(cars):
    """{key: (class position, parent class position)} of classified cars given in finish order
    as (key, class, parent class or None). A sub-class car (LMP2 Pro-Am) ranks in its own class
    and, as parent class position, in its parent's; a parent class counts the sub-class cars
    ahead of its own.

    Pass as parent the class a car also scores in: `CarClass.championship_parent_id`, which is
    None for a sub-class that is its own championship (the ELMS's LMP2 Pro/Am). Such a car then
    ranks in its own class only, and the parent's cars behind it lose no place to it
    (docs/decisions/0014-championship-rules.md)."""
    counts = Counter()
    positions = {}
    for key, own, parent in cars:
        counts[own] += 1
        if parent is None:
            positions[key] = (counts[own], None)
        else:
            counts[parent] += 1
            positions[key] = (counts[own], counts[parent])
    return positions


def championship_class_positions(cars):
    """`class_positions` of (key, CarClass) pairs given in finish order: each car ranks in its
    class and in the class it also scores in (`CarClass.championship_parent_id`)."""
    return class_positions((key, c.pk, c.championship_parent_id) for key, c in cars)


def positions_in_finish_order(results):
    """{result pk: (class position, parent class position)} of a complete session's `results`
    (entry and class loaded), derived from the finish order as the timing import does; a
    result not classified or without finish order has none."""
    ordered = sorted(
        (r for r in results if r.status == Result.Status.CLASSIFIED and r.finish_order is not None),
        key=lambda r: r.finish_order,
    )
    return championship_class_positions((r.pk, r.entry.car_class) for r in ordered)


def rewrite_positions(sessions, positions, reason, using):
    """Write the class positions `positions(results of one session)` gives ([(result,
    (class position, parent class position))]) on the results of `sessions`, with a history
    record each giving `reason`; returns how many results changed."""
    results = (
        Result.objects.using(using)
        .filter(session__in=sessions.values("pk"))
        .select_related("session", "entry__car_class")
        .order_by("session_id", "pk")
    )
    changed = []
    for _session, of_session in itertools.groupby(results, key=lambda r: r.session_id):
        for result, (own, parent) in positions(of_session):
            result.class_position, result.parent_class_position = own, parent
            changed.append(result)
    if changed:
        bulk_update_with_history(
            changed,
            Result,
            ["class_position", "parent_class_position"],
            batch_size=500,
            default_change_reason=reason,
            manager=Result.objects.db_manager(using),
        )
    return len(changed)


def rederived_positions(results, car_class_id, before, now):
    """[(result, (class position, parent class position))] of the `results` of one session
    (entry and class loaded, the classes as they are now) whose stored class positions change
    because class `car_class_id` scored in class `before` besides its own and now scores in
    `now` (each a `CarClass.championship_parent_id`: a class id or None).

    A complete session derives them from the finish order, as the timing import does
    (`championship_class_positions`). A partial session's positions are typed and cannot be
    derived (a class winner may have no finish order): there a class that leaves a parent
    class takes its recorded places there with it, as the standings count them (each car
    ranked in the parent loses one place per car of the class recorded ahead of it); the places
    a class takes in a parent it joins are not known, and stay for the editor to type."""
    results = list(results)
    if not results:
        return []
    groups = {car_class_id} | {before, now} - {None}

    def concerned(result):
        car_class = result.entry.car_class
        return car_class.pk in groups or car_class.parent_id in groups

    if results[0].session.results_status != Session.ResultsStatus.PARTIAL:
        derived = positions_in_finish_order(results)
        wanted = [(r, derived.get(r.pk, (None, None))) for r in results if concerned(r)]
    elif before is None:
        return []
    else:
        held = [
            r.parent_class_position
            for r in results
            if r.entry.car_class_id == car_class_id and r.parent_class_position is not None
        ]
        wanted = []
        for r in results:
            car_class = r.entry.car_class
            if car_class.pk == car_class_id:
                wanted.append((r, (r.class_position, None)))
            elif car_class.pk == before:
                wanted.append((r, (lower(r.class_position, held), r.parent_class_position)))
            elif car_class.championship_parent_id == before:
                wanted.append((r, (r.class_position, lower(r.parent_class_position, held))))
    return [
        (r, positions)
        for r, positions in wanted
        if positions != (r.class_position, r.parent_class_position)
    ]


def lower(position, held):
    """`position` less one place per place in `held` ahead of it."""
    if position is None:
        return None
    return position - sum(1 for place in held if place < position)


def rederive_class_positions(car_class, before, using=DEFAULT_DB_ALIAS):
    """After `car_class` changed the class it scores in besides its own (its
    `championship_parent_id` was `before`): re-derive the stored class positions of every
    session where a car of the class has a result (`rederived_positions`), the changed results
    written with a history record each that keeps the previous positions. Call it inside the
    `changes()` block of the class's write (models.RederivesPositions does); returns how many
    results changed (docs/decisions/0014-championship-rules.md)."""
    sessions = Session.objects.using(using).filter(results__entry__car_class=car_class)
    now = car_class.championship_parent_id
    return rewrite_positions(
        sessions,
        lambda results: rederived_positions(results, car_class.pk, before, now),
        REDERIVED,
        using,
    )


def groups_of(car_class_id, parent_id):
    """{group: which of (class position, parent class position) counts there} of a car of
    class `car_class_id` that also scores in `parent_id` (or None)."""
    groups = {car_class_id: 0}
    if parent_id is not None:
        groups[parent_id] = 1
    return groups


def moved_positions(results, moves):
    """[(result, (class position, parent class position))] of the `results` of one session
    (entry and class loaded, the classes the cars are in now) whose stored class positions
    change because cars moved class: `moves` is {entry id: (class id, championship parent id)
    before the move}.

    A complete session derives them from the finish order, as the timing import does, in the
    groups the moved cars left or joined. A partial session's positions are typed: a moved car
    keeps its place in a group it stays in (a class and its parent), the cars behind it in a
    group it left move up one place each, and its place in a group it joins is not known: it
    is left empty for the editor to type (docs/decisions/0014-championship-rules.md)."""
    results = list(results)
    if not results:
        return []
    current = {r.pk: (r.class_position, r.parent_class_position) for r in results}

    def now_groups(result):
        car_class = result.entry.car_class
        return groups_of(car_class.pk, car_class.championship_parent_id)

    if results[0].session.results_status != Session.ResultsStatus.PARTIAL:
        touched = set()
        for before in moves.values():
            touched |= set(groups_of(*before))
        touched |= {group for r in results if r.entry_id in moves for group in now_groups(r)}
        derived = positions_in_finish_order(results)
        wanted = {
            r.pk: derived.get(r.pk, (None, None))
            for r in results
            if touched & set(now_groups(r)) or r.entry_id in moves
        }
    else:
        places = {r.pk: list(current[r.pk]) for r in results}
        waiting = {r.pk for r in results if r.entry_id in moves}  # still where they were

        def groups_held(result):
            if result.pk in waiting:
                return groups_of(*moves[result.entry_id])
            return now_groups(result)

        for moved in (r for r in results if r.entry_id in moves):
            before = groups_of(*moves[moved.entry_id])
            after = now_groups(moved)
            held = {group: places[moved.pk][slot] for group, slot in before.items()}
            waiting.discard(moved.pk)
            for group, place in held.items():
                if group in after or place is None:
                    continue
                for other in results:
                    slot = groups_held(other).get(group)
                    if other is not moved and slot is not None:
                        places[other.pk][slot] = lower(places[other.pk][slot], [place])
            places[moved.pk] = [held.get(group) for group in after] + [None] * (2 - len(after))
        wanted = {pk: tuple(place) for pk, place in places.items()}
    return [(r, wanted[r.pk]) for r in results if r.pk in wanted and wanted[r.pk] != current[r.pk]]


def rederive_moved(moves, using=DEFAULT_DB_ALIAS):
    """After cars moved class (`moves`: {entry id: (class id, championship parent id) before}):
    re-derive the stored class positions of every session where one of them has a result
    (`moved_positions`), the changed results written with a history record each. Call it inside
    the `changes()` block of the entry's write (models.RederivesPositions does); returns how
    many results changed."""
    if not moves:
        return 0
    sessions = Session.objects.using(using).filter(results__entry__in=list(moves))
    return rewrite_positions(
        sessions, lambda results: moved_positions(results, moves), MOVED, using
    )


def class_order_errors(placings):
    """Messages for class positions that do not follow the finish order.

    Within a group, a car ahead in the finish order has the smaller class position, and no two
    cars share one. Placings without finish order or class position are not compared.
    """
    errors = []
    by_group = {}
    for placing in placings:
        if placing.position is not None:
            by_group.setdefault(placing.group, []).append(placing)
    for group_placings in by_group.values():
        seen = {}
        for placing in group_placings:
            if placing.position in seen:
                errors.append(
                    _("%(a)s and %(b)s share class position %(pos)s.")
                    % {
                        "a": seen[placing.position].label,
                        "b": placing.label,
                        "pos": placing.position,
                    }
                )
            seen[placing.position] = placing
        ordered = sorted(
            (p for p in group_placings if p.finish_order is not None),
            key=lambda p: p.finish_order,
        )
        for ahead, behind in itertools.pairwise(ordered):
            if ahead.position >= behind.position:
                errors.append(
                    _("%(behind)s finished behind %(ahead)s but has a better class position.")
                    % {"behind": behind.label, "ahead": ahead.label}
                )
    return errors


def placings_of(results, parent=False):
    """Placings of `results` (with entry and class loaded) by class or by parent class."""
    placings = []
    for result in results:
        car_class = result.entry.car_class
        if parent:
            if car_class.championship_parent_id is None:
                continue  # no parent, or a parent it is not ranked in (its own championship)
            group, position = car_class.parent_id, result.parent_class_position
        else:
            group, position = car_class.pk, result.class_position
        label = f"#{result.entry.number}" if result.entry.number else str(result.entry.pk)
        placings.append(Placing(label, result.finish_order, group, position))
    return placings


def check_session(session):
    """Every cross-row rule of the session's results, as a list of messages."""
    return results_order_errors(session.results.select_related("entry__car_class"))


def results_order_errors(results):
    """Class-order messages for `results` (with entry and class loaded), all of one session."""
    results = list(results)
    # One call: a sub-class car's parent-class position ranks with the parent class's own cars.
    return class_order_errors(placings_of(results) + placings_of(results, parent=True))


def result_order_errors(result):
    """Class-order messages that `result`, as edited and not yet saved, causes among the other
    stored results of its session (for a form that edits one result alone). Messages the
    other results cause among themselves are not repeated."""
    others = list(result.session.results.exclude(pk=result.pk).select_related("entry__car_class"))
    before = set(results_order_errors(others))
    return [error for error in results_order_errors([*others, result]) if error not in before]


@transaction.atomic
def renumber_finish_order(session: Session) -> int:
    """Close the gaps in a session's finish order: 1, 2, 3… in the current order.

    Results without a finish order keep none. Returns the number of results renumbered.
    """
    results = list(
        session.results.select_for_update()
        .filter(finish_order__isnull=False)
        .order_by(F("finish_order").asc(), "pk")
    )
    # Clear first: the unique finish order would reject an intermediate state of a swap.
    session.results.filter(pk__in=[r.pk for r in results]).update(finish_order=None)
    for number, result in enumerate(results, start=1):
        result.finish_order = number
        result.save(update_fields=["finish_order"])  # one save each keeps the audit history
    return len(results)
