"""The standings page in a browser: reached from the calendar and from a driver's profile,
every cell explains itself on hover and on keyboard focus, in English and in German."""

import re

from playwright.sync_api import expect

from lmsite.tests.browser.conftest import BROWSER

pytestmark = BROWSER

STANDINGS = "/series/le-mans-series/2011/standings/"


def test_a_fan_reads_the_2011_standings_and_a_cells_reasons(site):
    page = site
    page.goto(page.base + "/series/le-mans-series/2011/")
    page.get_by_role("link", name="Standings", exact=True).click()
    expect(page).to_have_url(re.compile(f"{STANDINGS}$"))
    expect(page.locator(".notice")).to_contain_text("the official final standings come first")
    expect(page.locator(".lead")).to_have_text("After round 5")

    lmp2 = page.locator("section", has=page.get_by_role("heading", level=2, name="LMP2"))
    expect(lmp2.locator(".official")).to_contain_text("Champion: Karim Ojjeh / Tom Kimber-Smith")
    # The official standings come first; the computed ones follow, collapsed until opened.
    computed = lmp2.locator("details.computed")
    expect(computed.get_by_role("region", name=re.compile("LMP2: Drivers"))).to_be_hidden()
    computed.locator("summary").click()
    drivers = lmp2.get_by_role("region", name=re.compile("LMP2: Drivers"))
    kaffer = drivers.get_by_role("row", name=re.compile("Pierre Kaffer"))
    cell = kaffer.locator(".explained").first
    reason = cell.locator(".explanation")
    expect(reason).to_have_text("R1 (6 Hours of Castellet): P2 in LMP2: 13 pts")

    cell.hover()
    expect(reason).to_be_visible()
    box = reason.bounding_box()
    assert box["width"] > 50  # shown as a tooltip, not the 1-pixel hidden text
    page.mouse.move(0, 0)

    cell.focus()
    expect(cell).to_be_focused()
    assert reason.bounding_box()["width"] > 50
    expect(lmp2.locator("svg.chart title")).to_have_text("LMP2 drivers: points after each round")

    kaffer.get_by_role("link", name="Pierre Kaffer").click()
    expect(page).to_have_url(re.compile("/drivers/pierre-kaffer/$"))
    page.get_by_role("link", name="P7 in LMP2").click()
    expect(page).to_have_url(re.compile(f"{STANDINGS}$"))


def test_the_standings_in_german(site):
    page = site
    page.goto(page.base + "/de" + STANDINGS)
    expect(page.locator("html")).to_have_attribute("lang", "de")
    expect(page.locator(".lead")).to_have_text("Nach Lauf 5")
    page.get_by_role("navigation", name="Wertung nach Lauf").get_by_role("link", name="3").click()
    expect(page).to_have_url(re.compile(r"/de/series/le-mans-series/2011/standings/\?after=3$"))
    expect(page.locator(".lead")).to_contain_text("Nach Lauf 3")
    expect(page.locator(".lead")).to_contain_text("noch 2 Läufe")
    expect(page.get_by_role("columnheader", name="Kann noch gewinnen").first).to_be_visible()
