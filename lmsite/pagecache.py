"""Whole public pages from Django's cache framework (docs/decisions/0016-page-cache.md).

A view wrapped in `public_page(view, params=(...))` (races/urls.py, drivers/urls.py,
lmsite/urls.py) is a public page: the same for every visitor, in the language of its address.
`PageCacheMiddleware` keeps its response under a key made of the data version
(`races.writes.current_version()`, which every write advances in its own transaction), the
validated host, the scheme, the language, the path and the query parameters the view reads.
Every other parameter is dropped before the view runs, so a page can carry no value a visitor
put into its address, and `?utm_source=…` costs no extra entry.

A hit (or a 304) of an anonymous visitor without a session cookie is answered as the request
enters this middleware, before the session, locale, CSRF and authentication middleware and the
view's transaction (ATOMIC_REQUESTS wraps only the view): one SQL query, the version; the
security headers come from the middleware above. Other requests are looked up in
`process_view`. A write moves the version, so the next request of
every process, sharing a Redis cache or each with its own local memory, renders anew.

A page whose content changes with the clock (home's next round) says so with `Expires` or
`Cache-Control: max-age` (`patch_response_headers`): the entry lives no longer than that, and
the time it ends is part of its ETag. The admin, the import, `/health/`, logged-in visitors,
methods other than GET and HEAD, and any response but a plain 200 that sets no cookie and used
no CSRF token or CSP nonce are never kept.

Outages (docs/decisions/0018-outages.md). When the version cannot be read (PostgreSQL
restarting or unreachable), the newest of the last version this process read and the last one
kept in the cache by any process (a worker idle for long, or started during the outage, has
none of its own) is used for at most `PAGE_CACHE_STALE_SECONDS` after it was read: a page in
the cache under it is served (`X-Page-Cache: stale`), any other request answers the 503 page
of lmsite/outage.py, as it does once that bound is over. A cache that fails (Redis stopped or
not answering within its 0.5 s timeouts) is a miss, the page is rendered, and the cache is left
alone for `PAGE_CACHE_RETRY_SECONDS` so that a worker does not pay a timeout on every request
while it is down; the next request after that tries it again, and caching resumes when it
answers.
"""

import hashlib
import logging
import math
import time
from dataclasses import dataclass
from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse, HttpResponseNotModified, QueryDict
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.cache import get_conditional_response, get_max_age
from django.utils.http import http_date, parse_http_date_safe

from lmsite.outage import OUTAGE_ERRORS, is_outage, unavailable
from races.writes import Version, current_version

logger = logging.getLogger(__name__)

# How long browsers and shared proxies may keep a page before asking again (with If-None-Match:
# a 304 costs one query), and how long after that they may still show it while they ask.
BROWSER_MAX_AGE = 60
STALE_WHILE_REVALIDATE = 300
# The longest an entry lives in the server's cache. A write makes every entry unreachable at
# once (the version is in the key); this only lets the old ones go.
ENTRY_LIFETIME = 24 * 3600

# Headers that middleware adds to each response (or that this module sets): never stored.
PER_RESPONSE_HEADERS = {
    "cache-control",
    "content-language",
    "content-length",
    "content-security-policy",
    "content-security-policy-report-only",
    "date",
    "etag",
    "expires",
    "last-modified",
    "vary",
    "x-frame-options",
    "x-page-cache",
}
# Vary values that public pages do not depend on: the language is in the address, and a
# logged-in visitor is never served from the cache.
NOT_VARYING = {"accept-language", "cookie"}
# The last data version a process read, in the page cache with when it was read: (number,
# changed_at, time.time()). Each process writes it when it reads a new version and again every
# SHARE_EVERY seconds, so it may be that much older than the last read.
SHARED_VERSION_KEY = "page:last-version"
SHARE_EVERY = 10


class LastVersion:
    """The data version this process read last, and when (time.monotonic()); the page cache
    keeps the last one any process read too (`SHARED_VERSION_KEY`, with when, time.time()), so
    that a worker that has read none lately can still serve cached pages during an outage."""

    def __init__(self):
        self.forget()

    def read(self):
        """(version, stale): the version as committed, or, when the database does not answer,
        the newest of this process's last version and the cache's that was read at most
        PAGE_CACHE_STALE_SECONDS ago (stale). Otherwise the database's error is raised."""
        try:
            version = current_version()
        except OUTAGE_ERRORS as error:
            if is_outage(error):
                last = self.newest()
                if last is not None:
                    return last, True
            raise
        self.version, self.read_at = version, time.monotonic()
        self.share(version)
        return version, False

    def newest(self):
        """The highest of the last versions read within PAGE_CACHE_STALE_SECONDS, this
        process's or the cache's, or None. A cache that fails gives none (the breaker)."""
        bound = settings.PAGE_CACHE_STALE_SECONDS
        fresh = []
        if self.version is not None and time.monotonic() - self.read_at <= bound:
            fresh.append(self.version)
        shared = recall(SHARED_VERSION_KEY)
        if shared is not None:
            number, changed_at, read_at = shared
            if time.time() - read_at <= bound:
                fresh.append(Version(number, changed_at))
        return max(fresh, key=lambda version: version.number, default=None)

    def share(self, version, read_at=None):
        """Keep `version`, read at `read_at` (time.time(), now by default), in the cache for
        every process: when it differs from the one this process kept last, and otherwise every
        SHARE_EVERY seconds, not on every request."""
        now = time.monotonic()
        if read_at is None and version == self.shared and now - self.shared_at < SHARE_EVERY:
            return
        value = (version.number, version.changed_at, time.time() if read_at is None else read_at)
        # It is worth nothing once older than the bound: let it go then.
        if keep(SHARED_VERSION_KEY, value, max(1, settings.PAGE_CACHE_STALE_SECONDS)):
            self.shared, self.shared_at = version, now

    def forget(self):
        """This process's own memory only, as a new worker starts."""
        self.version, self.read_at = None, 0.0
        self.shared, self.shared_at = None, 0.0


class Breaker:
    """After the cache fails, it is not asked again for PAGE_CACHE_RETRY_SECONDS: a Redis that
    stopped answering costs one timeout per period and worker, not one per request."""

    def __init__(self):
        self.open_until = 0.0

    def closed(self):
        return time.monotonic() >= self.open_until

    def trip(self, doing, key):
        if self.closed():  # once a period in the log, not once a request
            logger.warning(
                "page cache unavailable (%s %s); rendering pages without it for %ss",
                doing,
                key,
                settings.PAGE_CACHE_RETRY_SECONDS,
                exc_info=True,
            )
        self.open_until = time.monotonic() + settings.PAGE_CACHE_RETRY_SECONDS

    def reset(self):
        self.open_until = 0.0


last_version = LastVersion()
breaker = Breaker()


def public_page(view, params=()):
    """`view` as a cacheable public page that reads only the query parameters `params`: names,
    or a mapping of each name to the cleaner the view applies to its value (a function from
    the raw value to the value the view uses, "" for none), so that addresses the view reads
    alike (`?nationality=fr`, `?nationality=FR`) are one entry."""

    @wraps(view)
    def page(request, *args, **kwargs):
        return view(request, *args, **kwargs)

    if not hasattr(params, "items"):
        params = dict.fromkeys(params)
    page.page_params = tuple(params.items())
    return page


@dataclass(frozen=True)
class CachedPage:
    """One stored response: its body, the view's own headers and its validators."""

    content: bytes
    headers: tuple[tuple[str, str], ...]
    etag: str
    last_modified: int  # seconds since the epoch
    expires_at: int | None  # seconds since the epoch, for a page that changes with the clock

    def fresh(self, now):
        return self.expires_at is None or now < self.expires_at


@dataclass(frozen=True)
class PageRequest:
    """What process_view decided about a request, for the way back out."""

    key: str
    version_number: int
    changed_at: float
    hit: bool


def keep_only(request, params):
    """Replace the request's query by the parameters the view reads, in their order: each one
    value, the last, as `request.GET.get()` reads it, cleaned by the view's own cleaner; a value
    it cleans to "" is dropped."""
    pairs = []
    for name, clean in params:
        value = request.GET.get(name)
        if value is not None and clean is not None:
            value = clean(value)
        if value:
            pairs.append((name, value))
    query = urlencode(pairs)
    if query != request.META.get("QUERY_STRING", ""):
        request.GET = QueryDict(query)
        request.META["QUERY_STRING"] = query
    return pairs


def page_key(request, version_number, pairs, language):
    # get_host() checks the host against ALLOWED_HOSTS (DisallowedHost, a 400, otherwise): a
    # forged Host header can neither reach the cache nor fill it.
    parts = (
        request.scheme,
        request.get_host(),
        language,
        request.path,
        tuple(pairs),
    )
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()[:32]
    return f"page:{version_number}:{digest}"


def logged_in(request):
    """A visitor with a session whose user is authenticated. Without a session cookie the
    session is not read at all (no query, no `Vary: Cookie`)."""
    if settings.SESSION_COOKIE_NAME not in request.COOKIES:
        return False
    return request.user.is_authenticated


class PageCacheMiddleware:
    """Serves and stores public pages; placed above the session and locale middleware so that
    it sees, and trims, the `Vary` they add."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        early = self.answer_early(request)
        if early is not None:
            return early
        response = self.get_response(request)
        page = getattr(request, "page_cache", None)
        if page is None:
            return response
        if page.hit:
            trim_vary(response)
            return response
        if not storable(request, response):
            return response
        entry = stored_page(response, page)
        remember(page.key, entry)
        return page_response(request, entry, response, hit=False)

    def answer_early(self, request):
        """A hit or a 304 before the middleware below runs (sessions, language, CSRF,
        authentication…), for an anonymous GET or HEAD without a session cookie: the page's
        view and language come from the path as LocaleMiddleware and the resolver would find
        them. A miss goes on down the stack, its lookup done (process_view does not repeat it).
        The middleware above (security headers, CSP, framing) handles the answer as any other.
        """
        if not settings.PAGE_CACHE or request.method not in ("GET", "HEAD"):
            return None
        if settings.SESSION_COOKIE_NAME in request.COOKIES:
            return None  # perhaps logged in: decided below, once the session is read
        language = translation.get_language_from_path(request.path_info)
        language = language or settings.LANGUAGE_CODE
        with translation.override(language):
            try:
                match = resolve(request.path_info, getattr(request, "urlconf", None))
            except Resolver404:
                return None
        params = getattr(match.func, "page_params", None)
        if params is None:
            return None
        response = self.look_up(request, params, language)
        if response is not None:
            response.headers.setdefault("Content-Language", language)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if hasattr(request, "page_cache"):
            return None  # looked up by answer_early: a miss
        params = getattr(view_func, "page_params", None)
        if params is None or not settings.PAGE_CACHE:
            return None
        try:
            if request.method not in ("GET", "HEAD") or logged_in(request):
                keep_only(request, params)
                return None
        except OUTAGE_ERRORS as error:  # the session could not be read
            if not is_outage(error):
                raise
            return unavailable(request)
        return self.look_up(request, params, request.LANGUAGE_CODE)

    def look_up(self, request, params, language):
        """The stored answer (a hit or a 304), or None with `request.page_cache` set for the
        way back out."""
        pairs = keep_only(request, params)
        try:
            version, stale = last_version.read()
        except OUTAGE_ERRORS as error:
            if not is_outage(error):
                raise
            logger.warning("database unavailable, 503 for %s: %s", request.path, error)
            return unavailable(request, language)
        key = page_key(request, version.number, pairs, language)
        changed_at = version.changed_at.timestamp()
        entry = recall(key)
        if entry is None or not entry.fresh(time.time()):
            if stale:  # not in the cache, and the database cannot draw it
                logger.warning("database unavailable, 503 for %s (not cached)", request.path)
                return unavailable(request, language)
            request.page_cache = PageRequest(key, version.number, changed_at, hit=False)
            return None
        request.page_cache = PageRequest(key, version.number, changed_at, hit=True)
        if still_has(request, entry):
            not_modified = HttpResponseNotModified()
            for name, value in entry.headers:
                if name.lower() != "content-type":
                    not_modified.headers[name] = value
            return page_response(request, entry, not_modified, hit=True, stale=stale)
        response = HttpResponse(entry.content)
        for name, value in entry.headers:
            response.headers[name] = value
        return page_response(request, entry, response, hit=True, stale=stale)


def still_has(request, entry):
    """The visitor's `If-None-Match` names the entry (weak comparison, RFC 9110 13.1.2): a 304
    without building the page's response. Other preconditions take the general path."""
    match = request.META.get("HTTP_IF_NONE_MATCH")
    if match is None or "HTTP_IF_MATCH" in request.META:
        return False
    if "HTTP_IF_UNMODIFIED_SINCE" in request.META:
        return False
    tags = {tag.strip().removeprefix("W/") for tag in match.split(",")}
    return entry.etag in tags or "*" in tags


def storable(request, response):
    """A plain 200 that no visitor's own value went into."""
    # A page that used a CSRF token sets the CSRF cookie, like any other per-visitor cookie.
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if getattr(request, "_csp_nonce", None):  # the page used the CSP nonce (evaluated)
        return False
    control = response.get("Cache-Control", "").lower()
    if any(word in control for word in ("private", "no-store", "no-cache")):
        return False
    # A page that varies on another request header (User-Agent…) cannot have one entry.
    varies = {value.strip().lower() for value in response.get("Vary", "").split(",")}
    if varies - NOT_VARYING - {""}:
        return False
    lifetime = view_lifetime(response)
    return lifetime is None or lifetime > 0


def view_lifetime(response):
    """Seconds until the view's content changes, from its max-age or Expires; None if it
    depends on the data alone."""
    max_age = get_max_age(response)
    if max_age is not None:
        return max_age
    expires = parse_http_date_safe(response.get("Expires", ""))
    if expires is not None:
        return expires - time.time()
    return None


def stored_page(response, page):
    now = time.time()
    lifetime = view_lifetime(response)
    expires_at = None if lifetime is None else round(now + lifetime)
    content = response.content
    digest = hashlib.blake2b(content, digest_size=12)
    digest.update(f"{page.version_number}:{expires_at}".encode())
    # A page that changes with the clock changed, at the latest, when it was drawn.
    last_modified = page.changed_at if expires_at is None else max(page.changed_at, now)
    headers = tuple(
        (name, value)
        for name, value in response.headers.items()
        if name.lower() not in PER_RESPONSE_HEADERS
    )
    return CachedPage(
        content=content,
        headers=headers,
        etag=f'"{page.version_number}-{digest.hexdigest()}"',
        last_modified=math.floor(last_modified),
        expires_at=expires_at,
    )


PUBLIC = f"public, max-age={BROWSER_MAX_AGE}, stale-while-revalidate={STALE_WHILE_REVALIDATE}"
CONDITIONS = (
    "HTTP_IF_NONE_MATCH",
    "HTTP_IF_MODIFIED_SINCE",
    "HTTP_IF_MATCH",
    "HTTP_IF_UNMODIFIED_SINCE",
)


def page_response(request, entry, response, hit, stale=False):
    """`response` with the entry's validators and public caching headers, or a 304."""
    headers = response.headers
    headers.pop("Expires", None)
    headers["ETag"] = entry.etag
    headers["Last-Modified"] = http_date(entry.last_modified)
    headers["X-Page-Cache"] = "stale" if stale else "hit" if hit else "miss"
    if stale:
        # Served under the last version read: no browser or proxy keeps it past this answer.
        headers["Cache-Control"] = "public, max-age=0, must-revalidate"
    elif entry.expires_at is None:
        headers["Cache-Control"] = PUBLIC
    else:
        left = max(0, entry.expires_at - math.ceil(time.time()))
        headers["Cache-Control"] = f"public, max-age={min(BROWSER_MAX_AGE, left)}"
    trim_vary(response)
    if response.status_code == 304 or not any(name in request.META for name in CONDITIONS):
        return response
    return get_conditional_response(
        request, etag=entry.etag, last_modified=entry.last_modified, response=response
    )


def trim_vary(response):
    if not response.has_header("Vary"):
        return
    kept = [
        value.strip()
        for value in response["Vary"].split(",")
        if value.strip() and value.strip().lower() not in NOT_VARYING
    ]
    if kept:
        response.headers["Vary"] = ", ".join(kept)
    else:
        del response.headers["Vary"]


def recall(key):
    """The stored page, or None; a cache that does not answer (Redis down) is a miss, and is
    not asked again before the breaker lets it."""
    if not breaker.closed():
        return None
    try:
        return cache.get(key)
    except Exception:
        breaker.trip("reading", key)
        return None


def remember(key, entry):
    timeout = ENTRY_LIFETIME
    if entry.expires_at is not None:
        timeout = min(timeout, max(1, math.ceil(entry.expires_at - time.time())))
    keep(key, entry, timeout)


def keep(key, value, timeout):
    """Whether `value` was kept; a cache that fails is not asked again before the breaker
    lets it."""
    if not breaker.closed():
        return False
    try:
        cache.set(key, value, timeout)
    except Exception:
        breaker.trip("keeping", key)
        return False
    return True
