"""An editor enters a race in the event's results grid with the keyboard only, and finds it on
the public round page and in the standings; a clash shows on its row; axe passes on the grids."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from lmsite.tests.browser.conftest import BROWSER
from lmsite.tests.browser.test_editor import editor, log_in  # noqa: F401 (a fixture)
from races import writes
from races.models import Entry, Session

pytestmark = [*BROWSER, pytest.mark.usefixtures("editor")]

ESTORIL = "/series/le-mans-series/2011/6-hours-of-estoril/"
STANDINGS = "/series/le-mans-series/2011/standings/"
BLOCKING = {"serious", "critical"}


@pytest.fixture
def empty_race(demo):
    """The Estoril race as an editor finds it before the results are in: a complete
    classification to come, no result stored."""
    race = Session.objects.get(event__slug="6-hours-of-estoril", kind="race")
    with writes.changes():
        race.results.all().delete()
        race.results_status = Session.ResultsStatus.FINAL
        race.save()
    return race


def grid_url(page, session):
    return f"{page.base}/admin/races/event/{session.event_id}/results/{session.pk}/"


def test_an_editor_types_a_ten_car_result_with_the_keyboard_and_finds_it_published(
    site, empty_race
):
    page = site
    log_in(page)
    page.goto(grid_url(page, empty_race))
    rows = page.locator("table.results-grid tbody tr")
    cars = [rows.nth(i).get_attribute("data-car") for i in range(10)]
    winner = Entry.objects.filter(event=empty_race.event, number=cars[0]).first()
    driver = winner.crew.select_related("driver").first().driver
    crew = driver.full_name
    # The computed standings may sit in a collapsed part of the page: read the row's text.
    standings_row = page.locator(f"tr:has(a[href$='/drivers/{driver.slug}/'])").first

    page.goto(page.base + STANDINGS)
    assert not re.search(r"6 Hours of Estoril\): P1 ", standings_row.text_content())

    page.goto(grid_url(page, empty_race))
    rows.first.locator("input[data-column='finish_order']").focus()
    # The winner's row from cell to cell with Enter: place, laps, time; then down the
    # finish-order column with the arrow key.
    page.keyboard.type("1")
    page.keyboard.press("Enter")
    page.keyboard.type("225")
    page.keyboard.press("Enter")
    page.keyboard.type("6:00:24.815")
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Shift+Tab")
    for place in range(2, 11):
        page.keyboard.press("ArrowDown")
        page.keyboard.type(str(place))
    page.locator("#results_grid input[type=submit]").focus()
    page.keyboard.press("Enter")
    expect(page.locator(".messagelist .success")).to_contain_text("10 new")

    page.goto(page.base + ESTORIL)
    first = page.locator("#results-2 table tbody tr").first
    expect(first).to_contain_text(f"#{cars[0]}" if cars[0] else crew)
    expect(first).to_contain_text("6:00:24")

    page.goto(page.base + STANDINGS)
    assert re.search(r"6 Hours of Estoril\): P1 ", standings_row.text_content())


def test_two_cars_with_one_finish_order_show_the_clash_on_their_rows(site, empty_race):
    page = site
    log_in(page)
    page.goto(grid_url(page, empty_race))
    rows = page.locator("table.results-grid tbody tr")
    rows.nth(0).locator("input[data-column='finish_order']").fill("1")
    rows.nth(1).locator("input[data-column='finish_order']").fill("1")
    page.locator("#results_grid input[type=submit]").click()
    expect(page.locator(".errornote")).to_be_visible()
    clash = page.locator("table.results-grid tbody tr.has-problems")
    expect(clash).to_have_count(2)
    expect(clash.first).to_contain_text("has the finish order 1 too.")
    assert not empty_race.results.exists()


def test_the_grids_pass_axe(site, empty_race):
    page = site
    log_in(page)
    event = empty_race.event_id
    found = {}
    for name, url in {
        "results": grid_url(page, empty_race),
        "crews": f"{page.base}/admin/races/event/{event}/crews/",
        "copy": f"{page.base}/admin/races/event/{event}/copy-entries/",
    }.items():
        page.goto(url)
        violations = Axe().run(page).response["violations"]
        found[name] = {
            v["id"]: (v["impact"], [node["target"] for node in v["nodes"]][:3])
            for v in violations
            if v["impact"] in BLOCKING
        }
    assert found == {"results": {}, "crews": {}, "copy": {}}
