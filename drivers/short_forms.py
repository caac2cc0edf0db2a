"""First names and their common short forms ("Alex" for Alexander, "Matt" for Matthew): a
reviewed table (drivers/data/short_forms.csv, one source or reason per row) for telling which
written names may be one person. Never a match on its own: the timing import asks the editor
about a name that differs from a stored one only by a short form, a "Jr" (with or without its
dot) or a hyphen or space in the surname; the data-health rules read the same table.

Plain functions, no database.
"""

import csv
import functools
import re
from pathlib import Path

from drivers.names import fold

SHORT_FORMS = Path(__file__).resolve().parent / "data" / "short_forms.csv"
SUFFIXES = frozenset({"jr", "junior", "sr", "senior", "ii", "iii"})
_NOT_LETTERS = re.compile(r"[^a-z0-9 ]+")


class ShortFormError(ValueError):
    """A malformed row of the table, with its line."""


def read_table(path=SHORT_FORMS):
    """[(name, short form, source)] of the table, checked: both names and a source on every
    row, no row twice."""
    rows, seen = [], set()
    with open(path, encoding="utf-8", newline="") as handle:
        for line, row in enumerate(csv.DictReader(handle), start=2):
            name = (row.get("name") or "").strip()
            short = (row.get("short_form") or "").strip()
            source = (row.get("source") or "").strip()
            if not name or not short or not source:
                raise ShortFormError(
                    f"short_forms.csv line {line}: a name, its short form and a source"
                )
            pair = (fold(name), fold(short))
            if pair in seen:
                raise ShortFormError(f"short_forms.csv line {line}: {name} / {short} again")
            seen.add(pair)
            rows.append((name, short, source))
    return rows


@functools.cache
def first_name_groups(path=SHORT_FORMS):
    """{folded first name or short form: the key of its group}: the names the table links,
    directly or through a shared short form, are one group ("alexander", "alessandro" and
    "alex" all → "alex"; "robert", "rob", "bob" and "robin" one group, whatever the order of
    the rows). A group's key is the first of its short forms in alphabetical order."""
    parent = {}

    def root(word):
        while parent.setdefault(word, word) != word:
            word = parent[word]
        return word

    shorts = set()
    for name, short, _source in read_table(path):
        shorts.add(fold(short))
        a, b = root(fold(name)), root(fold(short))
        if a != b:
            parent[max(a, b)] = min(a, b)
    members = {}
    for word in parent:
        members.setdefault(root(word), []).append(word)
    return {
        word: min(w for w in group if w in shorts) for group in members.values() for word in group
    }


def same_first_name(a, b, path=SHORT_FORMS):
    """Whether two folded first names are one name or forms of one (the table's groups)."""
    groups = first_name_groups(path)
    return a == b or groups.get(a, a) == groups.get(b, b)


def near_key(name, path=SHORT_FORMS):
    """The key under which two names are worth a question: folded, punctuation and hyphens as
    spaces, a "Jr"/"Sr" suffix dropped, each first name by its short form ("Alex Kimber-Smith
    Jr." and "Alexander Kimber Smith" share one). Never a key to join names by."""
    words = _NOT_LETTERS.sub(" ", fold(name).replace("-", " ")).split()
    while len(words) > 1 and words[-1] in SUFFIXES:
        words.pop()
    groups = first_name_groups(path)
    return " ".join([groups.get(word, word) for word in words[:-1]] + words[-1:])
