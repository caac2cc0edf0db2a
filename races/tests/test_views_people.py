"""Who a page names: a listed driver who did not drive says so, and a driver whose first name no
source gives is named so in words, on every page that shows a crew or a driver, not only on
the profile."""

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
