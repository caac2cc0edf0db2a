"""The site's URLs plus small pages that exercise what the page cache must refuse or expire."""

import datetime as dt

from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.urls import path
from django.utils import timezone
from django.utils.cache import get_max_age, patch_response_headers

from lmsite.pagecache import public_page
from lmsite.urls import urlpatterns as site_patterns
from races import views
from races.models import Round

# The clock page's content changes once, at this instant.
TURN = dt.datetime(2030, 6, 1, 12, tzinfo=dt.UTC)


def clock(request):
    now = timezone.now()
    response = HttpResponse(f"<p>{'after' if now >= TURN else 'before'} the turn</p>")
    if now < TURN:
        patch_response_headers(response, cache_timeout=int((TURN - now).total_seconds()))
    return response


def home_until_next_round(request):
    """The home page, kept until its next round starts, as the home view itself says once it
    sets its own max-age (then this adds nothing)."""
    response = views.home(request)
    if get_max_age(response) is None:
        upcoming = Round.objects.upcoming(timezone.localdate()).first()
        if upcoming is not None:
            starts = views.event_start(upcoming.event)
            seconds = int((starts - timezone.now()).total_seconds())
            if seconds > 0:
                patch_response_headers(response, cache_timeout=seconds)
    return response


def with_token(request):
    return HttpResponse(f"<input name=csrfmiddlewaretoken value={get_token(request)}>")


def with_nonce(request):
    return HttpResponse(f"<script nonce={request._csp_nonce}></script>")


def private(request):
    response = HttpResponse("<p>yours</p>")
    response["Cache-Control"] = "private"
    return response


def per_browser(request):
    response = HttpResponse("<p>for your browser</p>")
    response["Vary"] = "User-Agent"
    return response


urlpatterns = [
    path("per-browser/", public_page(per_browser)),
    path("clock/", public_page(clock), name="clock"),
    path("home-until-next-round/", public_page(home_until_next_round)),
    path("token/", public_page(with_token)),
    path("nonce/", public_page(with_nonce)),
    path("private/", public_page(private)),
    *site_patterns,
]
