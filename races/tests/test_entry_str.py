from races.models import Entry


def test_a_car_without_number_reads_as_text_in_the_admin_lists():
    # A lazy translation here made str() fail, and with it the admin's entry list.
    assert str(Entry(number="")) == "car without number"
    assert str(Entry(number="007")) == "#007"
