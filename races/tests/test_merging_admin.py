"""The admin's identity tools (races/people_admin.py): a driver's and a team's entries on their
change pages (pinned queries), the merge and split pages with their confirmation, the action
on two selected rows, bad input answered in the form, and the drivers' admin as one block of
the write path."""

import datetime as dt
import html

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from drivers.models import Driver, DriverRedirect, written
from lmsite.admin_conflicts import DIGEST
from races import writes
from races.models import Crew, Entry, Team, TeamRedirect

pytestmark = pytest.mark.django_db


def merge_url(record):
    return reverse(
        f"admin:{record._meta.app_label}_{record._meta.model_name}_merge", args=[record.pk]
    )


def text(response):
    return html.unescape(response.content.decode())


@pytest.fixture
def career(make_driver, make_team, make_circuit, make_event, make_entry, make_crew, make_class):
    """`make(driver, n)`: n entries of `driver` in n years from 2001, with a team-mate each."""
    lmp2, circuit = make_class("LMP2"), make_circuit()

    def make(driver, count, team=None, first_year=2001):
        team = team or make_team("Pecom Racing")
        for index in range(count):
            year = first_year + index
            event = make_event(f"6 Hours of Estoril {year}", circuit=circuit)
            event.last_day = dt.date(year, 9, 25)
            event.save()
            entry = make_entry(event, str(index + 1), lmp2, team=team)
            make_crew(entry, driver=driver, order=1)
            make_crew(entry, driver=make_driver(f"Mate {year} {driver.slug}"), order=2)
        return team

    return make


# --- the entries lists -------------------------------------------------------------------------


def test_a_driver_page_lists_the_entries_newest_first_with_links(admin_client, career, make_driver):
    kaffer = make_driver("Pierre Kaffer")
    career(kaffer, 2)
    response = admin_client.get(f"/admin/drivers/driver/{kaffer.pk}/change/")
    lines = response.context["entry_lines"]
    assert [line.year for line in lines] == [2002, 2001]
    entry = lines[0].entry
    page = text(response)
    assert f'href="/admin/races/entry/{entry.pk}/change/"' in page
    assert f'href="/admin/races/event/{entry.event_id}/change/"' in page
    assert f'href="/admin/races/team/{entry.team_id}/change/">Pecom Racing</a>' in page
    assert "Entries, newest first" in page
    assert f'href="/admin/drivers/driver/{kaffer.pk}/merge/"' in page
    assert f'href="/admin/drivers/driver/{kaffer.pk}/split/"' in page


def test_a_team_page_lists_its_entries_with_their_crews(admin_client, career, make_driver):
    kaffer = make_driver("Pierre Kaffer")
    team = career(kaffer, 2)
    response = admin_client.get(f"/admin/races/team/{team.pk}/change/")
    lines = response.context["entry_lines"]
    assert [line.year for line in lines] == [2002, 2001]
    assert [d.full_name for d in lines[0].crew] == ["Pierre Kaffer", "Mate 2002 pierre-kaffer"]
    assert f'href="/admin/drivers/driver/{kaffer.pk}/change/">Pierre Kaffer</a>' in text(response)


@pytest.mark.parametrize("count", [1, 20])
def test_a_driver_page_runs_a_fixed_number_of_queries(
    admin_client, career, make_driver, django_assert_num_queries, count
):
    kaffer = make_driver("Pierre Kaffer")
    career(kaffer, count)
    url = f"/admin/drivers/driver/{kaffer.pk}/change/"
    admin_client.get(url)  # content types cached
    # savepoint, session, user, driver, release; the entries with event, class and team
    with django_assert_num_queries(6):
        admin_client.get(url)


@pytest.mark.parametrize("count", [1, 20])
def test_a_team_page_runs_a_fixed_number_of_queries(
    admin_client, career, make_driver, django_assert_num_queries, count
):
    team = career(make_driver("Pierre Kaffer"), count)
    url = f"/admin/races/team/{team.pk}/change/"
    admin_client.get(url)  # content types cached
    # savepoint, session, user, team, release; the entries with event and class; their crews
    with django_assert_num_queries(7):
        admin_client.get(url)


# --- merging in the admin ----------------------------------------------------------------------


@pytest.fixture
def twins(career, make_driver):
    kaffer, kafer = make_driver("Pierre Kaffer"), make_driver("Pierre Kafer")
    team = career(kaffer, 2)
    career(kafer, 1, team=team, first_year=2010)
    return kaffer, kafer


def test_the_merge_page_shows_what_will_move_and_the_alias_rule(admin_client, twins):
    kaffer, kafer = twins
    response = admin_client.get(merge_url(kaffer), {"other": "pierre-kafer"})
    assert response.status_code == 200
    assert (
        response.context["plan"]
        == admin_client.get(
            merge_url(kaffer),
            {"other": str(kafer.pk)},  # by id: the Data health page's link
        ).context["plan"]
    )
    page = text(response)
    assert "Crew places: <strong>1</strong>" in page
    assert "driver,same,Pierre Kafer,,Pierre Kaffer,One driver: merged in the admin.," in page
    assert 'name="confirm"' in page


def test_merging_in_the_admin_moves_the_places_and_tells_the_alias_line(admin_client, twins):
    kaffer, kafer = twins
    data = {"other": "pierre-kafer", "reason": "A misspelling."}
    response = admin_client.post(merge_url(kaffer), {**data, "confirm": "Merge"})
    assert response.status_code == 302
    assert response["Location"] == f"/admin/drivers/driver/{kaffer.pk}/change/"
    assert not Driver.objects.filter(pk=kafer.pk).exists()
    assert Crew.objects.filter(driver=kaffer).count() == 3
    assert DriverRedirect.objects.get().old_slug == "pierre-kafer"
    (message,) = [str(m) for m in get_messages(response.wsgi_request)]
    assert "driver,same,Pierre Kafer,,Pierre Kaffer,A misspelling.," in message
    removed = Driver.history.filter(id=kafer.pk).latest("history_id")
    assert removed.history_user.username == "admin"


def test_a_preview_post_writes_nothing(admin_client, twins):
    kaffer, kafer = twins
    data = {"other": "pierre-kafer", "preview": "Show"}
    assert admin_client.post(merge_url(kaffer), data).status_code == 200
    assert Driver.objects.filter(pk=kafer.pk).exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"other": "nobody"}, "No driver has the address “nobody”."),
        ({"other": "bad\x00slug"}, "Null characters are not allowed."),
        ({"other": "bad slug"}, "is not an address"),
        ({"other": "x" * 5000}, "at most 200 characters"),
        ({"other": "9" * 40}, "No driver has the address"),
        ({"other": "pierre-kaffer"}, "Choose two different records."),
        ({"other": ""}, "This field is required."),
        ({"other": "pierre-kafer", "reason": "a\x07b"}, "control"),
    ],
)
def test_bad_input_in_the_merge_form_is_a_message_not_an_error(admin_client, twins, data, message):
    response = admin_client.post(merge_url(twins[0]), {**data, "confirm": "Merge"})
    assert response.status_code == 200
    assert message in text(response)
    assert Driver.objects.count() == 2 + 3  # the twins and their team-mates


def test_a_refused_merge_shows_why_and_offers_no_button(admin_client, twins):
    kaffer, _ = twins
    mate = Driver.objects.get(slug="mate-2001-pierre-kaffer")
    data = {"other": mate.slug}
    response = admin_client.post(merge_url(kaffer), {**data, "confirm": "Merge"})
    assert response.status_code == 200
    assert "a crew cannot hold one driver twice" in text(response)
    assert 'name="confirm"' not in text(response)
    assert Driver.objects.filter(pk=mate.pk).exists()


def test_the_action_opens_the_merge_page_keeping_the_driver_with_more_places(admin_client, twins):
    kaffer, kafer = twins
    data = {"action": "merge_selected", "_selected_action": [kafer.pk, kaffer.pk]}
    response = admin_client.post("/admin/drivers/driver/", data)
    assert response.status_code == 302
    assert response["Location"] == f"{merge_url(kaffer)}?other=pierre-kafer"


def test_the_action_on_one_row_asks_for_two(admin_client, twins):
    kaffer, _ = twins
    data = {"action": "merge_selected", "_selected_action": [kaffer.pk]}
    response = admin_client.post("/admin/drivers/driver/", data, follow=True)
    assert "Select exactly two records to merge." in text(response)


def test_merging_two_teams_in_the_admin(admin_client, career, make_driver, make_team):
    pecom = career(make_driver("Pierre Kaffer"), 2)
    twin = career(make_driver("Matías Russo"), 1, team=make_team("Pecom"), first_year=2010)
    response = admin_client.get(merge_url(pecom), {"other": "pecom"})
    assert "Entries: <strong>1</strong>" in text(response)
    assert "team,same,Pecom,,Pecom Racing,One team: merged in the admin.," in text(response)
    data = {"other": "pecom", "confirm": "Merge"}
    response = admin_client.post(merge_url(pecom), data)
    assert response["Location"] == f"/admin/races/team/{pecom.pk}/change/"
    assert not Team.objects.filter(pk=twin.pk).exists()
    assert Entry.objects.filter(team=pecom).count() == 3
    assert TeamRedirect.objects.get().old_slug == "pecom"


# --- splitting in the admin --------------------------------------------------------------------


def split_url(driver):
    return reverse("admin:drivers_driver_split", args=[driver.pk])


def test_the_split_page_lists_the_places_newest_first(admin_client, career, make_driver):
    kaffer = make_driver("Pierre Kaffer")
    career(kaffer, 2)
    response = admin_client.get(split_url(kaffer))
    labels = [label for _, label in response.context["form"].fields["places"].choices]
    assert labels == [
        "2002 · 6 Hours of Estoril 2002 · #2 · LMP2 · Pecom Racing",
        "2001 · 6 Hours of Estoril 2001 · #1 · LMP2 · Pecom Racing",
    ]


def test_splitting_in_the_admin_creates_the_new_driver(admin_client, career, make_driver):
    jean = make_driver("Jean Vinatier")
    career(jean, 3, first_year=1950)
    place = Crew.objects.get(driver=jean, entry__event__last_day__year=1950)
    data = {"places": [place.pk], "new_name": "Jean Vinatier Sr.", "reason": "Father and son."}
    response = admin_client.post(split_url(jean), {**data, "preview": "Show"})
    assert "driver,same,Jean Vinatier,1950,Jean Vinatier Sr.,Father and son.," in text(response)
    assert not Driver.objects.filter(slug="jean-vinatier-sr").exists()
    response = admin_client.post(split_url(jean), {**data, "confirm": "Move"})
    father = Driver.objects.get(slug="jean-vinatier-sr")
    assert response["Location"] == f"/admin/drivers/driver/{father.pk}/change/"
    assert list(Crew.objects.filter(driver=father)) == [place]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"places": ["abc"], "new_name": "X"}, "Select a valid choice"),
        ({"places": ["99999999999999999999"], "new_name": "X"}, "Select a valid choice"),
        ({"new_name": "X"}, "Choose at least one crew place to move."),
        ({"first": True, "target": "pierre-kaffer", "new_name": "X"}, "not both"),
        ({"first": True}, "Give an existing driver or a new name."),
        ({"first": True, "target": "jean-vinatier"}, "Choose another driver"),
        ({"first": True, "new_name": "Pierre Kaffer"}, "Another driver already has this"),
        ({"first": True, "new_name": "Jean\x00"}, "control"),
        ({"first": True, "new_name": "!!!"}, "Give the new driver an address."),
        ({"first": True, "new_name": "ß" * 150}, "Give the new driver an address."),
        ({"all": True, "new_name": "Someone"}, "Every crew place would move"),
    ],
)
def test_bad_input_in_the_split_form_is_a_message_not_an_error(
    admin_client, career, make_driver, data, message
):
    jean = make_driver("Jean Vinatier")
    career(jean, 2, first_year=1950)
    make_driver("Pierre Kaffer")
    places = list(Crew.objects.filter(driver=jean).values_list("pk", flat=True))
    data = dict(data)
    if data.pop("first", False):
        data["places"] = places[:1]
    if data.pop("all", False):
        data["places"] = places
    response = admin_client.post(split_url(jean), {**data, "confirm": "Move"})
    assert response.status_code == 200
    assert message in text(response)
    assert Crew.objects.filter(driver=jean).count() == 2


def test_a_place_of_another_driver_cannot_be_split_off(admin_client, career, make_driver):
    jean, other = make_driver("Jean Vinatier"), make_driver("Pierre Kaffer")
    team = career(jean, 2)
    career(other, 1, team=team, first_year=2010)
    foreign = Crew.objects.filter(driver=other).first()
    data = {"places": [foreign.pk], "new_name": "X", "confirm": "Move"}
    response = admin_client.post(split_url(jean), data)
    assert "Select a valid choice" in text(response)
    assert Crew.objects.get(pk=foreign.pk).driver == other


@pytest.mark.parametrize("object_id", ["abc", "99999", "²", "9" * 40])
@pytest.mark.parametrize(
    "page", ["drivers/driver/{}/split/", "drivers/driver/{}/merge/", "races/team/{}/merge/"]
)
def test_the_split_and_merge_pages_of_no_record_are_a_404(admin_client, object_id, page):
    assert admin_client.get("/admin/" + page.format(object_id)).status_code == 404


# --- the drivers' admin and the write path -----------------------------------------------------


def test_a_driver_saved_in_the_admin_is_one_block_of_the_write_path(admin_client, make_driver):
    kaffer = make_driver("Pierre Kaffer")
    seen = []

    def record(sender, using, **kwargs):
        seen.append(writes.in_changes(using))

    written.connect(record, sender=Driver)
    try:
        version = writes.current_version().number
        url = f"/admin/drivers/driver/{kaffer.pk}/change/"
        # The digest the page was drawn with (lmsite/admin_conflicts.py): a save carries it.
        drawn = admin_client.get(url).context["adminform"].form[DIGEST].value()
        response = admin_client.post(
            url,
            {
                DIGEST: drawn,
                "full_name": "Pierre Kaffer",
                "slug": "pierre-kaffer",
                "first_name_known": "on",
                "facts_note": "Born in Bitburg.",
            },
        )
    finally:
        written.disconnect(record, sender=Driver)
    assert response.status_code == 302
    assert seen == [True]
    assert writes.current_version().number == version + 1


# --- records in a cancelled, undated event -----------------------------------------------------


@pytest.fixture
def undated(career, make_driver, make_event, make_entry, make_crew, make_class):
    """Raymond Sommer: two dated entries and one in Le Mans 1936, cancelled and undated."""
    sommer = make_driver("Raymond Sommer")
    team = career(sommer, 2, first_year=1937)
    circuit = Entry.objects.filter(team=team).first().event.circuit
    event = make_event("24 Hours of Le Mans", circuit, last_day=None, status="cancelled")
    entry = make_entry(event, "9", make_class("S 1.5"), team=team)
    make_crew(entry, driver=sommer, order=1)
    return sommer, team, entry


def test_change_pages_of_records_in_an_undated_event_list_it_last(admin_client, undated):
    sommer, team, _entry = undated
    response = admin_client.get(f"/admin/drivers/driver/{sommer.pk}/change/")
    assert response.status_code == 200
    assert [line.year for line in response.context["entry_lines"]] == [1938, 1937, None]
    response = admin_client.get(f"/admin/races/team/{team.pk}/change/")
    assert response.status_code == 200
    assert [line.year for line in response.context["entry_lines"]] == [1938, 1937, None]


def test_splitting_off_a_place_in_an_undated_event(admin_client, undated):
    sommer, _team, entry = undated
    response = admin_client.get(split_url(sommer))
    labels = [label for _, label in response.context["form"].fields["places"].choices]
    assert labels[-1] == "– · 24 Hours of Le Mans · #9 · S 1.5 · Pecom Racing"
    place = Crew.objects.get(driver=sommer, entry=entry)
    data = {"places": [place.pk], "new_name": "Raymond Sommer Jr", "preview": "Show"}
    response = admin_client.post(split_url(sommer), data)
    assert response.status_code == 200
    assert "events with no date" in text(response)


def test_merging_drivers_sharing_a_car_of_an_undated_event_is_refused(
    admin_client, undated, make_driver, make_crew
):
    sommer, _team, entry = undated
    twin = make_driver("Raymond Somer")
    make_crew(entry, driver=twin, order=2)
    response = admin_client.get(merge_url(sommer), {"other": "raymond-somer"})
    assert response.status_code == 200
    assert "car 9 at 24 Hours of Le Mans –" in text(response)


@pytest.fixture
def change_only_editor(client):
    """An editor who may change drivers but not add one."""
    from django.contrib.auth.models import Permission, User

    editor = User.objects.create_user("editor", is_staff=True)
    editor.user_permissions.add(*Permission.objects.filter(codename="change_driver"))
    client.force_login(editor)
    return client


def test_the_split_page_offers_a_new_driver_only_to_who_may_add_one(
    admin_client, change_only_editor, career, make_driver
):
    jean = make_driver("Jean Vinatier")
    career(jean, 2, first_year=1950)
    page = text(admin_client.get(split_url(jean)))
    assert 'name="new_name"' in page
    assert "leave empty to create a new one" in page
    assert 'id="no-new-driver"' not in page
    response = change_only_editor.get(split_url(jean))
    assert response.status_code == 200
    page = text(response)
    for name in ("new_name", "new_slug", "new_nationality"):
        assert f'name="{name}"' not in page
    assert 'name="target"' in page
    assert "leave empty to create a new one" not in page
    assert "You may not add drivers, so the places can move to an existing driver only" in page


def test_splitting_to_a_new_driver_needs_the_right_to_add_drivers(
    change_only_editor, career, make_driver
):
    client = change_only_editor
    jean, kaffer = make_driver("Jean Vinatier"), make_driver("Pierre Kaffer")
    career(jean, 2, first_year=1950)
    place = Crew.objects.filter(driver=jean).first()
    data = {"places": [place.pk], "new_name": "Jean Vinatier Sr.", "confirm": "Move"}
    assert client.post(split_url(jean), data).status_code == 403  # a forged form
    assert client.post(split_url(jean), {**data, "preview": "Show"}).status_code == 403
    assert not Driver.objects.filter(slug="jean-vinatier-sr").exists()
    response = client.post(split_url(jean), {"places": [place.pk], "confirm": "Move"})
    assert response.status_code == 200
    assert "Give an existing driver." in text(response)
    data = {"places": [place.pk], "target": "pierre-kaffer", "confirm": "Move"}
    assert client.post(split_url(jean), data).status_code == 302
    assert Crew.objects.get(pk=place.pk).driver == kaffer
