"""An editor finds a driver entered twice on the Data health page, merges the two from its link,
and finds one driver with both careers on the public page, whose old address leads there in
both languages; axe passes on the merge, split and entries pages."""

import importlib

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth.models import Group, Permission, User
from playwright.sync_api import expect

from drivers.models import Driver
from lmsite.tests.browser.conftest import BROWSER, EDITOR_PASSWORD, log_in
from races.models import Crew, Team

pytestmark = BROWSER

BLOCKING = {"serious", "critical"}
editors_migration = importlib.import_module("races.migrations.0002_editors_group")


@pytest.fixture
def editor(demo, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    group, _ = Group.objects.get_or_create(name="Editors")
    for app, models in editors_migration.EDITOR_MODELS.items():
        group.permissions.add(
            *Permission.objects.filter(content_type__app_label=app, content_type__model__in=models)
        )
    group.permissions.add(
        *Permission.objects.filter(
            content_type__app_label="races", codename__endswith="explanation"
        )
    )
    user = User.objects.create_user("editor", password=EDITOR_PASSWORD, is_staff=True)
    user.groups.add(group)
    return user


@pytest.fixture
def entered_twice(editor):
    """Pierre Kaffer's 2011 Estoril place held by a misspelt second record, as a load of
    another source could leave it."""
    kaffer = Driver.objects.get(slug="pierre-kaffer")
    kafer = Driver.objects.create(
        full_name="Pierre Kafer", slug="pierre-kafer", nationality=kaffer.nationality
    )
    Crew.objects.filter(
        driver=kaffer, entry__event__slug="6-hours-of-estoril", entry__event__last_day__year=2011
    ).update(driver=kafer)
    return kaffer, kafer


def blocking_violations(page):
    found = Axe().run(page).response["violations"]
    return {v["id"]: len(v["nodes"]) for v in found if v["impact"] in BLOCKING}


def test_an_editor_merges_a_driver_entered_twice_from_the_data_health_page(site, entered_twice):
    page = site
    _kaffer, kafer = entered_twice
    log_in(page)
    page.get_by_role("link", name="Suspect records to fix or explain").click()
    finding = page.locator("li.health-finding", has_text="Pierre Kafer").filter(
        has_text="Pierre Kaffer"
    )
    finding.get_by_role("link", name="Merge these two").click()
    expect(page.get_by_role("heading", name="What will move")).to_be_visible()
    if "Kept: Pierre Kaffer (" not in page.locator("#content-main").inner_text():
        page.get_by_role("link", name="Keep the other one instead").click()
    expect(page.get_by_text("Kept: Pierre Kaffer (pierre-kaffer).")).to_be_visible()
    expect(page.locator("#plan")).to_contain_text("Crew places: 1")
    page.get_by_label("Reason").fill("A misspelling of one driver.")
    page.get_by_role("button", name="Merge “Pierre Kafer” into “Pierre Kaffer”").click()

    success = page.locator(".messagelist .success")
    expect(success).to_contain_text(
        "driver,same,Pierre Kafer,,Pierre Kaffer,A misspelling of one driver.,"
    )
    expect(page.get_by_role("heading", name="Entries, newest first")).to_be_visible()
    assert not Driver.objects.filter(pk=kafer.pk).exists()

    page.goto(page.base + "/drivers/pierre-kafer/")
    assert page.url == page.base + "/drivers/pierre-kaffer/"
    expect(page.get_by_role("heading", name="Pierre Kaffer", level=1)).to_be_visible()
    main = page.locator("main")
    expect(main).to_contain_text("6 Hours of Estoril")  # the place merged in
    expect(main).to_contain_text("1000 km of Spa-Francorchamps")  # his own
    page.goto(page.base + "/de/drivers/pierre-kafer/")
    assert page.url == page.base + "/de/drivers/pierre-kaffer/"

    page.goto(page.base + "/admin/")
    page.get_by_role("link", name="Suspect records to fix or explain").click()
    expect(page.locator("li.health-finding", has_text="Pierre Kafer")).to_have_count(0)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_merge_split_and_entries_pages_have_no_serious_accessibility_violation(
    site, entered_twice, scheme
):
    page = site
    page.emulate_media(color_scheme=scheme)
    kaffer, _ = entered_twice
    team = Team.objects.get(slug="pecom-racing")
    log_in(page)
    admin = page.base + "/admin/"
    pages = {
        "driver": f"{admin}drivers/driver/{kaffer.pk}/change/",
        "merge": f"{admin}drivers/driver/{kaffer.pk}/merge/?other=pierre-kafer",
        "merge refused": f"{admin}drivers/driver/{kaffer.pk}/merge/?other=matias-russo",
        "split": f"{admin}drivers/driver/{kaffer.pk}/split/",
        "team": f"{admin}races/team/{team.pk}/change/",
        "team merge": f"{admin}races/team/{team.pk}/merge/?other=nobody",
    }
    report = {}
    for name, url in pages.items():
        page.goto(url)
        report[name] = blocking_violations(page)
    page.goto(pages["split"])
    page.locator("input[name='places']").first.check()
    page.get_by_label("…or to a new driver named").fill("Pierre Kaffer Sr.")
    page.get_by_role("button", name="Show what will move").click()
    expect(page.locator("#plan")).to_be_visible()
    report["split plan"] = blocking_violations(page)
    assert {name: found for name, found in report.items() if found} == {}
