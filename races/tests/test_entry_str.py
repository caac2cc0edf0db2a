from races.models import Entry


def test_a_car_without_number_reads_as_text_in_the_admin_lists():
    # A lazy translation here made str() fail, and with it the admin's entry list.
    assert str(Entry(number="")) == "car without number"
    assert str(Entry(number="007")) == "#007"


def test_a_car_reads_with_its_entrant_so_the_cars_of_one_event_tell_apart():
    assert str(Entry(number="39", entrant="Pecom Racing")) == "#39 Pecom Racing"
    assert str(Entry(number="", entrant="Pecom Racing")) == "car without number Pecom Racing"
