"""The data of the drivers' pages, one object per page: the driver list and a driver's career.

Each is built by one function from QuerySets and the plain computations of drivers/careers.py;
the templates read it and nothing else queries.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _
from django_countries import countries

from drivers import careers
from drivers.models import Driver
from drivers.tables import DRIVER_COLUMNS
from races import search
from races.models import (
    Crew,
    DriverLicence,
    Registration,
    Result,
    Round,
    StandingsKind,
    StandingsRow,
)
from races.tables import ListTable, clean_page, clean_sort, list_table


@dataclass(frozen=True)
class DriverListPage:
    table: ListTable  # each row a Driver
    query: str
    nationality: str  # a two-letter code, or ""
    choices: list[tuple[str, str]]  # (code, name) of every nationality on record, by name


@dataclass(frozen=True)
class CareerPage:
    driver: Driver
    age: int | None
    races: list[careers.Race]  # every car entered, newest first
    figures: list[careers.Figure]
    seasons: list[careers.SeasonLine]
    co_drivers: list[careers.CoDriver]
    categories: list[DriverLicence]  # the FIA driver category per season, newest first
    changes_at: dt.datetime | None  # the next birthday while an age is shown: the clock's change

    def seconds_valid(self, now):
        """Whole seconds from `now` until the page next changes (at least 1); None when only a
        change to the data changes it."""
        if self.changes_at is None:
            return None
        return max(1, int((self.changes_at - now).total_seconds()))


def clean_nationality(value: str) -> str:
    """A two-letter country code in capitals, or "" (every nationality)."""
    value = value.strip().upper()
    return value if len(value) == 2 and value.isascii() and value.isalpha() else ""


# The query parameters the list reads, each with the cleaner the page applies to it
# (lmsite/pagecache.py keys on them).
DRIVER_LIST_PARAMS = {
    "q": search.clean_query,
    "nationality": clean_nationality,
    "page": clean_page,
    "sort": clean_sort(DRIVER_COLUMNS),
}


def driver_list_page(query: str, nationality: str, sort: str, page: str) -> DriverListPage | None:
    """The drivers matching `query` and `nationality`, sorted by `sort` and cut to page `page`
    (the query's raw values); None when that page does not exist."""
    query = search.clean_query(query)
    nationality = clean_nationality(nationality)
    drivers = Driver.objects.search(query) if query else Driver.objects.all()
    if nationality:
        drivers = drivers.filter(nationality=nationality)
    table = list_table(
        drivers,
        DRIVER_COLUMNS,
        "full_name",
        sort,
        page,
        caption=_caption(query, nationality),
        empty_text=_("No driver matches."),
    )
    if table is None:
        return None
    codes = (
        Driver.objects.exclude(nationality="")
        .order_by("nationality")
        .values_list("nationality", flat=True)
        .distinct()
    )
    choices = sorted(((c, countries.name(c)) for c in codes), key=lambda item: str(item[1]))
    return DriverListPage(table, query, nationality, choices)


def _caption(query, nationality):
    caption = _("Drivers")
    if query:
        caption += " " + _("matching “%(q)s”") % {"q": query}
    if nationality:
        caption += " " + _("of nationality %(n)s") % {
            "n": countries.name(nationality) or nationality
        }
    return caption


def career_page(driver: Driver, now: dt.datetime) -> CareerPage:
    """Everything the career page of `driver` shows, in seven queries however long the career.

    The age of a living driver is the page's only content that the clock changes: at midnight
    (TIME_ZONE) on the next birthday."""
    today = timezone.localdate(now)
    age = careers.age(driver.birth_date, driver.death_date, today)
    changes_at = None
    if age is not None:
        birthday = careers.next_birthday(driver.birth_date, today)
        changes_at = timezone.make_aware(dt.datetime.combine(birthday, dt.time.min))
    # Only the columns the page shows: a long career is some 35 rows of six tables each.
    crews = (
        Crew.objects.filter(driver=driver)
        .select_related("entry__event__layout", "entry__team", "entry__car_class")
        .only(
            "order",
            "drove",
            "driver_id",
            "entry__number",
            "entry__status",
            "entry__chassis",
            "entry__engine",
            "entry__entrant",
            "entry__event__name",
            "entry__event__slug",
            "entry__event__last_day",
            "entry__event__layout__length_km",
            "entry__team__name",
            "entry__team__slug",
            "entry__car_class__code",
            "entry__car_class__name",
            "entry__car_class__colour",
            "entry__car_class__parent_id",
        )
    )
    mates = (
        Crew.objects.filter(entry__crew__driver=driver)
        .exclude(driver=driver)
        .select_related("driver")
        .only(
            "entry_id",
            "order",
            "driver__slug",
            "driver__full_name",
            "driver__first_name_known",
            "driver__namesake_first_year",
            "driver__namesake_last_year",
            "driver__search_key",
        )
    )
    results = (
        Result.objects.filter(
            entry__crew__driver=driver, session__kind__in=[careers.RACE, careers.QUALIFYING]
        )
        .select_related("session")
        .only(
            "entry_id",
            "position",
            "class_position",
            "laps",
            "distance_km",
            "status",
            "reason",
            "session__kind",
            "session__order",
        )
    )
    rounds = (
        Round.objects.filter(event__entries__crew__driver=driver)
        .select_related("season__series", "event")
        .only(
            "number",
            "season__year",
            "season__name",
            "season__is_complete",
            "season__series__name",
            "season__series__slug",
            "event__slug",
        )
        .distinct()
    )
    registrations = Registration.objects.filter(entry__crew__driver=driver).values_list(
        "entry_id", "season_id"
    )
    standings = StandingsRow.objects.filter(
        driver=driver, table__is_latest=True, table__kind=StandingsKind.DRIVERS
    ).values_list("table__season_id", "position", "table__car_class__code", "table__rounds_left")
    races = careers.races_of(crews, mates, results, rounds, registrations)
    return CareerPage(
        driver=driver,
        age=age,
        races=races,
        figures=careers.described(careers.figures(races)),
        seasons=careers.season_lines(races, standings),
        co_drivers=careers.frequent_co_drivers(races),
        categories=list(
            DriverLicence.objects.filter(driver=driver)
            .select_related("season")
            .order_by("-season__year", "season__name")
        ),
        changes_at=changes_at,
    )
