"""An editor, in the admin: adds a car with its crew to an event, enters its result and finds
it on the public round page; a duplicate car number is a form error."""

import importlib
import re

import pytest
from django.contrib.auth.models import Group, Permission, User
from playwright.sync_api import expect

from lmsite.tests.browser.conftest import BROWSER
from races.models import Session

pytestmark = BROWSER

ESTORIL = "/series/le-mans-series/2011/6-hours-of-estoril/"
editors_migration = importlib.import_module("races.migrations.0002_editors_group")


@pytest.fixture
def editor(demo, settings):
    # Django's default hasher takes about half a second per password, here and at the login.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    group, _ = Group.objects.get_or_create(name="Editors")
    for app, models in editors_migration.EDITOR_MODELS.items():
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label=app, content_type__model__in=models)
        )
    user = User.objects.create_user("editor", password="a long editor password", is_staff=True)
    user.groups.add(group)
    return user


def choose(page, field_id, text, option=None):
    """Pick `option` (default: `text`) in the select `field_id`: through the admin's autocomplete
    widget where it has one, else among the plain select's options."""
    select = page.locator(f"#{field_id}")
    if "admin-autocomplete" not in (select.get_attribute("class") or ""):
        value = select.locator("option", has_text=option or text).first.get_attribute("value")
        select.select_option(value)
        return
    page.locator(f"#{field_id} + .select2 .select2-selection").click()
    page.locator(".select2-container--open .select2-search__field").fill(text)
    page.locator(".select2-results__option", has_text=option or text).first.click()


def log_in(page):
    page.goto(page.base + "/admin/")
    page.get_by_label("Username").fill("editor")
    page.get_by_label("Password").fill("a long editor password")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Le Mans data")).to_be_visible()


def add_entry(page, number):
    page.goto(page.base + "/admin/races/entry/add/")
    choose(page, "id_event", "Estoril", "6 Hours of Estoril")
    page.locator("#id_number").fill(number)
    choose(page, "id_car_class", "LMP2")
    choose(page, "id_team", "Pecom")
    page.locator("#id_chassis").fill("Lola B11/40")


def test_an_editor_adds_a_car_with_its_crew_and_its_result(site, editor):
    page = site
    log_in(page)

    add_entry(page, "98")
    page.get_by_role("button", name="Add another Crew member").click()
    row = page.locator("tr.dynamic-crew").last
    row.locator("input[name$='-order']").fill("1")
    choose(page, row.locator("select[name$='-driver']").get_attribute("id"), "Kimber")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist .success")).to_be_visible()

    race = Session.objects.get(event__slug="6-hours-of-estoril", kind="race")
    page.goto(page.base + f"/admin/races/session/{race.pk}/change/")
    page.get_by_role("button", name="Add another Result").click()
    row = page.locator("tr.dynamic-results").last
    row.locator("input[name$='-finish_order']").fill("40")
    choose(page, row.locator("select[name$='-entry']").get_attribute("id"), "98", "#98")
    row.locator("input[name$='-laps']").fill("57")
    row.locator("select[name$='-status']").select_option("retired")
    row.locator("input[name$='-reason']").fill("Engine")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist .success")).to_be_visible()

    page.goto(page.base + ESTORIL)
    car = page.locator("#results-2 table").first.get_by_role("row", name=re.compile("#98"))
    expect(car).to_contain_text("Tom Kimber-Smith")
    expect(car).to_contain_text("Retired — Engine")


def test_a_duplicate_car_number_is_a_form_error(site, editor):
    page = site
    log_in(page)
    add_entry(page, "39")  # the Pecom Racing Lola's number at Estoril
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".errornote")).to_be_visible()
    expect(page.locator(".errorlist")).to_contain_text(
        "Another entered car of this event already has this number."
    )
