"""Name folding: the key under which names are searched and matched.

`fold("Luís  Pérez Companc")` and `fold("luis perez companc")` are equal. Folding removes accents,
case and repeated spacing, and nothing else: titles ("Sir"), pseudonyms in quotes and "f.n.u."
placeholders stay in the key, so they never match a plain name by accident.
"""

import re
import unicodedata

from django.utils.text import slugify

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
