"""The standings page's data, one `StandingsPage` built by `standings_page()` from the stored
tables (races/stored_standings.py): every cell worded in the page's language from the reasons
stored as data, and a points chart per class (races/charts.py).

A season of 10 rounds and 200 contenders has 2,000 cells, each with its explanation: the words
of every cell are put together here as plain text, so the template only places them
(templates/races/season_standings.html). Text stored in English (an event's name, an
adjustment's reason) stays a separate piece, which the template marks `lang="en"`
(docs/decisions/0011-career-and-standings-templates.md).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_countries.fields import Country

from races import charts
from races.models import (
    CarClass,
    PointsScale,
    ResultStatus,
    Round,
    Season,
    StandingsKind,
    StandingsRow,
)

CHART_LINES = 6


def number(value):
    text = f"{Decimal(value).normalize():f}"
    return "0" if text in ("-0", "0") else text


def signed(value):
    value = Decimal(value)
    return ("+" if value > 0 else "−" if value < 0 else "") + number(abs(value))


@dataclass(frozen=True)
class Piece:
    """A piece of an explanation: words in the page's language, or text stored in English."""

    text: str
    english: bool = False


@dataclass(frozen=True)
class Cell:
    """A round's cell: the points, the marks (hidden from screen readers, which read the
    explanation) and the explanation shown on hover and focus."""

    points: str  # "15", "(13)+2", "–"
    marks: str  # "P1◆*": the scoring class position, the pole, an adjustment
    round_label: str  # "R5"
    event: str  # "6 Hours of Estoril": stored in English
    text: str  # the reasons in words: "P1 in LMP1: 15 pts + pole 1 = 16"
    # ...or, where a reason is stored in English (an adjustment's), the reasons in pieces
    # (the template marks the English ones); else empty
    words: tuple[Piece, ...] = ()


@dataclass(frozen=True)
class Contender:
    name: str
    url: str  # its page, or "" for a name with no page
    kind: str  # "driver", "team", or "name" (stored in English)
    number: str = ""  # a team's car
    country: Country | None = None
    first_name_known: bool = True  # a driver's: else his name says so in words
    years: str = ""  # a driver's, where another bears the name (races/namesakes.py)


@dataclass(frozen=True)
class ContenderRow:
    position: int
    contender: Contender
    cells: tuple[Cell, ...]
    total: str
    can_still_win: bool


@dataclass(frozen=True)
class Table:
    kind: str
    title: str
    rows: tuple[ContenderRow, ...]
    rounds_left: int
    after_round: int


@dataclass(frozen=True)
class Name:
    text: str
    url: str  # "" where the title holder has no page
    first_name_known: bool = True  # else the name says so in words
    years: str = ""  # a driver's, where another bears the name (races/namesakes.py)


def plural_count(points):
    """The number that picks "point" or "points": a whole number, else plural (1.5 points)."""
    return int(points) if points == int(points) else 2


@dataclass(frozen=True)
class TitleLine:
    position: int
    names: tuple[Name, ...]
    margin: str  # a margin not in points, stored in English
    source: str  # stored in English
    points: object = None  # a Decimal where the source gives the total
    margin_points: object = None  # a Decimal: the lead in points, worded by the template

    @property
    def points_count(self):
        return plural_count(self.points)

    @property
    def margin_count(self):
        return plural_count(self.margin_points)


@dataclass(frozen=True)
class TitleGroup:
    title: str  # the kind: "Drivers"
    lines: tuple[TitleLine, ...]


@dataclass(frozen=True)
class LegendItem:
    swatch: charts.Swatch
    label: str
    name: str


@dataclass(frozen=True)
class ClassStandings:
    """A class's standings: the official final standings first where a source gives them
    (`titles`), then the tables computed from the results on record, each with rows, and a
    chart where some total changes from round to round."""

    car_class: CarClass
    tables: tuple[Table, ...]  # only tables with rows
    titles: tuple[TitleGroup, ...]
    chart: charts.Chart | None
    legend: tuple[LegendItem, ...]
    # Official final standings are on record and the page shows the standings after the last
    # round: they are the class's standings, and the computed tables follow them, collapsed
    # (docs/decisions/0013-as-raced.md). After an earlier round the computed tables are open.
    official: bool = False


@dataclass(frozen=True)
class StandingsPage:
    season: Season
    after_round: int  # the standings shown are after this round
    stored_rounds: list[int]  # every round standings are stored after
    rounds: list[Round]
    rounds_left: int
    computed_at: dt.datetime | None
    classes: list[ClassStandings]  # in the season's class order, those with something to show
    scales: list[PointsScale]  # the rules' scales: each with its source, or said to have none
    final: bool = True  # the latest standings: after the last round stored, or none stored
    has_titles: bool = False  # official final standings are on record (shown when `final`)

    @property
    def official(self):
        """Some class shows official final standings first."""
        return any(section.official for section in self.classes)

    @property
    def links_to_final(self):
        """After an earlier round the official final standings are not shown beside tables of
        another date: the page links to the final view instead."""
        return self.has_titles and not self.final


KIND_TITLES = {
    StandingsKind.DRIVERS: lambda: _("Drivers"),
    StandingsKind.TEAMS: lambda: _("Teams"),
    StandingsKind.MANUFACTURERS: lambda: _("Manufacturers"),
}


def standings_page(season: Season, after: str) -> StandingsPage:
    """The standings of `season` after the round `after` names (the URL's parameter, as
    given), or after the last round stored where it names none."""
    tables = list(season.standings.all())
    stored = sorted({t.after_round for t in tables})
    by_text = {str(n): n for n in stored}
    after_round = by_text.get(after, (stored or [0])[-1])
    tables = [t for t in tables if t.after_round == after_round]
    rows = StandingsRow.objects.filter(table__in=tables).select_related("driver", "team")
    rounds = list(season.rounds.select_related("event"))
    classes = [sc.car_class for sc in season.season_classes.select_related("car_class")]
    titles = list(season.titles.select_related("driver", "team"))
    latest = not stored or after_round == stored[-1]  # the official standings show here only
    return StandingsPage(
        scales=list(
            PointsScale.objects.filter(
                Q(rules__season=season) | Q(class_scales__rules__season=season)
            )
            .distinct()
            .only("name", "source")
        ),
        season=season,
        after_round=after_round,
        stored_rounds=stored,
        rounds=rounds,
        rounds_left=max((t.rounds_left for t in tables), default=0),
        computed_at=max((t.computed_at for t in tables), default=None),
        classes=build(
            tables, rows, rounds, classes, titles if latest else [], final=bool(stored) and latest
        ),
        final=latest,
        has_titles=bool(titles),
    )


def build(tables, rows, rounds, classes, titles, final=True):
    """ClassStandings per class of the season, in the season's class order; `final`: the
    standings shown are after the last round stored."""
    label = _("R%(n)s")
    round_labels = {r.number: (label % {"n": r.number}, r.event.name) for r in rounds}
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
        section_tables, chart, legend = [], None, ()
        for table in sorted(tables_by_class.get(car_class.pk, []), key=lambda t: order[t.kind]):
            shown = [r.number for r in rounds if r.number <= table.after_round]
            table_rows = rows_by_table.get(table.pk, [])
            if not table_rows:  # no section without rows: an empty table says nothing
                continue
            section_tables.append(
                Table(
                    kind=table.kind,
                    title=KIND_TITLES[table.kind](),
                    rows=tuple(
                        contender_row(r, shown, car_class.code, round_labels, table.rounds_left)
                        for r in table_rows
                    ),
                    rounds_left=table.rounds_left,
                    after_round=table.after_round,
                )
            )
            if table.kind == StandingsKind.DRIVERS and changes(table_rows):
                chart, legend = points_chart(car_class, table_rows, shown)
        section_titles = tuple(
            TitleGroup(KIND_TITLES[kind](), title_lines(titles_by_class[car_class.pk][kind]))
            for kind in StandingsKind.values
            if titles_by_class[car_class.pk].get(kind)
        )
        if section_tables or section_titles:
            built.append(
                ClassStandings(
                    car_class,
                    tuple(section_tables),
                    section_titles,
                    chart,
                    legend,
                    official=bool(section_titles) and final,
                )
            )
    return built


def contender_row(row, rounds, class_code, round_labels, rounds_left):
    cells = {cell["round"]: cell for cell in row.cells}
    return ContenderRow(
        position=row.position,
        contender=contender(row),
        cells=tuple(cell(cells.get(n), class_code, *round_labels[n]) for n in rounds),
        total=number(row.total),
        can_still_win=bool(rounds_left and row.can_still_win),
    )


def contender(row):
    """The contender's name, linked where it has a page, and its flag."""
    if row.driver_id:
        driver = row.driver
        return Contender(
            driver.full_name,
            driver.get_absolute_url(),
            "driver",
            "",
            driver.nationality,
            driver.first_name_known,
            driver.namesake_years,
        )
    if row.team_id:
        team = row.team
        return Contender(team.name, team.get_absolute_url(), "team", row.number, team.country)
    return Contender(row.name, "", "name")


def cell(stored, class_code, round_label, event):
    if stored is None:
        # No result of a car registered for this championship: the contender may have raced
        # in a car not on record as registered (the 2011 ILMC at Le Mans).
        return Cell("–", "", round_label, event, _("no result for this championship on record"))
    points = number(stored["points"])
    adjusted = bool(Decimal(stored["adjustment"]))
    if stored["dropped"]:
        points = f"({number(stored['scored'])})"
        if adjusted:
            points += signed(stored["adjustment"])
    marks = f"P{stored['position']}" if stored["position"] else ""
    if stored["pole"]:
        marks += "◆"
    if adjusted:
        marks += "*"
    words = explanation(stored, class_code)
    if len(words) == 1 and not words[0].english:
        return Cell(points, marks, round_label, event, words[0].text)
    return Cell(points, marks, round_label, event, "", words)


def explanation(stored, class_code):
    """The cell's reasons in words: "P2 in LMP2: 13 pts + pole 1 = 14"."""
    parts = stored["parts"]
    words = []  # each a list of pieces
    for part in parts:
        pieces = part_words(part, class_code)
        if words and part[0] == "pole" and not part[3]:
            words[-1] += [Piece(" + "), *pieces]
        else:
            words.append(pieces)
    flat = []
    for i, pieces in enumerate(words):
        if i:
            flat.append(Piece("; "))
        flat.extend(pieces)
    if not flat:
        flat.append(Piece(_("no points")))
    if len(parts) > 1:
        flat.append(Piece(" = " + number(stored["points"])))
    return joined(flat)


def joined(pieces):
    """`pieces` with neighbouring pieces of the same language run together."""
    out = []
    for piece in pieces:
        if out and out[-1].english == piece.english:
            out[-1] = Piece(out[-1].text + piece.text, piece.english)
        else:
            out.append(piece)
    return tuple(out)


def part_words(part, class_code):
    """One stored reason, [kind, points, value, car] or [kind, points, value, car, race, note],
    in words. A race of a double-header leads its reasons (its name is stored in English)."""
    kind, points, value, car, *more = part
    race, note = [*more, "", ""][:2]
    words = reason_words(kind, points, value, car, note, class_code)
    if race:
        return [Piece(race, english=True), Piece(": "), *words]
    return words


def reason_words(kind, points, value, car, note, class_code):
    """The words of one stored reason (see `part_words`)."""
    prefix = f"{car}: " if car else ""
    if kind in ("position", "further"):
        text = ngettext(
            "P%(position)s in %(class)s: %(points)s pt",
            "P%(position)s in %(class)s: %(points)s pts",
            1 if Decimal(points) == 1 else 2,  # ngettext wants an integer: 0.5 pts, 1 pt
        ) % {"position": value, "class": class_code, "points": number(points)}
        return [Piece(prefix + text)]
    if kind == "pole":
        return [Piece(prefix + _("pole %(points)s") % {"points": number(points)})]
    if kind == "factor":
        text = _("× %(factor)s: %(points)s") % {"factor": value, "points": signed(points)}
        return [Piece(prefix + text)]
    if kind == "not_classified":
        return [Piece(prefix + status_words(value))]
    if kind == "not_counted":
        return [Piece(prefix + _("the round does not count"))]
    if kind == "dropped":
        text = ngettext(
            "dropped: only the best %(n)s round counts",
            "dropped: only the best %(n)s rounds count",
            int(value or 0),
        ) % {"n": value}
        return [Piece(text)]
    if kind == "adjustment":
        return [Piece(value, english=True), Piece(": " + signed(points))]
    if kind == "race_factor":
        text = _("× %(factor)s: %(points)s") % {"factor": value, "points": signed(points)}
        return [Piece(prefix + text + " ("), Piece(note, english=True), Piece(")")]
    if kind == "ahead_not_eligible":
        return [
            Piece(prefix + _("%(cars)s ahead scored in another championship") % {"cars": value})
        ]
    if kind == "did_not_drive":
        return [
            Piece(prefix + _("named for %(car)s but did not drive: no points") % {"car": value})
        ]
    if kind == "under_min_drive_time":
        text = _("%(time)s at the wheel, under the minimum of %(minimum)s: no points") % {
            "time": value,
            "minimum": note,
        }
        return [Piece(prefix + text)]
    return [Piece("" if value is None else str(value))]


def status_words(code):
    if code == ResultStatus.CLASSIFIED:
        return _("class position unknown")
    if code == ResultStatus.UNKNOWN or not code:
        return _("outcome unknown")
    if code == ResultStatus.NOT_CLASSIFIED:
        return _("not classified")
    return _("not classified (%(status)s)") % {"status": str(ResultStatus(code).label).lower()}


def title_lines(titles):
    """Titles of one class and kind, grouped by position."""
    by_position = defaultdict(list)
    for title in titles:
        by_position[title.position].append(title)
    lines = []
    for position, found in sorted(by_position.items()):
        names = []
        for title in found:
            target = title.driver if title.driver_id else title.team if title.team_id else None
            url = target.get_absolute_url() if target else ""
            driver = title.driver if title.driver_id else None
            known = driver.first_name_known if driver else True
            names.append(Name(title.name, url, known, driver.namesake_years if driver else ""))
        margins = sorted({t.margin for t in found if t.margin})
        points = next((t.points for t in found if t.points is not None), None)
        lead = next((t.margin_points for t in found if t.margin_points is not None), None)
        lines.append(
            TitleLine(position, tuple(names), ", ".join(margins), found[0].source, points, lead)
        )
    return tuple(lines)


def changes(rows):
    """Whether some contender's total changes from one round to the next: a chart of flat
    lines (one round run, or no points moving) shows nothing a table does not."""
    return any(len({number(total) for _, total in row.progression}) > 1 for row in rows)


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
        names = " / ".join(r.driver.shown_name if r.driver_id else r.name for r in members)
        label = str(min(r.position for r in members))
        lines.append(charts.Line(label, names, key))
    return lines


def points_chart(car_class, rows, rounds):
    """The class's drivers' points after each round, and the chart's legend."""
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
    label = _("R%(n)s")
    chart = charts.progression_chart(
        lines,
        rounds,
        (f"{prefix}-title", title),
        (f"{prefix}-desc", description),
        round_label=lambda n: label % {"n": n},
    )
    legend = tuple(
        LegendItem(charts.swatch(i), line.label, line.name) for i, line in enumerate(lines)
    )
    return chart, legend
