"""Rules and writes that concern a session's results as a whole.

Pure functions take plain rows and return findings, so they are tested without a database;
the write functions wrap them in a transaction.
"""

import itertools
from collections import Counter
from dataclasses import dataclass

from django.db import transaction
from django.db.models import F
from django.utils.translation import gettext as _

from races.models import Session

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


def class_change_errors(entry):
    """Class-order messages that `entry`'s class, as edited and not yet saved, causes in the
    sessions where the car has results, each led by the session's name."""
    errors = []
    for session in Session.objects.filter(results__entry=entry).order_by("order"):
        results = list(session.results.select_related("entry__car_class"))
        before = set(results_order_errors(results))
        for result in results:
            if result.entry_id == entry.pk:
                result.entry = entry
        errors += [
            _("%(session)s: %(error)s") % {"session": session.name, "error": error}
            for error in results_order_errors(results)
            if error not in before
        ]
    return errors


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
