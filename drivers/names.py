"""Name folding: the key under which names are searched and matched.

`fold("Luís  Pérez Companc")` and `fold("luis perez companc")` are equal. Folding removes accents,
case and repeated spacing, and nothing else.

`parse_name` splits what an entry list writes around a name from the name: a title before it
("Miss", "Mme", "Dr.", "Sir", "Capt.", "Comte" …), a peerage after it (", Earl Howe") and the
"f.n.u." placeholder (first name unknown). A person's name is what remains; loaders and the
timing import match on it, so "Miss Keiko Ihara" and "Keiko IHARA" are one name, and "Francis
Curzon, Earl Howe" is Francis Curzon. See docs/decisions/0012-people-and-names.md.
"""

import re
import unicodedata
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.text import slugify
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

_SPACES = re.compile(r"\s+")
# Letters that carry no combining mark and so survive NFKD decomposition.
_LETTERS = str.maketrans(
    {
        "ø": "o",
        "Ø": "O",
        "ß": "ss",
        "æ": "ae",
        "Æ": "AE",
        "ð": "d",
        "Ð": "D",
        "þ": "th",
        "Þ": "TH",
        "ł": "l",
        "Ł": "L",
        "đ": "d",
        "Đ": "D",
        "ı": "i",
        "œ": "oe",
        "Œ": "OE",
    }
)


def fold(name: str) -> str:
    """Return `name` without accents, in lower case, with single spaces."""
    decomposed = unicodedata.normalize("NFKD", name.translate(_LETTERS))
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _SPACES.sub(" ", plain).strip().casefold()


# Titles as entry lists write them before a name. Words that are also first names ("Earl"
# Bamber, "Don" Yenko) are not titles; nor are initials ("R.R.C." Walker).
TITLES = (
    "Miss",
    "Mme",
    "Mlle",
    "Mrs.",
    "Mrs",
    "Mr.",
    "Dr.",
    "Dr",
    "Sir",
    "Lady",
    "Lord",
    "Hon.",
    "Prince",
    "Princess",
    "Count",
    "Countess",
    "Comte",
    "Comtesse",
    "Conte",
    "Contessa",
    "Baron",
    "Baronne",
    "Graf",
    "Fürst",
    "Marquis",
    "Marquise",
    "Vicomte",
    "Capt.",
    "Maj.",
    "Col.",
    "Cdr.",
    "Lt.",
)
_TITLE = re.compile(r"^(?:" + "|".join(re.escape(t) for t in TITLES) + r")(?=\s)")
# Peerages as entry lists write them after a name and a comma: "Francis Curzon, Earl Howe",
# "Peter Mitchell-Thomson, Lord Selsdon". After a comma "Earl" is a rank, not a first name.
PEERAGES = (
    "Earl",
    "Lord",
    "Lady",
    "Baron",
    "Baroness",
    "Viscount",
    "Viscountess",
    "Marquess",
    "Marchioness",
    "Marquis",
    "Duke",
    "Duchess",
    "Count",
    "Countess",
    "Comte",
    "Conte",
    "Graf",
    "Prince",
    "Princess",
)
_PEERAGE = re.compile(r",\s*((?:" + "|".join(PEERAGES) + r")\s+\S.*)$")
_UNKNOWN_FIRST = re.compile(r"^f\.\s*n\.\s*u\.?(?=\s)", re.IGNORECASE)


@dataclass(frozen=True)
class Name:
    """A written name taken apart: the person's name, the titles written around it ("" if
    none: those before it, then a peerage written after it) and whether a first name is known."""

    name: str
    title: str = ""
    first_name_known: bool = True


def parse_name(written: str) -> Name:
    """Split the titles and the "f.n.u." placeholder off a written name.

    "Miss Keiko Ihara" → Keiko Ihara, title Miss; "Lt. Cdr. Peter Wilson" → Peter Wilson, title
    "Lt. Cdr."; "Francis Curzon, Earl Howe" → Francis Curzon, title "Earl Howe"; "Lt. Col.
    Edward Russell, Lord de Clifford" → Edward Russell, title "Lt. Col. Lord de Clifford" (the
    rank, then the peerage, as a title is written before a name); "f.n.u. Stalter" → Stalter,
    first name unknown. A name of one word that is not a pseudonym in quotes ("Tinseau") has no
    first name either. A title alone is kept as the name.
    """
    rest = _SPACES.sub(" ", written).strip()
    peerage = ""
    if (match := _PEERAGE.search(rest)) and (before := rest[: match.start()].strip()):
        rest, peerage = before, match[1]
    titles = []
    while match := _TITLE.match(rest):
        remaining = rest[match.end() :].strip()
        if not remaining:
            break
        titles.append(match[0])
        rest = remaining
    known = True
    if (match := _UNKNOWN_FIRST.match(rest)) and (remaining := rest[match.end() :].strip()):
        rest, known = remaining, False
    if " " not in rest and not rest.startswith(('"', "'")):
        known = False
    return Name(rest, " ".join([*titles, peerage] if peerage else titles), known)


def year_span(first: int | None, last: int | None) -> str:
    """The years as a name shows them: "1965–1967", "1969" for one; "" without a first."""
    if first is None:
        return ""
    return str(first) if last in (None, first) else f"{first}–{last}"


def shown_name(name: str, first_name_known: bool = True, years: str = "") -> str:
    """A driver's name as text, as templates/includes/people.html#name writes it: saying so
    where no source gives the first name, with the years where another driver bears the name
    ("Bob Johnson (1965–1967)"), in the active language."""
    if first_name_known:
        return f"{name} ({years})" if years else name
    if years:
        return gettext("%(name)s (first name unknown, %(years)s)") % {"name": name, "years": years}
    return gettext("%(name)s (first name unknown)") % {"name": name}


def slug_for(name: str) -> str:
    """Return the URL slug of a name: `Luís Pérez Companc` → `luis-perez-companc`."""
    return slugify(fold(name))


# Bidirectional controls (format characters, not Cc): the right-to-left override turns
# "Team" into "maeT" on screen. Zero-width joiners, which some scripts need, are allowed.
BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)


# Control characters, and the line and paragraph separators (U+2028, U+2029): str.splitlines()
# and some viewers end a line at them.
CONTROL_CATEGORIES = frozenset({"Cc", "Zl", "Zp"})


def first_control(text: str) -> str | None:
    """The first control character of `text` (BEL, ESC, a NUL, a tab, a line separator, a
    bidirectional control), or None."""
    return next(
        (
            ch
            for ch in text
            if unicodedata.category(ch) in CONTROL_CATEGORIES or ch in BIDI_CONTROLS
        ),
        None,
    )


def validate_printable(value: str) -> None:
    """A validator for names: no control character."""
    if (ch := first_control(value)) is not None:
        raise ValidationError(
            _("A name holds no control character (U+%(code)04X here)."),
            code="control_character",
            params={"code": ord(ch)},
        )
