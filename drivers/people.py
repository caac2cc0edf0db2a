"""Birth and death of drivers, with sources: the reviewed file drivers/data/people.csv.

One row per person: the driver's slug and name (checked against the loaded driver, so that a row
never lands on someone else), the birth and death as a day (YYYY-MM-DD) or a year alone (YYYY),
the source, and a note where sources differ. Plain functions, no database; the Le Mans loader
and, for drivers of the 2011 seasons alone, the 2011 loader put the facts on the drivers and
refuse a driver credited with a race after his death or as a child. See
docs/decisions/0012-people-and-names.md.
"""

import csv
import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from drivers.names import fold

PEOPLE = Path(__file__).resolve().parent / "data" / "people.csv"
YOUNGEST = 16  # no one has raced at Le Mans younger: an earlier appearance is someone else
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_YEAR = re.compile(r"^\d{4}$")


class PeopleError(ValueError):
    """A malformed row of the people file, with its line."""


@dataclass(frozen=True)
class Facts:
    slug: str
    name: str
    birth_date: dt.date | None
    birth_year: int | None
    death_date: dt.date | None
    death_year: int | None
    source: str
    note: str
    line: int

    def values(self):
        """The Driver fields these facts fill."""
        return {
            "birth_date": self.birth_date,
            "birth_year": None if self.birth_date else self.birth_year,
            "death_date": self.death_date,
            "death_year": None if self.death_date else self.death_year,
            "facts_source": self.source,
            "facts_note": self.note,
        }


def parse_when(text, line, what):
    """A day or a year alone: (date or None, year or None)."""
    text = text.strip()
    if not text:
        return None, None
    if _YEAR.match(text):
        return None, int(text)
    if _DAY.match(text):
        try:
            day = dt.date.fromisoformat(text)
        except ValueError:
            pass
        else:
            return day, day.year
    raise PeopleError(f"people.csv line {line}: {what} {text!r} is not YYYY-MM-DD or YYYY")


def read_people(path=PEOPLE):
    """The rows of the people file by slug, checked: a name, a source and a fact on each, dates
    in order, no slug twice."""
    people = {}
    with open(path, encoding="utf-8", newline="") as handle:
        for line, row in enumerate(csv.DictReader(handle), start=2):
            facts = parse_facts(row, line)
            if facts.slug in people:
                raise PeopleError(f"people.csv line {line}: {facts.slug} is on two rows")
            people[facts.slug] = facts
    return people


def parse_facts(row, line):
    def fail(message):
        raise PeopleError(f"people.csv line {line}: {message}")

    slug, name = (row.get("slug") or "").strip(), (row.get("name") or "").strip()
    source, note = (row.get("source") or "").strip(), (row.get("note") or "").strip()
    if not slug or not name:
        fail("a row names the driver by slug and name")
    if not source:
        fail("no source")
    birth_date, birth_year = parse_when(row.get("born") or "", line, "born")
    death_date, death_year = parse_when(row.get("died") or "", line, "died")
    if birth_year is None and death_year is None and not note:
        fail("neither a birth, a death nor a note")
    both = birth_year is not None and death_year is not None
    if both and (
        death_year < birth_year or (birth_date and death_date and death_date < birth_date)
    ):
        fail("died before being born")
    return Facts(slug, name, birth_date, birth_year, death_date, death_year, source, note, line)


def impossible_years(facts, years):
    """Messages for the `years` a driver is credited with that his life rules out: after the
    year of his death, or before he was YOUNGEST."""
    messages = []
    if facts.death_year is not None:
        late = sorted(y for y in years if y > facts.death_year)
        if late:
            messages.append(
                f"{facts.name} ({facts.slug}) died in {facts.death_year} but is in the "
                f"entries of {', '.join(map(str, late))}"
            )
    if facts.birth_year is not None:
        early = sorted(y for y in years if y - facts.birth_year < YOUNGEST)
        if early:
            messages.append(
                f"{facts.name} ({facts.slug}) was born in {facts.birth_year} but is in the "
                f"entries of {', '.join(map(str, early))}"
            )
    return messages


def unplaced(facts, drivers):
    """Messages for the rows of `facts` (by slug) that name no driver of `drivers` (slug →
    shown name) or another one: a row never lands on someone else, nor on no one."""
    messages = []
    for slug, fact in facts.items():
        name = drivers.get(slug)
        if name is None or fold(name) != fold(fact.name):
            shown = repr(name) if name is not None else "no driver"
            messages.append(f"people.csv line {fact.line}: {slug} is {shown}, not {fact.name}")
    return messages
