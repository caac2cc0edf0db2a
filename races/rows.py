"""The rows of a round page's long tables (results and entry list), as HTML built here.

Why not a template: a Le Mans round shows 56 cars in the entry list, again in the overall
results and again by class. Django's template engine costs about 90–240 µs per such row, which
alone would spend the page's whole budget (its goal: 100 requests/s with two gunicorn workers);
an f-string with every value escaped costs a few µs, and each car's cells are built once for its
entry row and its result row, each result row once for the overall and the class table. The
page's template keeps everything else. See docs/decisions/0003-round-rows-built-in-python.md.
"""

from dataclasses import dataclass
from functools import cache
from html import escape

from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from lmsite.languages import DATA_LANG
from lmsite.links import reverse_slugs
from races import formats
from races.models import EntryStatus, SessionKind


@dataclass(frozen=True)
class Member:
    """A crew member as the round page links it."""

    order: int
    slug: str
    name: str

    @property
    def url(self):
        return reverse_slugs("drivers:driver_detail", self.slug)


def attach_crews(entries, crew_rows, registration_rows, seasons):
    """Give each entry `members` (from (entry id, order, slug, name) rows) and `registered_for`
    (the `seasons`, by id, that (entry id, season id) rows register it for)."""
    members, registered = {}, {}
    for entry_id, order, slug, name in crew_rows:
        members.setdefault(entry_id, []).append(Member(order, slug, name))
    for entry_id, season_id in registration_rows:
        if season_id in seasons:
            registered.setdefault(entry_id, []).append(seasons[season_id])
    for entry in entries:
        entry.members = sorted(members.get(entry.pk, []), key=lambda m: m.order)
        entry.registered_for = registered.get(entry.pk, [])


def _e(value):
    """`value` as escaped HTML text; None as nothing."""
    return "" if value is None else escape(str(value), quote=True)


def data_lang():
    """` lang="en"` for text stored in English on a page in another language, else nothing."""
    return "" if get_language() == "en" else DATA_LANG


def status_html(result):
    """The status in words with the reason, as HTML: the reason is data, written in English."""
    label = _e(formats.status_label(result))
    if not result.reason:
        return label
    lang = data_lang()
    reason = f"<span{lang}>{_e(result.reason)}</span>" if lang else _e(result.reason)
    return f"{label} — {reason}"


def class_chip(car_class):
    return (
        '<span class="class-chip"><svg width="10" height="10" aria-hidden="true" '
        f'focusable="false"><rect width="10" height="10" rx="2" fill="{_e(car_class.colour)}"/>'
        f"</svg> {_e(car_class.code)}</span>"
    )


def _car(entry):
    if entry.number:
        number = f'<span class="number">#{_e(entry.number)}</span>'
    else:
        no_number = _("no number")  # outside the f-string, where makemessages finds it
        number = f'<span class="muted">{_e(no_number)}</span>'
    return f"{number} {class_chip(entry.car_class)}"


def _team(entry):
    name = _e(entry.entrant or (entry.team.name if entry.team_id else ""))
    if entry.team_id:
        return f'<a href="{_e(entry.team.get_absolute_url())}">{name}</a>'
    return name


def _drivers(entry):
    return " / ".join(f'<a href="{_e(m.url)}">{_e(m.name)}</a>' for m in entry.members)


def _machine(entry):
    return _e(f"{entry.chassis} – {entry.engine}" if entry.engine else entry.chassis)


def _cells(entry):
    """The car, team, drivers and machine cells of `entry` (HTML), built once for both its
    rows."""
    cells = getattr(entry, "_cells", None)
    if cells is None:
        cells = entry._cells = (
            f'<td class="car">{_car(entry)}</td><td>{_team(entry)}</td>'
            f"<td>{_drivers(entry)}</td><td>{_machine(entry)}</td><td>{_e(entry.tyres)}</td>"
        )
    return cells


def result_row(result):
    """One row of a results table: every value escaped here, so the row is safe HTML."""
    css = "status" if result.status == "classified" else "status status-out"
    return mark_safe(
        f'<tr><td class="num">{_e(result.position)}</td>'
        f'<td class="num">{_e(result.class_position)}</td>{_cells(result.entry)}'
        f'<td class="num">{_e(result.laps)}</td>'
        f'<td class="num">{_e(formats.time_or_gap(result))}</td>'
        f'<td class="num">{_e(formats.format_duration(result.best_lap))}</td>'
        f'<td class="{css}">{status_html(result)}</td></tr>'
    )


def entry_row(entry, with_championships):
    """One row of the entry list: every value escaped here, so the row is safe HTML."""
    championships = ""
    if with_championships:
        names = ", ".join(s.series.short_name or s.series.name for s in entry.registered_for)
        unknown = _("unknown")  # outside the f-string, where makemessages finds it
        unknown = f'<span class="muted">{_e(unknown)}</span>'
        championships = f"<td>{_e(names) if names else unknown}</td>"
    attrs = "" if entry.status == "entered" else ' class="not-started"'
    return mark_safe(
        f"<tr{attrs}>{_cells(entry)}<td>{_e(formats.label(EntryStatus, entry.status))}</td>"
        f"{championships}</tr>"
    )


def attach_result_rows(sessions):
    """Build each result's row once (`result.html`): the overall and the class tables share it."""
    for session in sessions:
        for result in session.rows:
            result.html = result_row(result)
    return sessions


@cache
def _english_kind_labels():
    with translation.override("en"):
        return {str(label).casefold(): value for value, label in SessionKind.choices}


def title_sessions(sessions):
    """Give each session a `title`: the label of its kind in the page's language where its name
    is only that label in English ("Race", "Qualifying"), else the name as entered, with
    `title_lang` marking it as English text."""
    lang = data_lang()
    for session in sessions:
        if _english_kind_labels().get(session.name.casefold()) == session.kind:
            session.title, session.title_lang = formats.label(SessionKind, session.kind), ""
        else:
            session.title, session.title_lang = session.name, lang
    return sessions
