"""Who is who: deciding which written names are one person (or one team).

Plain functions over (name, year) appearances; no database. The loaders of the demo data and
of official timing files use them, so a person is one driver across all years.

The rules, in order:
1. Names are compared by their key: the name without the title and the "f.n.u." placeholder
   written before it (`drivers.names.parse_name`), folded (`drivers.names.fold`: accents, case
   and spacing). "Miss Lilou Wadoux" and "Lilou WADOUX" are one name; pseudonyms in quotes stay
   in the key. The title written last and whether a first name is known go with the person.
2. A reviewed alias file (drivers/data/aliases.csv, one reason per row) settles what folding
   cannot: `same` joins a variant to the spelling shown (Thomaz → Tomaz Mello-Breyner), `apart`
   splits a name in some years from the same name in others (two people decades apart, a father
   and son), or records that two similar names are different people. A `car` row says who a
   name is in one car of one event (`years` the event's year, `car` "<event slug>#<number>",
   `other` the driver's slug): for the same name in two cars of an event, or a name two stored
   drivers hold; only the timing import reads it (races/importers/classification.py).
3. What neither settles is reported as undecided and kept apart: the same name with a gap of
   GAP_YEARS or more between two appearances, and pairs of similar names (the same surname, a
   near spelling) whose careers are close.

See docs/decisions/0002-le-mans-data.md and 0012-people-and-names.md.
"""

import csv
import difflib
import itertools
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from drivers.names import TITLES, Name, fold, parse_name, slug_for

ALIASES = Path(__file__).resolve().parent / "data" / "aliases.csv"
GAP_YEARS = 20  # a name unseen this long is undecided: one person or two?
NEAR_RATIO = 0.85  # similarity of two bare names that makes them a candidate pair
NEAR_YEARS = 10  # ...when their careers come this close

KINDS = ("driver", "team")
RULES = ("same", "apart", "car")
# Titles and the placeholder in a folded key (the timing import's Index reads stored keys).
_TITLES = re.compile(
    r"^(?:(?:" + "|".join(re.escape(fold(title)) for title in TITLES) + r"|f\.n\.u\.) )+"
)
_QUOTED = re.compile(r"\"[^\"]*\"|'[^']*'|\([^)]*\)")
_REAL_NAME = re.compile(r'^"[^"]*"\s*\(([^)]+)\)$')
_NOT_LETTERS = re.compile(r"[^a-z0-9 ]+")
_SPACES = re.compile(r"\s+")
_NOT_LETTERS_OR_DIGITS = re.compile(r"[\W_]+")
_YEARS = re.compile(r"^(\d{4})(?:-(\d{4}))?$")


class AliasError(ValueError):
    """A malformed row of the alias file, with its line."""


@dataclass(frozen=True)
class Rule:
    kind: str
    rule: str
    name: str
    years: tuple[int, int] | None
    other: str
    reason: str
    line: int
    source: str = ""  # where the reason is shown to be true
    car: str = ""  # a `car` rule's "<event slug>#<number>"


def written_name(name, kind="driver"):
    """A written name taken apart (`drivers.names.parse_name`); a team's name is its name as
    written ("Hon. Mrs. Chetwynd" is the entrant's name)."""
    return parse_name(name) if kind == "driver" else Name(name)


def name_key(name, kind="driver"):
    """The key under which a written name is matched: the folded name, for a driver without a
    title or the "f.n.u." placeholder before it."""
    return fold(written_name(name, kind).name)


def team_key(key):
    """The key that groups a team's folded names: letters and digits alone, so that spellings
    that differ only in dots, hyphens, apostrophes or spaces ("G.V.E.A." / "GVEA", "Daimler-Benz
    A.G." / "Daimler-Benz AG", "The Racer's Group" / "The Racers Group") are one team. A year
    split ("@1990") is kept."""
    base, at, year = key.partition("@")
    return _NOT_LETTERS_OR_DIGITS.sub("", base) + at + year


def bare_key(name):
    """The folded name without titles, quoted or bracketed parts and punctuation: only for
    finding candidate pairs to review, never for joining."""
    key = _TITLES.sub("", fold(name))
    real = _REAL_NAME.match(key)  # '"Beurlys" (Jean Blaton)': the bearer's own name
    key = real[1] if real else _QUOTED.sub(" ", key)
    return _SPACES.sub(" ", _NOT_LETTERS.sub(" ", key)).strip()


def read_rules(path=ALIASES):
    """The rules of the alias file, checked: kind, rule, years and a reason on every row (the
    site's own file also gives a source on every row: a test checks it)."""
    rules = []
    with open(path, encoding="utf-8", newline="") as handle:
        for line, row in enumerate(csv.DictReader(handle), start=2):
            rules.append(parse_rule(row, line))
    return rules


def parse_rule(row, line):
    def fail(message):
        raise AliasError(f"aliases.csv line {line}: {message}")

    kind, rule = row.get("kind", "").strip(), row.get("rule", "").strip()
    name, other = row.get("name", "").strip(), row.get("other", "").strip()
    reason, years = row.get("reason", "").strip(), row.get("years", "").strip()
    if kind not in KINDS:
        fail(f"kind {kind!r} is not one of {', '.join(KINDS)}")
    if rule not in RULES:
        fail(f"rule {rule!r} is not one of {', '.join(RULES)}")
    if not name:
        fail("no name")
    if not reason:
        fail("no reason")
    if rule == "same" and not other:
        fail("a `same` rule names the spelling it joins (other)")
    if rule == "apart" and not (years or other):
        fail("an `apart` rule names the years it splits off or the other name")
    car = (row.get("car") or "").strip()
    if rule == "car" and (kind != "driver" or not years or not other or "#" not in car):
        fail("a `car` rule names a driver's year, car (<event slug>#<number>) and slug (other)")
    span = None
    if years:
        match = _YEARS.match(years)
        if not match:
            fail(f"years {years!r} are not YYYY or YYYY-YYYY")
        span = (int(match[1]), int(match[2] or match[1]))
    source = (row.get("source") or "").strip()
    return Rule(kind, rule, name, span, other, reason, line, source, car)


@dataclass
class Person:
    """One person (or team) and the written names that are theirs."""

    key: str  # identity: a folded name, with "@year" when split off by year
    names: Counter = field(default_factory=Counter)  # spelling → appearances
    years: set = field(default_factory=set)
    latest: dict = field(default_factory=dict)  # spelling → the last year it was written
    display: str = ""
    slug: str = ""
    title: str = ""  # the title written last before the name ("Miss", "Dr."), if any
    first_name_known: bool = True

    @property
    def first_year(self):
        return min(self.years)


@dataclass
class Resolution:
    people: dict  # key → Person
    person_of: dict  # (name as written, year) → key
    undecided: list  # messages for review
    used_rules: set  # line numbers of the rules that applied

    def person(self, name, year):
        return self.people[self.person_of[(name, year)]]


def resolve(appearances, rules=(), kind="driver"):
    """Decide who is who among `appearances`, an iterable of (name as written, year).

    For teams the name is the brand: the same name decades apart stays one team, names that
    differ only in punctuation or spacing are one team (`team_key`), and a team's key is its
    shown name folded (the key the timing import looks stored teams up by)."""
    rules = [r for r in rules if r.kind == kind and r.rule != "car"]  # `car`: the import's
    used = set()
    seen = Counter((name, year) for name, year in appearances if name)
    by_name = defaultdict(list)
    for rule in sorted(rules, key=lambda r: r.years is None):  # year-bound rules first
        by_name[name_key(rule.name, kind)].append(rule)
    identity = {}
    for name, year in seen:
        key = name_key(name, kind)
        identity[(name, year)] = _identity(key, year, by_name.get(key, ()), used, kind)
        if kind == "team":
            identity[(name, year)] = team_key(identity[(name, year)])
    groups = defaultdict(lambda: Counter())
    for (name, year), key in identity.items():
        groups[key][(name, year)] += seen[(name, year)]
    undecided = []
    confirmed = {name_key(r.other, kind) for r in rules if r.rule == "same"}
    for key in list(groups):
        if kind == "team" or "@" in key or key in confirmed:
            continue
        years = sorted({year for _, year in groups[key]})
        gaps = [(a, b) for a, b in itertools.pairwise(years) if b - a >= GAP_YEARS]
        if not gaps:
            continue
        names = sorted({name for name, _ in groups[key]})
        undecided.append(
            f"{' / '.join(names)} ({_span(years)}): the same name {gaps[0][1] - gaps[0][0]} "
            f"years apart, kept apart from {gaps[-1][1]}"
        )
        for _, start in gaps:
            moved = {k: v for k, v in groups[key].items() if k[1] >= start}
            for occurrence, count in moved.items():
                del groups[key][occurrence]
                identity[occurrence] = f"{key}@{start}"
                groups[f"{key}@{start}"][occurrence] += count
    people = {}
    for key, occurrences in groups.items():
        person = Person(key)
        for (name, year), count in occurrences.items():
            person.names[name] += count
            person.years.add(year)
            person.latest[name] = max(year, person.latest.get(name, 0))
        people[key] = person
    grouped = team_key if kind == "team" else str
    display_of = {
        grouped(name_key(r.other, kind)): written_name(r.other, kind)
        for r in rules
        if r.rule == "same"
    }
    # A team takes a rule's shown name only where the rule names one of its spellings: a
    # spelling that merely folds like it (a timing file's "Pecom Racing.") stays as written, so
    # that the timing import asks about it rather than taking it for a stored team.
    ruled = {name_key(n, kind) for r in rules if r.rule == "same" for n in (r.name, r.other)}
    for person in people.values():
        shown = display_of.get(person.key.split("@")[0])
        if kind == "team" and not any(name_key(n, kind) in ruled for n in person.names):
            shown = None
        if shown is not None:
            person.display, person.first_name_known = shown.name, shown.first_name_known
        else:
            person.display = written_name(_most_used(person), kind).name
            person.first_name_known = any(
                written_name(n, kind).first_name_known for n in person.names
            )
        person.title = _latest_title(person, kind)
    if kind == "team":
        people, identity = _keyed_by_shown_name(people, identity)
    _assign_slugs(people)
    undecided.extend(_near_pairs(people, rules, kind))
    return Resolution(people, identity, undecided, used)


def identity_key(name, year, rules, kind="driver"):
    """The identity key of one written `name` in `year` after the alias `rules`, as `resolve`
    decides it: the folded name, the folded shown name of a `same` rule, or the name with the
    first year of an `apart` rule. For loaders that add a few names to loaded data."""
    key = name_key(name, kind)
    own = [r for r in rules if r.kind == kind and r.rule != "car" and name_key(r.name, kind) == key]
    return _identity(key, year, sorted(own, key=lambda r: r.years is None), set(), kind)


def _identity(key, year, rules, used, kind):
    """The identity of `key` written in `year`, by the first rule (of `key`) that covers it."""
    for rule in rules:
        if rule.years is not None and not rule.years[0] <= year <= rule.years[1]:
            continue
        if rule.rule == "same":
            used.add(rule.line)
            return name_key(rule.other, kind)
        if rule.years is not None:
            used.add(rule.line)
            return f"{key}@{rule.years[0]}"
    return key


def _keyed_by_shown_name(people, identity):
    """Teams re-keyed from their grouping key to their shown name folded (a year split kept)."""
    new_key = {}
    for key, person in people.items():
        _, at, year = key.partition("@")
        person.key = new_key[key] = name_key(person.display, "team") + at + year
    return (
        {person.key: person for person in people.values()},
        {occurrence: new_key[key] for occurrence, key in identity.items()},
    )


def _most_used(person):
    """The spelling written most often; on a tie, the latest one."""
    return max(person.names, key=lambda name: (person.names[name], person.latest[name], name))


def _latest_title(person, kind):
    """The title of the latest spelling written with one ("" if it never was)."""
    titled = [(person.latest[n], t) for n in person.names if (t := written_name(n, kind).title)]
    return max(titled)[1] if titled else ""


def _assign_slugs(people):
    taken = set()
    for person in sorted(people.values(), key=lambda p: (p.first_year, p.key)):
        slug = slug_for(person.display) or "unnamed"
        if slug in taken:
            slug = f"{slug}-{person.first_year}"
        suffix = 2
        base = slug
        while slug in taken:
            slug = f"{base}-{suffix}"
            suffix += 1
        taken.add(slug)
        person.slug = slug


def _near_pairs(people, rules, kind):
    """Messages for pairs of different people whose names are close and careers near."""
    exact = kind == "team"
    settled = set()
    for rule in rules:
        if rule.rule == "apart" and rule.other:
            pair = frozenset((name_key(rule.name, kind), name_key(rule.other, kind)))
            settled.add(pair)
    by_surname = defaultdict(list)
    for person in people.values():
        bare = bare_key(person.display)
        if not bare:
            continue
        # Teams pair only on the same bare name: bucket by it, not by the last word ("Racing").
        by_surname[bare if exact else bare.rsplit(" ", 1)[-1]].append((bare, person))
    messages = []
    for group in by_surname.values():
        for i, (bare_a, a) in enumerate(group):
            for bare_b, b in group[i + 1 :]:
                if a.key.split("@")[0] == b.key.split("@")[0]:
                    continue  # a name split by years: reported already
                if exact and bare_a != bare_b:
                    continue
                if not _near(bare_a, bare_b, a.years, b.years):
                    continue
                keys = {name_key(n, kind) for n in a.names | b.names}
                if any(pair <= keys for pair in settled):
                    continue
                first, second = sorted((a, b), key=lambda p: (p.first_year, p.key))
                messages.append(
                    f"{first.display} ({_span(first.years)}) / {second.display} "
                    f"({_span(second.years)}): similar names, kept apart"
                )
    return sorted(messages)


def _near(bare_a, bare_b, years_a, years_b):
    if bare_a != bare_b and difflib.SequenceMatcher(None, bare_a, bare_b).ratio() < NEAR_RATIO:
        return False
    return min(abs(x - y) for x in years_a for y in years_b) <= NEAR_YEARS


def _span(years):
    years = sorted(years)
    return str(years[0]) if years[0] == years[-1] else f"{years[0]}–{years[-1]}"
