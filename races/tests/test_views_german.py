"""The German pages under /de/: interface, dates and numbers in German, data text as entered
and marked as English, every link kept in the reader's language, the same queries as in
English."""

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from lmsite.languages import path_in
from races import formats

ROUND = "/series/le-mans-series/2011/6-hours-of-estoril/"


def links(html):
    """The page's own links (not the language switch, the stylesheets or the licences)."""
    body = re.sub(r'<nav class="languages".*?</nav>', "", html.split("<body>", 1)[1], flags=re.S)
    return [href for href in re.findall(r'href="([^"#]*)"', body) if href.startswith("/")]


def test_the_german_round_page_reads_in_german(client, grid):
    grid(5)
    html = client.get(f"/de{ROUND}").content.decode()
    assert '<html lang="de">' in html
    assert "Starterliste" in html
    assert "23.–25. Sept. 2011" in html
    assert "Rennen, Gesamtwertung" in html
    assert "6:00:24,815" in html
    assert '<h1 lang="en">6 Hours of Estoril <span class="sub" lang="de">Lauf 5 der' in html
    assert 'Ausgefallen — <span lang="en">Transmission (gearbox)</span>' in html
    assert "+6 Runden" in html


def test_every_link_of_a_german_page_stays_in_german(client, grid):
    grid(3)
    for url in ["/de/", f"/de{ROUND}", "/de/drivers/pierre-kaffer/", "/de/teams/pecom-racing/"]:
        found = links(client.get(url).content.decode())
        assert found
        assert [href for href in found if not href.startswith(("/de/", "/static/"))] == []


def test_the_english_pages_keep_their_addresses(client, grid):
    grid(3)
    html = client.get(ROUND).content.decode()
    assert '<html lang="en">' in html
    assert [href for href in links(html) if href.startswith("/de/")] == []
    assert 'lang="en"' not in html.split("<body>", 1)[1].replace(
        '<span aria-current="page" lang="en">', ""
    )


@pytest.mark.parametrize(
    ("url", "other"),
    [
        ("/", '<a href="/de/" hreflang="de" lang="de">Deutsch</a>'),
        ("/de/", '<a href="/" hreflang="en" lang="en">English</a>'),
        ("/search/?q=kaffer", '<a href="/de/search/?q=kaffer" hreflang="de"'),
        ("/de/teams/?page=2", '<a href="/teams/?page=2" hreflang="en"'),
    ],
)
def test_the_language_switch_links_to_the_same_page_in_the_other_language(client, db, url, other):
    html = client.get(url).content.decode()
    assert other in html
    assert 'rel="alternate" hreflang="de"' in html


def test_path_in_adds_or_removes_the_language_prefix():
    assert path_in("/teams/", "de") == "/de/teams/"
    assert path_in("/de/teams/", "en") == "/teams/"
    assert path_in("/de/teams/", "de") == "/de/teams/"
    assert path_in("/de", "en") == "/"
    assert path_in("/", "de") == "/de/"
    assert path_in("/design/", "de") == "/de/design/"


@pytest.mark.parametrize(
    "url", ["/", "/series/le-mans-series/2011/", ROUND, "/drivers/pierre-kaffer/", "/search/?q=e"]
)
def test_a_german_page_runs_the_queries_of_its_english_page(client, grid, url):
    grid(5)
    client.get(url)  # warm caches shared by both languages
    with CaptureQueriesContext(connection) as english:
        assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as german:
        assert client.get(f"/de{url}").status_code == 200
    assert len(german) == len(english)


def test_links_keep_the_language_of_the_page(client, grid):
    grid(3)
    german = client.get("/de/series/le-mans-series/2011/6-hours-of-estoril/").content.decode()
    english = client.get("/series/le-mans-series/2011/6-hours-of-estoril/").content.decode()
    assert 'href="/de/drivers/pierre-kaffer/"' in german
    assert 'href="/de/teams/pecom-racing/"' in german
    assert 'href="/drivers/pierre-kaffer/"' in english


def test_dates_and_times_read_in_german():
    with translation.override("de"):
        assert (
            formats.date_range(dt.date(2011, 9, 23), dt.date(2011, 9, 25)) == "23.–25. Sept. 2011"
        )
        assert (
            formats.date_range(dt.date(2011, 9, 30), dt.date(2011, 10, 1))
            == "30. Sept. – 1. Okt. 2011"
        )
        assert formats.date_range(None, dt.date(2011, 7, 3)) == "3. Juli 2011"
        assert formats.format_duration(dt.timedelta(minutes=3, seconds=41.123)) == "3:41,123"
    with translation.override("en"):
        assert formats.date_range(dt.date(2011, 9, 23), dt.date(2011, 9, 25)) == "23–25 Sep 2011"
        assert formats.format_duration(dt.timedelta(minutes=3, seconds=41.123)) == "3:41.123"


def test_health_admin_and_sitemap_stay_outside_the_language_prefix(client, grid):
    grid(3)
    assert client.get("/health/").status_code == 200
    assert client.get("/de/health/").status_code == 404
    assert client.get("/de/admin/").status_code == 404
    assert "<loc>http://testserver/sitemap-drivers.xml</loc>" in client.get("/sitemap.xml").text
    xml = client.get("/sitemap-drivers.xml").content.decode()
    assert "<loc>http://testserver/de/drivers/pierre-kaffer/</loc>" in xml
    assert 'hreflang="de" href="http://testserver/de/drivers/pierre-kaffer/"' in xml
    assert 'hreflang="x-default" href="http://testserver/drivers/pierre-kaffer/"' in xml


def test_a_missing_german_page_answers_in_german(client, db):
    response = client.get("/de/nope/")
    assert response.status_code == 404
    assert "Seite nicht gefunden" in response.content.decode()
