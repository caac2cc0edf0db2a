"""The one write path (races/writes.py): every write to racing data refreshes the stored
standings of the seasons it touches, once per block, and advances the data version, in one
transaction (docs/decisions/0009-one-write-path.md). One test per write path."""

from contextlib import contextmanager
from decimal import Decimal as D
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from drivers.models import Driver
from races import stored_standings, writes
from races.demo import lemans, lms2011
from races.importers import alkamel
from races.importers.classification import run_import
from races.models import (
    Adjustment,
    ChampionshipRules,
    Crew,
    DataVersion,
    PointsScale,
    Registration,
    Result,
    Round,
    Season,
    StandingsTable,
    Team,
)
from races.tests.import_samples import ELMS
from races.tests.test_admin import AdminForm, change_url, page_text
from races.tests.test_import_classification import gte_map
from races.tests.test_standings_db import championship, make_car  # noqa: F401 (fixtures)
from races.tests.test_stored_standings import totals

pytestmark = pytest.mark.django_db


@pytest.fixture
def stored(championship):  # noqa: F811
    stored_standings.refresh(championship)
    return championship


@pytest.fixture
def refreshes(monkeypatch):
    """The seasons refreshed, in order, one item per refresh."""
    calls = []
    real = stored_standings.refresh

    def counting(season, using="default"):
        calls.append(season.pk)
        return real(season, using)

    monkeypatch.setattr(stored_standings, "refresh", counting)
    return calls


def stored_tables(season):
    """The stored tables of `season` as (pk, when): a refresh replaces every one of them."""
    return set(StandingsTable.objects.filter(season=season).values_list("pk", "computed_at"))


@contextmanager
def standings_and_version_move(season):
    version, tables = writes.current_version(), stored_tables(season)
    yield
    after = writes.current_version()
    assert after.number > version.number
    assert after.changed_at >= version.changed_at
    assert stored_tables(season) != tables, "the stored standings were not refreshed"


@contextmanager
def only_the_version_moves(season):
    version, tables = writes.current_version(), stored_tables(season)
    yield
    assert writes.current_version().number > version.number
    assert stored_tables(season) == tables


def estoril_car(season):
    return Round.objects.get(season=season, number=2).event.entries.get()


# --- the mechanism ----------------------------------------------------------------------------


def test_the_current_version_is_one_query_and_no_transaction(django_assert_num_queries):
    with django_assert_num_queries(1) as context:
        version = writes.current_version()
    assert "SAVEPOINT" not in context.captured_queries[0]["sql"]
    assert version.number == DataVersion.objects.get().number


def test_a_block_that_touches_nothing_writes_nothing():
    before = writes.current_version()
    with CaptureQueriesContext(connection) as context, writes.changes():
        pass
    assert [q["sql"] for q in context.captured_queries if "SAVEPOINT" not in q["sql"]] == []
    assert writes.current_version() == before


def test_touch_outside_a_block_is_an_error():
    with pytest.raises(RuntimeError):
        writes.touch()


def test_the_first_write_after_the_version_row_is_gone_creates_it():
    DataVersion.objects.all().delete()
    assert writes.current_version() == writes.NO_VERSION
    writes.record_change()
    assert writes.current_version().number == 1


def test_a_block_touching_a_season_many_times_refreshes_it_once(stored, refreshes):
    version = writes.current_version()
    with writes.changes():
        for result in Result.objects.filter(session__event__rounds__season=stored):
            result.save()
        Round.objects.filter(season=stored).update(points_factor=D(1))
        assert refreshes == []  # not before the block ends
    assert refreshes == [stored.pk]
    assert writes.current_version().number == version.number + 1
    assert totals(stored)["Pierre Kaffer"] == D(29)  # 14, then 15 × 1


def test_an_exception_rolls_back_the_write_the_refresh_and_the_version(stored, monkeypatch):
    version, tables = writes.current_version(), stored_tables(stored)
    real = stored_standings.refresh

    def refresh_then_fail(season, using="default"):
        real(season, using)
        raise RuntimeError("disk full")

    monkeypatch.setattr(stored_standings, "refresh", refresh_then_fail)
    with pytest.raises(RuntimeError, match="disk full"):
        Round.objects.filter(season=stored, number=2).update(points_factor=D(1))
    assert Round.objects.get(season=stored, number=2).points_factor == D(2)
    assert stored_tables(stored) == tables
    assert writes.current_version() == version


def test_an_exception_inside_a_block_rolls_back_everything_it_wrote(stored):
    version, tables = writes.current_version(), stored_tables(stored)

    def write_then_fail():
        with writes.changes():
            Round.objects.filter(season=stored, number=2).update(points_factor=D(1))
            raise ValueError("stop")

    with pytest.raises(ValueError, match="stop"):
        write_then_fail()
    assert Round.objects.get(season=stored, number=2).points_factor == D(2)
    assert (stored_tables(stored), writes.current_version()) == (tables, version)
    assert not writes.in_changes()


def test_an_entry_moved_to_another_event_touches_the_seasons_before_and_after(stored):
    ilmc = Season.objects.get(series__name="Intercontinental Le Mans Cup")
    peugeot = Result.objects.get(entry__number="7").entry  # Imola: LMS and ILMC
    with writes.changes() as block:
        peugeot.event = Round.objects.get(season=stored, number=2).event  # Estoril: LMS only
        peugeot.save()
        assert block.seasons == {stored.pk, ilmc.pk}


def test_a_delete_touches_the_seasons_of_the_row_before_it_goes(stored, refreshes):
    round_ = Round.objects.get(season=stored, number=2)
    Registration.objects.filter(entry__event=round_.event).delete()
    refreshes.clear()
    with standings_and_version_move(stored):
        round_.event.delete()
    assert refreshes == [stored.pk]
    assert {t.after_round for t in StandingsTable.objects.filter(season=stored)} == {1}


# --- from code --------------------------------------------------------------------------------


def test_a_save_from_code_refreshes_and_advances(stored):
    round_ = Round.objects.get(season=stored, number=2)
    round_.points_factor = D(1)
    with standings_and_version_move(stored):
        round_.save()
    assert totals(stored)["Pierre Kaffer"] == D(29)


def test_a_create_and_a_delete_from_code_refresh_and_advance(stored):
    round_ = Round.objects.get(season=stored, number=2)
    with standings_and_version_move(stored):
        adjustment = Adjustment.objects.create(
            round=round_, entry=estoril_car(stored), points=D(-2), reason="Engine change"
        )
    assert totals(stored)["Pierre Kaffer"] == D(42)
    with standings_and_version_move(stored):
        adjustment.delete()
    assert totals(stored)["Pierre Kaffer"] == D(44)


def test_a_queryset_update_from_code_refreshes_and_advances(stored):
    with standings_and_version_move(stored):
        Round.objects.filter(season=stored, number=2).update(points_factor=D(1))
    assert totals(stored)["Pierre Kaffer"] == D(29)


def test_a_queryset_delete_from_code_refreshes_and_advances(stored):
    with standings_and_version_move(stored):
        Result.objects.filter(entry__number="39", session__kind="qualifying").delete()
    assert totals(stored)["Pierre Kaffer"] == D(43)  # no pole point


def test_a_bulk_create_from_code_refreshes_and_advances(stored):
    round_ = Round.objects.get(season=stored, number=2)
    with standings_and_version_move(stored):
        Adjustment.objects.bulk_create(
            [Adjustment(round=round_, entry=estoril_car(stored), points=D(5), reason="Appeal")]
        )
    assert totals(stored)["Pierre Kaffer"] == D(49)


def test_a_bulk_update_from_code_refreshes_and_advances(stored):
    round_ = Round.objects.get(season=stored, number=2)
    round_.points_factor = D(1)
    with standings_and_version_move(stored):
        Round.objects.bulk_update([round_], ["points_factor"])
    assert totals(stored)["Pierre Kaffer"] == D(29)


def test_a_driver_save_and_update_advance_the_version_only(stored):
    kaffer = Driver.objects.get(full_name="Pierre Kaffer")
    kaffer.bio = "German driver."
    with only_the_version_moves(stored):
        kaffer.save()
    with only_the_version_moves(stored):
        Driver.objects.filter(pk=kaffer.pk).update(birth_place="Bad Neuenahr")
    with only_the_version_moves(stored):
        Driver.objects.bulk_create([Driver(full_name="Newcomer", slug="newcomer")])


def test_a_team_rename_advances_the_version_only(stored):
    with only_the_version_moves(stored):
        Team.objects.filter(name="Pecom Racing").update(name="Pecom Racing Team")


def test_a_raw_sql_write_records_its_change_explicitly(stored):
    """The way of a data migration or a fix in SQL: write, then record_change in the same
    transaction."""
    round_ = Round.objects.get(season=stored, number=2)
    with standings_and_version_move(stored), writes.changes():
        with connection.cursor() as cursor:
            table = Round._meta.db_table
            cursor.execute(f"UPDATE {table} SET points_factor = 1 WHERE id = %s", [round_.pk])
        writes.record_change([stored])
    assert totals(stored)["Pierre Kaffer"] == D(29)


# --- the admin --------------------------------------------------------------------------------


def test_an_admin_add_and_delete_refresh_and_advance(admin_client, stored):
    round_ = Round.objects.get(season=stored, number=2)
    data = {"round": round_.pk, "entry": estoril_car(stored).pk, "points": "-2", "reason": "Fuel"}
    with standings_and_version_move(stored):
        assert admin_client.post("/admin/races/adjustment/add/", data).status_code == 302
    assert totals(stored)["Pierre Kaffer"] == D(42)
    url = f"/admin/races/adjustment/{Adjustment.objects.get().pk}/delete/"
    with standings_and_version_move(stored):
        assert admin_client.post(url, {"post": "yes"}).status_code == 302
    assert totals(stored)["Pierre Kaffer"] == D(44)


def test_an_admin_change_refreshes_and_advances(admin_client, stored):
    form = AdminForm(admin_client, change_url(Round.objects.get(season=stored, number=2)))
    with standings_and_version_move(stored):
        assert form.post(points_factor="1").status_code == 302
    assert totals(stored)["Pierre Kaffer"] == D(29)


def test_an_admin_save_of_a_car_and_its_four_crew_rows_refreshes_its_season_once(
    admin_client, stored, make_driver, refreshes
):
    car = estoril_car(stored)
    for order, name in [(3, "Luís Pérez Companc"), (4, "Nicolas Minassian")]:
        Crew.objects.create(entry=car, driver=make_driver(name), order=order)
    refreshes.clear()
    form = AdminForm(admin_client, change_url(car))
    assert form.data["crew-TOTAL_FORMS"] == "4"
    for row in range(4):
        form.data[f"crew-{row}-drove"] = "true"
    with standings_and_version_move(stored):
        assert form.post(chassis="Oreca 03").status_code == 302
    assert refreshes == [stored.pk]
    assert set(Crew.objects.filter(entry=car).values_list("drove", flat=True)) == {True}


def test_an_admin_crew_inline_refreshes_and_advances(admin_client, stored, make_driver):
    form = AdminForm(admin_client, change_url(estoril_car(stored)))
    form.add_row("crew", order="3", driver=str(make_driver("Luís Pérez Companc").pk))
    with standings_and_version_move(stored):
        assert form.post().status_code == 302
    assert totals(stored)["Luís Pérez Companc"] == D(30)


def test_an_admin_results_inline_refreshes_and_advances(admin_client, stored):
    race = Round.objects.get(season=stored, number=2).event.sessions.get(kind="race")
    form = AdminForm(admin_client, change_url(race))
    form.data["results-0-class_position"] = "2"
    with standings_and_version_move(stored):
        assert form.post().status_code == 302
    assert totals(stored)["Pierre Kaffer"] == D(14 + 26)


def test_an_admin_bulk_delete_action_refreshes_and_advances(admin_client, stored):
    qualifying = Result.objects.get(entry__number="39", session__kind="qualifying")
    data = {"action": "delete_selected", "_selected_action": [qualifying.pk], "post": "yes"}
    with standings_and_version_move(stored):
        assert admin_client.post("/admin/races/result/", data).status_code == 302
    assert totals(stored)["Pierre Kaffer"] == D(43)


def test_the_admin_renumbering_action_refreshes_and_advances(admin_client, stored, refreshes):
    race = Round.objects.get(season=stored, number=2).event.sessions.get(kind="race")
    Result.objects.filter(session=race).update(finish_order=5)
    refreshes.clear()
    data = {"action": "renumber_finish_order", "_selected_action": [race.pk]}
    with standings_and_version_move(stored):
        response = admin_client.post("/admin/races/session/", data, follow=True)
    assert "1 result renumbered." in page_text(response)
    assert Result.objects.get(session=race).finish_order == 1
    assert refreshes == [stored.pk]


def test_an_admin_history_revert_refreshes_and_advances(admin_client, stored):
    round_ = Round.objects.get(season=stored, number=2)
    assert AdminForm(admin_client, change_url(round_)).post(points_factor="3").status_code == 302
    assert totals(stored)["Pierre Kaffer"] == D(14 + 45)
    first = round_.history.earliest("history_date")  # as created: factor 1
    revert = AdminForm(admin_client, f"/admin/races/round/{round_.pk}/history/{first.history_id}/")
    with standings_and_version_move(stored):
        assert revert.post().status_code == 302
    assert totals(stored)["Pierre Kaffer"] == D(29)


def test_an_admin_driver_change_advances_the_version_only(admin_client, stored):
    kaffer = Driver.objects.get(full_name="Pierre Kaffer")
    form = AdminForm(admin_client, change_url(kaffer))
    with only_the_version_moves(stored):
        assert form.post(birth_place="Bad Neuenahr").status_code == 302


def test_an_admin_page_read_writes_nothing(admin_client, stored):
    version = writes.current_version()
    assert admin_client.get(change_url(stored)).status_code == 200
    assert admin_client.get("/admin/races/result/").status_code == 200
    assert writes.current_version() == version


# --- the import, the demo loader, the rebuild command -----------------------------------------


def test_the_classification_import_refreshes_and_advances(imola_race, elms_2014):
    ChampionshipRules.objects.create(
        season=elms_2014, scale=PointsScale.objects.get(slug="elms-2015")
    )
    with standings_and_version_move(elms_2014):
        run_import(imola_race, alkamel.parse(ELMS.read_bytes()), gte_map())
    assert StandingsTable.objects.filter(season=elms_2014).exists()


def test_a_dry_run_of_the_import_writes_nothing(imola_race, elms_2014):
    version = writes.current_version()
    run_import(imola_race, alkamel.parse(ELMS.read_bytes()), gte_map(), dry_run=True)
    assert writes.current_version() == version


def test_the_demo_loader_refreshes_each_season_once_and_advances_once(refreshes):
    version = writes.current_version()
    assert lms2011.load() is True
    assert writes.current_version().number == version.number + 1
    seasons = Season.objects.filter(standings__isnull=False).distinct()
    assert sorted(refreshes) == sorted(s.pk for s in seasons)
    assert seasons.filter(series__slug="le-mans-series").exists()


def test_the_le_mans_loader_advances_once_and_refreshes_no_season_without_rules(refreshes):
    version = writes.current_version()
    report = lemans.load(years={2011})
    assert report.years == [2011]
    assert writes.current_version().number == version.number + 1
    assert refreshes == []  # the Le Mans seasons have no championship rules, no stored tables


def test_the_rebuild_command_refreshes_and_advances(stored):
    with standings_and_version_move(stored):
        call_command("rebuild_standings", "le-mans-series", "2011", stdout=StringIO())
    with standings_and_version_move(stored):
        call_command("rebuild_standings", stdout=StringIO())


# --- related managers and shortcuts -------------------------------------------------------------


def test_every_racing_model_writes_through_its_base_manager_too():
    """Related managers' `add()` updates rows through the model's base manager."""
    from django.apps import apps

    racing = [
        m for m in apps.get_app_config("races").get_models() if issubclass(m, writes.WritesThrough)
    ]
    assert racing
    for model in racing:
        assert isinstance(model._base_manager.get_queryset(), writes.WritesQuerySet), model


def test_a_reverse_add_refreshes_and_advances(stored):
    first, second = Round.objects.filter(season=stored, number__in=[1, 2]).order_by("number")
    adjustment = Adjustment.objects.create(
        round=second, entry=estoril_car(stored), points=D(-2), reason="Engine change"
    )
    with standings_and_version_move(stored):
        first.adjustments.add(adjustment)  # a bulk UPDATE of the adjustment's round
    assert Adjustment.objects.get(pk=adjustment.pk).round == first


def test_a_reverse_set_refreshes_and_advances(stored):
    first, second = Round.objects.filter(season=stored, number__in=[1, 2]).order_by("number")
    adjustment = Adjustment.objects.create(
        round=second, entry=estoril_car(stored), points=D(-2), reason="Engine change"
    )
    with standings_and_version_move(stored):
        first.adjustments.set([adjustment])
    assert Adjustment.objects.get(pk=adjustment.pk).round == first


def test_get_or_create_and_update_or_create_refresh_and_advance(stored):
    round_ = Round.objects.get(season=stored, number=2)
    fields = {"round": round_, "entry": estoril_car(stored), "reason": "Appeal"}
    with standings_and_version_move(stored):
        Adjustment.objects.get_or_create(**fields, defaults={"points": D(5)})
    assert totals(stored)["Pierre Kaffer"] == D(49)
    with standings_and_version_move(stored):
        Adjustment.objects.update_or_create(**fields, defaults={"points": D(3)})
    assert totals(stored)["Pierre Kaffer"] == D(47)
    with standings_and_version_move(stored):
        round_.adjustments.create(entry=estoril_car(stored), points=D(1), reason="Bonus")
    assert totals(stored)["Pierre Kaffer"] == D(48)


def test_a_many_to_many_add_and_remove_through_its_model_refresh_and_advance(stored):
    """Season.classes runs through SeasonClass; add() and remove() write its rows."""
    from races.models import CarClass

    spare = CarClass.objects.create(code="XTEST", name="Test class")
    with standings_and_version_move(stored):
        stored.classes.add(spare, through_defaults={"order": 99})
    with standings_and_version_move(stored):
        stored.classes.remove(spare)


# --- loaddata (raw saves) -----------------------------------------------------------------------


def write_fixture(tmp_path, rows):
    import json

    path = tmp_path / "fixture.json"
    path.write_text(json.dumps(rows))
    return str(path)


def test_loaddata_of_racing_rows_refreshes_once_and_advances(stored, tmp_path, refreshes):
    round_ = Round.objects.get(season=stored, number=2)
    fields = {"round": round_.pk, "entry": estoril_car(stored).pk, "reason": "Appeal"}
    fixture = write_fixture(
        tmp_path,
        [
            {"model": "races.adjustment", "pk": 9001, "fields": {**fields, "points": "5"}},
            {"model": "races.adjustment", "pk": 9002, "fields": {**fields, "points": "-1"}},
        ],
    )
    refreshes.clear()
    with standings_and_version_move(stored):
        call_command("loaddata", fixture, verbosity=0)
    assert totals(stored)["Pierre Kaffer"] == D(48)
    assert refreshes.count(stored.pk) == 1  # one block around the whole load


def test_loaddata_of_a_driver_advances_the_version(stored, tmp_path):
    kaffer = Driver.objects.get(full_name="Pierre Kaffer")
    fixture = write_fixture(
        tmp_path,
        [
            {
                "model": "drivers.driver",
                "pk": kaffer.pk,
                "fields": {"full_name": "Pierre Kaffer", "slug": kaffer.slug, "bio": "Loaded."},
            }
        ],
    )
    version = writes.current_version()
    call_command("loaddata", fixture, verbosity=0)
    assert writes.current_version().number > version.number
    assert Driver.objects.get(pk=kaffer.pk).bio == "Loaded."


def test_a_raw_save_outside_loaddata_records_its_change(stored):
    """A fixture saved by hand through the serializers (save_base(raw=True)) too."""
    from django.core import serializers

    round_ = Round.objects.get(season=stored, number=2)
    data = serializers.serialize("json", [round_])
    round_obj = next(serializers.deserialize("json", data))
    round_obj.object.points_factor = D(1)
    with standings_and_version_move(stored):
        round_obj.save()
    assert totals(stored)["Pierre Kaffer"] == D(29)
