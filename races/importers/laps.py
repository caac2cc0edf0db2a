"""The Al Kamel Systems lap analysis CSV (`23_Analysis_Race_…`): every lap of every car, with
the driver at the wheel. Plain functions from the bytes of a file to each driver's laps and
time at the wheel, or to problems with their line; `store` writes them for the file's race
(`RaceLaps`) and the crew's totals over the event's races (docs/decisions/0015-weekend-import.md).

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

from django.db import DEFAULT_DB_ALIAS

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
    """What `store` did (or would do): one line per crew place in each race, the totals of an
    event of several races, and the problems that stop it."""

    lines: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    places: int = 0  # crew places of the races of the files


def crew_member(number, name, crew, rules=(), decided=None):
    """(the crew member of car `number` the file's `name` is, or None; the problem). `crew` is
    {order: Crew}. In turn: the editor's decision (a driver id), the folded name, an alias of
    the alias file (`same`), a short form or a "Jr"/hyphen variant (drivers/short_forms.py),
    the bare name (punctuation aside); each must point at one member of this crew."""
    from drivers import matching, short_forms

    members = list(crew.values())
    if decided is not None:
        if not str(decided).isdigit():
            return (
                None,
                f"#{number}: the decisions file must name a driver of the crew for “{name}”",
            )
        hits = [m for m in members if str(m.driver_id) == str(decided)]
        if hits:
            return hits[0], ""
        return None, f"#{number}: the decisions file makes “{name}” a driver not in the crew"
    key = matching.name_key(name)
    same = {key}
    for rule in rules:
        if rule.kind == "driver" and rule.rule == "same":
            if fold(rule.name) == key:
                same.add(fold(rule.other))
            elif fold(rule.other) == key:
                same.add(fold(rule.name))
    tests = (
        lambda m: matching.name_key(m.driver.full_name) in same,
        lambda m: short_forms.near_key(m.driver.full_name) == short_forms.near_key(name),
        lambda m: matching.bare_key(m.driver.full_name) == matching.bare_key(name),
    )
    for test in tests:
        hits = [m for m in members if test(m)]
        if len(hits) == 1:
            return hits[0], ""
        if len(hits) > 1:
            return None, (
                f"#{number}: “{name}” could be "
                + " or ".join(m.driver.full_name for m in hits)
                + ": settle it in a decisions file (car, name, driver)"
            )
    on_record = ", ".join(m.driver.full_name for m in members) or "nobody"
    return None, (
        f"#{number}: “{name}” is no one of the crew on record ({on_record}): correct the crew "
        "or settle it in a decisions file (car, name, driver)"
    )


def plan(event, analyses, rules=(), decisions=None):
    """(Stored, Planned) of the lap analyses `analyses` [(race session, Parsed)] of `event`, at
    most one per race. Each DRIVER_NAME is matched against the car's crew (`crew_member`); the
    driver place is used only where the file gives no name. Every crew member of a car in a
    file gets laps and a time in that race; one who drove no lap did not drive in it. A car not
    entered, a name or place of no crew member, or a crew member's totals that are not kept per
    race where the files are not those of all the event's races (they would be lost) is a
    problem: nothing is written then. `decisions`: the timing import's decisions file's people
    ({decision key of a name in a car: driver id})."""
    from races.models import Crew, Entry, RaceLaps, Session

    report = Stored()
    decisions = decisions or {}
    races = list(Session.objects.filter(event=event, kind=Session.Kind.RACE).order_by("order"))
    replaced = set()
    for session, _parsed in analyses:
        if session.pk not in {race.pk for race in races}:
            report.errors.append(f"{session}: not a race of {event}")
        elif session.pk in replaced:
            report.errors.append(f"{session}: two lap analyses of one race")
        replaced.add(session.pk)
    if report.errors:
        return report, None
    cars = {found.number for _session, parsed in analyses for found in parsed.drivers}
    entries = {
        e.number: e
        for e in Entry.objects.filter(event=event, number__in=cars, status=Entry.Status.ENTERED)
    }
    crews = defaultdict(dict)
    for member in Crew.objects.filter(entry__in=entries.values()).select_related("driver"):
        crews[member.entry_id][member.order] = member
    for number in sorted(cars - set(entries), key=car_order):
        report.errors.append(f"#{number}: no car entered with this number in {event}")
    rows = {}  # (race pk, crew pk) → laps, time
    for session, parsed in analyses:
        for number, driven in match_drivers(parsed, entries, crews, rules, decisions, report):
            for _place, member in sorted(crews.get(entries[number].pk, {}).items()):
                laps, time = driven.get(member.pk, (0, dt.timedelta(0)))
                rows[session.pk, member.pk] = (laps, time)
                report.places += 1
                report.lines.append(
                    f"{session.name}: #{number} {member.driver.full_name}: {laps} laps, "
                    f"{time_text(time)}" + ("" if laps else " (did not drive)")
                )
    stored = list(
        RaceLaps.objects.filter(session__in=races).values_list(
            "session_id", "crew_id", "laps", "drive_time"
        )
    )
    members = {m.pk: (number, m) for number, e in entries.items() for m in crews[e.pk].values()}
    members |= {
        m.pk: (m.entry.number, m)
        for m in Crew.objects.filter(
            pk__in={crew for race, crew, *_ in stored if race in replaced} - set(members)
        ).select_related("driver", "entry")
    }
    all_races = replaced >= {race.pk for race in races}
    with_rows = {crew for _race, crew, *_ in stored}
    for pk, (number, member) in sorted(members.items(), key=member_order):
        on_record = member.laps is not None or member.drive_time is not None
        if on_record and pk not in with_rows and not all_races:
            report.errors.append(
                f"#{number} {member.driver.full_name}: laps or a time at the wheel on record that "
                f"are not kept per race (typed in, or stored before they were): import the lap "
                f"analyses of all the races of {event} together, or clear them in the crew first"
            )
    kept = [(race, crew, laps, time) for race, crew, laps, time in stored if race not in replaced]
    new = [(race, crew, laps, time) for (race, crew), (laps, time) in rows.items()]
    planned = Planned(rows, set(members), replaced)
    if len(races) > 1:
        totals = event_totals([*kept, *new], races)
        for pk, (number, member) in sorted(members.items(), key=member_order):
            laps, time, _drove = totals.get(pk, (None, None, None))
            if laps is not None:
                report.lines.append(
                    f"#{number} {member.driver.full_name}, all races: {laps} laps, "
                    f"{time_text(time)}"
                )
        raced = {race for race, *_ in [*kept, *new]}
        report.lines.extend(
            f"{race.name}: no lap analysis on record, the totals leave it out"
            for race in races
            if race.pk not in raced
        )
    return report, planned


@dataclass(frozen=True)
class Planned:
    """What `store` writes: each crew member's laps and time in the races of the files, the
    crew members whose totals follow, and the races whose rows the files replace."""

    rows: dict  # (race pk, crew pk) → (laps, time)
    members: set  # crew pks
    races: set  # race pks


def car_order(number):
    return (len(number), number)


def member_order(item):
    """Sort key of a (crew pk, (car number, Crew)) item: by car, then place in the crew."""
    _pk, (number, member) = item
    return (car_order(number), member.order)


def match_drivers(parsed, entries, crews, rules, decisions, report):
    """[(car number, {crew pk: [laps, time]})] of one lap analysis, each car of the file that
    is entered; a name or place of no crew member is a problem in `report`."""
    from races.importers.classification import decision_key

    totals = defaultdict(lambda: [0, dt.timedelta(0), ""])  # (car, place, folded name)
    for found in parsed.drivers:
        total = totals[found.number, found.place if not found.name else 0, fold(found.name)]
        total[0] += found.laps
        total[1] += found.time
        total[2] = total[2] or found.name
    out = []
    for number in sorted({car for car, _place, _name in totals}, key=car_order):
        entry = entries.get(number)
        if entry is None:
            continue
        crew = crews.get(entry.pk, {})
        driven = defaultdict(lambda: [0, dt.timedelta(0)])  # crew pk → laps, time
        for (car, place, _folded), (laps, time, name) in sorted(totals.items()):
            if car != number:
                continue
            if name:
                decided = decisions.get(decision_key("driver", name, number))
                member, problem = crew_member(number, name, crew, rules, decided)
            else:
                member = crew.get(place)
                problem = f"#{number}: no driver {place} in the crew on record"
            if member is None:
                report.errors.append(problem)
                continue
            driven[member.pk][0] += laps
            driven[member.pk][1] += time
        out.append((number, driven))
    return out


def event_totals(rows, races):
    """{crew pk: (laps, time, drove)} of the rows [(race pk, crew pk, laps, time)] of an event's
    races `races`: the sums over the races. Drove is True after a lap; False after none only
    where every race of the event has its lap analysis on record (a driver may have driven in
    the race that has none yet); None where it is not known (the crew's own value stays)."""
    complete = {race for race, *_ in rows} >= {race.pk for race in races}
    sums = {}
    for _race, crew, laps, time in rows:
        before = sums.get(crew, (0, dt.timedelta(0)))
        sums[crew] = (before[0] + laps, before[1] + time)
    return {
        crew: (laps, time, True if laps else (False if complete else None))
        for crew, (laps, time) in sums.items()
    }


def time_text(value):
    seconds = int(value.total_seconds())
    return f"{seconds // 3600}:{seconds % 3600 // 60:02}:{seconds % 60:02}"


def store(event, analyses, dry_run=False, rules=(), decisions=None):
    """Write each crew member's laps and time at the wheel in each race of `analyses`
    [(race session, Parsed)], in place of what that race had (the other races' stay), and the
    crew's totals over all the event's races (`event_totals`), through the write path (one
    block: the standings of the event's seasons are refreshed once). Returns `Stored`; nothing
    is written where it lists errors."""
    from races.models import Crew, RaceLaps
    from races.writes import changes

    for _session, parsed in analyses:
        if parsed.errors:
            report = Stored()
            report.errors = [str(p) for p in parsed.errors]
            return report
    report, planned = plan(event, analyses, rules, decisions)
    if report.errors or dry_run:
        return report
    with changes():
        members = list(Crew.objects.filter(pk__in=planned.members).select_for_update())
        stored = {
            (row.session_id, row.crew_id): row
            for row in RaceLaps.objects.filter(session__in=planned.races)
        }
        gone = [row.pk for key, row in stored.items() if key not in planned.rows]
        if gone:
            RaceLaps.objects.filter(pk__in=gone).delete()
        changed = []
        for (race, crew), (laps, time) in planned.rows.items():
            row = stored.get((race, crew))
            if row is None:
                changed.append(RaceLaps(session_id=race, crew_id=crew, laps=laps, drive_time=time))
            elif (row.laps, row.drive_time) != (laps, time):
                row.laps, row.drive_time = laps, time
                row.save(update_fields=["laps", "drive_time"])
        if changed:
            RaceLaps.objects.bulk_create(changed)
        settle_totals(event.pk, members)
    return report


def settle_totals(event_id, members, using=DEFAULT_DB_ALIAS):
    """Write on the crew members `members` (of event `event_id`, read locked) their laps, time
    at the wheel and drove as the sums over the event's races on record (`event_totals`): no
    laps and no time where none of its races has laps of theirs, drove as it was where the
    races do not tell. Unchanged members are not written. Call it inside a `changes()` block."""
    from races.models import RaceLaps, Session

    races = list(Session.objects.using(using).filter(event_id=event_id, kind=Session.Kind.RACE))
    totals = event_totals(
        RaceLaps.objects.using(using)
        .filter(session__in=races)
        .values_list("session_id", "crew_id", "laps", "drive_time"),
        races,
    )
    for member in members:
        laps, time, drove = totals.get(member.pk, (None, None, None))
        drove = member.drove if drove is None else drove
        if (member.laps, member.drive_time, member.drove) == (laps, time, drove):
            continue  # unchanged: the same file again writes nothing
        member.laps, member.drive_time, member.drove = laps, time, drove
        member.save(update_fields=["laps", "drive_time", "drove"])
