"""Merge and split (races/merging.py): the rows that move, the stored standings recomputed,
the old addresses answering 301 in both languages, both histories, the refused cases, and the
alias rule that keeps the decision when the data is loaded again."""

import csv
import datetime as dt
import io
from decimal import Decimal as D

import pytest
from django.db import models

from drivers import matching
from drivers.models import Driver, DriverRedirect
from races import writes
from races.merging import (
    DRIVERS,
    TEAMS,
    Refused,
    merge,
    plan_driver_merge,
    plan_driver_split,
    split_driver,
)
from races.models import (
    Adjustment,
    Crew,
    DriverLicence,
    Entry,
    Round,
    StandingsRow,
    Team,
    TeamRedirect,
    Title,
)
from races.tests.test_standings_db import championship, make_car  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db


def totals(season, kind="drivers"):
    """{name: total} of the season's latest stored table of `kind`."""
    rows = StandingsRow.objects.filter(
        table__season=season, table__is_latest=True, table__kind=kind
    )
    return {row.name: row.total for row in rows}


def estoril_car():
    return Entry.objects.get(event__name="6 Hours of Estoril", number="39")


@pytest.fixture
def misspelt(championship, make_driver):  # noqa: F811
    """The Estoril place of Pierre Kaffer held by a misspelt second record, as a load of
    another source could leave it."""
    kafer = make_driver("Pierre Kafer")
    Crew.objects.filter(entry=estoril_car(), driver__slug="pierre-kaffer").update(driver=kafer)
    return kafer


def parse_line(line):
    row = next(csv.DictReader(io.StringIO(f"kind,rule,name,years,other,reason,source\n{line}")))
    return matching.parse_rule(row, 2)


# --- merging drivers ---------------------------------------------------------------------------


def test_merging_two_drivers_moves_every_crew_place_and_recomputes_the_standings(
    championship,  # noqa: F811
    misspelt,
):
    kaffer = Driver.objects.get(slug="pierre-kaffer")
    assert totals(championship)["Pierre Kaffer"] == D(14)
    assert totals(championship)["Pierre Kafer"] == D(30)
    version = writes.current_version().number

    plan = merge(DRIVERS, kaffer, misspelt, reason="A misspelling.")

    assert dict(plan.counts)["crew places"] == 1
    assert dict(plan.counts)["results of their cars"] == 1
    assert dict(plan.counts)["standings lines"] == 1  # after round 2
    assert not Driver.objects.filter(slug="pierre-kafer").exists()
    assert Crew.objects.filter(driver=kaffer).count() == 2
    assert totals(championship)["Pierre Kaffer"] == D(44)
    assert "Pierre Kafer" not in totals(championship)
    assert not StandingsRow.objects.filter(name="Pierre Kafer").exists()
    assert writes.current_version().number == version + 1  # one block: one new version


def test_merging_moves_adjustments_titles_and_categories(championship, misspelt):  # noqa: F811
    kaffer = Driver.objects.get(slug="pierre-kaffer")
    round_2 = Round.objects.get(season=championship, number=2)
    Adjustment.objects.create(round=round_2, driver=misspelt, points=D(-1), reason="Penalty")
    Title.objects.create(
        season=championship,
        car_class=estoril_car().car_class,
        kind="drivers",
        name="Pierre Kafer",
        driver=misspelt,
        source="test",
    )
    DriverLicence.objects.create(driver=misspelt, season=championship, category="G")
    DriverLicence.objects.create(driver=kaffer, season=championship, category="G")

    merge(DRIVERS, kaffer, misspelt)

    assert Adjustment.objects.get().driver == kaffer
    assert Title.objects.get().driver == kaffer
    assert list(DriverLicence.objects.values_list("driver", flat=True)) == [kaffer.pk]
    assert totals(championship)["Pierre Kaffer"] == D(43)


def test_two_drivers_of_one_crew_are_refused_and_nothing_is_written(championship):  # noqa: F811
    kaffer = Driver.objects.get(slug="pierre-kaffer")
    russo = Driver.objects.get(slug="matias-russo")
    version = writes.current_version().number
    with pytest.raises(Refused) as refused:
        merge(DRIVERS, kaffer, russo)
    assert "both in the crew of car 39 at 6 Hours of Imola 2011" in refused.value.problems[0]
    assert Driver.objects.filter(pk=russo.pk).exists()
    assert Crew.objects.filter(driver=russo).count() == 2
    assert not DriverRedirect.objects.exists()
    assert writes.current_version().number == version


def test_a_driver_cannot_be_merged_into_itself_nor_across_different_categories(
    championship,  # noqa: F811
    misspelt,
):
    kaffer = Driver.objects.get(slug="pierre-kaffer")
    assert plan_driver_merge(kaffer, kaffer).problems == ["Choose two different drivers."]
    DriverLicence.objects.create(driver=misspelt, season=championship, category="S")
    DriverLicence.objects.create(driver=kaffer, season=championship, category="G")
    with pytest.raises(Refused, match="different driver categories"):
        merge(DRIVERS, kaffer, misspelt)
    assert Driver.objects.filter(pk=misspelt.pk).exists()


def test_the_old_address_answers_301_to_the_kept_driver_in_both_languages(
    client,
    championship,  # noqa: F811
    misspelt,
):
    kaffer = Driver.objects.get(slug="pierre-kaffer")
    merge(DRIVERS, kaffer, misspelt)
    response = client.get("/drivers/pierre-kafer/")
    assert (response.status_code, response["Location"]) == (301, "/drivers/pierre-kaffer/")
    response = client.get("/de/drivers/pierre-kafer/")
    assert (response.status_code, response["Location"]) == (301, "/de/drivers/pierre-kaffer/")
    assert client.get("/drivers/pierre-kaffer/").status_code == 200
    assert client.get("/drivers/pierre-kafer-2/").status_code == 404


def test_a_chain_of_merges_lands_on_the_final_driver(client, make_driver):
    first, second, third = make_driver("A Driver"), make_driver("B Driver"), make_driver("C Driver")
    merge(DRIVERS, second, first)
    merge(DRIVERS, third, second)
    for old in ("a-driver", "b-driver"):
        response = client.get(f"/drivers/{old}/")
        assert (response.status_code, response["Location"]) == (301, "/drivers/c-driver/")
    assert set(DriverRedirect.objects.values_list("old_slug", "driver__slug")) == {
        ("a-driver", "c-driver"),
        ("b-driver", "c-driver"),
    }


def test_both_histories_and_the_moved_places_name_the_merge(championship, misspelt):  # noqa: F811
    kaffer = Driver.objects.get(slug="pierre-kaffer")
    merge(DRIVERS, kaffer, misspelt)
    removed = Driver.history.filter(id=misspelt.pk).latest("history_id")
    kept = Driver.history.filter(id=kaffer.pk).latest("history_id")
    assert removed.history_type == "-"
    assert removed.history_change_reason == "Merged into Pierre Kaffer (pierre-kaffer)"
    assert kept.history_change_reason == "Merged with Pierre Kafer (pierre-kafer)"
    place = Crew.history.filter(entry=estoril_car()).latest("history_id")
    assert place.driver_id == kaffer.pk
    assert "Merged Pierre Kafer (pierre-kafer) into Pierre Kaffer" in place.history_change_reason


def test_every_relation_to_a_driver_or_team_is_handled_by_the_merge():
    """A new foreign key to drivers or teams must be moved by races/merging.py (`DRIVERS`,
    `TEAMS`): otherwise a merge would leave it behind or be stopped by it."""

    def relations(model):
        return {
            f"{rel.related_model._meta.label}.{rel.field.name}"
            for rel in model._meta.related_objects
            if isinstance(rel.field, models.ForeignKey)
            and not rel.related_model._meta.label.split(".")[1].startswith("Historical")
        }

    for kind in (DRIVERS, TEAMS):
        moved = {f"{model._meta.label}.{kind.key}" for model in (*kind.moves, kind.redirect)}
        recomputed = f"races.StandingsRow.{kind.key}"
        assert relations(kind.model) == {*moved, recomputed}


# --- merging teams -----------------------------------------------------------------------------


def test_merging_two_teams_moves_entries_recomputes_standings_and_redirects(
    client,
    championship,  # noqa: F811
    make_team,
):
    pecom = Team.objects.get(slug="pecom-racing")
    twin = make_team("Pecom Racing Team")
    Entry.objects.filter(pk=estoril_car().pk).update(team=twin)
    assert totals(championship, "teams")["Pecom Racing"] == D(14)

    plan = merge(TEAMS, pecom, twin, reason="One team.")

    assert dict(plan.counts)["entries"] == 1
    assert estoril_car().team == pecom
    assert totals(championship, "teams")["Pecom Racing"] == D(44)
    assert "Pecom Racing Team" not in totals(championship, "teams")
    response = client.get("/teams/pecom-racing-team/")
    assert (response.status_code, response["Location"]) == (301, "/teams/pecom-racing/")
    response = client.get("/de/teams/pecom-racing-team/")
    assert (response.status_code, response["Location"]) == (301, "/de/teams/pecom-racing/")
    assert TeamRedirect.objects.get().old_name == "Pecom Racing Team"
    removed = Team.history.filter(id=twin.pk).latest("history_id")
    assert removed.history_change_reason == "Merged into Pecom Racing (pecom-racing)"


# --- splitting a driver ------------------------------------------------------------------------


@pytest.fixture
def vinatier(make_driver, make_circuit, make_event, make_entry, make_crew, make_class):
    """One record for Jean Vinatier Sr. (1950) and his son (1958, 1960)."""
    jean = make_driver("Jean Vinatier")
    car_class, circuit = make_class("S1.1"), make_circuit("Circuit de la Sarthe")
    places = {}
    for year, number in [(1950, "58"), (1958, "40"), (1960, "46")]:
        event = make_event(
            f"24 Hours of Le Mans {year}", circuit=circuit, last_day=dt.date(year, 6, 25)
        )
        places[year] = make_crew(make_entry(event, number, car_class), driver=jean, order=2)
    return jean, places


def test_splitting_the_father_off_creates_him_with_his_place_and_the_alias_rule(vinatier):
    jean, places = vinatier
    father = Driver(full_name="Jean Vinatier Sr.", slug="jean-vinatier-sr")

    plan = split_driver(jean, [places[1950].pk], father, reason="Father and son.")

    father = Driver.objects.get(slug="jean-vinatier-sr")
    assert list(Crew.objects.filter(driver=father)) == [places[1950]]
    assert Crew.objects.filter(driver=jean).count() == 2
    assert plan.alias_line == "driver,same,Jean Vinatier,1950,Jean Vinatier Sr.,Father and son.,"
    created = Driver.history.filter(id=father.pk).earliest("history_id")
    assert created.history_change_reason == "Created by a split from Jean Vinatier (jean-vinatier)"
    kept = Driver.history.filter(id=jean.pk).latest("history_id")
    assert kept.history_change_reason == "1 place moved to Jean Vinatier Sr. (jean-vinatier-sr)"


def test_the_split_rule_is_the_one_the_site_keeps_for_the_vinatiers():
    rules = matching.read_rules()
    (kept,) = [r for r in rules if r.name == "Jean Vinatier" and r.rule == "same"]
    assert (kept.years, kept.other) == ((1950, 1950), "Jean Vinatier Sr.")


def test_a_split_to_an_existing_driver_of_the_same_crew_is_refused(vinatier, make_driver):
    jean, places = vinatier
    other = make_driver("Jean Vinatier Jr")
    make_crew_place = Crew.objects.create(entry=places[1958].entry, driver=other, order=3)
    with pytest.raises(Refused, match="already in the crew of car 40"):
        split_driver(jean, [places[1958].pk], other)
    assert make_crew_place.driver == other
    assert Crew.objects.filter(driver=jean).count() == 3


def test_a_split_of_every_place_or_of_none_is_refused(vinatier):
    jean, places = vinatier
    new = Driver(full_name="Someone", slug="someone")
    every = [crew.pk for crew in places.values()]
    with pytest.raises(Refused, match="merge the two drivers instead"):
        split_driver(jean, every, new)
    with pytest.raises(Refused, match="at least one"):
        split_driver(jean, [], new)
    assert not Driver.objects.filter(slug="someone").exists()


def test_a_split_of_the_same_name_gives_an_apart_rule_and_shared_years_give_none(vinatier):
    jean, places = vinatier
    same_name = Driver(full_name="Jean Vinatier", slug="jean-vinatier-1950")
    plan = plan_driver_split(jean, [places[1950]], same_name, reason="Two people.")
    assert plan.alias_line == "driver,apart,Jean Vinatier,1950,,Two people.,"
    plan = plan_driver_split(jean, [places[1950], places[1960]], same_name)
    assert plan.alias_line == ""
    assert "share years" in plan.alias_note


def test_a_split_moves_the_standings_of_a_championship(championship, make_driver):  # noqa: F811
    kaffer = Driver.objects.get(slug="pierre-kaffer")
    place = Crew.objects.get(driver=kaffer, entry=estoril_car())
    split_driver(kaffer, [place.pk], Driver(full_name="Pierre Kafer", slug="pierre-kafer"))
    assert totals(championship)["Pierre Kaffer"] == D(14)
    assert totals(championship)["Pierre Kafer"] == D(30)


# --- the alias rules, as the loaders read them -------------------------------------------------


def test_the_merge_rule_joins_the_two_names_when_the_data_is_loaded_again(make_driver):
    kept, other = make_driver("Olindo Iacobelli"), make_driver("Olindo Iacobeli")
    rule = parse_line(plan_driver_merge(kept, other, "A misspelling.", "test").alias_line)
    appearances = [("Olindo Iacobelli", 1987), ("Olindo Iacobeli", 1990)]
    apart = matching.resolve(appearances, [])
    assert len(apart.people) == 2
    joined = matching.resolve(appearances, [rule])
    assert len(joined.people) == 1
    assert joined.person("Olindo Iacobeli", 1990).display == "Olindo Iacobelli"


def test_the_split_rule_keeps_the_two_apart_when_the_data_is_loaded_again(vinatier):
    jean, places = vinatier
    father = Driver(full_name="Jean Vinatier Sr.", slug="jean-vinatier-sr")
    plan = plan_driver_split(jean, [places[1950]], father, "Father and son.", "test")
    appearances = [("Jean Vinatier", 1950), ("Jean Vinatier", 1958), ("Jean Vinatier", 1960)]
    who = matching.resolve(appearances, [parse_line(plan.alias_line)])
    assert who.person("Jean Vinatier", 1950).display == "Jean Vinatier Sr."
    assert who.person("Jean Vinatier", 1958).display == "Jean Vinatier"


def test_a_name_merged_again_after_an_import_made_it_again_leads_to_the_kept_driver(
    client, make_driver
):
    kaffer = make_driver("Pierre Kaffer")
    merge(DRIVERS, kaffer, make_driver("Pierre Kafer"))
    again = make_driver("Pierre Kafer")  # an import makes the misspelt name again
    assert again.slug == "pierre-kafer"
    merge(DRIVERS, kaffer, again, reason="The same misspelling again.")
    redirect = DriverRedirect.objects.get(old_slug="pierre-kafer")
    assert (redirect.driver, redirect.reason) == (kaffer, "The same misspelling again.")
    response = client.get("/drivers/pierre-kafer/")
    assert (response.status_code, response["Location"]) == (301, "/drivers/pierre-kaffer/")


def test_a_team_merged_again_after_an_import_made_it_again_leads_to_the_kept_team(
    client, make_team
):
    pecom = make_team("Pecom Racing")
    merge(TEAMS, pecom, make_team("Pecom"))
    again = make_team("Pecom")
    merge(TEAMS, pecom, again, reason="The same team again.")
    redirect = TeamRedirect.objects.get(old_slug="pecom")
    assert (redirect.team, redirect.reason) == (pecom, "The same team again.")
    response = client.get("/teams/pecom/")
    assert (response.status_code, response["Location"]) == (301, "/teams/pecom-racing/")
