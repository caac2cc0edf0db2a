"""CSV cells that a spreadsheet cannot run: every export writes through `writer`, and the
import reads cells back with `restore`, so that an export imports back to the same values.

A cell starting with `=`, `+`, `-`, `@` (or their fullwidth forms `＝＋－＠`, which spreadsheets
read alike), a tab or a carriage return is a formula to Excel, LibreOffice and Google Sheets
(`=cmd|' /C calc'!A0`, `+HYPERLINK(…)`); it is written with a leading apostrophe, which
spreadsheets show as text. A plain number (`-3.5`, `+2`) is left as it is. A cell that already
starts with apostrophes before such a character gets one more, so that `restore` (which removes
one) gives back exactly what was stored.

A spreadsheet may also split a cell where the file's separator is not its own (a `;` file
opened as `,`-separated, a paste split at tabs): `Team,=1+1` would give a cell `=1+1`. So the
rule applies at every place a cell can start: the start, and after each `,`, `;` or tab, to the
text from there to the end. An apostrophe is no separator, so `restore` finds the same places
and the round trip stays exact.
"""

import csv
import re

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")
SEPARATORS = (",", ";", "\t")  # where a spreadsheet may split a cell
_APOSTROPHES = re.compile(r"'*")
# A sign is followed by a digit or a point, never a comma: split at the comma, `-,5` left `-`.
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:[.,]\d*)?|\.\d+)")


def _cell_starts(text):
    """The places a spreadsheet may start a cell in `text`: 0 and after each separator."""
    return [0, *(i + 1 for i, ch in enumerate(text) if ch in SEPARATORS)]


def _escaped(text, start=0):
    """Whether `text[start:]`, written as it is, starts a formula (after any apostrophes)."""
    bare = _APOSTROPHES.match(text, start).end()
    return text.startswith(FORMULA_STARTS, bare) and not _PLAIN_NUMBER.fullmatch(text, bare)


def neutralise(value):
    """The cell to write for `value`: a formula-like text behind an apostrophe, at every
    place a cell can start."""
    if not isinstance(value, str):
        return value
    starts = [start for start in _cell_starts(value) if _escaped(value, start)]
    if not starts:
        return value
    pieces = [value[a:b] for a, b in zip([0, *starts], [*starts, len(value)], strict=True)]
    return "'".join(pieces)


def restore(text):
    """The value `neutralise` wrote `text` for."""
    starts = [
        start
        for start in _cell_starts(text)
        if text.startswith("'", start) and _escaped(text, start)
    ]
    if not starts:
        return text
    ends = [*starts, len(text)]
    return text[: starts[0]] + "".join(
        text[a + 1 : b] for a, b in zip(starts, ends[1:], strict=True)
    )


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
