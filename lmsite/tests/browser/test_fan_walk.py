"""A fan's walk through the site, in English and then in German, as a browser shows it."""

import re

from playwright.sync_api import expect

from lmsite.tests.browser.conftest import BROWSER

pytestmark = BROWSER

ESTORIL = "/series/le-mans-series/2011/6-hours-of-estoril/"


def season_link(page, series, year):
    """The year's link in the series' line of the home page's "Series and seasons"."""
    heading = page.get_by_role("heading", name=series, level=3)
    return heading.locator("xpath=following-sibling::ul[1]").get_by_role("link", name=year)


def test_a_fan_walks_from_the_home_page_to_a_co_driver_and_searches(site):
    page = site
    page.goto(page.base + "/")
    expect(page).to_have_title(re.compile("Le Mans Series and 24 Hours of Le Mans"))
    # The stylesheet is served and applied (a page without it would pass most checks).
    expect(page.locator(".site-header")).to_have_css("display", "flex")

    season_link(page, "European Le Mans Series", "2011").click()
    expect(page).to_have_url(re.compile("/series/le-mans-series/2011/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("2011 Le Mans Series")

    page.get_by_role("link", name="6 Hours of Estoril").click()
    expect(page).to_have_url(re.compile(f"{ESTORIL}$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("6 Hours of Estoril")

    page.locator("nav.toc li", has_text="Race results").get_by_role("link", name="LMP2").click()
    expect(page).to_have_url(re.compile("#results-2-lmp2$"))
    lmp2 = page.locator("#results-2-lmp2")
    expect(lmp2).to_be_in_viewport()
    table = lmp2.locator("xpath=following-sibling::div[1]")
    expect(table.locator("caption")).to_have_text("Race, class LMP2")

    table.get_by_role("link", name="Pierre Kaffer").click()
    expect(page).to_have_url(re.compile("/drivers/pierre-kaffer/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Pierre Kaffer")

    mates = page.locator("ol.mates")
    first = mates.get_by_role("link").first
    name = first.inner_text()
    first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text(name)

    page.get_by_role("searchbox", name="Search drivers, teams and circuits").fill("perez companc")
    page.get_by_role("button", name="Search").first.click()
    expect(page).to_have_url(re.compile(r"/search/\?q=perez\+companc$"))
    found = page.locator("section", has=page.get_by_role("heading", name="Drivers"))
    expect(found.get_by_role("link", name="Luís Pérez Companc")).to_be_visible()


def test_the_same_walk_in_german_switching_language_on_the_way(site):
    page = site
    page.goto(page.base + "/")
    page.get_by_role("navigation", name="Language").get_by_role("link", name="Deutsch").click()
    expect(page).to_have_url(re.compile("/de/$"))
    expect(page.locator("html")).to_have_attribute("lang", "de")
    expect(page.get_by_role("heading", level=2, name="Serien und Saisons")).to_be_visible()

    season_link(page, "European Le Mans Series", "2011").click()
    expect(page).to_have_url(re.compile("/de/series/le-mans-series/2011/$"))
    expect(page.get_by_role("table").locator("caption")).to_have_text("Kalender")
    expect(page.get_by_role("row", name=re.compile("6 Hours of Estoril"))).to_contain_text(
        "23.–25. Sept. 2011"
    )

    page.get_by_role("link", name="6 Hours of Estoril").click()
    expect(page).to_have_url(re.compile(f"/de{ESTORIL}$"))
    expect(page.get_by_role("heading", name="Starterliste")).to_be_visible()

    page.locator("nav.toc li", has_text="Ergebnisse: Rennen").get_by_role(
        "link", name="LMP2"
    ).click()
    lmp2 = page.locator("#results-2-lmp2")
    expect(lmp2).to_be_in_viewport()
    table = lmp2.locator("xpath=following-sibling::div[1]")
    expect(table.locator("caption")).to_have_text("Rennen, Klasse LMP2")

    table.get_by_role("link", name="Pierre Kaffer").click()
    expect(page).to_have_url(re.compile("/de/drivers/pierre-kaffer/$"))
    expect(page.get_by_role("heading", name="Karriere in Zahlen")).to_be_visible()

    first = page.locator("ol.mates").get_by_role("link").first
    name = first.inner_text()
    first.click()
    expect(page).to_have_url(re.compile("/de/drivers/[a-z-]+/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(name)

    page.get_by_role("searchbox", name="Fahrer, Teams und Strecken suchen").fill("perez companc")
    page.get_by_role("button", name="Suche").first.click()
    expect(page).to_have_url(re.compile(r"/de/search/\?q=perez\+companc$"))
    expect(page.get_by_role("link", name="Luís Pérez Companc")).to_be_visible()

    # Back to English on the same page, the search kept.
    page.get_by_role("navigation", name="Sprache").get_by_role("link", name="English").click()
    expect(page).to_have_url(re.compile(r"/search/\?q=perez\+companc$"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Search")
    expect(page.get_by_role("link", name="Luís Pérez Companc")).to_be_visible()
