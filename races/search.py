"""What the search box accepts: a bounded, printable query."""

import unicodedata

LIMIT = 50
MAX_LENGTH = 100


def clean_query(raw):
    """`raw` without control characters (a NUL byte included), cut to MAX_LENGTH, stripped."""
    printable = "".join(ch for ch in raw[: MAX_LENGTH * 2] if unicodedata.category(ch) != "Cc")
    return printable[:MAX_LENGTH].strip()
