"""The standings page, from the stored tables (races/stored_standings.py): every cell worded
in the page's language from the reasons stored as data, the rows built as HTML here (a season
of 10 rounds and 200 contenders has 2,000 cells: the template engine would spend the page's
budget on them, as on the round page, docs/decisions/0003-round-rows-built-in-python.md), and a
points chart per class (races/charts.py).
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from html import escape

from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from races import charts
from races.models import ResultStatus, StandingsKind
from races.rows import data_lang
from races.templatetags.racing import flag

CHART_LINES = 6


def _e(value):
    return "" if value is None else escape(str(value), quote=True)


def number(value):
    text = f"{Decimal(value).normalize():f}"
    return "0" if text in ("-0", "0") else text


def signed(value):
    value = Decimal(value)
    return ("+" if value > 0 else "−" if value < 0 else "") + number(abs(value))


def status_words(code):
    if code == ResultStatus.CLASSIFIED:
        return _("class position unknown")
    if code == ResultStatus.UNKNOWN or not code:
        return _("outcome unknown")
    if code == ResultStatus.NOT_CLASSIFIED:
        return _("not classified")
    return _("not classified (%(status)s)") % {"status": str(ResultStatus(code).label).lower()}


def part_html(part, class_code):
    """One stored reason, [kind, points, value, car], in words (HTML: a reason is English)."""
    kind, points, value, car = part
    prefix = f"{_e(car)}: " if car else ""
    if kind in ("position", "further"):
        text = ngettext(
            "P%(position)s in %(class)s: %(points)s pt",
            "P%(position)s in %(class)s: %(points)s pts",
            1 if Decimal(points) == 1 else 2,  # ngettext wants an integer: 0.5 pts, 1 pt
        ) % {"position": value, "class": class_code, "points": number(points)}
        return prefix + _e(text)
    if kind == "pole":
        return prefix + _e(_("pole %(points)s") % {"points": number(points)})
    if kind == "factor":
        return prefix + _e(
            _("× %(factor)s: %(points)s") % {"factor": value, "points": signed(points)}
        )
    if kind == "not_classified":
        return prefix + _e(status_words(value))
    if kind == "not_counted":
        return prefix + _e(_("the round does not count"))
    if kind == "dropped":
        return _e(
            ngettext(
                "dropped: only the best %(n)s round counts",
                "dropped: only the best %(n)s rounds count",
                int(value or 0),
            )
            % {"n": value}
        )
    if kind == "adjustment":
        lang = data_lang()
        reason = f"<span{lang}>{_e(value)}</span>" if lang else _e(value)
        return f"{reason}: {_e(signed(points))}"
    return _e(value)


def explanation(cell, class_code, round_name):
    """The cell's reasons in words, as HTML: "R2 (6 Hours of Imola): P2 in LMP2: 13 pts +
    pole 1 = 14"."""
    parts = cell["parts"]
    words = []
    for part in parts:
        text = part_html(part, class_code)
        if words and part[0] == "pole" and not part[3]:
            words[-1] += " + " + text
        else:
            words.append(text)
    body = "; ".join(words) if words else _e(_("no points"))
    if len(parts) > 1:
        body += " = " + _e(number(cell["points"]))
    return f"{round_name}: {body}"


@dataclass
class Table:
    kind: str
    title: str
    rows: list = field(default_factory=list)  # HTML, one <tr> each
    rounds_left: int = 0
    after_round: int = 0
    count: int = 0


@dataclass
class ClassStandings:
    car_class: object
    tables: list = field(default_factory=list)
    titles: list = field(default_factory=list)  # (kind title, [(names HTML, margin, source)])
    chart: str = ""
    legend: list = field(default_factory=list)  # (swatch, label, name)


KIND_TITLES = {
    StandingsKind.DRIVERS: lambda: _("Drivers"),
    StandingsKind.TEAMS: lambda: _("Teams"),
    StandingsKind.MANUFACTURERS: lambda: _("Manufacturers"),
}


def contender_html(row):
    """The contender's name (linked where it has a page) and flag."""
    lang = data_lang()
    if row.driver_id:
        name = f'<a href="{_e(row.driver.get_absolute_url())}">{_e(row.driver.full_name)}</a>'
        return name + (" " + flag(row.driver.nationality) if row.driver.nationality else "")
    if row.team_id:
        number_text = f" #{_e(row.number)}" if row.number else ""
        name = f'<a href="{_e(row.team.get_absolute_url())}"{lang}>{_e(row.team.name)}</a>'
        return name + number_text + (" " + flag(row.team.country) if row.team.country else "")
    return f"<span{lang}>{_e(row.name)}</span>"


def cell_html(cell, class_code, round_name):
    """A round's cell: the points, the class position and the marks (hidden from screen
    readers, which read the explanation), and the explanation shown on hover and focus."""
    if cell is None:
        no_result = _("no result on record")  # outside the f-string, where makemessages finds it
        shown, why = "–", f"{round_name}: {_e(no_result)}"
    else:
        points = number(cell["points"])
        if cell["dropped"]:
            points = f"({number(cell['scored'])})"
            if Decimal(cell["adjustment"]):
                points += signed(cell["adjustment"])
        marks = ""
        if cell["position"]:
            marks += f"P{cell['position']}"
        if cell["pole"]:
            marks += "◆"
        if Decimal(cell["adjustment"]):
            marks += "*"
        shown = _e(points) + (f' <span class="marks">{_e(marks)}</span>' if marks else "")
        why = explanation(cell, class_code, round_name)
    return (
        f'<td class="num round-cell"><span class="explained" tabindex="0">'
        f'<span aria-hidden="true">{shown}</span>'
        f'<span class="explanation">{why}</span></span></td>'
    )


def row_html(row, rounds, class_code, round_names, rounds_left):
    cells = {cell["round"]: cell for cell in row.cells}
    out = [f'<tr><td class="num">{row.position}</td><th scope="row">{contender_html(row)}</th>']
    for n in rounds:
        out.append(cell_html(cells.get(n), class_code, round_names[n]))
    out.append(f'<td class="num total">{_e(number(row.total))}</td>')
    if rounds_left:
        yes, no = _("yes"), _("no")  # outside the f-strings, where makemessages finds them
        mark = (
            f'<span aria-hidden="true">✓</span><span class="visually-hidden">{_e(yes)}</span>'
            if row.can_still_win
            else f'<span class="visually-hidden">{_e(no)}</span>'
        )
        out.append(f'<td class="can-win">{mark}</td>')
    out.append("</tr>")
    return mark_safe("".join(out))


def chart_lines(rows):
    """Lines for the chart: contenders with the same points after every round (a car's crew)
    share one line; the best `CHART_LINES` lines."""
    groups = {}
    for row in rows:
        key = tuple((n, number(total)) for n, total in row.progression)
        groups.setdefault(key, []).append(row)
    ranked = sorted(groups.items(), key=lambda item: min(r.position for r in item[1]))
    lines = []
    for key, members in ranked[:CHART_LINES]:
        names = " / ".join(r.driver.full_name if r.driver_id else r.name for r in members)
        label = str(min(r.position for r in members))
        lines.append(charts.Line(label, names, key))
    return lines


def build(season, tables, rows, rounds, classes, titles):
    """ClassStandings per class of the season, in the season's class order."""
    label = _("R%(n)s")  # outside the f-string, where makemessages finds it
    round_names = {
        r.number: f"{_e(label % {'n': r.number})} (<span{data_lang()}>{_e(r.event.name)}</span>)"
        for r in rounds
    }
    rows_by_table = defaultdict(list)
    for row in rows:
        rows_by_table[row.table_id].append(row)
    titles_by_class = defaultdict(lambda: defaultdict(list))
    for title in titles:
        titles_by_class[title.car_class_id][title.kind].append(title)
    tables_by_class = defaultdict(list)
    for table in tables:
        tables_by_class[table.car_class_id].append(table)
    order = {kind: i for i, kind in enumerate(StandingsKind.values)}
    built = []
    for car_class in classes:
        section = ClassStandings(car_class)
        for table in sorted(tables_by_class.get(car_class.pk, []), key=lambda t: order[t.kind]):
            shown = [r.number for r in rounds if r.number <= table.after_round]
            table_rows = rows_by_table.get(table.pk, [])
            section.tables.append(
                Table(
                    kind=table.kind,
                    title=KIND_TITLES[table.kind](),
                    rows=[
                        row_html(r, shown, car_class.code, round_names, table.rounds_left)
                        for r in table_rows
                    ],
                    rounds_left=table.rounds_left,
                    after_round=table.after_round,
                    count=len(table_rows),
                )
            )
            if table.kind == StandingsKind.DRIVERS and table_rows:
                section.chart, section.legend = chart(season, car_class, table_rows, shown)
        for kind in StandingsKind.values:
            found = titles_by_class[car_class.pk].get(kind)
            if found:
                section.titles.append((KIND_TITLES[kind](), title_lines(found)))
        if section.tables or section.titles:
            built.append(section)
    return built


def title_lines(titles):
    """Titles of one class and kind, grouped by position: (position, names HTML, margin,
    source)."""
    by_position = defaultdict(list)
    for title in titles:
        by_position[title.position].append(title)
    lines = []
    lang = data_lang()
    for position, found in sorted(by_position.items()):
        names = []
        for title in found:
            target = title.driver if title.driver_id else title.team if title.team_id else None
            name = _e(title.name)
            names.append(
                f'<a href="{_e(target.get_absolute_url())}">{name}</a>' if target else name
            )
        margins = sorted({t.margin for t in found if t.margin})
        margin = f"<span{lang}>{_e(', '.join(margins))}</span>" if margins else ""
        lines.append((position, mark_safe(" / ".join(names)), mark_safe(margin), found[0].source))
    return lines


def chart(season, car_class, rows, rounds):
    lines = chart_lines(rows)
    title = _("%(class)s drivers: points after each round") % {"class": car_class.code}
    description = "; ".join(
        _("%(label)s. %(names)s: %(points)s")
        % {
            "label": line.label,
            "names": line.name,
            "points": ", ".join(f"R{n} {total}" for n, total in line.points),
        }
        for line in lines
    )
    prefix = f"chart-{car_class.pk}"
    svg = charts.progression_chart(
        lines,
        rounds,
        (f"{prefix}-title", title),
        (f"{prefix}-desc", description),
        round_label=_("R%(n)s").replace("%(n)s", "%s"),
    )
    legend = [(charts.swatch(i), line.label, line.name) for i, line in enumerate(lines)]
    return svg, legend
