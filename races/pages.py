"""The data of each public racing page, as one object named after the page.

One function per page looks the page up (None when its slugs name nothing: the view answers
404), asks QuerySet methods for everything the page shows and returns a frozen dataclass; the
page's template reads only that object. Model instances are used as loaded: nothing is set on
them. The query count of every page is pinned in races/tests/test_views_*.py. Why templates and
not HTML built here: docs/decisions/0010-pages-in-templates.md.
"""

import datetime as dt
import zoneinfo
from dataclasses import dataclass, field

from django.db.models import Count, Exists, F, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from drivers.models import Driver
from drivers.names import year_span
from races import classification, formats, search, tables
from races.models import (
    CarClass,
    Circuit,
    CircuitLayout,
    Crew,
    DriverLicence,
    Entry,
    Event,
    Registration,
    Result,
    Round,
    Season,
    SeasonClass,
    Series,
    Session,
    SessionKind,
    StandingsTable,
    Team,
)


def _one(queryset):
    """The one object `queryset` finds (its filter names a unique key), or None."""
    try:
        return queryset.get()
    except queryset.model.DoesNotExist:
        return None


# --- Home -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SeriesSeasons:
    """A series with some of its seasons, newest first."""

    series: Series
    seasons: list[Season]


@dataclass(frozen=True)
class HomePage:
    next_round: Round | None
    starts_at: dt.datetime | None  # midnight at the circuit on the next round's first day
    under_way: bool
    now: dt.datetime
    latest: Round | None
    winners: list[Result]  # the latest round's class winners, in finish order
    series: list[SeriesSeasons]  # each with its six latest seasons
    changes_at: dt.datetime | None  # when the clock alone next changes this page

    def seconds_valid(self, now):
        """Whole seconds from `now` until the page next changes (at least 1); None when only a
        change to the data changes it."""
        if self.changes_at is None:
            return None
        return max(1, int((self.changes_at - now).total_seconds()))


RECENT_SEASONS = 6


def event_start(event):
    """Midnight at the circuit on the event's first day (its last, when the first is unknown)."""
    day = event.first_day or event.last_day
    zone = zoneinfo.ZoneInfo(event.circuit.time_zone)
    return dt.datetime.combine(day, dt.time.min, tzinfo=zone)


def _countdown_tick(now, starts_at):
    """The next moment "starts in 2 days, 11 hours" (`timeuntil`: two units, each rounded
    down) reads differently: as soon as the time left drops below a whole number of its
    smallest unit, which is a minute within a day of the start, an hour within a week, else a
    day or more (a day is early enough)."""
    left = (starts_at - now).total_seconds()
    unit = 60 if left < 86_400 else 3_600 if left < 7 * 86_400 else 86_400
    return now + dt.timedelta(seconds=left % unit)


def home_page(now):
    """The next round (with a countdown), the latest round's class winners and the series.

    The page changes with the clock alone when the next round starts ("under way"), when its
    countdown ticks, and at midnight after its last day, when it leaves the upcoming rounds and
    may become the latest one: `changes_at` is the first of these.
    """
    today = timezone.localdate(now)
    next_round = Round.objects.upcoming(today).first()
    latest = Round.objects.latest_completed(today).first()
    winners = []
    if latest:
        found = Result.objects.winners().filter(class_position=1, session__event=latest.event)
        winners = sorted(classification.class_winners(found), key=classification.finish_key)
    seasons = {}
    for season in Season.objects.order_by("series_id", "-year").only("series", "year"):
        seasons.setdefault(season.series_id, []).append(season)
    series = [
        SeriesSeasons(s, seasons.get(s.pk, [])[:RECENT_SEASONS]) for s in Series.objects.all()
    ]
    starts_at = event_start(next_round.event) if next_round else None
    under_way = starts_at is not None and starts_at <= now
    changes_at = None
    if next_round:
        after_last_day = next_round.event.last_day + dt.timedelta(days=1)
        changes_at = timezone.make_aware(dt.datetime.combine(after_last_day, dt.time.min))
        if not under_way:
            changes_at = min(changes_at, starts_at, _countdown_tick(now, starts_at))
    return HomePage(
        next_round=next_round,
        starts_at=starts_at,
        under_way=under_way,
        now=now,
        latest=latest,
        winners=winners,
        series=series,
        changes_at=changes_at,
    )


# --- Series ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class SeriesListPage:
    series: list[SeriesSeasons]  # every season, newest first, each with its `round_count`


def series_list_page():
    seasons = {}
    for season in Season.objects.with_round_counts().order_by("series_id", "-year"):
        seasons.setdefault(season.series_id, []).append(season)
    return SeriesListPage([SeriesSeasons(s, seasons.get(s.pk, [])) for s in Series.objects.all()])


@dataclass(frozen=True)
class SeasonRow:
    season: Season  # with its `round_count`
    first_round: Round | None
    winner: Result | None  # the overall winner of its first round


@dataclass(frozen=True)
class SeriesPage:
    series: Series
    seasons: list[SeasonRow]  # newest first
    one_race: bool  # no season has more than one round: a list of editions


def series_page(slug):
    series = _one(Series.objects.filter(slug=slug))
    if series is None:
        return None
    seasons = list(series.seasons.with_round_counts().order_by("-year"))
    first_rounds = {}
    for round_ in Round.objects.filter(season__series=series).with_pages():
        first_rounds.setdefault(round_.season_id, round_)
    winners = classification.overall_winners(
        Result.objects.winners().filter(position=1, session__event__rounds__season__series=series)
    )
    rows = []
    for season in seasons:
        first = first_rounds.get(season.pk)
        rows.append(SeasonRow(season, first, winners.get(first.event_id) if first else None))
    one_race = all(season.round_count <= 1 for season in seasons)
    return SeriesPage(series, rows, one_race)


# --- Season calendar ------------------------------------------------------------------------


@dataclass(frozen=True)
class CalendarRow:
    round: Round
    winners: list[Result]  # class winners among the season's registered cars, in class order
    other_rounds: list[Round]  # the same event in other championships
    # Classes of the season whose winner on record in this race is not on record as a car of
    # this championship (which cars were, a source may not say): the round page has him.
    other_winners: list[CarClass] = field(default_factory=list)


@dataclass(frozen=True)
class CalendarPage:
    season: Season  # with `has_standings`
    classes: list[CarClass]
    rounds: list[CalendarRow]


def calendar_page(series, year):
    season = _one(
        Season.objects.select_related("series")
        .annotate(has_standings=Exists(StandingsTable.objects.filter(season=OuterRef("pk"))))
        .filter(series__slug=series, year=year)
    )
    if season is None:
        return None
    rounds = list(season.rounds.with_pages())
    events = [r.event for r in rounds]
    classes = [sc.car_class for sc in season.season_classes.select_related("car_class")]
    # A championship's class winners are among its own registered cars: at Spa 2011 the
    # ILMC-only Peugeot won overall but is no Le Mans Series winner.
    found = Result.objects.winners().filter(class_position=1, session__event__in=events)
    found = found.annotate(
        registered=Exists(Registration.objects.filter(entry=OuterRef("entry"), season=season))
    )
    rank = {car_class.pk: i for i, car_class in enumerate(classes)}
    winners, others = {}, {}
    found = list(found)
    for result in classification.class_winners([r for r in found if r.registered]):
        winners.setdefault(result.session.event_id, []).append(result)
    shown = {(r.session.event_id, r.entry.car_class_id) for rs in winners.values() for r in rs}
    other_winners = {}
    for result in classification.class_winners([r for r in found if not r.registered]):
        key = (result.session.event_id, result.entry.car_class_id)
        if result.entry.car_class_id in rank and key not in shown:
            other_winners.setdefault(key[0], []).append(result.entry.car_class)
    for other in Round.objects.filter(event__in=events).exclude(season=season).with_pages():
        others.setdefault(other.event_id, []).append(other)

    def class_order(result):
        return (rank.get(result.entry.car_class_id, len(rank)), result.entry.car_class.code)

    rows = [
        CalendarRow(
            round_,
            sorted(winners.get(round_.event_id, []), key=class_order),
            others.get(round_.event_id, []),
            sorted(other_winners.get(round_.event_id, []), key=lambda c: rank[c.pk]),
        )
        for round_ in rounds
    ]
    return CalendarPage(season, classes, rows)


# --- Round ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Member:
    """A crew member as the round page links it."""

    name: str
    url: str
    category: str = ""  # the FIA driver category's letter in the round's season, if on record
    category_name: str = ""  # …in words
    laps: int | None = None  # in the event's race(s), where the lap analysis or an editor says
    drive_time: str = ""  # time at the wheel, "1:05:09"
    first_name_known: bool = True  # else the name says, in words, that no source gives it
    drove: bool | None = None  # False: listed in the crew, did not drive (a reserve)
    years: str = ""  # where another driver bears the name: "1965–1967" (races/namesakes.py)


def _drive_time(value):
    if value is None:
        return ""
    seconds = int(value.total_seconds())
    return f"{seconds // 3600}:{seconds % 3600 // 60:02}:{seconds % 60:02}"


@dataclass(frozen=True)
class Car:
    """The cells of a car shared by its entry row and its result rows."""

    number: str
    car_class: CarClass
    team: str  # the entrant as written that year, else the team's name
    team_url: str  # "" without a team on record
    drivers: list[Member]
    machine: str  # chassis – engine
    tyres: str


@dataclass(frozen=True)
class EntryRow:
    car: Car
    status: str  # in words
    started: bool  # entered (not a reserve, nor a car that did not arrive …)
    championships: str  # the registered championships' short names; "" when not on record


@dataclass(frozen=True)
class ResultRow:
    result: Result
    car: Car
    time_or_gap: str
    best_lap: str


@dataclass(frozen=True)
class ClassResults:
    car_class: CarClass
    rows: list[ResultRow]


@dataclass(frozen=True)
class Footnote:
    """What a source says of one car's entry or result, beside the tables: a note (a disputed
    value, a reason) and the source it comes from, both stored in English."""

    car: Car
    notes: str
    source: str


def footnotes(items, cars, shown_source=""):
    """(with notes, with only a source) of `items` (entries or results, in the page's order);
    a source the page shows already (the session's) is not repeated."""
    noted, sourced = [], []
    for item in items:
        car = cars[item.pk if isinstance(item, Entry) else item.entry_id]
        source = "" if item.source == shown_source else item.source
        if item.notes:
            noted.append(Footnote(car, item.notes, source))
        elif source:
            sourced.append(Footnote(car, "", source))
    return noted, sourced


@dataclass(frozen=True)
class SessionRow:
    session: Session
    title: str  # the kind's label in the page's language, or the name as entered
    title_is_data: bool  # the title is the name as entered (English text)
    show_kind: bool  # the kind follows the title
    rows: list[ResultRow]  # overall, in classification order
    classes: list[ClassResults]  # by class, in the season's class order
    notes: list[Footnote]  # results with a note, in classification order
    sources: list[Footnote]  # results with only a source of their own


@dataclass(frozen=True)
class RoundPage:
    round: Round
    event: Event
    championships: list[Round]  # the event's rounds in every championship, by series name
    registrations_unknown: bool  # no car on record is registered for this championship
    entries: list[EntryRow]  # entry-list order
    entry_notes: list[Footnote]  # entries with a note, in entry-list order
    entry_sources: list[Footnote]  # entries with only a source
    sessions: list[SessionRow]

    @property
    def shared(self):
        return len(self.championships) > 1


ENTRY_STATUS = dict(Entry.Status.choices)  # lazy labels by value, translated when read


def _car(entry, members):
    team_url = entry.team.get_absolute_url() if entry.team_id else ""
    return Car(
        number=entry.number,
        car_class=entry.car_class,
        team=entry.entrant or (entry.team.name if entry.team_id else ""),
        team_url=team_url,
        drivers=members,
        machine=f"{entry.chassis} – {entry.engine}" if entry.engine else entry.chassis,
        tyres=entry.tyres,
    )


def _session_title(session, english_labels):
    """A session's title: the label of its kind in the page's language where its name is only
    that label in English ("Race", "Qualifying"), else the name as entered."""
    kind = session.get_kind_display()
    if english_labels.get(session.name.casefold()) == session.kind:
        return kind, False, False
    return session.name, True, True


def round_page(series, year, event):
    round_ = _one(
        Round.objects.with_pages()
        .select_related("event__layout")
        .filter(season__series__slug=series, season__year=year, event__slug=event)
    )
    if round_ is None:
        return None
    event = round_.event
    championships = list(event.rounds.with_pages().order_by("season__series__name"))
    seasons = {r.season_id: r.season for r in championships}
    entries = sorted(
        event.entries.select_related("team", "car_class"), key=classification.entry_key
    )
    members, registered = {}, {}
    categories = dict(
        DriverLicence.objects.filter(season_id__in=seasons, driver__crews__entry__event=event)
        .order_by("-season_id")
        .values_list("driver__slug", "category")
    )
    crews = Crew.objects.for_event(event)
    for entry_id, _order, slug, name, known, first, last, laps, time, drove in crews:
        url = reverse("drivers:driver_detail", args=[slug])
        letter = categories.get(slug, "")
        label = str(DriverLicence.Category(letter).label) if letter else ""
        members.setdefault(entry_id, []).append(
            Member(
                name,
                url,
                letter,
                label,
                laps=laps,
                drive_time=_drive_time(time),
                first_name_known=known,
                drove=drove,
                years=year_span(first, last),
            )
        )
    registrations = Registration.objects.filter(entry__event=event)
    for entry_id, season_id in registrations.values_list("entry_id", "season_id"):
        if season_id in seasons:
            registered.setdefault(entry_id, []).append(seasons[season_id])
    cars = {entry.pk: _car(entry, members.get(entry.pk, [])) for entry in entries}
    entry_rows = [
        EntryRow(
            car=cars[entry.pk],
            status=str(ENTRY_STATUS.get(entry.status, entry.status)),
            started=entry.status == Entry.Status.ENTERED,
            championships=", ".join(
                s.series.short_name or s.series.name for s in registered.get(entry.pk, [])
            ),
        )
        for entry in entries
    ]
    class_order = [
        sc.car_class
        for sc in SeasonClass.objects.filter(season_id=round_.season_id).select_related("car_class")
    ]
    rank = {car_class.pk: i for i, car_class in enumerate(class_order)}
    by_entry = {entry.pk: entry for entry in entries}
    per_session = {}
    for result in Result.objects.filter(session__event=event):
        per_session.setdefault(result.session_id, []).append(result)
    with translation.override("en"):
        english_labels = {str(label).casefold(): value for value, label in SessionKind.choices}
    sessions = []
    for session in event.sessions.all():
        results = classification.ordered_results(per_session.get(session.pk, []), rank, by_entry)
        rows = [
            ResultRow(
                result=result,
                car=cars[result.entry_id],
                time_or_gap=formats.time_or_gap(result),
                best_lap=formats.format_duration(result.best_lap),
            )
            for result in results
        ]
        groups = classification.by_class(rows, class_order, lambda row: row.car.car_class)
        title, is_data, show_kind = _session_title(session, english_labels)
        notes, sources = footnotes(results, cars, session.source)
        sessions.append(
            SessionRow(
                session=session,
                title=title,
                title_is_data=is_data,
                show_kind=show_kind,
                rows=rows,
                classes=[ClassResults(car_class, group) for car_class, group in groups],
                notes=notes,
                sources=sources,
            )
        )
    # No car on record is registered for this championship (the ILMC at Le Mans 2011): say so
    # rather than let the entry list suggest that none took part.
    unregistered = bool(entries) and not any(
        season.pk == round_.season_id for found in registered.values() for season in found
    )
    entry_notes, entry_sources = footnotes(entries, cars)
    return RoundPage(
        round=round_,
        event=event,
        championships=championships,
        registrations_unknown=unregistered,
        entries=entry_rows,
        entry_notes=entry_notes,
        entry_sources=entry_sources,
        sessions=sessions,
    )


# --- Teams ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class TeamEntry:
    entry: Entry  # with its event, class and crew
    rounds: list[Round]  # the championships its event counted for
    result: Result | None  # its last race's result


@dataclass(frozen=True)
class TeamYear:
    year: int
    entries: list[TeamEntry]  # newest event first, then by number


@dataclass(frozen=True)
class TeamPage:
    team: Team
    years: list[TeamYear]  # newest first


def team_page(slug):
    team = _one(Team.objects.filter(slug=slug))
    if team is None:
        return None
    entries = list(team.entries.with_crews().select_related("event__circuit"))
    last_race = {}
    results = Result.objects.in_races().filter(entry__team=team).select_related("session")
    for result in sorted(results, key=lambda r: r.session.order):
        last_race[result.entry_id] = result
    per_event = {}
    for round_ in Round.objects.filter(event__entries__team=team).with_pages().distinct():
        per_event.setdefault(round_.event_id, []).append(round_)
    years = {}

    def year(entry):
        # A cancelled edition no source dates (Le Mans 1936) has its season's year.
        if entry.event.last_day is not None:
            return entry.event.last_day.year
        return min((r.season.year for r in per_event.get(entry.event_id, [])), default=0)

    def newest_first(entry):
        day = entry.event.last_day or dt.date(max(year(entry), 1), 1, 1)
        return (-day.toordinal(), classification.number_key(entry.number))

    for entry in sorted(entries, key=newest_first):
        row = TeamEntry(entry, per_event.get(entry.event_id, []), last_race.get(entry.pk))
        years.setdefault(year(entry), []).append(row)
    return TeamPage(team, [TeamYear(year, rows) for year, rows in years.items()])


def _count_of(queryset, field):
    """The number of rows of `queryset` whose `field` is the outer row: a correlated subquery,
    which the database computes for the listed page of rows only (a join with GROUP BY counts
    for every row before the page is cut)."""
    counted = queryset.filter(**{field: OuterRef("pk")}).order_by().values(field)
    return Coalesce(Subquery(counted.annotate(n=Count("pk")).values("n")), 0)


@dataclass(frozen=True)
class TeamListPage:
    table: tables.ListTable  # each row a Team with its `entry_count`


def team_list_page(sort, page):
    """Every team with its number of entries, sorted by `sort` and cut to page `page` (the
    query's values); None when that page does not exist."""
    teams = Team.objects.annotate(entry_count=_count_of(Entry.objects, "team"))
    table = tables.list_table(
        teams, tables.TEAM_COLUMNS, "name", sort, page, empty_text=_("No team yet.")
    )
    return None if table is None else TeamListPage(table)


# --- Circuits -------------------------------------------------------------------------------


@dataclass(frozen=True)
class EventRaces:
    event: Event
    rounds: list[Round]  # the championships it counted for
    winner: Result | None  # overall, with its crew


@dataclass(frozen=True)
class CircuitPage:
    circuit: Circuit
    layouts: list[CircuitLayout]
    races: list[EventRaces]  # newest first


def circuit_page(slug):
    circuit = _one(Circuit.objects.prefetch_related("layouts").filter(slug=slug))
    if circuit is None:
        return None
    rounds = (
        Round.objects.filter(event__circuit=circuit)
        .with_pages()
        # By year: a cancelled edition no source dates (Le Mans 1944) keeps its place.
        .order_by(
            "-season__year", F("event__last_day").desc(nulls_last=True), "season__series__name"
        )
    )
    winners = classification.overall_winners(
        Result.objects.winners().filter(position=1, session__event__circuit=circuit)
    )
    events = {}
    for round_ in rounds:
        events.setdefault(round_.event_id, []).append(round_)
    races = [
        EventRaces(found[0].event, found, winners.get(event_id))
        for event_id, found in events.items()
    ]
    return CircuitPage(circuit, list(circuit.layouts.all()), races)


@dataclass(frozen=True)
class CircuitListPage:
    table: tables.ListTable  # each row a Circuit with its `event_count`


def circuit_list_page(sort, page):
    """Every circuit with its number of events, sorted by `sort` and cut to page `page`; None
    when that page does not exist."""
    circuits = Circuit.objects.annotate(event_count=_count_of(Event.objects, "circuit"))
    table = tables.list_table(
        circuits, tables.CIRCUIT_COLUMNS, "name", sort, page, empty_text=_("No circuit yet.")
    )
    return None if table is None else CircuitListPage(table)


# --- Search ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class SearchPage:
    query: str  # as cleaned; "" searches nothing
    drivers: list[Driver]
    teams: list[Team]
    circuits: list[Circuit]
    limit: int = search.LIMIT

    @property
    def found(self):
        return bool(self.drivers or self.teams or self.circuits)


def search_page(raw):
    query = search.clean_query(raw)
    if not query:
        return SearchPage(query, [], [], [])
    return SearchPage(
        query,
        list(Driver.objects.search(query)[: search.LIMIT]),
        list(Team.objects.search(query)[: search.LIMIT]),
        list(Circuit.objects.search(query)[: search.LIMIT]),
    )
