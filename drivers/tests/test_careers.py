"""Career figures (drivers/careers.py) from plain rows, without the database."""

from types import SimpleNamespace

from drivers.careers import Race, figures


def race(event, pole, drove):
    return Race(
        entry=SimpleNamespace(status="entered"),
        event=SimpleNamespace(pk=event, layout=None),
        rounds=(),
        co_drivers=(),
        result=SimpleNamespace(
            status="classified", position=1, class_position=1, distance_km=None, laps=None
        ),
        pole=pole,
        drove=drove,
    )


def test_a_listed_driver_who_did_not_drive_takes_neither_the_start_nor_the_pole():
    counted = figures([race(1, pole=True, drove=None), race(2, pole=True, drove=False)])
    assert (counted["starts"], counted["wins"], counted["poles"]) == (1, 1, 1)
    assert figures([race(2, pole=True, drove=True)])["poles"] == 1
    assert figures([race(2, pole=True, drove=False)])["poles"] == 0
