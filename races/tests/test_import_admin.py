"""The admin's classification import: upload → preview → confirm, export, and bad files."""

import html
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DataError

from drivers.models import Driver
from races.importers import admin_views
from races.importers.classification import decision_key
from races.importers.export import export_session
from races.models import CarClass, Crew, Entry, Result
from races.tests.import_samples import ELMS, car, csv_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _staging_in_tmp(tmp_path, monkeypatch, settings):
    monkeypatch.setattr(admin_views, "STAGING", tmp_path / "staging")
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def upload(client, session, content, name="classification.csv"):
    return client.post(
        f"/admin/races/session/{session.pk}/import/",
        {"file": SimpleUploadedFile(name, content, content_type="text/csv")},
    )


def text(response):
    """The page's text, without tags."""
    return html.unescape(re.sub(r"<[^>]+>", "", response.content.decode()))


def form_data(response):
    """The preview form's fields as the browser would post them."""
    page = response.content.decode()
    form = page[page.index('id="preview_form"') :]
    form = form[: form.index("</form>")]
    data = {}
    for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form):
        data[name] = value
    for name, value in re.findall(r'<input type="text" name="([^"]+)" [^>]*value="([^"]*)"', form):
        data[name] = html.unescape(value)
    for name, body in re.findall(r'<select name="([^"]+)"[^>]*>(.*?)</select>', form, re.S):
        chosen = re.search(r'<option value="([^"]*)" selected', body)
        data[name] = chosen[1] if chosen else ""
    return data


def class_field(code):
    return admin_views.class_field(code)


def test_the_session_page_links_import_and_export(admin_client, imola_race):
    page = admin_client.get(f"/admin/races/session/{imola_race.pk}/change/")
    assert f"/admin/races/session/{imola_race.pk}/import/" in page.text
    assert f"/admin/races/session/{imola_race.pk}/export/" in page.text
    assert admin_client.get(f"/admin/races/session/{imola_race.pk}/import/").status_code == 200


def test_an_editor_imports_with_preview_mapping_and_confirmation(admin_client, imola_race):
    response = upload(admin_client, imola_race, ELMS.read_bytes())
    assert response.status_code == 302
    preview_url = response["Location"]
    preview = admin_client.get(preview_url)
    assert preview.status_code == 200
    page = text(preview)
    assert "class LMGTE (2 cars, first on line 4) is not run by 2014 European Le Mans Series" in (
        page
    )
    assert 'name="_confirm"' not in page  # blocked until LMGTE is mapped
    assert "Anna KIMBER-SMITH → new “Anna Kimber-Smith”" in page
    assert not Entry.objects.exists()

    data = form_data(preview)
    data[class_field("LMGTE")] = str(CarClass.objects.get(code="GTE").pk)
    data[f"name-{decision_key('driver', 'Jean DE LEENER', '7')}"] = "Jean de Leener"
    data["_update"] = "Update"
    updated = admin_client.post(preview_url, data)
    assert updated.status_code == 200
    assert 'name="_confirm"' in updated.text
    assert "Jean DE LEENER → new “Jean de Leener”" in text(updated)
    assert not Entry.objects.exists()  # a preview writes nothing

    confirmed = admin_client.post(preview_url, {**form_data(updated), "_confirm": "Import"})
    assert confirmed.status_code == 302
    assert confirmed["Location"] == f"/admin/races/session/{imola_race.pk}/change/"
    assert Result.objects.filter(session=imola_race).count() == 6
    assert Entry.objects.get(number="77").car_class.code == "GTE"
    assert Driver.objects.filter(full_name="Jean de Leener").exists()
    assert Result.history.filter(history_user__username="admin").count() == 6
    # The staged file is gone with the import.
    assert admin_client.get(preview_url).status_code == 302


def test_an_ambiguous_driver_is_chosen_in_the_preview(admin_client, imola_race, make_driver):
    first = make_driver("Tom McMurry", slug="tom-mcmurry")
    second = make_driver("Tom McMurry", slug="tom-mcmurry-2")
    content = csv_bytes(car(1, "21", drivers="Anna BEE|Tom MCMURRY"))
    preview_url = upload(admin_client, imola_race, content)["Location"]
    preview = admin_client.get(preview_url)
    assert "Tom MCMURRY: 2 drivers could be meant" in text(preview)
    assert 'name="_confirm"' not in preview.text
    data = form_data(preview)
    data[f"person-{decision_key('driver', 'Tom MCMURRY', '21')}"] = str(second.pk)
    updated = admin_client.post(preview_url, {**data, "_update": "Update"})
    assert "(your choice)" in updated.text
    admin_client.post(preview_url, {**form_data(updated), "_confirm": "Import"})
    assert Crew.objects.get(entry__number="21", order=2).driver == second
    assert not Crew.objects.filter(driver=first).exists()


def test_a_value_the_database_refuses_is_shown_as_a_message_not_an_error_page(
    admin_client, imola_race, monkeypatch
):
    preview_url = upload(admin_client, imola_race, csv_bytes(car(1, "21")))["Location"]
    data = form_data(admin_client.get(preview_url))

    def refuse(*args, **kwargs):
        raise DataError("value out of range for type smallint")

    monkeypatch.setattr(admin_views, "run_import", refuse)
    response = admin_client.post(preview_url, {**data, "_confirm": "Import"})
    assert response.status_code == 200
    assert "The database refused a value (value out of range for type smallint)" in text(response)
    assert not Entry.objects.exists()


def test_an_outage_during_the_confirmation_answers_503_not_a_refused_value(
    admin_client, imola_race, monkeypatch
):
    from django.db import OperationalError

    preview_url = upload(admin_client, imola_race, csv_bytes(car(1, "21", cls="LMP2")))["Location"]
    data = form_data(admin_client.get(preview_url))

    def down(*args, **kwargs):
        raise OperationalError("connection to server at 127.0.0.1, port 5432 failed")

    monkeypatch.setattr(admin_views, "run_import", down)
    response = admin_client.post(preview_url, {**data, "_confirm": "Import"})
    assert response.status_code == 503
    assert "The database refused a value" not in text(response)


def test_a_class_choice_in_superscript_digits_is_ignored_not_an_error_page(
    admin_client, imola_race
):
    preview_url = upload(admin_client, imola_race, csv_bytes(car(1, "21", cls="LMGTE")))["Location"]
    data = {**form_data(admin_client.get(preview_url)), class_field("LMGTE"): "1²"}
    response = admin_client.post(preview_url, {**data, "_update": "Update"})
    assert response.status_code == 200
    assert "class LMGTE (1 cars, first on line 2) is not run by" in text(response)


def test_a_class_written_with_an_accent_is_mapped_in_the_preview(admin_client, imola_race):
    content = csv_bytes(car(1, "21", cls="LMGTÉ"))
    preview_url = upload(admin_client, imola_race, content)["Location"]
    data = form_data(admin_client.get(preview_url))
    data[class_field("LMGTÉ")] = str(CarClass.objects.get(code="GTE").pk)
    updated = admin_client.post(preview_url, {**data, "_update": "Update"})
    assert "is not run by" not in text(updated)
    admin_client.post(preview_url, {**form_data(updated), "_confirm": "Import"})
    assert Entry.objects.get(number="21").car_class.code == "GTE"


def test_a_changed_choice_is_previewed_again_before_it_is_imported(admin_client, imola_race):
    content = csv_bytes(car(1, "21", drivers="Anna BEE"))
    preview_url = upload(admin_client, imola_race, content)["Location"]
    data = form_data(admin_client.get(preview_url))
    data[f"name-{decision_key('driver', 'Anna BEE', '21')}"] = "Anna Bee-Smith"
    response = admin_client.post(preview_url, {**data, "_confirm": "Import"})
    assert response.status_code == 200
    assert "Nothing was imported: The data or your choices changed since the preview." in text(
        response
    )
    assert not Entry.objects.exists()
    admin_client.post(preview_url, {**form_data(response), "_confirm": "Import"})
    assert Driver.objects.get().full_name == "Anna Bee-Smith"


def test_a_file_over_the_size_limit_is_refused_by_the_form(admin_client, imola_race):
    garbage = b"x" * (2 * 2**20 + 30 * 1024)  # beyond 2 MB, within the body limit
    response = upload(admin_client, imola_race, garbage)
    assert response.status_code == 200
    assert "The file is 2.0 MB; the limit is 2 MB." in text(response)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "The submitted file is empty."),
        (b"\xef\xbb\xbf\n", "The file is empty."),
        ("POSITION;NUMBER\n1;7\n".encode("utf-16"), "line 1: the file is UTF-16"),
        ("POSITION;NUMBER\n1;7;Rivière\n".encode("cp1252"), "line 2: the file is not UTF-8"),
        (csv_bytes(car(1, "7")).replace(b"STATUS;", b"STATE;"), "Required columns missing"),
        (bytes(range(256)) * 4000, "a NUL byte: this is not a text file"),
    ],
)
def test_a_bad_file_is_refused_with_a_clear_message(admin_client, imola_race, content, message):
    response = upload(admin_client, imola_race, content)
    assert response.status_code == 200
    assert message in text(response)
    assert not Entry.objects.exists()


def test_errors_in_rows_are_listed_with_their_lines_and_block_the_import(admin_client, imola_race):
    content = csv_bytes(car(1, "7"), car(1, "7", time="soon"))
    preview = admin_client.get(upload(admin_client, imola_race, content)["Location"])
    page = text(preview)
    assert "line 3, TOTAL_TIME: “soon” is not a time" in page
    assert 'name="_confirm"' not in preview.text


def test_a_staged_file_belongs_to_its_session_and_login(admin_client, client, imola_race):
    preview_url = upload(admin_client, imola_race, csv_bytes(car(1, "7")))["Location"]
    token = preview_url.rstrip("/").rsplit("/", 1)[-1]
    qualifying = imola_race.event.sessions.get(kind="qualifying")
    other = f"/admin/races/session/{qualifying.pk}/import/{token}/"
    upload_page = f"/admin/races/session/{imola_race.pk}/import/"
    refused = admin_client.get(other, follow=True)
    assert refused.redirect_chain == [(f"/admin/races/session/{qualifying.pk}/import/", 302)]
    assert "This import is not yours or has expired: upload the file again." in text(refused)
    guessed = admin_client.get(preview_url.replace(token, "guess"))
    assert guessed["Location"] == upload_page
    assert client.get(preview_url)["Location"].startswith("/admin/login/")


def test_an_expired_staged_file_sends_the_editor_back_to_the_upload_page(admin_client, imola_race):
    preview_url = upload(admin_client, imola_race, csv_bytes(car(1, "7")))["Location"]
    for staged in (admin_views.STAGING).glob("*.csv"):
        staged.unlink()
    response = admin_client.post(preview_url, {"_confirm": "Import"}, follow=True)
    assert response.redirect_chain == [(f"/admin/races/session/{imola_race.pk}/import/", 302)]
    assert "The staged file has expired: upload it again." in text(response)
    assert not Entry.objects.exists()


def test_a_user_without_import_permissions_is_refused(client, imola_race, django_user_model):
    from django.contrib.auth.models import Permission

    user = django_user_model.objects.create_user("viewer", password="x", is_staff=True)
    user.user_permissions.add(
        *Permission.objects.filter(codename__in=["view_session", "change_session"])
    )
    client.force_login(user)
    assert client.get(f"/admin/races/session/{imola_race.pk}/import/").status_code == 403
    assert client.get(f"/admin/races/session/{imola_race.pk}/export/").status_code == 200


def test_the_export_downloads_the_classification(admin_client, imola_race):
    content = csv_bytes(car(1, "7", drivers="Ann BEE|Bob CEE"), car(2, "8"))
    preview_url = upload(admin_client, imola_race, content)["Location"]
    admin_client.post(preview_url, {**form_data(admin_client.get(preview_url)), "_confirm": "1"})
    response = admin_client.get(f"/admin/races/session/{imola_race.pk}/export/")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="2014-4-hours-of-imola-race.csv"' in response["Content-Disposition"]
    assert response.content.decode("utf-8") == export_session(imola_race)
    assert ";7;Some Team;Ann BEE;Bob CEE;;;Oreca 07 - Gibson;M;LMP2;Classified;100;" in (
        response.content.decode()
    )


def test_a_team_name_near_the_entered_teams_is_asked_in_the_preview(
    admin_client, imola_race, make_team, make_car
):
    team = make_team("Pecom Racing")
    lmp2 = CarClass.objects.get(code="LMP2")
    make_car(imola_race.event, "39", lmp2, drivers=["Pierre Kaffer"], team=team)
    content = csv_bytes(car(1, "39", drivers="Pierre KAFFER", team="Pecom Racing."))
    preview = admin_client.get(upload(admin_client, imola_race, content)["Location"])
    assert preview.status_code == 200
    page = text(preview)
    assert "Pecom Racing.: 1 team could be meant" in page
    assert "team Pecom Racing → Pecom Racing. (to choose)" in page
    data = form_data(preview)
    data[f"person-{decision_key('team', 'Pecom Racing.')}"] = str(team.pk)
    chosen = admin_client.post(preview.wsgi_request.path, data)
    assert "could be meant" not in text(chosen)
    assert "team Pecom Racing →" not in text(chosen)


def test_the_upload_refuses_a_body_beyond_its_limit_before_reading_it(
    admin_client, imola_race, monkeypatch
):
    from django.core.handlers.wsgi import WSGIRequest

    def unread(*args, **kwargs):
        raise AssertionError("the upload was read")

    big = SimpleUploadedFile("c.csv", b"x" * (3 * 2**20), content_type="text/csv")
    monkeypatch.setattr(WSGIRequest, "_load_post_and_files", unread)
    response = admin_client.post(f"/admin/races/session/{imola_race.pk}/import/", {"file": big})
    assert response.status_code == 413  # lmsite/bodylimit.py, before the CSRF check reads it


def age(path, hours):
    import os
    import time

    then = time.time() - hours * 3600
    os.utime(path, (then, then))


def test_a_staged_file_older_than_its_time_is_expired_and_removed(admin_client, imola_race):
    preview_url = upload(admin_client, imola_race, ELMS.read_bytes())["Location"]
    (staged,) = admin_views.STAGING.glob("*.csv")
    age(staged, admin_views.STAGED_HOURS + 1)
    response = admin_client.get(preview_url, follow=True)
    assert "The staged file has expired: upload it again." in text(response)
    assert not staged.exists()


def test_expired_staged_files_are_removed_when_any_import_page_is_opened(admin_client, imola_race):
    upload(admin_client, imola_race, ELMS.read_bytes())
    (old,) = admin_views.STAGING.glob("*.csv")
    age(old, admin_views.STAGED_HOURS + 1)
    assert admin_client.get(f"/admin/races/session/{imola_race.pk}/import/").status_code == 200
    assert not old.exists()
