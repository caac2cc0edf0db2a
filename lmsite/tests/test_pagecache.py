"""The whole-page cache (lmsite/pagecache.py): what it keeps, under which key, for how long,
and what a hit costs."""

import datetime as dt
import re

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lmsite.tests.pagecache_urls import TURN
from races import writes

PAGES = [
    "/",
    "/series/",
    "/series/le-mans-series/",
    "/series/le-mans-series/2011/",
    "/series/le-mans-series/2011/standings/",
    "/series/le-mans-series/2011/6-hours-of-estoril/",
    "/drivers/",
    "/drivers/?sort=-name&page=1",
    "/drivers/pierre-kaffer/",
    "/teams/",
    "/teams/pecom-racing/",
    "/circuits/",
    "/circuits/autodromo-do-estoril/",
    "/search/?q=perez",
    "/de/",
    "/de/series/le-mans-series/2011/6-hours-of-estoril/",
    "/de/drivers/pierre-kaffer/",
    "/de/teams/",
    "/sitemap.xml",
    "/sitemap-drivers.xml",
]


@pytest.fixture
def page_cache(settings):
    settings.PAGE_CACHE = True
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def site(page_cache, grid):
    grid(3)


def advance_version():
    """A write to racing data, as every write path ends."""
    with writes.changes():
        writes.touch()


@pytest.mark.parametrize("url", PAGES)
def test_a_hit_runs_one_query_the_version_and_no_transaction(
    client, site, url, django_assert_num_queries
):
    first = client.get(url)
    assert first.status_code == 200
    assert first["X-Page-Cache"] == "miss"
    # No savepoint: ATOMIC_REQUESTS wraps only the view, which a hit never reaches.
    with django_assert_num_queries(1) as queries:
        second = client.get(url)
    assert "races_dataversion" in queries.captured_queries[0]["sql"].lower()
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content
    assert second["ETag"] == first["ETag"]
    assert second["Content-Type"] == first["Content-Type"]


@pytest.mark.parametrize("url", PAGES)
def test_a_miss_costs_the_view_its_own_queries_and_the_version(client, site, settings, url):
    settings.PAGE_CACHE = False
    with CaptureQueriesContext(connection) as uncached:
        client.get(url)
    settings.PAGE_CACHE = True
    with CaptureQueriesContext(connection) as miss:
        response = client.get(url)
    assert response["X-Page-Cache"] == "miss"
    assert len(miss) == len(uncached) + 1


@pytest.mark.parametrize(
    ("url", "kept"),
    [
        ("/drivers/pierre-kaffer/", ""),
        ("/de/teams/", ""),
        ("/drivers/", "sort=name"),
        ("/search/", "q=kaffer"),
        ("/series/le-mans-series/2011/standings/", "after=5"),
    ],
)
def test_parameters_the_view_does_not_read_are_dropped_before_it_runs(client, site, url, kept):
    marker = "zq7marker"
    query = f"?{kept}&x={marker}" if kept else f"?x={marker}"
    with_marker = client.get(url + query)
    plain = client.get(url + (f"?{kept}" if kept else ""))
    assert marker not in with_marker.content.decode()
    assert marker not in plain.content.decode()
    assert plain["X-Page-Cache"] == "hit"  # one entry for both addresses
    assert plain["ETag"] == with_marker["ETag"]


def test_parameters_the_view_reads_make_their_own_entries(client, site):
    kaffer = client.get("/search/?q=kaffer")
    pescarolo = client.get("/search/?q=collard")
    assert pescarolo["X-Page-Cache"] == "miss"
    assert kaffer["ETag"] != pescarolo["ETag"]
    assert "Collard" in pescarolo.content.decode()


def test_both_languages_have_their_own_entries(client, site):
    english = client.get("/drivers/pierre-kaffer/")
    german = client.get("/de/drivers/pierre-kaffer/")
    assert german["X-Page-Cache"] == "miss"
    assert english["ETag"] != german["ETag"]
    assert german["Content-Language"] == "de"
    assert '<html lang="de">' in german.content.decode()


def test_public_pages_say_public_and_do_not_vary_on_language_or_cookie(client, site):
    for url in ["/drivers/pierre-kaffer/", "/de/drivers/pierre-kaffer/"]:
        for response in (client.get(url), client.get(url)):
            assert "Vary" not in response
            control = response["Cache-Control"]
            assert re.fullmatch(r"public, max-age=\d+, stale-while-revalidate=\d+", control)
            assert response["Last-Modified"]
            assert "Content-Security-Policy" in response
        assert response["X-Page-Cache"] == "hit"


def test_anonymous_visitors_with_cookies_are_served_from_the_cache(client, site):
    client.get("/teams/")
    client.cookies["csrftoken"] = "a" * 32
    client.cookies["sessionid"] = "expired-session"
    response = client.get("/teams/")
    assert response["X-Page-Cache"] == "hit"
    assert "Vary" not in response


def test_if_none_match_and_if_modified_since_answer_304(client, site):
    page = client.get("/teams/pecom-racing/")
    again = client.get("/teams/pecom-racing/", headers={"if-none-match": page["ETag"]})
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == page["ETag"]
    since = client.get("/teams/pecom-racing/", headers={"if-modified-since": page["Last-Modified"]})
    assert since.status_code == 304
    other = client.get("/teams/pecom-racing/", headers={"if-none-match": '"1-other"'})
    assert other.status_code == 200


def test_if_none_match_compares_weakly_and_reads_lists(client, site):
    etag = client.get("/teams/")["ETag"]
    for header in (f"W/{etag}", f'"other", {etag}', "*"):
        response = client.get("/teams/", headers={"if-none-match": header})
        assert response.status_code == 304, header
        assert response["ETag"] == etag
        assert response["Cache-Control"].startswith("public")
        assert "Vary" not in response
    assert client.get("/teams/", headers={"if-none-match": '"other"'}).status_code == 200


def test_if_match_that_fails_answers_412(client, site):
    client.get("/teams/")
    response = client.get("/teams/", headers={"if-match": '"other"'})
    assert response.status_code == 412


def test_a_write_makes_the_next_request_render_anew_with_a_new_etag(
    client, site, django_assert_num_queries
):
    from drivers.models import Driver

    before = client.get("/drivers/pierre-kaffer/")
    with writes.changes():
        Driver.objects.filter(slug="pierre-kaffer").update(full_name="Pierre Kaffer Jr")
        writes.touch()
    after = client.get("/drivers/pierre-kaffer/", headers={"if-none-match": before["ETag"]})
    assert after.status_code == 200
    assert after["X-Page-Cache"] == "miss"
    assert "Pierre Kaffer Jr" in after.content.decode()
    assert after["ETag"] != before["ETag"]
    with django_assert_num_queries(1):
        assert client.get("/drivers/pierre-kaffer/")["X-Page-Cache"] == "hit"


def test_head_is_answered_from_the_same_entry(client, site):
    client.get("/teams/")
    response = client.head("/teams/")
    assert response.status_code == 200
    assert response["X-Page-Cache"] == "hit"


def test_logged_in_visitors_are_never_served_nor_stored(admin_client, client, site):
    response = admin_client.get("/drivers/pierre-kaffer/")
    assert response.status_code == 200
    assert "X-Page-Cache" not in response
    assert "ETag" not in response
    assert client.get("/drivers/pierre-kaffer/")["X-Page-Cache"] == "miss"
    assert "X-Page-Cache" not in admin_client.get("/drivers/pierre-kaffer/")


@pytest.mark.parametrize("url", ["/admin/login/", "/health/", "/drivers/nobody/", "/nope/"])
def test_the_admin_health_and_error_pages_are_never_cached(client, site, url):
    for _ in range(2):
        response = client.get(url)
        assert "ETag" not in response
        assert response.get("X-Page-Cache") in (None, "miss")
    assert not response.get("Cache-Control", "").startswith("public")


def test_a_post_to_a_public_page_is_not_cached(client, site):
    client.get("/teams/")
    response = client.post("/teams/")
    assert "X-Page-Cache" not in response


def test_an_unknown_host_is_refused_before_it_reaches_the_cache(client, site):
    response = client.get("/teams/", headers={"host": "evil.example"})
    assert response.status_code == 400
    assert "X-Page-Cache" not in response


def test_each_allowed_host_has_its_own_entry(client, site):
    localhost = client.get("/teams/", headers={"host": "localhost"})
    loopback = client.get("/teams/", headers={"host": "127.0.0.1"})
    assert loopback["X-Page-Cache"] == "miss"
    assert "http://localhost/teams/" in localhost.content.decode()
    assert "http://127.0.0.1/teams/" in loopback.content.decode()
    assert "localhost" not in loopback.content.decode()


@pytest.mark.urls("lmsite.tests.pagecache_urls")
@pytest.mark.parametrize("url", ["/token/", "/nonce/", "/private/", "/per-browser/"])
def test_a_page_with_a_per_request_value_is_not_stored(client, page_cache, db, url):
    first = client.get(url)
    assert first.status_code == 200
    assert "ETag" not in first
    assert "X-Page-Cache" not in first
    assert "X-Page-Cache" not in client.get(url)


def test_cached_pages_hold_no_csrf_token_or_nonce(client, site):
    for url in PAGES:
        html = client.get(url).content.decode()
        assert "csrfmiddlewaretoken" not in html
        assert "nonce" not in html


@pytest.mark.urls("lmsite.tests.pagecache_urls")
def test_a_page_that_changes_with_the_clock_is_kept_only_until_it_does(client, page_cache, db):
    with time_machine.travel(TURN - dt.timedelta(hours=1), tick=False) as clock:
        before = client.get("/clock/")
        assert "before" in before.content.decode()
        assert int(before["Cache-Control"].split("max-age=")[1]) <= 60
        clock.move_to(TURN - dt.timedelta(seconds=1))
        assert client.get("/clock/")["X-Page-Cache"] == "hit"
        clock.move_to(TURN + dt.timedelta(seconds=1))
        after = client.get("/clock/", headers={"if-none-match": before["ETag"]})
        assert after.status_code == 200
        assert "after" in after.content.decode()
        assert after["ETag"] != before["ETag"]


@pytest.mark.urls("lmsite.tests.pagecache_urls")
def test_a_home_page_cached_before_the_next_round_starts_is_not_served_after(
    client, page_cache, settings, grid
):
    from races.models import Event

    race = grid(3)
    race.event.status = Event.Status.SCHEDULED
    race.event.save()
    url = "/home-until-next-round/"
    # Estoril 2011 starts at midnight in Lisbon on 23 September (22 Sep, 23:00 UTC).
    with time_machine.travel(dt.datetime(2011, 9, 22, 12, tzinfo=dt.UTC), tick=False) as clock:
        before = client.get(url)
        assert client.get(url)["X-Page-Cache"] == "hit"
        clock.move_to(dt.datetime(2011, 9, 22, 23, 1, tzinfo=dt.UTC))
        after = client.get(url, headers={"if-none-match": before["ETag"]})
        assert after.status_code == 200
        assert after["X-Page-Cache"] == "miss"
        assert after["ETag"] != before["ETag"]
        settings.PAGE_CACHE = False
        assert after.content == client.get(url).content != before.content


def test_a_cache_that_does_not_answer_costs_a_render_not_the_page(client, grid, settings):
    grid(3)
    settings.PAGE_CACHE = True
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens on port 1
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }
    for _ in range(2):
        response = client.get("/drivers/pierre-kaffer/")
        assert response.status_code == 200
        assert "Pierre Kaffer" in response.content.decode()
        assert response["X-Page-Cache"] == "miss"


def test_a_career_page_showing_an_age_is_kept_only_until_the_birthday(client, site):
    from drivers.models import Driver

    Driver.objects.filter(slug="pierre-kaffer").update(birth_date=dt.date(1977, 2, 5))
    paris = dt.timezone(dt.timedelta(hours=1))  # Europe/Paris in winter
    url = "/drivers/pierre-kaffer/"
    with time_machine.travel(dt.datetime(2026, 2, 4, 12, tzinfo=paris), tick=False) as clock:
        before = client.get(url)
        assert "(age 48)" in before.content.decode()
        clock.move_to(dt.datetime(2026, 2, 4, 23, 59, tzinfo=paris))
        assert client.get(url)["X-Page-Cache"] == "hit"
        clock.move_to(dt.datetime(2026, 2, 5, 0, 0, 1, tzinfo=paris))
        after = client.get(url, headers={"if-none-match": before["ETag"]})
        assert after.status_code == 200
        assert after["X-Page-Cache"] == "miss"
        assert after["ETag"] != before["ETag"]
        assert "(age 49)" in after.content.decode()


def test_a_career_page_without_an_age_depends_on_the_data_alone(client, site):
    from drivers.models import Driver

    Driver.objects.filter(slug="pierre-kaffer").update(birth_date=None)
    response = client.get("/drivers/pierre-kaffer/")
    assert "Expires" not in response
    assert response["Cache-Control"].startswith("public, max-age=60, stale")


@pytest.mark.parametrize(
    ("url", "same"),
    [
        ("/drivers/?nationality=FR", "/drivers/?nationality=fr"),
        ("/drivers/?nationality=FR", "/drivers/?nationality=%20fr%20"),
        ("/drivers/", "/drivers/?nationality=xyz"),
        ("/drivers/", "/drivers/?page=1"),
        ("/drivers/", "/drivers/?sort=no-such-column"),
        ("/drivers/?sort=nationality", "/drivers/?sort=-full_name&sort=nationality"),
        ("/teams/", "/teams/?page=1&sort=bogus"),
        ("/circuits/", "/circuits/?page=01"),
        ("/search/?q=kaffer", "/search/?q=%20kaffer%20"),
    ],
)
def test_equivalent_addresses_share_one_entry(client, site, url, same):
    first = client.get(url)
    again = client.get(same)
    assert first.status_code == again.status_code == 200
    assert again["X-Page-Cache"] == "hit"
    assert again["ETag"] == first["ETag"]


@pytest.mark.parametrize(
    "url", ["/drivers/?page=999", "/drivers/?page=0", "/drivers/?page=abc", "/teams/?page=2"]
)
def test_a_page_number_out_of_range_is_not_found_and_not_kept(client, site, url):
    assert client.get(url).status_code == 404
    assert not any(key.startswith("page:") for key in cache._cache)  # locmem: nothing kept


PER_ANSWER = {"date", "content-length", "x-page-cache", "etag", "last-modified", "cache-control"}


@pytest.mark.parametrize("url", ["/drivers/pierre-kaffer/", "/de/teams/", "/sitemap.xml"])
def test_a_hit_and_a_304_carry_the_same_headers_as_a_miss(client, site, settings, url):
    settings.SECURE_CONTENT_TYPE_NOSNIFF = True
    miss = client.get(url)
    hit = client.get(url)
    not_modified = client.get(url, headers={"if-none-match": miss["ETag"]})
    assert (miss["X-Page-Cache"], hit["X-Page-Cache"], not_modified.status_code) == (
        "miss",
        "hit",
        304,
    )

    def kept(response, drop=()):
        return {
            name.lower(): value
            for name, value in response.headers.items()
            if name.lower() not in PER_ANSWER | set(drop)
        }

    assert kept(hit) == kept(miss)
    assert kept(not_modified) == kept(miss, drop={"content-type"})
    for name in ("x-frame-options", "content-security-policy", "permissions-policy"):
        assert name in kept(miss)


def test_a_hit_is_answered_before_the_session_and_locale_middleware(client, site, monkeypatch):
    """A hit or a 304 runs none of the middleware below the page cache: not the session,
    locale, CSRF or authentication middleware, nor URL resolution twice."""
    from django.middleware.locale import LocaleMiddleware

    url = "/de/drivers/pierre-kaffer/"
    etag = client.get(url)["ETag"]
    calls = []
    real = LocaleMiddleware.process_request
    monkeypatch.setattr(
        LocaleMiddleware, "process_request", lambda self, r: calls.append(r) or real(self, r)
    )
    hit = client.get(url)
    not_modified = client.get(url, headers={"if-none-match": etag})
    assert (hit["X-Page-Cache"], not_modified.status_code, calls) == ("hit", 304, [])
    assert hit["Content-Language"] == "de"
    assert client.get("/de/drivers/").status_code == 200
    assert len(calls) == 1
