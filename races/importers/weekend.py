"""A race weekend from the official timing files in one go: a folder or a zip of one event's
files, each placed in its session by its name (or, for an entry list, its header), the sessions
the event lacks created in order, and every file imported through the one import
(races/importers/classification.py) in one block of writes: one transaction, one refresh of the
standings, one advance of the data version. A dry run does all of it and rolls it back, so the
combined preview is exactly what the import would do, file after file.

Placing a file, from its name ("03_Classification_Qualifying_LMP2.CSV", "Entry List.csv"):
- ignored: hourly interim classifications ("Hour 3"), support races (Le Mans Cup, Porsche,
  Ligier…) and what is not a classification (sectors, weather, pit stops…) but a race's lap
  analysis, stored for the race its name names (`analysis_race`, races/importers/laps.py);
- the entry list; free practice N; qualifying, with its class when it is run per class (from the
  name, or from the file when all its cars are of one class and the event runs several); the
  warm-up; the race;
- a file the name does not place is listed; `sessions.csv` in the folder (columns `file`,
  `session`) names it: a session as a file name would ("Qualifying LMP2", "Race", "Entry list")
  or `ignore`.

A zip is read within caps (entries, sizes, compression ratio): a zip bomb is refused before
anything is inflated. See docs/decisions/0015-weekend-import.md.
"""

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from django.db import transaction
from django.utils.translation import gettext as _

from races import writes
from races.importers import alkamel
from races.importers import laps as lap_analysis
from races.importers.alkamel import Problem, fold_class
from races.importers.classification import (
    NEW,
    Decisions,
    apply,
    decision_key,
    import_reason,
    make_plan,
)
from races.models import Event, Round, Session

MAX_FILES = 200  # files in one folder or zip: a weekend has about 40 with the analyses
MAX_ENTRIES = 4 * MAX_FILES  # a zip's entries, its folders and __MACOSX companions included
MAX_ZIP_BYTES = 50 * 1024 * 1024  # the zip itself
MAX_TOTAL_BYTES = 100 * 1024 * 1024  # all its members inflated
MAX_RATIO = 100  # inflated / compressed size of a member: CSV compresses about 5 to 10 times
MAPPING = "sessions.csv"  # the folder's own mapping of the files its names do not place
IGNORE = "ignore"
ENTRY_LIST = "entries"
LAPS = "laps"  # a race's lap analysis: who drove, how many laps, how long (races/importers/laps.py)

KIND_ORDER = {
    Session.Kind.TEST: 0,
    Session.Kind.PRACTICE: 1,
    Session.Kind.QUALIFYING: 2,
    Session.Kind.WARMUP: 3,
    Session.Kind.RACE: 4,
}

_WORDS = re.compile(r"[\s_.\-]+")
_HOUR = re.compile(r"\b(?:hour|h|heure|stunde)\s*\d+\b|\binterim\b|\bafter \d+ ?h")
_SUPPORT = re.compile(
    r"\b(?:le mans cup|lmc|michelin|porsche|carrera|ligier|support|gt cup|prototype cup|jsp3|"
    r"lmp3 cup|mustang|clio|formula|f4|historic)\b"
)
_NOT_CLASSIFICATION = re.compile(
    r"\b(?:analysis|analyse|sectors?|weather|pit ?stops?|chart|lap ?chart|best ?laps?|"
    r"fastest|speed ?trap|top ?speed|driving ?time|stint|grid|starting|drivers? ?time)\b"
)
_ANALYSIS = re.compile(r"\b(?:analysis|analyse)\b")
_ENTRIES = re.compile(r"\bentry ?list\b|\bentries\b|\bengag")
_PRACTICE = re.compile(r"\b(?:free practice|practice|fp|essais libres|el)\s*(\d)?\b")
_QUALIFYING = re.compile(r"\b(?:qualifying|qualification|quali|q|hyperpole)\s*(\d)?\b")
_WARMUP = re.compile(r"\bwarm ?up\b")
_RACE = re.compile(r"\b(?:race|course|rennen)\s*(\d)?\b")


class WeekendError(Exception):
    """The folder or zip cannot be read: too many files, too large, a zip bomb."""


@dataclass
class File:
    name: str
    content: bytes | None = None  # None when ignored by its name: never read
    parsed: alkamel.Parsed | None = None
    kind: str = ""  # a Session.Kind, ENTRY_LIST, IGNORE or "" (not placed)
    session_name: str = ""
    number: int = 0  # the practice's, qualifying's or race's number in its name
    car_class: str = ""  # a per-class qualifying's class
    why: str = ""  # why it is ignored or not placed
    hour: int | None = None  # a race's classification after this hour (None: not one)
    session: Session | None = None
    plan: object = None
    error: str = ""  # what stopped this file
    laps: object = None  # a lap analysis's races.importers.laps.Parsed


@dataclass
class Weekend:
    event: Event
    files: list = field(default_factory=list)
    created_sessions: list = field(default_factory=list)
    errors: list = field(default_factory=list)  # not file-bound
    written: bool = False

    laps: object = None  # what storing the lap analyses did (races.importers.laps.Stored)

    @property
    def placed(self):
        """The files of sessions and the entry list."""
        return [f for f in self.files if f.kind not in ("", IGNORE, LAPS)]

    @property
    def analyses(self):
        return [f for f in self.files if f.kind == LAPS]

    @property
    def ignored(self):
        return [f for f in self.files if f.kind == IGNORE]

    @property
    def unplaced(self):
        return [f for f in self.files if not f.kind]

    @property
    def blocking(self):
        return bool(
            self.errors
            or (self.laps is not None and self.laps.errors)
            or any(f.error for f in self.analyses)
            or self.unplaced
            or any(f.error or (f.plan is not None and f.plan.blocking) for f in self.placed)
        )

    def counts(self):
        total = {}
        for file in self.placed:
            if file.plan is not None:
                for what, n in file.plan.counts().items():
                    total[what] = total.get(what, 0) + n
        return total

    def lines(self):
        """The combined preview in words: what each file does, in the order it is imported."""
        out = [f"session created: {s.order} {s.name} ({s.kind})" for s in self.created_sessions]
        for file in self.placed:
            where = "entry list" if file.kind == ENTRY_LIST else file.session_name
            out.append(f"== {file.name} → {where}")
            if file.plan is not None:
                out.extend(file.plan.lines())
        for file in self.analyses:
            race = f" in {file.session.name}" if file.session is not None else ""
            out.append(f"== {file.name} → laps and time at the wheel{race}")
        if self.laps is not None:
            out.extend(self.laps.lines)
        out.extend(f"ignored: {f.name} ({f.why})" for f in self.ignored)
        out.extend(f"not placed: {f.name} ({f.why})" for f in self.unplaced)
        return out


# --- reading a folder or a zip ----------------------------------------------------------------


def read_folder(path):
    """[(name, reader)] of the files of a folder or a zip at `path`; a reader gives the bytes
    when called (a file ignored by its name is never read). Raises WeekendError."""
    path = Path(path)
    if path.is_dir():
        names = sorted(p for p in path.iterdir() if p.is_file() and not p.name.startswith("."))
        if len(names) > MAX_FILES:
            raise WeekendError(
                _("%(path)s: %(n)d files, more than %(max)d")
                % {"path": path, "n": len(names), "max": MAX_FILES}
            )
        return [(p.name, _file_reader(p)) for p in names]
    if zipfile.is_zipfile(path):
        if path.stat().st_size > MAX_ZIP_BYTES:
            raise WeekendError(
                _("%(path)s: larger than %(max)d MB")
                % {"path": path, "max": MAX_ZIP_BYTES // 2**20}
            )
        return read_zip(path.read_bytes())
    raise WeekendError(_("%(path)s: neither a folder nor a zip") % {"path": path})


def _file_reader(path):
    def read():
        if path.stat().st_size > alkamel.MAX_BYTES:
            raise WeekendError(alkamel.too_large(path.stat().st_size))
        return path.read_bytes()

    return read


def read_zip(content):
    """[(name, reader)] of the files of a zip (its folders flattened), checked before anything
    is inflated: at most MAX_FILES files, MAX_TOTAL_BYTES inflated, MAX_RATIO per member; a
    member's reader reads no more than it declared. Raises WeekendError."""
    if len(content) > MAX_ZIP_BYTES:
        raise WeekendError(_("the zip is larger than %(max)d MB") % {"max": MAX_ZIP_BYTES // 2**20})
    entries = zip_entry_count(content)
    if entries > MAX_ENTRIES:
        raise WeekendError(
            _("the zip declares %(n)d entries, more than %(max)d")
            % {"n": entries, "max": MAX_ENTRIES}
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(content))
        members = [m for m in archive.infolist() if not m.is_dir()]
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise WeekendError(_("not a readable zip (%(error)s)") % {"error": error}) from None
    members = [m for m in members if not PurePosixPath(m.filename).name.startswith((".", "__"))]
    members = [m for m in members if "__MACOSX" not in m.filename]
    if len(members) > MAX_FILES:
        raise WeekendError(
            _("the zip holds %(n)d files, more than %(max)d")
            % {"n": len(members), "max": MAX_FILES}
        )
    if sum(m.file_size for m in members) > MAX_TOTAL_BYTES:
        raise WeekendError(
            _("the zip inflates to more than %(max)d MB") % {"max": MAX_TOTAL_BYTES // 2**20}
        )
    for member in members:
        if member.file_size > MAX_RATIO * max(member.compress_size, 1) and member.file_size > 4096:
            raise WeekendError(
                _("%(name)s: compressed %(ratio)d times, more than %(max)d: a zip bomb?")
                % {
                    "name": member.filename,
                    "ratio": member.file_size // max(member.compress_size, 1),
                    "max": MAX_RATIO,
                }
            )
    seen, out = set(), []
    for member in sorted(members, key=lambda m: m.filename):
        name = PurePosixPath(member.filename).name
        if name in seen:
            raise WeekendError(_("two files named %(name)s in the zip") % {"name": name})
        seen.add(name)
        out.append((name, _member_reader(archive, member)))
    return out


def zip_entry_count(content):
    """The number of entries a zip's end-of-central-directory record declares, read before the
    zip is opened (opening it reads every entry's header); 0 where there is no such record (the
    zip module then says what is wrong). A ZIP64 zip declares 0xFFFF: more than MAX_ENTRIES."""
    end = content.rfind(b"PK\x05\x06", max(0, len(content) - 22 - 65535))
    if end < 0 or end + 22 > len(content):
        return 0
    return int.from_bytes(content[end + 10 : end + 12], "little")


def _member_reader(archive, member):
    def read():
        if member.file_size > alkamel.MAX_BYTES:
            raise WeekendError(alkamel.too_large(member.file_size))
        try:
            with archive.open(member) as handle:
                data = handle.read(member.file_size + 1)  # never more than it declared
        except (zipfile.BadZipFile, OSError, RuntimeError, ValueError) as error:
            raise WeekendError(
                _("%(name)s: cannot be read (%(error)s)")
                % {"name": member.filename, "error": error}
            ) from None
        if len(data) > member.file_size:
            raise WeekendError(_("%(name)s: larger than it declares") % {"name": member.filename})
        return data

    return read


# --- placing files ----------------------------------------------------------------------------


def words_of(name):
    stem = name.rsplit(".", 1)[0] if "." in name else name
    return " " + _WORDS.sub(" ", stem.casefold()).strip() + " "


def place_by_name(file, class_codes=()):
    """Set `file.kind` (and its session name) from its name; leave it empty when the name does
    not say."""
    text = words_of(file.name)
    if _SUPPORT.search(text):
        file.kind, file.why = IGNORE, _("a support race")
    elif _ANALYSIS.search(text) and _RACE.search(text) and not _QUALIFYING.search(text):
        file.kind = LAPS
    elif _NOT_CLASSIFICATION.search(text):
        file.kind, file.why = IGNORE, _("not a classification")
    elif hour := _HOUR.search(text):
        file.kind, file.why = IGNORE, _("an hourly interim classification")
        race = _RACE.search(text[: hour.start()] + " " + text[hour.end() :])
        if race and not _QUALIFYING.search(text) and not _PRACTICE.search(text):
            # The final classification is filed in the last hour's folder, named after it:
            # the highest hour of a race that has no plain classification is the race.
            file.number = int(race[1] or 0)
            file.hour = int(re.search(r"\d+", hour[0])[0]) if re.search(r"\d+", hour[0]) else 0
    elif _ENTRIES.search(text):
        file.kind = ENTRY_LIST
    elif match := _PRACTICE.search(text):
        file.kind, file.number = Session.Kind.PRACTICE, int(match[1] or 1)
    elif match := _QUALIFYING.search(text):
        file.kind, file.number = Session.Kind.QUALIFYING, int(match[1] or 0)
        after = text[match.end() :]
        for code in sorted(class_codes, key=len, reverse=True):
            if fold_class(code) and fold_class(code) in fold_class(after):
                file.car_class = code
                break
    elif _WARMUP.search(text):
        file.kind = Session.Kind.WARMUP
    elif match := _RACE.search(text):
        file.kind, file.number = Session.Kind.RACE, int(match[1] or 0)


def session_name(file):
    if file.kind == Session.Kind.PRACTICE:
        return f"Free Practice {file.number}"
    if file.kind == Session.Kind.QUALIFYING:
        base = "Qualifying" + (f" {file.number}" if file.number else "")
        return f"{base} {file.car_class}" if file.car_class else base
    if file.kind == Session.Kind.WARMUP:
        return "Warm-up"
    if file.kind == Session.Kind.RACE:
        return "Race" + (f" {file.number}" if file.number else "")
    return ""


def analysis_race(name, races):
    """The race of `races` (an event's race sessions) whose lap analysis the file `name` is,
    or None: the race a classification of that name would be in ("23_Analysis_Race 2_Hour
    2.CSV": Race 2), or the event's only race where the name gives no number or 1."""
    race = _RACE.search(words_of(name))
    file = File(name, kind=Session.Kind.RACE, number=int(race[1] or 0) if race else 0)
    wanted = session_name(file).casefold()
    found = [s for s in races if s.name.casefold() == wanted]
    if found:
        return found[0]
    if len(races) == 1 and file.number <= 1:
        return races[0]
    return None


def read_mapping(content):
    """{file name: session as written} of a folder's sessions.csv, and its problems."""
    text, problem = alkamel.decode(content)
    if problem is not None:
        return {}, [Problem(f"{MAPPING}: {problem}")]
    out, problems = {}, []
    for line, row in enumerate(csv.DictReader(io.StringIO(text)), start=2):
        name, session = (row.get("file") or "").strip(), (row.get("session") or "").strip()
        if not name or not session:
            problems.append(Problem(f"{MAPPING}: a file and its session", line))
            continue
        out[name] = session
    return out, problems


def promote_last_hour(files):
    """Where a race has no plain classification, its classification of the highest hour is the
    race; the others stay ignored as interim. Where the races are numbered (a double-header),
    an hour of a race without a number is an interim one."""
    plain = {f.number for f in files if f.kind == Session.Kind.RACE}
    numbered = plain | {f.number for f in files if f.hour is not None}
    if numbered - {0}:  # a double-header: an hour of no numbered race is an interim one
        plain.add(0)
    last = {}
    for file in files:
        if file.kind == IGNORE and file.hour is not None and file.number not in plain:
            best = last.get(file.number)
            if best is None or file.hour > best.hour:
                last[file.number] = file
    for file in last.values():
        file.kind, file.why = Session.Kind.RACE, ""


def load_files(entries, class_codes):
    """(files, problems) from [(name, reader)]: each file placed by its name or the folder's
    mapping, and read and parsed unless it is ignored (an ignored file is never read)."""
    mapping, problems = {}, []
    for name, reader in entries:
        if name.casefold() == MAPPING:
            try:
                mapping, problems = read_mapping(reader())
            except WeekendError as error:
                problems = [Problem(f"{MAPPING}: {error}")]
    files, readers = [], {}
    for name, reader in entries:
        if name.casefold() == MAPPING:
            continue
        file = File(name)
        files.append(file)
        readers[id(file)] = reader
        written = mapping.get(name)
        if written is not None and written.casefold() == IGNORE:
            file.kind, file.why = IGNORE, _("%(file)s says so") % {"file": MAPPING}
        elif written is not None:
            probe = File(written)
            place_by_name(probe, class_codes)
            if probe.kind and probe.kind != IGNORE:
                file.kind, file.number, file.car_class = probe.kind, probe.number, probe.car_class
            else:
                problems.append(Problem(f"{MAPPING}: “{written}” is not a session ({name})"))
        else:
            place_by_name(file, class_codes)
    promote_last_hour(files)
    for file in files:
        if file.kind == IGNORE:
            continue
        reader = readers[id(file)]
        try:
            file.content = reader()
        except WeekendError as error:
            file.error = str(error)
            continue
        if file.kind == LAPS:
            file.laps = lap_analysis.parse(file.content)
            file.error = "; ".join(str(p) for p in file.laps.errors[:5])
        else:
            file.parsed = alkamel.parse(file.content)
    return files, problems


def place(files, class_codes):
    """Place what the names left open: an entry list by its header, a qualifying of one class
    of an event that runs several as that class's; name each file's session."""
    for file in files:
        if file.kind in (IGNORE, LAPS) or file.parsed is None:
            continue
        if not file.kind and file.parsed.layout == "entries":
            file.kind = ENTRY_LIST
        elif not file.kind:
            file.why = _("its name names no session: name it in %(file)s") % {"file": MAPPING}
        elif file.kind == Session.Kind.QUALIFYING and not file.car_class:
            classes = {row.car_class for row in file.parsed.rows}
            if len(classes) == 1 and len(class_codes) > 1:  # a per-class qualifying
                written = classes.pop()
                file.car_class = next(
                    (c for c in class_codes if fold_class(c) == fold_class(written)), written
                )
        if file.kind and file.kind != ENTRY_LIST:
            file.session_name = session_name(file)


def sort_key(file, class_codes=()):
    """The order of the weekend: the entry list, practice, qualifying (per class in the season's
    order of classes), warm-up, race."""
    if file.kind == ENTRY_LIST:
        return (-1, 0, 0, "")
    codes = [fold_class(code) for code in class_codes]
    folded = fold_class(file.car_class)
    rank = codes.index(folded) if folded in codes else len(codes)
    return (KIND_ORDER[file.kind], file.number, rank, file.name)


def place_in_weekend(event, kind):
    """The order of a new session of `kind`: after the event's sessions of its kind and the
    kinds before it (practice, qualifying, warm-up, race), the later ones moved one down
    (the last first: orders are unique within an event)."""
    sessions = list(Session.objects.filter(event=event).order_by("order"))
    rank = KIND_ORDER.get(kind, len(KIND_ORDER))
    before = [s.order for s in sessions if KIND_ORDER.get(s.kind, len(KIND_ORDER)) <= rank]
    order = max(before, default=0) + 1
    for later in reversed([s for s in sessions if s.order >= order]):
        later.order += 1
        later.save(update_fields=["order"])
    return order


def ensure_sessions(weekend, class_codes=()):
    """The event's session of each placed file: found by name, or created in its place in the
    weekend (`place_in_weekend`)."""
    event = weekend.event
    existing = {s.name.casefold(): s for s in Session.objects.filter(event=event)}
    for file in sorted(weekend.placed, key=lambda f: sort_key(f, class_codes)):
        if file.kind == ENTRY_LIST:
            continue
        session = existing.get(file.session_name.casefold())
        if session is None:
            order = place_in_weekend(event, file.kind)
            session = Session(
                event=event,
                kind=file.kind,
                name=file.session_name[:80],
                order=order,
                source=f"Official timing file {file.name}"[:500],
            )
            session.save()
            existing[file.session_name.casefold()] = session
            weekend.created_sessions.append(session)
        elif session.kind != file.kind:
            file.error = _("the event's session %(name)s is a %(kind)s, not a %(file)s") % {
                "name": session.name,
                "kind": session.get_kind_display(),
                "file": Session.Kind(file.kind).label,
            }
        file.session = session


# --- the import -------------------------------------------------------------------------------


class _Rollback(Exception):
    pass


def event_class_codes(event):
    from races.models import SeasonClass

    codes = (
        SeasonClass.objects.filter(season__rounds__event=event)
        .order_by("season_id", "order")
        .values_list("car_class__code", flat=True)
    )
    return list(dict.fromkeys(codes))


def parse_files(event, entries):
    """The files of [(name, reader)], placed and parsed, nothing planned."""
    class_codes = event_class_codes(event)
    files, _problems = load_files(entries, class_codes)
    place(files, class_codes)
    return files


def run_weekend(event, entries, decisions=None, rules=None, dry_run=False, user=None):
    """Import the files [(name, reader)] of one event; returns the Weekend with each file's plan.
    Nothing is written when any file cannot be placed or planned, or on a dry run."""
    from drivers import matching

    decisions = decisions or Decisions()
    rules = matching.read_rules() if rules is None else rules
    class_codes = event_class_codes(event)
    files, problems = load_files(entries, class_codes)
    place(files, class_codes)
    weekend = Weekend(event, files, errors=problems)
    if not weekend.placed and not weekend.unplaced and not weekend.analyses:
        weekend.errors.append(Problem(_("no file of this event is a session or an entry list")))
    for file in weekend.placed:
        if file.parsed is not None and file.parsed.errors and not file.error:
            file.error = "; ".join(str(p) for p in file.parsed.errors[:5])
    names = [f.session_name.casefold() for f in weekend.placed if f.kind != ENTRY_LIST]
    twice = {n for n in names if names.count(n) > 1}
    for file in weekend.placed:
        if file.session_name.casefold() in twice:
            file.error = _("another file is %(session)s too: name one in %(file)s") % {
                "session": file.session_name,
                "file": MAPPING,
            }
    try:  # a savepoint too: a dry run inside a caller's block (a season's) rolls back as well
        with writes.changes(), transaction.atomic():
            ensure_sessions(weekend, class_codes)
            for file in sorted(weekend.placed, key=lambda f: sort_key(f, class_codes)):
                if file.error:
                    continue
                source = f"Official timing (Al Kamel), file {file.name}"
                file.plan = make_plan(file.session, file.parsed, decisions, rules, event=event)
                if not file.plan.blocking:
                    apply(file.plan, source, user, import_reason(file.name, file.content))
            analyses = place_analyses(weekend) if not weekend.blocking else []
            if analyses and not weekend.blocking:  # on the crews the race files just wrote
                weekend.laps = lap_analysis.store(
                    event, analyses, rules=rules, decisions=decisions.people
                )
                weekend.errors.extend(weekend.laps.errors)
            if dry_run or weekend.blocking:
                raise _Rollback
            weekend.written = True
    except _Rollback:
        weekend.created_sessions = [
            Session(event=event, kind=s.kind, name=s.name, order=s.order)
            for s in weekend.created_sessions
        ]
    return weekend


def place_analyses(weekend):
    """[(race, Parsed)] of the weekend's lap analyses, each in the race of the event its name
    names (`analysis_race`, among the sessions the race files may just have created); a file
    that names none, or a second file of one race, gets its error."""
    races = list(Session.objects.filter(event=weekend.event, kind=Session.Kind.RACE))
    out, taken = [], {}
    for file in weekend.analyses:
        if file.error:
            continue
        race = analysis_race(file.name, races)
        if race is None:
            file.error = _(
                "its name names none of the races of the event (%(races)s): name it after its "
                "race, as the race's classification is named"
            ) % {"races": ", ".join(r.name for r in races) or "–"}
        elif race.pk in taken:
            file.error = _("%(other)s is the lap analysis of %(race)s too") % {
                "other": taken[race.pk],
                "race": race.name,
            }
        else:
            taken[race.pk] = file.name
            file.session = race
            out.append((race, file.laps))
    return out


# --- the decisions file -----------------------------------------------------------------------


def read_decisions(path_or_text, round_number=None, classes=None):
    """Decisions from a CSV (columns `car`, `name`, `driver` and optionally `round` and
    `reason`): `driver` a driver's id, slug or `new`. Rows of another round are skipped.
    Raises ValueError with the line."""
    from drivers.models import Driver

    text = path_or_text if isinstance(path_or_text, str) else path_or_text.read_text("utf-8-sig")
    decisions = Decisions(classes=dict(classes or {}))
    wanted = []
    for line, row in enumerate(csv.DictReader(io.StringIO(text)), start=2):
        car = (row.get("car") or "").strip().lstrip("#")
        name = (row.get("name") or "").strip()
        driver = (row.get("driver") or "").strip()
        number = (row.get("round") or "").strip()
        if not car or not name or not driver:
            raise ValueError(f"decisions line {line}: a car, a name and a driver (id, slug, new)")
        if number and not number.isdigit():
            raise ValueError(f"decisions line {line}: round {number!r} is not a number")
        if number and round_number is not None and int(number) != round_number:
            continue
        wanted.append((line, car, name, driver))
    slugs = {d for _, _, _, d in wanted if not d.isdigit() and d != NEW}
    by_slug = dict(Driver.objects.filter(slug__in=slugs).values_list("slug", "pk"))
    ids = {int(d) for _, _, _, d in wanted if d.isascii() and d.isdigit()}
    known = set(Driver.objects.filter(pk__in=ids).values_list("pk", flat=True))
    for line, car, name, driver in wanted:
        if driver.isascii() and driver.isdigit() and int(driver) not in known:
            raise ValueError(f"decisions line {line}: no driver with id {driver}")
        if driver == NEW or driver.isdigit():
            value = driver
        elif driver in by_slug:
            value = str(by_slug[driver])
        else:
            raise ValueError(f"decisions line {line}: no driver {driver!r}")
        decisions.people[decision_key("driver", name, car)] = value
    return decisions


def season_rounds(series, year):
    return list(
        Round.objects.filter(season__series__slug=series, season__year=year)
        .select_related("event", "season")
        .order_by("number")
    )


_ROUND = re.compile(r"^(?:r|round|rd|manche|lauf)?[\s_-]*0*(\d{1,3})(?:\D|$)", re.IGNORECASE)


def round_of(name):
    """The round number a season folder's entry names ("03 Imola", "R3", "round-3"), or None."""
    match = _ROUND.match(name)
    return int(match[1]) if match else None
