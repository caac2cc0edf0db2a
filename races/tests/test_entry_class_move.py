"""A car moved to another class after its results were stored: the stored class positions of
its sessions are re-derived in the same write, so the round page and the standings follow at
once (docs/decisions/0014-championship-rules.md)."""

from races.models import ChampionshipRules, Entry, PointsScale, Result, StandingsRow
from races.results import MOVED
from races.tests.test_admin import AdminForm
from races.tests.test_class_championship_change import URL, class_rows, stored


def test_a_car_moved_in_the_admin_takes_its_place_in_the_new_class(
    admin_client, lmp2_race, classes
):
    form = AdminForm(admin_client, f"/admin/races/entry/{lmp2_race['36'].pk}/change/")
    assert form.post(car_class=str(classes["LMP1"].pk)).status_code == 302

    assert stored(lmp2_race["16"], lmp2_race["36"], lmp2_race["40"], lmp2_race["39"]) == [
        (1, None),
        (2, None),  # second of LMP1, behind #16
        (1, 1),
        (2, None),  # #39 moves up in LMP2
    ]
    records = Result.history.filter(history_change_reason=MOVED)
    assert [r.entry_id for r in records] == [lmp2_race["39"].pk]  # #36 is second in LMP1 as in LMP2
    assert {r.history_user.username for r in records} == {"admin"}
    html = admin_client.get(URL).text
    assert class_rows(html, "Race, class LMP1") == [("1", "16"), ("2", "36")]
    assert class_rows(html, "Race, class LMP2") == [("2", "39")]  # behind #40 of Pro/Am


def test_a_bulk_update_moves_the_positions_too(lmp2_race, classes):
    Entry.objects.filter(pk=lmp2_race["40"].pk).update(car_class=classes["LMP2"])
    assert stored(lmp2_race["40"], lmp2_race["36"], lmp2_race["39"]) == [
        (1, None),
        (2, None),
        (3, None),
    ]


def test_a_save_that_leaves_the_class_alone_writes_no_result(lmp2_race):
    entry = lmp2_race["39"]
    entry.chassis = "Lola B11/40"
    entry.save()
    entry.save(update_fields=["chassis"])
    assert not Result.history.filter(history_change_reason=MOVED).exists()


def test_the_standings_follow_the_move(lmp2_race, classes, lms):
    ChampionshipRules.objects.create(season=lms, scale=PointsScale.objects.get(slug="elms-2015"))

    def lmp2_totals():
        rows = StandingsRow.objects.filter(
            table__is_latest=True, table__car_class__code="LMP2", table__kind="teams"
        )
        return sorted(rows.values_list("total", flat=True), reverse=True)

    before = lmp2_totals()
    entry = lmp2_race["36"]
    entry.car_class = classes["LMP1"]
    entry.save()
    assert len(lmp2_totals()) == len(before) - 1
    assert lmp2_totals()[:2] == before[:2]  # #40 and #39 now take the first two places' points


def test_a_partial_session_closes_the_gap_and_leaves_the_new_place_unknown(
    estoril, classes, pro_am, make_car, make_result
):
    """Typed positions: the cars behind the moved one in the group it left move up one place;
    its place in a class it joins is not known and is left for the editor to type; a place in a
    class it stays in (a sub-class's parent) is kept."""
    estoril.results_status = "partial"
    estoril.save()
    first = make_car(estoril.event, "35", classes["LMP2"])
    third = make_car(estoril.event, "36", classes["LMP2"])
    pro_a = make_car(estoril.event, "40", pro_am)
    pro_b = make_car(estoril.event, "41", pro_am)
    make_result(estoril, first, None, position=None, class_position=1)
    make_result(estoril, third, None, position=None, class_position=4)
    make_result(estoril, pro_a, None, position=None, class_position=1, parent_class_position=2)
    make_result(estoril, pro_b, None, position=None, class_position=2, parent_class_position=3)

    pro_a.car_class = classes["LMP2"]  # from Pro/Am up to LMP2: its LMP2 place stays
    pro_a.save()
    assert stored(first, third, pro_a, pro_b) == [(1, None), (4, None), (2, None), (1, 3)]

    first.car_class = classes["LMP1"]  # out of LMP2: the others move up, its LMP1 place unknown
    first.save()
    assert stored(first, third, pro_a, pro_b) == [(None, None), (3, None), (1, None), (1, 2)]


def test_cars_moved_together_out_of_a_class_of_a_partial_session_leave_no_gap(
    estoril, classes, make_car, make_result
):
    estoril.results_status = "partial"
    estoril.save()
    cars = [make_car(estoril.event, n, classes["LMP2"]) for n in ("35", "36", "37")]
    for place, car in enumerate(cars, start=1):
        make_result(estoril, car, None, position=None, class_position=place)
    Entry.objects.filter(pk__in=[cars[0].pk, cars[1].pk]).update(car_class=classes["LMP1"])
    assert stored(*cars) == [(None, None), (None, None), (1, None)]
