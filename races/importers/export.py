"""A session's results as an Al Kamel classification CSV: what `alkamel.parse` reads back to
the same values (laps, times, gaps, positions, statuses, crews, classes, cars).

Names are written "First LAST" from the driver's first and last name when they are set, else
with the last word of the full name in capitals; the importer matches names by their folded
form, so either reads back to the same driver. Cars that did not start a race follow the
results with STATUS `Not started` and no position. Every cell goes through races/importers/cells.py
(a formula is written behind an apostrophe; the import removes it).

After the timing columns come the site's own, for what a timing file cannot say unambiguously:
ENTRY_ID (a car without number, two cars of one number), CHASSIS and ENGINE (a chassis may hold
" - "), and the positions as recorded (a partial session has class positions without a finish
order). docs/decisions/0004-classification-import.md lists every column; the export of any
session imported again into it proposes no change (races/tests/test_import_roundtrip.py).
"""

import datetime as dt
import io

from django.db.models import F, Prefetch

from races.importers import cells
from races.importers.alkamel import NOT_STARTED, SITE_POSITIONS, STATUS_WORDS, tyre_letter
from races.models import Crew, Entry, Result, Session

HEAD = ["POSITION", "NUMBER", "TEAM"]
TAIL = [
    "VEHICLE",
    "TYRES",
    "CLASS",
    "STATUS",
    "LAPS",
    "TOTAL_TIME",
    "GAP_FIRST",
    "GAP_PREVIOUS",
    "FL_LAPNUM",
    "FL_TIME",
    "FL_KPH",
    # The site's own columns, read back by alkamel.parse (docs/decisions/0004): the car, its
    # chassis and engine apart, and the positions a partial session cannot derive.
    "ENTRY_ID",
    "CHASSIS",
    "ENGINE",
    *SITE_POSITIONS,
]


def format_time(value):
    """`4:00'04.690`, `1'36.144`, `28.869`, as the timing sheets write them; None → ""."""
    if value is None:
        return ""
    sign = "-" if value.total_seconds() < 0 else ""
    total_us = abs(value // dt.timedelta(microseconds=1))
    seconds, us = divmod(total_us, 1_000_000)
    minutes, seconds = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    fraction = f"{us:06d}".rstrip("0").ljust(3, "0")
    if hours:
        return f"{sign}{hours}:{minutes:02}'{seconds:02}.{fraction}"
    if minutes:
        return f"{sign}{minutes}'{seconds:02}.{fraction}"
    return f"{sign}{seconds}.{fraction}"


def format_gap(laps, time):
    if laps is not None:
        return f"{laps} Laps"
    return format_time(time)


def written_name(driver):
    """ "Simon DOLAN": the surname in capitals."""
    first, last = driver.first_name.strip(), driver.last_name.strip()
    full = driver.full_name.strip()
    if last and full.endswith(last):
        return f"{full[: -len(last)].strip()} {last.upper()}".strip()
    if first and last:
        return f"{first} {last.upper()}"
    head, _, tail = full.rpartition(" ")
    return f"{head} {tail.upper()}".strip()


def vehicle(entry):
    return f"{entry.chassis} - {entry.engine}" if entry.engine else entry.chassis


def gap_previous(result, previous):
    """The gap to the car ahead: laps when they differ, else the time between them."""
    if previous is None or result.laps is None or previous.laps is None:
        return ""
    if result.laps != previous.laps:
        return f"{previous.laps - result.laps} Laps"
    if result.time is None or previous.time is None:
        return ""
    return format_time(result.time - previous.time)


def best_lap_kph(result, layout):
    if layout is None or not result.best_lap:
        return ""
    hours = result.best_lap.total_seconds() / 3600
    return f"{float(layout.length_km) / hours:.1f}"


def export_session(session):
    """The CSV text (with a byte-order mark, `;` after every value, LF line ends)."""
    session = Session.objects.select_related("event__layout").get(pk=session.pk)
    crews = Prefetch("entry__crew", queryset=Crew.objects.select_related("driver"))
    results = list(
        Result.objects.filter(session=session)
        .select_related("entry__team", "entry__car_class")
        .prefetch_related(crews)
        .order_by(F("finish_order").asc(nulls_last=True), "pk")
    )
    not_started = []
    if session.kind == Session.Kind.RACE:
        started = {r.entry_id for r in results}
        not_started = [
            entry
            for entry in Entry.objects.filter(
                event_id=session.event_id, status=Entry.Status.DID_NOT_START
            )
            .select_related("team", "car_class")
            .prefetch_related(Prefetch("crew", queryset=Crew.objects.select_related("driver")))
            .order_by("number", "pk")
            if entry.pk not in started
        ]
    entries = [r.entry for r in results] + not_started
    places = max([4, *(len(entry.crew.all()) for entry in entries)])
    out = io.StringIO()
    out.write("\ufeff")
    writer = cells.writer(out, delimiter=";", lineterminator="\n")
    # The empty last value writes the trailing `;` of the format.
    writer.writerow([*HEAD, *(f"DRIVER_{n}" for n in range(1, places + 1)), *TAIL, ""])
    previous = None
    layout = session.event.layout
    for result in results:
        timing = [
            STATUS_WORDS.get(result.status, result.status),
            "" if result.laps is None else result.laps,
            format_time(result.time),
            format_gap(result.gap_laps, result.gap_time),
            gap_previous(result, previous),
            "" if result.best_lap_number is None else result.best_lap_number,
            format_time(result.best_lap),
            best_lap_kph(result, layout),
        ]
        positions = [result.position, result.class_position, result.parent_class_position]
        row = car(result.entry, result.finish_order, places, timing, positions)
        writer.writerow([*row, ""])
        previous = result
    for entry in not_started:
        writer.writerow([*car(entry, None, places, [NOT_STARTED, *[""] * 7], []), ""])
    return out.getvalue()


def car(entry, position, places, timing, positions):
    crew = sorted(entry.crew.all(), key=lambda c: c.order)
    names = [written_name(c.driver) for c in crew]
    names += [""] * (places - len(names))
    team = entry.entrant or (entry.team.name if entry.team else "")
    return [
        "" if position is None else position,
        entry.number,
        team,
        *names,
        vehicle(entry),
        tyre_letter(entry.tyres),
        entry.car_class.code,
        *timing,
        entry.pk,
        entry.chassis,
        entry.engine,
        *("" if place is None else place for place in positions),
        *[""] * (len(SITE_POSITIONS) - len(positions)),
    ]
