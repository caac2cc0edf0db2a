"""Who a page names: a listed driver who did not drive says so, and a driver whose first name no
source gives is named so in words, on every page that shows a crew or a driver, not only on
the profile."""

import datetime as dt
import html
import re

import pytest

from drivers.models import Driver
from races.models import Crew, Title
from races.stored_standings import refresh

ROUND = "/series/le-mans-series/2011/6-hours-of-estoril/"
CREW_PAGES = [
    ROUND,
    "/series/le-mans-series/2011/",
    "/series/le-mans-series/",
    "/circuits/autodromo-do-estoril/",
    "/teams/pescarolo-team/",
    "/",
]
NAME_PAGES = [*CREW_PAGES, "/search/?q=tinseau", "/drivers/?q=tinseau"]


def words(client, url):
    markup = client.get(url).content.decode()
    return html.unescape(re.sub(r"<[^>]+>", "", markup))


@pytest.fixture
def reserve(grid):
    """Estoril 2011 with Tinseau listed in the winning crew, a reserve who did not drive."""
    race = grid(1)
    Crew.objects.filter(driver__full_name="Christophe Tinseau").update(drove=False)
    return race


@pytest.mark.parametrize("url", CREW_PAGES)
def test_a_listed_driver_who_did_not_drive_says_so_in_every_crew(client, reserve, url):
    shown = words(client, url)
    assert "Christophe Tinseau (did not drive)" in shown
    assert "Emmanuel Collard (did not drive)" not in shown


def test_did_not_drive_in_german(client, reserve):
    assert "Christophe Tinseau (nicht gefahren)" in words(client, "/de" + ROUND)


@pytest.mark.parametrize("url", NAME_PAGES)
def test_an_unknown_first_name_is_said_in_words_wherever_the_driver_is_named(client, grid, url):
    grid(1)
    Driver.objects.filter(full_name="Christophe Tinseau").update(
        full_name="Tinseau", first_name_known=False
    )
    shown = words(client, url)
    assert "Tinseau (first name unknown)" in shown
    assert "Emmanuel Collard (first name unknown)" not in shown


def test_an_unknown_first_name_on_the_standings_page(client, grid, lms, classes):
    from decimal import Decimal as D

    from races.models import ChampionshipRules, PointsScale

    grid(1)
    tinseau = Driver.objects.get(full_name="Christophe Tinseau")
    Driver.objects.filter(pk=tinseau.pk).update(full_name="Tinseau", first_name_known=False)
    ChampionshipRules.objects.create(
        season=lms, scale=PointsScale.objects.get(slug="le-mans-series-2010"), pole_points=D(0)
    )
    refresh(lms)
    Title.objects.create(
        season=lms, car_class=classes["LMP1"], kind="drivers", name="Tinseau", driver=tinseau,
        source="a report",
    )  # fmt: skip
    shown = words(client, "/series/le-mans-series/2011/standings/")
    assert "Champion: Tinseau (first name unknown)" in shown
    assert shown.count("Tinseau (first name unknown)") >= 2  # the computed table too


# --- one name, two people ---------------------------------------------------------------------


@pytest.fixture
def namesakes(grid, classes, make_circuit, make_event, make_car):
    """Estoril 2011 (Emmanuel Collard with Christophe Tinseau) and another Emmanuel Collard,
    entered at Le Mans in 1965 and 1967."""
    grid(1)
    sarthe = make_circuit("Circuit de la Sarthe", slug="circuit-de-la-sarthe")
    for year in (1965, 1967):
        event = make_event(
            f"24 Hours of Le Mans {year}",
            circuit=sarthe,
            slug=f"24-hours-of-le-mans-{year}",
            last_day=dt.date(year, 6, 20),
        )
        make_car(event, "5", classes["LMP1"], ["Emmanuel Collard 1965"])
    Driver.objects.filter(slug="emmanuel-collard-1965").update(
        full_name="Emmanuel Collard", search_key="emmanuel collard"
    )


NAMESAKE_PAGES = [
    ROUND,
    "/series/le-mans-series/2011/",
    "/series/le-mans-series/",
    "/circuits/autodromo-do-estoril/",
    "/teams/pescarolo-team/",
    "/",
    "/search/?q=collard",
    "/drivers/?q=collard",
    "/drivers/christophe-tinseau/",  # the co-drivers
]


@pytest.mark.parametrize("url", NAMESAKE_PAGES)
def test_a_name_two_drivers_bear_shows_the_years_wherever_the_driver_is_named(
    client, namesakes, url
):
    shown = words(client, url)
    assert "Emmanuel Collard (2011)" in shown
    assert "Christophe Tinseau (" not in shown.replace("Christophe Tinseau (did not", "")


@pytest.mark.parametrize("url", ["/search/?q=collard", "/drivers/?q=collard"])
def test_the_lists_tell_the_two_apart_by_their_years(client, namesakes, url):
    shown = words(client, url)
    assert "Emmanuel Collard (1965–1967)" in shown
    assert "Emmanuel Collard (2011)" in shown


def test_a_unique_name_shows_no_years(client, namesakes):
    shown = words(client, "/search/?q=tinseau")
    assert "Christophe Tinseau" in shown
    assert not re.search(r"Tinseau \(\d", shown)


def test_the_years_follow_an_unknown_first_name_in_both_languages(client, grid, make_driver):
    grid(1)
    make_driver("Tinseau 2", slug="tinseau-2")  # entered nowhere: no years to show
    Driver.objects.filter(slug__startswith="tinseau-2").update(
        full_name="Tinseau", search_key="tinseau", first_name_known=False
    )
    Driver.objects.filter(slug="christophe-tinseau").update(
        full_name="Tinseau", search_key="tinseau", first_name_known=False
    )
    assert "Tinseau (first name unknown, 2011)" in words(client, ROUND)
    assert "Tinseau (Vorname unbekannt, 2011)" in words(client, "/de" + ROUND)


def test_the_standings_name_namesakes_with_their_years(client, namesakes, lms, classes):
    from decimal import Decimal as D

    from races.models import ChampionshipRules, PointsScale

    ChampionshipRules.objects.create(
        season=lms, scale=PointsScale.objects.get(slug="le-mans-series-2010"), pole_points=D(0)
    )
    refresh(lms)
    collard = Driver.objects.get(slug="emmanuel-collard")
    Title.objects.create(
        season=lms, car_class=classes["LMP1"], kind="drivers", name="Emmanuel Collard",
        driver=collard, source="a report",
    )  # fmt: skip
    page = client.get("/series/le-mans-series/2011/standings/")
    shown = html.unescape(re.sub(r"<[^>]+>", "", page.content.decode()))
    assert "Champion: Emmanuel Collard (2011)" in shown
    assert shown.count("Emmanuel Collard (2011)") >= 2  # the title and the table
    assert "Christophe Tinseau (" not in shown


@pytest.mark.parametrize(
    ("url", "queries"),
    [(ROUND, 11), ("/search/?q=collard", 5), ("/drivers/?q=collard", 5)],
)
def test_the_years_cost_no_query(client, namesakes, django_assert_num_queries, url, queries):
    # The counts pinned for these pages (test_views_round.py, test_views_lists.py,
    # drivers/tests/test_views.py): the years are read with the driver.
    with django_assert_num_queries(queries):
        client.get(url)
