"""The rows of a driver's "every race" table, as HTML built here: Henri Pescarolo has 33 Le Mans
entries, and the template engine's cost per row would spend the page's budget. The same reasons
and rules as races/rows.py (docs/decisions/0003-round-rows-built-in-python.md): every value
goes through `_e()`.
"""

from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from races import formats
from races.models import EntryStatus
from races.rows import _e, class_chip, data_lang, status_html


def race_row(race):
    entry, event, result = race.entry, race.event, race.result
    lang = data_lang()
    name = _e(event.name)
    if race.link_round is not None:
        name = f'<a href="{_e(race.link_round.get_absolute_url())}"{lang}>{name}</a>'
    elif lang:
        name = f"<span{lang}>{name}</span>"
    team = _e(entry.entrant or (entry.team.name if entry.team_id else ""))
    if entry.team_id:
        team = f'<a href="{_e(entry.team.get_absolute_url())}">{team}</a>'
    car = f"#{entry.number} " if entry.number else ""
    car += f"{entry.chassis} – {entry.engine}" if entry.engine else entry.chassis
    mates = " / ".join(
        f'<a href="{_e(d.get_absolute_url())}">{_e(d.full_name)}</a>' for d in race.co_drivers
    )
    if result is None:
        status = _e(formats.label(EntryStatus, entry.status))
    else:
        status = status_html(result)
        if race.drove is False:
            did_not_drive = _("did not drive")  # outside an f-string, for makemessages
            status += _e(f" ({did_not_drive})")
    return mark_safe(  # each value goes through _e()
        f'<tr><td class="num nowrap">{_e(formats.day(event.last_day))}'
        f"</td><td>{name}</td><td>{team}</td><td>{_e(car)}</td>"
        f"<td>{class_chip(entry.car_class)}</td><td>{mates}</td>"
        f'<td class="num">{_e(result.class_position if result else None)}</td>'
        f'<td class="num">{_e(result.position if result else None)}</td>'
        f"<td>{status}</td></tr>"
    )
