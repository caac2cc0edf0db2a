"""An editor reaches the "Data health" page from the admin index, marks a finding explained with
a reason, and finds it among the explained ones; axe passes on the page."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth.models import Group, Permission, User
from playwright.sync_api import expect

from lmsite.tests.browser.conftest import BROWSER, EDITOR_PASSWORD, log_in
from races.models import FindingExplanation, Team

pytestmark = BROWSER

BLOCKING = {"serious", "critical"}


@pytest.fixture
def editor(demo, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    group, _ = Group.objects.get_or_create(name="Editors")
    group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="races", codename__endswith="explanation"
        )
    )
    user = User.objects.create_user("editor", password=EDITOR_PASSWORD, is_staff=True)
    user.groups.add(group)
    Team.objects.create(name="Lonely Racing", slug="lonely-racing")  # a team without entry
    return user


def blocking_violations(page):
    found = Axe().run(page).response["violations"]
    return {v["id"]: len(v["nodes"]) for v in found if v["impact"] in BLOCKING}


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_data_health_page_has_no_serious_accessibility_violation(site, editor, scheme):
    page = site
    page.emulate_media(color_scheme=scheme)
    log_in(page)
    page.get_by_role("link", name="Suspect records to fix or explain").click()
    expect(page.get_by_role("heading", name="Data health", exact=True)).to_be_visible()
    assert blocking_violations(page) == {}
    page.get_by_role("link", name="Show the explained findings").click()
    assert blocking_violations(page) == {}


def test_an_editor_marks_a_finding_explained(site, editor):
    page = site
    log_in(page)
    page.get_by_role("link", name="Suspect records to fix or explain").click()
    finding = page.locator("li.health-finding", has_text="Lonely Racing has no entry.")
    expect(finding.get_by_role("link", name="Lonely Racing")).to_have_attribute(
        "href", re.compile(r"/admin/races/team/\d+/change/")
    )
    finding.get_by_role("button", name="Mark explained").click()  # no reason: refused
    assert not FindingExplanation.objects.filter(key="lonely-racing").exists()
    finding.get_by_label("Why this is not an error").fill("Kept: its history matters.")
    finding.get_by_role("button", name="Mark explained").click()
    expect(page.get_by_text("Marked explained: lonely-racing.")).to_be_visible()
    expect(page.locator("li.health-finding", has_text="Lonely Racing")).to_have_count(0)
    page.get_by_role("link", name="Show the explained findings").click()
    expect(page.get_by_text("Kept: its history matters.")).to_be_visible()
    explanation = FindingExplanation.objects.get(rule="team-without-entry", key="lonely-racing")
    assert explanation.explained_by == editor
