"""The editors' admin screens in a browser: axe finds no serious or critical violation on the
index (the results to enter), the lists, a session's history and a form with a typed country;
a date-only field shows no time zone warning where a date and time does; a country is typed."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth.models import User
from playwright.sync_api import expect

from drivers.models import Driver
from lmsite.tests.browser.conftest import BROWSER
from races.models import Event, Result, Session

pytestmark = BROWSER
BLOCKING = {"serious", "critical"}


@pytest.fixture
def admin_page(demo, site, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    User.objects.create_superuser("chief", password="a long chief password")
    site.set_default_timeout(30_000)  # the admin's pages are heavier than the public ones
    site.goto(site.base + "/admin/")
    site.get_by_label("Username").fill("chief")
    site.get_by_label("Password").fill("a long chief password")
    site.get_by_role("button", name="Log in").click()
    expect(site.get_by_role("heading", name="Le Mans data")).to_be_visible()
    return site


def blocking(page, url):
    page.goto(url)
    found = Axe().run(page).response["violations"]
    return {
        v["id"]: [(node["html"][:120], node["any"][0]["message"][:160]) for node in v["nodes"]]
        for v in found
        if v["impact"] in BLOCKING
    }


def test_no_serious_or_critical_violation_on_the_changed_admin_screens(admin_page):
    page = admin_page
    race = Session.objects.get(event__slug="6-hours-of-estoril", kind="race")
    result = Result.objects.filter(session=race).first()
    result.laps += 1
    result.save()
    driver = Driver.objects.get(slug="pierre-kaffer")
    screens = {
        "index": "/admin/",
        "entries": "/admin/races/entry/?year=2011",
        "sessions": "/admin/races/session/",
        "results": "/admin/races/result/",
        "session history": f"/admin/races/session/{race.pk}/history/",
        "driver": f"/admin/drivers/driver/{driver.pk}/change/",
    }
    report = {name: blocking(page, page.base + url) for name, url in screens.items()}
    print("\naxe (admin):", report)
    assert {name: rules for name, rules in report.items() if rules} == {}


def test_a_date_only_field_shows_no_time_zone_warning(demo, browser, settings):
    """The editor's browser is six hours behind the server: a session's start (a date and a
    time) warns, a driver's birth date does not."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    User.objects.create_superuser("chief", password="a long chief password")
    event = Event.objects.get(slug="6-hours-of-estoril")
    test_day = Event.objects.create(
        name="Test day", slug="test-day", circuit=event.circuit, last_day=event.last_day
    )
    session = Session.objects.create(event=test_day, kind="test", name="Test", order=1)
    context = browser.new_context(timezone_id="America/New_York")
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.goto(demo.url + "/admin/")
    page.get_by_label("Username").fill("chief")
    page.get_by_label("Password").fill("a long chief password")
    page.get_by_role("button", name="Log in").click()
    driver = Driver.objects.get(slug="pierre-kaffer")
    page.goto(demo.url + f"/admin/drivers/driver/{driver.pk}/change/")
    expect(page.locator("#id_birth_date")).to_be_visible()
    expect(page.locator(".field-birth_date .datetimeshortcuts")).to_have_count(1)  # calendar
    expect(page.locator(".field-birth_date .timezonewarning")).to_have_count(0)
    page.goto(demo.url + f"/admin/races/session/{session.pk}/change/")
    expect(page.locator(".field-start .datetimeshortcuts").first).to_be_visible()
    expect(page.locator(".field-start .timezonewarning")).to_have_count(1)
    context.close()


def test_an_editor_types_a_country(admin_page):
    page = admin_page
    driver = Driver.objects.get(slug="pierre-kaffer")
    page.goto(page.base + f"/admin/drivers/driver/{driver.pk}/change/")
    field = page.get_by_label("Nationality")
    field.fill("Austria")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist .success")).to_be_visible()
    driver.refresh_from_db()
    assert driver.nationality == "AT"
