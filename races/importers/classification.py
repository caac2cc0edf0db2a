"""Importing a parsed classification into a session: `make_plan` matches every row to what the
database holds (entry, team, drivers, class) and lists what it would create and change, with
every error and warning; `apply` writes a plan without errors in one transaction.

Matching:
- an entry by car number among the event's entries (an entered car first);
- a class by code among the classes the event's seasons run, or through the editor's mapping
  (LMGTE → GTE); a class unknown to the seasons blocks the import until it is mapped;
- a driver or team by the folded name (drivers.matching, with the reviewed alias file): one
  driver with that key is the match; a driver already in the car's crew wins; several drivers
  with the key, or none but one whose name differs only in punctuation or titles, is ambiguous
  and waits for the editor's decision, never guessed.

Re-importing replaces the session's results. What the file does not carry (a result's reason,
source and notes, a crew member's nationality) is kept from the previous result of the same
car. Entries and crew members the file no longer names are reported, not deleted. Results are
written with save()/delete() (or simple-history's bulk helper for new rows), so the audit
history keeps every previous value. They go through races/writes.py: when `run_import`'s block
ends, the stored standings of the event's championships are refreshed and the data version
advanced in the same transaction. See docs/decisions/0004-classification-import.md.
"""

import difflib
import hashlib
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import F
from django.utils.translation import ngettext
from simple_history.utils import bulk_create_with_history

from drivers import matching, short_forms
from drivers.models import Driver
from drivers.names import fold, slug_for
from races import writes
from races.importers.alkamel import Problem, fold_class
from races.models import (
    CarClass,
    ClassName,
    Crew,
    DriverLicence,
    Entry,
    Event,
    Registration,
    Result,
    Season,
    SeasonClass,
    Session,
    Team,
    registration_errors,
)
from races.results import TIMING_VALUES, championship_class_positions, check_session

NEW = "new"
ENTRY_FIELDS = ("car_class_id", "team_id", "entrant", "chassis", "engine", "tyres", "status")


REASON = "Classification import"


def import_reason(name, content):
    """The history's change reason of an import: the file by its name and SHA-256, so that the
    records written by one file are told apart and the file can be found again."""
    return f"{REASON}: {name} (SHA-256 {hashlib.sha256(content).hexdigest()})"


class ImportFailed(Exception):
    """The plan has errors or became stale: nothing was written."""

    def __init__(self, plan, message=""):
        self.plan = plan
        super().__init__(message or "; ".join(str(error) for error in plan.errors))


@dataclass
class Decisions:
    """What the editor (or the command's options) settled."""

    classes: dict = field(default_factory=dict)  # class code as written (folded) → CarClass pk
    people: dict = field(default_factory=dict)  # decision key → pk (as text) or NEW
    names: dict = field(default_factory=dict)  # decision key → display name of a new driver


@dataclass
class Match:
    """A driver or team of the file: matched, to be created, or waiting for a decision."""

    kind: str  # "driver" or "team"
    key: str  # the decision key: stable for one folded name
    written: str
    display: str  # the name a new one gets
    first_name: str = ""
    last_name: str = ""
    obj: object = None  # the existing driver or team matched
    candidates: list = field(default_factory=list)  # when ambiguous
    options: list = field(default_factory=list)  # the candidates, also once decided
    decided: bool = False
    is_new: bool = False  # the plan creates it (stays true once it is created)
    car: str = ""  # a driver's car number: a driver is matched per car of the event
    question: str = ""  # why the editor must decide even without candidates (two cars)

    @property
    def create(self):
        return self.obj is None and not self.candidates and not self.open_question

    @property
    def open_question(self):
        return bool(self.question) and not self.decided

    @property
    def ambiguous(self):
        return self.obj is None and (bool(self.candidates) or self.open_question)


@dataclass
class RowPlan:
    row: object  # alkamel.Row
    car_class: CarClass | None = None
    team: Match | None = None
    drivers: list = field(default_factory=list)
    nationalities: list = field(default_factory=list)
    licences: list = field(default_factory=list)  # the FIA category letters, as the drivers
    entry: Entry | None = None  # the existing entry, if any
    own_team: bool = False  # TEAM is the entry's own entrant (or team): its team is kept
    entry_changes: list = field(default_factory=list)
    result: Result | None = None  # the existing result of this car in the session
    values: dict = field(default_factory=dict)  # the result's values after the import
    result_changes: list = field(default_factory=list)
    crew_dropped: list = field(default_factory=list)  # drivers in the crew, not in the file
    crew_removed: list = field(default_factory=list)  # crew members a race file leaves out
    crew_skipped: list = field(default_factory=list)  # named after the race: not in its crew


@dataclass
class Plan:
    session: Session | None  # None: an entry list, into the event before its sessions
    seasons: list
    event: Event | None = None
    rows: list = field(default_factory=list)
    errors: list = field(default_factory=list)
    warnings: list = field(default_factory=list)
    unknown_classes: dict = field(default_factory=dict)  # code as written → [row lines]
    class_choices: list = field(default_factory=list)  # the classes the seasons run
    class_map: dict = field(default_factory=dict)  # code as written → CarClass (mapped)
    season_classes: dict = field(default_factory=dict)  # season pk → class pks it runs
    people: dict = field(default_factory=dict)  # decision key → Match
    removed_results: list = field(default_factory=list)  # results of cars not in the file
    unnamed_entries: list = field(default_factory=list)  # entries the file does not name
    mark_results_final: bool = False
    class_names: dict = field(default_factory=dict)  # (season pk, written) → CarClass to store
    race_has_results: bool = False  # a non-race file then adds no one to a crew
    event_entries: list = field(default_factory=list)  # with crews and registrations

    @property
    def entry_list(self):
        return self.session is None

    @property
    def is_race(self):
        return self.session is not None and self.session.kind == Session.Kind.RACE

    @property
    def blocking(self):
        return bool(self.errors)

    @property
    def new_drivers(self):
        return [m for m in self.people.values() if m.kind == "driver" and m.is_new]

    @property
    def new_teams(self):
        return [m for m in self.people.values() if m.kind == "team" and m.is_new]

    @property
    def ambiguous(self):
        return [m for m in self.people.values() if m.ambiguous]

    @property
    def new_entries(self):
        return [r for r in self.rows if r.entry is None]

    def counts(self):
        started = [r for r in self.rows if r.row.result_status is not None]
        return {
            "cars": len(self.rows),
            "results": len(started),
            "new results": sum(1 for r in started if r.result is None),
            "changed results": sum(1 for r in started if r.result and r.result_changes),
            "removed results": len(self.removed_results),
            "new entries": len(self.new_entries),
            "changed entries": sum(1 for r in self.rows if r.entry and r.entry_changes),
            "new drivers": len(self.new_drivers),
            "new teams": len(self.new_teams),
        }

    def lines(self):
        """The plan in words, one line per car and per change: what the preview and the
        command show, and what the fingerprint covers."""
        out = []
        for rp in self.rows:
            row = rp.row
            entry = f"entry {rp.entry.pk}" if rp.entry else "new entry"
            team = describe(rp.team) if rp.team else "no team"
            if rp.own_team:
                team = "the car's own team"
            crew = ", ".join(describe(m) for m in rp.drivers)
            cls = rp.car_class.code if rp.car_class else f"{row.car_class}?"
            status = row.result_status or "did not start"
            out.append(
                f"line {row.line}: #{row.number} {cls} {status} — {entry}; {team}; {crew}"
                + (f"; entry: {'; '.join(rp.entry_changes)}" if rp.entry_changes else "")
                + (f"; result: {'; '.join(rp.result_changes)}" if rp.result_changes else "")
            )
            out.extend(
                f"  #{row.number}: {name} stays in the crew, not named by the file"
                for name in rp.crew_dropped
            )
            out.extend(
                f"  #{row.number}: {name} leaves the race crew, named by another session only"
                for name in rp.crew_removed
            )
            out.extend(
                f"  #{row.number}: {name} is not added to the race crew (named in this session "
                "only)"
                for name in rp.crew_skipped
            )
            out.extend(
                f"  #{row.number}: {m.written} category {letter}"
                for m, letter in zip(rp.drivers, rp.licences, strict=True)
                if letter
            )
        out.extend(
            f"class {written} of {season} is {car_class.code} from now on"
            for (season, written), car_class in sorted(self.class_names.items())
        )
        out.extend(
            f"result of #{r.entry.number} removed: the car is not in the file"
            for r in self.removed_results
        )
        out.extend(
            f"entry #{e.number} ({e.get_status_display()}) is not named by the file: kept"
            for e in self.unnamed_entries
        )
        if self.mark_results_final:
            out.append("the session's results will be marked final")
        return out

    def fingerprint(self):
        """A digest of what the import would do, so that a confirmation applies exactly the
        preview the editor saw."""
        return hashlib.sha256("\n".join(self.lines()).encode()).hexdigest()[:32]


def describe(match):
    if match.open_question:
        return f"{match.written} = to decide ({match.question})"
    if match.is_new:
        return f"{match.written} = new {match.kind} “{match.display}”"
    if match.obj is not None:
        return f"{match.written} = {match.kind} {match.obj.pk} ({match.obj})"
    if match.candidates:
        return f"{match.written} = ambiguous ({len(match.candidates)} candidates)"
    return f"{match.written} = new {match.kind} “{match.display}”"


def decision_key(kind, name, car=""):
    """The key of one written name: a team's by its name, a driver's by its name in one car (the
    same name in two cars of an event may be two drivers)."""
    text = fold(name) + (f"#{car.casefold()}" if car else "")
    return kind[0] + hashlib.sha1(text.encode()).hexdigest()[:12]


def event_seasons(event_id):
    return list(Season.objects.filter(rounds__event_id=event_id).select_related("series"))


# --- planning ---------------------------------------------------------------------------------


def make_plan(session, parsed, decisions=None, rules=None, source="", event=None):
    """Match the rows of `parsed` (alkamel.Parsed) to the database for `session`, or with
    `session` None as the entry list of `event` (entries and crews, no results). Reads only."""
    decisions = decisions or Decisions()
    rules = matching.read_rules() if rules is None else rules
    if session is not None:
        session = Session.objects.select_related("event__layout").get(pk=session.pk)
        event = session.event
    plan = Plan(session, event_seasons(event.pk), event=event)
    plan.errors.extend(parsed.errors)
    plan.warnings.extend(parsed.warnings)
    if parsed.errors:
        return plan
    if not plan.seasons:
        plan.errors.append(Problem("The session's event is not a round of any season."))
        return plan
    year = event.last_day.year
    plan.rows = [RowPlan(row) for row in parsed.rows]
    plan.race_has_results = Result.objects.filter(
        session__event_id=event.pk, session__kind=Session.Kind.RACE
    ).exists()
    match_classes(plan, decisions)
    find_entries(plan)
    match_people(plan, decisions, rules, year)
    match_entries(plan)
    plan_results(plan)
    if plan.ambiguous:
        for m in plan.ambiguous:
            if m.open_question:
                plan.errors.append(Problem(f"{m.written}: {m.question}"))
                continue
            candidates = [f"{c} [{c.pk}]" for c in m.candidates]
            plan.errors.append(Problem(ambiguity_message(m.written, m.kind, candidates)))
    return plan


def ambiguity_message(written, kind, candidates):
    """“Ann BEE: 2 drivers could be meant (…): choose one or a new driver”, counted in words."""
    n, params = len(candidates), {"written": written, "candidates": ", ".join(candidates)}
    if kind == "team":
        text = ngettext(
            "%(written)s: %(n)d team could be meant (%(candidates)s): choose it or a new team",
            "%(written)s: %(n)d teams could be meant (%(candidates)s): choose one or a new team",
            n,
        )
    else:
        text = ngettext(
            "%(written)s: %(n)d driver could be meant (%(candidates)s): choose them or a new "
            "driver",
            "%(written)s: %(n)d drivers could be meant (%(candidates)s): choose one or a new "
            "driver",
            n,
        )
    return text % {**params, "n": n}


def match_classes(plan, decisions):
    run = (
        SeasonClass.objects.filter(season__in=plan.seasons)
        .select_related("car_class__parent")
        .order_by("season_id", "order")
    )
    choices = {}
    for season_class in run:
        choices.setdefault(season_class.car_class.pk, season_class.car_class)
        plan.season_classes.setdefault(season_class.season_id, set()).add(season_class.car_class.pk)
    plan.class_choices = list(choices.values())
    # A code as written first (E+3.0 and E3.0 are two classes of 1962), then without case, then
    # without spaces and punctuation where that leaves one class (LMP2 Pro/Am is LMP2 Pro-Am).
    exact = {c.code: c for c in plan.class_choices}
    by_case = {c.code.casefold(): c for c in plan.class_choices}
    folds = Counter(fold_class(c.code) for c in plan.class_choices)
    by_code = {fold_class(c.code): c for c in plan.class_choices if folds[fold_class(c.code)] == 1}
    stored = {}  # the season's own mapping of the timing files' class names
    for name in ClassName.objects.filter(season__in=plan.seasons).select_related("car_class"):
        if name.car_class_id in choices:
            stored.setdefault(fold_class(name.written), choices[name.car_class_id])
    for rp in plan.rows:
        code = rp.row.car_class
        chosen = decisions.classes.get(fold(code))
        if chosen:
            target = (
                choices.get(int(chosen))
                if str(chosen).isascii() and str(chosen).isdigit()
                else None
            )
            if target is None:
                plan.errors.append(
                    Problem(f"class {code} is mapped to a class the season does not run")
                )
                continue
            plan.class_map[code] = target
            rp.car_class = target
            for season in plan.seasons:  # kept for the season's next files
                runs = plan.season_classes.get(season.pk, set())
                if target.pk in runs and fold_class(code) not in stored:
                    plan.class_names[(str(season), code)] = target
        elif code in exact:
            rp.car_class = exact[code]
        elif code.casefold() in by_case:
            rp.car_class = by_case[code.casefold()]
        elif fold_class(code) in by_code:
            rp.car_class = by_code[fold_class(code)]
        elif fold_class(code) in stored:
            rp.car_class = stored[fold_class(code)]
        else:
            plan.unknown_classes.setdefault(code, []).append(rp.row.line)
    names = ", ".join(str(s) for s in plan.seasons)
    for code, lines in plan.unknown_classes.items():
        plan.errors.append(
            Problem(
                f"class {code} ({len(lines)} cars, first on line {lines[0]}) is not run by "
                f"{names}: map it to one of {', '.join(c.code for c in plan.class_choices)}",
                column="CLASS",
            )
        )


def match_people(plan, decisions, rules, year):
    """Drivers and teams: who in the database each written name is."""
    written_drivers = [(n.written, year) for rp in plan.rows for n in rp.row.drivers]
    written_teams = [(rp.row.team, year) for rp in plan.rows if rp.row.team]
    cars = [[(n.written, year) for n in rp.row.drivers] for rp in plan.rows]
    who = matching.resolve(written_drivers, rules, kind="driver", cars=cars)
    teams_who = matching.resolve(written_teams, rules, kind="team")
    plan.warnings.extend(Problem(f"{message} (in the file)") for message in who.undecided)
    driver_keys = {who.person_of[a] for a in written_drivers}
    driver_index = Index(Driver, driver_keys, rules, spelling=True)
    # A folded name → the cars of the file and the event that name it ({car: number}): a car is
    # its entry (two cars without number are two cars), or its number when it is new.
    cars_of = defaultdict(dict)
    for rp in plan.rows:
        for name in rp.row.drivers:
            cars_of[fold(name.written)].setdefault(car_of(rp), rp.row.number)
    for entry in plan.event_entries:  # the event's crews, from its other files
        for crew in entry.crew.all():
            key = crew.driver.search_key
            if key in cars_of:
                cars_of[key].setdefault(entry.pk, entry.number)
    near_in_file = near_names_in_file(plan, who, rules, year)
    by_car = car_rules(plan, rules)
    team_index = Index(Team, {teams_who.person_of[a] for a in written_teams}, rules)
    for rp in plan.rows:
        row = rp.row
        rp.own_team = own_team(rp.entry, row.team)
        if row.team and not rp.own_team:
            rp.team = plan_person(
                plan, "team", row.team, teams_who.person(row.team, year), team_index, decisions
            )
        # The car's own crew by folded name, in crew order: a name written twice in one car
        # (the two Mello-Breyner brothers) is its crew's first, then its second of that name.
        in_crew = defaultdict(list)
        for crew in rp.entry.crew.all() if rp.entry else []:
            in_crew[crew.driver.search_key].append(crew.driver)
        written_before = Counter()
        car = row.number  # the decision key's car, as the admin posts it back
        for name in row.drivers:
            person = who.person(name.written, year)
            base = person.key.split("@")[0]
            cars = list(cars_of[fold(name.written)].values())
            question = ""
            if len(cars) > 1:
                question = (
                    f"written alike in cars {', '.join('#' + c for c in cars)}: decide who it "
                    f"is in #{row.number}"
                )
            nth = written_before[base]
            written_before[base] += 1
            own = in_crew[base][nth] if nth < len(in_crew.get(base, [])) else None
            near = near_in_file.get(fold(name.written), [])
            if near and not driver_index.by_key.get(person.key.split("@")[0]):
                # (a name already stored was settled when it was first imported)
                question = "; ".join(
                    filter(
                        None,
                        [
                            question,
                            f"written near {' and '.join(near)} in this file: one driver or "
                            f"two? decide who it is in #{row.number} (a new driver, a stored "
                            "one, or the alias file joins the names)",
                        ],
                    )
                )
            match = plan_person(
                plan,
                "driver",
                name.written,
                person,
                driver_index,
                decisions,
                own,
                name,
                car=car if nth == 0 or own is None else f"{car}/{nth + 1}",
                question=question,
                fixed=by_car.get((fold(name.written), row.number.casefold())),
            )
            rp.drivers.append(match)
            rp.nationalities.append(name.country)
            rp.licences.append(name.licence)
        seen = Counter(m.key for m in rp.drivers)
        for key, count in seen.items():
            if count > 1:
                plan.errors.append(
                    Problem(f"{plan.people[key].written} is named twice in one car", row.line)
                )
        # Two names of one car that are the same driver (the alias file, the editor's choice, a
        # spelling): one crew member cannot be two.
        by_driver = defaultdict(list)
        for m in {m.key: m for m in rp.drivers}.values():
            if m.obj is not None:
                by_driver[m.obj.pk].append(m)
        for same in by_driver.values():
            if len(same) > 1:
                plan.errors.append(
                    Problem(
                        f"#{row.number}: {' and '.join(m.written for m in same)} are the same "
                        f"driver, {same[0].obj} [{same[0].obj.pk}]: choose another for one of "
                        "them",
                        row.line,
                    )
                )


class Index:
    """The drivers (or teams) whose folded name is one of `keys`, and the near ones: the same
    bare name (punctuation, titles or quoted parts aside) or, for drivers, the same surname
    and a near spelling (drivers.matching.NEAR_RATIO: Matthew / Matt McMurry). A near one is a
    question for the editor, not a match; an `apart` rule of the alias file settles a pair."""

    def __init__(self, model, keys, rules=(), spelling=False):
        bases = {key.split("@")[0] for key in keys}
        self.spelling = spelling
        self.settled = {
            frozenset((fold(r.name), fold(r.other))) for r in rules if r.rule == "apart" and r.other
        }
        self.by_key = defaultdict(list)
        for obj in model.objects.filter(search_key__in=bases).order_by("pk"):
            self.by_key[obj.search_key].append(obj)
        wanted = {matching.bare_key(base) for base in bases}
        surnames = {bare.rsplit(" ", 1)[-1] for bare in wanted if bare}
        self.near = defaultdict(list)  # surname (or bare name) → [(key, bare, pk)]
        # A first name and its short form, a "Jr", a hyphen or a space in the surname
        # (drivers/short_forms.py): a question too.
        self.short = defaultdict(list)  # near key → [(key, bare, pk)]
        wanted_short = {short_forms.near_key(base) for base in bases} if spelling else set()
        short_surnames = {key.rsplit(" ", 1)[-1] for key in wanted_short if key}
        for pk, key in model.objects.values_list("pk", "search_key").order_by("pk"):
            bare = matching.bare_key(key)
            if bare in wanted:
                self.near[bare].append((key, bare, pk))
            elif spelling and bare and bare.rsplit(" ", 1)[-1] in surnames:
                self.near[bare.rsplit(" ", 1)[-1]].append((key, bare, pk))
            if short_surnames and short_surnames.intersection(bare.split()):
                short = short_forms.near_key(key)
                if short in wanted_short:
                    self.short[short].append((key, bare, pk))
        pks = {pk for hits in (*self.near.values(), *self.short.values()) for _, _, pk in hits}
        self.objects = model.objects.in_bulk(pks)

    def near_of(self, base):
        """The ones near `base` whose key is not `base`."""
        bare = matching.bare_key(base)
        hits = list(self.near.get(bare, []))
        if self.spelling and bare:
            hits += [
                hit
                for hit in self.near.get(bare.rsplit(" ", 1)[-1], [])
                if hit[1] != bare
                and difflib.SequenceMatcher(None, bare, hit[1]).ratio() >= matching.NEAR_RATIO
            ]
            hits += self.short.get(short_forms.near_key(base), [])
        seen, out = set(), []
        for key, _, pk in hits:
            if key != base and frozenset((base, key)) not in self.settled and pk not in seen:
                seen.add(pk)
                out.append(self.objects[pk])
        return out


def near_names_in_file(plan, who, rules, year):
    """{folded name: ["Other NAME (#car)", …]} of the names of the file that are near another
    name of it (a first name and its short form, a "Jr" with or without a dot, a hyphen or a
    space: drivers/short_forms.py) yet not one person by the alias file: a question each, never
    two drivers created silently. An `apart` rule of the alias file settles a pair."""
    settled = {
        frozenset((fold(r.name), fold(r.other)))
        for r in rules
        if r.kind == "driver" and r.rule == "apart" and r.other
    }
    groups = defaultdict(dict)  # near key → {person key: [(written, car)]}
    for rp in plan.rows:
        for name in rp.row.drivers:
            person = who.person_of[(name.written, year)].split("@")[0]
            near = short_forms.near_key(name.written)
            groups[near].setdefault(person, []).append((name.written, rp.row.number))
    out = defaultdict(list)
    for people in groups.values():
        if len(people) < 2:
            continue
        for person, names in people.items():
            for written, car in names:
                others = [  # two names in one car are two drivers (a father and son)
                    f"{w} (#{c})"
                    for p, ns in people.items()
                    if p != person
                    for w, c in ns
                    if c != car and frozenset((fold(written), fold(w))) not in settled
                ]
                if others:
                    out[fold(written)].extend(o for o in others if o not in out[fold(written)])
    return out


def car_rules(plan, rules):
    """{(folded name, car number folded): Driver} of the alias file's `car` rules for the plan's
    event ("this name in this car of this event is this driver")."""
    event, wanted = plan.event, {}
    for rule in rules:
        if rule.kind != "driver" or rule.rule != "car":
            continue
        slug, _, number = rule.car.rpartition("#")
        if slug.strip() != event.slug or rule.years[0] != event.last_day.year:
            continue
        wanted[(fold(rule.name), number.strip().casefold())] = rule.other
    drivers = Driver.objects.in_bulk(set(wanted.values()), field_name="slug") if wanted else {}
    return {key: drivers[slug] for key, slug in wanted.items() if slug in drivers}


def plan_person(
    plan,
    kind,
    written,
    person,
    index,
    decisions,
    own=None,
    name=None,
    car="",
    question="",
    fixed=None,
):
    key = decision_key(kind, written, car)
    if key in plan.people:
        return plan.people[key]
    base = person.key.split("@")[0]
    display = person.display  # the alias file's spelling, or as written
    if name is not None and display == written:
        display = name.display
    display = " ".join(decisions.names.get(key, "").split()) or display
    match = Match(kind, key, written, display, car=car, question=question)
    if name is not None and fold(display) == fold(name.written):
        words = display.split()
        first_words = len(name.first.split())
        match.first_name = " ".join(words[:first_words])
        match.last_name = " ".join(words[first_words:])
    plan.people[key] = match
    same = index.by_key.get(base, [])
    near = index.near_of(base)
    if fixed is not None:  # the alias file names the driver of this car of this event
        match.obj, match.question = fixed, ""
    elif own is not None:
        # The car's own crew member of that name: no question, even for a name the alias file
        # splits by year (Uli Richter of 1937 and of 1996): the car says which one.
        match.obj = own
        match.question = ""
    elif len(same) == 1 and "@" not in person.key and not question:
        match.obj = same[0]
    elif same or near:
        match.candidates = match.options = same or near
    elif question:
        match.options = same
    chosen = decisions.people.get(key)
    if chosen and fixed is None and (match.options or match.question):
        match.decided = True
        if chosen == NEW:
            match.obj, match.candidates = None, []
        else:
            picked = [c for c in match.candidates if str(c.pk) == str(chosen)]
            if not picked and match.question and str(chosen).isdigit():
                picked = list(Driver.objects.filter(pk=int(chosen)))
            if picked:
                match.obj, match.candidates = picked[0], []
            else:
                match.decided = False
    match.is_new = match.create
    if kind == "driver" and match.create and len(display) > 200:
        plan.errors.append(Problem(f"{written}: the display name is longer than 200 characters"))
    if match.create and not display.strip():
        plan.errors.append(Problem(f"{written}: a new {kind} needs a name"))
    return match


def find_entries(plan):
    """The event's entry of each row: the one the site's ENTRY_ID names (a car without number,
    two cars of one number), else the one of its number (an entered car first)."""
    plan.event_entries = list(
        Entry.objects.filter(event_id=plan.event.pk)
        .select_related("car_class", "team")
        .prefetch_related("crew__driver", "registrations")
        .order_by("pk")
    )
    by_pk = {entry.pk: entry for entry in plan.event_entries}
    entries = defaultdict(list)
    for entry in plan.event_entries:
        entries[entry.number.casefold()].append(entry)
    by_number = {}  # the cars matched by their number: one row each
    for rp in plan.rows:
        row = rp.row
        entry = by_pk.get(row.entry_id) if row.entry_id is not None else None
        if entry is not None:
            if entry.number.casefold() != row.number.casefold():
                plan.errors.append(
                    Problem(
                        f"entry {row.entry_id} is {entry}, not #{row.number}: write its number "
                        "or clear ENTRY_ID",
                        row.line,
                        "ENTRY_ID",
                    )
                )
            rp.entry = entry
            continue
        # An entry id of another event (the export of another round, an entry list for a new
        # event) names no car here: the number does.
        if not row.number:
            plan.errors.append(
                Problem(
                    f"no car number, and entry {row.entry_id} is not a car of {plan.event}",
                    row.line,
                    "NUMBER",
                )
            )
            continue
        first = by_number.setdefault(row.number.casefold(), row.line)
        if first != row.line:
            plan.errors.append(
                Problem(
                    f"car number {row.number} again (first on line {first}), and no entry id of "
                    f"{plan.event} tells the cars apart",
                    row.line,
                    "NUMBER",
                )
            )
            continue
        found = entries.get(row.number.casefold(), [])
        entered = [e for e in found if e.status == Entry.Status.ENTERED]
        if len(found) > 1 and len(entered) != 1:
            plan.errors.append(
                Problem(
                    f"the event has {len(found)} entries numbered {row.number}: settle them in "
                    "the admin first",
                    row.line,
                    "NUMBER",
                )
            )
            continue
        rp.entry = entered[0] if len(found) > 1 else (found[0] if found else None)


def car_of(rp):
    """What tells a car of the file from another: its entry, or its number when it is new."""
    return rp.entry.pk if rp.entry else f"#{rp.row.number.casefold()}"


def own_team(entry, written):
    """Whether TEAM as written is the entry's own: its entrant as written, or its team's name
    when it has no entrant (as the export writes it). The entry then keeps its team, matched
    by no name: "Kronos Racing / Marc VDS Racing Team" is the entrant of Kronos Racing's car."""
    if entry is None or not written:
        return False
    if entry.entrant:
        return fold(written) == fold(entry.entrant)
    return entry.team is not None and fold(written) == fold(entry.team.name)


def match_entries(plan):
    named = set()
    is_race = plan.is_race
    for rp in plan.rows:
        row = rp.row
        if row.result_status is None and not is_race and not plan.entry_list:
            plan.warnings.append(
                Problem("did not start this session: no result, the entry is unchanged", row.line)
            )
        if rp.entry is None:
            continue
        named.add(rp.entry.pk)
        entry = rp.entry
        status = row.entry_status if is_race else entry.status  # only a race sets it
        rp.entry_changes = entry_changes(entry, rp, status)
        if rp.car_class and rp.car_class.pk != entry.car_class_id:
            entry_copy = Entry(pk=entry.pk, event_id=entry.event_id, car_class=rp.car_class)
            for registration in entry.registrations.all():
                season = next((s for s in plan.seasons if s.pk == registration.season_id), None)
                if season is None:
                    continue
                for error in registration_errors(entry_copy, season):
                    plan.errors.append(Problem(f"#{row.number}: {error}", row.line, "CLASS"))
        file_keys = {m.obj.pk for m in rp.drivers if m.obj is not None}
        crew = list(entry.crew.all())
        outside = [c.driver.full_name for c in crew if c.driver_id not in file_keys]
        if is_race:  # the race crew is the race file's crew
            rp.crew_removed = outside
        else:
            rp.crew_dropped = outside
    if plan.race_has_results and not is_race:
        # After the race: a driver named only in another session joins no crew.
        for rp in plan.rows:
            crew = {c.driver_id for c in rp.entry.crew.all()} if rp.entry else set()
            rp.crew_skipped = [
                m.display if m.obj is None else str(m.obj)
                for m in rp.drivers
                if m.obj is None or m.obj.pk not in crew
            ]
    for entry in plan.event_entries:
        if entry.pk not in named:
            plan.unnamed_entries.append(entry)


def entry_changes(entry, rp, status):
    """What the file changes in an existing entry, in words."""
    changes = []
    if rp.car_class and rp.car_class.pk != entry.car_class_id:
        changes.append(f"class {entry.car_class.code} → {rp.car_class.code}")
    # A column the file lacks or leaves empty keeps what the entry holds.
    # A team is matched, new, or still a question (a name near others): each state is said.
    team = rp.team
    if team and (team.obj is None or team.obj.pk != entry.team_id):
        was = entry.team.name if entry.team else "none"
        now = f"{team.written} (to choose)" if team.ambiguous else team.display
        changes.append(f"team {was} → {now}")
    new = {**kept_values(entry, rp), "status": status}
    changes.extend(
        f"{name} “{getattr(entry, name)}” → “{value}”"
        for name, value in new.items()
        if getattr(entry, name) != value
    )
    return changes


def kept_values(entry, rp):
    """The entry's text fields after the import: the file's value, or the entry's own when the
    file has no such column or leaves it empty (or names the entry's own team)."""
    row = rp.row
    return {
        "entrant": entry.entrant if rp.own_team else row.team or entry.entrant,
        "chassis": row.chassis or entry.chassis,
        "engine": row.engine or entry.engine,
        "tyres": row.tyres or entry.tyres,
    }


def plan_results(plan):
    session = plan.session
    if plan.entry_list:
        return
    existing = {
        r.entry_id: r for r in Result.objects.filter(session=session).select_related("entry")
    }
    started = [rp for rp in plan.rows if rp.row.result_status is not None]
    # Cars without finish order (the site's export of a partial session) after the others.
    ordered = sorted(started, key=lambda rp: (rp.row.position is None, rp.row.position or 0))
    positions = championship_class_positions(
        (rp.row.line, rp.car_class)
        for rp in ordered
        if rp.row.result_status == Result.Status.CLASSIFIED
        and rp.car_class is not None
        and rp.row.position is not None
    )
    partial = session.results_status == Session.ResultsStatus.PARTIAL
    layout = session.event.layout
    kept = set()
    for rp in ordered:
        row = rp.row
        previous = existing.get(rp.entry.pk) if rp.entry else None
        rp.result = previous
        if previous is not None:
            kept.add(previous.pk)
        classified = row.result_status == Result.Status.CLASSIFIED
        own, parent = positions.get(row.line, (None, None))
        position = row.position if classified else None
        if row.position is None and not partial:
            plan.errors.append(
                Problem(
                    "no position: only a session whose results are partial may leave the finish "
                    "order empty",
                    row.line,
                    "POSITION",
                )
            )
        if partial and row.positions:
            # The site's export of a partial session: the positions as recorded, which no
            # finish order can derive (a class position without an overall one).
            position = row.positions.get("CLASSIFIED_POSITION")
            own = row.positions.get("CLASS_POSITION")
            parent = row.positions.get("PARENT_CLASS_POSITION")
            if position is not None and not classified:
                plan.errors.append(
                    Problem(
                        "only a classified car has a classified position",
                        row.line,
                        "CLASSIFIED_POSITION",
                    )
                )
        distance = None
        if previous is not None and previous.laps == row.laps:
            # The file gives none: keep the distance on record, a sourced one or one the
            # errata made unknown (a wrong upstream distance is not replaced by laps × length).
            distance = previous.distance_km
        elif layout is not None and row.laps is not None:
            distance = (layout.length_km * row.laps).quantize(Decimal("0.001"))
        rp.values = {
            "finish_order": row.position,
            "position": position,
            "class_position": own,
            "parent_class_position": parent,
            "laps": row.laps,
            "distance_km": distance,
            "time": row.time,
            "gap_laps": row.gap_first.laps,
            "gap_time": row.gap_first.time,
            "best_lap": row.best_lap,
            "best_lap_number": row.best_lap_number,
            "status": row.result_status,
        }
        if previous is not None:
            rp.result_changes = [
                f"{name} {getattr(previous, name)} → {rp.values[name]}"
                for name in TIMING_VALUES
                if getattr(previous, name) != rp.values[name]
            ]
    plan.removed_results = [r for r in existing.values() if r.pk not in kept]
    plan.mark_results_final = session.results_status == Session.ResultsStatus.NONE


# --- writing ----------------------------------------------------------------------------------


@dataclass
class Outcome:
    counts: dict
    session: Session


def run_import(
    session,
    parsed,
    decisions=None,
    rules=None,
    source="",
    expect=None,
    dry_run=False,
    user=None,
    reason=REASON,
):
    """Plan and, unless `dry_run`, apply in one transaction with the session locked. `expect`
    is the fingerprint of the plan the editor confirmed: if the plan differs now, nothing is
    written. Returns (plan, Outcome or None); raises ImportFailed."""
    with writes.changes():  # the writes, the standings they change and the data version
        Session.objects.select_for_update().filter(pk=session.pk).first()
        plan = make_plan(session, parsed, decisions, rules)
        return finish(plan, source, expect, dry_run, user, reason)


def run_entry_list(
    event, parsed, decisions=None, rules=None, source="", dry_run=False, user=None, reason=REASON
):
    """The same for an entry list: entries and crews of `event`, no results."""
    with writes.changes():
        Event.objects.select_for_update().filter(pk=event.pk).first()
        plan = make_plan(None, parsed, decisions, rules, event=event)
        return finish(plan, source, None, dry_run, user, reason)


def finish(plan, source, expect, dry_run, user, reason=REASON):
    """Apply `plan` unless it has errors, is not the one confirmed (`expect`) or is a dry run."""
    if plan.blocking:
        raise ImportFailed(plan)
    if expect is not None and plan.fingerprint() != expect:
        raise ImportFailed(plan, "The data or your choices changed since the preview.")
    if dry_run:
        return plan, None
    return plan, apply(plan, source, user, reason)


def apply(plan, source="", user=None, reason=REASON):
    """Write `plan` (no errors). Call inside a transaction (run_import does)."""
    if plan.blocking:
        raise ImportFailed(plan)
    session = plan.session
    history = Writer(user, reason)
    teams = create_people(plan, Team, history)
    drivers = create_people(plan, Driver, history)
    entries = write_entries(plan, teams, source, history)
    write_crews(plan, drivers, entries, history)
    write_licences(plan, drivers, source, history)
    write_class_names(plan, history)
    if session is None:
        return Outcome(plan.counts(), None)
    write_results(plan, entries, source, history)
    if plan.mark_results_final:
        session.results_status = Session.ResultsStatus.FINAL
        history.save(session, update_fields=["results_status"])
    errors = check_session(session)
    if errors:
        raise ImportFailed(plan, "; ".join(errors))
    return Outcome(plan.counts(), session)


class Writer:
    """Saves, deletes and bulk inserts that keep the audit history, with the import as reason."""

    def __init__(self, user, reason=REASON):
        self.user, self.reason = user, reason

    def save(self, obj, **kwargs):
        obj._change_reason = self.reason
        if self.user is not None:
            obj._history_user = self.user
        obj.save(**kwargs)

    def delete(self, obj):
        obj._change_reason = self.reason
        if self.user is not None:
            obj._history_user = self.user
        obj.delete()

    def create(self, objs, model):
        if not objs:
            return []
        return bulk_create_with_history(
            objs, model, default_user=self.user, default_change_reason=self.reason
        )


def unique_slug(model, name, year, taken):
    base = slug_for(name)[:190] or "unnamed"
    slug, suffix = base, 2
    while slug in taken or model.objects.filter(slug=slug).exists():
        slug = f"{base}-{year}" if suffix == 2 else f"{base}-{suffix}"
        suffix += 1
    taken.add(slug)
    return slug


def create_people(plan, model, history):
    kind = "team" if model is Team else "driver"
    year = plan.event.last_day.year
    taken, new = set(), []
    matches = [m for m in plan.people.values() if m.kind == kind and m.create]
    for match in matches:
        slug = unique_slug(model, match.display, year, taken)
        if model is Team:
            obj = Team(name=match.display, slug=slug, search_key=fold(match.display))
        else:
            obj = Driver(
                full_name=match.display,
                first_name=match.first_name[:100],
                last_name=match.last_name[:100],
                slug=slug,
                search_key=fold(match.display),
            )
        new.append(obj)
    created = history.create(new, model)
    for match, obj in zip(matches, created, strict=True):
        match.obj = obj
    return {m.key: m.obj for m in plan.people.values() if m.kind == kind}


def write_entries(plan, teams, source, history):
    is_race = plan.is_race
    entries, new = {}, []
    for rp in plan.rows:
        row = rp.row
        team = teams[rp.team.key] if rp.team else None
        if rp.entry is None:
            status = row.entry_status if is_race else Entry.Status.ENTERED
            entry = Entry(
                event_id=plan.event.pk,
                number=row.number,
                car_class=rp.car_class,
                team=team,
                entrant=row.team,
                chassis=row.chassis,
                engine=row.engine,
                tyres=row.tyres,
                status=status,
                source=source,
            )
            new.append((rp, entry))
            continue
        entry = rp.entry
        if rp.entry_changes:
            entry.car_class = rp.car_class
            if rp.team:
                entry.team = team
            for name, value in kept_values(entry, rp).items():
                setattr(entry, name, value)
            if is_race:  # only a race session sets or resets the entry's status
                entry.status = row.entry_status
            history.save(entry)
        entries[rp.row.line] = entry
    created = history.create([entry for _, entry in new], Entry)
    registrations = []
    for (rp, _), entry in zip(new, created, strict=True):
        entries[rp.row.line] = entry
        classes = {rp.car_class.pk, rp.car_class.parent_id}
        registrations.extend(
            Registration(entry=entry, season=season)
            for season in plan.seasons
            if classes & plan.season_classes.get(season.pk, set())
        )
    history.create(registrations, Registration)
    return entries


def write_crews(plan, drivers, entries, history):
    new = []
    for rp in plan.rows:
        entry = entries[rp.row.line]
        current = {crew.driver_id: crew for crew in entry.crew.all()} if rp.entry else {}
        pairs = [(drivers[m.key], n) for m, n in zip(rp.drivers, rp.nationalities, strict=True)]
        if plan.race_has_results and not plan.is_race:  # no one joins the race's crew
            pairs = [(driver, n) for driver, n in pairs if driver.pk in current]
        wanted = [driver for driver, _ in pairs]
        if plan.is_race:  # the race crew is the race file's crew
            keep = {driver.pk for driver in wanted}
            for crew in [c for c in current.values() if c.driver_id not in keep]:
                history.delete(crew)
                del current[crew.driver_id]
        order = {driver.pk: place for place, driver in enumerate(wanted, start=1)}
        for crew in sorted(current.values(), key=lambda c: c.order):
            if crew.driver_id not in order:
                order[crew.driver_id] = len(order) + 1  # kept, after the file's crew
        moved = [c for c in current.values() if c.order != order[c.driver_id]]
        if moved:
            # Out of the way first: the order is unique within a crew.
            Crew.objects.filter(pk__in=[c.pk for c in moved]).update(order=F("order") + 1000)
        for place, (driver, nationality) in enumerate(pairs, start=1):
            crew = current.get(driver.pk)
            if crew is None:
                new.append(Crew(entry=entry, driver=driver, order=place, nationality=nationality))
                continue
            changed = crew.order != place or (nationality and crew.nationality != nationality)
            crew.order = place
            crew.nationality = nationality or crew.nationality
            if changed:
                history.save(crew)
        for crew in moved:
            if crew.driver_id not in {d.pk for d in wanted}:
                crew.order = order[crew.driver_id]
                history.save(crew)
    history.create(new, Crew)


def write_licences(plan, drivers, source, history):
    """Each driver's FIA category as the file writes it, for each season of the event."""
    letters = {}
    for rp in plan.rows:
        for match, letter in zip(rp.drivers, rp.licences, strict=True):
            if letter:
                letters[drivers[match.key].pk] = letter
    if not letters:
        return
    held = {
        (licence.driver_id, licence.season_id): licence
        for licence in DriverLicence.objects.filter(driver_id__in=letters, season__in=plan.seasons)
    }
    new = []
    for driver_id, letter in letters.items():
        for season in plan.seasons:
            licence = held.get((driver_id, season.pk))
            if licence is None:
                new.append(
                    DriverLicence(
                        driver_id=driver_id, season=season, category=letter, source=source
                    )
                )
            elif licence.category != letter:
                licence.category, licence.source = letter, source
                history.save(licence)
    history.create(new, DriverLicence)


def write_class_names(plan, history):
    """The editor's mapping of a class name, kept for the season's next files."""
    by_name = {str(season): season for season in plan.seasons}
    history.create(
        [
            ClassName(season=by_name[season], written=written[:60], car_class=car_class)
            for (season, written), car_class in plan.class_names.items()
        ],
        ClassName,
    )


def write_results(plan, entries, source, history):
    session = plan.session
    for result in plan.removed_results:
        history.delete(result)
    started = [rp for rp in plan.rows if rp.row.result_status is not None]
    changed = [rp for rp in started if rp.result is not None and rp.result_changes]
    if changed:
        # Out of the way first: finish order and position are unique within a session.
        Result.objects.filter(pk__in=[rp.result.pk for rp in changed]).update(
            finish_order=None, position=None
        )
    new = []
    for rp in started:
        if rp.result is None:
            new.append(
                Result(session=session, entry=entries[rp.row.line], source=source, **rp.values)
            )
        elif rp.result_changes:
            for name, value in rp.values.items():
                setattr(rp.result, name, value)
            history.save(rp.result)
    history.create(new, Result)


def parse_class_map(pairs, plan_classes):
    """`FROM=TO` options of the command → Decisions.classes, TO a class code."""
    by_code = {fold(c.code): c for c in plan_classes}
    out = {}
    for pair in pairs:
        written, _, target = pair.partition("=")
        if not written.strip() or not target.strip():
            raise ValueError(f"--map-class {pair!r}: write FROM=TO, e.g. LMGTE=GTE")
        car_class = by_code.get(fold(target))
        if car_class is None:
            choices = ", ".join(c.code for c in plan_classes)
            raise ValueError(f"--map-class {pair!r}: the season runs no class {target} ({choices})")
        out[fold(written)] = str(car_class.pk)
    return out


def season_classes(session=None, event=None):
    event_id = event.pk if event is not None else session.event_id
    return [
        sc.car_class
        for sc in SeasonClass.objects.filter(season__rounds__event_id=event_id)
        .select_related("car_class")
        .order_by("season_id", "order")
    ]
