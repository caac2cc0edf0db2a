"""At a phone's size (390 × 844) no page scrolls sideways; wide tables scroll inside
themselves."""

import pytest

from lmsite.tests.browser.conftest import BROWSER, PHONE

pytestmark = BROWSER

PAGES = [
    "/",
    "/series/",
    "/series/le-mans-series/",
    "/series/le-mans-series/2011/",
    "/series/le-mans-series/2011/6-hours-of-estoril/",
    "/series/24-hours-of-le-mans/2011/24-hours-of-le-mans/",
    "/drivers/",
    "/drivers/pierre-kaffer/",
    "/teams/",
    "/teams/pecom-racing/",
    "/circuits/",
    "/circuits/circuit-de-la-sarthe/",
    "/search/?q=perez+companc",
    "/no-such-page/",
]

OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  const wider = [...document.querySelectorAll("body *")]
    .filter(el => el.getBoundingClientRect().right > width + 1 && !el.closest(".table-scroll"))
    .map(el => el.tagName.toLowerCase() + (el.className ? "." + el.className : ""));
  return {scroll: document.documentElement.scrollWidth, width, wider: wider.slice(0, 5)};
}"""


@pytest.mark.parametrize("prefix", ["", "/de"])
def test_no_page_scrolls_sideways_on_a_phone(site, prefix):
    page = site
    page.set_viewport_size(PHONE)
    problems = {}
    for path in PAGES:
        page.goto(page.base + prefix + path)
        found = page.evaluate(OVERFLOW)
        if found["scroll"] > found["width"] or found["wider"]:
            problems[prefix + path] = found
    assert problems == {}


def test_result_tables_scroll_inside_themselves_on_a_phone(site):
    page = site
    page.set_viewport_size(PHONE)
    page.goto(page.base + "/series/le-mans-series/2011/6-hours-of-estoril/")
    box = page.locator("#results-2 .table-scroll").first
    sizes = box.evaluate("el => [el.scrollWidth, el.clientWidth, getComputedStyle(el).overflowX]")
    scroll_width, client_width, overflow = sizes
    assert overflow == "auto"
    assert scroll_width > client_width  # the table is wider than the phone ...
    assert client_width <= PHONE["width"]  # ... and its box is not
    box.evaluate("el => el.scrollBy(200, 0)")
    assert box.evaluate("el => el.scrollLeft") > 0
    assert page.evaluate("window.scrollX") == 0
