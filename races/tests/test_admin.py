"""The editors' admin: every page renders, every rule is a form error, never a 500.

Forms are posted as a browser would: the change form is fetched, its fields are read from the
HTML (inline rows and the empty row template included), some are changed, and it is posted back.
"""

import datetime as dt
import html
from decimal import Decimal
from html.parser import HTMLParser
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import Group, User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.html import strip_tags

from drivers.models import Driver
from races.models import (
    Adjustment,
    CarClass,
    ChampionshipRules,
    Circuit,
    CircuitLayout,
    ClassName,
    ClassScale,
    Crew,
    DriverLicence,
    Entry,
    Event,
    PointsScale,
    PoleAward,
    Registration,
    Result,
    Round,
    ScalePoints,
    Season,
    SeasonClass,
    Series,
    Session,
    Team,
    Title,
)

pytestmark = pytest.mark.django_db

UTC = dt.UTC


# --- reading and posting admin forms ----------------------------------------------------------


class FormReader(HTMLParser):
    """Collects what the admin change form would post, and the empty inline row templates."""

    def __init__(self):
        super().__init__()
        self.data, self.templates = {}, {}
        self.in_form = False
        self.select = self.textarea = None

    def field(self, name, value):
        if "__prefix__" in name:
            prefix, _, field = name.partition("-__prefix__-")
            self.templates.setdefault(prefix, {})[field] = value
        elif isinstance(self.data.get(name), list):
            self.data[name].append(value)
        else:
            self.data[name] = value

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.in_form = (attrs.get("id") or "").endswith("_form")
        if not self.in_form or ("name" not in attrs and tag != "option"):
            return
        if tag == "input":
            kind = attrs.get("type", "text")
            if kind in ("submit", "button", "image", "file"):
                return
            if kind in ("checkbox", "radio") and "checked" not in attrs:
                return
            self.field(attrs["name"], attrs.get("value") or ("on" if kind == "checkbox" else ""))
        elif tag == "select":
            self.select = attrs["name"]
            if "multiple" in attrs:
                self.data.setdefault(self.select, [])
            else:
                self.field(self.select, "")
        elif tag == "option" and self.select and "selected" in attrs:
            self.field(self.select, attrs.get("value", ""))
        elif tag == "textarea":
            self.textarea = attrs["name"]
            self.field(self.textarea, "")

    def handle_data(self, data):
        if self.textarea:
            key = self.textarea
            if "__prefix__" not in key:
                self.data[key] += data.removeprefix("\n") if not self.data[key] else data

    def handle_endtag(self, tag):
        if tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None
        elif tag == "form":
            self.in_form = False


class AdminForm:
    """The data of an admin form as fetched from `url`, ready to be changed and posted."""

    def __init__(self, client, url):
        response = client.get(url)
        assert response.status_code == 200
        reader = FormReader()
        reader.feed(response.text)
        self.client, self.url, self.response = client, url, response
        self.data, self.templates = reader.data, reader.templates

    def add_row(self, prefix, **fields):
        """Fill in one more row of inline `prefix`, starting from its empty row."""
        index = int(self.data[f"{prefix}-TOTAL_FORMS"])
        row = {**self.templates[prefix], **fields}
        for field, value in row.items():
            self.data[f"{prefix}-{index}-{field}"] = value
        self.data[f"{prefix}-TOTAL_FORMS"] = str(index + 1)

    def post(self, **changes):
        return self.client.post(self.url, {**self.data, **changes, "_save": "Save"})


def page_text(response):
    return html.unescape(response.content.decode())


def assert_form_error(response, message):
    """The form came back (not a redirect, not a 500) showing `message`."""
    assert response.status_code == 200
    errors = [str(e) for e in response.context["errors"]]
    for inline in response.context.get("inline_admin_formsets", []):
        errors += [str(e) for e in inline.formset.non_form_errors()]
    assert message in page_text(response), errors  # shown, not only attached to a hidden field


# --- data -------------------------------------------------------------------------------------


@pytest.fixture
def world(
    make_class,
    make_season,
    make_circuit,
    make_event,
    make_round,
    make_session,
    make_team,
    make_entry,
    make_driver,
    make_crew,
    make_result,
):
    """One row of every racing model: a 2011 LMS round at Estoril (Europe/Lisbon)."""
    lmp2 = make_class("LMP2")
    season = make_season(classes=[lmp2])
    circuit = make_circuit()
    layout = CircuitLayout.objects.create(
        circuit=circuit, since=dt.date(1972, 6, 17), length_km=Decimal("4.182")
    )
    event = make_event(circuit=circuit, layout=layout, first_day=dt.date(2011, 9, 23))
    round_ = make_round(season, event, number=5)
    session = make_session(event, start=dt.datetime(2011, 9, 25, 10, 30, tzinfo=UTC))
    team = make_team("Pecom Racing", country="AR")
    entry = make_entry(event, number="39", car_class=lmp2, team=team)
    Registration.objects.create(entry=entry, season=season)
    driver = make_driver("Luís Pérez Companc", nationality="AR")
    crew = make_crew(entry, driver=driver)
    result = make_result(session, entry, finish_order=1, class_position=1)
    return SimpleNamespace(
        lmp2=lmp2,
        series=season.series,
        season=season,
        circuit=circuit,
        layout=layout,
        event=event,
        round=round_,
        session=session,
        team=team,
        entry=entry,
        driver=driver,
        crew=crew,
        result=result,
    )


def change_url(obj):
    opts = obj._meta
    return f"/admin/{opts.app_label}/{opts.model_name}/{obj.pk}/change/"


# --- every page renders -----------------------------------------------------------------------

CHANGELISTS = {
    "races/series": "q=le+mans",
    "races/season": "series__id__exact={series.pk}&is_complete__exact=0&q=2011",
    "races/carclass": "q=lmp",
    "races/circuit": "country__exact=PT&q=estoril",
    "races/circuitlayout": "circuit__id__exact={circuit.pk}&q=estoril",
    "races/event": (
        "rounds__season__series__id__exact={series.pk}&rounds__season__id__exact={season.pk}"
        "&status__exact=completed&last_day__year=2011&q=estoril"
    ),
    "races/round": "season__series__id__exact={series.pk}&season__id__exact={season.pk}&q=estoril",
    "races/session": (
        "event__rounds__season__id__exact={season.pk}&kind__exact=race"
        "&results_status__exact=final&q=race"
    ),
    "races/team": "country__exact=AR&q=pecom",
    "races/entry": (
        "event__rounds__season__id__exact={season.pk}&car_class__id__exact={lmp2.pk}"
        "&status__exact=entered&q=39"
    ),
    "races/result": (
        "session__event__rounds__season__id__exact={season.pk}"
        "&entry__car_class__id__exact={lmp2.pk}&status__exact=classified&q=39"
    ),
    "drivers/driver": "nationality__exact=AR&q=perez",
}


@pytest.mark.parametrize(("changelist", "query"), CHANGELISTS.items())
def test_every_changelist_renders_filtered_and_searched(admin_client, world, changelist, query):
    response = admin_client.get(f"/admin/{changelist}/?{query.format(**vars(world))}")
    assert response.status_code == 200
    assert response.context["cl"].result_count == 1


@pytest.mark.parametrize("changelist", CHANGELISTS)
def test_every_add_form_renders(admin_client, world, changelist):
    assert admin_client.get(f"/admin/{changelist}/add/").status_code == 200


@pytest.mark.parametrize(
    ("name", "inlines"),
    [
        ("series", []),
        ("season", ["season_classes", "rounds"]),
        ("lmp2", []),
        ("circuit", ["layouts"]),
        ("layout", []),
        ("event", ["rounds", "sessions", "entries"]),
        ("round", []),
        ("session", ["results"]),
        ("team", []),
        ("entry", ["crew", "registrations"]),
        ("result", []),
        ("driver", []),
    ],
)
def test_every_change_form_renders_with_its_inlines_filled_in(admin_client, world, name, inlines):
    form = AdminForm(admin_client, change_url(getattr(world, name)))
    for prefix in inlines:
        assert form.data[f"{prefix}-INITIAL_FORMS"] == "1", prefix
        assert prefix in form.templates  # the empty row to add another


@pytest.mark.parametrize(
    ("model_name", "field_name", "term", "found"),
    [
        ("seasonclass", "car_class", "lmp", "lmp2"),
        ("carclass", "parent", "lmp", "lmp2"),
        ("round", "season", "2011", "season"),
        ("round", "event", "estoril", "event"),
        ("event", "circuit", "autodromo", "circuit"),
        ("event", "layout", "estoril", "layout"),
        ("session", "event", "estoril", "event"),
        ("entry", "event", "estoril", "event"),
        ("entry", "car_class", "lmp", "lmp2"),
        ("entry", "team", "pecom", "team"),
        ("crew", "driver", "perez", "driver"),
        ("result", "session", "race", "session"),
        ("result", "entry", "39", "entry"),
    ],
)
def test_every_autocomplete_endpoint_answers_with_json(
    admin_client, world, model_name, field_name, term, found
):
    response = admin_client.get(
        "/admin/autocomplete/",
        {"app_label": "races", "model_name": model_name, "field_name": field_name, "term": term},
    )
    assert response.status_code == 200
    obj = getattr(world, found)
    assert response.json() == {
        "results": [{"id": str(obj.pk), "text": autocomplete_text(world, found)}],
        "pagination": {"more": False},
    }


def autocomplete_text(world, found):
    """Events, sessions and cars read with their year (names repeat every year)."""
    event = f"{world.event.name} {world.event.last_day.year}"
    return {
        "event": event,
        "session": f"{world.session.name} · {event}",
        "entry": f"{world.entry} · {event} · LMP2",
    }.get(found, str(getattr(world, found)))


# --- every rule is a form error ---------------------------------------------------------------


def test_two_new_entered_cars_with_one_number_are_a_form_error(admin_client, world):
    form = AdminForm(admin_client, change_url(world.event))
    form.add_row("entries", number="7", car_class=str(world.lmp2.pk))
    form.add_row("entries", number="7", car_class=str(world.lmp2.pk))
    response = form.post()
    assert_form_error(response, "Two entered cars of this event have this number.")
    assert world.event.entries.count() == 1


def test_a_new_entered_car_and_a_reserve_may_share_a_number(admin_client, world):
    form = AdminForm(admin_client, change_url(world.event))
    form.add_row("entries", number="7", car_class=str(world.lmp2.pk))
    form.add_row("entries", number="7", car_class=str(world.lmp2.pk), status="reserve")
    assert form.post().status_code == 302
    assert world.event.entries.filter(number="7").count() == 2


def test_a_new_car_with_the_number_of_an_entered_car_is_a_form_error(admin_client, world):
    form = AdminForm(admin_client, change_url(world.event))
    form.add_row("entries", number="39", car_class=str(world.lmp2.pk))
    response = form.post()
    assert_form_error(response, "Another entered car of this event already has this number.")


def test_adding_an_entry_with_a_taken_number_is_a_form_error(admin_client, world):
    form = AdminForm(admin_client, "/admin/races/entry/add/")
    response = form.post(event=world.event.pk, number="39", car_class=world.lmp2.pk)
    assert_form_error(response, "Another entered car of this event already has this number.")
    assert Entry.objects.count() == 1


def add_result_rows(admin_client, world, make_entry, *rows):
    """Post the session's form with one new result row per (number, fields) in `rows`."""
    form = AdminForm(admin_client, change_url(world.session))
    for number, fields in rows:
        car = make_entry(world.event, number=number, car_class=fields.pop("car_class", world.lmp2))
        form.add_row("results", entry=str(car.pk), **{"status": "classified", **fields})
    return form.post()


def test_two_new_results_with_one_finish_order_are_a_form_error(admin_client, world, make_entry):
    response = add_result_rows(
        admin_client,
        world,
        make_entry,
        ("40", {"finish_order": "2"}),
        ("41", {"finish_order": "2"}),
    )
    assert_form_error(response, "Two cars have this finish order.")
    assert world.session.results.count() == 1


def test_a_new_result_with_a_taken_finish_order_is_a_form_error(admin_client, world, make_entry):
    response = add_result_rows(admin_client, world, make_entry, ("40", {"finish_order": "1"}))
    assert_form_error(response, "Another car of this session has this finish order.")


def test_two_new_results_of_one_car_are_a_form_error(admin_client, world):
    form = AdminForm(admin_client, change_url(world.session))
    form.add_row("results", entry=str(world.entry.pk), status="retired", finish_order="2")
    response = form.post()
    assert_form_error(response, "Result with this Session and Entry already exists.")


def test_class_positions_out_of_finish_order_are_a_form_error(admin_client, world, make_entry):
    response = add_result_rows(
        admin_client,
        world,
        make_entry,
        ("40", {"finish_order": "2", "class_position": "3"}),
        ("41", {"finish_order": "3", "class_position": "2"}),
    )
    assert_form_error(response, "#41 finished behind #40 but has a better class position.")


def test_a_sub_class_car_ahead_of_a_parent_class_car_must_rank_ahead_of_it(
    admin_client, world, make_entry, make_class
):
    pro_am = make_class("LMP2 Pro-Am", parent=world.lmp2)
    response = add_result_rows(
        admin_client,
        world,
        make_entry,
        ("40", {"finish_order": "2", "class_position": "3"}),
        (
            "41",
            {
                "car_class": pro_am,
                "finish_order": "3",
                "class_position": "1",
                "parent_class_position": "2",
            },
        ),
    )
    assert_form_error(response, "#41 finished behind #40 but has a better class position.")


def test_results_in_class_order_are_saved(admin_client, world, make_entry):
    response = add_result_rows(
        admin_client,
        world,
        make_entry,
        ("40", {"finish_order": "2", "position": "2", "class_position": "2"}),
        ("41", {"finish_order": "3", "position": "3", "class_position": "3"}),
    )
    assert response.status_code == 302
    assert world.session.results.count() == 3


def test_a_result_of_a_car_from_another_event_is_a_form_error(
    admin_client, world, make_event, make_entry
):
    elsewhere = make_event("1000 km of Spa", slug="1000-km-of-spa", circuit=world.circuit)
    form = AdminForm(admin_client, change_url(world.session))
    stray = make_entry(elsewhere, number="40")
    form.add_row("results", entry=str(stray.pk), status="retired", finish_order="2")
    # Not even offered: the inline lists the cars of the session's event only.
    assert_form_error(form.post(), "Select a valid choice.")


def test_a_result_without_finish_order_in_final_results_is_a_form_error(
    admin_client, world, make_entry
):
    response = add_result_rows(admin_client, world, make_entry, ("40", {"status": "unknown"}))
    assert_form_error(response, "Only a session whose results are marked partial")


def test_a_retired_car_with_a_position_is_a_form_error(admin_client, world, make_entry):
    response = add_result_rows(
        admin_client, world, make_entry, ("40", {"finish_order": "2", "position": "2"})
    )
    assert response.status_code == 302  # classified: fine
    form = AdminForm(admin_client, change_url(world.session))
    assert_form_error(
        form.post(**{"results-1-status": "retired"}),
        "Only a classified car has a classified position.",
    )


def test_a_completed_event_with_a_cancellation_reason_is_a_form_error(admin_client, world):
    form = AdminForm(admin_client, change_url(world.event))
    response = form.post(cancellation_reason="Fog")
    assert_form_error(
        response, "Constraint “races_event_cancellation_reason_only_if_cancelled” is violated."
    )


def test_an_event_ending_before_it_starts_is_a_form_error(admin_client, world):
    form = AdminForm(admin_client, change_url(world.event))
    response = form.post(first_day="2011-09-26")
    assert_form_error(response, "Constraint “races_event_ends_after_start” is violated.")


def test_two_crew_members_in_one_place_are_a_form_error(admin_client, world, make_driver):
    form = AdminForm(admin_client, change_url(world.entry))
    form.add_row("crew", order="2", driver=str(make_driver("Soheil Ayari").pk))
    form.add_row("crew", order="2", driver=str(make_driver("Matthieu Lahaye").pk))
    assert_form_error(form.post(), "Please correct the duplicate data for order.")


def test_a_driver_twice_in_one_crew_is_a_form_error(admin_client, world):
    form = AdminForm(admin_client, change_url(world.entry))
    form.add_row("crew", order="2", driver=str(world.driver.pk))
    assert_form_error(form.post(), "Crew member with this Entry and Driver already exists.")


def test_two_new_rounds_with_one_number_are_a_form_error(admin_client, world, make_event):
    form = AdminForm(admin_client, change_url(world.season))
    for name in ("1000 km of Spa", "1000 km of Imola"):
        form.add_row("rounds", number="2", event=str(make_event(name, circuit=world.circuit).pk))
    assert_form_error(form.post(), "Please correct the duplicate data for number.")


def test_a_registration_for_a_season_that_does_not_run_the_class_is_a_form_error(
    admin_client, world, make_season, make_series, make_class, make_round
):
    other = make_season(series=make_series("Intercontinental Le Mans Cup"), classes=[])
    make_round(other, world.event, number=7)
    form = AdminForm(admin_client, change_url(world.entry))
    form.add_row("registrations", season=str(other.pk))
    assert_form_error(form.post(), "does not run the class LMP2.")


def test_two_new_rounds_whose_events_share_a_slug_are_a_form_error(admin_client, world, make_event):
    form = AdminForm(admin_client, change_url(world.season))
    for number, day in enumerate((dt.date(2011, 4, 3), dt.date(2011, 5, 8)), start=1):
        twin = make_event("6 Hours of Spa", circuit=world.circuit, last_day=day)
        form.add_row("rounds", number=str(number), event=str(twin.pk))
    assert_form_error(
        form.post(), "Another event of this season already uses the slug “6-hours-of-spa”."
    )
    assert world.season.rounds.count() == 1


def test_renaming_an_event_to_a_slug_taken_in_its_season_is_a_form_error(
    admin_client, world, make_event, make_round
):
    make_round(world.season, make_event("6 Hours of Spa", circuit=world.circuit), number=2)
    form = AdminForm(admin_client, change_url(world.event))
    response = form.post(slug="6-hours-of-spa")
    assert_form_error(response, "Another event of this season already uses the slug")
    world.event.refresh_from_db()
    assert world.event.slug == "6-hours-of-estoril"


def test_a_new_event_whose_slug_is_taken_in_its_season_is_a_form_error(admin_client, world):
    form = AdminForm(admin_client, "/admin/races/event/add/")
    form.add_row("rounds", season=str(world.season.pk), number="6")
    response = form.post(
        circuit=world.circuit.pk,
        name="6 Hours of Estoril",
        slug=world.event.slug,
        last_day="2011-10-02",
        status="scheduled",
    )
    assert_form_error(response, "Another event of this season already uses the slug")
    assert Event.objects.count() == 1


def test_a_new_entry_registered_for_a_season_that_does_not_run_its_class_is_a_form_error(
    admin_client, world, make_class
):
    gt1 = make_class("GT1")
    form = AdminForm(admin_client, "/admin/races/entry/add/")
    form.add_row("registrations", season=str(world.season.pk))
    response = form.post(event=world.event.pk, number="50", car_class=gt1.pk)
    assert_form_error(response, "does not run the class GT1.")
    assert Entry.objects.count() == 1


def test_changing_a_registered_car_to_a_class_the_season_does_not_run_is_a_form_error(
    admin_client, world, make_class
):
    gt1 = make_class("GT1")
    form = AdminForm(admin_client, change_url(world.entry))
    assert_form_error(form.post(car_class=gt1.pk), "does not run the class GT1.")
    world.entry.refresh_from_db()
    assert world.entry.car_class == world.lmp2


def test_changing_a_registered_car_to_another_class_in_the_event_entries_is_a_form_error(
    admin_client, world, make_class
):
    gt1 = make_class("GT1")
    form = AdminForm(admin_client, change_url(world.event))
    response = form.post(**{"entries-0-car_class": str(gt1.pk)})
    assert_form_error(response, "2011 Le Mans Series does not run the class GT1.")
    world.entry.refresh_from_db()
    assert world.entry.car_class == world.lmp2


# --- local time -------------------------------------------------------------------------------


def test_a_session_start_is_shown_in_the_circuit_time_zone(admin_client, world):
    form = AdminForm(admin_client, change_url(world.session))
    # 10:30 UTC is 11:30 in Lisbon (WEST), and 12:30 in Paris, the site's time zone.
    assert (form.data["start_0"], form.data["start_1"]) == ("2011-09-25", "11:30:00")
    assert "Europe/Lisbon" in form.response.text


def test_a_session_start_is_read_in_the_circuit_time_zone(admin_client, world):
    form = AdminForm(admin_client, change_url(world.session))
    assert form.post(start_0="2011-09-25", start_1="14:00:00").status_code == 302
    world.session.refresh_from_db()
    assert world.session.start == dt.datetime(2011, 9, 25, 13, 0, tzinfo=UTC)


def test_the_event_sessions_are_shown_and_read_in_the_circuit_time_zone(admin_client, world):
    form = AdminForm(admin_client, change_url(world.event))
    assert form.data["sessions-0-start_1"] == "11:30:00"
    form.add_row(
        "sessions", order="2", kind="warmup", name="Warm-up", start_0="2011-09-25", start_1="08:45"
    )
    assert form.post().status_code == 302
    warmup = world.event.sessions.get(order=2)
    assert warmup.start == dt.datetime(2011, 9, 25, 7, 45, tzinfo=UTC)


def test_a_new_session_start_is_read_in_the_time_zone_of_its_event_circuit(admin_client, world):
    form = AdminForm(admin_client, f"/admin/races/session/add/?event={world.event.pk}")
    assert "Europe/Lisbon" in form.response.text
    response = form.post(
        event=world.event.pk,
        kind="qualifying",
        name="Qualifying",
        order="2",
        start_0="2011-09-24",
        start_1="15:20:00",
        results_status="none",
    )
    assert response.status_code == 302
    qualifying = world.event.sessions.get(order=2)
    assert qualifying.start == dt.datetime(2011, 9, 24, 14, 20, tzinfo=UTC)


def test_a_new_event_sessions_are_read_in_the_time_zone_of_its_circuit(admin_client, world):
    form = AdminForm(admin_client, "/admin/races/event/add/")
    form.add_row("sessions", order="1", kind="race", name="Race", start_0="2012-04-01")
    form.data["sessions-0-start_1"] = "12:00:00"
    response = form.post(
        circuit=world.circuit.pk,
        name="6 Hours of Estoril",
        slug="6-hours-of-estoril-2012",
        last_day="2012-04-01",
        status="scheduled",
    )
    assert response.status_code == 302
    race = Session.objects.get(event__slug="6-hours-of-estoril-2012")
    assert race.start == dt.datetime(2012, 4, 1, 11, 0, tzinfo=UTC)


def test_the_session_list_shows_starts_in_local_time(admin_client, world):
    response = admin_client.get("/admin/races/session/")
    assert "Sept. 25, 2011, 11:30 a.m." in page_text(response)


def test_a_past_version_of_a_session_is_shown_in_local_time(admin_client, world):
    version = world.session.history.get()
    form = AdminForm(
        admin_client, f"/admin/races/session/{world.session.pk}/history/{version.history_id}/"
    )
    assert form.data["start_1"] == "11:30:00"


# --- actions, history -------------------------------------------------------------------------


def test_the_renumber_action_closes_gaps_in_the_finish_order(
    admin_client, world, make_entry, make_result
):
    make_result(world.session, make_entry(world.event, number="40"), finish_order=4, position=4)
    make_result(world.session, make_entry(world.event, number="41"), finish_order=9, position=9)
    response = admin_client.post(
        "/admin/races/session/",
        {"action": "renumber_finish_order", "_selected_action": [world.session.pk]},
        follow=True,
    )
    assert response.status_code == 200
    assert "3 results renumbered." in page_text(response)
    orders = world.session.results.values_list("entry__number", "finish_order")
    assert sorted(orders) == [("39", 1), ("40", 2), ("41", 3)]


def test_every_change_is_in_the_history_and_can_be_reverted(admin_client, world):
    form = AdminForm(admin_client, change_url(world.team))
    assert form.post(name="Pecom Racing Team").status_code == 302
    world.team.refresh_from_db()
    assert world.team.name == "Pecom Racing Team"

    history = admin_client.get(f"/admin/races/team/{world.team.pk}/history/")
    assert history.status_code == 200
    assert "Pecom Racing Team" in page_text(history)
    first = world.team.history.earliest("history_date")
    revert = AdminForm(
        admin_client, f"/admin/races/team/{world.team.pk}/history/{first.history_id}/"
    )
    assert revert.data["name"] == "Pecom Racing"
    assert revert.post().status_code == 302

    world.team.refresh_from_db()
    assert world.team.name == "Pecom Racing"
    latest = world.team.history.latest("history_date")
    assert latest.history_user.username == "admin"
    assert world.team.history.count() == 3


# --- who may do what --------------------------------------------------------------------------

RACING_MODELS = [
    Series,
    Season,
    CarClass,
    SeasonClass,
    Circuit,
    CircuitLayout,
    Event,
    Round,
    Session,
    Team,
    Entry,
    Registration,
    Crew,
    Result,
    Driver,
    PointsScale,
    ScalePoints,
    ChampionshipRules,
    ClassScale,
    PoleAward,
    Adjustment,
    Title,
    DriverLicence,
    ClassName,
]


def test_the_editors_group_may_add_change_delete_and_view_racing_data_and_nothing_else():
    expected = {
        (model._meta.app_label, f"{action}_{model._meta.model_name}")
        for model in RACING_MODELS
        for action in ("add", "change", "delete", "view")
    }
    # ...and the explanations of the data-health page (races/health_admin.py).
    expected |= {
        ("races", f"{action}_findingexplanation") for action in ("add", "change", "delete", "view")
    }
    group = Group.objects.get(name="Editors")
    granted = set(group.permissions.values_list("content_type__app_label", "codename"))
    assert len(expected) == 100
    assert granted == expected


@pytest.fixture
def editor_client(client):
    editor = User.objects.create_user("editor", password="pit-lane-2011", is_staff=True)
    editor.groups.add(Group.objects.get(name="Editors"))
    client.force_login(editor)
    return client


@pytest.mark.parametrize("changelist", CHANGELISTS)
def test_an_editor_can_open_every_racing_changelist(editor_client, changelist):
    assert editor_client.get(f"/admin/{changelist}/").status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        "/admin/auth/user/",
        "/admin/auth/user/add/",
        "/admin/auth/group/",
        "/admin/axes/accessattempt/",
    ],
)
def test_an_editor_cannot_open_user_admin(editor_client, url):
    assert editor_client.get(url).status_code == 403


def test_an_editor_can_add_racing_data(editor_client):
    response = editor_client.post(
        "/admin/races/series/add/", {"name": "European Le Mans Series", "slug": "elms"}
    )
    assert response.status_code == 302
    assert Series.objects.get(slug="elms").history.get().history_user.username == "editor"


def test_the_admin_login_is_refused_after_five_failures(client, admin_user):
    login = "/admin/login/?next=/admin/"
    statuses = [
        client.post(login, {"username": "admin", "password": "wrong"}).status_code
        for _attempt in range(5)
    ]
    assert statuses == [200, 200, 200, 200, 429]  # the fifth failure locks the login
    response = client.post(login, {"username": "admin", "password": "password"})
    assert response.status_code == 429
    assert "lockout.html" in [t.name for t in response.templates]
    assert "Too many failed login attempts" in page_text(response)
    assert "_auth_user_id" not in client.session


def test_the_admin_login_succeeds_after_four_failures(client, admin_user):
    login = "/admin/login/?next=/admin/"
    for _attempt in range(4):
        response = client.post(login, {"username": "admin", "password": "wrong"})
        assert response.status_code == 200
    response = client.post(login, {"username": "admin", "password": "password"})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(admin_user.pk)


# --- search -----------------------------------------------------------------------------------


@pytest.mark.parametrize("term", ["perez", "PÉREZ", "luis  perez", "Pérez Companc"])
def test_driver_search_ignores_accents_case_and_spacing(admin_client, world, make_driver, term):
    make_driver("Pierre Kaffer")
    response = admin_client.get("/admin/drivers/driver/", {"q": term})
    assert [str(d) for d in response.context["cl"].result_list] == ["Luís Pérez Companc"]


@pytest.mark.parametrize("term", ["competition", "Compétition", "LARBRE"])
def test_team_search_ignores_accents_and_case(admin_client, world, make_team, term):
    make_team("Larbre Compétition")
    response = admin_client.get("/admin/races/team/", {"q": term})
    assert [str(t) for t in response.context["cl"].result_list] == ["Larbre Compétition"]


def test_autocomplete_search_ignores_accents(admin_client, world, make_team):
    make_team("Larbre Compétition")
    response = admin_client.get(
        "/admin/autocomplete/",
        {"app_label": "races", "model_name": "entry", "field_name": "team", "term": "competition"},
    )
    assert [r["text"] for r in response.json()["results"]] == ["Larbre Compétition"]


def test_the_driver_autocomplete_tells_namesakes_apart_by_their_years(
    admin_client, make_driver, make_event, make_entry, make_crew, make_circuit
):
    circuit = make_circuit()
    for year, slug in ((1965, "bob-johnson"), (1972, "bob-johnson-1972")):
        event = make_event(f"Race {year}", circuit=circuit, last_day=dt.date(year, 6, 20))
        make_crew(make_entry(event=event), make_driver("Bob Johnson", slug=slug))
    make_driver("Bob Jones")
    response = admin_client.get(
        "/admin/autocomplete/",
        {"app_label": "races", "model_name": "crew", "field_name": "driver", "term": "bob"},
    )
    texts = sorted(r["text"] for r in response.json()["results"])
    assert texts == ["Bob Johnson (1965)", "Bob Johnson (1972)", "Bob Jones"]


# --- query counts -----------------------------------------------------------------------------


@pytest.fixture
def more_rows(
    world,
    make_series,
    make_season,
    make_class,
    make_circuit,
    make_event,
    make_round,
    make_session,
    make_team,
    make_entry,
    make_result,
    make_driver,
):
    """Adds row number `i` to the changelist of a model (each with its own related rows)."""

    def event(i):
        return make_event(f"Race {i}", circuit=make_circuit(f"Circuit {i}"))

    builders = {
        "races/series": lambda i: make_series(f"Series {i}"),
        "races/season": lambda i: make_season(series=make_series(f"Series {i}"), year=2011),
        "races/carclass": lambda i: make_class(f"GT{i}", parent=world.lmp2),
        "races/circuit": lambda i: make_circuit(f"Circuit {i}"),
        "races/circuitlayout": lambda i: CircuitLayout.objects.create(
            circuit=make_circuit(f"Circuit {i}"), since=dt.date(2000, 1, 1), length_km=5
        ),
        "races/event": event,
        "races/round": lambda i: make_round(
            make_season(series=make_series(f"Series {i}")), event(i), number=i
        ),
        "races/session": lambda i: make_session(event(i)),
        "races/team": lambda i: make_team(f"Team {i}"),
        "races/entry": lambda i: make_entry(
            event(i), car_class=make_class(f"GT{i}"), team=make_team(f"Team {i}")
        ),
        "races/result": lambda i: make_result(
            make_session(event(i)), make_entry(Event.objects.last())
        ),
        "drivers/driver": lambda i: make_driver(f"Driver {i}"),
    }

    def add(changelist, count):
        for i in range(2, count + 2):
            builders[changelist](i)

    return add


@pytest.mark.parametrize(
    ("changelist", "queries"),
    [
        ("races/series", 7),
        ("races/season", 8),
        ("races/carclass", 7),
        ("races/circuit", 7),
        ("races/circuitlayout", 8),
        ("races/event", 11),
        ("races/round", 10),
        ("races/session", 11),
        ("races/team", 7),
        ("races/entry", 12),
        ("races/result", 12),
        ("drivers/driver", 7),
    ],
)
def test_a_changelist_needs_no_query_per_row(
    admin_client, world, more_rows, changelist, queries, django_assert_num_queries
):
    url = f"/admin/{changelist}/"
    admin_client.get(url)  # warm the content type cache
    with django_assert_num_queries(queries):
        assert admin_client.get(url).context["cl"].result_count == 1
    more_rows(changelist, 4)
    with django_assert_num_queries(queries):
        assert admin_client.get(url).context["cl"].result_count == 5


# --- bad ids in URLs --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/admin/races/event/add/?circuit=²",
        "/admin/races/event/add/?circuit=99999999999999999999999",
        "/admin/races/event/add/?circuit=-1",
        "/admin/races/session/add/?event=²",
        "/admin/races/session/add/?event=99999999999999999999999",
    ],
)
def test_a_bad_id_in_an_add_form_url_is_ignored(admin_client, world, url):
    response = admin_client.get(url)
    assert response.status_code == 200
    assert "Europe/Lisbon" not in response.text


@pytest.mark.parametrize(
    ("model_name", "field_name", "term"),
    [("entry", "team", "pec\x00"), ("crew", "driver", "perez\x00"), ("event", "circuit", "\x00")],
)
def test_a_nul_byte_in_an_autocomplete_term_finds_nothing(
    admin_client, world, model_name, field_name, term
):
    response = admin_client.get(
        "/admin/autocomplete/",
        {"app_label": "races", "model_name": model_name, "field_name": field_name, "term": term},
    )
    assert response.status_code == 200  # PostgreSQL refuses a NUL byte in a query
    assert response.json()["results"] == []


HISTORY_ADMINS = [
    "races/series",
    "races/season",
    "races/carclass",
    "races/circuit",
    "races/circuitlayout",
    "races/event",
    "races/round",
    "races/session",
    "races/team",
    "races/entry",
    "races/result",
    "races/pointsscale",
    "races/championshiprules",
    "races/adjustment",
    "races/title",
    "races/classname",
    "races/driverlicence",
    "races/findingexplanation",
    "races/teamredirect",
    "drivers/driver",
    "drivers/driverredirect",
]


@pytest.mark.parametrize("changelist", HISTORY_ADMINS)
@pytest.mark.parametrize(
    "path", ["abc/history/", "abc/history/1/", "1/history/abc/", "99999999999999999999/history/"]
)
def test_a_history_page_with_a_non_numeric_id_is_not_found(admin_client, changelist, path):
    assert admin_client.get(f"/admin/{changelist}/{path}").status_code == 404


def test_every_registered_racing_admin_guards_its_history_pages():
    from django.contrib import admin

    from drivers.admin import GuardedAdmin

    racing = [m for m in admin.site._registry if m._meta.app_label in ("races", "drivers")]
    assert {f"{m._meta.app_label}/{m._meta.model_name}" for m in racing} == set(HISTORY_ADMINS)
    assert all(isinstance(admin.site._registry[m], GuardedAdmin) for m in racing)


# --- cross-table rules edited from another model's page ----------------------------------------


@pytest.fixture
def gt1_car(world, make_class, make_entry, make_result):
    """#40, a GT1 car, first of its class and second on the road."""
    gt1 = make_class("GT1")
    SeasonClass.objects.create(season=world.season, car_class=gt1, order=2)
    car = make_entry(world.event, number="40", car_class=gt1)
    make_result(world.session, car, finish_order=2, class_position=1)
    return car


def test_a_result_edited_alone_cannot_share_a_class_position_with_a_car_of_its_class(
    admin_client, world, make_entry, make_result
):
    second = make_result(
        world.session, make_entry(world.event, number="40"), finish_order=2, class_position=2
    )
    form = AdminForm(admin_client, change_url(second))
    assert_form_error(form.post(class_position="1"), "#39 and #40 share class position 1.")
    second.refresh_from_db()
    assert second.class_position == 2


def test_a_result_edited_alone_cannot_overtake_a_car_of_its_class_in_class_order(
    admin_client, world, make_entry, make_result
):
    make_result(
        world.session, make_entry(world.event, number="40"), finish_order=2, class_position=2
    )
    form = AdminForm(admin_client, change_url(world.result))
    response = form.post(class_position="3")
    assert_form_error(response, "#40 finished behind #39 but has a better class position.")


def test_a_result_edited_alone_in_class_order_is_saved(
    admin_client, world, make_entry, make_result
):
    make_result(world.session, make_entry(world.event, number="40"), finish_order=2)
    form = AdminForm(admin_client, change_url(world.result))
    assert form.post(laps="200").status_code == 302
    world.result.refresh_from_db()
    assert world.result.laps == 200


def test_moving_a_car_into_another_class_rederives_its_class_positions(
    admin_client, world, gt1_car
):
    """#40, first of GT1 and second on the road, moved to LMP2 behind #39: second of LMP2."""
    form = AdminForm(admin_client, change_url(gt1_car))
    assert form.post(car_class=world.lmp2.pk).status_code == 302
    gt1_car.refresh_from_db()
    assert gt1_car.car_class == world.lmp2
    stored = Result.objects.filter(session=world.session).order_by("finish_order")
    assert list(stored.values_list("entry__number", "class_position")) == [("39", 1), ("40", 2)]


def test_moving_a_car_into_a_class_in_the_event_entries_rederives_its_class_positions(
    admin_client, world, gt1_car
):
    form = AdminForm(admin_client, change_url(world.event))
    assert form.data["entries-1-number"] == "40"
    assert form.post(**{"entries-1-car_class": str(world.lmp2.pk)}).status_code == 302
    stored = Result.objects.filter(session=world.session).order_by("finish_order")
    assert list(stored.values_list("entry__number", "class_position")) == [("39", 1), ("40", 2)]


def test_a_car_without_results_may_change_class(admin_client, world, make_class, make_entry):
    car = make_entry(world.event, number="41", car_class=make_class("GT2"))
    form = AdminForm(admin_client, change_url(car))
    assert form.post(car_class=world.lmp2.pk).status_code == 302
    car.refresh_from_db()
    assert car.car_class == world.lmp2


@pytest.fixture
def partial_session(world, make_entry, make_result):
    """The race's results are partial: #40 has no finish order."""
    Session.objects.filter(pk=world.session.pk).update(results_status="partial")
    make_result(world.session, make_entry(world.event, number="40"), finish_order=None)
    return world.session


def test_final_results_with_a_car_without_finish_order_are_a_form_error_in_the_event_sessions(
    admin_client, world, partial_session
):
    form = AdminForm(admin_client, change_url(world.event))
    response = form.post(**{"sessions-0-results_status": "final"})
    assert_form_error(response, "1 result of this session has no finish order")
    partial_session.refresh_from_db()
    assert partial_session.results_status == "partial"


def test_final_results_with_a_car_without_finish_order_are_a_form_error_in_the_session(
    admin_client, world, partial_session
):
    form = AdminForm(admin_client, change_url(partial_session))
    response = form.post(results_status="final")
    assert_form_error(response, "Only a session whose results are marked partial")
    partial_session.refresh_from_db()
    assert partial_session.results_status == "partial"


def test_results_become_final_with_the_missing_finish_order_given_in_the_same_form(
    admin_client, world, partial_session
):
    form = AdminForm(admin_client, change_url(partial_session))
    assert form.data["results-1-finish_order"] == ""
    response = form.post(**{"results_status": "final", "results-1-finish_order": "2"})
    assert response.status_code == 302
    partial_session.refresh_from_db()
    assert partial_session.results_status == "final"


ROUND_IN_USE = "1 car of this event is registered for this championship"


def test_deleting_a_round_cars_are_registered_through_is_a_form_error_in_the_event(
    admin_client, world
):
    form = AdminForm(admin_client, change_url(world.event))
    assert_form_error(
        form.post(**{"rounds-0-DELETE": "on"}), f"Round 5 cannot be deleted: {ROUND_IN_USE}"
    )
    assert Round.objects.filter(pk=world.round.pk).exists()


def test_deleting_a_round_cars_are_registered_through_is_a_form_error_in_the_season(
    admin_client, world
):
    form = AdminForm(admin_client, change_url(world.season))
    assert_form_error(form.post(**{"rounds-0-DELETE": "on"}), ROUND_IN_USE)
    assert Round.objects.filter(pk=world.round.pk).exists()


def test_a_round_no_car_is_registered_through_may_be_deleted(admin_client, world):
    Registration.objects.all().delete()
    form = AdminForm(admin_client, change_url(world.event))
    assert form.post(**{"rounds-0-DELETE": "on"}).status_code == 302
    assert not Round.objects.exists()


def test_the_round_delete_page_refuses_a_round_cars_are_registered_through(admin_client, world):
    url = f"/admin/races/round/{world.round.pk}/delete/"
    assert ROUND_IN_USE in page_text(admin_client.get(url))
    response = admin_client.post(url, {"post": "yes"})
    assert ROUND_IN_USE in page_text(response)
    assert Round.objects.filter(pk=world.round.pk).exists()


def test_the_delete_action_refuses_a_round_cars_are_registered_through(admin_client, world):
    response = admin_client.post(
        "/admin/races/round/",
        {"action": "delete_selected", "_selected_action": [world.round.pk], "post": "yes"},
    )
    assert ROUND_IN_USE in page_text(response)
    assert Round.objects.filter(pk=world.round.pk).exists()


def test_moving_a_round_cars_are_registered_through_to_another_event_is_a_form_error(
    admin_client, world, make_event
):
    spa = make_event("1000 km of Spa", circuit=world.circuit, last_day=dt.date(2011, 5, 8))
    form = AdminForm(admin_client, change_url(world.round))
    assert_form_error(form.post(event=spa.pk), ROUND_IN_USE)
    world.round.refresh_from_db()
    assert world.round.event == world.event


@pytest.mark.parametrize("change", [{"season_classes-0-DELETE": "on"}, "replace"])
def test_removing_a_class_cars_are_registered_in_is_a_form_error(
    admin_client, world, make_class, change
):
    form = AdminForm(admin_client, change_url(world.season))
    if change == "replace":
        change = {"season_classes-0-car_class": str(make_class("GT1").pk)}
    response = form.post(**change)
    assert_form_error(response, "1 car registered for this season races in LMP2")
    assert list(world.season.classes.all()) == [world.lmp2]


def test_a_class_no_car_is_registered_in_may_be_removed(admin_client, world):
    Registration.objects.all().delete()
    form = AdminForm(admin_client, change_url(world.season))
    assert form.post(**{"season_classes-0-DELETE": "on"}).status_code == 302
    assert not world.season.classes.exists()


# --- the cars of a session's results ----------------------------------------------------------


class OptionReader(HTMLParser):
    def __init__(self, name):
        super().__init__()
        self.name, self.inside, self.options = name, False, []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "select":
            self.inside = attrs.get("name") == self.name
        elif tag == "option" and self.inside and attrs.get("value"):
            self.options.append("")

    def handle_data(self, data):
        if self.inside and self.options and not self.options[-1]:
            self.options[-1] = data.strip()

    def handle_endtag(self, tag):
        if tag == "select":
            self.inside = False


def test_the_results_inline_offers_the_cars_of_the_session_event_only(
    admin_client, world, make_event, make_entry
):
    make_entry(world.event, number="40", entrant="Oak Racing")
    make_entry(make_event("1000 km of Spa", circuit=world.circuit), number="9", entrant="Other")
    response = admin_client.get(change_url(world.session))
    reader = OptionReader("results-0-entry")
    reader.feed(response.content.decode())
    assert reader.options == ["#39", "#40 Oak Racing"]


def test_the_session_form_reads_the_cars_once_for_all_result_rows(
    admin_client, world, make_entry, make_result
):
    url = change_url(world.session)
    admin_client.get(url)  # warm the content type cache
    with CaptureQueriesContext(connection) as one_row:
        admin_client.get(url)
    for number in range(40, 50):
        make_result(world.session, make_entry(world.event, number=str(number)), finish_order=number)
    with CaptureQueriesContext(connection) as eleven_rows:
        admin_client.get(url)
    assert len(eleven_rows) == len(one_row)


def test_the_lockout_page_gives_the_configured_limit_and_lock_time(client, admin_user, settings):
    settings.AXES_FAILURE_LIMIT = 3
    settings.AXES_COOLOFF_TIME = dt.timedelta(minutes=30)
    login = "/admin/login/?next=/admin/"
    for _attempt in range(3):
        response = client.post(login, {"username": "admin", "password": "wrong"})
    assert response.status_code == 429
    text = " ".join(strip_tags(page_text(response)).split())
    assert "This login is locked after 3 failed attempts." in text
    assert "Try again in 30 minutes." in text
    assert "An administrator can unlock it sooner with manage.py axes_reset." in text
    assert "editor" not in text


def test_two_new_results_for_one_car_are_a_form_error(admin_client, world, make_entry):
    car = make_entry(world.event, number="40", car_class=world.lmp2)
    form = AdminForm(admin_client, change_url(world.session))
    form.add_row("results", entry=str(car.pk), status="classified", finish_order="2")
    form.add_row("results", entry=str(car.pk), status="classified", finish_order="3")
    response = form.post()
    assert_form_error(response, "Please correct the duplicate data for entry")
    assert world.session.results.count() == 1
