"""Stored standings: what `refresh` stores, and that every write path leaves them fresh (the
admin's saves and deletes, the demo loader, the classification import, the rebuild command)."""

from decimal import Decimal as D
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connections
from django.db.utils import load_backend
from django.test.utils import CaptureQueriesContext

from races import writes
from races.demo import lms2011
from races.importers import alkamel
from races.models import (
    Adjustment,
    ChampionshipRules,
    Crew,
    PointsScale,
    Registration,
    Result,
    Round,
    StandingsRow,
    StandingsTable,
    Title,
)
from races.stored_standings import contender_links, refresh
from races.tests.import_samples import ELMS
from races.tests.test_admin import AdminForm
from races.tests.test_import_classification import gte_map
from races.tests.test_standings_db import championship, make_car  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db


def totals(season, kind="drivers"):
    """{name: total} of the season's latest stored table of `kind` (one class)."""
    return {
        row.name: row.total
        for row in StandingsRow.objects.filter(
            table__season=season, table__is_latest=True, table__kind=kind
        )
    }


@pytest.fixture
def stored(championship):  # noqa: F811
    refresh(championship)
    return championship


def test_a_championship_without_drivers_standings_stores_none(championship):  # noqa: F811
    """A cup for teams (the 2011 ILMC): its rules say so, and a save of them is a write that
    drops the drivers' tables at once."""
    refresh(championship)
    assert StandingsTable.objects.filter(season=championship, kind="drivers").exists()
    rules = championship.rules
    rules.driver_standings = False
    rules.save()
    kinds = set(StandingsTable.objects.filter(season=championship).values_list("kind", flat=True))
    assert kinds == {"teams"}


def test_refresh_stores_every_round_with_reasons_and_progression(stored):
    tables = StandingsTable.objects.filter(season=stored)
    assert sorted({(t.after_round, t.is_latest, t.rounds_left) for t in tables}) == [
        (1, False, 1),
        (2, True, 0),
    ]
    assert {t.kind for t in tables} == {"drivers", "teams"}  # no manufacturers in these rules
    kaffer = StandingsRow.objects.get(
        table__season=stored, table__is_latest=True, table__kind="drivers", name="Pierre Kaffer"
    )
    assert (kaffer.position, kaffer.total, kaffer.driver.full_name) == (1, D(44), "Pierre Kaffer")
    assert kaffer.progression == [[1, "14"], [2, "44"]]
    first, second = kaffer.cells
    assert first == {
        "round": 1,
        "points": "14",
        "scored": "14",
        "adjustment": "0",
        "dropped": False,
        "position": 2,
        "pole": True,
        "parts": [
            ["position", "13", "2", ""],
            ["ahead_not_eligible", "0", "#7", ""],
            ["pole", "1", "", ""],
        ],
    }
    assert second["parts"] == [["position", "15", "1", ""], ["factor", "15", "2", ""]]
    team = StandingsRow.objects.get(
        table__season=stored, table__is_latest=True, table__kind="teams", name="Pecom Racing"
    )
    assert team.team.name == "Pecom Racing"
    assert team.driver is None


def test_refresh_replaces_and_a_season_without_rules_stores_nothing(stored):
    count = StandingsRow.objects.count()
    refresh(stored)
    assert StandingsRow.objects.count() == count
    stored.rules.delete()
    assert refresh(stored) == 0
    assert not StandingsTable.objects.filter(season=stored).exists()


def test_contender_keys_link_drivers_teams_and_cars():
    assert contender_links("driver:12") == (12, None, "")
    assert contender_links("team:5") == (None, 5, "")
    assert contender_links("car:5:39") == (None, 5, "39")
    assert contender_links("car::39") == (None, None, "39")
    assert contender_links("car:entry-4") == (None, None, "")
    assert contender_links("manufacturer:Lola") == (None, None, "")


# --- the write paths --------------------------------------------------------------------------


def change_url(obj):
    return f"/admin/races/{obj._meta.model_name}/{obj.pk}/change/"


def test_an_admin_save_of_a_sessions_results_refreshes(admin_client, stored):
    race = Result.objects.get(
        session__event__rounds__season=stored, session__kind="race", entry__number="39",
        session__event__rounds__number=2,
    ).session  # fmt: skip
    form = AdminForm(admin_client, change_url(race))
    form.data["results-0-class_position"] = "2"
    assert form.post().status_code == 302
    assert totals(stored)["Pierre Kaffer"] == D(14 + 26)  # 2nd × 2 at round 2


def test_an_admin_save_of_one_result_refreshes(admin_client, stored):
    result = Result.objects.get(entry__number="24")
    form = AdminForm(admin_client, change_url(result))
    response = form.post(status="retired", position="", class_position="", parent_class_position="")
    assert response.status_code == 302
    assert totals(stored)["Olivier Pla"] == 0  # retired: listed, no points


def test_an_admin_save_of_a_crew_refreshes(admin_client, stored, make_driver):
    entry = Round.objects.get(season=stored, number=2).event.entries.get()
    newcomer = make_driver("Luís Pérez Companc")
    form = AdminForm(admin_client, change_url(entry))
    form.add_row("crew", order="3", driver=str(newcomer.pk))
    assert form.post().status_code == 302
    assert totals(stored)["Luís Pérez Companc"] == D(30)


def test_an_admin_delete_of_a_crew_member_and_registration_refreshes(admin_client, stored):
    entry = Round.objects.get(season=stored, number=2).event.entries.get()
    form = AdminForm(admin_client, change_url(entry))
    form.data["registrations-0-DELETE"] = "on"
    assert form.post().status_code == 302
    assert not Registration.objects.filter(entry=entry).exists()
    assert totals(stored)["Pierre Kaffer"] == D(14)


def test_an_admin_save_of_the_rules_refreshes(admin_client, stored):
    form = AdminForm(admin_client, change_url(stored.rules))
    assert form.post(pole_points="3").status_code == 302
    assert totals(stored)["Pierre Kaffer"] == D(46)


def test_an_admin_save_of_a_round_factor_refreshes(admin_client, stored):
    round_ = Round.objects.get(season=stored, number=2)
    form = AdminForm(admin_client, change_url(round_))
    assert form.post(points_factor="1").status_code == 302
    assert totals(stored)["Pierre Kaffer"] == D(29)


def test_an_admin_adjustment_add_and_delete_refresh(admin_client, stored):
    round_ = Round.objects.get(season=stored, number=2)
    entry = round_.event.entries.get()
    response = admin_client.post(
        "/admin/races/adjustment/add/",
        {"round": round_.pk, "entry": entry.pk, "points": "-2", "reason": "Engine change"},
    )
    assert response.status_code == 302
    assert totals(stored)["Pierre Kaffer"] == D(42)
    adjustment = Adjustment.objects.get()
    response = admin_client.post(
        f"/admin/races/adjustment/{adjustment.pk}/delete/", {"post": "yes"}
    )
    assert response.status_code == 302
    assert totals(stored)["Pierre Kaffer"] == D(44)


def test_an_admin_save_of_a_points_scale_refreshes_every_season_using_it(admin_client, stored):
    scale = PointsScale.objects.get(slug="le-mans-series-2010")
    form = AdminForm(admin_client, change_url(scale))
    form.data["points-0-points"] = "20"
    assert form.post().status_code == 302
    assert totals(stored)["Pierre Kaffer"] == D(14 + 40)


def test_an_admin_delete_of_a_season_round_refreshes(admin_client, stored):
    Registration.objects.filter(entry__event__rounds__season=stored, entry__number="39").filter(
        entry__event__rounds__number=2
    ).delete()
    round_ = Round.objects.get(season=stored, number=2)
    response = admin_client.post(f"/admin/races/round/{round_.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert set(
        StandingsTable.objects.filter(season=stored).values_list("after_round", flat=True)
    ) == {1}


def test_the_demo_loader_stores_the_2011_standings_and_the_champions():
    assert lms2011.load() is True
    lms = StandingsTable.objects.filter(season__series__slug="le-mans-series", is_latest=True)
    assert {t.after_round for t in lms} == {5}
    assert {t.kind for t in lms} == {"drivers", "teams", "manufacturers"}
    greaves = StandingsRow.objects.get(
        table__in=lms, table__car_class__code="LMP2", name="Greaves Motorsport"
    )
    assert greaves.total == D(58)  # LMP2 wins at Castellet, Imola, Silverstone; 2nd at Estoril
    ilmc = StandingsRow.objects.filter(table__season__series__slug="intercontinental-le-mans-cup")
    assert ilmc.exists()
    champions = Title.objects.filter(season__series__slug="le-mans-series", position=1)
    assert champions.count() == 14  # 5 teams, 9 drivers
    assert champions.get(name="Julien Jousse").driver.slug == "julien-jousse"
    assert champions.get(name="Pegasus Racing").team.slug == "pegasus-racing"  # the FLM winner
    rebellion = champions.get(name="Rebellion Racing")
    assert (rebellion.margin_points, rebellion.margin) == (1, "")
    assert "Champions 2011" not in champions.first().season.notes


def test_a_classification_import_refreshes_the_events_championships(imola_race, elms_2014):
    ChampionshipRules.objects.create(
        season=elms_2014, scale=PointsScale.objects.get(slug="elms-2015")
    )
    from races.importers.classification import run_import

    run_import(imola_race, alkamel.parse(ELMS.read_bytes()), gte_map())
    rows = StandingsRow.objects.filter(table__season=elms_2014, table__kind="drivers")
    assert rows.exists()
    winner = Result.objects.get(session=imola_race, finish_order=1).entry
    names = set(Crew.objects.filter(entry=winner).values_list("driver__full_name", flat=True))
    assert {r.name for r in rows if r.total == D(25)} >= names


def test_the_rebuild_command_refreshes_one_season_or_all(championship):  # noqa: F811
    out = StringIO()
    call_command("rebuild_standings", "le-mans-series", "2011", stdout=out)
    assert "2011 Le Mans Series: 10 standings lines stored." in out.getvalue()
    StandingsRow.objects.all().delete()
    call_command("rebuild_standings", stdout=StringIO())
    assert totals(championship)["Pierre Kaffer"] == D(44)


# --- the database a refresh reads and writes ---------------------------------------------------


@pytest.fixture
def mirror():
    """A second database alias on the test database, as a replica or a second database of
    a deployment would be: what `using` names. Data must be committed for it to see."""
    settings = dict(connections["default"].settings_dict)
    connections["mirror"] = load_backend(settings["ENGINE"]).DatabaseWrapper(settings, "mirror")
    yield "mirror"
    connections["mirror"].close()
    del connections["mirror"]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_refresh_reads_and_writes_only_the_database_it_is_given(championship, mirror):  # noqa: F811
    StandingsTable.objects.all().delete()
    with (
        CaptureQueriesContext(connections["default"]) as on_default,
        CaptureQueriesContext(connections[mirror]) as on_mirror,
    ):
        stored_rows = refresh(championship, using=mirror)
    assert stored_rows > 0
    assert [q["sql"] for q in on_default] == []
    assert any("INSERT" in q["sql"] and "standingsrow" in q["sql"] for q in on_mirror)
    assert StandingsRow.objects.filter(table__season=championship).count() == stored_rows


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_write_block_on_another_database_refreshes_there(championship, mirror):  # noqa: F811
    StandingsTable.objects.all().delete()
    with (
        CaptureQueriesContext(connections["default"]) as on_default,
        writes.changes(mirror),
    ):
        writes.touch([championship], mirror)
    assert [q["sql"] for q in on_default] == []
    assert StandingsTable.objects.filter(season=championship).exists()
