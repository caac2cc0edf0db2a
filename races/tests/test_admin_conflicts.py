"""Two editors, one row: an admin save never writes over a change it did not see
(lmsite/admin_conflicts.py). Each test opens a page twice, as two editors would, saves one,
then the other."""

import pytest
from django.db import connection

from drivers.models import Driver
from lmsite.admin_conflicts import DIGEST
from races.models import Crew, Result, Session
from races.tests import test_admin
from races.tests.test_admin import AdminForm, FormReader, change_url, page_text
from races.tests.test_grid_admin import uncommitted_write

pytestmark = pytest.mark.django_db

world = test_admin.world  # the fixture: one row of every racing model

# A save of the driver form with a change, the write path's refreshes and history included: one
# of them is the locked read of the driver (32 before the check).
DRIVER_SAVE_QUERIES = 33
# A save of the session form changing the session and one result, the standings refreshed: two
# of them are locked reads, the session's and the changed results' (85 before the check).
SESSION_SAVE_QUERIES = 87


def redrawn(client, response, url):
    """The form as the page drew it again after a refused save: what the editor posts next."""
    reader = FormReader()
    reader.feed(response.text)
    form = object.__new__(AdminForm)
    form.client, form.url, form.response = client, url, response
    form.data, form.templates = reader.data, reader.templates
    return form


def row_of(form, obj):
    """The prefix of `obj`'s inline row in `form` (`results-1`)."""
    return next(
        key.removesuffix("-id")
        for key, value in form.data.items()
        if key.endswith("-id") and value == str(obj.pk)
    )


def test_every_change_form_and_inline_row_carries_the_digest_and_an_add_form_none(
    admin_client, world
):
    session = AdminForm(admin_client, change_url(world.session))
    assert session.data[DIGEST].startswith("v1;")
    assert session.data[f"results-0-{DIGEST}"].startswith("v1;")
    assert session.templates["results"][DIGEST] == ""  # a new row has nothing stored
    entry = AdminForm(admin_client, change_url(world.entry))
    assert entry.data[f"crew-0-{DIGEST}"].startswith("v1;")
    assert DIGEST not in AdminForm(admin_client, "/admin/drivers/driver/add/").data


# --- the change form ---------------------------------------------------------------------------


def test_a_driver_saved_after_another_editors_save_writes_nothing_and_names_the_field(
    admin_client, world
):
    url = change_url(world.driver)
    mine, theirs = AdminForm(admin_client, url), AdminForm(admin_client, url)
    assert theirs.post(nationality="Germany").status_code == 302
    histories = Driver.history.count()
    response = mine.post(birth_year="1981")
    assert response.status_code == 200
    text = page_text(response)
    assert "someone else changed this driver after you opened this page (Nationality)" in text
    assert "stored now: Germany." in text
    assert Driver.history.count() == histories
    world.driver.refresh_from_db()
    assert (world.driver.nationality, world.driver.birth_year) == ("DE", None)
    # Saved again from that page, knowingly: the editor's values go in, the nationality too.
    again = redrawn(admin_client, response, url)
    assert again.data[DIGEST] != mine.data[DIGEST]
    assert again.data["birth_year"] == "1981"
    assert again.post().status_code == 302
    world.driver.refresh_from_db()
    assert (world.driver.nationality, world.driver.birth_year) == ("AR", 1981)


def test_a_session_saved_after_another_editors_save_names_the_field_in_the_circuits_time(
    admin_client, world
):
    url = change_url(world.session)
    mine, theirs = AdminForm(admin_client, url), AdminForm(admin_client, url)
    theirs_response = theirs.post(start_0="2011-09-25", start_1="12:00:00")
    assert theirs_response.status_code == 302
    response = mine.post(name="Race 1")
    assert response.status_code == 200
    text = page_text(response)
    assert "someone else changed this session after you opened this page (Start)" in text
    assert "stored now: Sept. 25, 2011, noon." in text  # Lisbon's time, as the form shows it
    assert Session.objects.get(pk=world.session.pk).name == "Race"


def test_a_driver_deleted_meanwhile_is_a_message(admin_client, world):
    mine = AdminForm(admin_client, change_url(world.driver))
    world.crew.delete()
    world.driver.delete()
    response = mine.post(birth_year="1981")
    assert response.status_code == 302  # the admin's own answer: it no longer exists
    assert not Driver.objects.filter(pk=world.driver.pk).exists()


@pytest.mark.parametrize("digest", [None, "", "v1;garbage", "v1;abc:123456789012", "v0;x:y"])
def test_a_change_form_without_a_digest_it_can_read_writes_nothing(admin_client, world, digest):
    form = AdminForm(admin_client, change_url(world.driver))
    if digest is None:
        del form.data[DIGEST]
    else:
        form.data[DIGEST] = digest
    response = form.post(birth_year="1981")
    assert response.status_code == 200
    assert "this page does not say what it was opened with" in page_text(response)
    world.driver.refresh_from_db()
    assert world.driver.birth_year is None


def test_a_save_without_a_change_does_not_trip_on_another_editors_change(admin_client, world):
    """Nothing to write, nothing compared: the other editor's change stays."""
    url = change_url(world.driver)
    mine, theirs = AdminForm(admin_client, url), AdminForm(admin_client, url)
    assert theirs.post(birth_year="1981").status_code == 302
    mine.data["birth_year"] = "1981"  # the same change, made by both
    assert mine.post().status_code == 302
    world.driver.refresh_from_db()
    assert world.driver.birth_year == 1981


def test_a_form_left_as_drawn_keeps_another_editors_change(admin_client, world):
    """Django would write back the values the page showed; the editor changed none of them."""
    url = change_url(world.driver)
    mine, theirs = AdminForm(admin_client, url), AdminForm(admin_client, url)
    assert theirs.post(nationality="Germany", birth_year="1981").status_code == 302
    histories = Driver.history.count()
    assert mine.post().status_code == 302
    world.driver.refresh_from_db()
    assert (world.driver.nationality, world.driver.birth_year) == ("DE", 1981)
    assert Driver.history.count() == histories


def test_adding_a_driver_is_unaffected(admin_client, world):
    form = AdminForm(admin_client, "/admin/drivers/driver/add/")
    response = form.post(full_name="Matías Russo", slug="matias-russo")
    assert response.status_code == 302
    assert Driver.objects.filter(slug="matias-russo").exists()


def test_a_driver_save_costs_one_locked_read(admin_client, world, django_assert_num_queries):
    form = AdminForm(admin_client, change_url(world.driver))
    with django_assert_num_queries(DRIVER_SAVE_QUERIES) as captured:
        assert form.post(birth_year="1981").status_code == 302
    locked = [q["sql"] for q in captured.captured_queries if '"drivers_driver"' in q["sql"]]
    if connection.features.has_select_for_update:
        assert any("FOR UPDATE" in sql for sql in locked)
    world.driver.refresh_from_db()
    assert world.driver.birth_year == 1981


# --- the inline rows ---------------------------------------------------------------------------


def test_a_result_row_saved_after_another_editors_save_writes_nothing_and_names_the_row(
    admin_client, world
):
    url = change_url(world.session)
    mine, theirs = AdminForm(admin_client, url), AdminForm(admin_client, url)
    assert theirs.post(**{"results-0-laps": "177"}).status_code == 302
    histories = Result.history.count(), Session.history.count()
    response = mine.post(name="Race 1", **{"results-0-time_limit": "", "results-0-reason": "x"})
    assert response.status_code == 200
    text = page_text(response)
    assert "someone else changed the result in row 1 (Laps) after you opened this page" in text
    assert "stored now: 177." in text
    assert (Result.history.count(), Session.history.count()) == histories
    world.result.refresh_from_db()
    assert (world.result.laps, world.result.reason) == (177, "")
    assert Session.objects.get(pk=world.session.pk).name == "Race"
    # Saved again: the editor's row as posted, the session's name with it.
    again = redrawn(admin_client, response, url)
    assert again.data["results-0-reason"] == "x"
    assert again.data[f"results-0-{DIGEST}"] != mine.data[f"results-0-{DIGEST}"]
    assert again.post().status_code == 302
    world.result.refresh_from_db()
    assert (world.result.laps, world.result.reason) == (199, "x")
    assert Session.objects.get(pk=world.session.pk).name == "Race 1"


def test_a_crew_row_saved_after_another_editors_save_writes_nothing_and_names_the_row(
    admin_client, world
):
    url = change_url(world.entry)
    mine, theirs = AdminForm(admin_client, url), AdminForm(admin_client, url)
    assert theirs.post(**{"crew-0-laps": "120"}).status_code == 302
    response = mine.post(**{"crew-0-laps": "80"})
    assert response.status_code == 200
    text = page_text(response)
    assert "someone else changed the crew member in row 1 (Laps driven)" in text
    assert "stored now: 120." in text
    assert Crew.objects.get(pk=world.crew.pk).laps == 120
    assert redrawn(admin_client, response, url).post().status_code == 302
    assert Crew.objects.get(pk=world.crew.pk).laps == 80


def test_a_row_changed_elsewhere_in_fields_the_form_does_not_show_is_saved_keeping_them(
    admin_client, world
):
    form = AdminForm(admin_client, change_url(world.session))
    Result.objects.filter(pk=world.result.pk).update(notes="From the official classification")
    assert form.post(**{"results-0-laps": "198"}).status_code == 302
    world.result.refresh_from_db()
    assert (world.result.laps, world.result.notes) == (198, "From the official classification")


def test_a_row_left_as_stored_is_not_compared(admin_client, world, make_entry, make_result):
    """The other editor's change to a row this save leaves as stored neither trips it nor is
    written over."""
    url = change_url(world.session)
    second = make_result(world.session, make_entry(world.event, number="40"), finish_order=2)
    form = AdminForm(admin_client, url)
    row = row_of(form, second)
    Result.objects.filter(pk=second.pk).update(notes="Changed elsewhere")
    assert form.post(**{f"{row}-laps": "150"}).status_code == 302
    second.refresh_from_db()
    assert (second.laps, second.notes) == (150, "Changed elsewhere")


def test_rows_and_a_form_left_as_drawn_keep_another_editors_changes(
    admin_client, world, make_entry, make_result
):
    """Two editors on one session, one changing a result, the other only the session: both
    changes are kept, the session's start (read in the circuit's time zone) included."""
    url = change_url(world.session)
    make_result(world.session, make_entry(world.event, number="40"), finish_order=2)
    mine, theirs = AdminForm(admin_client, url), AdminForm(admin_client, url)
    assert theirs.post(**{"results-0-laps": "177"}).status_code == 302
    assert mine.post(name="Race 1").status_code == 302
    world.result.refresh_from_db()
    assert world.result.laps == 177
    session = Session.objects.get(pk=world.session.pk)
    assert (session.name, session.start) == ("Race 1", world.session.start)


ELSEWHERE = "a row you left as it was"


def test_rows_of_one_inline_changed_by_two_editors_need_a_reload(
    admin_client, world, make_entry, make_result
):
    """The checks across rows saw this page's values of a row someone else has changed since:
    nothing is written, and saving the same page again is refused again; a reload saves."""
    url = change_url(world.session)
    second = make_result(world.session, make_entry(world.event, number="40"), finish_order=2)
    mine, theirs = AdminForm(admin_client, url), AdminForm(admin_client, url)
    row = row_of(mine, second)
    assert theirs.post(**{"results-0-laps": "177"}).status_code == 302
    response = mine.post(**{f"{row}-laps": "150"})
    assert response.status_code == 200
    assert ELSEWHERE in page_text(response)
    assert "the result in row 1 (Laps)" in page_text(response)
    second.refresh_from_db()
    assert second.laps == 199  # nothing written
    again = redrawn(admin_client, response, url).post()
    assert again.status_code == 200
    assert ELSEWHERE in page_text(again)
    world.result.refresh_from_db()
    assert world.result.laps == 177  # theirs stands
    assert AdminForm(admin_client, url).post(**{f"{row}-laps": "150"}).status_code == 302
    second.refresh_from_db()
    assert second.laps == 150


def test_two_editors_cannot_give_two_cars_one_class_position(
    admin_client, world, make_entry, make_result
):
    """Each save alone keeps the class order; together they would give two cars class position
    2: the second is refused."""
    url = change_url(world.session)
    cars = [make_entry(world.event, number=n) for n in ("40", "41")]
    second = make_result(world.session, cars[0], finish_order=2, class_position=3)
    third = make_result(world.session, cars[1], finish_order=3, class_position=4)
    Result.objects.filter(pk=world.result.pk).update(class_position=1)
    a, b = AdminForm(admin_client, url), AdminForm(admin_client, url)
    assert a.post(**{f"{row_of(a, second)}-class_position": "2"}).status_code == 302
    response = b.post(**{f"{row_of(b, third)}-class_position": "2"})
    assert response.status_code == 200
    assert ELSEWHERE in page_text(response)
    third.refresh_from_db()
    assert third.class_position == 4


def test_a_row_deleted_meanwhile_that_the_form_left_as_drawn_stays_deleted(
    admin_client, world, make_entry, make_result
):
    second = make_result(world.session, make_entry(world.event, number="40"), finish_order=2)
    form = AdminForm(admin_client, change_url(world.session))
    row = row_of(form, second)
    Result.objects.filter(pk=world.result.pk).delete()
    assert form.post(**{f"{row}-laps": "150"}).status_code == 302
    assert list(Result.objects.values_list("pk", "laps")) == [(second.pk, 150)]


def test_a_row_deleted_meanwhile_is_a_message_not_an_error(admin_client, world):
    form = AdminForm(admin_client, change_url(world.session))
    Result.objects.filter(pk=world.result.pk).delete()
    response = form.post(**{"results-0-laps": "150"})
    assert response.status_code == 200
    text = page_text(response)
    assert "someone else deleted the result in row 1 after you opened this page" in text
    assert "Select a valid choice" not in text
    assert not Result.objects.exists()


def test_a_row_deleted_meanwhile_and_deleted_in_the_form_is_deleted(admin_client, world):
    form = AdminForm(admin_client, change_url(world.session))
    Result.objects.filter(pk=world.result.pk).delete()
    assert form.post(**{"results-0-DELETE": "on"}).status_code == 302


def test_a_row_changed_meanwhile_is_not_deleted_unseen(admin_client, world):
    url = change_url(world.session)
    mine, theirs = AdminForm(admin_client, url), AdminForm(admin_client, url)
    assert theirs.post(**{"results-0-laps": "177"}).status_code == 302
    response = mine.post(**{"results-0-DELETE": "on"})
    assert response.status_code == 200
    assert "someone else changed the result in row 1 (Laps)" in page_text(response)
    assert Result.objects.filter(pk=world.result.pk).exists()


@pytest.mark.parametrize("digest", [None, "", "v1;garbage", "v1;laps:1;time:2;nope:3"])
def test_a_row_without_a_digest_it_can_read_writes_nothing(admin_client, world, digest):
    form = AdminForm(admin_client, change_url(world.session))
    key = f"results-0-{DIGEST}"
    if digest is None:
        del form.data[key]
    else:
        form.data[key] = digest
    response = form.post(**{"results-0-laps": "150"})
    assert response.status_code == 200
    assert "does not say what the result in row 1 was opened with" in page_text(response)
    world.result.refresh_from_db()
    assert world.result.laps == 199


def test_a_session_save_changing_one_result_costs_one_locked_read_per_form(
    admin_client, world, django_assert_num_queries
):
    form = AdminForm(admin_client, change_url(world.session))
    with django_assert_num_queries(SESSION_SAVE_QUERIES) as captured:
        assert form.post(name="Race 1", **{"results-0-laps": "198"}).status_code == 302
    if connection.features.has_select_for_update:
        locked = [q["sql"] for q in captured.captured_queries if "FOR UPDATE" in q["sql"]]
        assert len(locked) == 2
    world.result.refresh_from_db()
    assert world.result.laps == 198


# --- a revert, a writer not yet committed -------------------------------------------------------


def test_a_revert_over_another_editors_change_writes_nothing(admin_client, world):
    url = change_url(world.team)
    assert AdminForm(admin_client, url).post(name="Pecom Racing Team").status_code == 302
    first = world.team.history.earliest("history_date")
    revert = AdminForm(
        admin_client, f"/admin/races/team/{world.team.pk}/history/{first.history_id}/"
    )
    assert AdminForm(admin_client, url).post(country="Germany").status_code == 302
    response = revert.post()
    assert response.status_code == 200
    assert "someone else changed this team after you opened this page (Country)" in page_text(
        response
    )
    world.team.refresh_from_db()
    assert (world.team.name, world.team.country) == ("Pecom Racing Team", "DE")
    assert redrawn(admin_client, response, revert.url).post().status_code == 302
    world.team.refresh_from_db()
    assert (world.team.name, world.team.country) == ("Pecom Racing", "AR")


# serialized_rollback: its flush at the end then leaves the content types for the next
# transactional test to restore, as the other such tests do (conftest.py).
@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite has no row locks to wait on")
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_save_waits_for_a_writer_that_has_not_committed_and_sees_its_change(client, make_driver):
    from django.contrib.auth.models import User

    User.objects.create_superuser("editor", "editor@example.com", "a-long-password-1")
    client.force_login(User.objects.get(username="editor"))
    driver = make_driver("Pierre Kaffer", nationality="DE")
    form = AdminForm(client, change_url(driver))
    update = "UPDATE drivers_driver SET birth_place = %s WHERE id = %s"
    with uncommitted_write(update, ["Bitburg", driver.pk]):
        response = form.post(birth_year="1977")
    assert response.status_code == 200
    assert "stored now: Bitburg." in page_text(response)
    driver.refresh_from_db()
    assert (driver.birth_place, driver.birth_year) == ("Bitburg", None)
