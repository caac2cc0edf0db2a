import datetime as dt
import re

import pytest

URL = "/series/le-mans-series/2011/6-hours-of-estoril/"


def rows_of(html, caption):
    """Car numbers of the table captioned `caption`, in order."""
    table = re.split(rf"<caption[^>]*>{re.escape(caption)}</caption>", html, maxsplit=1)[1]
    table = table.split("</table>", 1)[0]
    return re.findall(r'<span class="number">#(\w+)</span>', table)


@pytest.mark.parametrize("cars", [1, 20])
def test_round_page_runs_a_fixed_number_of_queries(client, grid, django_assert_num_queries, cars):
    grid(cars)
    # round, championships, sessions, entries, driver categories, crews, registrations,
    # results, season classes, and the request's savepoint and its release
    with django_assert_num_queries(11):
        response = client.get(URL)
    assert response.status_code == 200


def test_round_page_shows_event_facts_and_sessions_in_local_time(client, grid):
    grid(3)
    html = client.get(URL).content.decode()
    assert "<h1>6 Hours of Estoril" in html
    assert "23–25 Sep 2011" in html
    assert "Portugal" in html
    assert "eracemotorblog.it race report" in html
    # 11:00 UTC is 12:00 in Lisbon (WEST); the reader's time comes from the browser
    assert 'datetime="2011-09-25T12:00:00+01:00"' in html
    assert "Sun 25 Sep 2011, 12:00" in html


def test_round_results_list_unclassified_cars_after_classified_with_status_in_words(client, grid):
    grid(5)
    html = client.get(URL).content.decode()
    assert rows_of(html, "Race, overall") == ["16", "36", "103", "104", "39"]
    assert "Retired — Transmission (gearbox)" in html
    assert "6:00:24.815" in html
    assert "+6 laps" in html
    assert "Lola B11/40 – Judd" in html
    assert '<a href="/drivers/luis-perez-companc/">Luís Pérez Companc</a>' in html


def test_round_results_by_class_have_anchors(client, grid):
    grid(5)
    html = client.get(URL).content.decode()
    assert rows_of(html, "Race, class LMP2") == ["36", "39"]
    assert rows_of(html, "Race, class LMP1") == ["16"]
    assert 'id="results-2-lmp2"' in html
    assert 'href="#results-2-lmp2"' in html
    # class as text beside the colour
    assert '<rect width="10" height="10" rx="2" fill="#1e5bc6"/></svg> LMP2' in html


def test_partial_results_say_so_and_cars_without_finish_order_follow_by_class(
    client, estoril, classes, make_car, make_result
):
    estoril.results_status = "partial"
    estoril.save()
    gt = make_car(estoril.event, "77", classes["GTEPro"])
    lmp2_second = make_car(estoril.event, "42", classes["LMP2"])
    lmp2_first = make_car(estoril.event, "41", classes["LMP2"])
    winner = make_car(estoril.event, "16", classes["LMP1"])
    make_result(estoril, gt, None, class_position=1, position=None)
    make_result(estoril, lmp2_second, None, class_position=2, position=None)
    make_result(estoril, lmp2_first, None, class_position=1, position=None)
    make_result(estoril, winner, 1)
    retired = make_car(estoril.event, "39", classes["LMP1"])
    make_result(estoril, retired, None, status="retired", position=None, reason="Gearbox")
    html = client.get(URL).content.decode()
    assert "Partial classification" in html
    # Classified cars first, then the unclassified, each by class and class position.
    assert rows_of(html, "Race, overall") == ["16", "41", "42", "77", "39"]


def test_provisional_results_say_so(client, grid):
    race = grid(1)
    race.results_status = "provisional"
    race.save()
    assert "Provisional classification" in client.get(URL).content.decode()


def test_entry_list_marks_reserves_and_cars_that_did_not_arrive(client, grid, classes, make_car):
    race = grid(1)
    make_car(race.event, "99", classes["LMP2"], status="reserve")
    make_car(race.event, "", classes["GTEPro"], status="did_not_arrive")
    html = client.get(URL).content.decode()
    entries = html.split('id="entries"', 1)[1].split("</section>", 1)[0]
    assert "Reserve" in entries
    assert "Did not arrive" in entries
    assert "no number" in entries
    assert entries.index("#16") < entries.index("#99")


def test_incomplete_season_says_so(client, grid):
    grid(1)
    assert "results of this season on record are incomplete" in client.get(URL).content.decode()


def test_shared_event_is_reachable_from_each_championship_and_shows_registrations(
    client, grid, make_series, make_season, make_round, make_registration, classes, lms
):
    race = grid(1)
    ilmc = make_season(
        make_series("Intercontinental Le Mans Cup", short_name="ILMC"),
        2011,
        classes=[classes["LMP1"]],
    )
    make_round(ilmc, race.event, number=7)
    car = race.event.entries.get()  # registered for the LMS by grid()
    make_registration(car, ilmc)
    for url in (URL, "/series/intercontinental-le-mans-cup/2011/6-hours-of-estoril/"):
        html = client.get(url).content.decode()
        assert "Counts for" in html
        assert "Registered for" in html
        assert "ILMC, LMS" in html or "LMS, ILMC" in html


def test_cancelled_and_postponed_events_say_why(client, lms, make_event, make_round):
    event = make_event(
        "6 Hours of Imola",
        status="cancelled",
        cancellation_reason="Flooding",
        postponed_from=dt.date(2011, 5, 15),
        postponement_reason="Clash with F1",
    )
    make_round(lms, event, 3)
    html = client.get("/series/le-mans-series/2011/6-hours-of-imola/").content.decode()
    assert "Cancelled — Flooding" in html
    assert "from 15 May 2011" in html
    assert "Clash with F1" in html


@pytest.mark.parametrize(
    "url",
    [
        "/series/le-mans-series/2011/no-such-race/",
        "/series/le-mans-series/2012/6-hours-of-estoril/",
        "/series/no-such-series/2011/6-hours-of-estoril/",
        "/series/le-mans-series/99999999999999999999/6-hours-of-estoril/",
    ],
)
def test_unknown_rounds_answer_404(client, grid, url):
    grid(1)
    assert client.get(url).status_code == 404


def test_round_rows_escape_what_they_show(client, grid, make_car, make_result, classes):
    race = grid(1)
    car = make_car(race.event, "7", classes["LMP2"], ["<b>Bold</b> Driver"], entrant="<script>x")
    make_result(race, car, 2, reason="<i>gearbox</i>", status="retired")
    html = client.get(URL).content.decode()
    assert "<script>x" not in html
    assert "&lt;script&gt;x" in html
    assert "&lt;b&gt;Bold&lt;/b&gt; Driver" in html
    assert "Retired — &lt;i&gt;gearbox&lt;/i&gt;" in html


def fields_only(instance):
    """Attributes of a model instance beyond its own fields and Django's caches: should be none."""
    own = {f.attname for f in instance._meta.concrete_fields}
    return set(vars(instance)) - own - {"_state", "_prefetched_objects_cache"}


def test_round_page_is_one_frozen_object_and_sets_nothing_on_model_instances(grid):
    import dataclasses

    from races.pages import round_page

    grid(5)
    page = round_page("le-mans-series", 2011, "6-hours-of-estoril")
    with pytest.raises(dataclasses.FrozenInstanceError):
        page.entries = []
    assert [row.car.number for row in page.entries] == ["16", "36", "39", "103", "104"]
    race = page.sessions[-1]
    assert [row.car.number for row in race.rows] == ["16", "36", "103", "104", "39"]
    assert [c.car_class.code for c in race.classes][:2] == ["LMP1", "LMP2"]
    instances = [page.round, page.event, race.session]
    instances += [row.result for row in race.rows] + [row.car.car_class for row in race.rows]
    assert [fields_only(instance) for instance in instances] == [set()] * len(instances)


def test_unknown_round_has_no_page(db):
    from races.pages import round_page

    assert round_page("le-mans-series", 2011, "nowhere") is None


def test_classes_whose_codes_differ_by_a_plus_have_their_own_anchors():
    from races.templatetags.racing import class_anchor

    assert class_anchor("GT+2.0") != class_anchor("GT2.0")
    assert class_anchor("LMP2(Pro-Am)") == "lmp2pro-am"


def test_entry_and_result_notes_and_sources_are_shown(client, grid):
    from races.models import Entry, Result

    race = grid(3)
    Entry.objects.filter(number="36").update(
        notes="Car number disputed: #36 or #35.", source="motorlegend.com preview"
    )
    Entry.objects.filter(number="39").update(source="Motorsport-Total.com")
    Result.objects.filter(entry__number="16").update(
        notes="Laps disputed: 225 (autonewsinfo.com), 199 (eracemotorblog.it).",
        source="autonewsinfo.com",
    )
    Result.objects.filter(entry__number="36").update(source=race.source or "gt-eins")
    html = client.get(URL).content.decode()
    entries = html.split('id="entries"', 1)[1].split("</section>", 1)[0]
    assert "Car number disputed: #36 or #35." in entries
    assert "source: motorlegend.com preview" in entries
    assert "Motorsport-Total.com" in entries  # a source alone, collapsed
    results = html.split('id="results-2"', 1)[1].split("</section>", 1)[0]
    assert "Laps disputed: 225 (autonewsinfo.com), 199 (eracemotorblog.it)." in results
    assert "source: autonewsinfo.com" in results
    assert "gt-eins" in results


def test_the_entry_list_says_how_many_cars_are_on_record_of_how_many_entered(client, grid, lms):
    from races.models import Event, Season

    race = grid(3)
    Season.objects.filter(pk=lms.pk).update(is_complete=False)
    caption = re.compile(r'<caption id="entries-caption">([^<]*)</caption>')
    assert caption.search(client.get(URL).content.decode())[1] == "3 cars on record"
    Event.objects.filter(pk=race.event_id).update(cars_entered=29)
    assert caption.search(client.get(URL).content.decode())[1] == ("3 cars on record of 29 entered")
    german = client.get("/de" + URL).content.decode()
    assert caption.search(german)[1] == "3 Wagen erfasst von 29 gemeldeten"
    Event.objects.filter(pk=race.event_id).update(cars_entered=None)
    Season.objects.filter(pk=lms.pk).update(is_complete=True)
    assert caption.search(client.get(URL).content.decode())[1].startswith("3 cars entered")
