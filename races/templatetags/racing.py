"""Filters that present racing data: times, gaps, status words, class chips and flags.

None of them queries: they read what the view has loaded.
"""

from functools import cache
from pathlib import Path

import django_countries
from django import template
from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.text import slugify
from django.utils.translation import get_language, pgettext

from races import formats

register = template.Library()


@cache
def _flag_files():
    """Flag file by lower-case country code: django-countries' GIFs, then the project's own
    SVGs for the historical states and Scotland (static/flags/)."""
    shipped = Path(django_countries.__file__).parent / "static" / "flags"
    own = Path(__file__).resolve().parents[2] / "static" / "flags"
    files = {p.stem: f"flags/{p.name}" for p in shipped.glob("*.gif")}
    files.update({p.stem: f"flags/{p.name}" for p in own.glob("*.svg")})
    return files


@register.filter
def racetime(value):
    return formats.format_duration(value)


@register.filter
def time_or_gap(result):
    return formats.time_or_gap(result)


@register.filter
def status_text(result):
    return formats.status_text(result)


@register.filter
def english(text):
    """Text stored in English (a reason, a source), marked `lang="en"` on a page in another
    language so that a screen reader reads it in English."""
    if not text or get_language() == "en":
        return text
    return format_html('<span lang="en">{}</span>', text)


@register.filter
def cancellation(reason):
    """An event's cancellation reason: in the page's language where it is one the data knows
    (races.formats.CANCELLATION_REASONS), else as stored, marked English."""
    known = formats.cancellation_reason(reason)
    return known if known is not None else english(reason)


@register.filter
def status_html(result):
    """The status in words, with the reason marked as English text on a German page:
    `Retired — <span lang="en">Transmission (gearbox)</span>`."""
    label = formats.status_label(result)
    if not result.reason:
        return label
    return format_html("{} — {}", label, english(result.reason))


@register.filter
def flag(country):
    """The country's flag (decorative) and its name as text; just the name where no flag exists."""
    if not country:
        return ""
    path = _flag_files().get(country.code.lower())
    if path is None:
        return format_html('<span class="country">{}</span>', country.name)
    return format_html(
        '<span class="country"><img class="flag" src="{}" alt="" width="16" height="11"> {}</span>',
        static(path),
        country.name,
    )


@register.filter
def chip(car_class):
    """The class as a coloured chip (SVG, so the page's CSP needs no inline style) and as text."""
    if car_class is None:
        return ""
    return format_html(
        '<span class="class-chip"><svg width="10" height="10" aria-hidden="true" focusable="false">'
        '<rect width="10" height="10" rx="2" fill="{}"/></svg> {}</span>',
        car_class.colour,
        car_class.code,
    )


@register.simple_tag
def date_range(first, last):
    return formats.date_range(first, last)


@register.simple_tag
def event_dates(event):
    """The event's days, or "cancelled" for an edition never held that no source dates."""
    if event.last_day is None:
        return pgettext("instead of the dates of an event never held", "cancelled")
    return formats.date_range(event.first_day, event.last_day)


@register.filter
def entrant(entry):
    """The entrant as written that year, else the team's name."""
    if entry.entrant:
        return entry.entrant
    return entry.team.name if entry.team_id else ""


@register.filter
def class_anchor(code):
    """A class code as part of an HTML id: "GT+2.0" and "GT2.0" must not both become "gt20"."""
    return slugify(code.replace("+", " plus "))
