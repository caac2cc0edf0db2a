"""The admin's history: a session's history lists its results' changes field by field in words,
a save that changes nothing writes no record, an import's records name the file and its hash."""

import hashlib
import html
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from drivers.models import Driver
from races.importers import admin_views
from races.models import Event, Result, Session
from races.tests.import_samples import car, csv_bytes
from races.tests.test_admin import AdminForm
from races.tests.test_import_admin import form_data

pytestmark = pytest.mark.django_db


def page_text(response):
    text = html.unescape(re.sub(r"<[^>]+>", " ", response.content.decode()))
    return " ".join(text.split())


@pytest.fixture
def race(make_season, make_class, make_event, make_round, make_session, make_entry, make_result):
    """A race with two cars: #39 first, #40 retired."""
    lmp2 = make_class("LMP2")
    event = make_event()
    make_round(make_season(classes=[lmp2]), event)
    session = make_session(event, results_status="partial")
    first = make_entry(event, number="39", car_class=lmp2, entrant="Pecom Racing")
    second = make_entry(event, number="40", car_class=lmp2, entrant="Larbre Compétition")
    make_result(session, first, finish_order=1, position=1, class_position=1)
    make_result(session, second, finish_order=2, status="retired", reason="Gearbox")
    return session


def history_url(obj):
    return f"/admin/{obj._meta.app_label}/{obj._meta.model_name}/{obj.pk}/history/"


def test_the_session_history_lists_its_results_changes_in_words(admin_client, race):
    form = AdminForm(admin_client, f"/admin/races/session/{race.pk}/change/")
    assert form.data["results-1-status"] == "retired"
    response = form.post(
        **{"results-1-status": "classified", "results-1-position": "2", "results-1-reason": ""}
    )
    assert response.status_code == 302
    text = page_text(admin_client.get(history_url(race)))
    assert "Changes to the results" in text
    assert "#40 Larbre Compétition Changed" in text
    assert "Status: Retired → Classified" in text
    assert "Position: – → 2" in text
    assert "Reason: Gearbox → –" in text
    assert "#39 Pecom Racing Added" in text


def test_the_session_history_names_a_result_moved_to_another_car(admin_client, race, make_entry):
    result = race.results.get(entry__number="39")
    result.entry = make_entry(race.event, number="41", car_class=result.entry.car_class)
    result.finish_order = 3
    result.save()
    text = page_text(admin_client.get(history_url(race)))
    assert "Entry: #39 Pecom Racing → #41" in text
    assert "Finish order: 1 → 3" in text


def test_the_session_history_in_german(admin_client, race):
    result = race.results.get(entry__number="40")
    result.status = "classified"
    result.position = 2
    result.save()
    response = admin_client.get(history_url(race), headers={"accept-language": "de"})
    assert "Änderungen an den Ergebnissen" in page_text(response)
    assert "Status: Ausgefallen → Gewertet" in page_text(response)


def test_the_session_history_needs_no_query_per_change(
    admin_client, race, django_assert_num_queries
):
    url = history_url(race)
    admin_client.get(url)
    with django_assert_num_queries(11):
        admin_client.get(url)
    for laps in range(10, 20):
        for result in race.results.all():
            result.laps = laps
            result.save()
    with django_assert_num_queries(11):
        response = admin_client.get(url)
    assert len(response.context["result_changes"]) == 22


def test_a_driver_history_reads_countries_by_name(admin_client, make_driver):
    driver = make_driver(nationality="FR")
    form = AdminForm(admin_client, f"/admin/drivers/driver/{driver.pk}/change/")
    assert form.post(nationality="Germany").status_code == 302
    text = page_text(admin_client.get(history_url(driver)))
    assert "Nationality: France → Germany" in text


# --- no record without a change ---------------------------------------------------------------


def test_saving_a_session_without_a_change_writes_no_history(admin_client, race):
    before = (Session.history.count(), Result.history.count())
    form = AdminForm(admin_client, f"/admin/races/session/{race.pk}/change/")
    assert form.post().status_code == 302
    assert (Session.history.count(), Result.history.count()) == before


def test_saving_an_event_without_a_change_writes_no_history(admin_client, race):
    event = race.event
    before = (Event.history.count(), Session.history.count())
    form = AdminForm(admin_client, f"/admin/races/event/{event.pk}/change/")
    assert form.post().status_code == 302
    assert (Event.history.count(), Session.history.count()) == before


def test_saving_a_driver_without_a_change_writes_no_history(admin_client, make_driver):
    driver = make_driver(nationality="AR")
    form = AdminForm(admin_client, f"/admin/drivers/driver/{driver.pk}/change/")
    assert form.post().status_code == 302
    assert driver.history.count() == 1


def test_a_change_still_writes_one_record(admin_client, race):
    form = AdminForm(admin_client, f"/admin/races/session/{race.pk}/change/")
    assert form.post(notes="Red flag at 2h").status_code == 302
    assert race.history.count() == 2
    assert Result.history.count() == 2


def test_a_revert_to_the_version_shown_is_saved(admin_client, race):
    race.notes = "Red flag"
    race.save()
    first = race.history.earliest("history_date")
    revert = AdminForm(admin_client, f"{history_url(race)}{first.history_id}/")
    assert revert.post().status_code == 302
    race.refresh_from_db()
    assert race.notes == ""
    assert race.history.count() == 3


# --- the import -------------------------------------------------------------------------------


@pytest.fixture
def staging(tmp_path, monkeypatch):
    monkeypatch.setattr(admin_views, "STAGING", tmp_path / "staging")


def test_the_history_of_an_import_names_the_file_and_its_hash(admin_client, imola_race, staging):
    content = csv_bytes(car(1, "22", team="Jota"), car(2, "33", team="Murphy Prototypes"))
    digest = hashlib.sha256(content).hexdigest()
    upload = admin_client.post(
        f"/admin/races/session/{imola_race.pk}/import/",
        {"file": SimpleUploadedFile("03_Classification_Race.CSV", content)},
    )
    preview = admin_client.get(upload["Location"])
    confirmed = admin_client.post(upload["Location"], {**form_data(preview), "_confirm": "Import"})
    assert confirmed.status_code == 302
    reason = f"Classification import: 03_Classification_Race.CSV (SHA-256 {digest})"
    assert set(Result.history.values_list("history_change_reason", flat=True)) == {reason}
    assert Driver.history.filter(history_change_reason=reason).count() == 2
    assert reason in page_text(admin_client.get(history_url(imola_race)))
