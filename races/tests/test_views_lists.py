import re

import pytest
from django.test import RequestFactory
from django.views.defaults import server_error

BAD_QUERIES = [
    "?page=abc",
    "?page=999999",
    "?page=-1",
    "?per_page=-1",
    "?per_page=0",
    "?per_page=100000",
    "?sort=evil",
    "?sort=-entry_count",
    "?q=" + "x" * 2000,
    "?q=%00",
    "?q=caf%C3%A9%00%01",
    "?nationality=%00",
    "?sort=%00",
    "?page=%00",
    "?nationality=ZZZ",
    "?per_page=abc",
    "?per_page=100000000",
]


@pytest.fixture
def teams(make_team):
    def make(n):
        for i in range(n):
            make_team(f"Team {i:02}")

    return make


@pytest.mark.parametrize("rows", [1, 20])
def test_team_and_circuit_lists_run_a_fixed_number_of_queries(
    client, teams, make_circuit, django_assert_num_queries, rows
):
    teams(rows)
    for i in range(rows):
        make_circuit(f"Circuit {i:02}")
    with django_assert_num_queries(4):  # count, page; savepoint
        client.get("/teams/")
    with django_assert_num_queries(4):
        client.get("/circuits/")


def test_team_list_sorts_and_paginates(client, teams):
    teams(60)
    html = client.get("/teams/?page=2").content.decode()
    assert "Team 50" in html
    assert "Team 00" not in html
    assert "Page 2 of 2" in html
    html = client.get("/teams/?sort=-name").content.decode()
    assert html.index("Team 59") < html.index("Team 58")


def test_team_list_counts_entries_and_sorts_by_count_and_country(
    client, teams, make_team, estoril, classes, make_car
):
    teams(2)
    busy = make_team("Busy Racing", country="FR")
    for number in ("1", "2", "3"):
        make_car(estoril.event, number, classes["LMP2"], team=busy)
    make_team("Quiet Racing", country="DE")
    html = client.get("/teams/?sort=-entry_count").content.decode()
    row = html.split(">Busy Racing</a>", 1)[1].split("</tr>", 1)[0]
    assert '<td class="num">3</td>' in row
    assert "France" in row
    assert html.index("Busy Racing") < html.index("Team 00")
    html = client.get("/teams/?sort=country").content.decode()
    assert html.index("Quiet Racing") < html.index("Busy Racing")  # DE before FR


def test_list_country_cells_never_read_the_country_fields_choices(client, teams, monkeypatch):
    from django_countries.fields import CountryField

    from races.models import Circuit, Team

    def forbidden(*args, **kwargs):
        raise AssertionError("the list read the countries' choices")

    teams(3)
    monkeypatch.setattr(CountryField, "flatchoices", property(forbidden))
    monkeypatch.setattr(Team, "get_country_display", forbidden)
    monkeypatch.setattr(Circuit, "get_country_display", forbidden)
    assert client.get("/teams/").status_code == 200
    assert client.get("/circuits/").status_code == 200


@pytest.mark.parametrize("url", ["/teams/", "/circuits/", "/drivers/", "/search/"])
@pytest.mark.parametrize("query", BAD_QUERIES)
def test_malformed_parameters_answer_a_page_never_an_error(client, grid, url, query):
    grid(3)
    assert client.get(url + query).status_code in (200, 404)


def test_team_page_lists_entries_by_season_with_crews_and_results(client, grid):
    grid(3)
    html = client.get("/teams/pecom-racing/").content.decode()
    assert "<h1>Pecom Racing</h1>" in html
    assert '<h2 id="year-2011">2011</h2>' in html
    assert "Retired — Transmission (gearbox)" in html
    assert '<a href="/drivers/pierre-kaffer/">Pierre Kaffer</a>' in html
    assert 'href="/series/le-mans-series/2011/6-hours-of-estoril/"' in html


@pytest.mark.parametrize("cars", [1, 20])
def test_team_page_runs_a_fixed_number_of_queries(
    client, estoril, classes, make_car, make_team, make_result, django_assert_num_queries, cars
):
    team = make_team("Pecom Racing")
    for n in range(cars):
        make_result(
            estoril, make_car(estoril.event, str(n), classes["LMP2"], ["A B"], team=team), n + 1
        )
    # team, entries, crews, registrations, results, rounds; savepoint
    with django_assert_num_queries(8):
        client.get("/teams/pecom-racing/")


def test_circuit_page_lists_layouts_and_races_with_winners(client, grid, make_layout):
    race = grid(3)
    make_layout(race.event.circuit)
    html = client.get("/circuits/autodromo-do-estoril/").content.decode()
    assert "<h1>Autódromo do Estoril</h1>" in html
    assert "4.182" in html
    assert "6 Hours of Estoril" in html
    assert '<a href="/drivers/emmanuel-collard/">Emmanuel Collard</a>' in html


@pytest.mark.parametrize("events", [1, 20])
def test_circuit_page_runs_a_fixed_number_of_queries(
    client, grid, lms, make_event, make_round, django_assert_num_queries, events
):
    import datetime as dt

    race = grid(3)
    for n in range(1, events):
        event = make_event(f"Race {n}", circuit=race.event.circuit, last_day=dt.date(2010, 1, n))
        make_round(lms, event, 5 + n)
    # circuit, layouts, rounds, winners and their crews; savepoint
    with django_assert_num_queries(7):
        client.get("/circuits/autodromo-do-estoril/")


@pytest.mark.parametrize(
    "query", ["perez companc", "PÉREZ", "  luis   perez ", "pescarolo", "estoril", "ESTORIL"]
)
def test_search_finds_drivers_teams_and_circuits_ignoring_accents_and_case(client, grid, query):
    grid(3)
    html = client.get("/search/", {"q": query}).content.decode()
    assert "Nothing matches" not in html


def test_search_lists_what_it_finds_and_says_when_nothing_matches(client, grid):
    grid(3)
    html = client.get("/search/", {"q": "perez companc"}).content.decode()
    assert '<a href="/drivers/luis-perez-companc/">Luís Pérez Companc</a>' in html
    html = client.get("/search/", {"q": "zzzz"}).content.decode()
    assert "Nothing matches “zzzz”." in html


def test_search_runs_at_most_three_queries(client, grid, django_assert_num_queries):
    grid(20)
    with django_assert_num_queries(5):  # drivers, teams, circuits; savepoint
        client.get("/search/", {"q": "e"})
    with django_assert_num_queries(2):  # an empty query searches nothing
        client.get("/search/")


def test_sitemap_lists_every_public_page(client, grid, lms, django_assert_num_queries):
    from races.models import ChampionshipRules, PointsScale
    from races.stored_standings import refresh

    grid(3)
    ChampionshipRules.objects.create(season=lms, scale=PointsScale.objects.get(slug="elms-2015"))
    refresh(lms)
    # The index: the data version (lastmod); series, seasons, seasons with standings, rounds,
    # drivers, teams, circuits (each section counted for its pages); savepoint
    with django_assert_num_queries(10):
        index = client.get("/sitemap.xml").content.decode()
    xml = ""
    for section in re.findall(r"<loc>http://testserver(/sitemap-[a-z]+\.xml)</loc>", index):
        # the data version, the section's items (the fixed pages need none); savepoint
        with django_assert_num_queries(3 if section == "/sitemap-pages.xml" else 4):
            xml += client.get(section).content.decode()
    for path in [
        "/",
        "/series/",
        "/drivers/",
        "/teams/",
        "/circuits/",
        "/series/le-mans-series/",
        "/series/le-mans-series/2011/",
        "/series/le-mans-series/2011/standings/",
        "/series/le-mans-series/2011/6-hours-of-estoril/",
        "/drivers/pierre-kaffer/",
        "/teams/pecom-racing/",
        "/circuits/autodromo-do-estoril/",
    ]:
        assert f"<loc>http://testserver{path}</loc>" in xml


@pytest.mark.parametrize("url", ["/teams/nope/", "/circuits/nope/", "/nope/", "/drivers/nope/"])
def test_unknown_slugs_answer_the_styled_404(client, db, url):
    response = client.get(url)
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
    assert '<link rel="stylesheet"' in response.content.decode()


def test_the_500_page_is_styled_and_needs_no_database(db):
    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()
    assert "/static/css/site.css" in response.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/",
        "/series/",
        "/series/le-mans-series/",
        "/series/le-mans-series/2011/",
        "/series/le-mans-series/2011/6-hours-of-estoril/",
        "/drivers/",
        "/drivers/pierre-kaffer/",
        "/teams/",
        "/teams/pecom-racing/",
        "/circuits/",
        "/circuits/autodromo-do-estoril/",
        "/search/?q=kaffer",
    ],
)
def test_every_page_has_one_h1_metadata_landmarks_and_the_licence(client, grid, url):
    grid(3)
    html = client.get(url).content.decode()
    assert html.count("<h1") == 1
    assert "<title>" in html
    assert '<meta name="description" content="' in html
    assert f'<link rel="canonical" href="http://testserver{url.split("?")[0]}">' in html
    assert '<meta property="og:title" content="' in html
    assert '<meta property="og:title" content="">' not in html
    assert "<main" in html
    assert "<header" in html
    assert "<footer" in html
    assert "<nav" in html
    assert "CC BY-SA 3.0" in html


@pytest.mark.parametrize("url", ["/drivers/a%00b/", "/series/%00/", "/teams/" + "x" * 2000 + "/"])
def test_nul_bytes_and_long_slugs_in_the_path_answer_404(client, db, url):
    assert client.get(url).status_code == 404


def test_the_page_size_is_the_sites_whatever_the_reader_asks(client, make_driver):
    for n in range(60):
        make_driver(f"Driver {n:02d}")
    response = client.get("/drivers/?per_page=100000")
    assert len(response.context["table"].page.object_list) == 50


def test_each_list_page_is_one_frozen_object_built_whole(teams, make_driver):
    import dataclasses

    from drivers.pages import driver_list_page
    from races.pages import team_list_page

    teams(60)
    page = team_list_page("-name", "2")
    assert [team.name for team in page.table.rows] == [f"Team {i:02}" for i in range(9, -1, -1)]
    assert [(h.column.name, h.css, h.sort) for h in page.table.headers] == [
        ("name", "desc orderable", "name"),
        ("country", "orderable", "country"),
        ("entry_count", "orderable", "entry_count"),
    ]
    assert page.table.page.number == 2
    with pytest.raises(dataclasses.FrozenInstanceError):
        page.table.caption = "Changed"
    assert team_list_page("", "3") is None  # no third page of 60 teams
    make_driver("Jean Dupont", nationality="FR")
    drivers = driver_list_page(" dupont ", "fr", "", "")
    assert drivers.table.caption == "Drivers matching “dupont” of nationality France"
    assert [d.full_name for d in drivers.table.rows] == ["Jean Dupont"]
