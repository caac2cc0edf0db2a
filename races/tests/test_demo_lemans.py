"""The 24 Hours of Le Mans demo data (races/demo/lemans.py), checked against the source.

The full data set is loaded once for the module (about ten seconds), outside the tests'
transactions, and removed afterwards so other modules start from an empty database.
"""

import datetime as dt
import io
import zoneinfo
from decimal import Decimal

import pytest
from django.db import connection, models
from django.db.models import Count, Exists, OuterRef, Q
from django.db.models.functions import ExtractYear

from drivers import matching
from drivers.models import Driver
from races.demo import lemans
from races.models import (
    Adjustment,
    CarClass,
    ChampionshipRules,
    Circuit,
    CircuitLayout,
    ClassScale,
    Crew,
    Entry,
    Event,
    PoleAward,
    Registration,
    Result,
    Round,
    Season,
    SeasonClass,
    Series,
    Session,
    StandingsRow,
    StandingsTable,
    Team,
    Title,
)

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
pytestmark = pytest.mark.django_db


def wipe():
    """Empty the tables the load wrote, in dependency order, without per-row signals (an ORM
    delete would write a history row for each of some 40,000 objects)."""
    models = [StandingsRow, StandingsTable, Title, PoleAward, Adjustment, ClassScale]
    models += [ChampionshipRules]
    models += [Result, Crew, Registration, Entry, Session, Round, Event, SeasonClass, Season]
    models += [Series, CircuitLayout, Circuit, Team, Driver]
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f"DELETE FROM {model._meta.db_table}")
        cursor.execute(f"UPDATE {CarClass._meta.db_table} SET parent_id = NULL")
        cursor.execute(f"DELETE FROM {CarClass._meta.db_table}")


@pytest.fixture(scope="module")
def report(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        report = lemans.load()
        yield report
        wipe()


def le_mans(year):
    return Event.objects.get(
        rounds__season__series__slug="24-hours-of-le-mans", rounds__season__year=year
    )


def starts():
    """Drivers with their Le Mans starts: races whose start their car took (a race counts once
    when the driver drove two cars)."""
    return Driver.objects.annotate(
        starts=Count("crews__entry__event", filter=Q(crews__entry__status="entered"), distinct=True)
    )


def test_every_row_is_an_entry(report):
    assert Entry.objects.count() == 5539
    assert report.counts["entries"] == 5539
    assert Entry.objects.filter(status="entered").count() == Result.objects.count()


def test_all_104_editions_94_held_2_postponed_10_cancelled(report):
    events = Event.objects.filter(rounds__season__series__slug="24-hours-of-le-mans")
    assert events.count() == 104
    assert events.filter(status="completed").count() == 94
    assert events.filter(status="cancelled").count() == 10
    postponed = events.exclude(postponement_reason="").order_by("last_day")
    assert [e.last_day.year for e in postponed] == [2020, 2021]
    assert postponed[0].postponement_reason == "Postponed due to the COVID-19 pandemic"
    assert events.get(rounds__season__year=1940).cancellation_reason == "World War II"
    # A cancelled edition has no date: the data set's are invented.
    assert not events.filter(status="cancelled", last_day__isnull=False).exists()
    assert not events.filter(status="completed", last_day__isnull=True).exists()


def test_1936_keeps_its_entry_list_with_no_race(report):
    event = le_mans(1936)
    assert event.status == "cancelled"
    assert event.entries.count() == 60
    assert set(event.entries.values_list("status", flat=True)) == {"did_not_arrive"}
    assert not event.sessions.exists()


def test_the_race_starts_at_the_given_time_in_paris_and_ends_the_next_day(report):
    event = le_mans(1969)
    race = event.sessions.get()
    assert race.start == dt.datetime(1969, 6, 14, 14, 0, tzinfo=PARIS)
    assert race.time_limit == dt.timedelta(hours=24)
    assert race.results_status == "final"
    assert event.first_day is None
    assert event.last_day == dt.date(1969, 6, 15)
    assert event.slug == "24-hours-of-le-mans"
    assert le_mans(2020).sessions.get().start == dt.datetime(2020, 9, 19, 14, 30, tzinfo=PARIS)


def test_the_2026_race_has_its_results(report):
    assert le_mans(2026).sessions.get().results.count() == 62


def test_every_race_is_on_the_layout_of_its_year(report):
    circuit = Circuit.objects.get(slug="circuit-de-la-sarthe")
    assert circuit.layouts.count() == 15
    assert (circuit.country.code, circuit.time_zone) == ("FR", "Europe/Paris")
    assert le_mans(1969).layout.since == dt.date(1968, 1, 1)
    assert le_mans(2025).layout.length_km == Decimal("13.626")


def test_pescarolo_has_the_most_starts_counting_1982_once(report):
    top = starts().order_by("-starts").first()
    assert (top.full_name, top.starts) == ("Henri Pescarolo", 33)
    assert Crew.objects.filter(driver=top, entry__event__last_day__year=1982).count() == 2


def test_kaffer_has_11_starts_from_2004_to_2017(report):
    kaffer = starts().get(full_name="Pierre Kaffer")
    assert kaffer.starts == 11
    years = kaffer.crews.values_list("entry__event__last_day__year", flat=True)
    assert (min(years), max(years)) == (2004, 2017)


def test_ickx_drove_two_cars_in_1977(report):
    crews = Crew.objects.filter(
        driver__full_name="Jacky Ickx", entry__event__last_day__year=1977
    ).select_related("entry")
    outcome = {c.entry.number: (r.status, r.position) for c in crews for r in c.entry.results.all()}
    assert outcome == {"3": ("retired", None), "4": ("classified", 1)}


def test_a_crew_keeps_its_order_and_the_nationality_written_that_year(report):
    entry = Entry.objects.get(event=le_mans(2011), number="39")
    crew = list(entry.crew.select_related("driver"))
    assert [(c.order, c.driver.full_name, c.nationality.code) for c in crew] == [
        (1, "Luís Pérez Companc", "AR"),
        (2, "Matías Russo", "AR"),
        (3, "Pierre Kaffer", "DE"),
    ]
    assert entry.team.name == "Pecom Racing"
    assert (entry.entrant, entry.chassis, entry.tyres) == (
        "PeCom Racing",
        "Lola B11/40",
        "Michelin",
    )
    result = entry.results.get()
    assert (result.status, result.laps, result.reason) == ("retired", 139, "Accident")
    assert result.time == dt.timedelta(hours=10, minutes=55, seconds=48, microseconds=358000)


def test_the_seed_crew_are_one_driver_each_under_their_canonical_names(report):
    for name in ("Pierre Kaffer", "Matías Russo", "Luís Pérez Companc"):
        assert Driver.objects.filter(full_name=name).count() == 1
    assert not Driver.objects.filter(full_name="Luis Pérez Companc").exists()
    assert Team.objects.filter(search_key="pecom racing").count() == 1


def test_non_starters_have_an_entry_status_and_no_result(report):
    statuses = dict(
        Entry.objects.exclude(status="entered")
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    # The codes' counts (DNA 508, DNS 118, DNQ 92, RES 74, DNP 17, and two of the DNF) as the
    # reasons refine them: 115 entries take the status their reason names.
    assert statuses == {
        "did_not_arrive": 442,
        "did_not_start": 96,
        "did_not_qualify": 94,
        "reserve": 99,
        "did_not_practise": 6,
        "withdrawn": 70,
        "not_accepted": 4,
    }
    assert sum(statuses.values()) == 508 + 118 + 92 + 74 + 17 + 2
    assert not Result.objects.exclude(entry__status="entered").exists()


def test_result_statuses_match_the_source(report):
    counts = dict(Result.objects.values_list("status").annotate(n=Count("pk")))
    assert counts["retired"] == 2299 - 2  # 1971 #55 and #61 never took part
    assert counts["not_classified"] == 140
    assert counts["disqualified"] == 89


def test_class_positions_count_a_sub_class_within_its_parent(report):
    session = le_mans(2024).sessions.get()
    lmp2 = list(
        session.results.filter(
            entry__car_class__code__in=["LMP2", "LMP2(Pro-Am)"], position__isnull=False
        )
        .order_by("finish_order")
        .select_related("entry__car_class")
    )
    pro_am = [r for r in lmp2 if r.entry.car_class.code == "LMP2(Pro-Am)"]
    assert [r.class_position for r in pro_am] == list(range(1, len(pro_am) + 1))
    ranks = [r.parent_class_position if r in pro_am else r.class_position for r in lmp2]
    assert ranks == list(range(1, len(lmp2) + 1))
    assert CarClass.objects.get(code="LMP2(Pro-Am)").parent.code == "LMP2"


def test_every_entry_is_registered_for_its_le_mans_season_which_runs_its_class(report):
    registrations = Registration.objects.values_list(
        "season__year",
        "entry__event__last_day__year",
        "entry__car_class",
        "entry__car_class__parent",
    )
    assert len(registrations) == 5539
    run = {}
    for year, class_id in SeasonClass.objects.values_list("season__year", "car_class"):
        run.setdefault(year, set()).add(class_id)
    for season_year, event_year, class_id, parent_id in registrations:
        assert event_year in (season_year, None)  # None: 1936, cancelled, has no date
        assert {class_id, parent_id} & run[season_year]


def test_class_colours_follow_the_aco_convention(report):
    colours = dict(CarClass.objects.values_list("code", "colour"))
    assert colours["Hypercar"] == colours["LMP1"] == "#c8102e"
    assert colours["LMP2"] == "#1e5bc6"
    assert colours["LMGTEPro"] == "#1a7f37"
    assert colours["LMGTEAm"] == "#d4600b"
    assert colours["S2.0"] == colours["3.0"] == "#6b7280"
    assert "S2.0 " not in colours


def test_the_errata_apply(report):
    race_2025 = le_mans(2025).sessions.get()
    assert race_2025.results.get(entry__number="99").position == 13
    assert race_2025.results.get(entry__number="007").position == 14
    juhan = Crew.objects.get(entry__event=le_mans(1955), entry__number="62", order=2)
    assert (juhan.driver.full_name, juhan.nationality.code) == ("Jaroslav Juhan", "GT")
    lorent = Crew.objects.get(driver__full_name="A.A. Lorent")
    assert lorent.nationality == ""
    qatar = Entry.objects.get(event=le_mans(2026), number="62")
    assert qatar.team.country.code == "QA"
    assert CarClass.objects.filter(code__in=["GTEAm", "LMP1C90", "GR.4", "GtSer."]).count() == 0
    camera_car = Entry.objects.get(event=le_mans(2002), number="10")
    assert camera_car.entrant == "DAMS / Bob Berridge Racing"
    assert not Team.objects.filter(name__contains="Camera Car").exists()
    for year, number in [(1931, "31"), (1933, "19")]:  # a 0 the row's reason contradicts
        result = le_mans(year).sessions.get().results.get(entry__number=number)
        assert (result.laps, result.distance_km) == (None, None)
    assert report.errata == 24


def test_the_alias_file_applies(report):
    tomaz = Driver.objects.get(full_name="Tomaz Mello-Breyner")
    assert sorted(tomaz.crews.values_list("entry__event__last_day__year", flat=True)) == [
        1996,
        1997,
        1999,
    ]
    assert not Driver.objects.filter(full_name="Thomaz Mello-Breyner").exists()
    follmer = Driver.objects.get(full_name="George Follmer")  # one driver, 1966 and 1986
    assert sorted(follmer.crews.values_list("entry__event__last_day__year", flat=True)) == [
        1966,
        1986,
    ]
    richters = Driver.objects.filter(search_key__contains="richter").values_list(
        "full_name", "slug"
    )
    assert ("Uli Richter", "uli-richter") in richters
    assert Driver.objects.get(full_name="Ulrich Richter").crews.count() == 3
    assert Driver.objects.filter(full_name="Mario Andretti").count() == 1


def test_every_country_code_resolves_and_special_codes_have_names(report):
    assert Crew.objects.filter(nationality="XW").count() >= 4  # Kvyat, Boguslavskiy
    kvyat = Crew.objects.filter(driver__full_name="Daniil Kvyat").first()
    assert kvyat.nationality.name == "Neutral (WFS licence)"
    names = {
        c.nationality.code: c.nationality.name
        for c in Crew.objects.filter(nationality__in=["DD", "CS", "RH", "XS", "XR", "LU"])
    }
    assert names == {
        "DD": "East Germany",
        "CS": "Czechoslovakia",
        "RH": "Rhodesia",
        "XS": "Scotland",
        "XR": "Neutral (RAF licence)",
        "LU": "Luxembourg",
    }


def test_a_second_load_changes_nothing(report):
    before = (Entry.objects.count(), Driver.objects.count(), Team.objects.count())
    again = lemans.load()
    assert again.years == []
    assert (Entry.objects.count(), Driver.objects.count(), Team.objects.count()) == before


def test_drivers_and_teams_carry_search_keys(report):
    assert not Driver.objects.filter(search_key="").exists()
    assert Driver.objects.search("perez companc").get().slug == "luis-perez-companc"
    assert Team.objects.search("pecom").get().slug == "pecom-racing"


def test_titles_and_placeholders_leave_the_name(report):
    ihara = Driver.objects.get(slug="keiko-ihara")
    assert (ihara.full_name, ihara.title, ihara.first_name_known) == ("Keiko Ihara", "Miss", True)
    assert Driver.objects.search("keiko ihara").get() == ihara
    assert ihara.search_key == matching.name_key("Keiko IHARA")  # as a timing file writes her
    assert Driver.objects.get(slug="peter-wilson").title == "Lt. Cdr."
    stalter = Driver.objects.get(slug="stalter")
    assert (stalter.full_name, stalter.first_name_known) == ("Stalter", False)
    assert Driver.objects.get(slug="earl-bamber").title == ""
    assert Driver.objects.get(slug="rob-walker").crews.count() == 1  # "R.R.C." were initials
    assert not Driver.objects.filter(full_name__startswith="f.n.u.").exists()
    assert not Driver.objects.filter(full_name__regex=r"^(Miss|Mme|Mrs\.?|Dr\.|Sir) ").exists()
    # 38 f.n.u. and 3 surnames, less "Raph" (a pseudonym), the 1932 Mary (Émile Mary) and the
    # 1974 Agere (Jean-Paul Agére)
    assert Driver.objects.filter(first_name_known=False).count() == 38
    # with Fürst von Metternich, and the three peerages written after a name
    assert Driver.objects.exclude(title="").count() == 111
    fuerst = Driver.objects.get(slug="paul-von-metternich-winneburg")
    assert (fuerst.full_name, fuerst.title) == ("Paul von Metternich-Winneburg", "Fürst")
    raph = Driver.objects.get(slug="raph-george-raphael-bethenod-de-montbressieux")
    assert (raph.first_name_known, years_of(raph)) == (True, [1935, 1937])
    assert raph.birth_date == dt.date(1910, 2, 8)


def test_a_peerage_written_after_the_name_is_the_title(report, client):
    howe = Driver.objects.get(slug="francis-curzon")
    assert (howe.full_name, howe.title) == ("Francis Curzon", "Earl Howe")
    assert howe.birth_date == dt.date(1884, 5, 1)  # people.csv names him by his new slug
    winners = Crew.objects.filter(entry__event=le_mans(1931), entry__results__position=1)
    assert howe in {crew.driver for crew in winners}
    selsdon = Driver.objects.get(slug="peter-mitchell-thomson")
    assert (selsdon.full_name, selsdon.title) == ("Peter Mitchell-Thomson", "Lord Selsdon")
    russell = Driver.objects.get(slug="edward-russell")
    assert russell.title == "Lt. Col. Lord de Clifford"
    assert not Driver.objects.filter(full_name__contains=",").exists()
    html = client.get("/drivers/francis-curzon/").content.decode()
    assert "<h1>Francis Curzon</h1>" in html
    assert "<dt>Title as entered</dt><dd>Earl Howe</dd>" in html


def years_of(driver):
    return sorted(set(driver.crews.values_list("entry__event__rounds__season__year", flat=True)))


def test_jean_vinatier_father_and_son_are_two_drivers(report):
    father = Driver.objects.get(slug="jean-vinatier-sr")
    son = Driver.objects.get(slug="jean-vinatier")
    assert (father.full_name, years_of(father)) == ("Jean Vinatier Sr.", [1950])
    assert (father.birth_year, father.death_year, father.birth_date) == (1890, 1971, None)
    assert years_of(son)[0] == 1958
    assert son.birth_date == dt.date(1933, 11, 25)


def test_coppelli_and_copelli_are_one_driver(report):
    almo = Driver.objects.get(slug="almo-coppelli")
    assert {1991, 1996} <= set(years_of(almo))
    assert not Driver.objects.filter(slug="almo-copelli").exists()
    assert starts().get(slug="almo-coppelli").starts == 11  # de.wikipedia: elfmal am Start


def test_the_two_bob_johnsons_are_two_drivers_with_their_own_dates(report):
    columbus = Driver.objects.get(slug="bob-johnson")
    marietta = Driver.objects.get(slug="bob-johnson-1972")
    assert (columbus.full_name, marietta.full_name) == ("Bob Johnson", "Bob Johnson")
    assert years_of(columbus) == [1965, 1967]
    assert columbus.death_date == dt.date(2008, 10, 16)
    assert years_of(marietta) == [1972, 1973]  # the 1972 NART Corvette's class win
    assert marietta.death_date == dt.date(2012, 5, 7)


def test_every_pseudonym_is_written_in_quotes_with_the_name_in_brackets(report):
    assert Driver.objects.get(slug="jj-lehto-jyrki-juhani-jarvilehto").full_name == (
        '"JJ Lehto" (Jyrki Juhani Järvilehto)'
    )
    bracketed = Driver.objects.filter(full_name__contains="(").values_list("full_name", flat=True)
    # "Robert Klempeneré (R. Robert)": a name with its initials, not a pseudonym.
    unquoted = [name for name in bracketed if '"' not in name and "Klempeneré" not in name]
    assert unquoted == []


def test_ricardo_rodriguez_has_no_start_after_his_death(report):
    ricardo = Driver.objects.get(slug="ricardo-rodriguez")
    assert ricardo.death_date == dt.date(1962, 11, 1)
    assert years_of(ricardo) == [1959, 1960, 1961, 1962]
    assert years_of(Driver.objects.get(slug="ricardo-rodriguez-cavazos")) == [1967]
    assert years_of(Driver.objects.get(slug="ricardo-rodriguez-1969")) == [1969]


def test_no_driver_is_in_an_entry_after_his_death_or_as_a_child(report):
    late = Crew.objects.filter(
        driver__death_year__isnull=False,
        entry__event__last_day__year__gt=models.F("driver__death_year"),
    ) | Crew.objects.filter(
        driver__death_date__isnull=False,
        entry__event__last_day__year__gt=ExtractYear("driver__death_date"),
    )
    assert not late.exists()
    early = Crew.objects.filter(
        driver__birth_date__isnull=False,
        entry__event__last_day__year__lt=ExtractYear("driver__birth_date") + 16,
    )
    assert not early.exists()


def test_every_overall_winner_has_a_birth_or_a_note_with_a_source(report):
    winners = Driver.objects.filter(crews__entry__results__position=1).distinct()
    missing = [d.slug for d in winners if not d.facts_source or not (d.born_in or d.facts_note)]
    assert missing == []
    assert winners.count() >= 150


def test_the_loader_refuses_a_driver_credited_after_his_death(report, monkeypatch, tmp_path):
    from drivers import people

    path = tmp_path / "people.csv"
    path.write_text(
        "slug,name,born,died,source,note\npedro-rodriguez,Pedro Rodríguez,1940,1960,test,\n",
        encoding="utf-8",
    )
    loader = lemans.Loader(lemans.Report())
    data = lemans.read_data()
    drivers, _ = lemans.appearances(data.rows)
    loader.who = matching.resolve(drivers, matching.read_rules())
    with pytest.raises(lemans.LoadError, match=r"died in 1960 but is in the entries of 1961"):
        loader.check_lives(people.read_people(path))


def test_gap_rule_people_are_settled_by_the_alias_file(report):
    assert years_of(Driver.objects.get(slug="marcel-gendron")) == [1925, 1926, 1927, 1950]
    assert years_of(Driver.objects.get(slug="pierre-clause")) == [1925, 1926, 1951]
    assert years_of(Driver.objects.get(slug="philippe-hesnault-jr")) == [2009]
    assert years_of(Driver.objects.get(slug="afp-fane")) == [1935, 1937]


def test_teams_written_two_ways_are_one_and_every_team_has_an_entry(report):
    ac = Team.objects.get(slug="ac-cars-ltd")
    assert sorted(set(ac.entries.values_list("event__rounds__season__year", flat=True)))[0] == 1925
    assert Team.objects.filter(search_key__contains="porsche club ramond").count() == 0
    romand = Team.objects.get(name="G.V.E.A. Porsche Club Romand")
    assert romand.entries.filter(event__last_day__year=1976).count() == 2
    assert not Team.objects.exclude(Exists(Entry.objects.filter(team=OuterRef("pk")))).exists()
    assert Team.objects.search("lapeyre").count() == 0  # a co-entrant, no team of his own


# --- who is who: every near pair settled (docs/decisions/0012-people-and-names.md) ---------


def test_every_pair_the_matcher_reports_is_settled_in_the_alias_file(report):
    who, teams_who = lemans.who_is_who(lemans.read_data().rows, matching.read_rules())
    assert who.undecided == teams_who.undecided == []


def test_the_loader_refuses_a_pair_left_unsettled(report, monkeypatch):
    rules = [rule for rule in matching.read_rules() if rule.name != "Alain Courdec"]
    monkeypatch.setattr(matching, "read_rules", lambda: rules)
    message = (
        r"1 undecided name\(s\): settle each as `same` or `apart` in drivers/data/aliases.csv: "
        r"Alain Couderc \(1973–1984\) / Alain Courdec \(1983\): similar names"
    )
    with pytest.raises(lemans.LoadError, match=message):
        lemans.Loader(lemans.Report()).run(set())  # refused before anything is written


@pytest.mark.parametrize(
    ("shown", "variant", "years"),
    [
        ("Alain Couderc", "Alain Courdec", [1973, 1974, 1982, 1983, 1984]),  # a surname
        ("Paul von Guilleaume", "Paul von Guillaume", [1936, 1937, 1938, 1939]),
        ("Francis Samuelson", "F.H.B. Samuelson", [1925, 1928, 1930, 1931, 1932]),  # initials
        ("Fernand Lacour", "Martial (Fernand Lacour)", [1950, 1952]),  # a pseudonym's bearer
        ("Riccardo Agusta", "Rocky Agusta", [1993, 1994, 1995, 1996, 1997, 1998, 2004]),
        ("Jonathan Adam", "Jonny Adam", [2016, 2017, 2018, 2019, 2020, 2023, 2026]),
        ("Peter Orssich", "Peter Graff Orssich", [1936, 1937, 1938]),  # a middle word
        ("Roger Caron", "Roger Charon", [1937, 1938, 1949, 1950, 1951]),
        ("Fritz Huschke von Hanstein", "Huschke von Hanstein", [1937, 1939, 1952]),  # the war
        ("Giovanni 'Nanni' Galli", "Nanni Galli", [1967, 1968, 1969, 1970, 1972]),  # a nickname
        ("Beppe Gabbiani", "Giuseppe Gabbiani", [1981, 1984, 1986, 2003, 2006]),  # a short form
        ("Jack Bezzant", "Jack Besant", [1928, 1931, 1932]),  # a surname that sounds alike
        ("Marcel Mamers", "Max Mamers", [1974, 1977, 1978, 1979, 1980, 1981]),  # a co-driver
        (
            "Pierre-François Rousselot",
            "Jean-François Rousselot",
            [*range(1977, 1982), 1984, 1985, 1988, 1989],
        ),
        ("A C Bertelli", "Bert Bertelli", [1928, 1931, 1932, 1933, 1934]),
        ("Jean Egreteaud", "Jean Edreteaud", [1969, 1970, 1971, 1973]),
    ],
)
def test_a_person_written_two_ways_is_one_driver(report, shown, variant, years):
    driver = Driver.objects.get(full_name=shown)
    assert years_of(driver) == years
    assert not Driver.objects.filter(full_name=variant).exists()


def test_class_wins_split_by_a_misspelling_are_one_drivers(report):
    santal = Driver.objects.get(slug="bernard-santal")
    wins = santal.crews.filter(entry__results__class_position=1, entry__status="entered")
    assert sorted(wins.values_list("entry__event__last_day__year", flat=True)) == [1993, 1995]


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Louis Rosier", "Jean-Louis Rosier"),  # father and son in one car
        ("Joey Foster", "Joe Foster"),  # a British and an American driver
        ("Max Root", "Maxwell Root"),  # nothing in the data settles it
        ("Gilbert Foury", "Gilbert Foury"),  # 21 years apart
        ("Lucy Schell", 'Lawrence "Laury" Schell'),  # she drove the car he entered
        ("Dirk Müller", "Nico Müller"),  # a German and a Swiss driver
        ("Jörg Müller", "Dirk Müller"),  # in one race, each with Bob Wollek in other years
    ],
)
def test_near_names_the_alias_file_keeps_apart_are_two_drivers(report, one, other):
    assert len({*Driver.objects.filter(full_name__in=[one, other])}) == 2


def test_a_driver_split_off_by_years_says_why_he_is_someone_else(report, client):
    felbermayr = Driver.objects.get(slug="horst-felbermayr-sr-2026")
    assert felbermayr.facts_note.startswith("Horst Felbermayr Sr. (born 1945) died on 17 March")
    assert felbermayr.facts_source.startswith("https://de.wikipedia.org/")
    page = client.get(felbermayr.get_absolute_url(), HTTP_HOST="127.0.0.1")
    assert "the Sr. of Proton Competition&#x27;s 2026 LMP2 crew" in page.content.decode()
    father = Driver.objects.get(slug="horst-felbermayr-sr")
    assert father.death_date == dt.date(2020, 3, 17)  # his own row of people.csv


@pytest.mark.parametrize(
    ("shown", "years"),
    [
        ("Automobiles Deutsch et Bonnet", {1953}),  # "& Bonnet" in 1953
        ("Aston Martin Lagonda Ltd.", {1949, 1954, 1955}),  # "Aston Martin Lagonda" in 1954
        ("Brun Motorsport", {1984}),  # "Brun Motorsport GmbH"
        ("Maranello Concessionaires", {1963, 1972}),
    ],
)
def test_team_names_differing_in_a_legal_form_or_et_and_are_one_team(report, shown, years):
    team = Team.objects.get(name=shown)
    assert years <= set(team.entries.values_list("event__last_day__year", flat=True))


@pytest.mark.parametrize(
    ("shown", "variant", "years"),
    [
        ("Automobiles Talbot-Darracq S.A.", "Automobiles Talbot-Darraq SA", {1925, 1953}),
        ("Société des Automobiles Alpine", "Société Automobiles Alpine", {*range(1963, 1970)}),
        (
            "Nissan Motorsports",
            "Nissan Motorsport",
            {1986, 1987, 1988, 1989, 1997, 1998, 1999, 2015},
        ),
        ("Ecurie Lapin Blanc", "Ecurie Lapin Blanche", {1938, 1939, 1949}),
        ("Daniel Porthault", "Daniel Porthaut", {1935, 1936}),
    ],
)
def test_team_names_a_few_letters_apart_are_one_team(report, shown, variant, years):
    team = Team.objects.get(name=shown)
    assert set(team.entries.values_list("event__rounds__season__year", flat=True)) == years
    assert not Team.objects.filter(name=variant).exists()


def test_the_1939_archie_scott_brown_is_not_the_man_born_in_1927(report):
    driver = Driver.objects.get(slug="archie-scott-brown")
    assert years_of(driver) == [1939]
    assert (driver.birth_date, driver.birth_year) == (None, None)
    assert driver.facts_note.startswith("The 1939 entrant and driver of the #44 Singer")
    assert years_of(Driver.objects.get(slug="archie-scott")) == [1937]


def test_who_is_who_gives_the_counts_decision_0012_names(report):
    assert (report.counts["drivers"], report.counts["teams"]) == (4052, 1751)


# --- as raced: who started and who drove (docs/decisions/0013-as-raced.md) ----------------


def test_a_car_that_never_took_part_is_no_start_whatever_its_code_says(report):
    reserve = Entry.objects.get(event=le_mans(1971), number="61")
    assert (reserve.status, reserve.notes) == ("reserve", "Reserve")
    assert not reserve.results.exists()
    absent = Entry.objects.get(event=le_mans(1971), number="55")
    assert absent.status == "did_not_arrive"
    assert not absent.results.exists()
    # A reason naming how a non-starter never took part becomes its status.
    assert Entry.objects.filter(status="withdrawn").count() == 70
    # "Withdrawn after 3rd hour accident" is a car that started: it keeps its result.
    assert Entry.objects.get(event=le_mans(1955), number="19").results.get().status == "retired"


def test_jacky_ickx_has_his_official_15_le_mans_starts(report, client):
    assert starts().get(full_name="Jacky Ickx").starts == 15
    page = client.get("/drivers/jacky-ickx/").context["page"]
    figures = {str(figure.label): figure.value for figure in page.figures}
    assert (figures["Starts"], figures["Overall wins"]) == (15, 6)


def test_ed_hugus_was_listed_in_the_1965_winner_but_did_not_drive(report, client):
    crew = Crew.objects.filter(entry__event=le_mans(1965), entry__number="21").order_by("order")
    assert [(c.driver.full_name, c.drove) for c in crew] == [
        ("Masten Gregory", None),
        ("Jochen Rindt", None),
        ("Ed Hugus", False),
    ]
    assert report.counts["crew places who did not drive"] == 2  # and Hively, 1956 #22
    page = client.get("/drivers/ed-hugus/").context["page"]
    figures = {str(figure.label): figure.value for figure in page.figures}
    race = next(r for r in page.races if r.event.last_day.year == 1965)
    assert race.drove is False
    assert not race.started
    assert figures["Overall wins"] == 0


def test_the_1985_winners_laps_agree_with_their_distance(report):
    winner = Result.objects.get(session__event=le_mans(1985), position=1)
    assert winner.laps == 373


def test_nationality_as_entered_that_year_follows_the_errata(report):
    ortelli = Crew.objects.get(entry__event=le_mans(1998), driver__full_name="Stéphane Ortelli")
    assert ortelli.nationality.code == "FR"  # French until 1999, Monegasque from 2000


def test_the_load_report_writes_a_count_of_one_in_the_singular():
    report = lemans.Report(
        years=[1965],
        counts={"crew places": 3, "crew places who did not drive": 1, "classes": 1},
    )
    out = io.StringIO()
    lemans.write_report(report, out)
    text = out.getvalue()
    assert "3 crew places, 1 crew place who did not drive, 1 class;" in text
