"""The editors' admin: lists that say which year, filters that never fail, the editor's
language and date formats, countries typed, the site's name and the next event on the index."""

import datetime as dt
import html
import re

import pytest
from django.utils import timezone

from races.models import Circuit, Event, Team

pytestmark = pytest.mark.django_db


def page_text(response):
    return html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode()))


@pytest.fixture
def pecom_49(
    make_series,
    make_season,
    make_class,
    make_circuit,
    make_event,
    make_round,
    make_session,
    make_entry,
):
    """The Pecom #49 at Le Mans in 2012 and in 2013: same number, team and event name."""
    lmp2 = make_class("LMP2")
    series = make_series("24 Hours of Le Mans", slug="24-hours-of-le-mans")
    cars = {}
    circuit = make_circuit("Circuit de la Sarthe", country="FR", time_zone="Europe/Paris")
    for year in (2012, 2013):
        season = make_season(series, year, name=f"{year} 24 Hours of Le Mans", classes=[lmp2])
        day = dt.date(year, 6, 17 + year - 2012)
        event = make_event("24 Hours of Le Mans", circuit=circuit, last_day=day)
        make_round(season, event)
        make_session(event)
        cars[year] = make_entry(event, number="49", car_class=lmp2, entrant="Pecom Racing")
    return cars


def rows(response, column):
    """The text of `column` in each row of a changelist, top to bottom."""
    cells = re.findall(rf'<t[dh] class="field-{column}[^"]*">(.*?)</t[dh]>', response.text, re.S)
    return [html.unescape(re.sub(r"<[^>]+>", "", cell)).strip() for cell in cells]


def test_the_entry_list_tells_two_years_of_one_car_apart(admin_client, pecom_49):
    response = admin_client.get("/admin/races/entry/?q=49")
    assert response.status_code == 200
    assert rows(response, "year") == ["2013", "2012"]  # newest first
    assert rows(response, "seasons") == ["2013 24 Hours of Le Mans", "2012 24 Hours of Le Mans"]
    assert rows(response, "car_class") == ["LMP2", "LMP2"]


def test_the_entry_autocomplete_names_the_year_event_and_class(admin_client, pecom_49):
    response = admin_client.get(
        "/admin/autocomplete/",
        {"app_label": "races", "model_name": "result", "field_name": "entry", "term": "49"},
    )
    texts = sorted(r["text"] for r in response.json()["results"])
    assert texts == [
        "#49 Pecom Racing · 24 Hours of Le Mans 2012 · LMP2",
        "#49 Pecom Racing · 24 Hours of Le Mans 2013 · LMP2",
    ]


@pytest.mark.parametrize(
    ("changelist", "column"),
    [
        ("races/session", "year"),
        ("races/entry", "year"),
        ("races/result", "year"),
        ("races/round", "year"),
    ],
)
def test_the_lists_open_newest_first_and_filter_by_year(
    admin_client, pecom_49, make_result, changelist, column
):
    for car in pecom_49.values():
        make_result(car.event.sessions.get(), car)
    response = admin_client.get(f"/admin/{changelist}/")
    assert rows(response, column) == ["2013", "2012"]
    filtered = admin_client.get(f"/admin/{changelist}/?year=2012")
    assert filtered.status_code == 200
    assert rows(filtered, column) == ["2012"]
    assert ">2013</a>" in filtered.text  # the year filter offers the years of the seasons


@pytest.mark.parametrize(
    "changelist", ["races/session", "races/entry", "races/result", "races/round"]
)
@pytest.mark.parametrize("value", ["abc", "99999", "²⁰¹²", "2012x", "", "-1", "0x7dc", "2012\x00"])
def test_a_year_filter_with_a_value_that_is_not_a_year_goes_back_to_the_list(
    admin_client, pecom_49, changelist, value
):
    response = admin_client.get(f"/admin/{changelist}/", {"year": value})
    assert response.status_code == 302
    assert response["Location"].endswith("?e=1")


def test_the_session_list_shows_the_championships_and_filters_by_series(admin_client, pecom_49):
    series = pecom_49[2012].event.rounds.get().season.series
    response = admin_client.get(
        f"/admin/races/session/?event__rounds__season__series__id__exact={series.pk}&year=2013"
    )
    assert rows(response, "seasons") == ["2013 24 Hours of Le Mans"]


# --- the site's name, the editor's language ---------------------------------------------------


def test_the_admin_names_the_site(admin_client):
    response = admin_client.get("/admin/")
    assert "lmsite editors" in response.text
    assert "Django administration" not in response.text
    assert "Django-Administration" not in response.text


def test_a_german_editor_gets_the_admin_in_german(admin_client):
    response = admin_client.get("/admin/", headers={"accept-language": "de"})
    assert '<html lang="de"' in response.text
    assert "lmsite-Redaktion" in response.text
    assert "Accept-Language" in response["Vary"]
    assert response["Content-Language"] == "de"
    # The language was the request's only: the thread is back to the default after it.
    from django.utils import translation

    assert translation.get_language() == "en"


def test_a_german_editor_reads_and_enters_dates_in_german_formats(
    admin_client, make_event, make_session
):
    event = make_event(first_day=dt.date(2011, 9, 23), last_day=dt.date(2011, 9, 25))
    make_session(event, start=dt.datetime(2011, 9, 25, 10, 30, tzinfo=dt.UTC))
    german = {"accept-language": "de"}
    form = admin_client.get(f"/admin/races/event/{event.pk}/change/", headers=german)
    assert 'value="25.09.2011"' in form.text
    listed = admin_client.get("/admin/races/event/", headers=german)
    assert "25. September 2011" in page_text(listed)
    sessions = admin_client.get("/admin/races/session/", headers=german)
    assert "25. September 2011 11:30" in page_text(sessions)  # local time in Estoril


def test_the_editor_language_cookie_wins_over_the_browser(admin_client, settings):
    admin_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "de"
    response = admin_client.get("/admin/", headers={"accept-language": "en"})
    assert '<html lang="de"' in response.text


def test_the_public_pages_keep_their_language_by_address(client):
    response = client.get("/", headers={"accept-language": "de"})
    assert '<html lang="en"' in response.text


# --- dates without a time, countries ----------------------------------------------------------


def test_a_date_only_field_does_not_point_at_a_time_zone_warning(admin_client, make_event):
    event = make_event()
    form = admin_client.get(f"/admin/races/event/{event.pk}/change/").text
    last_day = re.search(r'<input[^>]*name="last_day"[^>]*>', form)[0]
    assert "timezone_warning" not in last_day
    assert "data-date-only" in last_day
    # After the calendar script, which it changes.
    assert form.index("admin/js/admin/DateTimeShortcuts.js") < form.index("js/admin-date-only.js")


def test_a_date_and_time_field_keeps_its_time_zone_warning(admin_client, make_session):
    session = make_session()
    form = admin_client.get(f"/admin/races/session/{session.pk}/change/").text
    start = re.search(r'<input[^>]*name="start_0"[^>]*>', form)[0]
    assert "timezone_warning" in start
    assert "data-date-only" not in start


def test_a_country_is_typed_with_suggestions_not_picked_from_a_long_list(admin_client, make_driver):
    driver = make_driver(nationality="FR")
    form = admin_client.get(f"/admin/drivers/driver/{driver.pk}/change/").text
    field = re.search(r'<input[^>]*name="nationality"[^>]*>', form)[0]
    assert 'value="France"' in field
    assert 'list="id_nationality_countries"' in field
    assert '<select name="nationality"' not in form
    assert '<option value="Germany">' in form


@pytest.mark.parametrize(
    ("typed", "language", "code"),
    [
        ("Germany", "en", "DE"),
        ("germany", "en", "DE"),
        ("Deutschland", "de", "DE"),
        ("Germany", "de", "DE"),
        ("de", "en", "DE"),
        ("Östérreich", "de", "AT"),
        ("East Germany", "en", "DD"),
        ("", "en", ""),
    ],
)
def test_a_typed_country_is_read_in_the_editor_language_or_english(
    admin_client, make_team, typed, language, code
):
    from races.tests.test_admin import AdminForm

    team = make_team(country="AR")
    form = AdminForm(admin_client, f"/admin/races/team/{team.pk}/change/")
    response = admin_client.post(
        form.url,
        {**form.data, "country": typed, "_save": "Save"},
        headers={"accept-language": language},
    )
    assert response.status_code == 302
    assert Team.objects.get(pk=team.pk).country == code


def test_a_country_that_is_not_one_is_a_form_error(admin_client, make_circuit):
    from races.tests.test_admin import AdminForm

    circuit = make_circuit()
    form = AdminForm(admin_client, f"/admin/races/circuit/{circuit.pk}/change/")
    response = form.post(country="Narnia")
    assert response.status_code == 200
    assert "“Narnia” is not a country known here" in page_text(response)
    assert Circuit.objects.get(pk=circuit.pk).country == "PT"


def test_a_crew_member_nationality_is_typed_in_the_entry_crew(admin_client, make_entry, make_crew):
    from races.tests.test_admin import AdminForm

    entry = make_entry()
    crew = make_crew(entry, nationality="FR")
    form = AdminForm(admin_client, f"/admin/races/entry/{entry.pk}/change/")
    assert form.data["crew-0-nationality"] == "France"
    assert form.post(**{"crew-0-nationality": "Germany"}).status_code == 302
    crew.refresh_from_db()
    assert crew.nationality == "DE"


# --- the index --------------------------------------------------------------------------------


def test_the_index_offers_the_next_event_and_the_last_without_results(
    admin_client, make_circuit, make_event, make_session
):
    today = timezone.localdate()
    past = make_event("6 Hours of Estoril", last_day=today - dt.timedelta(days=3))
    elsewhere = {"circuit": make_circuit("Circuit de Spa-Francorchamps", country="BE")}
    race = make_session(past, results_status="none")
    done = make_event("1000 km of Spa", last_day=today - dt.timedelta(days=30), **elsewhere)
    make_session(done, results_status="final")
    coming = make_event("6 Hours of Imola", last_day=today + dt.timedelta(days=10), **elsewhere)
    response = admin_client.get("/admin/")
    text = page_text(response)
    assert "Next event 6 Hours of Imola" in " ".join(text.split())
    assert "Last event without final results 6 Hours of Estoril" in " ".join(text.split())
    assert "1000 km of Spa" not in text
    assert f'href="/admin/races/event/{coming.pk}/change/"' in response.text
    assert "Enter the results of 6 Hours of Imola" in text
    # The event with a race links straight to that race's results grid.
    assert f'href="/admin/races/event/{past.pk}/results/{race.pk}/"' in response.text


def test_the_index_without_events_shows_the_applications(admin_client):
    response = admin_client.get("/admin/")
    assert response.status_code == 200
    assert "Results to enter" not in response.text
    assert not Event.objects.exists()


def test_the_index_offers_no_event_to_a_staff_member_who_cannot_edit_events(
    client, make_event, django_user_model
):
    make_event(last_day=timezone.localdate() + dt.timedelta(days=10))
    user = django_user_model.objects.create_user("visitor", password="x", is_staff=True)
    client.force_login(user)
    response = client.get("/admin/")
    assert response.status_code == 200
    assert "Results to enter" not in response.text
