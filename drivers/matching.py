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
   GAP_YEARS or more between two appearances, and pairs of near names (a few letters apart,
   initials, a short form, a middle name left out, a pseudonym's bearer: `_near_pairs`) whose
   careers are close. The Le Mans loader refuses to load while any is undecided.

See docs/decisions/0002-le-mans-data.md and 0012-people-and-names.md.
"""

import bisect
import csv
import difflib
import itertools
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from pathlib import Path

from drivers import short_forms
from drivers.names import TITLES, Name, fold, parse_name, slug_for

ALIASES = Path(__file__).resolve().parent / "data" / "aliases.csv"
GAP_YEARS = 20  # a name unseen this long is undecided: one person or two?
NEAR_RATIO = 0.85  # similarity of two bare names that makes them a candidate pair
NEAR_YEARS = 10  # ...when their careers come this close
NEAR_EDITS = 2  # edits between two bare names that make them a candidate pair...
NEAR_EDITS_FROM = 12  # ...when the shorter has this many characters (else one edit)
TEAM_EDITS_FROM = 16  # a team's name (`team_key`) two edits apart from this many, else one

# Legal forms a team's name may end in, without their dots ("S.A." is "sa"): not part of the
# name that tells one team from another.
LEGAL_FORMS = frozenset(
    {"ltd", "limited", "inc", "co", "cie", "gmbh", "ag", "kg", "sa", "sarl", "srl", "spa", "bv"}
    | {"nv", "llc", "plc"}
)
_AND = frozenset({"&", "et", "and"})

KINDS = ("driver", "team")
RULES = ("same", "apart", "car")
# Titles and the placeholder in a folded key (the timing import's Index reads stored keys).
_TITLES = re.compile(
    r"^(?:(?:" + "|".join(re.escape(fold(title)) for title in TITLES) + r"|f\.n\.u\.) )+"
)
_QUOTED = re.compile(r"\"[^\"]*\"|'[^']*'|\([^)]*\)")
# A pseudonym in quotes and its bearer's name in brackets: '"Beurlys" (Jean Blaton)'.
_REAL_NAME = re.compile(r'^"[^"]*"\s*\(([^)]+)\)$')
# ...and for a driver also a pseudonym not in quotes: "Geki (Giacomo Russi)", but not a nickname
# in brackets ('Pierre Louis-Dreyfus ("Heldé")'). A team's "(private entrant)" is no name.
_DRIVER_REAL_NAME = re.compile(r'^(?:"[^"]*"|[^"()]+)\s*\(([^")]+)\)$')
# A nickname in quotes, single or double, between the first names and the surname:
# "Giovanni 'Nanni' Galli" may be written "Nanni Galli".
_NICKNAME = re.compile(r"""^[^"'()]+ (?:"([^"]+)"|'([^']+)') ([^"'()]+)$""")
_DIGITS = re.compile(r"\d+")
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
    A.G." / "Daimler-Benz AG", "The Racer's Group" / "The Racers Group") are one team; "et",
    "&" and "and" read alike, and a legal form written last ("Ltd.", "GmbH", "S.A.", "& Co.")
    is left out ("Aston Martin Lagonda Ltd." / "Aston Martin Lagonda", "Automobiles Deutsch et
    Bonnet" / "Automobiles Deutsch & Bonnet"). A year split ("@1990") is kept."""
    base, at, year = key.partition("@")
    words = []
    for word in base.replace("&", " & ").split():
        word = "and" if word in _AND else _NOT_LETTERS_OR_DIGITS.sub("", word)
        if word:
            words.append(word)
    end = len(words)
    while end > 1 and words[end - 1] in LEGAL_FORMS:
        end -= 1
        if end > 1 and words[end - 1] == "and":  # "& Co.", "et Cie"
            end -= 1
    return "".join(words[:end]) + at + year


def bare_key(name, kind="driver"):
    """The folded name without titles, quoted or bracketed parts and punctuation (of a
    pseudonym, the bearer's name in brackets): only for finding candidate pairs to review,
    never for joining."""
    key = _TITLES.sub("", fold(name))
    # '"Beurlys" (Jean Blaton)': the bearer's own name
    real = (_DRIVER_REAL_NAME if kind == "driver" else _REAL_NAME).match(key)
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


def resolve(appearances, rules=(), kind="driver", cars=(), editions=()):
    """Decide who is who among `appearances`, an iterable of (name as written, year).

    `cars`, groups of (name, year) written in one car, tell the near-pair report who raced
    together: two people in one car are two people (never reported), and two of one surname
    with a co-driver in common are asked about though their first names are not alike.

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
    held = sorted(editions) if editions else None
    crews = defaultdict(set)  # person key → the cars (their index in `cars`) they were in
    for at, car in enumerate(cars):
        for occurrence in car:
            if occurrence in identity:
                crews[identity[occurrence]].add(at)
    undecided.extend(_near_pairs(people, rules, kind, held, crews))
    return Resolution(people, identity, undecided, used)


def split_reasons(rules, kind="driver"):
    """{identity key: rule} of the people an `apart` rule splits off by years from others of
    their name ("horst felbermayr sr.@2026"): their page says why they are someone else."""
    return {
        f"{name_key(rule.name, kind)}@{rule.years[0]}": rule
        for rule in rules
        if rule.kind == kind and rule.rule == "apart" and rule.years is not None
    }


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


def nickname_form(name):
    """The bare name with a nickname in quotes for the first names ("Giovanni 'Nanni' Galli":
    "nanni galli"), or "" when the name has none."""
    match = _NICKNAME.match(_TITLES.sub("", fold(name)))
    if not match:
        return ""
    named = f"{match[1] or match[2]} {match[3]}"
    return _SPACES.sub(" ", _NOT_LETTERS.sub(" ", named)).strip()


def _near_pairs(people, rules, kind, held=None, crews=None):
    """Messages for pairs of different people whose names are close and careers near.

    Drivers are compared within two blocks, the same first word and the same surname (the last
    word), so that a misspelt surname ("Copelli") meets the right one through the first name
    and a misspelt first name through the surname, without comparing every name with every
    other. Two names are close (`_alike`) when they are one bare name (a pseudonym's real name
    and a record of that name), a few edits apart (`NEAR_EDITS`), or, with the same surname,
    similar as a whole (`NEAR_RATIO`) or of first names that may be one (initials, a short form
    of drivers/data/short_forms.csv, a middle name left out); a nickname in quotes may stand
    for the first names. Careers are near within NEAR_YEARS races of `held` (the sorted years
    the race was run; calendar years without it), so a war's gap does not part them. Teams
    pair on the same name (`team_key`) or a few edits apart (`_alike_teams`), within blocks of
    the name's first five letters and its last word.

    `crews` {person key: cars}: two people who were in one car are never a pair; two drivers
    of one surname (or surnames two edits apart) with a co-driver in common and no race in
    common are a pair, whatever their first names ("Max" / "Marcel Mamers", both with
    Jean-Daniel Raulet); brothers and a father and son who raced in one year are not."""
    crews = crews or {}
    car_mates = defaultdict(set)  # car → its people
    for key, in_cars in crews.items():
        for car in in_cars:
            car_mates[car].add(key)
    exact = kind == "team"
    settled = set()
    for rule in rules:
        if rule.rule == "apart" and rule.other:
            pair = frozenset((name_key(rule.name, kind), name_key(rule.other, kind)))
            settled.add(pair)
    blocks = defaultdict(list)
    for person in people.values():
        bare = bare_key(person.display, kind)
        if not bare:
            continue
        years = tuple(sorted(bisect.bisect_left(held, y) if held else y for y in person.years))
        keys = frozenset(name_key(n, kind) for n in person.names)
        words = bare.split()
        if exact:
            # the folded name without a bracketed note, its punctuation left to team_key
            noted = _SPACES.sub(" ", _QUOTED.sub(" ", fold(person.display))).strip()
            named = _Bare(team_key(noted), tuple(words), "", person, years, keys)
            blocks["first", named.bare[:5]].append(named)
            blocks["last", words[-1]].append(named)
            continue
        suffix = words.pop() if len(words) > 1 and words[-1] in short_forms.SUFFIXES else ""
        nick = nickname_form(person.display).split()
        forms = (tuple(words), tuple(nick)) if nick else (tuple(words),)
        cars = frozenset(crews.get(person.key, ()))
        mates = frozenset(m for car in cars for m in car_mates[car]) - {person.key}
        named = _Bare(
            " ".join(words), tuple(words), suffix, person, years, keys, forms, cars, mates
        )
        for form in forms:
            blocks["first", form[0]].append(named)
            blocks["last", form[-1]].append(named)
    messages, seen = [], set()
    for group in blocks.values():
        group.sort(key=lambda n: n.years[0])
        for i, a in enumerate(group):
            for b in group[i + 1 :]:
                if b.years[0] > a.years[-1] + NEAR_YEARS:
                    break  # sorted by first year: the rest start later still
                pair = frozenset((a.person.key, b.person.key))
                if pair in seen or a.keys & b.keys:
                    continue  # a name split by years is reported (or settled) already
                if a.cars & b.cars:
                    continue  # two people in one car
                seen.add(pair)
                if not _near_years(a.years, b.years):
                    continue
                if not (_alike_teams(a, b) if exact else _alike(a, b)):
                    continue
                keys = a.keys | b.keys
                if any(apart <= keys for apart in settled):
                    continue
                first, second = sorted((a.person, b.person), key=lambda p: (p.first_year, p.key))
                messages.append(
                    f"{first.display} ({_span(first.years)}) / {second.display} "
                    f"({_span(second.years)}): similar names, kept apart"
                )
    return sorted(messages)


@dataclass(frozen=True)
class _Bare:
    """A person's bare name (`bare_key`) for pairing: its words without a "Jr"/"Sr" suffix."""

    bare: str
    words: tuple
    suffix: str
    person: Person
    years: tuple  # the person's years, sorted
    keys: frozenset  # the keys of the names written for the person
    forms: tuple = ()  # the words, and with a nickname for the first names (`nickname_form`)
    cars: frozenset = frozenset()  # the cars the person was in (`resolve`'s `cars`)
    mates: frozenset = frozenset()  # the keys of the person's co-drivers


def _alike_teams(a, b):
    """Whether two teams' names (`team_key` of the bare name) are one name or a few edits
    apart ("Talbot-Darracq" / "Talbot-Darraq", "Motorsport" / "Motorsports", "St." / "Sant"),
    unless their numbers differ."""
    if a.bare == b.bare:
        return True
    if _DIGITS.findall(a.bare) != _DIGITS.findall(b.bare):
        return False  # "Team 0 Racing" and "Team 3 Racing": numbers tell teams apart
    limit = NEAR_EDITS if min(len(a.bare), len(b.bare)) >= TEAM_EDITS_FROM else 1
    return _edits(a.bare, b.bare, limit) <= limit


def _alike(a, b):
    """Whether two drivers' bare names are close enough to ask if they are one person."""
    if a.suffix and b.suffix and a.suffix != b.suffix:
        return False  # "Sr." and "Jr.": the entry lists tell them apart themselves
    if (
        a.mates & b.mates
        and not set(a.years) & set(b.years)
        and _edits(a.words[-1], b.words[-1], NEAR_EDITS) <= NEAR_EDITS
    ):
        return True  # one surname (or nearly), a co-driver in common, never in one race
    if len(a.forms) > 1 or len(b.forms) > 1:
        return any(
            _alike_words(
                replace(a, words=x, bare=" ".join(x)), replace(b, words=y, bare=" ".join(y))
            )
            for x in a.forms
            for y in b.forms
        )
    return _alike_words(a, b)


def _alike_words(a, b):
    if a.bare == b.bare:
        return True
    limit = NEAR_EDITS if min(len(a.bare), len(b.bare)) >= NEAR_EDITS_FROM else 1
    if _edits(a.bare, b.bare, limit) <= limit:
        return True
    if a.words[:-1] == b.words[:-1] and _sound(a.words[-1]) == _sound(b.words[-1]):
        # the same first names, a surname two edits apart that sounds alike: Besant / Bezzant
        return _edits(a.words[-1], b.words[-1], NEAR_EDITS) <= NEAR_EDITS
    if a.words[-1] != b.words[-1]:
        return False
    if difflib.SequenceMatcher(None, a.bare, b.bare).ratio() >= NEAR_RATIO:
        return True
    given_a, given_b = sorted((a.words[:-1], b.words[:-1]), key=len)
    return bool(given_a) and _within(given_a, given_b)


_SOUNDS = {
    letter: str(code)
    for code, group in enumerate(("aeiouyhw", "bfpv", "cgjkqsxz", "dt", "l", "mn", "r"), start=0)
    for letter in group
}


def _sound(word):
    """A word's Soundex code (its first letter, then up to three codes of the consonants that
    follow, a run of one code written once): "besant" and "bezzant" are both b253."""
    codes = [_SOUNDS.get(letter, "") for letter in word]
    out, last = [], codes[0] if codes else ""
    for letter, code in zip(word[1:], codes[1:], strict=True):
        if code and code != "0" and code != last:
            out.append(code)
        if letter not in "hw":
            last = code
    return word[:1] + "".join(out)[:3].ljust(3, "0")


def _within(short, long):
    """Whether the first names `short` may be the first names `long` with some left out: each
    in order is the same name, an initial of it or a form of it (short_forms.csv)."""
    rest = iter(long)
    return all(any(_one_given(word, other) for other in rest) for word in short)


def _one_given(a, b):
    if len(a) == 1 or len(b) == 1:
        return a[0] == b[0]  # an initial
    return short_forms.same_first_name(a, b)


def _edits(a, b, limit):
    """The edits (a letter inserted, deleted or changed, two neighbours swapped) that turn `a`
    into `b`, or limit + 1 when there are more. Only the band of `limit` cells either side of
    the diagonal is computed: a path outside it costs more than `limit` anyway."""
    if abs(len(a) - len(b)) > limit or len(set(a) ^ set(b)) > 2 * limit:
        return limit + 1  # an edit adds or removes at most two distinct letters
    over = limit + 1
    before, row = None, [j if j <= limit else over for j in range(len(b) + 1)]
    for i in range(1, len(a) + 1):
        x = a[i - 1]
        current = [i if i <= limit else over] + [over] * len(b)
        for j in range(max(1, i - limit), min(len(b), i + limit) + 1):
            y = b[j - 1]
            cost = min(row[j] + 1, current[j - 1] + 1, row[j - 1] + (x != y))
            if before is not None and j > 1 and x == b[j - 2] and a[i - 2] == y:
                cost = min(cost, before[j - 2] + 1)
            current[j] = min(cost, over)
        if min(current) > limit:
            return over
        before, row = row, current
    return row[-1]


def _near_years(years_a, years_b):
    """Whether two careers (sorted years) come within NEAR_YEARS of each other."""
    for year in years_a:
        at = bisect.bisect_left(years_b, year - NEAR_YEARS)
        if at < len(years_b) and years_b[at] <= year + NEAR_YEARS:
            return True
    return False


def _span(years):
    years = sorted(years)
    return str(years[0]) if years[0] == years[-1] else f"{years[0]}–{years[-1]}"
