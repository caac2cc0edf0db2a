"""The Al Kamel Systems classification CSV (the official timing of the ELMS, WEC, Le Mans and
IMSA): plain functions from the bytes of a file to validated rows, or to problems with their
line and column.

The format: `;`-separated (or `,` where an archive or a spreadsheet saved it again: the header
says which), UTF-8 with or without a byte-order mark, a trailing separator on every line or
not, CRLF or LF line ends. Columns are read by name (stray spaces around a name aside), unknown
ones ignored wherever they are. Names are written "First LAST", or in IMSA-style blocks
DRIVER1_FIRSTNAME / DRIVER1_SECONDNAME / DRIVER1_COUNTRY / DRIVER1_LICENSE. Times read
`4:00'04.690` (or `4:00:04.690`), lap times `1'36.144`, gaps a time, `+0.253`, `N Laps` or `-`.

Three layouts (`Parsed.layout`):
- `race`: POSITION, STATUS, LAPS, TOTAL_TIME, GAP_FIRST, FL_TIME…: the classification as
  published; a class position is never read, it is derived (races/results.py).
- `qualifying`: POS, NUMBER, LAP, TIME, GAP_FIRST…, no STATUS: a car with a TIME took part
  (TIME is its best lap, LAP the lap it was set on), an empty TIME did not.
- `entries`: the entry list, NUMBER, TEAM, CLASS and the drivers without positions.
A sub-class is read from its own column (`CLASS=LMP2`, `GROUP=P/A` → `LMP2 Pro/Am`) or from the
class name (`CLASS=LMP2 Pro/Am`); the import maps it to a season's class.
"""

import csv
import datetime as dt
import io
import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django_countries import countries
from django_countries.ioc_data import IOC_TO_ISO

from drivers.names import first_control
from races.importers import cells
from races.models import MAX_HOURS, MAX_LAPS, MAX_POSITION, EntryStatus, ResultStatus

MAX_BYTES = 2 * 1024 * 1024  # the largest file accepted: a 60-car classification is ~10 kB
MAX_ROWS = 120  # the most cars accepted: a Le Mans classification has 62, Daytona's about 60
# Drivers: each new name is a driver, a crew row and a history row to write, and importing 250
# cars of four new names each took 4.6 s. A car has had at most five drivers (an IMSA 24-hour
# crew); a file names at most 300 (Le Mans: 62 cars of three, 186).
MAX_DRIVER_PLACES = 8
MAX_NAMES = 300
# Checked before any other work, so that no file costs more than reading it once: a header of
# 40,000 columns took 19 s when each column was compared with all the others.
MAX_COLUMNS = 100  # an IMSA file with six drivers in blocks of three columns has about 35
MAX_LINE = 4000  # characters in one line: a full row of the longest values is about 2,600
MAX_LINES = 1000  # lines, empty ones included: 120 cars and plenty of room for blank lines
MAX_PROBLEMS = 50  # problems listed before "and N more"
# Hours (a time beyond is a typing error), positions, laps, gaps in laps and lap numbers: the
# database's bounds (races/models.py).
REQUIRED = {
    "race": ("POSITION", "NUMBER", "TEAM", "CLASS", "STATUS", "LAPS"),
    "qualifying": ("POS", "NUMBER", "TEAM", "CLASS", "TIME"),
    "entries": ("NUMBER", "TEAM", "CLASS"),
}
SEPARATORS = (";", ",")
# The sub-class column's letters as the timing service writes them (GROUP) → the suffix of the
# class name; an unknown group is kept as written ("LMP2 Am").
GROUPS = {"P/A": "Pro/Am", "PA": "Pro/Am", "PRO/AM": "Pro/Am", "PRO-AM": "Pro/Am", "AM": "Am"}
# The FIA driver categorisation, as the per-driver licence column writes it.
LICENCES = {
    "P": "P",
    "PLATINUM": "P",
    "G": "G",
    "GOLD": "G",
    "S": "S",
    "SILVER": "S",
    "B": "B",
    "BRONZE": "B",
}
MAX_CLASS_NAME = 60  # CLASS and GROUP together, as the season's class names store it
LENGTHS = {
    "GROUP": 30,
    "TIRES": 60,
    "NUMBER": 6,
    "TEAM": 160,
    "CLASS": 30,
    "DRIVER": 200,
    "VEHICLE": 241,
    "TYRES": 60,
    "CHASSIS": 120,
    "ENGINE": 120,
}
# The site's own columns (races/importers/export.py; docs/decisions/0004-classification-import.md
# lists them): what identifies a car and its places when number and finish order do not.
# ENTRY_ID names the site's entry of the event (a car without number, two cars of one number);
# CHASSIS and ENGINE are read instead of VEHICLE (a chassis may hold " - "); the positions are
# read for a session whose results are partial (no finish order to derive them from).
ENTRY_ID = "ENTRY_ID"
SITE_POSITIONS = ("CLASSIFIED_POSITION", "CLASS_POSITION", "PARENT_CLASS_POSITION")

# STATUS as published → (result status, entry status). A car that did not start has no result.
STATUSES = {
    "classified": (ResultStatus.CLASSIFIED, EntryStatus.ENTERED),
    "not classified": (ResultStatus.NOT_CLASSIFIED, EntryStatus.ENTERED),
    "nc": (ResultStatus.NOT_CLASSIFIED, EntryStatus.ENTERED),
    "retired": (ResultStatus.RETIRED, EntryStatus.ENTERED),
    "dnf": (ResultStatus.RETIRED, EntryStatus.ENTERED),
    "disqualified": (ResultStatus.DISQUALIFIED, EntryStatus.ENTERED),
    "dsq": (ResultStatus.DISQUALIFIED, EntryStatus.ENTERED),
    "excluded": (ResultStatus.EXCLUDED, EntryStatus.ENTERED),
    "unknown": (ResultStatus.UNKNOWN, EntryStatus.ENTERED),  # the site's own partial records
    "not started": (None, EntryStatus.DID_NOT_START),
    "dns": (None, EntryStatus.DID_NOT_START),
}
# How the export writes each status back.
STATUS_WORDS = {
    ResultStatus.CLASSIFIED: "Classified",
    ResultStatus.NOT_CLASSIFIED: "Not classified",
    ResultStatus.RETIRED: "Retired",
    ResultStatus.DISQUALIFIED: "Disqualified",
    ResultStatus.EXCLUDED: "Excluded",
    ResultStatus.UNKNOWN: "Unknown",
}
NOT_STARTED = "Not started"

# The tyre makers' letters of the timing sheets; an unknown letter is kept as written.
TYRES = {
    "B": "Bridgestone",
    "C": "Continental",
    "D": "Dunlop",
    "G": "Goodyear",
    "H": "Hankook",
    "K": "Kumho",
    "M": "Michelin",
    "P": "Pirelli",
    "Y": "Yokohama",
}
TYRE_LETTERS = {name: letter for letter, name in TYRES.items()}

_TIME = re.compile(r"^(?:(?:(\d+):)?(\d{1,2})['′:])?(\d{1,2})(?:\.(\d{1,6}))?$")
_LAPS = re.compile(r"^([+-]?[0-9]+)\s*laps?$", re.IGNORECASE)
_DRIVER = re.compile(r"^DRIVER_?([0-9])$")  # ASCII digits: `\d` read DRIVER_٢ as place 2 too
_DRIVER_PART = re.compile(
    r"^DRIVER_?([0-9])_(FIRSTNAME|SECONDNAME|LASTNAME|COUNTRY|LICENSE|LICENCE|CATEGORY)$"
)
_SURNAME_WORD = re.compile(r"^[^a-zß-ÿ]*[A-ZÀ-Þ][^a-zß-ÿ]*$")  # a word without lower case
_MC = re.compile(r"\bMc([a-z])")
# Line ends as CSV writes them; str.splitlines() also split on U+2028, U+0085, a form feed…,
# characters a name may not hold (an error with its place, not a broken line).
_LINE_END = re.compile(r"\r\n|\r|\n")


@dataclass(frozen=True)
class Problem:
    """An error (the file cannot be imported) or a warning, where it is in the file."""

    message: str
    line: int | None = None
    column: str = ""

    def __str__(self):
        where = []
        if self.line is not None:
            where.append(f"line {self.line}")
        if self.column:
            where.append(self.column)
        return f"{', '.join(where)}: {self.message}" if where else self.message


@dataclass(frozen=True)
class Name:
    """A driver's name as written: "Simon DOLAN" is first "Simon", last "DOLAN"."""

    first: str
    last: str
    country: str = ""  # a django-countries code, when the file gives one
    licence: str = ""  # the FIA categorisation's letter (P, G, S, B), when the file gives one

    @property
    def written(self):
        return " ".join(part for part in (self.first, self.last) if part)

    @property
    def display(self):
        """The name as a page shows it, a suggestion: capitals cannot be undone exactly
        (MCMURRY is McMurry, DE LEENER may be de Leener)."""
        return " ".join(part for part in (self.first, display_surname(self.last)) if part)


@dataclass(frozen=True)
class Gap:
    laps: int | None = None
    time: dt.timedelta | None = None


@dataclass
class Row:
    line: int
    position: int | None
    number: str
    team: str
    drivers: list
    chassis: str
    engine: str
    tyres: str
    car_class: str
    result_status: str | None  # None: the car did not start
    entry_status: str
    laps: int | None
    time: dt.timedelta | None
    gap_first: Gap
    gap_previous: Gap
    best_lap_number: int | None
    best_lap: dt.timedelta | None
    best_lap_kph: Decimal | None
    entry_id: int | None = None  # the site's entry (ENTRY_ID), when the file names it
    # The site's positions (SITE_POSITIONS), when the file carries them: {column: value}.
    positions: dict = field(default_factory=dict)


@dataclass
class Parsed:
    rows: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    warnings: list = field(default_factory=list)
    columns: list = field(default_factory=list)
    has_countries: bool = False
    layout: str = ""  # "race", "qualifying" or "entries"
    separator: str = ";"


# --- values -----------------------------------------------------------------------------------


def parse_time(text):
    """`4:00'04.690`, `4:00:04.690`, `1'36.144`, `28.869` → timedelta; "" → None.
    Raises ValueError."""
    text = text.strip()
    if not text:
        return None
    sign = -1 if text.startswith("-") else 1
    match = _TIME.match(text.lstrip("-"))
    if not match:
        raise ValueError(f"“{text}” is not a time (h:mm'ss.fff)")
    hours, minutes, seconds, fraction = match.groups()
    if hours is not None and int(hours) > MAX_HOURS:
        raise ValueError(f"“{text}” is not a time: more than {MAX_HOURS} hours")
    if minutes is not None and hours is not None and int(minutes) > 59:
        raise ValueError(f"“{text}” is not a time: {minutes} minutes")
    if int(seconds) > 59 and minutes is not None:
        raise ValueError(f"“{text}” is not a time: {seconds} seconds")
    value = dt.timedelta(
        hours=int(hours or 0),
        minutes=int(minutes or 0),
        seconds=int(seconds),
        microseconds=int((fraction or "0").ljust(6, "0")),
    )
    return sign * value


def parse_gap(text):
    """A gap: `1 Laps`, `-12 Laps`, `28.869`, `1'59.312` or "" → Gap. Raises ValueError."""
    text = text.strip()
    if text in ("", "-", "—"):
        return Gap()
    match = _LAPS.match(text)
    if match:
        if abs(int(match[1])) > MAX_LAPS:
            raise ValueError(f"“{text}” is more than {MAX_LAPS} laps")
        return Gap(laps=int(match[1]))
    try:
        return Gap(time=parse_time(text.removeprefix("+")))
    except ValueError:
        raise ValueError(f"“{text}” is neither a time nor a number of laps") from None


def parse_count(text, what="a whole number", maximum=MAX_LAPS):
    text = text.strip()
    if not text:
        return None
    if not (text.isascii() and text.isdigit()):
        raise ValueError(f"“{text}” is not {what}")
    value = int(text)
    if value > maximum:
        raise ValueError(f"“{text}” is more than {maximum}")
    return value


def parse_decimal(text):
    text = text.strip().replace(",", ".")
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValueError(f"“{text}” is not a number") from None
    if not value.is_finite():
        raise ValueError(f"“{text}” is not a number")
    return value


def parse_vehicle(text):
    """ "Zytek Z11SN - Nissan" → ("Zytek Z11SN", "Nissan"); "Ferrari F458 Italia" → (…, "")."""
    chassis, _, engine = text.strip().partition(" - ")
    return chassis.strip(), engine.strip()


def parse_tyres(text):
    text = text.strip()
    return TYRES.get(text.upper(), text) if len(text) == 1 else text


def tyre_letter(tyres):
    return TYRE_LETTERS.get(tyres, tyres)


def parse_country(text):
    """A country as timing files write it (FRA, FR, France) → a django-countries code.
    Raises ValueError."""
    text = text.strip()
    if not text:
        return ""
    upper = text.upper()
    if upper in IOC_TO_ISO:  # the IOC codes of sport (GER, SUI, NED…), django-countries' table
        return IOC_TO_ISO[upper]
    code = countries.alpha2(upper) if len(upper) in (2, 3) else countries.by_name(text)
    if not code:
        raise ValueError(f"“{text}” is not a country")
    return code


def split_name(text):
    """ "Alexander TALKANITSA JR" → Name("Alexander", "TALKANITSA JR"): the surname is the run of
    words in capitals at the end (JR, DE, VAN included). A name all in capitals or all in lower
    case keeps its last word as surname."""
    words = text.split()
    if not words:
        return Name("", "")
    start = len(words)
    while start > 0 and _SURNAME_WORD.match(words[start - 1]) and words[start - 1] != "-":
        start -= 1
    if start == 0 or start == len(words):
        start = len(words) - 1
    return Name(" ".join(words[:start]), " ".join(words[start:]))


def display_surname(text):
    """A surname from capitals: KIMBER-SMITH → Kimber-Smith, MCMURRY → McMurry,
    O'NEIL → O'Neil, TALKANITSA JR → Talkanitsa Jr. Text that is not all capitals is kept."""
    if text != text.upper():
        return text
    titled = re.sub(
        r"[^\W\d_]+", lambda m: m[0][0].upper() + m[0][1:].lower(), text, flags=re.UNICODE
    )
    return _MC.sub(lambda m: "Mc" + m[1].upper(), titled)


# --- the file ---------------------------------------------------------------------------------


BOM = b"\xef\xbb\xbf"
# Byte-order marks of other encodings, the longer first (UTF-32-LE starts as UTF-16-LE does).
OTHER_BOMS = (
    (b"\xff\xfe\x00\x00", "UTF-32"),
    (b"\x00\x00\xfe\xff", "UTF-32"),
    (b"\xff\xfe", "UTF-16"),
    (b"\xfe\xff", "UTF-16"),
)


def decode(content):
    """(text, None) of `content` (bytes), or (None, a Problem at the line of the first byte
    that is not text)."""
    for mark, encoding in OTHER_BOMS:
        if content.startswith(mark):
            return None, Problem(f"the file is {encoding}: save or export it as UTF-8", 1)
    if content.startswith(BOM + BOM):
        message = "the file starts with two byte-order marks: save or export it as UTF-8 again"
        return None, Problem(message, 1)
    if b"\x00" in content:
        line = content[: content.index(b"\x00")].count(b"\n") + 1
        return None, Problem("a NUL byte: this is not a text file", line)
    body = content.removeprefix(BOM)  # the decoder's positions count from after the mark
    try:
        return body.decode("utf-8"), None
    except UnicodeDecodeError as error:
        line = body[: error.start].count(b"\n") + 1
        byte = body[error.start]
        message = f"the file is not UTF-8 (byte 0x{byte:02x}): save or export it as UTF-8"
        return None, Problem(message, line)


def too_large(size):
    return (
        f"The file is {size / 2**20:.1f} MB, larger than the limit of {MAX_BYTES // 2**20} MB: "
        "is it a classification?"
    )


def header_columns(header):
    """The header's column names, stripped and in capitals; the empty name after the trailing
    `;` dropped."""
    columns = [name.strip().upper() for name in header]
    while columns and not columns[-1]:
        columns.pop()
    return columns


def driver_columns(columns):
    """{place: {"NAME": column} or {"FIRSTNAME"/"SECONDNAME"/"COUNTRY"/"LICENCE": column}}."""
    places = {}
    parts = {"LASTNAME": "SECONDNAME", "LICENSE": "LICENCE", "CATEGORY": "LICENCE"}
    for column in columns:
        if match := _DRIVER.match(column):
            places.setdefault(int(match[1]), {})["NAME"] = column
        elif match := _DRIVER_PART.match(column):
            places.setdefault(int(match[1]), {})[parts.get(match[2], match[2])] = column
    # A place with only a country or a licence names no one.
    return {
        place: found
        for place, found in sorted(places.items())
        if {"NAME", "FIRSTNAME", "SECONDNAME"} & found.keys()
    }


def header_separator(line):
    """The separator of a header line: `;` (the timing service's) or `,` (an archive's), the one
    the line has more of; None when it has neither."""
    counts = {separator: line.count(separator) for separator in SEPARATORS}
    best = max(SEPARATORS, key=lambda separator: counts[separator])
    return best if counts[best] else None


def layout_of(columns):
    """The layout a header's columns are: race, qualifying or entries."""
    if "STATUS" in columns or "POSITION" in columns:
        return "race"
    if "POS" in columns or "TIME" in columns:
        return "qualifying"
    return "entries"


def parse(content):
    """Parse the bytes of a classification file into a Parsed: rows when every row is valid,
    and every problem found (errors block the import, warnings do not)."""
    parsed = Parsed()
    if len(content) > MAX_BYTES:
        parsed.errors.append(Problem(too_large(len(content))))
        return parsed
    text, problem = decode(content)
    if problem is not None:
        parsed.errors.append(problem)
        return parsed
    if not text.strip():
        parsed.errors.append(Problem("The file is empty."))
        return parsed
    lines = _LINE_END.split(text)
    if lines[-1] == "":  # the end of the last line, not one more
        lines.pop()
    if len(lines) > MAX_LINES:
        parsed.errors.append(
            Problem(
                f"The file has {len(lines)} lines, more than the limit of {MAX_LINES}: is it a "
                "classification?"
            )
        )
        return parsed
    separator = header_separator(lines[0])
    if separator is None:
        parsed.errors.append(
            Problem(
                "No header separated by `;` or `,`: this is not an Al Kamel classification file.",
                1,
            )
        )
        return parsed
    parsed.separator = separator
    try:
        columns = header_columns(next(csv.reader([lines[0]], delimiter=separator, strict=True)))
    except csv.Error as error:
        parsed.errors.append(Problem(f"The header cannot be read ({error}).", 1))
        return parsed
    if len(columns) > MAX_COLUMNS:
        parsed.errors.append(
            Problem(
                f"The header has {len(columns)} columns, more than the limit of {MAX_COLUMNS}: "
                "is it a classification?",
                1,
            )
        )
        return parsed
    long_line = next((n for n, line in enumerate(lines, 1) if len(line) > MAX_LINE), None)
    if long_line is not None:
        parsed.errors.append(
            Problem(
                f"{len(lines[long_line - 1])} characters, more than the limit of {MAX_LINE} for "
                "one line: is it a classification?",
                long_line,
            )
        )
        return parsed
    reader = csv.reader(io.StringIO("\n".join(lines)), delimiter=separator, strict=True)
    next(reader)  # the header, read above
    parsed.columns = columns
    parsed.layout = layout_of(columns)
    missing = [name for name in REQUIRED[parsed.layout] if name not in columns]
    drivers = driver_columns(columns)
    if not drivers:
        missing.append("DRIVER_1 or DRIVER1_FIRSTNAME")
    if missing:
        parsed.errors.append(Problem(f"Required columns missing: {', '.join(missing)}.", 1))
        return parsed
    if len(drivers) > MAX_DRIVER_PLACES:
        parsed.errors.append(
            Problem(
                f"The header has {len(drivers)} driver places, more than the limit of "
                f"{MAX_DRIVER_PLACES} for one car.",
                1,
            )
        )
        return parsed
    duplicates = sorted(name for name, n in Counter(columns).items() if name and n > 1)
    if duplicates:
        parsed.errors.append(Problem(f"Columns named twice: {', '.join(duplicates)}.", 1))
        return parsed
    cars = sum(1 for text in lines[1:] if text.replace(";", "").strip())
    if cars > MAX_ROWS:
        parsed.errors.append(
            Problem(
                f"The file has {cars} rows, more than the limit of {MAX_ROWS}: is it a "
                "classification?"
            )
        )
        return parsed
    parsed.has_countries = any("COUNTRY" in parts for parts in drivers.values())
    tyres = "TYRES" if "TYRES" in columns else "TIRES"
    line = 1
    try:
        for values in reader:
            line = reader.line_num
            if not any(value.strip() for value in values):
                continue
            extra = values[len(columns) :]
            if any(value.strip() for value in extra):
                parsed.errors.append(
                    Problem(f"{len(values)} values for {len(columns)} columns.", line)
                )
                continue
            raw = dict(zip(columns, map(cells.restore, values), strict=False))
            row = parse_row(line, raw, drivers, tyres, parsed, parsed.layout)
            if row is not None:
                parsed.rows.append(row)
            if len(parsed.errors) > MAX_PROBLEMS:
                break
    except csv.Error as error:
        parsed.errors.append(Problem(f"The line cannot be read as CSV ({error}).", line + 1))
    names = sum(len(row.drivers) for row in parsed.rows)
    if names > MAX_NAMES:
        parsed.rows.clear()
        parsed.errors.append(
            Problem(
                f"The file names {names} drivers, more than the limit of {MAX_NAMES}: is it a "
                "classification?"
            )
        )
        return parsed
    if not parsed.rows and not parsed.errors:
        parsed.errors.append(Problem("The file has a header but no cars."))
    check_file(parsed)
    if len(parsed.errors) > MAX_PROBLEMS:
        more = len(parsed.errors) - MAX_PROBLEMS
        parsed.errors[MAX_PROBLEMS:] = [Problem(f"…and {more} more errors.")]
    return parsed


def parse_row(line, raw, drivers, tyres_column, parsed, layout="race"):
    """One car, or None with its errors added to `parsed`."""
    errors = []

    def value(column):
        return (raw.get(column) or "").strip()

    def read(column, parser, *args):
        try:
            return parser(value(column), *args)
        except ValueError as error:
            errors.append(Problem(str(error), line, column))
            return None

    for column, limit in LENGTHS.items():
        if column in raw and len(value(column)) > limit:
            errors.append(Problem(f"longer than {limit} characters", line, column))
    for column, text in raw.items():  # names, numbers, cars: none holds a control character
        if (ch := first_control(text)) is not None:
            errors.append(Problem(f"a control character (U+{ord(ch):04X})", line, column))
    position_column = "POS" if layout == "qualifying" else "POSITION"
    if layout == "entries":
        result_status, entry_status = None, EntryStatus.ENTERED
    elif layout == "qualifying":  # no status: a car with a time took part
        taken_part = bool(value("TIME"))
        result_status = ResultStatus.CLASSIFIED if taken_part else None
        entry_status = EntryStatus.ENTERED
    elif value("STATUS").casefold() not in STATUSES:
        status_text = value("STATUS")
        known = "Classified, Not classified, Retired, Disqualified, Excluded, Unknown, Not started"
        errors.append(Problem(f"unknown status “{status_text}” (known: {known})", line, "STATUS"))
        result_status, entry_status = None, EntryStatus.ENTERED
    else:
        result_status, entry_status = STATUSES[value("STATUS").casefold()]
    position = None
    if layout != "entries":
        position = read(position_column, parse_count, "a position", MAX_POSITION)
    if position == 0:
        errors.append(Problem("a position starts at 1", line, position_column))
    # The site's export of a partial session: a car without finish order has its class
    # position (or none at all); the import checks the session's results are partial.
    partial = "CLASS_POSITION" in raw
    if position is None and result_status is not None and not errors and not partial:
        errors.append(Problem("no position for a car that started", line, position_column))
    entry_id = read(ENTRY_ID, parse_count, "an entry id", 2**31 - 1) if ENTRY_ID in raw else None
    number = value("NUMBER")
    if not number and entry_id is None:  # the site's own car without number has its entry id
        errors.append(Problem("no car number", line, "NUMBER"))
    positions = {
        column: read(column, parse_count, "a position", MAX_POSITION)
        for column in SITE_POSITIONS
        if column in raw
    }
    for column, place in positions.items():
        if place == 0:
            errors.append(Problem("a position starts at 1", line, column))
    car_class = class_name(value("CLASS"), value("GROUP"))
    if not car_class:
        errors.append(Problem("no class", line, "CLASS"))
    elif len(car_class) > MAX_CLASS_NAME:  # the season's class names store it (ClassName)
        errors.append(
            Problem(f"class longer than {MAX_CLASS_NAME} characters with its group", line, "GROUP")
        )
    names = []
    for place, parts in drivers.items():
        name = read_name(line, raw, place, parts, errors)
        if name is not None:
            names.append(name)
    if not names and result_status is not None:
        parsed.warnings.append(Problem("no driver named", line))
    chassis, engine = parse_vehicle(value("VEHICLE"))
    if "CHASSIS" in raw or "ENGINE" in raw:  # the site's own columns: no " - " to split on
        chassis, engine = value("CHASSIS"), value("ENGINE")
    if len(chassis) > 120 or len(engine) > 120:
        errors.append(Problem("chassis or engine longer than 120 characters", line, "VEHICLE"))
    laps = read("LAPS", parse_count)
    gap_first = read("GAP_FIRST", parse_gap) or Gap()
    if layout == "qualifying":  # TIME is the best lap, LAP the lap it was set on
        time, best_lap_column, best_lap_number = None, "TIME", read("LAP", parse_count)
        kph_column = "KPH"
    else:
        time, best_lap_column = read("TOTAL_TIME", parse_time), "FL_TIME"
        best_lap_number, kph_column = read("FL_LAPNUM", parse_count), "FL_KPH"
    best_lap = read(best_lap_column, parse_time)
    for column, parser in (("GAP_PREVIOUS", parse_gap), (kph_column, parse_decimal)):
        try:
            parser(value(column))
        except ValueError as error:  # not stored: a warning
            parsed.warnings.append(Problem(f"{error} (ignored)", line, column))
    if (gap_first.laps or 0) < 0 or (gap_first.time or dt.timedelta()) < dt.timedelta():
        parsed.warnings.append(
            Problem("a negative gap to the leader is not kept", line, "GAP_FIRST")
        )
        gap_first = Gap()
    for column, duration in (("TOTAL_TIME", time), (best_lap_column, best_lap)):
        if duration is not None and duration <= dt.timedelta():
            errors.append(Problem("a time must be positive", line, column))
    if errors:
        parsed.errors.extend(errors)
        return None
    try:
        gap_previous = parse_gap(value("GAP_PREVIOUS"))
        kph = parse_decimal(value(kph_column))
    except ValueError:
        gap_previous, kph = Gap(), None
    return Row(
        line=line,
        position=position,
        number=number,
        team=value("TEAM"),
        drivers=names,
        chassis=chassis,
        engine=engine,
        tyres=parse_tyres(value(tyres_column)),
        car_class=car_class,
        result_status=result_status,
        entry_status=entry_status,
        laps=laps,
        time=time,
        gap_first=gap_first,
        gap_previous=gap_previous,
        best_lap_number=best_lap_number,
        best_lap=best_lap,
        best_lap_kph=kph,
        entry_id=entry_id,
        positions=positions,
    )


def read_name(line, raw, place, parts, errors):
    def value(part):
        return " ".join((raw.get(parts[part]) or "").split()) if part in parts else ""

    country = ""
    if "COUNTRY" in parts:
        try:
            country = parse_country(value("COUNTRY"))
        except ValueError as error:
            errors.append(Problem(str(error), line, parts["COUNTRY"]))
    licence = ""
    if "LICENCE" in parts and value("LICENCE"):
        licence = LICENCES.get(value("LICENCE").upper())
        if licence is None:
            errors.append(
                Problem(
                    f"“{value('LICENCE')}” is not a driver category (Platinum, Gold, Silver, "
                    "Bronze)",
                    line,
                    parts["LICENCE"],
                )
            )
            licence = ""
    if "NAME" in parts:
        written = value("NAME")
    else:
        first, last = value("FIRSTNAME"), value("SECONDNAME")
        written = " ".join(part for part in (first, last) if part)
    if not written:
        return None
    if len(written) > LENGTHS["DRIVER"]:  # before splitting: no work on a long value
        errors.append(Problem("a name longer than 200 characters", line, f"DRIVER {place}"))
        return None
    name = split_name(written) if "NAME" in parts else Name(first, last)
    return Name(name.first, name.last, country, licence)


def class_name(written, group=""):
    """The class as the import matches it: the CLASS column, with a sub-class of the GROUP
    column appended ("LMP2" and "P/A" → "LMP2 Pro/Am"); a class name that carries its sub-class
    ("LMP2 Pro/Am") is kept as written."""
    written, group = " ".join(written.split()), " ".join(group.split())
    if not group or not written:
        return written
    suffix = GROUPS.get(group.upper(), group)
    if fold_class(written).endswith(fold_class(suffix)):
        return written
    return f"{written} {suffix}"


def fold_class(code):
    """A class code compared without case, spaces and punctuation: "LMP2 Pro/Am", "LMP2 Pro-Am"
    and "LMP2(Pro-Am)" are one."""
    return re.sub(r"[^0-9a-z]+", "", code.casefold())


def check_file(parsed):
    """Rules across rows: car numbers, positions and the site's entry ids unique (a car without
    number is named by its entry id)."""
    for attribute, column, what in (
        ("number", "NUMBER", "car number"),
        ("position", "POSITION", "position"),
        ("entry_id", ENTRY_ID, "entry id"),
    ):
        seen = {}
        for row in parsed.rows:
            key = getattr(row, attribute)
            if attribute == "number":  # a car the site's entry id names needs no own number
                key = None if row.entry_id is not None else key.casefold() or None
            if key is None:
                continue
            if key in seen:
                parsed.errors.append(
                    Problem(
                        f"{what} {getattr(row, attribute)} again (first on line {seen[key]})",
                        row.line,
                        column,
                    )
                )
            else:
                seen[key] = row.line
