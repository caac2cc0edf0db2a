"""Name folding: the key under which names are searched and matched.

`fold("Luís  Pérez Companc")` and `fold("luis perez companc")` are equal. Folding removes accents,
case and repeated spacing, and nothing else: titles ("Sir"), pseudonyms in quotes and "f.n.u."
placeholders stay in the key, so they never match a plain name by accident.
"""

import re
import unicodedata

from django.core.exceptions import ValidationError
from django.utils.text import slugify
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


def slug_for(name: str) -> str:
    """Return the URL slug of a name: `Luís Pérez Companc` → `luis-perez-companc`."""
    return slugify(fold(name))


# Bidirectional controls (format characters, not Cc): the right-to-left override turns
# "Team" into "maeT" on screen. Zero-width joiners, which some scripts need, are allowed.
BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)


def first_control(text: str) -> str | None:
    """The first control character of `text` (BEL, ESC, a NUL, a tab, a bidirectional
    control), or None."""
    return next(
        (ch for ch in text if unicodedata.category(ch) == "Cc" or ch in BIDI_CONTROLS), None
    )


def validate_printable(value: str) -> None:
    """A validator for names: no control character."""
    if (ch := first_control(value)) is not None:
        raise ValidationError(
            _("A name holds no control character (U+%(code)04X here)."),
            code="control_character",
            params={"code": ord(ch)},
        )
