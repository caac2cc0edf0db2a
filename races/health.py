"""Data health: rules that find suspect records for an editor to fix or explain.

Each rule is a plain function over QuerySets (defaults: the whole database) that returns
Findings. A finding's key is built from slugs and natural keys, never database ids, so that an
explanation (races.FindingExplanation, keyed by rule and key) stays attached to the same finding
when the demo data is reloaded. `check_data` and the admin's "Data health" page list what is
open, the page from findings computed once per data version (`current_findings`);
docs/decisions/0020-data-health.md says why each rule is drawn where it is.

Every rule runs a fixed number of queries, whatever the size of the data (pinned in
races/tests/test_health.py); pairs of names are found through blocking keys, never by comparing
every name with every other.
"""

import hashlib
import itertools
import logging
import re
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.core.cache import cache
from django.db.models import Count, Exists, Max, Min, OuterRef, Q
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from drivers import matching
from drivers.models import Driver
from drivers.names import first_control, fold, parse_name
from drivers.people import YOUNGEST
from drivers.short_forms import SHORT_FORMS, near_key
from races.models import (
    CircuitLayout,
    Crew,
    Entry,
    Result,
    ResultStatus,
    Session,
    SessionKind,
    Team,
)
from races.writes import current_version

logger = logging.getLogger(__name__)

CAREER_GAP = 15  # years without a start under one name that make it worth a look
ONE_CAR_SINCE = 1981  # from then on a driver races one car of an event
MAX_CREW = 4
# The fastest average over a race: 225.2 km/h, the 2010 Le Mans winners' 5,410.713 km in 24
# hours (https://en.wikipedia.org/wiki/2010_24_Hours_of_Le_Mans); a margin on top.
MAX_AVERAGE_KMH = 250
MILE_KM = Decimal("1.609344")
ROMAN = frozenset({"II", "III", "IV", "VI", "VII", "VIII"})
PLACEHOLDER = re.compile(
    r"(?:^|[\s(])(?:f\.?\s?n\.?\s?u\.?|n\.\s?n\.|tba|tbc|tbd|unknown|inconnu|\?+)(?=$|[\s)])",
    re.IGNORECASE,
)
_CAPITALS = re.compile(r"[^\W\d_]{3,}")


@dataclass(frozen=True)
class Ref:
    """A record a finding names: enough for a link to its admin change page."""

    app: str
    model: str
    pk: int
    label: str

    @property
    def admin_url(self):
        return reverse(f"admin:{self.app}_{self.model}_change", args=[self.pk])


@dataclass(frozen=True)
class Finding:
    rule: str
    key: str  # stable across reloads: slugs and natural keys
    message: str
    records: tuple[Ref, ...]

    @property
    def merge_url(self):
        """The merge page of two drivers (or two teams) of a near-duplicate finding, once the
        admin has one; "" otherwise."""
        if len(self.records) != 2 or self.records[0].model != self.records[1].model:
            return ""
        first, second = self.records
        name = f"admin:{first.app}_{first.model}_merge"
        try:
            return f"{reverse(name, args=[first.pk])}?other={second.pk}"
        except NoReverseMatch:
            pass
        try:
            return f"{reverse(name)}?keep={first.pk}&other={second.pk}"
        except NoReverseMatch:
            return ""


def driver_ref(pk, name):
    return Ref("drivers", "driver", pk, name)


def team_ref(pk, name):
    return Ref("races", "team", pk, name)


def entry_ref(pk, label):
    return Ref("races", "entry", pk, label)


def result_ref(pk, label):
    return Ref("races", "result", pk, label)


def year_of(day):
    return day.year if day else "undated"


def event_key(slug, last_day):
    """An event's natural key: its year and slug ("2011-24-hours-of-le-mans")."""
    return f"{year_of(last_day)}-{slug}"


def car_label(year, event_name, number):
    return f"{year} {event_name} #{number}" if number else f"{year} {event_name}"


def span(years):
    first, last = min(years), max(years)
    return str(first) if first == last else f"{first}–{last}"


# --- near-duplicate names ----------------------------------------------------------------------

_DOUBLED = re.compile(r"(.)\1+")


def squash(key):
    """A blocking key without spaces and with doubled letters single: "Mello-Breyner" and
    "Melo Breyner" share one."""
    return _DOUBLED.sub(r"\1", key.replace(" ", ""))


def transpositions(key):
    """The keys one swap of two neighbouring letters away from `key`."""
    return {
        key[:i] + key[i + 1] + key[i] + key[i + 2 :]
        for i in range(len(key) - 1)
        if key[i] != key[i + 1]
    }


def near_pairs(keys):
    """Pairs (a, b) of ids whose blocking keys are equal or one transposition apart, from
    `keys` {id: key}: a dictionary look-up per swap, never every pair."""
    by_key = defaultdict(list)
    for pk, key in keys.items():
        if key:
            by_key[key].append(pk)
    pairs = set()
    for key, pks in by_key.items():
        for other in (key, *transpositions(key)):
            for a in pks:
                for b in by_key.get(other, ()):
                    if a != b:
                        pairs.add((min(a, b), max(a, b)))
    return pairs


def careers(rows, field, year):
    """{id: (first year, last year)} of `field` over `rows`, by the year path `year`: drivers
    over crews ("driver", "entry__event__last_day__year"), teams over entries ("team",
    "event__last_day__year")."""
    return {
        row[field]: (row["first"], row["last"])
        for row in rows.exclude(**{f"{field}__isnull": True})
        .values(field)
        .annotate(first=Min(year), last=Max(year))
        .order_by()
    }


def overlap(a, b):
    return a is not None and b is not None and a[0] <= b[1] and b[0] <= a[1]


def settled_pairs(rules, kind):
    """Folded name pairs that the alias file says are different people (`apart` rules that
    name the other), and names an `apart` rule splits by years (one name, two people)."""
    pairs, split = set(), set()
    for rule in rules:
        if rule.kind != kind or rule.rule != "apart":
            continue
        if rule.other:
            pairs.add(frozenset((matching.name_key(rule.name), matching.name_key(rule.other))))
        else:
            split.add(matching.name_key(rule.name))
    return pairs, split


def near_duplicates(code, message, ref, rows, keys, spans, settled=None):
    """The findings `code` of near-duplicate records: pairs of `rows` {id: (slug, name,
    country)} whose blocking `keys` {id: key} are equal or one swap apart, of one country or
    with overlapping `spans` {id: (first year, last year)}, unless `settled(name, name)`. Each
    names the two records in slug order, in `message` (translated, with %(a)s, %(b)s,
    %(years_a)s and %(years_b)s); sorted by key."""
    findings = []
    for a, b in near_pairs(keys):
        (slug_a, name_a, country_a), (slug_b, name_b, country_b) = rows[a], rows[b]
        if settled is not None and settled(name_a, name_b):
            continue
        same_country = bool(country_a) and country_a == country_b
        if not (same_country or overlap(spans.get(a), spans.get(b))):
            continue
        (slug_a, name_a, a), (slug_b, name_b, b) = sorted(
            [(slug_a, name_a, a), (slug_b, name_b, b)]
        )
        findings.append(
            Finding(
                code,
                f"{slug_a}|{slug_b}",
                message
                % {
                    "a": name_a,
                    "b": name_b,
                    "years_a": span(spans[a]) if a in spans else "–",
                    "years_b": span(spans[b]) if b in spans else "–",
                },
                (ref(a, name_a), ref(b, name_b)),
            )
        )
    return sorted(findings, key=lambda f: f.key)


def near_duplicate_drivers(drivers=None, crews=None, rules=None):
    """Two drivers whose names differ only by folding, a first name and its short form
    (drivers/data/short_forms.csv), a "Jr", a hyphen or space, a doubled or two swapped
    letters, of one nationality or with overlapping careers; pairs the alias file keeps apart
    (drivers/data/aliases.csv) are settled. Two queries."""
    drivers = Driver.objects.all() if drivers is None else drivers
    crews = Crew.objects.all() if crews is None else crews
    rules = matching.read_rules() if rules is None else rules
    rows = {
        pk: (slug, name, nationality)
        for pk, slug, name, nationality in drivers.values_list(
            "pk", "slug", "full_name", "nationality"
        ).order_by()
    }
    apart, split = settled_pairs(rules, "driver")

    def settled(name_a, name_b):
        keys = (matching.name_key(name_a), matching.name_key(name_b))
        return frozenset(keys) in apart or (keys[0] == keys[1] and keys[0] in split)

    return near_duplicates(
        "near-duplicate-driver",
        gettext("%(a)s (%(years_a)s) and %(b)s (%(years_b)s) may be one driver."),
        driver_ref,
        rows,
        {pk: squash(near_key(row[1])) for pk, row in rows.items()},
        careers(crews, "driver", "entry__event__last_day__year"),
        settled,
    )


_PLURAL = re.compile(r"(?<=\w\w\w)s\b")


def singular(key):
    """A folded team name with each word's plural s left out ("nissan motorsports": "nissan
    motorsport"; "mussato action cars": "mussato action car"), for blocking only."""
    return _PLURAL.sub("", key)


def near_duplicate_teams(teams=None, entries=None, rules=None):
    """Two teams whose names differ only by folding, punctuation or spacing, a plural s, a
    doubled or two swapped letters, of one country or with overlapping years of entries; pairs
    the alias file keeps apart (team `apart` rows) are settled. Two queries."""
    teams = Team.objects.all() if teams is None else teams
    entries = Entry.objects.all() if entries is None else entries
    rules = matching.read_rules() if rules is None else rules
    apart = {
        frozenset((matching.name_key(r.name, "team"), matching.name_key(r.other, "team")))
        for r in rules
        if r.kind == "team" and r.rule == "apart" and r.other
    }

    def settled(name_a, name_b):
        return (
            frozenset((matching.name_key(name_a, "team"), matching.name_key(name_b, "team")))
            in apart
        )

    rows = {
        pk: (slug, name, country)
        for pk, slug, name, country in teams.values_list("pk", "slug", "name", "country").order_by()
    }
    return near_duplicates(
        "near-duplicate-team",
        gettext("%(a)s (%(years_a)s) and %(b)s (%(years_b)s) may be one team."),
        team_ref,
        rows,
        {pk: squash(matching.team_key(singular(fold(row[1])))) for pk, row in rows.items()},
        careers(entries, "team", "event__last_day__year"),
        settled,
    )


# --- lives and careers ------------------------------------------------------------------------


def start_day(first_day, last_day, race_start):
    """The day a car started: the race's start, else the event's first day, else its last."""
    if race_start is not None:
        return race_start.date()
    return first_day or last_day


def birthday(born, age):
    """The day a person born on `born` turns `age` (a 29 February birthday on 1 March)."""
    try:
        return born.replace(year=born.year + age)
    except ValueError:
        return born.replace(year=born.year + age, month=3, day=1)


def starts_after_death(crews=None):
    """A start (a crew place in a car that was entered and ran) after the driver's death: by
    day where both are known, else by year. The Le Mans loader refuses it (drivers/people.py);
    this catches it in edited or imported data. One query."""
    return impossible_starts(crews, "start-after-death")


def starts_before_16(crews=None):
    """A start before the driver was YOUNGEST (drivers/people.py), by day where both are known,
    else by year. One query."""
    return impossible_starts(crews, "start-before-16")


def impossible_starts(crews, code):
    crews = Crew.objects.all() if crews is None else crews
    first_race = Session.objects.filter(
        event=OuterRef("entry__event"), kind=SessionKind.RACE
    ).order_by("order")
    rows = (
        crews.filter(entry__status=Entry.Status.ENTERED)
        .filter(
            Q(driver__death_date__isnull=False)
            | Q(driver__death_year__isnull=False)
            | Q(driver__birth_date__isnull=False)
            | Q(driver__birth_year__isnull=False)
        )
        .annotate(race_start=first_race.values("start")[:1])
        .values_list(
            "entry_id",
            "entry__number",
            "entry__event__name",
            "entry__event__slug",
            "entry__event__first_day",
            "entry__event__last_day",
            "race_start",
            "driver_id",
            "driver__slug",
            "driver__full_name",
            "driver__birth_date",
            "driver__birth_year",
            "driver__death_date",
            "driver__death_year",
        )
        .order_by("entry__event__last_day", "entry__number")
    )
    findings = []
    for (
        entry,
        number,
        event,
        event_slug,
        first_day,
        last_day,
        race_start,
        driver,
        slug,
        name,
        birth_date,
        birth_year,
        death_date,
        death_year,
    ) in rows:
        day = start_day(first_day, last_day, race_start)
        if day is None:
            continue
        car = car_label(year_of(last_day), event, number)
        where = f"{event_key(event_slug, last_day)}#{number}|{slug}"
        records = (driver_ref(driver, name), entry_ref(entry, car))
        died = death_date < day if death_date else (death_year and death_year < day.year)
        if died and code == "start-after-death":
            findings.append(
                Finding(
                    "start-after-death",
                    where,
                    gettext("%(name)s died in %(died)s but is in the crew of %(car)s.")
                    % {"name": name, "died": death_date or death_year, "car": car},
                    records,
                )
            )
        if birth_date:
            young = day < birthday(birth_date, YOUNGEST)
        else:
            young = birth_year is not None and day.year - birth_year < YOUNGEST
        if young and code == "start-before-16":
            findings.append(
                Finding(
                    "start-before-16",
                    where,
                    gettext("%(name)s, born in %(born)s, is in the crew of %(car)s.")
                    % {"name": name, "born": birth_date or birth_year, "car": car},
                    records,
                )
            )
    return findings


def confirmed_names(rules, kind="driver"):
    """Folded names the alias file confirms as one person across a gap: a `same` rule that
    joins a name to itself ("One driver, 20 years apart: ...")."""
    return {
        matching.name_key(rule.name)
        for rule in rules
        if rule.kind == kind
        and rule.rule == "same"
        and matching.name_key(rule.name) == matching.name_key(rule.other)
    }


def career_gaps(crews=None, rules=None):
    """A driver with CAREER_GAP years or more between two consecutive appearances: one person
    with a long break, or two people under one name. A name the alias file confirms as one
    person across the gap is settled. One query."""
    crews = Crew.objects.all() if crews is None else crews
    rules = matching.read_rules() if rules is None else rules
    confirmed = confirmed_names(rules)
    years = defaultdict(set)
    names = {}
    for driver, slug, name, year in (
        crews.values_list(
            "driver_id", "driver__slug", "driver__full_name", "entry__event__last_day__year"
        )
        .distinct()
        .order_by()
    ):
        if year is not None:
            years[driver].add(year)
            names[driver] = (slug, name)
    findings = []
    for driver, seen in years.items():
        if matching.name_key(names[driver][1]) in confirmed:
            continue
        ordered = sorted(seen)
        gaps = [(a, b) for a, b in itertools.pairwise(ordered) if b - a >= CAREER_GAP]
        if not gaps:
            continue
        slug, name = names[driver]
        before, after = max(gaps, key=lambda gap: gap[1] - gap[0])
        findings.append(
            Finding(
                "career-gap",
                slug,
                gettext(
                    "%(name)s raced in %(before)s and next in %(after)s, %(years)s years later "
                    "(%(span)s)."
                )
                % {
                    "name": name,
                    "before": before,
                    "after": after,
                    "years": after - before,
                    "span": span(seen),
                },
                (driver_ref(driver, name),),
            )
        )
    return sorted(findings, key=lambda f: f.key)


# --- results ---------------------------------------------------------------------------------


def lap_length(layouts, circuit, event_layout, day):
    """The length (km) of the event's layout, else of the circuit's layout in use that day
    (None for an undated event: which layout it would have used is not known)."""
    if event_layout is not None:
        return layouts["by_id"].get(event_layout)
    if day is None:
        return None
    length = None
    for since, km in layouts["by_circuit"].get(circuit, ()):
        if since <= day:
            length = km
    return length


def most_laps(length, time_limit, distance_limit, distance_unit):
    """The most laps a car can cover in a race of `time_limit` and `distance_limit` on a lap of
    `length` km: the distance limit (and one lap begun before it), and the time limit at
    MAX_AVERAGE_KMH. None when neither is known."""
    bounds = []
    if distance_limit is not None and distance_unit == Session.DistanceUnit.LAPS:
        bounds.append(int(distance_limit))
    elif distance_limit is not None and length:
        km = distance_limit * (MILE_KM if distance_unit == Session.DistanceUnit.MILES else 1)
        bounds.append(int(km / length) + 1)
    if time_limit is not None and length:
        hours = Decimal(time_limit.total_seconds()) / 3600
        bounds.append(int(hours * MAX_AVERAGE_KMH / length) + 1)
    return min(bounds) if bounds else None


def laps_beyond_distance(results=None, layouts=None):
    """A race result with more laps than the race's distance limit allows, or than its time
    limit allows at MAX_AVERAGE_KMH on the layout's lap. Two queries."""
    results = Result.objects.all() if results is None else results
    table = layout_lengths(layouts)
    rows = (
        results.filter(session__kind=SessionKind.RACE, laps__isnull=False)
        .filter(Q(session__time_limit__isnull=False) | Q(session__distance_limit__isnull=False))
        .values_list(
            "pk",
            "laps",
            "entry__number",
            "session__name",
            "session__time_limit",
            "session__distance_limit",
            "session__distance_unit",
            "session__event__name",
            "session__event__slug",
            "session__event__last_day",
            "session__event__circuit_id",
            "session__event__layout_id",
        )
        .order_by("session__event__last_day", "session__order", "finish_order")
    )
    findings = []
    for (
        pk,
        laps,
        number,
        session,
        time_limit,
        distance_limit,
        unit,
        event,
        event_slug,
        last_day,
        circuit,
        layout,
    ) in rows:
        length = lap_length(table, circuit, layout, last_day)
        bound = most_laps(length, time_limit, distance_limit, unit)
        if bound is None or laps <= bound:
            continue
        car = car_label(year_of(last_day), event, number)
        findings.append(
            Finding(
                "laps-beyond-distance",
                f"{event_key(event_slug, last_day)}/{session}#{number}",
                gettext(
                    "%(car)s: %(laps)s laps in the %(session)s, more than the %(bound)s its "
                    "distance and lap (%(length)s km) allow."
                )
                % {"car": car, "laps": laps, "session": session, "bound": bound, "length": length},
                (result_ref(pk, f"{car} ({session})"),),
            )
        )
    return findings


UNCLASSIFIED = ResultStatus.NOT_CLASSIFIED


def classified_behind_unclassified(results=None):
    """A classified car with fewer laps than a car of its class in the same race that was not
    classified, where the unclassified car's result gives no reason (too slow at the end, not
    across the line, a penalty …). One query."""
    results = Result.objects.all() if results is None else results
    rows = (
        results.filter(
            session__kind=SessionKind.RACE,
            laps__isnull=False,
            status__in=[ResultStatus.CLASSIFIED, UNCLASSIFIED],
        )
        .values_list(
            "pk",
            "session_id",
            "entry__car_class_id",
            "entry__car_class__code",
            "status",
            "laps",
            "reason",
            "entry__number",
            "session__name",
            "session__event__name",
            "session__event__slug",
            "session__event__last_day",
        )
        .order_by("session__event__last_day", "session__order", "finish_order")
    )
    groups = defaultdict(list)
    for row in rows:
        groups[(row[1], row[2])].append(row)
    findings = []
    for group in groups.values():
        classified = [row for row in group if row[4] == ResultStatus.CLASSIFIED]
        for row in group:
            if row[4] != UNCLASSIFIED or row[6].strip():
                continue
            behind = [c for c in classified if c[5] < row[5]]
            if not behind:
                continue
            pk, _, _, code, _, laps, _, number, session, event, slug, last_day = row
            car = car_label(year_of(last_day), event, number)
            fewest = min(behind, key=lambda c: c[5])
            findings.append(
                Finding(
                    "classified-behind-unclassified",
                    f"{event_key(slug, last_day)}/{session}#{number}",
                    gettext(
                        "%(car)s (%(cls)s) was not classified with %(laps)s laps, no reason "
                        "given, while #%(other)s was classified with %(fewer)s."
                    )
                    % {
                        "car": car,
                        "cls": code,
                        "laps": laps,
                        "other": fewest[7],
                        "fewer": fewest[5],
                    },
                    (
                        result_ref(pk, f"{car} ({session})"),
                        result_ref(fewest[0], f"{car_label(year_of(last_day), event, fewest[7])}"),
                    ),
                )
            )
    return findings


# A layout's length is stored to the metre (CircuitLayout.length_km): the lap it stands for may
# be up to half a metre longer or shorter, 150 m over a 300-lap race.
LENGTH_ROUNDING = Decimal("0.0005")


def layout_lengths(layouts=None):
    """The lap lengths lap_length() reads: {"by_id": {layout: km}, "by_circuit": {circuit:
    [(since, km)] in order}}. One query."""
    layouts = CircuitLayout.objects.all() if layouts is None else layouts
    table = {"by_id": {}, "by_circuit": defaultdict(list)}
    for pk, circuit, since, km in layouts.values_list(
        "pk", "circuit_id", "since", "length_km"
    ).order_by("circuit_id", "since"):
        table["by_id"][pk] = km
        table["by_circuit"][circuit].append((since, km))
    return table


def laps_off_distance(laps, distance, length):
    """Whether `laps` and `distance` (km) disagree by a lap or more on a lap of `length` km as
    stored: the distance is at most laps − 1, or at least laps + 1, laps of a length that
    rounds to it (LENGTH_ROUNDING)."""
    return distance <= (laps - 1) * (length + LENGTH_ROUNDING) or distance >= (laps + 1) * (
        length - LENGTH_ROUNDING
    )


def winners_laps_against_distance(results=None, layouts=None):
    """An overall or class winner of a race whose laps and distance disagree by a lap or more
    (laps_off_distance) on the lap of its event's layout, else of the circuit's layout in use
    that day: one of the two is wrong, and a winner's is the one a reader checks. Winners only,
    so that the list is one an editor can settle from the race reports. Two queries."""
    results = Result.objects.all() if results is None else results
    table = layout_lengths(layouts)
    rows = (
        results.filter(
            Q(position=1) | Q(class_position=1),
            session__kind=SessionKind.RACE,
            laps__isnull=False,
            distance_km__isnull=False,
        )
        .values_list(
            "pk",
            "laps",
            "distance_km",
            "position",
            "entry__number",
            "entry__car_class__code",
            "session__name",
            "session__event__name",
            "session__event__slug",
            "session__event__last_day",
            "session__event__circuit_id",
            "session__event__layout_id",
        )
        .order_by("session__event__last_day", "session__order", "finish_order")
    )
    findings = []
    for (
        pk,
        laps,
        distance,
        position,
        number,
        code,
        session,
        event,
        event_slug,
        last_day,
        circuit,
        layout,
    ) in rows:
        length = lap_length(table, circuit, layout, last_day)
        if not length or not laps_off_distance(laps, distance, length):
            continue
        car = car_label(year_of(last_day), event, number)
        if position == 1:
            place = gettext("overall winner")
        else:
            place = gettext("winner of %(cls)s") % {"cls": code}
        findings.append(
            Finding(
                "winner-laps-against-distance",
                f"{event_key(event_slug, last_day)}/{session}#{number}",
                gettext(
                    "%(car)s (%(place)s): %(laps)s laps, but its %(distance)s km are "
                    "%(fit)s laps of the %(length)s km lap."
                )
                % {
                    "car": car,
                    "place": place,
                    "laps": laps,
                    "distance": distance,
                    "fit": f"{distance / length:.2f}",
                    "length": length,
                },
                (result_ref(pk, f"{car} ({session})"),),
            )
        )
    return findings


# A reason that says the car ran: its last or final lap, a distance it covered (too short, or
# short of the minimum), the finish line, a refill or a change made too early (allowed only
# after so many laps), or a time in the race ("after 12 hours", "after 3rd hour").
RAN = re.compile(
    r"\b(?:last|final) lap|distance|finish line|too (?:early|soon)|premature|"
    r"\bafter \d+(?:st|nd|rd|th)? hours?\b",
    re.IGNORECASE,
)


def zero_lap_starts(results=None):
    """A car that started (entry "entered") with 0 laps in a race and no reason, or with a
    reason that says it ran (RAN): a car that may never have taken the start, or a 0 written
    for laps nobody counted (unknown is empty, not 0). One query."""
    results = Result.objects.all() if results is None else results
    rows = (
        results.filter(session__kind=SessionKind.RACE, entry__status=Entry.Status.ENTERED, laps=0)
        .values_list(
            "pk",
            "reason",
            "entry__number",
            "session__name",
            "session__event__name",
            "session__event__slug",
            "session__event__last_day",
        )
        .order_by("session__event__last_day", "session__order", "finish_order")
    )
    findings = []
    for pk, reason, number, session, event, slug, last_day in rows:
        reason = reason.strip()
        if reason and not RAN.search(reason):
            continue
        car = car_label(year_of(last_day), event, number)
        if reason:
            message = gettext(
                "%(car)s has 0 laps, but its reason (“%(reason)s”) says it ran: are its laps "
                "unknown?"
            ) % {"car": car, "reason": reason}
        else:
            message = gettext(
                "%(car)s started with 0 laps and no reason: did it take the start, or are its "
                "laps unknown?"
            ) % {"car": car}
        findings.append(
            Finding(
                "zero-laps",
                f"{event_key(slug, last_day)}/{session}#{number}",
                message,
                (result_ref(pk, f"{car} ({session})"),),
            )
        )
    return findings


# --- crews -----------------------------------------------------------------------------------


def _in_two_cars(crews, code, **years):
    """Findings `code` of a driver in the crews of two cars that ran in one event, among the
    events `years` selects (a lookup on the event's last day). One query."""
    crews = Crew.objects.all() if crews is None else crews
    rows = (
        crews.filter(entry__status=Entry.Status.ENTERED, **years)
        .exclude(drove=False)  # a did-not-drive place settles it
        .values_list(
            "driver_id",
            "driver__slug",
            "driver__full_name",
            "entry_id",
            "entry__number",
            "entry__event_id",
            "entry__event__name",
            "entry__event__slug",
            "entry__event__last_day",
        )
        .order_by("entry__event__last_day", "entry__number")
    )
    cars = defaultdict(list)
    for row in rows:
        cars[(row[0], row[5])].append(row)
    findings = []
    for places in cars.values():
        if len(places) < 2:
            continue
        driver, slug, name, _, _, _, event, event_slug, last_day = places[0]
        labels = [car_label(year_of(last_day), event, p[4]) for p in places]
        findings.append(
            Finding(
                code,
                f"{event_key(event_slug, last_day)}|{slug}",
                gettext("%(name)s is in the crews of %(cars)s.")
                % {"name": name, "cars": ", ".join(labels)},
                (
                    driver_ref(driver, name),
                    *(entry_ref(p[3], label) for p, label in zip(places, labels, strict=True)),
                ),
            )
        )
    return findings


def driver_in_two_cars(crews=None):
    """A driver in the crews of two cars that ran in one event from ONE_CAR_SINCE on (before,
    a driver could take over a team-mate's car). One query."""
    return _in_two_cars(
        crews, "driver-in-two-cars", entry__event__last_day__year__gte=ONE_CAR_SINCE
    )


def large_crews(entries=None):
    """A car that ran (entry status "entered") with more than MAX_CREW drivers. A car that did
    not start lists the drivers nominated for it, candidates rather than a crew. One query."""
    entries = Entry.objects.all() if entries is None else entries
    rows = (
        entries.filter(status=Entry.Status.ENTERED)
        .annotate(size=Count("crew"))
        .filter(size__gt=MAX_CREW)
        .values_list("pk", "number", "event__name", "event__slug", "event__last_day", "size")
        .order_by("event__last_day", "number")
    )
    findings = []
    for pk, number, event, slug, last_day, size in rows:
        car = car_label(year_of(last_day), event, number)
        findings.append(
            Finding(
                "crew-over-four",
                f"{event_key(slug, last_day)}#{number}",
                gettext("%(car)s has %(n)s drivers in its crew.") % {"car": car, "n": size},
                (entry_ref(pk, car),),
            )
        )
    return findings


# Before 1972 a car that ran had two drivers; a third name is as a rule the nominated reserve
# (Ed Hugus, 1965). From 1972 three-driver crews are common (docs/decisions/0020-data-health.md).
THREE_DRIVERS_SINCE = 1972


def third_drivers(crews=None, entries=None):
    """A car that ran (entry "entered") before THREE_DRIVERS_SINCE with more than two drivers
    not known not to have driven: a did-not-drive place (`drove` false) settles a reserve. The
    cars are counted in the database, the crews of those found listed. One query."""
    crews = Crew.objects.all() if crews is None else crews
    entries = Entry.objects.all() if entries is None else entries
    drove = Q(crew__drove__isnull=True) | Q(crew__drove=True)
    over_two = (
        entries.filter(status=Entry.Status.ENTERED, event__last_day__year__lt=THREE_DRIVERS_SINCE)
        .annotate(drivers=Count("crew", filter=drove))
        .filter(drivers__gt=2)
    )
    rows = (
        crews.filter(entry__in=over_two.values("pk"))
        .exclude(drove=False)
        .values_list(
            "entry_id",
            "entry__number",
            "entry__event__name",
            "entry__event__slug",
            "entry__event__last_day",
            "driver_id",
            "driver__full_name",
        )
        .order_by("entry__event__last_day", "entry__number", "order")
    )
    cars = defaultdict(list)
    for row in rows:
        cars[row[0]].append(row)
    findings = []
    for places in cars.values():
        entry, number, event, slug, last_day, _, _ = places[0]
        car = car_label(year_of(last_day), event, number)
        findings.append(
            Finding(
                "crew-over-two-before-1972",
                f"{event_key(slug, last_day)}#{number}",
                gettext("%(car)s names %(n)s drivers: %(names)s.")
                % {"car": car, "n": len(places), "names": ", ".join(p[6] for p in places)},
                (entry_ref(entry, car), *(driver_ref(p[5], p[6]) for p in places)),
            )
        )
    return findings


def driver_in_two_cars_before_1981(crews=None):
    """A driver in the crews of two cars that ran in one event before ONE_CAR_SINCE, where
    driver_in_two_cars takes over: then a driver could take over a team-mate's car, or be the
    nominated reserve of one. A did-not-drive place (`drove` false) is not counted, so a
    did-not-drive row settles a reserve. The key is driver_in_two_cars'. One query."""
    return _in_two_cars(
        crews,
        "driver-in-two-cars-before-1981",
        entry__event__last_day__year__lt=ONE_CAR_SINCE,
    )


# --- names -----------------------------------------------------------------------------------


def name_problems(name, kind):
    """What is wrong with a stored name, as (code, words) pairs: a title or a placeholder
    written in it, a control character, or capitals only (a driver's name with a word of three
    letters or more in capitals; a team's whole name of two words or more)."""
    problems = []
    if kind == "driver" and parse_name(name).title:
        problems.append(("title", gettext("a title in the name")))
    if PLACEHOLDER.search(name):
        problems.append(("placeholder", gettext("a placeholder in the name")))
    if (ch := first_control(name)) is not None:
        problems.append(
            ("control", gettext("a control character (U+%(code)04X)") % {"code": ord(ch)})
        )
    words = _CAPITALS.findall(name)
    if kind == "driver":
        capitals = any(word.isupper() and word not in ROMAN for word in words)
    else:
        capitals = len(name.split()) >= 2 and name.isupper() and len(words) >= 2
    if capitals:
        problems.append(("capitals", gettext("written in capitals")))
    return problems


def suspect_names(drivers=None, teams=None):
    """Drivers and teams whose stored name holds a title, a placeholder ("f.n.u."), a control
    character, or capitals only (a timing file's "Keiko IHARA"). Two queries."""
    drivers = Driver.objects.all() if drivers is None else drivers
    teams = Team.objects.all() if teams is None else teams
    findings = []
    sources = [
        ("driver", drivers.values_list("pk", "slug", "full_name").order_by("slug"), driver_ref),
        ("team", teams.values_list("pk", "slug", "name").order_by("slug"), team_ref),
    ]
    for kind, rows, ref in sources:
        for pk, slug, name in rows:
            problems = name_problems(name, kind)
            if problems:
                findings.append(
                    Finding(
                        "suspect-name",
                        f"{kind}:{slug}:{'+'.join(code for code, _ in problems)}",
                        gettext("%(name)s: %(problems)s.")
                        % {"name": name, "problems": ", ".join(words for _, words in problems)},
                        (ref(pk, name),),
                    )
                )
    return findings


def teams_without_entry(teams=None):
    """A team no entry names: left over after a merge or an edit, and unlisted. One query."""
    teams = Team.objects.all() if teams is None else teams
    rows = (
        teams.filter(~Exists(Entry.objects.filter(team=OuterRef("pk"))))
        .values_list("pk", "slug", "name")
        .order_by("slug")
    )
    return [
        Finding(
            "team-without-entry",
            slug,
            gettext("%(name)s has no entry.") % {"name": name},
            (team_ref(pk, name),),
        )
        for pk, slug, name in rows
    ]


# --- all rules -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rule:
    code: str
    title: str
    check: object  # a function of no required argument returning [Finding]


RULES = (
    Rule("near-duplicate-driver", _("Drivers who may be one person"), near_duplicate_drivers),
    Rule("near-duplicate-team", _("Teams that may be one team"), near_duplicate_teams),
    Rule("start-after-death", _("Starts after the driver's death"), starts_after_death),
    Rule("start-before-16", _("Starts before the age of 16"), starts_before_16),
    Rule("career-gap", _("Careers with a gap of 15 years or more"), career_gaps),
    Rule("laps-beyond-distance", _("Laps beyond the race's distance"), laps_beyond_distance),
    Rule(
        "classified-behind-unclassified",
        _("Classified cars with fewer laps than an unclassified one"),
        classified_behind_unclassified,
    ),
    Rule(
        "winner-laps-against-distance",
        _("Winners whose laps and distance disagree by a lap or more"),
        winners_laps_against_distance,
    ),
    Rule(
        "zero-laps",
        _("Starters with 0 laps and no reason, or a reason that says they ran"),
        zero_lap_starts,
    ),
    Rule("driver-in-two-cars", _("Drivers in two cars of one race"), driver_in_two_cars),
    Rule(
        "driver-in-two-cars-before-1981",
        _("Drivers in two cars of one race before 1981"),
        driver_in_two_cars_before_1981,
    ),
    Rule("crew-over-four", _("Crews of more than four"), large_crews),
    Rule("crew-over-two-before-1972", _("Crews of more than two before 1972"), third_drivers),
    Rule("suspect-name", _("Names with titles, placeholders, controls or capitals"), suspect_names),
    Rule("team-without-entry", _("Teams without an entry"), teams_without_entry),
)
RULE_CODES = tuple(rule.code for rule in RULES)
RULE_TITLES = {rule.code: rule.title for rule in RULES}


def all_findings():
    """Every rule's findings, in the order of RULES."""
    return [finding for rule in RULES for finding in rule.check()]


# --- the findings of the data as it stands, computed once -------------------------------------

# What the rules read besides the database: an edit to the alias file settles or reopens
# findings without a write, and a new release may draw a rule anew.
RULE_INPUTS = (matching.ALIASES, SHORT_FORMS, Path(__file__))
# The longest an entry lives: a write makes it unreachable at once (the version is in the key);
# this only lets the old ones go.
FINDINGS_LIFETIME = 24 * 3600


def findings_key(version, language):
    """The cache key of the findings under data `version` (writes.Version; its time too, so
    that a database rebuilt to the same number is not mistaken for the old one), in
    `language` (the messages are translated as they are drawn), with a digest of when each of
    RULE_INPUTS was last written and its size (a stat each: the files are not read)."""
    digest = hashlib.blake2b(digest_size=12)
    for path in RULE_INPUTS:
        stat = path.stat()
        digest.update(f"{path}:{stat.st_mtime_ns}:{stat.st_size};".encode())
    changed_at = version.changed_at.timestamp()
    return f"health:{version.number}:{changed_at}:{language}:{digest.hexdigest()}"


def current_findings():
    """all_findings(), computed once per data version and language and kept in Django's cache
    (docs/decisions/0020-data-health.md). The version is read before the rules run, so an
    entry never holds data older than its key. Explanations are not in the findings (report()
    reads them on each call), so explaining one needs no new entry. A cache that fails (Redis
    stopped) is passed by: the rules are computed, and, when the read failed, not kept."""
    key = findings_key(current_version(), translation.get_language())
    try:
        findings = cache.get(key)
    except Exception:
        logger.warning("cache unavailable (reading %s); computing the findings", key, exc_info=True)
        return all_findings()
    if findings is not None:
        return findings
    findings = all_findings()
    try:
        cache.set(key, findings, FINDINGS_LIFETIME)
    except Exception:
        logger.warning("cache unavailable (keeping %s)", key, exc_info=True)
    return findings


@dataclass(frozen=True)
class RuleReport:
    code: str
    title: str
    open: list  # [Finding]
    explained: list  # [(Finding, FindingExplanation)]


def report(findings, explanations):
    """The findings per rule, split into open and explained by `explanations` (an iterable of
    FindingExplanation); every rule listed, with none found too."""
    by_key = {(e.rule, e.key): e for e in explanations}
    grouped = {code: ([], []) for code in RULE_CODES}
    for finding in findings:
        explanation = by_key.get((finding.rule, finding.key))
        if explanation is None:
            grouped[finding.rule][0].append(finding)
        else:
            grouped[finding.rule][1].append((finding, explanation))
    return [
        RuleReport(code, RULE_TITLES[code], open_, explained)
        for code, (open_, explained) in grouped.items()
    ]
