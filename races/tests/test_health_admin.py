"""The admin's "Data health" page: who may read it, the explain form, its query count."""

import datetime as dt

import pytest
from django.contrib.auth.models import Group, Permission, User
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from races.models import FindingExplanation

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_cache")]

URL = "/admin/races/findingexplanation/health/"


@pytest.fixture
def make_big_crew(make_event, make_entry, make_crew, make_driver):
    """A car of the 1994 race with `size` drivers: a crew-over-four finding when above four."""

    def make(number="52", size=5, event=None):
        event = event or make_event(name="24 Hours of Le Mans", last_day=dt.date(1994, 6, 19))
        entry = make_entry(event=event, number=number)
        for order in range(1, size + 1):
            make_crew(entry, make_driver(f"Driver {number} Nr {chr(64 + order)}x"), order=order)
        return entry

    return make


@pytest.fixture
def editor(db):
    user = User.objects.create_user("editor", password="pw", is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    return user


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def explain(client, rule="crew-over-four", key="1994-24-hours-of-le-mans#52", **data):
    return client.post(URL, {"rule": rule, "key": key, "reason": "Five shared it.", **data})


def test_an_editor_reaches_the_page_from_the_admin_index(editor_client, make_big_crew):
    make_big_crew()
    index = editor_client.get("/admin/")
    assert URL.encode() in index.content
    response = editor_client.get(URL)
    assert response.status_code == 200
    assert "1994 24 Hours of Le Mans #52 has 5 drivers in its crew." in response.text
    assert "1 finding is open." in response.text


def test_the_page_links_each_record_of_a_finding(editor_client, make_big_crew):
    entry = make_big_crew()
    response = editor_client.get(URL)
    assert f'href="/admin/races/entry/{entry.pk}/change/"' in response.text


def test_staff_without_the_permission_is_refused(client, make_big_crew):
    user = User.objects.create_user("clerk", password="pw", is_staff=True)
    client.force_login(user)
    assert client.get(URL).status_code == 403
    assert b"Data health" not in client.get("/admin/").content


def test_a_visitor_is_sent_to_the_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_reading_without_the_add_permission_shows_no_form_and_refuses_a_post(client, make_big_crew):
    user = User.objects.create_user("reader", password="pw", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_findingexplanation"))
    client.force_login(user)
    make_big_crew()
    page = client.get(URL)
    assert page.status_code == 200
    assert "Mark explained" not in page.text
    assert explain(client).status_code == 403
    assert not FindingExplanation.objects.exists()


def test_explaining_a_finding_keeps_who_why_and_history_and_closes_it(
    editor_client, editor, make_big_crew
):
    make_big_crew()
    response = explain(editor_client, source="https://example.org/1994")
    assert response.status_code == 302
    explanation = FindingExplanation.objects.get()
    assert (explanation.rule, explanation.key) == ("crew-over-four", "1994-24-hours-of-le-mans#52")
    assert explanation.reason == "Five shared it."
    assert explanation.explained_by == editor
    assert explanation.history.get().history_user == editor
    page = editor_client.get(URL)
    assert "0 findings are open." in page.text
    assert "Five shared it." not in page.text
    shown = editor_client.get(URL + "?explained=1")
    assert "Five shared it." in shown.text
    assert "editor" in shown.text


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"reason": ""}, "This field is required."),
        ({"reason": "   "}, "This field is required."),
        ({"reason": "bell\x07"}, "A name holds no control character"),
        ({"key": "1994-24-hours-of-le-mans#99"}, "This finding is no longer found"),
        ({"rule": "no-such-rule"}, "Select a valid choice."),
        ({"key": ""}, "This field is required."),
        ({"reason": "x" * 2001}, "Ensure this value has at most 2000 characters"),
    ],
)
def test_a_bad_explanation_is_refused_with_a_message_and_writes_nothing(
    editor_client, make_big_crew, data, message
):
    make_big_crew()
    response = explain(editor_client, **data)
    assert response.status_code == 400
    assert message in response.text
    assert "The explanation was not saved" in response.text
    assert not FindingExplanation.objects.exists()


def test_a_finding_explained_twice_is_refused(editor_client, make_big_crew):
    make_big_crew()
    explain(editor_client)
    response = explain(editor_client, reason="Again.")
    assert response.status_code == 400
    assert "no longer found" in response.text or "explained already" in response.text
    assert FindingExplanation.objects.get().reason == "Five shared it."


def test_the_page_reads_in_german_on_a_german_admin(editor_client, make_big_crew, settings):
    # The admin is outside the language prefix: it speaks the site's default language.
    settings.LANGUAGE_CODE = "de"
    make_big_crew()
    response = editor_client.get(URL)
    assert "Datenqualität" in response.text
    assert "hat 5 Fahrer in der Besatzung" in response.text
    assert "Als erklärt markieren" in response.text


def page_queries(client):
    """The queries of a request that computes the findings, and of the next one, which reads
    them from the cache (races/tests/test_health_cache.py)."""
    cache.clear()
    counts = []
    for _ in range(2):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(URL + "?explained=1").status_code == 200
        counts.append(len(queries))
    return tuple(counts)


def test_the_page_takes_the_same_queries_for_one_finding_as_for_many(
    editor_client, make_big_crew, make_event
):
    circuit = make_big_crew().event.circuit
    explain(editor_client)
    one = page_queries(editor_client)
    event = make_event(
        name="24 Hours of Le Mans", slug="lm-2001", last_day=dt.date(2001, 6, 17), circuit=circuit
    )
    for number in ("1", "2", "3"):
        make_big_crew(number=number, size=6, event=event)
    explain(editor_client, key="2001-lm-2001#1")
    assert page_queries(editor_client) == one == (28, 8)
