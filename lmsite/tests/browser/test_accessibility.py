"""axe-core on the main pages, in both languages and both colour schemes: no serious or
critical violation."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from lmsite.tests.browser.conftest import BROWSER

pytestmark = BROWSER

PAGES = {
    "home": "/",
    "calendar": "/series/le-mans-series/2011/",
    "standings": "/series/le-mans-series/2011/standings/",
    "round": "/series/le-mans-series/2011/6-hours-of-estoril/",
    "driver": "/drivers/pierre-kaffer/",
    "team": "/teams/pecom-racing/",
    "search": "/search/?q=perez+companc",
    "404": "/no-such-page/",
}
BLOCKING = {"serious", "critical"}


def violations(page, url):
    """axe's violations on `url` as {rule id: (impact, number of nodes)}."""
    page.goto(url)
    found = Axe().run(page).response["violations"]
    return {v["id"]: (v["impact"], len(v["nodes"])) for v in found}


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("prefix", ["", "/de"])
def test_no_serious_or_critical_violation_on_the_main_pages(site, prefix, scheme):
    page = site
    page.emulate_media(color_scheme=scheme)
    report = {name: violations(page, page.base + prefix + path) for name, path in PAGES.items()}
    print(f"\naxe ({prefix or '/'}, {scheme}):", report)
    blocking = {
        name: {rule: found for rule, found in rules.items() if found[0] in BLOCKING}
        for name, rules in report.items()
    }
    assert {name: rules for name, rules in blocking.items() if rules} == {}
