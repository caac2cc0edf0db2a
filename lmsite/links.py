"""Reverse a URL once per pattern, then fill in the slugs.

A round page links a few hundred drivers; Django's `reverse` costs tens of microseconds each
time, which is most of a page's budget. The pattern is reversed once per view name, number of
arguments, script prefix and language (so a language prefix stays right), with placeholders
that both the `slug` and the `int` converters accept; the arguments are then put in their place.
Only for arguments that need no quoting: slugs and numbers.
"""

from functools import lru_cache

from django.urls import get_script_prefix, reverse
from django.utils.translation import get_language

_MARK = "8086808680"


@lru_cache(maxsize=512)
def _pattern(viewname, count, prefix, language):
    url = reverse(viewname, args=[f"{_MARK}{i}" for i in range(count)])
    return url.split(_MARK)


def reverse_slugs(viewname, *args):
    """`reverse(viewname, args=args)` for slug and number arguments, without its cost."""
    parts = _pattern(viewname, len(args), get_script_prefix(), get_language())
    out = [parts[0]]
    for i, (arg, part) in enumerate(zip(args, parts[1:], strict=True)):
        out.append(f"{arg}{part[len(str(i)) :]}")  # the part starts with the placeholder's index
    return "".join(out)
