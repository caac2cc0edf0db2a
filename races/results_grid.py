"""A session's results as one grid: the rules across its rows and the positions derived from
them (races/grid_admin.py is the admin screen that uses it).

Plain functions over plain rows: they take `GridRow`s and return positions, or the problems
per row, so they are tested without a database. The class positions come from the one function
the timing import uses too (`races.results.championship_class_positions`).

A complete session (results status other than partial) derives every position from the finish
order and the status: the overall position is the finish order of a classified car, class
positions count the classified cars of each class in finish order. A partial session (the 2011
rounds: a few cars' places from reports) cannot derive them — a class winner may have no known
finish order — so there the class positions are typed, and checked against the finish order
with `races.results.class_order_errors`. See docs/decisions/0019-results-grid.md.
"""

import itertools
import re
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from typing import NamedTuple

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from races import writes
from races.models import MAX_HOURS, MAX_LAPS, Result, ResultStatus, Session
from races.results import (
    TIMING_VALUES,
    Placing,
    championship_class_positions,
    class_order_errors,
)

NO_RESULT = ""  # the status of a row whose car has no result in the session


@dataclass(frozen=True)
class GridRow:
    """One car of the grid, as the editor left it."""

    key: object  # the entry's id
    label: str  # how a message names the car: "#39"
    car_class: object  # a CarClass (pk, parent_id, championship_parent_id)
    status: str = NO_RESULT
    finish_order: int | None = None
    position: int | None = None  # typed: partial sessions only, for a car without finish order
    class_position: int | None = None  # typed: partial sessions only
    parent_class_position: int | None = None  # typed: partial sessions only

    @property
    def has_result(self):
        return self.status != NO_RESULT

    @property
    def classified(self):
        return self.status == ResultStatus.CLASSIFIED


class Positions(NamedTuple):
    position: int | None
    class_position: int | None
    parent_class_position: int | None


def car_label(entry):
    return f"#{entry.number}" if entry.number else _("car without number")


def describe_result(result):
    """A stored result in a few words, to show an editor what someone else saved."""
    if result is None:
        return _("no result")
    position = result.position or result.finish_order or "–"
    if result.laps is None:
        laps = _("laps not known")
    else:
        laps = ngettext("%(n)s lap", "%(n)s laps", result.laps) % {"n": result.laps}
    return _("%(status)s, place %(position)s, %(laps)s") % {
        "status": result.get_status_display(),
        "position": position,
        "laps": laps,
    }


def derive_positions(rows, partial=False):
    """{key: Positions} of the rows with a result. The overall position is the finish order of a
    classified car; in a complete session the class positions count the classified cars of
    each class (and parent class) in finish order, in a partial one they are the typed ones."""
    positions = {}
    if partial:
        for row in rows:
            if row.has_result:
                position = partial_position(row)
                own = row.class_position if row.classified else None
                parent = row.parent_class_position if row.classified else None
                positions[row.key] = Positions(position, own, parent)
        return positions
    ordered = sorted(
        (row for row in rows if row.classified and row.finish_order is not None),
        key=lambda row: row.finish_order,
    )
    by_class = championship_class_positions((row.key, row.car_class) for row in ordered)
    for row in rows:
        if row.has_result:
            own, parent = by_class.get(row.key, (None, None))
            position = row.finish_order if row.classified else None
            positions[row.key] = Positions(position, own, parent)
    return positions


def partial_position(row):
    """A classified car's overall position in a partial session: its finish order, or without
    one the position a source gives (the Estoril 2011 pole: 1st, no full order known)."""
    if not row.classified:
        return None
    return row.finish_order if row.finish_order is not None else row.position


def grid_problems(rows, partial=False):
    """{key: [messages]} of the rows that break a rule across the grid (each row's own fields
    are checked by its form): two cars with one finish order, a car with a result but no finish
    order in a complete session, a finish order with a gap in a complete session, a classified
    car behind an unclassified one, class positions that contradict the finish order (partial
    sessions, where they are typed)."""
    problems = {}

    def add(row, message):
        problems.setdefault(row.key, []).append(message)

    with_result = [row for row in rows if row.has_result]
    for row in rows:
        if not row.has_result and row.finish_order is not None:
            add(row, _("A car with a finish order needs a status."))
        if not partial and row.has_result and row.finish_order is None:
            add(row, _("Give a finish order: only partial results may leave it empty."))

    by_order = {}
    for row in with_result:
        if row.finish_order is not None:
            by_order.setdefault(row.finish_order, []).append(row)
    for order, clashing in by_order.items():
        if len(clashing) > 1:
            for row in clashing:
                others = ", ".join(other.label for other in clashing if other is not row)
                add(
                    row,
                    _("%(others)s has the finish order %(order)d too.")
                    % {"others": others, "order": order},
                )

    if not partial:
        count = len(with_result)
        for row in with_result:
            if row.finish_order is not None and row.finish_order > count:
                add(
                    row,
                    ngettext(
                        "The finish order runs from 1 to %(n)d: %(n)d car has a result.",
                        "The finish order runs from 1 to %(n)d: %(n)d cars have a result.",
                        count,
                    )
                    % {"n": count},
                )

    ordered = sorted(
        (row for row in with_result if row.finish_order is not None),
        key=lambda row: row.finish_order,
    )
    first_unclassified = None
    for row in ordered:
        if not row.classified and first_unclassified is None:
            first_unclassified = row
        elif row.classified and first_unclassified is not None:
            add(
                row,
                _("Classified, but behind %(car)s, which is not: classified cars come first.")
                % {"car": first_unclassified.label},
            )

    if partial:
        by_position = {}
        for row in with_result:
            if (position := partial_position(row)) is not None:
                by_position.setdefault(position, []).append(row)
        for position, clashing in by_position.items():
            if len(clashing) > 1:
                for row in clashing:
                    others = ", ".join(other.label for other in clashing if other is not row)
                    add(
                        row,
                        _("%(others)s has the position %(position)d too.")
                        % {"others": others, "position": position},
                    )
        for message_row, message in typed_class_order_problems(with_result):
            add(message_row, message)
    return problems


def typed_class_order_problems(rows):
    """(row, message) for typed class positions that share a place or contradict the finish
    order: `class_order_errors` asked about each pair of cars of one class."""
    found = []
    placings = []
    for row in rows:
        if not row.classified:
            continue
        placings.append(
            (row, Placing(row.label, row.finish_order, row.car_class.pk, row.class_position))
        )
        if row.car_class.championship_parent_id is not None:
            placings.append(
                (
                    row,
                    Placing(
                        row.label,
                        row.finish_order,
                        row.car_class.parent_id,
                        row.parent_class_position,
                    ),
                )
            )
    for (row_a, a), (row_b, b) in itertools.combinations(placings, 2):
        if a.group != b.group or row_a is row_b:
            continue
        for message in class_order_errors([a, b]):
            found.append((row_a, message))
            found.append((row_b, message))
    return found


# --- values as typed --------------------------------------------------------------------------

_DURATION = re.compile(
    r"^(?:(?:(?P<hours>\d+):)?(?P<minutes>\d+):)?(?P<seconds>\d+)(?:[.,](?P<fraction>\d{1,6}))?$"
)
_GAP_LAPS = re.compile(r"^\+?\s*(?P<laps>\d+)\s*(?P<unit>[^\d\s.,:]+)\.?$")
LAP_WORDS = {"l", "lap", "laps", "rd", "rde", "runde", "runden"}


def parse_duration(text):
    """A time as timing screens write it (`6:00:24.815`, `3:41,123`, `45.9`) → timedelta.
    Raises ValueError for anything else, or a time beyond the site's bound."""
    match = _DURATION.match(text.strip())
    if not match:
        raise ValueError(text)
    parts = match.groupdict()
    minutes, seconds = int(parts["minutes"] or 0), int(parts["seconds"])
    if (parts["minutes"] is not None and seconds >= 60) or (
        parts["hours"] is not None and minutes >= 60
    ):
        raise ValueError(text)
    hours = int(parts["hours"] or 0)
    # Bounded before a timedelta is made of it: twenty typed digits would overflow one.
    if hours * 3600 + minutes * 60 + seconds > MAX_HOURS * 3600:
        raise ValueError(text)
    fraction = (parts["fraction"] or "").ljust(6, "0")
    value = timedelta(
        hours=hours, minutes=minutes, seconds=seconds, microseconds=int(fraction or 0)
    )
    if value > timedelta(hours=MAX_HOURS):
        raise ValueError(text)
    return value


def parse_gap(text):
    """A gap to the leader → (laps, time), one of them None: `+2 laps`, `1 Runde`, `+1:23.456`.
    Raises ValueError for anything else."""
    text = text.strip()
    match = _GAP_LAPS.match(text)
    if match:
        if match["unit"].lower() not in LAP_WORDS:
            raise ValueError(text)
        laps = int(match["laps"])
        if not 0 < laps <= MAX_LAPS:
            raise ValueError(text)
        return laps, None
    return None, parse_duration(text.removeprefix("+").strip())


# --- the write ---------------------------------------------------------------------------------

REASON = "Results grid"
# The values of a result that the grid writes: timing's values but for the best lap's number,
# which the grid has no column for (a save keeps the stored one), and the editor's reason,
# which a timing file never carries.
GRID_VALUES = (*(name for name in TIMING_VALUES if name != "best_lap_number"), "reason")


@dataclass(frozen=True)
class Saved:
    created: int
    changed: int
    deleted: int


# What an editor sees of a result in the grid: a change to any of these by someone else since
# the grid was drawn refuses the save, naming the car.
LOCKED_FIELDS = ("pk", *GRID_VALUES)


def loaded_digest(results):
    """The digest of a session's stored results, per car, that its grid carries to the save."""
    return writes.digest(results, LOCKED_FIELDS, key=lambda result: result.entry_id)


def save_results(session, wanted, layout=None, loaded=None):
    """Write the grid: `wanted` maps an entry id to the values of its result (the fields of
    GRID_VALUES except the distance), or to None for no result. Only results that change are
    written, each with its own history record; in one block of races/writes.py, so the stored
    standings and the data version follow in the same transaction. A session that had no
    results is marked final, as the timing import does. With `loaded` (the `loaded_digest` of
    the results the grid was drawn from), results saved by someone else since then raise
    `writes.ChangedMeanwhile` naming their cars, and nothing is written."""
    with writes.changes():
        Session.objects.select_for_update().filter(pk=session.pk).first()
        # Locked: a writer that has not committed yet is waited for, then seen.
        existing = {result.entry_id: result for result in session.results.select_for_update()}
        if loaded is not None:
            writes.check_unchanged(
                existing.values(), LOCKED_FIELDS, lambda result: result.entry_id, loaded
            )
        created, changed, deleted = [], [], []
        for entry_id, values in wanted.items():
            result = existing.get(entry_id)
            if values is None:
                if result is not None:
                    deleted.append(result)
                continue
            values = {**values, "distance_km": distance(result, values.get("laps"), layout)}
            if result is None:
                created.append(Result(session=session, entry_id=entry_id, **values))
            elif any(getattr(result, name) != value for name, value in values.items()):
                for name, value in values.items():
                    setattr(result, name, value)
                changed.append(result)
        for result in deleted:
            result._change_reason = REASON
            result.delete()
        if changed:
            # Out of the way first: finish order and position are unique within a session.
            Result.objects.filter(pk__in=[result.pk for result in changed]).update(
                finish_order=None, position=None
            )
        for result in [*changed, *created]:
            result._change_reason = REASON
            result.save()
        if (created or changed) and session.results_status == Session.ResultsStatus.NONE:
            session.results_status = Session.ResultsStatus.FINAL
            session._change_reason = REASON
            session.save(update_fields=["results_status"])
    return Saved(len(created), len(changed), len(deleted))


def distance(result, laps, layout):
    """The distance of a result with `laps`: a stored one while the laps stay the same (it may
    come from a source), else the laps times the layout's length, if known."""
    if result is not None and result.laps == laps and result.distance_km is not None:
        return result.distance_km
    if layout is None or laps is None:
        return None
    return (layout.length_km * laps).quantize(Decimal("0.001"))
