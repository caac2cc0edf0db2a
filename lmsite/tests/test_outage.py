"""Pages while the database or the cache is gone (lmsite/outage.py, lmsite/pagecache.py):
cached pages served under the last data version read, a styled 503 with Retry-After for the
rest, a cache that fails rendered around and asked again after a pause, and recovery."""

import io
import re
import sqlite3
import time
from contextlib import contextmanager

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from django.core.cache.backends.locmem import LocMemCache
from django.core.handlers.wsgi import WSGIHandler
from django.db import InterfaceError, OperationalError, connection
from django.test import Client, RequestFactory

from lmsite import pagecache
from lmsite.outage import RETRY_AFTER, is_outage, server_error
from races import writes

ROUND = "/series/le-mans-series/2011/6-hours-of-estoril/"


@pytest.fixture
def page_cache(settings):
    settings.PAGE_CACHE = True
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def site(page_cache, grid):
    grid(3)


class Refused:
    """An execute wrapper that fails every statement as a PostgreSQL that is down does, and
    counts them."""

    def __init__(self, error=OperationalError):
        self.error = error
        self.statements = []

    def __call__(self, execute, sql, params, many, context):
        self.statements.append(sql)
        raise self.error("connection to server at 127.0.0.1, port 5432 failed: refused")


@contextmanager
def database_down(error=OperationalError):
    refused = Refused(error)
    with connection.execute_wrapper(refused):
        yield refused


def assert_outage_page(response, language="en"):
    assert response.status_code == 503
    assert response["Retry-After"] == str(RETRY_AFTER)
    assert response["Cache-Control"] == "no-store"
    assert response["Content-Type"] == "text/html; charset=utf-8"
    body = response.content.decode()
    assert "Traceback" not in body
    assert "OperationalError" not in body
    assert f'<html lang="{language}">' in body
    assert 'class="site-header"' in body  # styled: base.html
    assert "css/site.css" in body
    assert re.search(r"<h1>[^<]+</h1>", body)
    return body


# The data version cannot be read


def test_a_cached_page_is_served_under_the_last_version_while_the_database_is_down(client, site):
    first = client.get(ROUND)
    assert first["X-Page-Cache"] == "miss"
    with database_down() as refused:
        response = client.get(ROUND)
    assert refused.statements  # it did ask the database first
    assert response.status_code == 200
    assert response["X-Page-Cache"] == "stale"
    assert response.content == first.content
    assert response["ETag"] == first["ETag"]


def test_a_cached_page_answers_304_to_its_etag_while_the_database_is_down(client, site):
    etag = client.get(ROUND)["ETag"]
    with database_down():
        response = client.get(ROUND, headers={"If-None-Match": etag})
    assert response.status_code == 304
    assert response["X-Page-Cache"] == "stale"


def test_a_page_not_in_the_cache_answers_503_while_the_database_is_down(client, site):
    client.get(ROUND)  # the version is read: the process has a last version
    with database_down():
        response = client.get("/drivers/pierre-kaffer/")
    assert_outage_page(response)


def test_a_worker_with_no_version_of_its_own_serves_the_one_kept_in_the_cache(client, site):
    first = client.get(ROUND)
    pagecache.last_version.forget()  # a worker started while the database was down
    with database_down():
        response = client.get(ROUND)
        assert_outage_page(client.get("/drivers/pierre-kaffer/"))  # never kept
    assert response.status_code == 200
    assert response["X-Page-Cache"] == "stale"
    assert response["ETag"] == first["ETag"]


def test_a_cached_page_answers_503_when_no_process_has_kept_a_version(client, site):
    client.get(ROUND)
    pagecache.last_version.forget()
    cache.delete(pagecache.SHARED_VERSION_KEY)  # the entry lapsed (or was evicted)
    with database_down():
        response = client.get(ROUND)
    assert_outage_page(response)


def age(seconds):
    """The process's last version and the cache's, read `seconds` earlier than they were."""
    last = pagecache.last_version
    last.read_at -= seconds
    last.share(last.version, read_at=time.time() - (time.monotonic() - last.read_at))


def test_a_cached_page_answers_503_once_the_last_version_is_older_than_the_bound(
    client, site, settings
):
    settings.PAGE_CACHE_STALE_SECONDS = 300
    client.get(ROUND)
    age(299)
    with database_down():
        assert client.get(ROUND).status_code == 200
    age(2)
    with database_down():
        response = client.get(ROUND)
    assert_outage_page(response)


@pytest.mark.parametrize(("shared_age", "status"), [(299, 200), (301, 503)])
def test_a_worker_idle_past_the_bound_serves_the_cache_s_version_within_it(
    client, site, settings, shared_age, status
):
    settings.PAGE_CACHE_STALE_SECONDS = 300
    client.get(ROUND)
    last = pagecache.last_version
    last.read_at -= 1000  # this worker's own version is too old to serve
    last.share(last.version, read_at=time.time() - shared_age)  # another worker's read
    with database_down():
        response = client.get(ROUND)
    assert response.status_code == status


def test_the_newer_of_the_worker_s_version_and_the_cache_s_is_served(client, site):
    client.get(ROUND)  # kept under the current version
    current = pagecache.last_version.version
    older = writes.Version(current.number - 1, current.changed_at)
    with database_down():
        pagecache.last_version.share(older, read_at=time.time())  # a slower worker's read
        assert client.get(ROUND)["X-Page-Cache"] == "stale"  # this worker's, the newer
        pagecache.last_version.forget()
        pagecache.last_version.version = older  # a worker that read the old one…
        pagecache.last_version.read_at = time.monotonic()
        pagecache.last_version.share(current, read_at=time.time())  # …and another the new one
        assert client.get(ROUND)["X-Page-Cache"] == "stale"


def test_a_failing_cache_leaves_the_worker_its_own_version(client, site, flaky_cache):
    client.get(ROUND)
    own = pagecache.last_version.version
    flaky_cache.down = True
    with database_down():
        assert pagecache.last_version.read() == (own, True)
        calls = flaky_cache.calls
        assert pagecache.last_version.read() == (own, True)
        assert flaky_cache.calls == calls  # not asked again before the retry time
        assert_outage_page(client.get(ROUND))  # the page is in that cache: nothing to serve


def test_the_version_is_kept_in_the_cache_when_it_changes_and_every_few_seconds(client, site):
    client.get(ROUND)
    key = pagecache.SHARED_VERSION_KEY
    number, _changed_at, read_at = cache.get(key)
    assert number == pagecache.last_version.version.number
    assert time.time() - 5 < read_at <= time.time()
    cache.delete(key)
    client.get(ROUND)
    assert cache.get(key) is None  # not written on every request
    pagecache.last_version.shared_at -= pagecache.SHARE_EVERY
    client.get(ROUND)
    assert cache.get(key)[0] == number
    with writes.changes():
        writes.touch()
    cache.delete(key)
    client.get(ROUND)
    assert cache.get(key)[0] == number + 1  # a new version: at once


def test_an_interface_error_is_an_outage_too(client, site):
    client.get(ROUND)
    with database_down(InterfaceError):
        assert client.get(ROUND)["X-Page-Cache"] == "stale"
        assert_outage_page(client.get("/teams/"))


def test_the_site_reads_the_version_again_when_the_database_is_back(client, site):
    client.get(ROUND)
    with database_down():
        assert client.get(ROUND)["X-Page-Cache"] == "stale"
        assert client.get("/teams/").status_code == 503
    with writes.changes():
        writes.touch()  # written while this process could not see it
    response = client.get(ROUND)
    assert response.status_code == 200
    assert response["X-Page-Cache"] == "miss"  # the new version: drawn anew
    assert client.get("/teams/").status_code == 200


# The 503 page


def test_the_503_page_is_translated_under_de(client, site):
    client.get(ROUND)
    with database_down():
        english = assert_outage_page(client.get("/teams/"))
        response = client.get("/de/teams/")
    german = assert_outage_page(response, language="de")
    assert response["Content-Language"] == "de"
    assert "Back in a moment" in english
    assert "Gleich wieder da" in german
    assert "Back in a moment" not in german


def test_the_503_page_is_drawn_without_a_query(client, site, django_assert_num_queries):
    client.get(ROUND)
    with database_down() as refused, django_assert_num_queries(1):
        response = client.get("/teams/")
    assert response.status_code == 503
    # The one statement tried is the version's, refused; the page asked for nothing more.
    assert len(refused.statements) == 1
    assert "races_dataversion" in refused.statements[0].lower()


def test_a_view_that_meets_the_database_down_answers_503(client, site, settings):
    settings.PAGE_CACHE = False  # no cache in front: the view's own first query fails
    with database_down():
        response = client.get("/drivers/pierre-kaffer/")
    assert_outage_page(response)


def test_the_admin_and_the_import_answer_503_while_the_database_is_down(client, estoril):
    User.objects.create_superuser("editor", "editor@example.com", "a-long-password-1")
    client.force_login(User.objects.get(username="editor"))
    pages = ["/admin/", f"/admin/races/event/{estoril.event.pk}/import/", "/admin/login/"]
    with database_down():
        for url in pages:
            assert_outage_page(client.get(url))
        assert_outage_page(Client().get("/admin/login/"))


def test_a_database_error_raised_outside_a_view_answers_503_not_500():
    request = RequestFactory().get("/teams/")
    try:
        raise OperationalError("the database system is shutting down")
    except OperationalError:
        response = server_error(request)
    assert_outage_page(response)
    try:
        raise ValueError("a bug")
    except ValueError:
        assert server_error(request).status_code == 500


def test_a_session_that_cannot_be_read_answers_503(site, settings):
    client = Client(raise_request_exception=False)
    client.cookies[settings.SESSION_COOKIE_NAME] = "somesessionkey"
    client.get(ROUND)
    with database_down():
        assert_outage_page(client.get(ROUND))


# A cache that fails


class FlakyCache(LocMemCache):
    """A local-memory cache that raises, as a stopped Redis does, while `down` is set."""

    down = False
    calls = 0

    def get(self, *args, **kwargs):
        type(self).calls += 1
        if type(self).down:
            raise ConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")
        return super().get(*args, **kwargs)

    def set(self, *args, **kwargs):
        type(self).calls += 1
        if type(self).down:
            raise ConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")
        return super().set(*args, **kwargs)


@pytest.fixture
def flaky_cache(settings, page_cache):
    settings.CACHES = {
        "default": {"BACKEND": f"{__name__}.FlakyCache", "LOCATION": "flaky"},
    }
    FlakyCache.down, FlakyCache.calls = False, 0
    cache.clear()
    yield FlakyCache
    FlakyCache.down = False
    cache.clear()


def test_a_cache_that_raises_on_get_and_set_is_rendered_around(client, site, flaky_cache):
    flaky_cache.down = True
    for _ in range(3):
        response = client.get(ROUND)
        assert response.status_code == 200
        assert response["X-Page-Cache"] == "miss"
        assert b"Estoril" in response.content


def test_a_failed_cache_is_not_asked_again_until_the_retry_time(
    client, site, flaky_cache, settings
):
    settings.PAGE_CACHE_RETRY_SECONDS = 5
    flaky_cache.down = True
    client.get(ROUND)
    assert flaky_cache.calls == 1  # the get failed: the set is not tried
    for _ in range(5):
        assert client.get(ROUND).status_code == 200
    assert flaky_cache.calls == 1


def test_caching_resumes_when_the_cache_is_back(client, site, flaky_cache):
    flaky_cache.down = True
    assert client.get(ROUND)["X-Page-Cache"] == "miss"
    flaky_cache.down = False
    assert client.get(ROUND)["X-Page-Cache"] == "miss"  # within the retry time: not asked
    pagecache.breaker.open_until -= 10  # the retry time has passed
    assert client.get(ROUND)["X-Page-Cache"] == "miss"  # asked, and kept
    assert client.get(ROUND)["X-Page-Cache"] == "hit"


def test_a_cache_that_only_fails_to_keep_still_serves_the_page(client, site, flaky_cache):
    original = FlakyCache.set

    def refuse(self, *args, **kwargs):
        raise TimeoutError("Timeout reading from 127.0.0.1:6379")

    FlakyCache.set = refuse
    try:
        response = client.get(ROUND)
    finally:
        FlakyCache.set = original
    assert response.status_code == 200
    assert not pagecache.breaker.closed()


# PostgreSQL: a connection dropped mid-request


def wsgi_get(handler, path):
    """`path` through Django's own WSGI handler, as gunicorn runs it: request_started and
    request_finished (which close a broken connection) are sent."""
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "80",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(),
    }
    status = []
    body = b"".join(handler(environ, lambda s, headers, exc_info=None: status.append(s)))
    return int(status[0].split()[0]), body


@pytest.mark.django_db(transaction=True)
def test_a_connection_dropped_mid_request_is_replaced_on_the_next_request(grid, settings):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL drops a connection; SQLite has none to drop")
    settings.PAGE_CACHE = False
    grid(3)
    handler = WSGIHandler()
    assert wsgi_get(handler, ROUND)[0] == 200
    before = connection.connection.info.backend_pid

    def dropped(execute, sql, params, many, context):
        # Another session ends this one, as a PostgreSQL restart does, before the query.
        other = connection.copy()
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [before])
        other.close()
        return execute(sql, params, many, context)

    with connection.execute_wrapper(dropped):
        status, body = wsgi_get(handler, ROUND)
    assert status == 503
    assert b"Traceback" not in body
    # The broken connection is not kept for the next request.
    kept = connection.connection
    assert kept is None or kept.info.backend_pid != before
    assert wsgi_get(handler, ROUND)[0] == 200
    assert connection.connection.info.backend_pid != before


class DriverError(Exception):
    """A driver's own error as psycopg raises it, with its SQLSTATE."""

    def __init__(self, message, sqlstate):
        super().__init__(message)
        self.sqlstate = sqlstate


def wrapped(message, cause, error=OperationalError):
    """`error` as Django raises it: the driver's error as its cause."""
    wrapper = error(message)
    wrapper.__cause__ = cause
    return wrapper


@pytest.mark.parametrize(
    "cause",
    [
        DriverError("connection failed", None),
        DriverError("server closed the connection unexpectedly", "08006"),
        DriverError("terminating connection due to administrator command", "57P01"),
        sqlite3.OperationalError("unable to open database file"),
    ],
)
def test_a_connection_that_fails_is_an_outage(cause):
    assert is_outage(wrapped(str(cause), cause))


@pytest.mark.parametrize(
    "cause",
    [
        DriverError("deadlock detected", "40P01"),
        DriverError("canceling statement due to statement timeout", "57014"),
        sqlite3.OperationalError("no such table: races_dataversion"),
    ],
)
def test_a_statement_that_fails_is_not_an_outage(cause):
    assert not is_outage(wrapped(str(cause), cause))


def test_a_missing_table_is_an_error_not_a_stale_page(site, client):
    client.get(ROUND)  # the version read and the page kept
    missing = sqlite3.OperationalError("no such table: races_dataversion")

    def fails(execute, sql, params, many, context):
        raise wrapped(str(missing), missing)

    with connection.execute_wrapper(fails), pytest.raises(OperationalError):
        client.get(ROUND)
