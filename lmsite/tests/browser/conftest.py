"""Browser tests: pytest-playwright driving Debian's Chromium against Django's live server,
with the demo loader's small subset (Le Mans 2010–2012, the 2011 seasons).

Playwright never downloads a browser here: `browser_type_launch_args` points it at
/usr/bin/chromium (`.ci/run` installs Debian's package where it is missing).
"""

import io
import os
from pathlib import Path

import pytest
from django.contrib import admin
from django.core.management import call_command
from playwright.sync_api import expect

# Playwright's sync API keeps an event loop running in the test thread; Django refuses ORM calls
# from such a thread unless told that this is safe, which it is here (one thread, no awaits).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = Path(os.environ.get("LMSITE_CHROMIUM", "/usr/bin/chromium"))
PHONE = {"width": 390, "height": 844}


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium (bash .ci/run does)")
    return {
        **browser_type_launch_args,
        "executable_path": str(CHROMIUM),
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
        ],
    }


# Every browser test module marks itself with BROWSER: the live server needs committed data
# (a transactional database), and serialized rollback brings back what the migrations wrote
# (the Editors group, the points scale presets) after each test's flush.
BROWSER = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture(scope="session")
def _migrated_data(django_db_setup, django_db_blocker, browser):
    """Make sure the connection the browser tests use holds the serialized rows that the
    migrations wrote. pytest-django serializes them on the connection that set the database up;
    when that was before Playwright started (a module fixture of an earlier test file did it),
    the tests here see another connection object without them, and serialized rollback would
    silently restore nothing."""
    from django.db import connection

    if not hasattr(connection, "_test_serialized_contents"):
        with django_db_blocker.unblock():
            connection._test_serialized_contents = connection.creation.serialize_db_to_string()


@pytest.fixture
def demo(_migrated_data, live_server):
    """The demo subset in the live server's database."""
    call_command("load_demo", "--subset", stdout=io.StringIO())
    return live_server


@pytest.fixture
def site(demo, page):
    """The page with its default timeout kept short: a test that waits fails quickly."""
    page.set_default_timeout(10_000)
    page.base = demo.url
    return page


EDITOR_PASSWORD = "a long editor password"  # of the `editor` fixtures of the admin walks


def log_in(page, username="editor", password=EDITOR_PASSWORD):
    """Log in to the admin through its login form and wait for its index."""
    page.goto(page.base + "/admin/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(page.base + "/admin/")  # the index, whatever its title says
    expect(page.get_by_role("heading", name=str(admin.site.index_title))).to_be_visible()
