"""How racing values read on the pages: times, gaps, status words, date ranges.

Plain functions, no queries.
"""

from functools import lru_cache

from django.utils import formats
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from races.models import ResultStatus


def format_duration(value):
    """A race time as timing screens write it: `6:00:24.815`, `3:41.123`, `45.9`."""
    if value is None:
        return ""
    total_ms = round(value.total_seconds() * 1000)
    seconds, ms = divmod(total_ms, 1000)
    minutes, seconds = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    if hours:
        return f"{hours}:{minutes:02}:{seconds:02}.{ms:03}"
    if minutes:
        return f"{minutes}:{seconds:02}.{ms:03}"
    return f"{seconds}.{ms:03}"


def time_or_gap(result):
    """The time of the leader, the gap of the others: `+1 lap`, `+8 laps`, `+12.345`."""
    if result.gap_laps:
        return ngettext("+%(n)s lap", "+%(n)s laps", result.gap_laps) % {"n": result.gap_laps}
    if result.gap_time is not None:
        return "+" + format_duration(result.gap_time)
    return format_duration(result.time)


@lru_cache(maxsize=64)
def _labels(choices, language):
    return {value: str(label) for value, label in choices.choices}


def label(choices, value):
    """The label of `value` among the TextChoices `choices`, as `get_FOO_display()` gives it but
    without its cost per call (it hashes every choice, then translates the label again)."""
    return _labels(choices, get_language()).get(value, value)


def status_text(result):
    """The status in words, with the reason: `Retired — Transmission (gearbox)`."""
    label_ = label(ResultStatus, result.status)
    if result.status == "unknown":
        label_ = _("No points (status unknown)")
    return f"{label_} — {result.reason}" if result.reason else label_


def date_range(first, last):
    """Event days as a range: `23–25 Sep 2011`, `30 Sep – 1 Oct 2011`, `3 Jul 2011`."""
    if last is None:
        return ""
    end = formats.date_format(last, "j M Y")
    if first is None or first == last:
        return end
    if first.year != last.year:
        return f"{formats.date_format(first, 'j M Y')} – {end}"
    if first.month != last.month:
        return f"{formats.date_format(first, 'j M')} – {end}"
    return f"{first.day}–{end}"
