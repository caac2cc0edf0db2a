"""The 24 Hours of Le Mans 1923–2026 from gdsotirov/lemans24 (CC BY-SA 3.0, derived from
Wikipedia): every edition, every entry, its crew and its outcome.

Parsing is plain functions over rows (tested without a database); `load` writes with bulk
inserts, so it skips `save()` (search keys are set here) and django-simple-history (bulk loads
write no history). Upstream errors are corrected by the reviewed errata file, never in the
copied CSVs; who is who comes from drivers.matching and its alias file. See
docs/decisions/0002-le-mans-data.md.
"""

import csv
import datetime as dt
import re
import time
import zoneinfo
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django_countries import countries

from drivers import matching
from drivers.models import Driver
from drivers.names import fold
from drivers.people import impossible_years, read_people
from races import writes
from races.models import (
    CarClass,
    Circuit,
    CircuitLayout,
    Crew,
    Entry,
    Event,
    Registration,
    Result,
    Round,
    Season,
    SeasonClass,
    Series,
    Session,
    Team,
)
from races.results import class_positions

DATA = Path(__file__).resolve().parent / "data"
RESULTS = DATA / "lemans24" / "results_in.csv"
RACES = DATA / "lemans24" / "races.csv"
CIRCUITS = DATA / "lemans24" / "circuits.csv"
ERRATA = DATA / "lemans24-errata.csv"
DID_NOT_DRIVE = DATA / "did-not-drive.csv"

SERIES = ("24 Hours of Le Mans", "24-hours-of-le-mans", "Le Mans")
EVENT = ("24 Hours of Le Mans", "24-hours-of-le-mans")
CIRCUIT = ("Circuit de la Sarthe", "circuit-de-la-sarthe", "Le Mans", "FR", "Europe/Paris")
PARIS = zoneinfo.ZoneInfo("Europe/Paris")
SOURCE = (
    "gdsotirov/lemans24 (github.com/gdsotirov/lemans24), derived from Wikipedia; "
    "CC BY-SA 3.0, Wikipedia contributors and gdsotirov/lemans24"
)
SUBSET_YEARS = range(2010, 2013)

# The data's country codes: ISO 3166-1 alpha-3 (looked up in django-countries) and these.
# DD, CS, RH and XS are named in settings.COUNTRIES_OVERRIDE; XR and XW are the neutral
# licences (docs/decisions/0001-neutral-licences.md).
COUNTRY_CODES = {
    "DDDE": "DD",  # East Germany (ISO 3166-3)
    "CSHH": "CS",  # Czechoslovakia (ISO 3166-3)
    "RHZW": "RH",  # Rhodesia (ISO 3166-3)
    "SCO": "XS",  # Scotland
    "LUD": "LU",  # Luxembourg (used for drivers and entrants, 1965–2025)
    "RAF": "XR",  # neutral: Russian Automobile Federation licence (2021)
    "WFS": "XW",  # neutral: WFS licence (2023–2026)
}

# Class colours (DESIGN.md, the ACO convention): prototypes red (top) and blue (second),
# GTE Pro green, GTE Am and LMGT3 orange; everything older neutral grey.
RED, BLUE, GREEN, ORANGE, GREY = "#c8102e", "#1e5bc6", "#1a7f37", "#d4600b", "#6b7280"
CLASS_NAMES = {
    "Hypercar": ("Hypercar", RED),
    "LMP1": ("LMP1", RED),
    "LMP1-H": ("LMP1 Hybrid", RED),
    "LMP1-L": ("LMP1 non-hybrid", RED),
    "LMP900": ("LMP900", RED),
    "LMP2": ("LMP2", BLUE),
    "LMP2(Pro-Am)": ("LMP2 Pro-Am", BLUE),
    "LMP675": ("LMP675", BLUE),
    "LMP3": ("LMP3", "#7e3fb0"),
    "LMGTEPro": ("LM GTE Pro", GREEN),
    "LMGTEAm": ("LM GTE Am", ORANGE),
    "LMGT3": ("LMGT3", ORANGE),
}
PARENTS = {"LMP2(Pro-Am)": "LMP2", "LMP1-H": "LMP1", "LMP1-L": "LMP1"}
UNKNOWN_CLASS = ("Unknown", "Class not recorded")

# Pos → (entry status, result status); a number is a classified finish.
OUTCOMES = {
    "NC": (Entry.Status.ENTERED, Result.Status.NOT_CLASSIFIED),
    "DNF": (Entry.Status.ENTERED, Result.Status.RETIRED),
    "DSQ": (Entry.Status.ENTERED, Result.Status.DISQUALIFIED),
    "DNS": (Entry.Status.DID_NOT_START, None),
    "DNQ": (Entry.Status.DID_NOT_QUALIFY, None),
    "DNA": (Entry.Status.DID_NOT_ARRIVE, None),
    "DNP": (Entry.Status.DID_NOT_PRACTISE, None),
    "RES": (Entry.Status.RESERVE, None),
}
# Reasons written for a car that never took part, whatever its `Pos` code says: the car's
# entry status (docs/decisions/0013-as-raced.md). Upstream writes two such cars of 1971 as
# retired with 0 laps ("Reserve", "Did not arrive"), which would count them as starts; other
# codes (DNA, DNS, DNP, DNQ, RES) get the status the reason names more exactly. Matched on the
# whole reason, so "Withdrawn after 3rd hour accident" (a car that started) is not one.
NEVER_RACED = {
    "reserve": Entry.Status.RESERVE,
    "reserve entry": Entry.Status.RESERVE,
    "did not arrive": Entry.Status.DID_NOT_ARRIVE,
    "did not arrive in time": Entry.Status.DID_NOT_ARRIVE,
    "withdrawn": Entry.Status.WITHDRAWN,
    "widhdrawn": Entry.Status.WITHDRAWN,
    "withdrawn after scrutineering": Entry.Status.WITHDRAWN,
    "not accepted": Entry.Status.NOT_ACCEPTED,
    "rejected": Entry.Status.NOT_ACCEPTED,
    "refused": Entry.Status.NOT_ACCEPTED,
    "did not practice": Entry.Status.DID_NOT_PRACTISE,
    "did not qualify": Entry.Status.DID_NOT_QUALIFY,
    "not all drivers qualified": Entry.Status.DID_NOT_QUALIFY,
    "did not start": Entry.Status.DID_NOT_START,
}
NO_TEAM = {"", "No Team Name"}
_TIME = re.compile(r"^(\d+):(\d{1,2}):(\d{1,2})(?:\.(\d{1,6}))?$")


class LoadError(Exception):
    """Data the loader cannot take, with the file and line to look at."""


# --- Parsing -------------------------------------------------------------------------------


def parse_outcome(pos):
    """(entry status, result status, classified position) of a `Pos` value."""
    pos = pos.strip()
    if pos.isdigit() and int(pos) >= 1:
        return Entry.Status.ENTERED, Result.Status.CLASSIFIED, int(pos)
    if pos in OUTCOMES:
        return (*OUTCOMES[pos], None)
    raise ValueError(f"unknown position {pos!r}")


def parse_outcome_and_reason(pos, reason):
    """(entry status, result status, classified position) of a `Pos` value and its reason:
    a reason that means the car never took part (NEVER_RACED) decides the entry's status
    and leaves it without a result, whatever the code says."""
    status = NEVER_RACED.get(" ".join(reason.split()).casefold())
    if status is not None:
        return status, None, None
    return parse_outcome(pos)


def parse_class(text):
    """The class code as written, without stray spaces ("S2.0 " → "S2.0"); never a number."""
    return text.strip() or UNKNOWN_CLASS[0]


def parse_time(text):
    """A race or retirement time: `24:02:37.056`, `0:7:56.424`, tenths, whole seconds, or
    empty (None)."""
    text = text.strip()
    if not text:
        return None
    match = _TIME.match(text)
    if not match:
        raise ValueError(f"unknown time {text!r}")
    hours, minutes, seconds, fraction = match.groups()
    micro = int((fraction or "0").ljust(6, "0"))
    return dt.timedelta(
        hours=int(hours), minutes=int(minutes), seconds=int(seconds), microseconds=micro
    )


def parse_decimal(text):
    text = text.strip()
    if not text:
        return None
    try:
        return Decimal(text)
    except InvalidOperation:
        raise ValueError(f"not a number: {text!r}") from None


def country_code(code):
    """The django-countries code of a data code ("FRA" → "FR", "LUD" → "LU"); "" for "".
    Raises ValueError for a code it does not know."""
    code = code.strip()
    if not code:
        return ""
    if code in COUNTRY_CODES:
        return COUNTRY_CODES[code]
    alpha2 = countries.alpha2(code) if len(code) == 3 and code.isalpha() else ""
    if not alpha2:
        raise ValueError(f"unknown country code {code!r}")
    return alpha2


def split(text):
    return text.split("|") if text else []


@dataclass
class Row:
    """One entry of results_in.csv, parsed, with its line for messages."""

    line: int
    year: int
    number: str
    car_class: str
    status: str
    result_status: str | None
    position: int | None
    entrants: list
    team_countries: list
    drivers: list
    nationalities: list
    chassis: str
    engine: str
    tyres: str
    laps: int | None
    distance: Decimal | None
    time: dt.timedelta | None
    reason: str


@dataclass
class Edition:
    year: int
    layout: int
    start: dt.datetime
    cancelled: bool
    reason: str  # cancellation or postponement reason


@dataclass
class Data:
    editions: list
    layouts: list  # (since, length_km, changes)
    rows: list
    errata: list = field(default_factory=list)  # (line, year, number, field, was, now, reason)
    did_not_drive: dict = field(default_factory=dict)  # (year, number, name): source


def read_csv(path, delimiter=","):
    with open(path, encoding="utf-8", newline="") as handle:
        return [
            (line, row)
            for line, row in enumerate(csv.DictReader(handle, delimiter=delimiter), start=2)
        ]


def read_errata(path=ERRATA):
    errata = []
    for line, row in read_csv(path):
        if not row["reason"].strip():
            raise LoadError(f"{path.name} line {line}: no reason")
        errata.append(
            (line, row["year"], row["number"], row["field"], row["was"], row["now"], row["reason"])
        )
    return errata


def read_did_not_drive(path=DID_NOT_DRIVE):
    """{(year, number, name as written): source} of crew members listed who did not drive,
    each with its source (a reviewed file: docs/decisions/0013-as-raced.md)."""
    listed = {}
    for line, row in read_csv(path):
        if not row["source"].strip():
            raise LoadError(f"{path.name} line {line}: no source")
        listed[(int(row["year"]), row["number"], row["driver"])] = row["source"]
    return listed


def did_not_drive_errors(rows, listed, path=DID_NOT_DRIVE):
    """A message for each listed driver that names no crew member of exactly one row, so a
    spelling changed upstream fails loudly rather than crediting a start."""
    found = dict.fromkeys(listed, 0)
    for row in rows:
        for name in row.drivers:
            key = (row.year, row.number, name)
            if key in found:
                found[key] += 1
    return [
        f"{path.name}: {year} #{number} {name!r} is in {n} crews of results_in.csv, not 1"
        for (year, number, name), n in found.items()
        if n != 1
    ]


def apply_errata(rows, errata, path=ERRATA):
    """Correct the raw `rows` ((line, dict) pairs) in place; each erratum must match one row
    with the value it corrects, so an upstream fix makes the erratum fail loudly."""
    for line, year, number, name, was, now, _reason in errata:
        hits = [
            row
            for _, row in rows
            if row["Year"] == year and row["No"] == number and row.get(name) == was
        ]
        if len(hits) != 1:
            raise LoadError(
                f"{path.name} line {line}: {year} #{number} {name}={was!r} matches "
                f"{len(hits)} rows of results_in.csv, not 1"
            )
        hits[0][name] = now


def parse_row(line, raw):
    where = f"results_in.csv line {line}"
    try:
        status, result_status, position = parse_outcome_and_reason(raw["Pos"], raw["Reason"])
        drivers = [name.strip() for name in split(raw["Drivers"])]
        codes = split(raw["DrCtry"])
        if len(codes) != len(drivers):
            raise ValueError(
                f"{len(drivers)} drivers but {len(codes)} country codes ({raw['DrCtry']!r}): "
                "settle the row in the errata file"
            )
        return Row(
            line=line,
            year=int(raw["Year"]),
            number=raw["No"].strip(),
            car_class=parse_class(raw["Class"]),
            status=status,
            result_status=result_status,
            position=position,
            entrants=[name.strip() for name in split(raw["Team"])],
            team_countries=[country_code(code) for code in split(raw["TeamCtry"])],
            drivers=drivers,
            nationalities=[country_code(code) for code in codes],
            chassis=raw["Chassis"].strip(),
            engine=raw["Engine"].strip(),
            tyres=raw["Tyres"].strip().replace("|", " / "),
            laps=int(raw["Laps"]) if raw["Laps"].strip() else None,
            distance=parse_decimal(raw["Distance"]),
            time=parse_time(raw["Time"]),
            reason=raw["Reason"].strip(),
        )
    except ValueError as error:
        raise LoadError(f"{where}: {error}") from None


def read_data():
    """Everything the loader needs, parsed and corrected."""
    editions = []
    for line, raw in read_csv(RACES):
        try:
            day = dt.date.fromisoformat(raw["Event_date"])
            clock = dt.time.fromisoformat(raw["Start_time"])
            editions.append(
                Edition(
                    year=int(raw["Id"]),
                    layout=int(raw["Circuit_Id"]),
                    start=dt.datetime.combine(day, clock, tzinfo=PARIS),
                    cancelled=raw["Cancelled"] == "1",
                    reason=raw["Cancellation_reason"].strip(),
                )
            )
        except ValueError as error:
            raise LoadError(f"races.csv line {line}: {error}") from None
    layouts = [
        (dt.date.fromisoformat(raw["Since"]), Decimal(raw["Length_km"]), raw["Changes"].strip())
        for _, raw in read_csv(CIRCUITS)
    ]
    raw_rows = read_csv(RESULTS, delimiter=";")
    errata = read_errata()
    apply_errata(raw_rows, errata)
    rows = [parse_row(line, raw) for line, raw in raw_rows]
    did_not_drive = read_did_not_drive()
    if errors := did_not_drive_errors(rows, did_not_drive):
        raise LoadError("; ".join(errors))
    return Data(editions, layouts, rows, errata, did_not_drive)


def appearances(rows):
    """Every (name, year) of drivers and of entrants in `rows`: who is who is decided over the
    whole data set, so a subset load names people as the full load does."""
    drivers = [(name, row.year) for row in rows for name in row.drivers]
    teams = [(name, row.year) for row in rows for name in row.entrants if name not in NO_TEAM]
    return drivers, teams


def who_is_who(rows, rules):
    """Who is who among the drivers and among the teams of `rows` (`matching.resolve`): the
    crew of each car tells who raced together, and careers are near in races run (none in
    1940-1948)."""
    drivers, teams = appearances(rows)
    cars = [[(name, row.year) for name in row.drivers] for row in rows]
    editions = {row.year for row in rows}
    return (
        matching.resolve(drivers, rules, kind="driver", cars=cars, editions=editions),
        matching.resolve(teams, rules, kind="team", editions=editions),
    )


# --- Derived facts -------------------------------------------------------------------------


def finish_order(rows):
    """The starters of one race in classification order: classified cars by position, then
    the others (not classified, retired, disqualified) in the source's order."""
    starters = [row for row in rows if row.result_status is not None]
    classified = sorted((r for r in starters if r.position is not None), key=lambda r: r.position)
    return classified + [r for r in starters if r.position is None]


def season_classes(rows):
    """The classes of one year in the order they first appear in the results, a parent
    before its sub-classes."""
    order = []
    for row in [*finish_order(rows), *rows]:
        code = row.car_class
        parent = PARENTS.get(code)
        if parent and parent not in order:
            order.append(parent)
        if code not in order:
            order.append(code)
    return order


def team_country(row, index):
    """The country written for the `index`-th entrant, when codes and entrants pair."""
    if len(row.team_countries) == len(row.entrants):
        return row.team_countries[index]
    return None


# --- Loading -------------------------------------------------------------------------------


@dataclass
class Report:
    years: list = field(default_factory=list)
    counts: dict = field(default_factory=dict)
    errata: int = 0
    seconds: float = 0.0


def missing_years(years=None):
    """The years of races.csv (or of `years`) whose Le Mans season is not in the database."""
    wanted = [int(raw["Id"]) for _, raw in read_csv(RACES)]
    if years is not None:
        wanted = [year for year in wanted if year in years]
    present = set(
        Season.objects.filter(series__slug=SERIES[1], year__in=wanted).values_list(
            "year", flat=True
        )
    )
    return [year for year in wanted if year not in present]


def load(years=None, stdout=None):
    """Load the Le Mans years (all, or those in `years`) not loaded yet. Idempotent: years
    already present are left alone. Returns a Report."""
    started = time.monotonic()
    report = Report()
    todo = missing_years(years)
    if todo:
        with writes.changes():
            Loader(report).run(set(todo))
    report.seconds = time.monotonic() - started
    if stdout is not None:
        write_report(report, stdout)
    return report


# The report's counts, written for one ("1 crew place who did not drive").
SINGULAR = {
    "entries": "entry",
    "results": "result",
    "crew places": "crew place",
    "crew places who did not drive": "crew place who did not drive",
    "drivers": "driver",
    "teams": "team",
    "classes": "class",
}


def write_report(report, stdout):
    if not report.years:
        stdout.write("24 Hours of Le Mans: already loaded, nothing to do.")
        return
    counts = ", ".join(
        f"{n:,} {SINGULAR.get(what, what) if n == 1 else what}" for what, n in report.counts.items()
    )
    stdout.write(
        f"24 Hours of Le Mans: {len(report.years)} editions "
        f"({report.years[0]}–{report.years[-1]}) loaded in {report.seconds:.1f} s: {counts}; "
        f"{report.errata} errata applied."
    )


def check_settled(undecided):
    """Refuse the load while who is who has a pair it cannot decide (a name decades apart, two
    similar names of close careers): each is settled, with a reason, in the alias file."""
    if undecided:
        raise LoadError(
            f"{len(undecided)} undecided name(s): settle each as `same` or `apart` in "
            f"drivers/data/aliases.csv: {'; '.join(undecided)}"
        )


class Loader:
    def __init__(self, report):
        self.report = report

    def run(self, years):
        # Who is who, a person's nationality and a team's country come from the whole data
        # set, so that a partial load (the subset) gives them the values a full load gives.
        data = read_data()
        self.all_rows = data.rows
        data.rows = [row for row in data.rows if row.year in years]
        self.report.errata = len(data.errata)
        self.rules = rules = matching.read_rules()
        self.who, self.teams_who = who_is_who(self.all_rows, rules)
        check_settled(self.who.undecided + self.teams_who.undecided)
        self.facts = self.check_lives(read_people())

        editions = [e for e in data.editions if e.year in years]
        rows_by_year = defaultdict(list)
        for row in data.rows:
            rows_by_year[row.year].append(row)
        series = self.series()
        circuit, layouts = self.circuit(data.layouts)
        classes = self.classes(data.rows)
        seasons = self.seasons(series, editions, rows_by_year, classes)
        events = self.events(circuit, layouts, editions)
        Round.objects.bulk_create(
            Round(season=seasons[e.year], event=events[e.year], number=1) for e in editions
        )
        sessions = self.sessions(editions, events, rows_by_year)
        teams = self.teams(data.rows)
        drivers = self.drivers(data.rows)
        entries = self.entries(data.rows, events, classes, teams)
        Registration.objects.bulk_create(
            (Registration(entry=entries[row.line], season=seasons[row.year]) for row in data.rows),
            batch_size=2000,
        )
        did_not_drive = data.did_not_drive
        crews = [
            Crew(
                entry=entries[row.line],
                driver=drivers[self.who.person_of[(name, row.year)]],
                order=order,
                nationality=nationality,
                # False for a listed driver a source says did not drive; else not known.
                drove=False if (row.year, row.number, name) in did_not_drive else None,
            )
            for row in data.rows
            for order, (name, nationality) in enumerate(
                zip(row.drivers, row.nationalities, strict=True), start=1
            )
        ]
        self.check_crews(data.rows)
        Crew.objects.bulk_create(crews, batch_size=2000)
        results = self.results(rows_by_year, sessions, entries)
        self.report.years = sorted(years)
        self.report.counts = {
            "entries": len(entries),
            "results": len(results),
            "crew places": len(crews),
            "crew places who did not drive": sum(crew.drove is False for crew in crews),
            "drivers": len(drivers),
            "teams": len(teams),
            "classes": len(classes),
        }

    def series(self):
        name, slug, short = SERIES
        series, _ = Series.objects.get_or_create(
            slug=slug,
            defaults={
                "name": name,
                "short_name": short,
                "notes": "Every entry since 1923: starters, reserves and the cars that did not "
                "arrive, qualify or start.",
            },
        )
        return series

    def circuit(self, layout_rows):
        name, slug, place, country, zone = CIRCUIT
        circuit = Circuit.objects.filter(slug=slug).first()
        if circuit is None:
            circuit = Circuit(name=name, slug=slug, place=place, country=country, time_zone=zone)
            circuit.save()
        existing = {layout.since: layout for layout in circuit.layouts.all()}
        missing = [
            CircuitLayout(circuit=circuit, since=since, length_km=length, changes=changes)
            for since, length, changes in layout_rows
            if since not in existing
        ]
        CircuitLayout.objects.bulk_create(missing)
        by_since = {layout.since: layout for layout in circuit.layouts.all()}
        # Circuit_Id in races.csv is the row number in circuits.csv.
        layouts = {number: by_since[since] for number, (since, _, _) in enumerate(layout_rows, 1)}
        return circuit, layouts

    def classes(self, rows):
        codes = {row.car_class for row in rows}
        codes |= {PARENTS[code] for code in codes if code in PARENTS}
        existing = {c.code: c for c in CarClass.objects.filter(code__in=codes)}
        new = []
        for code in sorted(codes - set(existing)):
            if code == UNKNOWN_CLASS[0]:
                name, colour = UNKNOWN_CLASS[1], GREY
            else:
                name, colour = CLASS_NAMES.get(code, (code, GREY))
            new.append(CarClass(code=code, name=name, colour=colour))
        CarClass.objects.bulk_create(new)
        classes = {**existing, **{c.code: c for c in new}}
        children = [c for code, c in classes.items() if code in PARENTS and c.parent_id is None]
        for child in children:
            child.parent = classes[PARENTS[child.code]]
        CarClass.objects.bulk_update(children, ["parent"])
        return classes

    def seasons(self, series, editions, rows_by_year, classes):
        seasons = {
            e.year: Season(
                series=series,
                year=e.year,
                name=f"{e.year} 24 Hours of Le Mans",
                is_complete=True,
                source=SOURCE,
                notes=f"Cancelled: {e.reason}." if e.cancelled else "",
            )
            for e in editions
        }
        Season.objects.bulk_create(seasons.values())
        SeasonClass.objects.bulk_create(
            SeasonClass(season=seasons[year], car_class=classes[code], order=order)
            for year in seasons
            for order, code in enumerate(season_classes(rows_by_year[year]), start=1)
        )
        return seasons

    def events(self, circuit, layouts, editions):
        name, slug = EVENT
        events = {}
        for e in editions:
            events[e.year] = Event(
                circuit=circuit,
                layout=layouts[e.layout],
                name=name,
                slug=slug,
                first_day=None,
                # A cancelled edition was never held: the data set's date for it is invented.
                last_day=None if e.cancelled else e.start.date() + dt.timedelta(days=1),
                status=Event.Status.CANCELLED if e.cancelled else Event.Status.COMPLETED,
                cancellation_reason=e.reason if e.cancelled else "",
                postponement_reason="" if e.cancelled else e.reason,
                source=SOURCE,
                notes="The first day of the event is not in the data set.",
            )
        Event.objects.bulk_create(events.values())
        return events

    def sessions(self, editions, events, rows_by_year):
        sessions = {}
        for e in editions:
            if e.cancelled:
                continue
            has_results = any(r.result_status for r in rows_by_year[e.year])
            sessions[e.year] = Session(
                event=events[e.year],
                kind=Session.Kind.RACE,
                name="Race",
                order=1,
                start=e.start,
                time_limit=dt.timedelta(hours=24),
                results_status=(
                    Session.ResultsStatus.FINAL if has_results else Session.ResultsStatus.NONE
                ),
                source=SOURCE,
            )
        Session.objects.bulk_create(sessions.values())
        return sessions

    def check_lives(self, facts):
        """The facts of people.csv by identity key, checked against who is who: a row's slug
        that is a person of the data names him, and no one is in an entry after his death or
        before he could race (drivers/people.py). A slug that is no one here is a driver of the
        2011 seasons alone: load_demo checks, once all is loaded, that every row found its
        driver (`drivers.people.unplaced`)."""
        by_slug = {p.slug: p for p in self.who.people.values()}
        found, problems = {}, []
        for slug, fact in facts.items():
            person = by_slug.get(slug)
            if person is None:
                continue
            if fold(person.display) != fold(fact.name):
                problems.append(
                    f"people.csv line {fact.line}: {slug} is {person.display!r}, not {fact.name}"
                )
                continue
            found[person.key] = fact
            problems.extend(impossible_years(fact, person.years))
        if problems:
            raise LoadError("; ".join(problems) + ": settle them in drivers/data/aliases.csv")
        return found

    def teams(self, rows):
        """The Team of every entry's entrant in `rows` (the first named: a co-entrant is in the
        entry's `entrant` text only), by identity key; existing teams (by slug) are reused."""
        people, country = {}, {}
        for row in rows:
            named = [name for name in row.entrants if name not in NO_TEAM]
            if named:
                person = self.teams_who.person(named[0], row.year)
                people[person.key] = person
        for row in sorted(self.all_rows, key=lambda r: r.year):
            for index, name in enumerate(row.entrants):
                code = team_country(row, index) if name not in NO_TEAM else ""
                if code:
                    country[self.teams_who.person(name, row.year).key] = code  # the latest wins
        return self.bulk_people(Team, people, lambda p: {"country": country.get(p.key, "")})

    def drivers(self, rows):
        people, codes = {}, defaultdict(Counter)
        neutral = {"XR", "XW"}
        for row in rows:
            for name in row.drivers:
                person = self.who.person(name, row.year)
                people[person.key] = person
        for row in self.all_rows:
            for name, code in zip(row.drivers, row.nationalities, strict=True):
                if code and code not in neutral:
                    codes[self.who.person(name, row.year).key][code] += 1
        # A driver's nationality: the one written most often (neutral licences aside). The
        # name is the name without a title; birth and death come from people.csv. Someone an
        # alias rule splits off from others of his name, with no row there, gets the rule's
        # reason as his note, so that his page says why he is someone else.
        split = matching.split_reasons(self.rules)

        def facts(person):
            if person.key in self.facts:
                return self.facts[person.key].values()
            if person.key in split:
                return {
                    "facts_note": split[person.key].reason,
                    "facts_source": split[person.key].source,
                }
            return {}

        return self.bulk_people(
            Driver,
            people,
            lambda p: {
                "full_name": p.display,
                "title": p.title,
                "first_name_known": p.first_name_known,
                "nationality": codes[p.key].most_common(1)[0][0] if codes[p.key] else "",
                **facts(p),
            },
        )

    def bulk_people(self, model, people, extra):
        existing = {
            obj.slug: obj
            for obj in model.objects.filter(slug__in=[p.slug for p in people.values()])
        }
        new, filled = [], []
        by_key = {}
        for key, person in people.items():
            if person.slug in existing:
                # Reused (loaded by an earlier, partial run or by the 2011 data): fill in what
                # it lacks, such as a team's country, and change nothing else.
                obj = by_key[key] = existing[person.slug]
                blanks = {k: v for k, v in extra(person).items() if v and not getattr(obj, k)}
                if blanks:
                    for field, value in blanks.items():
                        setattr(obj, field, value)
                    filled.append((obj, list(blanks)))
                continue
            values = {"name": person.display} if model is Team else {}
            values.update(extra(person))
            name = values.get("name") or values.get("full_name")
            obj = model(slug=person.slug, search_key=fold(name), **values)
            new.append(obj)
            by_key[key] = obj
        model.objects.bulk_create(new, batch_size=2000)
        for obj, fields in filled:
            obj.save(update_fields=fields)
        return by_key

    def entries(self, rows, events, classes, teams):
        entries = {}
        for row in rows:
            named = [name for name in row.entrants if name not in NO_TEAM]
            team = teams[self.teams_who.person(named[0], row.year).key] if named else None
            notes = ""
            if row.result_status is None and row.reason:
                notes = row.reason
            entries[row.line] = Entry(
                event=events[row.year],
                number=row.number,
                car_class=classes[row.car_class],
                team=team,
                entrant=" / ".join(named),
                chassis=row.chassis,
                engine=row.engine,
                tyres=row.tyres,
                status=row.status,
                source=f"results_in.csv line {row.line}",
                notes=notes,
            )
        Entry.objects.bulk_create(entries.values(), batch_size=2000)
        return entries

    def check_crews(self, rows):
        for row in rows:
            keys = [self.who.person_of[(name, row.year)] for name in row.drivers]
            if len(set(keys)) != len(keys):
                raise LoadError(
                    f"results_in.csv line {row.line}: one person named twice in the crew "
                    f"({' | '.join(row.drivers)})"
                )

    def results(self, rows_by_year, sessions, entries):
        parent_of = PARENTS
        results = []
        for year, session in sessions.items():
            ordered = finish_order(rows_by_year[year])
            positions = class_positions(
                (row.line, row.car_class, parent_of.get(row.car_class))
                for row in ordered
                if row.result_status == Result.Status.CLASSIFIED
            )
            for order, row in enumerate(ordered, start=1):
                own, parent = positions.get(row.line, (None, None))
                results.append(
                    Result(
                        session=session,
                        entry=entries[row.line],
                        finish_order=order,
                        position=row.position,
                        class_position=own,
                        parent_class_position=parent,
                        laps=row.laps,
                        distance_km=row.distance,
                        time=row.time,
                        status=row.result_status,
                        reason=row.reason,
                    )
                )
        Result.objects.bulk_create(results, batch_size=2000)
        return results
