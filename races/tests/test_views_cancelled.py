"""A cancelled event no source dates (Le Mans 1936, 1940–1948) has no date: its pages say
"cancelled" where others give the days, and it keeps its place by year."""

import datetime as dt
import html
import re

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from races.models import Event


def words(client, url):
    markup = client.get(url).content.decode()
    return html.unescape(re.sub(r"<[^>]+>", " ", markup))


@pytest.fixture
def le_mans(make_series, make_season, make_event, make_round, make_circuit, classes, make_car):
    """The 24 Hours of Le Mans of 1939, 1944 (cancelled, no date) and 1949."""
    series = make_series("24 Hours of Le Mans", slug="24-hours-of-le-mans")
    circuit = make_circuit("Circuit de la Sarthe", country="FR", time_zone="Europe/Paris")
    events = {}
    for year, day in [(1939, dt.date(1939, 6, 18)), (1944, None), (1949, dt.date(1949, 6, 26))]:
        season = make_season(series, year, name=f"{year} 24 Hours of Le Mans")
        status = "cancelled" if day is None else "completed"
        reason = "World War II" if day is None else ""
        events[year] = make_event(
            "24 Hours of Le Mans", circuit=circuit, last_day=day, status=status,
            cancellation_reason=reason,
        )  # fmt: skip
        make_round(season, events[year])
    make_car(events[1944], "7", classes["LMP1"], ["Raymond Sommer"], status="did_not_arrive")
    make_car(events[1939], "8", classes["LMP1"], ["Raymond Sommer"], team=None)
    return events


@pytest.mark.parametrize(
    "url",
    [
        "/series/24-hours-of-le-mans/",
        "/series/24-hours-of-le-mans/1944/",
        "/series/24-hours-of-le-mans/1944/24-hours-of-le-mans/",
        "/circuits/circuit-de-la-sarthe/",
        "/drivers/raymond-sommer/",
    ],
)
def test_a_cancelled_event_without_a_date_says_cancelled(client, le_mans, url):
    response = client.get(url)
    assert response.status_code == 200
    assert re.search(r">\s*cancelled\s*<", response.content.decode())


def test_cancelled_in_german(client, le_mans):
    shown = words(client, "/de/series/24-hours-of-le-mans/1944/24-hours-of-le-mans/")
    assert "abgesagt" in shown


@pytest.mark.parametrize(
    "url",
    [
        "/series/24-hours-of-le-mans/",
        "/series/24-hours-of-le-mans/1944/",
        "/series/24-hours-of-le-mans/1944/24-hours-of-le-mans/",
    ],
)
def test_a_known_cancellation_reason_reads_in_the_language_of_the_page(client, le_mans, url):
    assert "Cancelled — World War II" in words(client, url)
    german = client.get("/de" + url).content.decode()
    assert "Abgesagt — Zweiter Weltkrieg" in html.unescape(german)
    assert "World War II" not in german


def test_another_cancellation_reason_is_shown_as_stored_marked_english(client, le_mans):
    Event.objects.filter(pk=le_mans[1944].pk).update(cancellation_reason="Flooding")
    german = client.get("/de/series/24-hours-of-le-mans/1944/").content.decode()
    assert '— <span lang="en">Flooding</span>' in html.unescape(german)


def test_every_cancellation_reason_of_the_le_mans_data_is_translated():
    import csv
    from pathlib import Path

    from django.utils import translation

    from races import formats

    path = Path(formats.__file__).parent / "demo" / "data" / "lemans24" / "races.csv"
    with open(path, encoding="utf-8", newline="") as handle:
        rows = csv.DictReader(handle)
        reasons = {row["Cancellation_reason"] for row in rows if row["Cancelled"] == "1"}
    assert reasons == set(formats.CANCELLATION_REASONS)
    with translation.override("de"):
        german = {formats.cancellation_reason(reason) for reason in reasons}
    assert not german & reasons  # each reads in German
    assert formats.cancellation_reason("Flooding") is None


def test_the_editions_keep_their_order_by_year(client, le_mans):
    circuit = client.get("/circuits/circuit-de-la-sarthe/").content.decode()
    assert circuit.index("1949 24 Hours") < circuit.index("1944 24 Hours")
    assert circuit.index("1944 24 Hours") < circuit.index("1939 24 Hours")
    profile = client.get("/drivers/raymond-sommer/").context["page"]
    assert [r.event.pk for r in profile.races] == [le_mans[1944].pk, le_mans[1939].pk]


def test_the_sitemap_lists_the_cancelled_round(client, le_mans):
    sitemap = client.get("/sitemap-rounds.xml").content.decode()
    assert "/series/24-hours-of-le-mans/1944/24-hours-of-le-mans/" in sitemap


def test_only_a_cancelled_event_may_lack_a_date(make_event):
    with pytest.raises(ValidationError):
        Event(name="Race", slug="race", status="completed", last_day=None).full_clean(
            exclude=["circuit"]
        )
    with pytest.raises(IntegrityError):
        make_event("Race", last_day=None, status="scheduled")


def test_a_cancelled_event_without_a_last_day_has_no_first_day(make_event):
    with pytest.raises(IntegrityError):
        make_event("Race", first_day=dt.date(1944, 6, 17), last_day=None, status="cancelled")
