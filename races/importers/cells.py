"""CSV cells that a spreadsheet cannot run: every export writes through `writer`, and the
import reads cells back with `restore`, so that an export imports back to the same values.

A cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return is a formula to Excel,
LibreOffice and Google Sheets (`=cmd|' /C calc'!A0`, `+HYPERLINK(…)`); it is written with a
leading apostrophe, which spreadsheets show as text. A plain number (`-3.5`, `+2`) is left as
it is. A cell that already starts with apostrophes before such a character gets one more, so
that `restore` (which removes one) gives back exactly what was stored.
"""

import csv
import re

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"^[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)$")


def _escaped(text):
    """Whether `text`, written as it is, starts a formula (after any apostrophes)."""
    bare = text.lstrip("'")
    return bare.startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.match(bare)


def neutralise(value):
    """The cell to write for `value`: a formula-like text behind an apostrophe."""
    if not isinstance(value, str) or not _escaped(value):
        return value
    return "'" + value


def restore(text):
    """The value `neutralise` wrote `text` for."""
    return text[1:] if text.startswith("'") and _escaped(text) else text


class SafeWriter:
    """csv.writer's writerow and writerows, every cell neutralised."""

    def __init__(self, out, **options):
        self._writer = csv.writer(out, **options)

    def writerow(self, row):
        return self._writer.writerow([neutralise(value) for value in row])

    def writerows(self, rows):
        for row in rows:
            self.writerow(row)


def writer(out, **options):
    return SafeWriter(out, **options)
