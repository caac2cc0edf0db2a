import datetime as dt

import pytest
import time_machine

URL = "/drivers/pierre-kaffer/"


@pytest.mark.parametrize("rows", [1, 20])
def test_driver_list_runs_a_fixed_number_of_queries(
    client, make_driver, django_assert_num_queries, rows
):
    for i in range(rows):
        make_driver(f"Driver {i:02}", nationality="DE")
    with django_assert_num_queries(5):  # count, page, nationalities; savepoint
        client.get("/drivers/")


def test_driver_list_search_ignores_accents_and_case(client, make_driver):
    make_driver("Luís Pérez Companc", nationality="AR")
    make_driver("Pierre Kaffer", nationality="DE")
    html = client.get("/drivers/", {"q": "perez companc"}).content.decode()
    assert '<a href="/drivers/luis-perez-companc/">Luís Pérez Companc</a>' in html
    assert "Pierre Kaffer" not in html


def test_driver_list_filters_by_nationality_and_shows_flags(client, make_driver):
    make_driver("Luís Pérez Companc", nationality="AR")
    make_driver("Pierre Kaffer", nationality="DE")
    html = client.get("/drivers/", {"nationality": "DE"}).content.decode()
    assert "Pierre Kaffer" in html
    assert "Luís Pérez Companc" not in html
    assert '<option value="AR">Argentina</option>' in html
    assert 'src="/static/flags/de.gif"' in html


def test_driver_list_shows_flags_without_walking_the_country_choices(
    client, make_driver, monkeypatch
):
    from drivers.models import Driver

    make_driver("Luís Pérez Companc", nationality="AR")
    make_driver("Pierre Kaffer", nationality="DE")

    def walked(*args, **kwargs):
        raise AssertionError("a row asked CountryField for its ~250 choices")

    monkeypatch.setattr(Driver, "get_nationality_display", walked)
    html = client.get("/drivers/", {"sort": "-nationality"}).content.decode()
    table = html.split("<tbody", 1)[1]
    assert table.index("Germany") < table.index("Argentina")
    assert '<a href="?sort=nationality">Nationality</a>' in html


def test_driver_list_sorts_and_paginates(client, make_driver):
    for i in range(60):
        make_driver(f"Driver {i:02}")
    html = client.get("/drivers/", {"page": 2}).content.decode()
    assert "Driver 55" in html
    assert "Driver 05" not in html
    html = client.get("/drivers/", {"sort": "-full_name"}).content.decode()
    assert html.index("Driver 59") < html.index("Driver 58")


@pytest.fixture
def kaffer_career(
    grid,
    make_event,
    make_session,
    make_car,
    make_result,
    make_series,
    make_season,
    make_round,
    make_circuit,
    make_layout,
    classes,
):
    """Estoril 2011 (retired) plus two Le Mans starts, one with two cars of his."""
    grid(3)
    series = make_series("24 Hours of Le Mans")
    sarthe = make_circuit("Circuit de la Sarthe", country="FR", time_zone="Europe/Paris")
    make_layout(sarthe, since=dt.date(2007, 1, 1), length_km="13.629")
    for year, cars in [(2004, [("1", 5, 2), ("2", None, None)]), (2011, [("39", 1, 1)])]:
        season = make_season(series, year, name=f"{year} 24 Hours of Le Mans")
        event = make_event("24 Hours of Le Mans", circuit=sarthe, last_day=dt.date(year, 6, 13))
        event.layout = sarthe.layouts.first() if year == 2011 else None
        event.save()
        make_round(season, event)
        race = make_session(event=event)
        for finish, (number, position, class_position) in enumerate(cars, start=1):
            mates = ["Pierre Kaffer", "Matías Russo"] if number != "2" else ["Pierre Kaffer"]
            car = make_car(event, number, classes["LMP2"], mates)
            status = "classified" if position else "retired"
            make_result(
                race,
                car,
                finish,
                position=position,
                class_position=class_position,
                status=status,
                laps=300,
                distance_km=None,
            )


def test_driver_profile_shows_facts_and_figures(client, kaffer_career, make_driver):
    from drivers.models import Driver

    Driver.objects.filter(slug="pierre-kaffer").update(
        nationality="DE", birth_date=dt.date(1976, 11, 7), bio="German racing driver."
    )
    with time_machine.travel(dt.datetime(2011, 12, 1, tzinfo=dt.UTC), tick=False):
        html = client.get(URL).content.decode()
    assert "<h1>Pierre Kaffer</h1>" in html
    assert "Germany" in html
    assert "7 November 1976" in html
    assert "age 35" in html
    assert "German racing driver." in html

    def figure(label):
        return html.split(f"<dt>{label}</dt>", 1)[1].split("</dd>", 1)[0].split(">")[-1]

    assert figure("Starts") == "3"  # two Le Mans (2004 counts once though he had two cars)
    assert figure("Overall wins") == "1"
    assert figure("Class wins") == "1"
    assert figure("Class podiums") == "2"
    assert figure("Retirements") == "2"
    assert figure("Best overall result") == "1"
    assert figure("Seasons") == "3"
    assert figure("Series") == "2"
    # 300 laps × 13.629 km at Le Mans 2011 and 834.8 km at Estoril; 2004 distance unknown
    assert figure("Kilometres raced") == "4924"
    assert "Events where a car of the driver took the race start" in html


def test_driver_profile_lists_every_race_seasons_and_co_drivers(client, kaffer_career):
    html = client.get(URL).content.decode()
    races = html.split('id="races-h"', 1)[1].split("</section>", 1)[0]
    assert races.index("25 Sep 2011") < races.index("13 Jun 2011") < races.index("13 Jun 2004")
    assert races.count("<tr>") == 1 + 4  # header and four cars
    assert "Retired — Transmission (gearbox)" in races
    assert '<a href="/drivers/matias-russo/">Matías Russo</a>' in races
    seasons = html.split('id="seasons-h"', 1)[1].split("</section>", 1)[0]
    assert "2011 Le Mans Series" in seasons
    assert "2004 24 Hours of Le Mans" in seasons
    mates = html.split('id="mates-h"', 1)[1].split("</section>", 1)[0]
    assert mates.index("Matías Russo") < mates.index("Luís Pérez Companc")
    assert "3 cars" in mates


def test_a_driver_who_has_died_shows_no_age(client, make_driver):
    make_driver("Jean Behra", birth_date=dt.date(1921, 2, 16), death_date=dt.date(1959, 8, 1))
    html = client.get("/drivers/jean-behra/").content.decode()
    assert "Died" in html
    assert "age " not in html


@pytest.mark.parametrize("cars", [1, 20])
def test_driver_profile_runs_a_fixed_number_of_queries(
    client, estoril, classes, make_car, make_result, django_assert_num_queries, cars
):
    for n in range(cars):
        car = make_car(estoril.event, str(n), classes["LMP2"], ["Pierre Kaffer", f"Mate {n}"])
        make_result(estoril, car, n + 1)
    # driver, crews, co-drivers, results, rounds, registrations, championship positions,
    # driver categories; savepoint
    with django_assert_num_queries(10):
        client.get(URL)


def test_every_race_says_who_did_not_drive_and_what_became_of_a_car_without_a_result(
    client, kaffer_career, estoril, classes, make_car
):
    from races.models import Crew

    make_car(estoril.event, "99", classes["LMP2"], ["Pierre Kaffer"], status="withdrawn")
    Crew.objects.filter(driver__slug="pierre-kaffer", entry__number="1").update(drove=False)
    html = client.get(URL).content.decode()
    races = html.split('id="races-h"', 1)[1].split("</section>", 1)[0]
    assert "<td>Withdrawn</td>" in races
    assert "<td>Classified (did not drive)</td>" in races
    german = client.get("/de" + URL).content.decode()
    races = german.split('id="races-h"', 1)[1].split("</section>", 1)[0]
    assert "<td>Zurückgezogen</td>" in races
    assert "(nicht gefahren)</td>" in races
    # Event names and reasons are stored in English: marked so on the German page.
    assert 'lang="en">24 Hours of Le Mans</a>' in races
    assert '<span lang="en">Transmission (gearbox)</span>' in races


def test_the_profile_shows_the_title_apart_from_the_name(client, make_driver):
    make_driver("Keiko Ihara", title="Miss", nationality="JP")
    html = client.get("/drivers/keiko-ihara/").content.decode()
    assert "<h1>Keiko Ihara</h1>" in html
    assert "<dt>Title as entered</dt><dd>Miss</dd>" in html


def test_the_list_shows_the_name_without_the_title(client, make_driver):
    make_driver("Keiko Ihara", title="Miss")
    html = client.get("/drivers/").content.decode()
    assert ">Keiko Ihara</a>" in html
    assert "Miss" not in html


def test_an_unknown_first_name_is_said_in_words_on_the_profile_in_both_languages(
    client, make_driver
):
    make_driver("Stalter", first_name_known=False)
    html = client.get("/drivers/stalter/").content.decode()
    assert "<h1>Stalter (first name unknown)</h1>" in html
    assert "<title>Stalter (first name unknown)" in html
    german = client.get("/de/drivers/stalter/").content.decode()
    assert "<h1>Stalter (Vorname unbekannt)</h1>" in german


def test_the_page_description_names_the_driver_as_the_page_does_and_counts_starts(
    client, estoril, classes, make_car, make_result, make_driver
):
    from drivers.models import Driver

    make_result(estoril, make_car(estoril.event, "1", classes["LMP2"], ["Mello-Breyner"]), 1)
    Driver.objects.filter(slug="mello-breyner").update(first_name_known=False)
    html = client.get("/drivers/mello-breyner/").content.decode()
    description = (
        "Mello-Breyner (first name unknown): career in the Le Mans Series and at Le Mans, "
        "1 start, every race and co-driver."
    )
    assert f'<meta name="description" content="{description}">' in html
    assert f'<meta property="og:description" content="{description}">' in html
    german = client.get("/de/drivers/mello-breyner/").content.decode()
    assert "Mello-Breyner (Vorname unbekannt): Karriere" in german
    assert "1 Start," in german
    make_driver("Pierre Kaffer")
    html = client.get("/drivers/pierre-kaffer/").content.decode()  # no start: plural
    assert 'content="Pierre Kaffer: career in the Le Mans Series and at Le Mans, 0 starts,' in html


def test_a_co_driver_of_unknown_first_name_is_named_so_on_the_profile(
    client, estoril, classes, make_car, make_driver
):
    make_driver("Stalter", first_name_known=False)
    make_car(estoril.event, "1", classes["LMP2"], ["Pierre Kaffer", "Stalter"])
    html = client.get(URL).content.decode()
    assert '<a href="/drivers/stalter/">Stalter (first name unknown)</a>' in html


def test_year_only_dates_a_note_and_the_source_are_shown(client, make_driver):
    make_driver(
        "Jean Vinatier Sr.",
        birth_year=1890,
        death_year=1971,
        facts_source="https://de.wiki.li/Marcel_Gendron; fr.wikipedia",
        facts_note="Years only.",
    )
    html = client.get("/drivers/jean-vinatier-sr/").content.decode()
    assert "<dt>Born</dt><dd>in 1890 (the day is not known)</dd>" in html
    assert "<dt>Died</dt><dd>in 1971 (the day is not known)</dd>" in html
    assert "Years only." in html
    assert '<a href="https://de.wiki.li/Marcel_Gendron"' in html
    assert "age " not in html


@pytest.mark.parametrize(
    ("birth", "today", "birthday"),
    [
        (dt.date(1977, 2, 5), dt.date(2026, 2, 4), dt.date(2026, 2, 5)),
        (dt.date(1977, 2, 5), dt.date(2026, 2, 5), dt.date(2027, 2, 5)),
        (dt.date(1980, 2, 29), dt.date(2026, 2, 28), dt.date(2026, 3, 1)),
        (dt.date(1980, 2, 29), dt.date(2027, 12, 31), dt.date(2028, 2, 29)),
    ],
)
def test_the_age_reads_one_more_on_the_next_birthday(birth, today, birthday):
    from drivers import careers

    assert careers.next_birthday(birth, today) == birthday
    day_before = birthday - dt.timedelta(days=1)
    assert careers.age(birth, None, birthday) == careers.age(birth, None, day_before) + 1


@pytest.fixture
def two_kaffers(estoril, classes, make_car, make_result, make_event):
    """Pierre Kaffer at Estoril 2011 (with Matías Russo) and another Pierre Kaffer, entered at
    Le Mans in 1965 and 1967."""
    from drivers.models import Driver

    make_result(
        estoril,
        make_car(estoril.event, "39", classes["LMP2"], ["Pierre Kaffer", "Matías Russo"]),
        1,
    )
    for year in (1965, 1967):
        event = make_event(
            f"24 Hours of Le Mans {year}",
            circuit=estoril.event.circuit,
            slug=f"le-mans-{year}",
            last_day=dt.date(year, 6, 20),
        )
        make_car(event, "5", classes["LMP2"], ["Pierre Kaffer 1965"])
    Driver.objects.filter(slug="pierre-kaffer-1965").update(
        full_name="Pierre Kaffer", search_key="pierre kaffer"
    )


def test_the_profile_of_a_namesake_names_him_with_his_years(client, two_kaffers):
    html = client.get(URL).content.decode()
    assert "<h1>Pierre Kaffer (2011)</h1>" in html
    assert "<title>Pierre Kaffer (2011)" in html
    assert 'content="Pierre Kaffer (2011): career in the Le Mans Series' in html
    other = client.get("/drivers/pierre-kaffer-1965/").content.decode()
    assert "<h1>Pierre Kaffer (1965–1967)</h1>" in other
    russo = client.get("/drivers/matias-russo/").content.decode()
    assert "<h1>Matías Russo</h1>" in russo  # a name no one else bears
    assert '<a href="/drivers/pierre-kaffer/">Pierre Kaffer (2011)</a>' in russo  # co-drivers


def test_the_years_cost_the_profile_no_query(client, two_kaffers, django_assert_num_queries):
    with django_assert_num_queries(10):  # as pinned above
        client.get("/drivers/matias-russo/")
