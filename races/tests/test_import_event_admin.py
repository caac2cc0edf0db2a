"""The admin's weekend import on an event: several files or a zip → combined preview → confirm."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from drivers.models import Driver
from races.importers import admin_views
from races.importers.classification import decision_key
from races.models import Crew, Entry, RaceLaps, Result, Round, Session
from races.tests import timing_files as tf
from races.tests.test_import_admin import form_data, text

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _staging_in_tmp(tmp_path, monkeypatch, settings):
    monkeypatch.setattr(admin_views, "STAGING", tmp_path / "staging")
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def event():
    tf.create_calendar(rounds=1)
    return Round.objects.get(season__year=tf.YEAR, number=1).event


def upload(client, event, files):
    uploads = [SimpleUploadedFile(name, content) for name, content in files.items()]
    return client.post(f"/admin/races/event/{event.pk}/import/", {"files": uploads})


def zipped(files):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return out.getvalue()


def weekend_files():
    cars = tf.season_field()
    groups = tf.qualifying_groups(cars)
    return {
        "Entry List.csv": tf.entry_list_file(cars),
        "Qualifying LMP3.csv": tf.qualifying_file(groups["LMP3"]),
        "Race.csv": tf.race_file(cars),
        "Race Hour 1.csv": tf.race_file(cars[:3]),
        "Analysis Race.csv": tf.lap_analysis_file(cars),
    }


def test_the_event_page_links_the_weekend_import(admin_client, event):
    page = admin_client.get(f"/admin/races/event/{event.pk}/change/")
    assert f"/admin/races/event/{event.pk}/import/" in page.content.decode()


def test_several_files_are_previewed_together_and_imported_on_confirmation(admin_client, event):
    response = upload(admin_client, event, weekend_files())
    assert response.status_code == 302
    preview = admin_client.get(response["Location"])
    page = text(preview)
    assert "Qualifying LMP3" in page
    assert "Race Hour 1.csv" in page  # ignored, and said so
    assert "an hourly interim classification" in page
    assert "laps and time at the wheel" in page
    assert "137 crew places" in page  # 45 crews of three, two with a fourth
    assert not Session.objects.exists()  # a preview writes nothing
    confirmed = admin_client.post(
        response["Location"], {**form_data(preview), "_confirm": "Import"}
    )
    assert confirmed.status_code == 302, " ".join(text(confirmed).split())[-2500:]
    assert list(Session.objects.filter(event=event).values_list("name", flat=True)) == [
        "Qualifying LMP3",
        "Race",
    ]
    assert Result.objects.filter(session__event=event).count() == 15 + 45
    assert Entry.objects.filter(event=event).count() == 45
    assert Crew.objects.filter(entry__event=event, drove=False).count() == len(tf.DID_NOT_DRIVE)


def test_a_zip_is_taken_and_one_name_in_two_cars_is_settled_car_by_car(admin_client, event):
    cars = [
        tf.Car("3", "Team A", "LMP3", [("Ann", "BEE", "FRA", "S")]),
        tf.Car("4", "Team B", "LMP3", [("Ann", "BEE", "FRA", "S")]),
    ]
    known = Driver.objects.create(full_name="Ann Bee", slug="ann-bee", search_key="ann bee")
    response = upload(
        admin_client, event, {"weekend.zip": zipped({"Race.csv": tf.race_file(cars)})}
    )
    url = response["Location"]
    preview = admin_client.get(url)
    assert 'name="_confirm"' not in preview.content.decode()
    data = form_data(preview)
    data[f"person-{decision_key('driver', 'Ann BEE', '3')}"] = str(known.pk)
    data[f"person-{decision_key('driver', 'Ann BEE', '4')}"] = "new"
    updated = admin_client.post(url, {**data, "_update": "Update"})
    assert 'name="_confirm"' in updated.content.decode()
    confirmed = admin_client.post(url, {**form_data(updated), "_confirm": "Import"})
    assert confirmed.status_code == 302, " ".join(text(confirmed).split())[-2500:]
    assert Crew.objects.get(entry__number="3").driver == known
    assert Crew.objects.get(entry__number="4").driver != known


def test_a_confirmation_after_the_data_changed_imports_nothing(admin_client, event):
    url = upload(admin_client, event, {"Race.csv": tf.race_file(tf.season_field()[:3])})["Location"]
    data = form_data(admin_client.get(url))
    Driver.objects.create(full_name="Someone Else", slug="someone", search_key="someone else")
    response = admin_client.post(url, {**data, "_confirm": "Import"})
    assert "The data or your choices changed since the preview." in text(response)
    assert not Result.objects.exists()


def test_a_zip_bomb_is_refused_at_the_upload(admin_client, event):
    bomb = zipped({"Race.csv": b"0" * (5 * 2**20)})
    response = upload(admin_client, event, {"weekend.zip": bomb})
    assert response.status_code == 200
    assert "a zip bomb?" in text(response)


def test_a_value_the_database_refuses_in_the_preview_is_said_not_a_500(
    admin_client, event, monkeypatch
):
    from django.db import DataError

    from races.importers import weekend

    response = upload(admin_client, event, weekend_files())

    def refuse(*args, **kwargs):
        raise DataError("value too long for type character varying(80)")

    monkeypatch.setattr(weekend, "run_weekend", refuse)
    preview = admin_client.get(response["Location"])
    assert preview.status_code == 200
    assert "The database refused a value" in text(preview)
    assert "value too long" in text(preview)


def test_an_outage_during_the_preview_answers_503_not_a_refused_value(
    admin_client, event, monkeypatch
):
    from django.db import OperationalError

    from races.importers import weekend

    response = upload(admin_client, event, weekend_files())

    def down(*args, **kwargs):
        raise OperationalError("connection to server at 127.0.0.1, port 5432 failed")

    monkeypatch.setattr(weekend, "run_weekend", down)
    preview = admin_client.get(response["Location"])
    assert preview.status_code == 503


def import_files(client, event, files):
    """Upload, preview and confirm `files`; the preview's text."""
    url = upload(client, event, files)["Location"]
    preview = client.get(url)
    confirmed = client.post(url, {**form_data(preview), "_confirm": "Import"})
    assert confirmed.status_code == 302, " ".join(text(confirmed).split())[-2500:]
    return text(preview)


def test_the_second_race_of_a_double_header_keeps_the_first_races_laps(admin_client, event):
    """Race 1's files on Saturday, Race 2's on Sunday: each race's lap analysis replaces the
    laps of its own race, and the crew's totals are both races'."""
    cars = tf.season_field()
    import_files(
        admin_client,
        event,
        {"Race 1.csv": tf.race_file(cars), "Analysis Race 1.csv": tf.lap_analysis_file(cars, 15)},
    )
    page = import_files(
        admin_client,
        event,
        {"Race 2.csv": tf.race_file(cars), "Analysis Race 2.csv": tf.lap_analysis_file(cars, 10)},
    )
    driver = Crew.objects.get(entry__event=event, entry__number="27", order=1)
    assert (driver.laps, driver.drive_time.total_seconds(), driver.drove) == (25, 2500, True)
    assert "laps and time at the wheel in Race 2" in page
    assert "137 crew places" in page
    assert list(RaceLaps.objects.filter(crew=driver).values_list("session__name", "laps")) == [
        ("Race 1", 15),
        ("Race 2", 10),
    ]
    absent = Crew.objects.filter(entry__event=event, drove=False)
    assert absent.count() == len(tf.DID_NOT_DRIVE)
