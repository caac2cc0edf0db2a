"""Reasoned explanations of the data-health findings on the demo data (races/health.py): the
reviewed file races/demo/data/explained.csv, one finding a row (rule, key, reason, source).

A finding that is a real error is fixed at its root (drivers/data/aliases.csv, the errata); this
file holds what is right as it stands, with where that is shown. `load_demo` writes its rows as
FindingExplanation records (by no one: the demo data), leaving alone any an editor wrote; so
that after `load_demo`, `check_data` finds none open. See docs/decisions/0018-data-health.md.
"""

import csv
from pathlib import Path

from django.db import transaction

from races.health import RULE_CODES
from races.models import FindingExplanation

EXPLAINED = Path(__file__).resolve().parent / "data" / "explained.csv"


class ExplainedError(ValueError):
    """A malformed row of the file, with its line."""


def read_explained(path=EXPLAINED):
    """[(rule, key, reason, source)] of the file, checked: a known rule, a key, a reason and a
    source on every row, no finding twice."""
    rows, seen = [], set()
    with open(path, encoding="utf-8", newline="") as handle:
        for line, row in enumerate(csv.DictReader(handle), start=2):
            values = [(row.get(name) or "").strip() for name in ("rule", "key", "reason", "source")]
            rule, key, reason, source = values
            if rule not in RULE_CODES:
                raise ExplainedError(f"{path.name} line {line}: no rule {rule!r}")
            if not (key and reason and source):
                raise ExplainedError(f"{path.name} line {line}: a key, a reason and a source")
            if (rule, key) in seen:
                raise ExplainedError(f"{path.name} line {line}: {rule} {key} again")
            seen.add((rule, key))
            rows.append((rule, key, reason, source))
    return rows


def load(stdout=None, path=EXPLAINED):
    """Write the explanations of the file not stored yet, in one transaction; return how many."""
    rows = read_explained(path)
    with transaction.atomic():
        stored = set(FindingExplanation.objects.values_list("rule", "key"))
        new = [
            FindingExplanation(rule=rule, key=key, reason=reason, source=source)
            for rule, key, reason, source in rows
            if (rule, key) not in stored
        ]
        FindingExplanation.objects.bulk_create(new)
    if stdout is not None:
        stdout.write(
            f"Data health: {len(new)} explanations of findings loaded ({len(rows)} in all)."
        )
    return len(new)
