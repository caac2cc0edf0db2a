"""Two app servers, one PostgreSQL and one Redis: an edit saved through instance A's admin is on
instance B's very next response, with a new ETag. bench/two_instances shows the same by hand.

Runs on CI's PostgreSQL leg, where .ci/run has started Redis (and checks that this test ran);
on SQLite two processes could not share the test database, so it is skipped there.
"""

import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from http.cookiejar import CookieJar
from pathlib import Path

import pytest
from django.db import connection

from lmsite.admin_conflicts import DIGEST

BASE_DIR = Path(__file__).resolve().parents[2]
REDIS = ("127.0.0.1", 6379)
HOST = "localhost"  # one Host header for both instances: one key, one shared entry
PAGE = "/series/le-mans-series/"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def database_url():
    db = connection.settings_dict
    password = urllib.parse.quote(db["PASSWORD"] or "", safe="")
    user = urllib.parse.quote(db["USER"] or "", safe="")
    auth = f"{user}:{password}@" if password else f"{user}@"
    return f"postgres://{auth}{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


class Instance:
    """One gunicorn serving the site from the test database, sharing Redis with the other."""

    def __init__(self, name, env):
        self.name = name
        self.port = free_port()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "lmsite.wsgi", "--workers", "2",
             "--bind", f"127.0.0.1:{self.port}", "--log-level", "warning"],
            cwd=BASE_DIR,
            env=env,
        )  # fmt: skip

    def url(self, path):
        return f"http://127.0.0.1:{self.port}{path}"

    def wait(self):
        for _ in range(100):
            if self.process.poll() is not None:
                raise RuntimeError(f"instance {self.name} exited with {self.process.returncode}")
            try:
                with urllib.request.urlopen(self.url("/health/"), timeout=1):
                    return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"instance {self.name} did not answer")

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def get(opener, url, headers=()):
    request = urllib.request.Request(url, headers={"Host": HOST, **dict(headers)})
    try:
        with opener.open(request, timeout=10) as response:
            return response.status, response.headers, response.read().decode()
    except urllib.error.HTTPError as error:  # 304 and the like
        return error.code, error.headers, ""


def post(opener, url, fields):
    data = urllib.parse.urlencode(fields).encode()
    request = urllib.request.Request(url, data=data, headers={"Host": HOST})
    with opener.open(request, timeout=30) as response:
        return response.geturl(), response.read().decode()


def csrf_token(html):
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def loaded_digest(html):
    """The digest of the stored values the change form was drawn with (lmsite/admin_conflicts.py),
    which a browser posts back with the form."""
    return re.search(rf'name="{DIGEST}" value="([^"]+)"', html).group(1)


@pytest.fixture
def redis_prefix():
    redis = pytest.importorskip("redis")
    client = redis.Redis(*REDIS, socket_connect_timeout=1)
    try:
        client.ping()
    except redis.exceptions.ConnectionError:
        pytest.fail(f"Redis does not answer on {REDIS[0]}:{REDIS[1]} (.ci/run starts it)")
    prefix = f"lmsite-test-{uuid.uuid4().hex}"
    yield prefix
    keys = list(client.scan_iter(match=f"{prefix}:*"))
    if keys:
        client.delete(*keys)


@pytest.fixture
def instances(transactional_db, redis_prefix):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: two server processes cannot share SQLite's test database")
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        DATABASE_URL=database_url(),
        CACHE_URL=f"rediscache://{REDIS[0]}:{REDIS[1]}/0",
        DJANGO_CACHE_KEY_PREFIX=redis_prefix,
        DJANGO_STATIC_PLAIN="1",
        DJANGO_CONN_MAX_AGE="0",  # no connection left open when the test database is dropped
        DJANGO_ALLOWED_HOSTS=f"{HOST},127.0.0.1",
        DJANGO_LOG_LEVEL="ERROR",
    )
    started = [Instance("A", env), Instance("B", env)]
    try:
        for instance in started:
            instance.wait()
        yield started
    finally:
        for instance in started:
            instance.stop()


def test_an_edit_through_one_instance_is_on_the_other_instances_next_response(
    instances, make_series, django_user_model, settings
):
    a, b = instances
    make_series("Le Mans Series", slug="le-mans-series")
    # The servers check passwords with the site's own hashers, not the tests' fast one.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher"]
    django_user_model.objects.create_superuser("editor", "editor@example.com", "a-long-password")
    visitor = urllib.request.build_opener()  # no cookies: an anonymous visitor
    editor = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))

    status, first, html = get(visitor, a.url(PAGE))
    assert (status, first["X-Page-Cache"]) == (200, "miss")
    status, shared, html = get(visitor, b.url(PAGE))
    assert (status, shared["X-Page-Cache"]) == (200, "hit")  # one cache for both instances
    assert shared["ETag"] == first["ETag"]
    assert "Le Mans Series" in html

    _, _, login = get(editor, a.url("/admin/login/"))
    landed, _ = post(
        editor,
        a.url("/admin/login/?next=/admin/"),
        {"csrfmiddlewaretoken": csrf_token(login), "username": "editor",
         "password": "a-long-password", "next": "/admin/"},
    )  # fmt: skip
    assert landed.endswith("/admin/"), "the editor could not log in to instance A"
    series_id = re.search(r"/(\d+)/change/", get(editor, a.url("/admin/races/series/"))[2])[1]
    change = a.url(f"/admin/races/series/{series_id}/change/")
    _, _, form = get(editor, change)
    landed, page = post(
        editor,
        change,
        {"csrfmiddlewaretoken": csrf_token(form), "name": "Le Mans Series Renamed",
         "slug": "le-mans-series", "short_name": "", "notes": "", "_save": "Save",
         DIGEST: loaded_digest(form)},
    )  # fmt: skip
    assert landed.endswith("/admin/races/series/"), page

    status, after, html = get(visitor, b.url(PAGE), {"If-None-Match": first["ETag"]})
    assert status == 200
    assert after["X-Page-Cache"] == "miss"
    assert "Le Mans Series Renamed" in html
    assert after["ETag"] != first["ETag"]
    status, again, _ = get(visitor, a.url(PAGE))
    assert (status, again["X-Page-Cache"], again["ETag"]) == (200, "hit", after["ETag"])
