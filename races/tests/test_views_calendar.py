import datetime as dt

import pytest


def test_season_calendar_lists_rounds_with_dates_status_and_class_winners(
    client, grid, lms, make_event, make_round, make_circuit
):
    grid(5)
    imola = make_event(
        "6 Hours of Imola",
        circuit=make_circuit(
            "Autodromo Enzo e Dino Ferrari", country="IT", time_zone="Europe/Rome"
        ),
        last_day=dt.date(2011, 7, 3),
        status="scheduled",
        postponed_from=dt.date(2011, 5, 15),
        postponement_reason="Calendar clash",
    )
    make_round(lms, imola, 3)
    html = client.get("/series/le-mans-series/2011/").content.decode()
    assert "<h1>2011 Le Mans Series</h1>" in html
    assert "23–25 Sep 2011" in html
    assert "3 Jul 2011" in html
    assert "Postponed from 15 May 2011 — Calendar clash" in html
    assert "Italy" in html
    assert html.index("6 Hours of Imola") < html.index("6 Hours of Estoril")
    winners = html.split("6 Hours of Estoril", 1)[1].split("</tr>", 1)[0]
    assert winners.index("Pescarolo Team") < winners.index("TDS Racing") < winners.index("#103")
    assert "Pecom Racing" not in winners
    assert "results of this season on record are incomplete" in html


def test_calendar_names_the_other_championships_of_a_shared_event(
    client, grid, make_series, make_season, make_round
):
    race = grid(1)
    ilmc = make_season(make_series("Intercontinental Le Mans Cup"), 2011)
    make_round(ilmc, race.event, 7)
    html = client.get("/series/le-mans-series/2011/").content.decode()
    assert (
        '<a href="/series/intercontinental-le-mans-cup/2011/6-hours-of-estoril/">'
        "2011 Intercontinental Le Mans Cup</a>" in html
    )


@pytest.mark.parametrize("rounds", [1, 20])
def test_calendar_runs_a_fixed_number_of_queries(
    client, grid, lms, make_event, make_round, django_assert_num_queries, rounds
):
    race = grid(3)
    for n in range(1, rounds):
        event = make_event(f"Race {n}", circuit=race.event.circuit, last_day=dt.date(2011, 3, n))
        make_round(lms, event, 5 + n)
    # season, rounds, classes, class winners and their crews, other championships; savepoint
    with django_assert_num_queries(8):
        client.get("/series/le-mans-series/2011/")


def test_one_race_series_lists_every_edition_with_its_overall_winner(
    client,
    make_series,
    make_season,
    make_event,
    make_round,
    make_session,
    make_car,
    make_result,
    make_circuit,
    make_class,
):
    series = make_series("24 Hours of Le Mans")
    sarthe = make_circuit("Circuit de la Sarthe", country="FR", time_zone="Europe/Paris")
    car_class = make_class("S3.0")
    for year, winner in [(1969, "Jacky Ickx"), (1970, "Hans Herrmann")]:
        season = make_season(series, year, name=f"{year} 24 Hours of Le Mans")
        event = make_event("24 Hours of Le Mans", circuit=sarthe, last_day=dt.date(year, 6, 15))
        make_round(season, event)
        race = make_session(event=event)
        make_result(race, make_car(event, "6", car_class, [winner]), 1, class_position=1)
    html = client.get("/series/24-hours-of-le-mans/").content.decode()
    assert "Every edition with its overall winner" in html
    assert html.index("Hans Herrmann") < html.index("Jacky Ickx")
    assert 'href="/series/24-hours-of-le-mans/1969/24-hours-of-le-mans/"' in html
    assert client.get("/series/24-hours-of-le-mans/1969/").status_code == 200


@pytest.mark.parametrize("seasons", [1, 20])
def test_series_pages_run_a_fixed_number_of_queries(
    client, make_series, make_season, django_assert_num_queries, seasons
):
    series = make_series()
    for year in range(2000, 2000 + seasons):
        make_season(series, year)
    with django_assert_num_queries(4):  # series, seasons; savepoint
        client.get("/series/")
    # series, seasons, rounds, overall winners (no crews to prefetch when none); savepoint
    with django_assert_num_queries(6):
        client.get("/series/le-mans-series/")


def test_series_list_links_every_season(client, lms):
    html = client.get("/series/").content.decode()
    assert '<a href="/series/le-mans-series/">Le Mans Series</a>' in html
    assert '<a href="/series/le-mans-series/2011/">2011</a>' in html


@pytest.mark.parametrize(
    "url", ["/series/nope/", "/series/le-mans-series/1900/", "/series/le-mans-series/abc/"]
)
def test_unknown_series_and_seasons_answer_404(client, lms, url):
    assert client.get(url).status_code == 404


def test_a_car_registered_only_for_another_championship_is_no_class_winner(
    client, estoril, classes, make_car, make_result, make_series, make_season, make_round
):
    ilmc = make_season(make_series("Intercontinental Le Mans Cup"), 2011)
    make_round(ilmc, estoril.event, 2)
    peugeot = make_car(estoril.event, "7", classes["LMP1"], ["Marc Gené"], registered_for=[ilmc])
    make_result(estoril, peugeot, 1, class_position=1)
    lms_page = client.get("/series/le-mans-series/2011/").content.decode()
    ilmc_page = client.get("/series/intercontinental-le-mans-cup/2011/").content.decode()
    assert "Marc Gené" not in lms_page.split("6 Hours of Estoril", 1)[1]
    assert "Marc Gené" in ilmc_page.split("6 Hours of Estoril", 1)[1]
