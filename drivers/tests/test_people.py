"""Birth, death and sources (drivers/people.py, drivers/data/people.csv) and the Driver fields
that hold them."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from drivers import people
from drivers.people import PeopleError, impossible_years, parse_facts, read_people


def row(**values):
    return {"slug": "jean-behra", "name": "Jean Behra", "source": "Motor Sport", **values}


def test_a_date_or_a_year_alone_is_read_as_written():
    facts = parse_facts(row(born="1921-02-16", died="1959"), 2)
    assert (facts.birth_date, facts.birth_year) == (dt.date(1921, 2, 16), 1921)
    assert (facts.death_date, facts.death_year) == (None, 1959)
    assert facts.values()["birth_year"] is None  # the date says it
    assert facts.values()["death_year"] == 1959


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"born": "16/2/1921"}, "born"),
        ({"born": "1921-02-30"}, "born"),
        ({"born": "1921", "died": "1920"}, "before"),
        ({"born": "1921-02-16", "died": "1921-02-01"}, "before"),
        ({"born": "1921", "source": ""}, "source"),
        ({"born": "1921", "name": ""}, "name"),
        ({}, "neither"),
    ],
)
def test_a_malformed_row_fails_with_its_line(values, message):
    with pytest.raises(PeopleError, match=rf"line 9: .*{message}"):
        parse_facts(row(**values), 9)


def test_the_people_file_is_well_formed_with_a_source_on_every_row():
    facts = read_people()
    assert len(facts) >= 150
    assert all(f.source for f in facts.values())
    assert facts["ricardo-rodriguez"].death_date == dt.date(1962, 11, 1)
    assert (facts["jean-vinatier-sr"].birth_year, facts["jean-vinatier-sr"].death_year) == (
        1890,
        1971,
    )
    assert facts["jean-vinatier-sr"].birth_date is None


def test_a_slug_on_two_rows_is_refused(tmp_path):
    path = tmp_path / "people.csv"
    path.write_text("slug,name,born,died,source,note\na,A,1900,,s,\na,A,1901,,s,\n")
    with pytest.raises(PeopleError, match="line 3: a is on two rows"):
        read_people(path)


def test_a_race_after_death_or_before_sixteen_is_impossible():
    facts = parse_facts(row(born="1942-02-14", died="1962-11-01"), 2)
    assert impossible_years(facts, {1959, 1962}) == []
    assert impossible_years(facts, {1957, 1962, 1967, 1969}) == [
        "Jean Behra (jean-behra) died in 1962 but is in the entries of 1967, 1969",
        "Jean Behra (jean-behra) was born in 1942 but is in the entries of 1957",
    ]
    assert people.YOUNGEST == 16


def test_a_driver_has_a_date_or_a_year_not_both(make_driver):
    with transaction.atomic(), pytest.raises(IntegrityError):
        make_driver("Jean Behra", birth_date=dt.date(1921, 2, 16), birth_year=1921)
    with transaction.atomic(), pytest.raises(IntegrityError):
        make_driver("Jean Behra", birth_year=1921, death_year=1920)


def test_the_admin_form_refuses_a_date_and_a_year_together(make_driver):
    driver = make_driver("Jean Behra", birth_date=dt.date(1921, 2, 16))
    driver.birth_year = 1921
    with pytest.raises(ValidationError, match="the year"):
        driver.full_clean()
    driver.birth_year, driver.death_year = None, 1920
    with pytest.raises(ValidationError, match="before the birth"):
        driver.full_clean()
    assert (driver.born_in, driver.died_in) == (1921, 1920)
    driver.birth_date, driver.birth_year = None, 1921  # two years: the constraint says so
    with pytest.raises(ValidationError, match="drivers_driver_dies_after_birth_year"):
        driver.full_clean()


def test_the_migration_takes_titles_and_placeholders_out_of_stored_names(make_driver):
    import importlib
    from types import SimpleNamespace

    from django.apps import apps
    from django.db import connection

    from drivers.models import Driver
    from races import writes

    migration = importlib.import_module("drivers.migrations.0004_title_and_unknown_first_name")
    make_driver("Miss Keiko Ihara", slug="miss-keiko-ihara")
    make_driver("f.n.u. Stalter", slug="fnu-stalter")
    make_driver("Pierre Kaffer")
    before = writes.current_version().number
    migration.clean_names(apps, SimpleNamespace(connection=connection))
    ihara, stalter = Driver.objects.get(title="Miss"), Driver.objects.get(first_name_known=False)
    assert (ihara.full_name, ihara.slug, ihara.search_key) == (
        "Keiko Ihara",
        "keiko-ihara",
        "keiko ihara",
    )
    assert (stalter.full_name, stalter.slug) == ("Stalter", "stalter")
    assert Driver.objects.get(slug="pierre-kaffer").first_name_known
    assert writes.current_version().number > before


def test_the_migration_moves_a_peerage_after_the_name_to_the_title_and_redirects(
    client, make_driver
):
    import importlib
    from types import SimpleNamespace

    from django.apps import apps
    from django.db import connection

    from drivers.models import Driver, DriverRedirect
    from races import writes

    migration = importlib.import_module("drivers.migrations.0008_peerages_after_the_name")
    make_driver("Francis Curzon, Earl Howe", birth_date=dt.date(1884, 5, 1))
    make_driver("Edward Russell, Lord de Clifford", title="Lt. Col.")
    make_driver("Brian Lewis")  # another man holds the slug the peer's name would take
    make_driver("Brian Lewis, Baron Essendon")
    make_driver("Pierre Kaffer")
    before = writes.current_version().number
    migration.move_peerages(apps, SimpleNamespace(connection=connection))
    howe = Driver.objects.get(title="Earl Howe")
    assert (howe.full_name, howe.slug, howe.search_key) == (
        "Francis Curzon",
        "francis-curzon",
        "francis curzon",
    )
    assert howe.birth_date == dt.date(1884, 5, 1)
    russell = Driver.objects.get(full_name="Edward Russell")
    assert (russell.title, russell.slug) == ("Lt. Col. Lord de Clifford", "edward-russell")
    essendon = Driver.objects.get(title="Baron Essendon")
    assert (essendon.full_name, essendon.slug) == ("Brian Lewis", "brian-lewis-baron-essendon")
    assert Driver.objects.get(slug="pierre-kaffer").title == ""
    assert set(DriverRedirect.objects.values_list("old_slug", "driver__slug")) == {
        ("francis-curzon-earl-howe", "francis-curzon"),
        ("edward-russell-lord-de-clifford", "edward-russell"),
    }
    assert writes.current_version().number > before
    response = client.get("/drivers/francis-curzon-earl-howe/")
    assert (response.status_code, response["Location"]) == (301, "/drivers/francis-curzon/")


def test_a_row_that_names_no_driver_or_another_is_refused():
    facts = {
        "patrick-simon": people.parse_facts(
            {"slug": "patrick-simon", "name": "Patrick Simon", "born": "1975", "source": "x"}, 2
        ),
        "pierre-kafer": people.parse_facts(
            {"slug": "pierre-kafer", "name": "Pierre Kafer", "born": "1976", "source": "x"}, 3
        ),
        "gary-chalandon": people.parse_facts(
            {"slug": "gary-chalandon", "name": "Gary Chalandon", "born": "1986", "source": "x"}, 4
        ),
    }
    drivers = {"patrick-simon": "Patrick Simon", "gary-chalandon": "Gary Chalandön"}
    assert people.unplaced(facts, drivers) == [
        "people.csv line 3: pierre-kafer is no driver, not Pierre Kafer"
    ]
    drivers["gary-chalandon"] = "Olivier Lombard"
    assert people.unplaced(facts, drivers)[1] == (
        "people.csv line 4: gary-chalandon is 'Olivier Lombard', not Gary Chalandon"
    )
