"""The standings page: stored tables per class, every cell explained, the official titles
beside the computed table, a chart, both languages, a fixed number of queries."""

import datetime as dt
import html
import re
from decimal import Decimal as D

import pytest

from races.demo import lms2011
from races.models import ChampionshipRules, PointsScale, Title
from races.stored_standings import refresh

URL = "/series/le-mans-series/2011/standings/"


def text(response):
    return text_of(response.content.decode())


def text_of(markup):
    return html.unescape(re.sub(r"<[^>]+>", "", markup))


@pytest.fixture
def scored(lms, grid):
    """The Estoril grid on the LMS 2010 rules (+1 for the class pole), stored."""

    def make(n):
        race = grid(n)
        ChampionshipRules.objects.get_or_create(
            season=lms,
            defaults={
                "scale": PointsScale.objects.get(slug="le-mans-series-2010"),
                "pole_points": D(1),
                "team_standings": ChampionshipRules.TeamStandings.ALL_CARS,
            },
        )
        refresh(lms)
        return race

    return make


def test_the_page_shows_each_class_with_explained_cells_and_no_flat_chart(client, scored, lms):
    scored(3)
    response = client.get(URL)
    assert response.status_code == 200
    page = response.content.decode()
    words = text(response)
    assert "After round 5" in words
    assert "computed from the results on record and are not the official standings" in words
    # Estoril is round 5: its cell explains itself.
    assert "R5 (6 Hours of Estoril): P1 in LMP1: 15 pts" in words
    assert '<a href="/drivers/emmanuel-collard/">Emmanuel Collard</a>' in page
    assert '<a href="/teams/tds-racing/">TDS Racing</a>' in page
    assert "R5 (6 Hours of Estoril): not classified (retired)" in words
    assert 'class="explained" tabindex="0"' in page
    # One round run: every line would be flat, so no chart is drawn; no empty table either.
    assert '<svg class="chart"' not in page
    assert "Manufacturers" not in words
    assert "<details" not in page  # no official standings: the computed ones are the page
    assert "<script" not in page.split("</main>")[0].split("<main")[1]


def test_a_chart_is_drawn_only_where_some_total_changes():
    from types import SimpleNamespace as Row

    from races.standings_page import changes

    flat = [Row(progression=[[1, "15"], [2, "15.00"]]), Row(progression=[[1, "0"], [2, "0"]])]
    assert not changes(flat)
    assert not changes([Row(progression=[[5, "15"]])])
    assert changes([*flat, Row(progression=[[1, "0"], [2, "13"]])])


def test_a_pole_and_an_adjustment_are_marked_and_explained(client, scored, lms, make_session):
    race = scored(3)
    from races.models import Adjustment, PoleAward

    tds = race.event.entries.get(number="36")
    round_ = lms.rounds.get()
    PoleAward.objects.create(rules=lms.rules, round=round_, car_class=tds.car_class, entry=tds)
    Adjustment.objects.create(round=round_, entry=tds, points=D(-2), reason="Engine change")
    refresh(lms)
    response = client.get(URL)
    words = text(response)
    assert "P1 in LMP2: 15 pts + pole 1; Engine change: −2 = 14" in words
    assert "P1◆*" in words
    page = response.content.decode()
    assert "pole 1; Engine change: −2 = 14</span>" in page  # English page: no lang mark
    german = client.get("/de" + URL).content.decode()
    # The reason is stored in English: marked so on the German page, the words around it not.
    assert '+ Pole 1; <span lang="en">Engine change</span>: −2 = 14</span>' in german


def test_official_titles_come_first_and_the_computed_table_follows_collapsed(
    client, scored, lms, classes
):
    scored(3)
    Title.objects.create(
        season=lms, car_class=classes["LMP1"], kind="drivers", name="Emmanuel Collard",
        margin_points=D(3), source="shared/data/lms-2011.md",
    )  # fmt: skip
    page = client.get(URL).content.decode()
    words = text(client.get(URL))
    assert "Official final standings" in words
    assert "Champion: Emmanuel Collard (by 3 points)" in words
    # The official standings come first; the computed LMP1 tables follow, collapsed and
    # labelled; a class without official standings shows its computed tables open.
    lmp1 = page.split('id="standings-lmp1"', 1)[1].split("</section>", 1)[0]
    assert lmp1.index("Official final standings") < lmp1.index('<details class="computed">')
    assert lmp1.index('<details class="computed">') < lmp1.index("<table")
    assert "Standings computed from the results on record" in lmp1
    lmp2 = page.split('id="standings-lmp2"', 1)[1].split("</section>", 1)[0]
    assert "<table" in lmp2
    assert "<details" not in lmp2


def test_a_margin_in_points_reads_in_the_language_of_the_page_and_other_text_as_english(
    client, scored, lms, classes
):
    scored(3)
    for name, values in [
        ("Emmanuel Collard", {"margin_points": D(1)}),
        ("Stéphane Sarrazin", {"margin_points": D("2.5"), "position": 2}),
        ("Nicolas Prost", {"margin": "on count-back", "position": 3}),
    ]:
        Title.objects.create(season=lms, car_class=classes["LMP1"], kind="drivers", name=name,
                             source="shared/data/lms-2011.md", **values)  # fmt: skip
    words = text(client.get(URL))
    assert "Champion: Emmanuel Collard (by 1 point)" in words
    assert "2. Stéphane Sarrazin (by 2.50 points)" in words  # as totals read
    assert "3. Nicolas Prost (on count-back)" in words
    german = client.get("/de" + URL).content.decode()
    assert "Emmanuel Collard (mit 1 Punkt Vorsprung)" in text_of(german)
    assert "(mit 2,50 Punkten Vorsprung)" in german
    assert '(<span lang="en">on count-back</span>)' in german


def test_the_migration_turns_a_stored_margin_in_points_into_a_number(lms, classes):
    import importlib
    from types import SimpleNamespace

    from django.apps import apps
    from django.db import connection

    from races import writes

    migration = importlib.import_module("races.migrations.0024_title_margin_in_points")
    for name, margin in [("Rebellion Racing", "by 1 point"), ("Emmanuel Collard", "by 3 points"),
                         ("Nicolas Prost", "on count-back"), ("Neel Jani", "by 0 points"),
                         ("Marc Lieb", "by 2.5 points")]:  # fmt: skip
        Title.objects.create(season=lms, car_class=classes["LMP1"], kind="drivers", name=name,
                             margin=margin, source="shared/data/lms-2011.md")  # fmt: skip
    before = writes.current_version().number
    migration.margins_in_points(apps, SimpleNamespace(connection=connection))
    assert set(Title.objects.values_list("name", "margin_points", "margin")) == {
        ("Rebellion Racing", D(1), ""),
        ("Emmanuel Collard", D(3), ""),
        ("Nicolas Prost", None, "on count-back"),
        ("Neel Jani", None, "by 0 points"),  # no margin in points can say it: kept as text
        ("Marc Lieb", D("2.5"), ""),
    }
    assert writes.current_version().number > before
    # Back: the margins in points are the text they were.
    migration.margins_as_text(apps, SimpleNamespace(connection=connection))
    assert set(Title.objects.values_list("name", "margin_points", "margin")) == {
        ("Rebellion Racing", None, "by 1 point"),
        ("Emmanuel Collard", None, "by 3 points"),
        ("Nicolas Prost", None, "on count-back"),
        ("Neel Jani", None, "by 0 points"),
        ("Marc Lieb", None, "by 2.5 points"),
    }


def test_a_title_has_one_margin_in_points_more_than_nothing(lms, classes):
    from django.core.exceptions import ValidationError

    def title(**values):
        return Title(season=lms, car_class=classes["LMP1"], kind="drivers", name="Emmanuel Collard",
                     source="shared/data/lms-2011.md", **values)  # fmt: skip

    with pytest.raises(ValidationError, match="in points or as text, not both"):
        title(margin_points=D(3), margin="by 3 points").full_clean()
    with pytest.raises(ValidationError, match="more than 0"):
        title(margin_points=D(0)).full_clean()
    title(margin_points=D(3)).full_clean()


def test_the_standings_after_an_earlier_round_and_who_can_still_win(
    client, scored, lms, make_event, make_round, make_circuit
):
    scored(3)
    later = make_event("Finale", circuit=make_circuit("Other"), last_day=dt.date(2011, 10, 9),
                       status="scheduled")  # fmt: skip
    make_round(lms, later, 6)
    refresh(lms)
    words = text(client.get(URL))
    assert "1 round still to run" in words
    assert "Can still win" in words


def test_a_season_without_rules_says_it_has_no_standings(client, lms):
    response = client.get(URL)
    assert response.status_code == 200
    assert "No standings are stored for this season" in text(response)


def test_the_calendar_and_the_profile_link_to_the_standings(client, scored):
    scored(3)
    assert URL in client.get("/series/le-mans-series/2011/").content.decode()
    profile = client.get("/drivers/pierre-thiriet/").content.decode()
    assert f'<a href="{URL}">P1 in LMP2</a>' in profile


def test_the_page_in_german(client, scored):
    scored(3)
    response = client.get("/de" + URL)
    assert response.status_code == 200
    words = text(response)
    assert "Nach Lauf 5" in words
    assert "L5 (6 Hours of Estoril): P1 in LMP1: 15 Pkt." in words


def test_the_page_names_the_points_scale_with_its_source(client, scored):
    scored(3)
    words = text(client.get(URL))
    assert "Points scale: Le Mans Series 2010–2011 — source: Motorsport-Total.com" in words
    assert "https://www.motorsport-total.com/" in words
    assert "no source is on record" not in words


def test_the_page_says_when_the_points_scale_has_no_source(client, scored):
    scored(3)
    rules = ChampionshipRules.objects.get(season__year=2011)
    rules.scale = PointsScale.objects.get(slug="elms-top-ten")
    rules.save()
    words = text(client.get(URL))
    assert (
        "Points scale: European Le Mans Series, nothing beyond tenth — no source is on record "
        "for this scale: its points are not checked against the season's regulations."
    ) in words
    assert "keine Quelle" in text(client.get("/de" + URL))


@pytest.mark.parametrize("cars", [1, 20])
def test_the_page_runs_a_fixed_number_of_queries(
    client, scored, classes, make_car, make_result, django_assert_num_queries, cars
):
    race = scored(3)
    for i in range(cars):
        car = make_car(race.event, str(200 + i), classes["LMP2"], [f"Driver {i}", f"Mate {i}"])
        make_result(race, car, 40 + i, class_position=2 + i)
    refresh(race.event.rounds.get().season)
    # season, tables, rows with drivers and teams, rounds, classes, titles, scales; savepoint
    with django_assert_num_queries(9):
        client.get(URL)


def test_the_2011_demo_page_says_it_is_computed_and_shows_the_champions(client, db):
    lms2011.load()
    words = text(client.get(URL))
    # The official standings are introduced as official, the computed tables as computed:
    # nothing above the official standings says the standings are not official.
    above = words.split("Official final standings", 1)[0]
    assert "not the official standings" not in above
    assert "the official final standings come first, each with its source" in above
    assert "The tables that follow are computed from the results on record" in above
    assert "Champion: Karim Ojjeh / Tom Kimber-Smith" in words
    assert "Champion: Pegasus Racing" in words
    assert "R1 (6 Hours of Castellet): P2 in LMP2: 13 pts" in words
    assert "car without number" not in words  # the FLM winner's team is on record
    assert "Manufacturers" not in words  # no manufacturer is on record: no empty sections
    # LMP1: the official champions (Rebellion, teams; Collard / Jousse, drivers) come first;
    # the computed table, where Pescarolo leads the teams, follows collapsed.
    page = client.get(URL).content.decode()
    lmp1 = page.split('id="standings-lmp1"', 1)[1].split("</section>", 1)[0]
    official, computed = lmp1.split('<details class="computed">', 1)
    assert "Rebellion Racing" in official
    assert "Emmanuel Collard" in official
    assert "Julien Jousse" in official
    assert "Christophe Tinseau" not in official
    # Complete as the reports give them: the runners-up, with their source.
    assert official.index("Emmanuel Collard") < official.index("Andrea Belicchi")
    assert official.index("Rebellion Racing") < official.index("Pescarolo Team")
    words_lmp1 = text_of(official)
    assert "2. Andrea Belicchi / Jean-Christophe Boullion, 47 points" in words_lmp1
    # The totals a source gives, with that source.
    assert "Champion: Emmanuel Collard / Julien Jousse, 50 points (by 3 points)" in words_lmp1
    assert "speedracing.com.br" in words_lmp1
    german = text_of(client.get("/de" + URL).content.decode())
    assert "Emmanuel Collard / Julien Jousse, 50 Punkte" in german
    assert "<table" in computed
    assert "<table" not in official


def test_an_earlier_round_links_to_the_official_final_standings_instead_of_showing_them(
    client, db, django_assert_num_queries
):
    lms2011.load()
    # the same queries as the latest view: season, tables, rows, rounds, classes, titles,
    # scales; savepoint
    with django_assert_num_queries(9):
        response = client.get(URL, {"after": "1"})
    page = response.content.decode()
    assert "After round 1" in text_of(page)
    assert "Official final standings" not in page
    assert "Champion:" not in page
    assert "the official final standings come first" not in page
    link = page.split('id="final-link">', 1)[1].split("</p>", 1)[0]
    assert text_of(link) == (
        "The official final standings of this season are shown with the standings after the "
        "last round."
    )
    assert f'<a href="{URL}">' in link
    # Nothing collapsed: after round 1 the computed tables are the page.
    assert '<details class="computed">' not in page
    assert "Offizieller Endstand" not in client.get("/de" + URL, {"after": "1"}).content.decode()
    latest = client.get(URL).content.decode()
    assert "Official final standings" in latest
    assert 'id="final-link"' not in latest


@pytest.mark.parametrize("after", ["abc", "²", "99999999999999999999", "9" * 5000, "-1", "\x00"])
def test_a_malformed_round_parameter_shows_the_latest_standings(client, scored, after):
    scored(1)
    response = client.get(URL, {"after": after})
    assert response.status_code == 200
    assert response.context["page"].after_round == 5


def test_a_car_that_was_not_classified_reads_so_once():
    from races.standings_page import status_words

    assert status_words("not_classified") == "not classified"
    assert status_words("retired") == "not classified (retired)"
    assert status_words("unknown") == "outcome unknown"
