"""The event admin's grids: a session's results, the crews, the copied entry list
(races/grid_admin.py)."""

import contextlib
import datetime as dt
import threading
import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from races.models import (
    ChampionshipRules,
    Crew,
    Entry,
    PointsScale,
    Registration,
    Result,
    Session,
    StandingsRow,
)
from races.stored_standings import refresh

pytestmark = pytest.mark.django_db

GRID_QUERIES = 11  # the admin's own (session, user) and the grid's: event, session, cars, results
CREWS_QUERIES = 8


def grid_url(session):
    return f"/admin/races/event/{session.event_id}/results/{session.pk}/"


def posted(response):
    """The form data of a grid page as it is drawn (what a browser would post back)."""
    formset = response.context["formset"]
    data = {
        "loaded": response.context["loaded"],
        f"{formset.prefix}-TOTAL_FORMS": str(len(formset.forms)),
        f"{formset.prefix}-INITIAL_FORMS": str(len(formset.forms)),
    }
    for form in formset.forms:
        for field in form:
            value = field.value()
            data[field.html_name] = "" if value is None else str(value)
    return data


def row_of(data, entry):
    """The prefix of `entry`'s row in posted data."""
    for key, value in data.items():
        if key.endswith("-entry") and value == str(entry.pk):
            return key.removesuffix("-entry")
    raise AssertionError(entry)


def errors_of(response, entry):
    for row in response.context["grid"]:
        if row["entry"].pk == entry.pk:
            form = row["form"]
            return row["problems"] + [e for errors in form.errors.values() for e in errors]
    raise AssertionError(entry)


def car(session, number):
    return Entry.objects.get(event=session.event, number=number)


def test_the_event_page_links_each_sessions_grid_the_crews_and_the_copy(admin_client, grid):
    race = grid(3)
    page = admin_client.get(f"/admin/races/event/{race.event_id}/change/").content.decode()
    assert grid_url(race) in page
    assert f"/admin/races/event/{race.event_id}/crews/" in page
    assert f"/admin/races/event/{race.event_id}/copy-entries/" in page


def test_the_grid_has_a_row_per_car_with_its_result_in_finish_order(
    admin_client, grid, make_car, classes
):
    race = grid(4)
    make_car(race.event, "77", classes["GTEPro"], ["Late Entrant"])  # a car without a result
    response = admin_client.get(grid_url(race))
    assert response.status_code == 200
    rows = response.context["grid"]
    assert [row["entry"].number for row in rows] == ["16", "36", "103", "39", "77"]
    page = response.content.decode()
    assert "Pierre Kaffer / Matías Russo / Luís Pérez Companc" in page
    assert 'value="6:00:24.815"' in page
    assert 'value="+6 laps"' in page
    assert 'aria-label="Finish order, #39"' in page


@pytest.mark.parametrize("cars", [3, 20])
def test_the_grid_costs_the_same_queries_for_3_cars_and_for_20(admin_client, grid, cars):
    race = grid(cars)
    admin_client.get(grid_url(race))  # the session and the user are loaded once per test too
    with CaptureQueriesContext(connection) as queries:
        admin_client.get(grid_url(race))
    assert len(queries) == GRID_QUERIES


def test_saving_the_grid_unchanged_writes_no_history(admin_client, grid):
    race = grid(6)
    data = posted(admin_client.get(grid_url(race)))
    before = Result.history.count()
    response = admin_client.post(grid_url(race), data, follow=True)
    assert Result.history.count() == before
    assert "Nothing changed." in response.content.decode()


def test_a_swap_writes_one_history_record_per_changed_result_and_refreshes_the_standings(
    admin_client, grid, lms
):
    race = grid(6)
    ChampionshipRules.objects.create(
        season=lms, scale=PointsScale.objects.get(slug="le-mans-series-2010")
    )
    refresh(lms)
    points_before = dict(
        StandingsRow.objects.filter(
            table__season=lms, table__is_latest=True, name__in=["Driver 3", "Driver 4"]
        ).values_list("name", "total")
    )
    data = posted(admin_client.get(grid_url(race)))
    a, b = row_of(data, car(race, "103")), row_of(data, car(race, "104"))
    data[f"{a}-finish_order"], data[f"{b}-finish_order"] = "4", "3"
    data[f"{a}-laps"] = "179"
    before = Result.history.count()
    response = admin_client.post(grid_url(race), data)
    assert response.status_code == 302
    assert Result.history.count() == before + 2
    swapped = {r.entry.number: r for r in race.results.select_related("entry")}
    assert (swapped["103"].finish_order, swapped["103"].position) == (4, 4)
    assert (swapped["103"].class_position, swapped["104"].class_position) == (2, 1)
    assert swapped["103"].laps == 179
    record = swapped["103"].history.first()
    assert record.history_change_reason == "Results grid"
    points_after = dict(
        StandingsRow.objects.filter(
            table__season=lms, table__is_latest=True, name__in=["Driver 3", "Driver 4"]
        ).values_list("name", "total")
    )
    assert points_after == {
        "Driver 3": points_before["Driver 4"],
        "Driver 4": points_before["Driver 3"],
    }


def test_a_new_result_is_entered_and_a_cleared_row_removes_one(
    admin_client, grid, make_car, classes
):
    race = grid(4)
    make_car(race.event, "77", classes["GTEPro"], ["Late Entrant"])
    data = posted(admin_client.get(grid_url(race)))
    late, retired = row_of(data, car(race, "77")), row_of(data, car(race, "39"))
    data[f"{late}-finish_order"] = "4"  # a place typed alone: classified
    data[f"{late}-laps"] = "150"
    data[f"{late}-gap"] = "+49 laps"
    data[f"{late}-best_lap"] = "1:38,5"
    for field in ("finish_order", "laps", "time", "gap", "best_lap", "reason"):
        data[f"{retired}-{field}"] = ""
    data[f"{retired}-status"] = ""
    response = admin_client.post(grid_url(race), data)
    assert response.status_code == 302, response.context and response.context["formset"].errors
    new = Result.objects.get(session=race, entry__number="77")
    assert (new.status, new.position, new.class_position, new.gap_laps) == ("classified", 4, 2, 49)
    assert new.best_lap == dt.timedelta(minutes=1, seconds=38, milliseconds=500)
    assert not Result.objects.filter(session=race, entry__number="39").exists()


def test_a_grid_save_keeps_the_best_lap_number_timing_gave(admin_client, grid):
    race = grid(4)
    result = Result.objects.get(session=race, entry__number="39")
    result.best_lap_number = 112  # from a timing file: the grid has no column for it
    result.save()
    data = posted(admin_client.get(grid_url(race)))
    data[f"{row_of(data, car(race, '39'))}-reason"] = "Stopped with a broken gearbox."
    assert admin_client.post(grid_url(race), data).status_code == 302
    result.refresh_from_db()
    assert (result.reason, result.best_lap_number) == ("Stopped with a broken gearbox.", 112)


def test_a_grid_saved_after_another_editors_save_writes_nothing_and_names_the_car(
    admin_client, grid
):
    race = grid(4)
    mine = posted(admin_client.get(grid_url(race)))
    theirs = posted(admin_client.get(grid_url(race)))
    theirs[f"{row_of(theirs, car(race, '103'))}-laps"] = "177"
    assert admin_client.post(grid_url(race), theirs).status_code == 302
    mine[f"{row_of(mine, car(race, '36'))}-laps"] = "150"
    before = Result.history.count()
    response = admin_client.post(grid_url(race), mine)
    assert response.status_code == 200
    assert "someone else changed the results of #103 after you opened" in response.text
    assert Result.history.count() == before
    laps = dict(race.results.values_list("entry__number", "laps"))
    assert laps["103"] == 177
    assert laps["36"] != 150
    # The other editor's car says what is stored now; the others say nothing.
    assert any(
        "stored now: Classified, place 3, 177 laps" in p
        for p in errors_of(response, car(race, "103"))
    )
    assert not errors_of(response, car(race, "36"))
    # Saved again from that page, knowingly: the editor's values go in, the 177 with them
    # only where the editor's own row kept 180 (it is what the editor posts).
    again = posted(response)
    assert again["loaded"] != mine["loaded"]
    assert admin_client.post(grid_url(race), again).status_code == 302
    assert race.results.get(entry__number="36").laps == 150


def test_a_grid_posted_without_what_it_was_drawn_from_writes_nothing(admin_client, grid):
    race = grid(3)
    data = posted(admin_client.get(grid_url(race)))
    data[f"{row_of(data, car(race, '36'))}-laps"] = "177"
    del data["loaded"]
    response = admin_client.post(grid_url(race), data)
    assert response.status_code == 200
    assert "this grid does not say what it was opened with" in response.text
    assert race.results.get(entry__number="36").laps != 177
    for tampered in ("v1;garbage", "v1;abc:123456789012"):
        data["loaded"] = tampered
        response = admin_client.post(grid_url(race), data)
        assert "does not say what it was opened with" in response.text


# serialized_rollback: its flush at the end then leaves the content types for the next
# transactional test to restore, as the other such tests do (conftest.py).
@contextlib.contextmanager
def uncommitted_write(sql, params, held=1.5):
    """Another connection runs `sql` in a transaction it commits `held` seconds later: the block
    runs while that writer holds its row locks and has not committed."""
    updated = threading.Event()

    def other_writer():
        other = connection.copy()
        with other.cursor() as cursor:
            cursor.execute("BEGIN")
            cursor.execute(sql, params)
            updated.set()
            time.sleep(held)
            cursor.execute("COMMIT")
        other.close()

    thread = threading.Thread(target=other_writer)
    thread.start()
    updated.wait(5)
    try:
        yield
    finally:
        thread.join()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite has no row locks to wait on")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_grid_save_waits_for_a_writer_that_has_not_committed_and_sees_its_change(
    client, grid, settings
):
    """A writer that does not lock the session (the weekend import, an admin inline) has
    changed a result and not committed: the grid's save waits for it and then refuses."""
    from django.contrib.auth.models import User

    User.objects.create_superuser("editor", "editor@example.com", "a-long-password-1")
    client.force_login(User.objects.get(username="editor"))
    race = grid(3)
    data = posted(client.get(grid_url(race)))
    data[f"{row_of(data, car(race, '36'))}-laps"] = "150"
    target = race.results.get(entry__number="36").pk
    update = "UPDATE races_result SET reason = %s WHERE id = %s"
    with uncommitted_write(update, ["Another editor", target]):
        response = client.post(grid_url(race), data)
    assert response.status_code == 200
    assert "someone else changed the results of #36" in response.text
    assert Result.objects.get(pk=target).reason == "Another editor"


def test_an_outage_while_saving_the_grid_answers_503(admin_client, grid, monkeypatch):
    from django.db import OperationalError

    from races import results_grid

    race = grid(3)
    data = posted(admin_client.get(grid_url(race)))

    def down(*args, **kwargs):
        raise OperationalError("connection to server at 127.0.0.1, port 5432 failed")

    monkeypatch.setattr(results_grid, "save_results", down)
    response = admin_client.post(grid_url(race), data)
    assert response.status_code == 503


def test_every_problem_shows_on_its_row_and_nothing_is_written(admin_client, grid):
    race = grid(5)
    data = posted(admin_client.get(grid_url(race)))
    second = row_of(data, car(race, "36"))
    gte, retired = row_of(data, car(race, "103")), row_of(data, car(race, "39"))
    data[f"{second}-finish_order"] = "1"  # a clash with the winner
    data[f"{gte}-time"] = "nonsense"
    data[f"{retired}-status"] = ""  # values left without a status
    data[f"{retired}-finish_order"] = ""
    before = list(race.results.values_list("pk", "finish_order", "time"))
    history = Result.history.count()
    response = admin_client.post(grid_url(race), data)
    assert response.status_code == 200
    assert "#36 has the finish order 1 too." in errors_of(response, car(race, "16"))
    assert "#16 has the finish order 1 too." in errors_of(response, car(race, "36"))
    assert any("not a time" in e for e in errors_of(response, car(race, "103")))
    assert any("Choose a status" in e for e in errors_of(response, car(race, "39")))
    assert list(race.results.values_list("pk", "finish_order", "time")) == before
    assert Result.history.count() == history


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("time", "99999999999999999999"),
        ("best_lap", "99999999999999999999:00"),
        ("gap", "+99999999999999999999"),
        ("time", "1:00:00:00.000"),
        ("time", "1" * 200),
    ],
)
def test_a_time_too_long_for_any_race_is_a_message_on_its_row(admin_client, grid, field, value):
    race = grid(3)
    data = posted(admin_client.get(grid_url(race)))
    data[f"{row_of(data, car(race, '36'))}-{field}"] = value
    response = admin_client.post(grid_url(race), data)
    assert response.status_code == 200
    assert errors_of(response, car(race, "36"))


def test_a_classified_car_behind_an_unclassified_one_is_refused_on_its_row(admin_client, grid):
    race = grid(5)
    data = posted(admin_client.get(grid_url(race)))
    retired, last = row_of(data, car(race, "39")), row_of(data, car(race, "104"))
    data[f"{retired}-finish_order"], data[f"{last}-finish_order"] = "4", "5"
    response = admin_client.post(grid_url(race), data)
    assert response.status_code == 200
    assert any("classified cars come first" in e for e in errors_of(response, car(race, "104")))


def test_a_partial_session_keeps_its_typed_class_positions(admin_client, grid):
    race = grid(4)
    Session.objects.filter(pk=race.pk).update(results_status="partial")
    Result.objects.filter(session=race, entry__number="103").update(
        finish_order=None, position=None
    )
    response = admin_client.get(grid_url(race))
    assert "class_position" in response.context["formset"].forms[0].fields
    data = posted(response)
    before = Result.history.count()
    assert admin_client.post(grid_url(race), data).status_code == 302
    assert Result.history.count() == before
    gte = row_of(data, car(race, "103"))
    data[f"{gte}-class_position"] = "2"
    assert admin_client.post(grid_url(race), data).status_code == 302
    assert Result.objects.get(session=race, entry__number="103").class_position == 2
    assert Result.history.count() == before + 1


def test_a_session_without_results_is_marked_final_once_entered(admin_client, grid):
    race = grid(3)
    qualifying = Session.objects.get(event=race.event, kind="qualifying")
    data = posted(admin_client.get(grid_url(qualifying)))
    for number, order in (("16", "1"), ("36", "2"), ("39", "3")):
        data[f"{row_of(data, car(race, number))}-finish_order"] = order
    assert admin_client.post(grid_url(qualifying), data).status_code == 302
    qualifying.refresh_from_db()
    assert qualifying.results_status == "final"
    assert qualifying.results.count() == 3


def test_a_session_of_another_event_is_not_found(admin_client, grid, make_session, make_event):
    race = grid(3)
    other = make_session(event=make_event("Another", circuit=race.event.circuit), order=1)
    assert (
        admin_client.get(f"/admin/races/event/{race.event_id}/results/{other.pk}/").status_code
        == 404
    )


def test_a_row_naming_a_car_of_another_event_is_refused(admin_client, grid, make_entry, make_event):
    race = grid(3)
    data = posted(admin_client.get(grid_url(race)))
    stranger = make_entry(event=make_event("Another", circuit=race.event.circuit), number="5")
    data[f"{row_of(data, car(race, '16'))}-entry"] = str(stranger.pk)
    response = admin_client.post(grid_url(race), data)
    assert response.status_code == 200
    assert "not entered here" in str(response.context["formset"].non_form_errors())


# --- crews ------------------------------------------------------------------------------------


def crews_url(event):
    return f"/admin/races/event/{event.pk}/crews/"


@pytest.mark.parametrize("cars", [3, 20])
def test_the_crews_grid_costs_the_same_queries_for_3_cars_and_for_20(admin_client, grid, cars):
    race = grid(cars)
    admin_client.get(crews_url(race.event))
    with CaptureQueriesContext(connection) as queries:
        response = admin_client.get(crews_url(race.event))
    assert 'aria-label="Driver 1, #39"' in response.content.decode()
    assert len(queries) == CREWS_QUERIES


def test_crews_are_edited_in_one_grid_writing_only_what_changed(admin_client, grid, make_driver):
    race = grid(4)
    newcomer = make_driver("Olivier Lombard")
    data = posted(admin_client.get(crews_url(race.event)))
    unchanged = Crew.history.count()
    assert admin_client.post(crews_url(race.event), data).status_code == 302
    assert Crew.history.count() == unchanged  # saved as drawn: nothing written
    pecom = row_of(data, car(race, "39"))
    kaffer, russo = data[f"{pecom}-driver_1"], data[f"{pecom}-driver_2"]
    data[f"{pecom}-driver_1"], data[f"{pecom}-driver_2"] = russo, kaffer  # swapped places
    data[f"{pecom}-driver_3"] = str(newcomer.pk)  # Pérez Companc replaced
    data[f"{pecom}-drove_1"] = "true"
    response = admin_client.post(crews_url(race.event), data)
    assert response.status_code == 302
    crew = list(
        Crew.objects.filter(entry=car(race, "39"))
        .order_by("order")
        .values_list("driver__full_name", "drove")
    )
    assert crew == [("Matías Russo", True), ("Pierre Kaffer", None), ("Olivier Lombard", None)]
    assert Crew.history.count() == unchanged + 4  # two moved, one removed, one new


def test_crews_saved_after_another_editors_save_are_refused(admin_client, grid, make_driver):
    race = grid(3)
    mine = posted(admin_client.get(crews_url(race.event)))
    theirs = posted(admin_client.get(crews_url(race.event)))
    pecom = row_of(theirs, car(race, "39"))
    theirs[f"{pecom}-drove_1"] = "true"
    assert admin_client.post(crews_url(race.event), theirs).status_code == 302
    mine[f"{pecom}-driver_4"] = str(make_driver("Olivier Lombard").pk)
    before = Crew.history.count()
    response = admin_client.post(crews_url(race.event), mine)
    assert "someone else changed the crews of #39 after you opened" in response.text
    assert Crew.history.count() == before
    stored = " ".join(errors_of(response, car(race, "39")))
    assert "stored now: Pierre Kaffer / Matías Russo / Luís Pérez Companc" in stored
    # Saved again from that page, knowingly.
    assert admin_client.post(crews_url(race.event), posted(response)).status_code == 302
    assert Crew.objects.filter(entry=car(race, "39"), driver__full_name="Olivier Lombard").exists()


def test_a_driver_twice_in_one_car_is_shown_on_its_row(admin_client, grid):
    race = grid(3)
    data = posted(admin_client.get(crews_url(race.event)))
    pecom = row_of(data, car(race, "39"))
    data[f"{pecom}-driver_4"] = data[f"{pecom}-driver_1"]
    history = Crew.history.count()
    response = admin_client.post(crews_url(race.event), data)
    assert response.status_code == 200
    assert "Pierre Kaffer is in this crew twice." in errors_of(response, car(race, "39"))
    assert Crew.history.count() == history


def test_a_driver_id_beyond_any_database_id_is_a_message_on_its_row(admin_client, grid):
    race = grid(3)
    data = posted(admin_client.get(crews_url(race.event)))
    data[f"{row_of(data, car(race, '39'))}-driver_2"] = "9" * 25
    response = admin_client.post(crews_url(race.event), data)
    assert response.status_code == 200
    assert "Choose a driver from the list." in errors_of(response, car(race, "39"))


def test_a_row_posted_beyond_the_events_cars_is_ignored(admin_client, grid):
    race = grid(3)
    data = posted(admin_client.get(crews_url(race.event)))
    prefix = next(key for key in data if key.endswith("-TOTAL_FORMS")).removesuffix("-TOTAL_FORMS")
    data[f"{prefix}-TOTAL_FORMS"] = str(int(data[f"{prefix}-TOTAL_FORMS"]) + 1)
    history = Crew.history.count()
    response = admin_client.post(crews_url(race.event), data)
    assert response.status_code == 302
    assert Crew.history.count() == history


# --- the copied entry list ----------------------------------------------------------------------


@pytest.fixture
def next_round(grid, lms, make_event, make_round, make_session):
    race = grid(4)
    event = make_event(
        "6 Hours of Zhuhai", circuit=race.event.circuit, last_day=dt.date(2011, 11, 13)
    )
    make_round(lms, event, number=6)
    make_session(event=event, order=1, results_status="none")
    return race, event


def copy_url(event):
    return f"/admin/races/event/{event.pk}/copy-entries/"


def test_the_previous_rounds_entry_list_is_copied_with_crews_and_registrations(
    admin_client, next_round
):
    race, event = next_round
    Entry.objects.filter(event=race.event, number="103").update(status="withdrawn")
    page = admin_client.get(copy_url(event)).content.decode()
    assert "6 Hours of Estoril" in page
    round_pk = page.split('name="round" value="')[1].split('"')[0]
    response = admin_client.post(copy_url(event), {"round": round_pk})
    assert response.status_code == 302
    copied = {e.number: e for e in Entry.objects.filter(event=event).with_crews()}
    assert sorted(copied) == ["16", "36", "39"]
    pecom = copied["39"]
    assert (pecom.team.name, pecom.car_class.code, pecom.chassis) == (
        "Pecom Racing",
        "LMP2",
        "Lola B11/40",
    )
    assert [m.driver.full_name for m in pecom.crew.all()] == [
        "Pierre Kaffer",
        "Matías Russo",
        "Luís Pérez Companc",
    ]
    assert Registration.objects.filter(entry__event=event).count() == 3
    assert not Result.objects.filter(entry__event=event).exists()


def test_the_copy_is_refused_into_an_event_with_entries(admin_client, next_round, make_entry):
    _race, event = next_round
    make_entry(event=event, number="1")
    page = admin_client.get(copy_url(event)).content.decode()
    assert "has entries already" in page
    assert admin_client.post(copy_url(event), {"round": "1"}).status_code == 200
    assert Entry.objects.filter(event=event).count() == 1


def test_the_copy_is_refused_without_a_previous_round(admin_client, grid, lms):
    race = grid(3)
    Entry.objects.filter(event=race.event).delete()
    page = admin_client.get(copy_url(race.event)).content.decode()
    assert "no previous round" in page
