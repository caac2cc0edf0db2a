"""The Al Kamel Systems lap analysis CSV (`23_Analysis_Race_…`): every lap of every car, with
the driver at the wheel. Plain functions from the bytes of a file to each driver's laps and
time at the wheel, or to problems with their line; `store` writes them on the crew.

The layout: `;`-separated (the header's names often followed by a space), UTF-8 with a
byte-order mark, CRLF line ends. Columns read by name: NUMBER (the car), DRIVER_NUMBER (the
driver's place in the crew: 1, 2, 3…), LAP_NUMBER, LAP_TIME (`2:06.349`, a pit stop included in
the lap it happens in), and DRIVER_NAME where given ("Neel JANI"), to check the crew place; the
others (sectors, speeds, PIT_TIME…) are not needed. A driver's time at the wheel is the sum of
the lap times of the laps they drove.
"""

import csv
import datetime as dt
import io
from collections import defaultdict
from dataclasses import dataclass, field

from drivers.names import fold
from races.importers.alkamel import Problem, decode, parse_time

MAX_BYTES = 16 * 1024 * 1024  # a 24-hour race's analysis is ~3 MB
MAX_LAPS = 40_000  # lap rows: a 62-car 24-hour race has ~18,000
MAX_PROBLEMS = 50
MAX_DRIVER_NUMBER = 9
MAX_LAP_TIME = dt.timedelta(hours=6)  # a lap longer is a typing error (a red flag is shorter)
REQUIRED = ("NUMBER", "DRIVER_NUMBER", "LAP_NUMBER", "LAP_TIME")


@dataclass(frozen=True)
class DriverLaps:
    """One driver's share of one car's race."""

    number: str  # the car, as painted
    place: int  # DRIVER_NUMBER: the driver's place in the crew
    name: str  # DRIVER_NAME as written, "" where the file has none
    laps: int
    time: dt.timedelta


@dataclass
class Parsed:
    drivers: list[DriverLaps] = field(default_factory=list)
    errors: list[Problem] = field(default_factory=list)

    @property
    def cars(self):
        return sorted({d.number for d in self.drivers})


def parse(content):
    """`Parsed` of a lap analysis file's bytes: each (car, driver) with laps and time, in the
    order the file gives them, or the problems that make the file unusable."""
    parsed = Parsed()
    if len(content) > MAX_BYTES:
        parsed.errors.append(
            Problem(
                f"The file is {len(content) / 2**20:.1f} MB, larger than the limit of "
                f"{MAX_BYTES // 2**20} MB: is it a lap analysis?"
            )
        )
        return parsed
    text, problem = decode(content)
    if problem:
        parsed.errors.append(problem)
        return parsed
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=";")
    header = next(reader, None)
    columns = [name.strip().upper() for name in header or []]
    missing = [name for name in REQUIRED if name not in columns]
    if missing:
        parsed.errors.append(
            Problem("not a lap analysis: no column " + ", ".join(missing) + " in the first line", 1)
        )
        return parsed
    index = {name: columns.index(name) for name in (*REQUIRED, "DRIVER_NAME") if name in columns}
    totals = defaultdict(lambda: [0, dt.timedelta(0), ""])  # (car, place) -> laps, time, name
    seen = {}  # (car, lap) -> line
    for line, raw in enumerate(reader, start=2):
        if not any(cell.strip() for cell in raw):
            continue
        if len(seen) >= MAX_LAPS:
            parsed.errors.append(
                Problem(f"more than {MAX_LAPS} laps: is it a lap analysis of one race?", line)
            )
            break
        row = read_row(line, raw, index, parsed.errors)
        if row is None:
            if len(parsed.errors) > MAX_PROBLEMS:
                break
            continue
        number, place, lap, time, name = row
        if (number, lap) in seen:
            parsed.errors.append(
                Problem(f"car #{number} lap {lap} is also on line {seen[number, lap]}", line)
            )
            continue
        seen[number, lap] = line
        total = totals[number, place]
        total[0] += 1
        total[1] += time
        if name and total[2] and fold(name) != fold(total[2]):
            parsed.errors.append(
                Problem(
                    f"car #{number} driver {place} is “{total[2]}” and “{name}”: one place, "
                    "two names",
                    line,
                )
            )
        total[2] = total[2] or name
    if len(parsed.errors) > MAX_PROBLEMS:
        more = len(parsed.errors) - MAX_PROBLEMS
        parsed.errors[MAX_PROBLEMS:] = [Problem(f"…and {more} more errors.")]
    if not parsed.errors:
        parsed.drivers = [
            DriverLaps(number, place, name, laps, time)
            for (number, place), (laps, time, name) in totals.items()
        ]
        if not parsed.drivers:
            parsed.errors.append(Problem("the file has no laps"))
    return parsed


def read_row(line, raw, index, errors):
    """(car number, driver place, lap number, lap time, driver name) of one line, or None with
    its problem added to `errors`."""

    def cell(name):
        position = index.get(name)
        return raw[position].strip() if position is not None and position < len(raw) else ""

    number = cell("NUMBER")
    if not number or len(number) > 6:
        errors.append(Problem(f"“{number}” is not a car number", line))
        return None
    values = []
    for name, what, top in (
        ("DRIVER_NUMBER", "a driver's place in the crew", MAX_DRIVER_NUMBER),
        ("LAP_NUMBER", "a lap number", MAX_LAPS),
    ):
        text = cell(name)
        if not (text.isascii() and text.isdigit()) or not 1 <= int(text) <= top:
            errors.append(Problem(f"{name} “{text}” is not {what} (1 to {top})", line))
            return None
        values.append(int(text))
    try:
        time = parse_time(cell("LAP_TIME"))
    except ValueError as error:
        errors.append(Problem(f"LAP_TIME: {error}", line))
        return None
    if time is None or time <= dt.timedelta(0) or time > MAX_LAP_TIME:
        errors.append(Problem(f"LAP_TIME “{cell('LAP_TIME')}” is not a lap time", line))
        return None
    name = cell("DRIVER_NAME")[:200]
    return number, values[0], values[1], time, name


# --- writing ----------------------------------------------------------------------------------


@dataclass
class Stored:
    """What `store` did (or would do): one line per crew place, and the problems that stop it."""

    lines: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def plan(event, parsed_files):
    """(Stored, {crew pk: (laps, time, drove)}) for the crews of `event` from the lap analyses of
    its race(s) (`parsed_files`, a double-header's two add up). Every crew member of a car in
    the files gets laps and a time; one who drove no lap did not drive. A car not entered, or a
    driver place with no crew member or another name, is a problem: nothing is written then."""
    from races.models import Crew, Entry

    report = Stored()
    totals = defaultdict(lambda: [0, dt.timedelta(0), ""])
    for parsed in parsed_files:
        for found in parsed.drivers:
            total = totals[found.number, found.place]
            total[0] += found.laps
            total[1] += found.time
            total[2] = total[2] or found.name
    cars = {number for number, _place in totals}
    entries = {
        e.number: e
        for e in Entry.objects.filter(event=event, number__in=cars, status=Entry.Status.ENTERED)
    }
    crews = defaultdict(dict)
    for member in Crew.objects.filter(entry__in=entries.values()).select_related("driver"):
        crews[member.entry_id][member.order] = member
    values = {}
    for number in sorted(cars, key=lambda n: (len(n), n)):
        entry = entries.get(number)
        if entry is None:
            report.errors.append(f"#{number}: no car entered with this number in {event}")
            continue
        crew = crews.get(entry.pk, {})
        for place in sorted(p for n, p in totals if n == number):
            laps, time, name = totals[number, place]
            member = crew.get(place)
            if member is None:
                report.errors.append(f"#{number}: no driver {place} in the crew on record")
            elif name and fold(name) != fold(member.driver.full_name):
                report.errors.append(
                    f"#{number}: driver {place} is “{name}” in the file, "
                    f"{member.driver.full_name} on record"
                )
        for place, member in sorted(crew.items()):
            laps, time, _name = totals.get((number, place), (0, dt.timedelta(0), ""))
            values[member.pk] = (laps, time, laps > 0)
            report.lines.append(
                f"#{number} {member.driver.full_name}: {laps} laps, {time_text(time)}"
                + ("" if laps else " (did not drive)")
            )
    return report, values


def time_text(value):
    seconds = int(value.total_seconds())
    return f"{seconds // 3600}:{seconds % 3600 // 60:02}:{seconds % 60:02}"


def store(event, parsed_files, dry_run=False):
    """Write each crew member's laps, time at the wheel and whether they drove, through the
    write path (one block: the standings of the event's seasons are refreshed once). Returns
    `Stored`; nothing is written where it lists errors."""
    from races.models import Crew
    from races.writes import changes

    for parsed in parsed_files:
        if parsed.errors:
            report = Stored()
            report.errors = [str(p) for p in parsed.errors]
            return report
    report, values = plan(event, parsed_files)
    if report.errors or dry_run:
        return report
    with changes():
        for member in Crew.objects.filter(pk__in=values).select_for_update():
            member.laps, member.drive_time, member.drove = values[member.pk]
            member.save(update_fields=["laps", "drive_time", "drove"])
    return report
