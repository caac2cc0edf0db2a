"""How racing values read on the pages: times, gaps, status words, date ranges.

Plain functions, no queries. Each reads in the active language: the date patterns and the
decimal mark come from the translation catalogue and Django's locale formats.
"""

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext

from races.models import ResultStatus


def format_duration(value):
    """A race time as timing screens write it: `6:00:24.815`, `3:41.123`, `45.9` (in German
    with a decimal comma: `6:00:24,815`)."""
    if value is None:
        return ""
    total_ms = round(value.total_seconds() * 1000)
    seconds, ms = divmod(total_ms, 1000)
    minutes, seconds = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    mark = formats.get_format("DECIMAL_SEPARATOR")
    if hours:
        return f"{hours}:{minutes:02}:{seconds:02}{mark}{ms:03}"
    if minutes:
        return f"{minutes}:{seconds:02}{mark}{ms:03}"
    return f"{seconds}{mark}{ms:03}"


def time_or_gap(result):
    """The time of the leader, the gap of the others: `+1 lap`, `+8 laps`, `+12.345`."""
    if result.gap_laps:
        return ngettext("+%(n)s lap", "+%(n)s laps", result.gap_laps) % {"n": result.gap_laps}
    if result.gap_time is not None:
        return "+" + format_duration(result.gap_time)
    return format_duration(result.time)


# The status words by value: a plain mapping of the choices' lazy labels, translated when read
# (get_status_display() builds and hashes a dict of every choice on each call, twice per car on a
# round page).
RESULT_STATUS = dict(ResultStatus.choices)


def status_label(result):
    """The status in words: `Retired`."""
    if result.status == "unknown":
        return _("No points (status unknown)")
    return str(RESULT_STATUS.get(result.status, result.status))


def status_text(result):
    """The status in words, with the reason: `Retired — Transmission (gearbox)`."""
    label_ = status_label(result)
    return f"{label_} — {result.reason}" if result.reason else label_


# The cancellation reasons of the upstream Le Mans data (races/demo/data/lemans24/races.csv), as
# it writes them, each translated where the page reads it. Any other reason is free text.
CANCELLATION_REASONS = {
    "World War II": gettext_lazy("World War II"),
    "Post World War II reconstructions": gettext_lazy("Post World War II reconstructions"),
    "The labour strikes that crippled France and its car industry during the Great "
    "Depression": gettext_lazy(
        "The labour strikes that crippled France and its car industry during the Great Depression"
    ),
}


def cancellation_reason(reason):
    """A known cancellation reason in the active language ("World War II", in German
    "Zweiter Weltkrieg"), or None for free text, which stays as stored."""
    known = CANCELLATION_REASONS.get(" ".join(reason.split()))
    return str(known) if known is not None else None


def day(value):
    """A day as the tables show it: `25 Sep 2011`, in German `25. Sept. 2011`."""
    return formats.date_format(value, pgettext("date format: day month year", "j M Y"))


def date_range(first, last):
    """Event days as a range: `23–25 Sep 2011`, `30 Sep – 1 Oct 2011`, `3 Jul 2011`; in
    German `23.–25. Sept. 2011`, `30. Sept. – 1. Okt. 2011`."""
    if last is None:
        return ""
    end = day(last)
    if first is None or first == last:
        return end
    if first.year != last.year:
        return f"{day(first)} – {end}"
    if first.month != last.month:
        start = pgettext("date format: first day and month of a range", "j M")
        return f"{formats.date_format(first, start)} – {end}"
    start = pgettext("date format: first day of a range within one month", "j")
    return f"{formats.date_format(first, start)}–{end}"
