"""The years shown beside a name that several drivers bear (races/namesakes.py): kept by the
write path, whatever writes the drivers, their entries or the events."""

import datetime as dt

import pytest

from drivers.models import Driver
from races import namesakes
from races.models import Crew, Event


@pytest.fixture
def entered(make_circuit, make_event, make_class, make_entry, make_crew, make_driver):
    """`entered(name, slug, *years)`: a driver entered at Le Mans in each of `years`."""
    circuit = make_circuit("Circuit de la Sarthe", slug="circuit-de-la-sarthe")
    car_class = make_class()
    events = {}

    def make(name, slug, *years):
        driver = make_driver(name, slug=slug)
        for year in years:
            if year not in events:
                events[year] = make_event(
                    f"24 Hours of Le Mans {year}",
                    circuit=circuit,
                    slug=f"24-hours-of-le-mans-{year}",
                    last_day=dt.date(year, 6, 20),
                )
            number = str(Driver.objects.count())
            entry = make_entry(event=events[year], number=number, car_class=car_class)
            make_crew(entry, driver=driver)
        return driver

    return make


def years(slug):
    return Driver.objects.get(slug=slug).namesake_years


def test_two_drivers_of_one_name_each_have_their_years_and_a_unique_name_none(entered):
    entered("Bob Johnson", "bob-johnson", 1965, 1967)
    entered("Bob Johnson", "bob-johnson-1972", 1972, 1973)
    entered("Dave Heinz", "dave-heinz", 1972)
    assert years("bob-johnson") == "1965–1967"
    assert years("bob-johnson-1972") == "1972–1973"
    assert years("dave-heinz") == ""


def test_names_that_differ_only_in_accents_or_case_are_shared(entered):
    entered("Ricardo Rodríguez", "ricardo-rodriguez", 1959, 1962)
    entered("Ricardo Rodriguez", "ricardo-rodriguez-1969", 1969)
    assert years("ricardo-rodriguez") == "1959–1962"
    assert years("ricardo-rodriguez-1969") == "1969"


def test_a_rename_or_a_merge_clears_the_years_and_a_new_namesake_sets_them(entered):
    entered("Gilbert Foury", "gilbert-foury", 1935)
    later = entered("Gilbert Foury", "gilbert-foury-1956", 1956, 1960)
    later.full_name = "Gilbert Foury Jr."
    later.save()
    assert years("gilbert-foury") == years("gilbert-foury-1956") == ""
    Driver.objects.filter(pk=later.pk).update(full_name="Gilbert Foury", search_key="gilbert foury")
    assert years("gilbert-foury") == "1935"
    Crew.objects.filter(driver=later).update(driver=Driver.objects.get(slug="gilbert-foury"))
    later.delete()
    assert years("gilbert-foury") == ""


def test_the_years_follow_the_crews_and_the_event_dates(entered):
    entered("Alexander Mattschull", "alexander-mattschull", 1994)
    entered("Alexander Mattschull", "alexander-mattschull-2024", 2024, 2025)
    Crew.objects.filter(entry__event__last_day__year=2025).delete()
    assert years("alexander-mattschull-2024") == "2024"
    Event.objects.filter(last_day__year=2024).update(last_day=dt.date(2026, 6, 14))
    assert years("alexander-mattschull-2024") == "2026"


def test_a_driver_of_a_shared_name_entered_nowhere_has_no_years(entered, make_driver):
    entered("Horst Felbermayr Sr.", "horst-felbermayr-sr", 1999, 2011)
    make_driver("Horst Felbermayr Sr.", slug="horst-felbermayr-sr-2026")
    assert years("horst-felbermayr-sr") == "1999–2011"
    assert years("horst-felbermayr-sr-2026") == ""


def test_a_refresh_with_nothing_to_change_writes_nothing(entered, django_assert_num_queries):
    entered("Bob Johnson", "bob-johnson", 1965, 1967)
    entered("Bob Johnson", "bob-johnson-1972", 1972)
    with django_assert_num_queries(2):  # the stored years of shared names, their crews
        namesakes.refresh("default")


def test_the_name_as_text_reads_as_the_pages_write_it(entered):
    entered("Mello-Breyner", "mello-breyner", 2011)
    entered("Mello-Breyner", "mello-breyner-2", 2011)
    entered("Tinseau", "tinseau", 2011)
    Driver.objects.filter(slug__startswith="mello").update(first_name_known=False)
    assert Driver.objects.get(slug="mello-breyner").shown_name == (
        "Mello-Breyner (first name unknown, 2011)"
    )
    assert Driver.objects.get(slug="tinseau").shown_name == "Tinseau"
