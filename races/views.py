"""The public pages of the racing data: home, series, seasons, rounds, teams, circuits, search.

Each view looks its page up, builds the page's object (races/pages.py) and renders it; an
unknown slug answers 404. The query count of every page is pinned in races/tests/test_views_*.py.
"""

from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.cache import patch_response_headers

from races import pages, standings_page
from races.models import Season, TeamRedirect


@transaction.non_atomic_requests
def health(request):
    return HttpResponse("ok", content_type="text/plain")


def found(page):
    """`page`, or 404 when its slugs named nothing."""
    if page is None:
        raise Http404
    return page


def home(request):
    now = timezone.now()
    page = pages.home_page(now)
    response = render(request, "races/home.html", {"page": page})
    # The clock changes this page (the next round starts, its countdown ticks, it becomes the
    # latest): a cache keeps it until then.
    seconds = page.seconds_valid(now)
    if seconds is not None:
        patch_response_headers(response, cache_timeout=seconds)
    return response


def series_list(request):
    page = pages.series_list_page()
    return render(request, "races/series_list.html", {"page": page})


def series_detail(request, series):
    page = found(pages.series_page(series))
    return render(request, "races/series_detail.html", {"page": page})


def season_detail(request, series, year):
    page = found(pages.calendar_page(series, year))
    return render(request, "races/season_detail.html", {"page": page})


def season_standings(request, series, year):
    season = get_object_or_404(
        Season.objects.select_related("series"), series__slug=series, year=year
    )
    page = standings_page.standings_page(season, request.GET.get("after", ""))
    return render(request, "races/season_standings.html", {"page": page})


def round_detail(request, series, year, event):
    page = found(pages.round_page(series, year, event))
    return render(request, "races/round_detail.html", {"page": page})


def team_list(request):
    page = found(pages.team_list_page(request.GET.get("sort", ""), request.GET.get("page", "")))
    return render(request, "races/team_list.html", {"page": page})


def team_detail(request, slug):
    page = pages.team_page(slug)
    if page is None:
        # A slug merged away answers 301 to the kept team's page (races/merging.py).
        moved = TeamRedirect.objects.select_related("team").filter(old_slug=slug).first()
        if moved is None:
            raise Http404
        return redirect(moved.team, permanent=True)
    return render(request, "races/team_detail.html", {"page": page})


def circuit_list(request):
    sort, number = request.GET.get("sort", ""), request.GET.get("page", "")
    page = found(pages.circuit_list_page(sort, number))
    return render(request, "races/circuit_list.html", {"page": page})


def circuit_detail(request, slug):
    page = found(pages.circuit_page(slug))
    return render(request, "races/circuit_detail.html", {"page": page})


def search_page(request):
    page = pages.search_page(request.GET.get("q", ""))
    return render(request, "races/search.html", {"page": page})
