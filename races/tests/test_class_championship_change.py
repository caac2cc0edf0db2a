"""A class made its own championship (or put back in its parent) after its results were stored:
the stored class positions of the sessions it raced in are re-derived in the same write, as the
timing import derives them, so the round page and the class winners follow at once
(docs/decisions/0014-championship-rules.md)."""

import re

import pytest

from races.models import CarClass, ChampionshipRules, PointsScale, Result, StandingsRow
from races.results import REDERIVED, rederived_positions
from races.tests.test_admin import AdminForm

URL = "/series/le-mans-series/2011/6-hours-of-estoril/"


def class_rows(html, caption):
    """(class position, car number) of the rows of the table captioned `caption`."""
    table = re.split(rf"<caption[^>]*>{re.escape(caption)}</caption>", html, maxsplit=1)[1]
    table = table.split("</table>", 1)[0]
    return re.findall(
        r'<tr><td class="num">\d*</td><td class="num">(\d*)</td>.*?'
        r'<span class="number">#(\w+)</span>',
        table,
    )


def stored(*entries):
    return [
        Result.objects.values_list("class_position", "parent_class_position").get(entry=entry)
        for entry in entries
    ]


@pytest.fixture
def rules(lms):
    return ChampionshipRules.objects.create(
        season=lms, scale=PointsScale.objects.get(slug="elms-2015")
    )


def test_own_championship_set_in_the_admin_rederives_the_stored_positions(
    admin_client, lmp2_race, pro_am, django_assert_num_queries
):
    cars = lmp2_race
    assert class_rows(admin_client.get(URL).text, "Race, class LMP2") == [("2", "36"), ("3", "39")]

    form = AdminForm(admin_client, f"/admin/races/carclass/{pro_am.pk}/change/")
    assert form.post(own_championship="on").status_code == 302

    assert stored(cars["40"], cars["36"], cars["39"], cars["16"]) == [
        (1, None),
        (1, None),
        (2, None),
        (1, None),
    ]
    records = Result.history.filter(history_change_reason=REDERIVED)
    assert sorted(r.entry_id for r in records) == sorted(cars[n].pk for n in ("40", "36", "39"))
    assert {r.history_user.username for r in records} == {"admin"}  # the editor who saved
    before = Result.history.filter(entry=cars["36"]).order_by("history_date")[0]
    assert before.class_position == 2  # the history keeps what was stored

    # The page reads the same queries as before (test_views_round.py) and shows the new places.
    with django_assert_num_queries(11):
        html = admin_client.get(URL).text
    assert class_rows(html, "Race, class LMP2") == [("1", "36"), ("2", "39")]
    assert class_rows(html, "Race, class LMP2 Pro/Am") == [("1", "40")]


def test_back_in_its_parent_the_class_ranks_there_again(lmp2_race, pro_am):
    cars = lmp2_race
    pro_am.own_championship = True
    pro_am.save()
    assert stored(cars["40"], cars["36"], cars["39"]) == [(1, None), (1, None), (2, None)]
    pro_am.own_championship = False
    pro_am.save()
    assert stored(cars["40"], cars["36"], cars["39"]) == [(1, 1), (2, None), (3, None)]


def test_a_revert_in_the_admin_history_rederives_too(admin_client, lmp2_race, pro_am):
    cars = lmp2_race
    first = pro_am.history.earliest("history_date")
    pro_am.own_championship = True
    pro_am.save()
    url = f"/admin/races/carclass/{pro_am.pk}/history/{first.history_id}/"
    assert AdminForm(admin_client, url).post().status_code == 302
    assert stored(cars["40"], cars["36"], cars["39"]) == [(1, 1), (2, None), (3, None)]


def test_a_bulk_update_rederives_too(lmp2_race, pro_am):
    cars = lmp2_race
    CarClass.objects.filter(pk=pro_am.pk).update(own_championship=True)
    assert stored(cars["40"], cars["36"], cars["39"]) == [(1, None), (1, None), (2, None)]


def test_a_save_that_leaves_the_championship_alone_writes_no_result(lmp2_race, pro_am):
    pro_am.name = "LMP2 Pro-Am"
    pro_am.save()
    assert not Result.history.filter(history_change_reason=REDERIVED).exists()


def test_the_standings_are_the_same_before_and_after(lmp2_race, pro_am, rules):
    def table():
        return sorted(
            StandingsRow.objects.filter(table__is_latest=True).values_list(
                "table__car_class__code", "table__kind", "key", "total"
            )
        )

    pro_am.own_championship = True
    CarClass.objects.bulk_update([pro_am], ["own_championship"])  # stays stored as it was
    Result.objects.filter(entry=lmp2_race["40"]).update(parent_class_position=1)
    Result.objects.filter(entry=lmp2_race["36"]).update(class_position=2)
    Result.objects.filter(entry=lmp2_race["39"]).update(class_position=3)
    old_positions = table()  # the standings hold the Pro/Am car's place to no gain (0014)
    pro_am.own_championship = False
    pro_am.save()
    pro_am.own_championship = True
    pro_am.save()
    assert stored(lmp2_race["36"], lmp2_race["39"]) == [(1, None), (2, None)]
    assert table() == old_positions
    lmp2 = {key: total for code, _kind, key, total in table() if code == "LMP2"}
    assert sorted(lmp2.values(), reverse=True) == [25, 18]  # #36 first, #39 second in LMP2


def test_a_partial_session_gives_up_the_places_held_in_the_parent(
    estoril, classes, pro_am, make_car, make_result
):
    """Typed positions, no finish order for most cars: the LMP2 car recorded 4th loses the
    places of the two Pro/Am cars recorded ahead of it; the 1st, ahead of both, keeps its own."""
    estoril.results_status = "partial"
    estoril.save()
    first = make_car(estoril.event, "35", classes["LMP2"])
    fourth = make_car(estoril.event, "36", classes["LMP2"])
    pro_a = make_car(estoril.event, "40", pro_am)
    pro_b = make_car(estoril.event, "41", pro_am)
    make_result(estoril, first, None, position=None, class_position=1)
    make_result(estoril, fourth, None, position=None, class_position=4)
    make_result(estoril, pro_a, None, position=None, class_position=1, parent_class_position=2)
    make_result(estoril, pro_b, None, position=None, class_position=2, parent_class_position=3)
    pro_am.own_championship = True
    pro_am.save()
    assert stored(first, fourth, pro_a, pro_b) == [(1, None), (2, None), (1, None), (2, None)]

    # Back in LMP2: the places it would take there are not known; the editor types them.
    pro_am.own_championship = False
    pro_am.save()
    assert stored(first, fourth, pro_a, pro_b) == [(1, None), (2, None), (1, None), (2, None)]


def test_siblings_ranked_in_the_parent_lose_the_places_too():
    """A second sub-class still ranked in LMP2 counts the leaving class's cars no more."""
    from types import SimpleNamespace as NS

    lmp2 = NS(pk=1, parent_id=None, championship_parent_id=None)
    apart = NS(pk=2, parent_id=1, championship_parent_id=None)  # just made its own championship
    sibling = NS(pk=3, parent_id=1, championship_parent_id=1)
    session = NS(results_status="final")

    def result(pk, car_class, order, own, parent):
        return NS(
            pk=pk,
            session=session,
            entry=NS(car_class=car_class, car_class_id=car_class.pk),
            status="classified",
            finish_order=order,
            class_position=own,
            parent_class_position=parent,
        )

    rows = [
        result(1, apart, 1, 1, 1),
        result(2, sibling, 2, 1, 2),
        result(3, lmp2, 3, 3, None),
    ]
    found = {r.pk: positions for r, positions in rederived_positions(rows, 2, 1, None)}
    assert found == {1: (1, None), 2: (1, 1), 3: (2, None)}
