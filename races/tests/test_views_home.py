import datetime as dt

import pytest
import time_machine

from races.models import Event


@pytest.fixture
def calendar(lms, make_event, make_round, grid, make_circuit):
    race = grid(3)
    make_round(
        lms,
        make_event(
            "6 Hours of Silverstone",
            circuit=make_circuit("Silverstone Circuit", country="GB", time_zone="Europe/London"),
            first_day=dt.date(2011, 9, 9),
            last_day=dt.date(2011, 9, 11),
        ),
        number=4,
    )
    race.event.status = Event.Status.SCHEDULED
    race.event.save()
    return race


@time_machine.travel(dt.datetime(2011, 9, 20, 12, tzinfo=dt.UTC), tick=False)
def test_home_shows_the_next_round_with_a_countdown(client, calendar):
    html = client.get("/").content.decode()
    next_event = html.split('id="next-h"', 1)[1].split("</section>", 1)[0]
    assert "Next event" in next_event
    assert "6 Hours of Estoril" in next_event
    assert "23–25 Sep 2011" in next_event
    assert "Autódromo do Estoril" in next_event
    assert "Starts in" in next_event
    assert "2\xa0days" in next_event
    latest = html.split('id="latest-h"', 1)[1].split("</section>", 1)[0]
    assert "6 Hours of Silverstone" in latest


@time_machine.travel(dt.datetime(2011, 9, 24, 12, tzinfo=dt.UTC), tick=False)
def test_home_says_when_the_event_is_under_way(client, calendar):
    html = client.get("/").content.decode()
    assert "Under way" in html
    assert "Starts in" not in html


@time_machine.travel(dt.datetime(2011, 12, 1, 12, tzinfo=dt.UTC), tick=False)
def test_home_with_nothing_scheduled_shows_the_latest_class_winners(client, grid):
    grid(5)
    html = client.get("/").content.decode()
    assert "No event is scheduled" in html
    latest = html.split('id="latest-h"', 1)[1].split("</section>", 1)[0]
    assert "6 Hours of Estoril" in latest
    assert latest.index("Pescarolo Team") < latest.index("TDS Racing") < latest.index("#103")
    assert 'href="/series/le-mans-series/2011/"' in html
    assert 'action="/search/"' in html


def test_home_with_no_data_at_all(client, db):
    response = client.get("/")
    assert response.status_code == 200
    assert "No event on record yet." in response.content.decode()


@pytest.mark.parametrize("cars", [1, 20])
@time_machine.travel(dt.datetime(2011, 9, 30, 12, tzinfo=dt.UTC), tick=False)  # after Estoril
def test_home_runs_a_fixed_number_of_queries(
    client, lms, grid, make_event, make_round, django_assert_num_queries, cars
):
    race = grid(cars)
    for week in range(cars):
        event = make_event(
            f"Race {week}",
            circuit=race.event.circuit,
            last_day=dt.date(2011, 10, 2 + week),
            status="scheduled",
        )
        make_round(lms, event, 6 + week)
    # next round, latest round, its class winners and their crews, series, seasons; savepoint
    with django_assert_num_queries(8):
        client.get("/")


def test_health_answers_without_the_database(client, db, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get("/health/")
    assert response.content == b"ok"


@time_machine.travel(dt.datetime(2011, 9, 20, 12, tzinfo=dt.UTC), tick=False)
def test_home_goes_by_the_date_so_the_next_round_on_20_september_2011_is_estoril(client, calendar):
    calendar.event.status = Event.Status.COMPLETED  # as in the demo data: the results are in
    calendar.event.save()
    html = client.get("/").content.decode()
    assert "6 Hours of Estoril" in html.split('id="next-h"', 1)[1].split("</section>", 1)[0]
    assert "6 Hours of Silverstone" in html.split('id="latest-h"', 1)[1].split("</section>", 1)[0]


def main_of(response):
    """The page's own content (the head carries a per-request CSP nonce)."""
    return response.content.decode().split("<main", 1)[1].split("</main>", 1)[0]


def max_age(response):
    return int(response["Cache-Control"].split("max-age=", 1)[1].split(",", 1)[0])


@pytest.mark.parametrize(
    ("now", "seconds"),
    [
        # Estoril starts at midnight in Lisbon on 23 Sep (22 Sep, 23:00 UTC): the countdown
        # ("2 days, 10 hours", rounded down) next reads differently on the next whole hour
        # before the start, at once on a whole hour (a second is the least) …
        ("2011-09-20 12:20:30", 2370),
        ("2011-09-20 12:00:00", 1),
        # … within a day of the start, a minute later; then the start itself: "under way"
        ("2011-09-22 22:58:50", 10),
        ("2011-09-22 22:59:40", 20),
        # under way until midnight (Paris, the site's zone) after its last day, 25 Sep
        ("2011-09-24 12:00:00", 122_400),
        ("2011-09-25 21:59:59", 1),
    ],
)
def test_home_is_valid_until_the_clock_changes_it_and_no_longer(client, calendar, now, seconds):
    moment = dt.datetime.fromisoformat(now).replace(tzinfo=dt.UTC)
    with time_machine.travel(moment, tick=False):
        response = client.get("/")
    assert max_age(response) == seconds
    assert "Expires" in response
    with time_machine.travel(moment + dt.timedelta(seconds=seconds - 1), tick=False):
        just_before = main_of(client.get("/"))
    with time_machine.travel(moment + dt.timedelta(seconds=seconds + 0.5), tick=False):
        then = main_of(client.get("/"))
    assert just_before == main_of(response)
    assert then != just_before


@time_machine.travel(dt.datetime(2011, 12, 1, 12, tzinfo=dt.UTC), tick=False)
def test_home_with_no_round_ahead_sets_no_expiry_of_its_own(client, grid):
    grid(3)
    response = client.get("/")
    assert "max-age" not in response.get("Cache-Control", "")
