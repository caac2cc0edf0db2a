"""The public pages of the racing data: home, series, seasons, rounds, teams, circuits, search.

Each view looks up its object by the URL's slugs, asks QuerySet methods for everything the page
shows and renders; the query count of every page is pinned in races/tests/test_views_*.py.
"""

import datetime as dt
import zoneinfo

from django.db import transaction
from django.db.models import Count, Exists, OuterRef, Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from drivers.models import Driver
from races import classification, rows, search, standings_page
from races.models import (
    Circuit,
    Crew,
    Registration,
    Result,
    Round,
    Season,
    SeasonClass,
    Series,
    StandingsTable,
    Team,
)
from races.tables import CircuitTable, TeamTable, configure_list


@transaction.non_atomic_requests
def health(request):
    return HttpResponse("ok", content_type="text/plain")


def home(request):
    today = timezone.localdate()
    next_round = Round.objects.upcoming(today).first()
    latest = Round.objects.latest_completed(today).first()
    winners = []
    if latest:
        found = Result.objects.winners().filter(class_position=1, session__event=latest.event)
        winners = sorted(classification.class_winners(found), key=classification.finish_key)
    series_list = Series.objects.prefetch_related(
        Prefetch("seasons", queryset=Season.objects.order_by("-year")[:6], to_attr="recent")
    )
    context = {
        "next_round": next_round,
        "latest": latest,
        "winners": winners,
        "series_list": series_list,
        "now": timezone.now(),
        "today": today,
        "starts_at": event_start(next_round.event) if next_round else None,
    }
    return render(request, "races/home.html", context)


def event_start(event):
    """Midnight at the circuit on the event's first day (its last, when the first is unknown)."""
    day = event.first_day or event.last_day
    zone = zoneinfo.ZoneInfo(event.circuit.time_zone)
    return dt.datetime.combine(day, dt.time.min, tzinfo=zone)


def series_list(request):
    series = Series.objects.prefetch_related(
        Prefetch("seasons", queryset=Season.objects.with_round_counts().order_by("-year"))
    )
    return render(request, "races/series_list.html", {"series_list": series})


def series_detail(request, series):
    series = get_object_or_404(Series, slug=series)
    seasons = list(series.seasons.with_round_counts().order_by("-year"))
    rounds = Round.objects.filter(season__series=series).with_pages()
    winners = Result.objects.winners().filter(
        position=1, session__event__rounds__season__series=series
    )
    classification.attach_rounds_and_winners(seasons, rounds, winners)
    one_race = all(season.round_count <= 1 for season in seasons)
    context = {"series": series, "seasons": seasons, "one_race": one_race}
    return render(request, "races/series_detail.html", context)


def season_detail(request, series, year):
    season = get_object_or_404(
        Season.objects.select_related("series").annotate(
            has_standings=Exists(StandingsTable.objects.filter(season=OuterRef("pk")))
        ),
        series__slug=series,
        year=year,
    )
    rounds = list(season.rounds.with_pages())
    events = [r.event for r in rounds]
    classes = [sc.car_class for sc in season.season_classes.select_related("car_class")]
    # A championship's class winners are among its own registered cars: at Spa 2011 the
    # ILMC-only Peugeot won overall but is no Le Mans Series winner.
    winners = Result.objects.winners().filter(
        class_position=1, session__event__in=events, entry__registrations__season=season
    )
    others = Round.objects.filter(event__in=events).exclude(season=season).with_pages()
    classification.attach_calendar(rounds, classes, winners, others)
    context = {"season": season, "rounds": rounds, "classes": classes}
    return render(request, "races/season_detail.html", context)


def season_standings(request, series, year):
    season = get_object_or_404(
        Season.objects.select_related("series"), series__slug=series, year=year
    )
    page = standings_page.standings_page(season, request.GET.get("after", ""))
    return render(request, "races/season_standings.html", {"page": page})


def round_detail(request, series, year, event):
    round_ = get_object_or_404(
        Round.objects.with_pages().select_related("event__layout"),
        season__series__slug=series,
        season__year=year,
        event__slug=event,
    )
    event = round_.event
    championships = list(event.rounds.with_pages().order_by("season__series__name"))
    entries = sorted(
        event.entries.select_related("team", "car_class"), key=classification.entry_key
    )
    rows.attach_crews(
        entries,
        Crew.objects.for_event(event),
        Registration.objects.filter(entry__event=event).values_list("entry_id", "season_id"),
        {r.season_id: r.season for r in championships},
    )
    classes = SeasonClass.objects.filter(season_id=round_.season_id).select_related("car_class")
    sessions = classification.session_results(
        list(event.sessions.all()),
        Result.objects.filter(session__event=event),
        entries,
        [season_class.car_class for season_class in classes],
    )
    shared = len(championships) > 1
    # No car on record is registered for this championship (the ILMC at Le Mans 2011): say so
    # rather than let the entry list suggest that none took part.
    unregistered = bool(entries) and not any(
        season.pk == round_.season_id for entry in entries for season in entry.registered_for
    )
    context = {
        "round": round_,
        "event": event,
        "registrations_unknown": unregistered,
        "championships": championships,
        "entry_rows": [rows.entry_row(entry, shared) for entry in entries],
        "sessions": rows.title_sessions(rows.attach_result_rows(sessions)),
    }
    return render(request, "races/round_detail.html", context)


def team_list(request):
    table = TeamTable(Team.objects.annotate(entry_count=Count("entries")))
    configure_list(request, table)
    return render(request, "races/team_list.html", {"table": table})


def team_detail(request, slug):
    team = get_object_or_404(Team, slug=slug)
    entries = list(team.entries.with_crews().select_related("event__circuit"))
    results = Result.objects.in_races().filter(entry__team=team).select_related("session")
    rounds = Round.objects.filter(event__entries__team=team).with_pages().distinct()
    years = classification.entries_by_year(entries, results, rounds)
    return render(request, "races/team_detail.html", {"team": team, "years": years})


def circuit_list(request):
    table = CircuitTable(Circuit.objects.annotate(event_count=Count("events")))
    configure_list(request, table)
    return render(request, "races/circuit_list.html", {"table": table})


def circuit_detail(request, slug):
    circuit = get_object_or_404(Circuit.objects.prefetch_related("layouts"), slug=slug)
    rounds = list(
        Round.objects.filter(event__circuit=circuit)
        .with_pages()
        .order_by("-event__last_day", "season__series__name")
    )
    winners = Result.objects.winners().filter(position=1, session__event__circuit=circuit)
    races = classification.races_with_winners(rounds, winners)
    return render(request, "races/circuit_detail.html", {"circuit": circuit, "races": races})


def search_page(request):
    query = search.clean_query(request.GET.get("q", ""))
    found = {"drivers": [], "teams": [], "circuits": []}
    if query:
        found = {
            "drivers": list(Driver.objects.search(query)[: search.LIMIT]),
            "teams": list(Team.objects.search(query)[: search.LIMIT]),
            "circuits": list(Circuit.objects.search(query)[: search.LIMIT]),
        }
    return render(request, "races/search.html", {"query": query, **found, "limit": search.LIMIT})
