"""Answers while the database cannot be reached (docs/decisions/0018-outages.md).

A public page in the cache is still served from it (lmsite/pagecache.py keeps the last data
version read, per process and in the cache for every process, for `PAGE_CACHE_STALE_SECONDS`).
Every other request that meets a connection error of the database (`OperationalError`,
`InterfaceError`: PostgreSQL restarting, refusing connections, a connection dropped
mid-request) is answered with the styled 503 page below, with `Retry-After`, never a traceback:
the page cache's own lookup, `DatabaseOutageMiddleware` for views (public pages, the admin, the
import) and `server_error` (handler500) for what middleware raises outside a view (a session
read or saved). The page is drawn from the request alone: the templates read no table, and
context processors that could (the user, the messages) are lazy and unused by it.

The connection that failed is not reused: Django marks it (`errors_occurred`) and, with
CONN_HEALTH_CHECKS, closes it at the end of the request if it no longer answers; the next
request opens a new one, so the site recovers by itself when the database is back.
"""

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.views import defaults

logger = logging.getLogger(__name__)

# The classes of error that can mean "the database is not reachable just now"; `is_outage`
# tells such an error from a bug in a query, a deadlock or a missing table, which stay 500s.
OUTAGE_ERRORS = (OperationalError, InterfaceError)
# PostgreSQL's SQLSTATEs of a connection that failed (class 08) or a server shutting down.
CONNECTION_STATES = ("08", "57P01", "57P02", "57P03")
# SQLite's words for a database file it cannot open or read.
SQLITE_UNREACHABLE = ("unable to open database", "disk i/o error")
# Seconds a client is asked to wait before trying again: a PostgreSQL restart takes a few.
RETRY_AFTER = 30
PLAIN = "503 Service Unavailable: the database cannot be reached. Please try again shortly.\n"


def unavailable(request, language=None):
    """The styled 503 answer for `request`, in `language` (or the active one)."""
    language = language or translation.get_language()
    with translation.override(language):
        try:
            body = render_to_string("503.html", request=request)
            content_type = "text/html; charset=utf-8"
        except Exception:
            # A page that cannot be drawn either (a host outside ALLOWED_HOSTS…): plain words.
            logger.warning("the 503 page could not be drawn", exc_info=True)
            body, content_type = PLAIN, "text/plain; charset=utf-8"
    response = HttpResponse(body, status=503, content_type=content_type)
    response["Retry-After"] = str(RETRY_AFTER)
    response["Cache-Control"] = "no-store"
    response["Content-Language"] = language
    return response


def is_outage(error):
    """Whether `error` says the database cannot be reached, rather than that a statement failed:
    an `InterfaceError` (the connection is gone), or an `OperationalError` whose driver error
    has a connection SQLSTATE, or none at all (psycopg's "connection failed" carries none), or
    is SQLite's own words for a file it cannot open. A deadlock, a statement timeout or a
    missing table is an `OperationalError` too, and stays a 500 with its traceback logged."""
    if isinstance(error, InterfaceError):
        return True
    if not isinstance(error, OperationalError):
        return False
    cause = error.__cause__
    state = getattr(cause, "sqlstate", None)
    if state:
        return state.startswith(CONNECTION_STATES)
    if type(cause).__module__ == "sqlite3":
        return any(words in str(cause).lower() for words in SQLITE_UNREACHABLE)
    return True


class DatabaseOutageMiddleware:
    """A view (with its transaction, ATOMIC_REQUESTS) that meets an unreachable database
    answers the 503 page. Last in MIDDLEWARE, so that its process_exception runs first."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not is_outage(exception):
            return None
        logger.warning("database unavailable, 503 for %s: %s", request.path, exception)
        return unavailable(request)


def server_error(request):
    """handler500: the 503 page when the error was the database's absence (raised by
    middleware, outside any view), Django's own 500 page otherwise."""
    if is_outage(sys.exc_info()[1]):
        return unavailable(request)
    return defaults.server_error(request)
