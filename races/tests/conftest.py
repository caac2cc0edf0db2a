"""Fixtures of the races tests: the classification import's own ELMS season (the series was
renamed European Le Mans Series in 2012) and its race; an LMP2 Pro/Am class and an Estoril race
with stored class positions, for the tests of what re-derives them."""

import datetime as dt

import pytest
from django.core.cache import cache


@pytest.fixture
def elms_2014(make_series, make_season, make_class):
    """The 2014 European Le Mans Series (the Le Mans Series until 2011) with its classes."""
    series = make_series("European Le Mans Series", slug="european-le-mans-series")
    make_season(series, 2011, name="2011 Le Mans Series")
    classes = [make_class("LMP2"), make_class("GTE", "LM GTE"), make_class("GTC")]
    return make_season(series, 2014, name="2014 European Le Mans Series", classes=classes)


@pytest.fixture
def imola_race(elms_2014, make_event, make_round, make_session, make_circuit):
    circuit = make_circuit("Autodromo Enzo e Dino Ferrari", country="IT", time_zone="Europe/Rome")
    event = make_event(
        "4 Hours of Imola",
        circuit=circuit,
        first_day=dt.date(2014, 5, 16),
        last_day=dt.date(2014, 5, 18),
    )
    make_round(elms_2014, event, number=2)
    make_session(event=event, kind="qualifying", name="Qualifying", order=1, results_status="none")
    return make_session(event=event, name="Race", order=2, results_status="none")


@pytest.fixture
def empty_cache():
    """An empty cache before and after: the Data health findings are kept in it per data
    version (races/health.py)."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def pro_am(classes, make_class):
    return make_class("LMP2PA", "LMP2 Pro/Am", parent=classes["LMP2"])


@pytest.fixture
def lmp2_race(estoril, classes, pro_am, make_car, make_result):
    """Estoril: #16 (LMP1) wins, then #40 (Pro/Am), #36 and #39 (LMP2), stored as the import
    stored them while Pro/Am ranked inside LMP2."""
    cars = {
        "16": make_car(estoril.event, "16", classes["LMP1"]),
        "40": make_car(estoril.event, "40", pro_am),
        "36": make_car(estoril.event, "36", classes["LMP2"]),
        "39": make_car(estoril.event, "39", classes["LMP2"]),
    }
    make_result(estoril, cars["16"], 1, class_position=1)
    make_result(estoril, cars["40"], 2, class_position=1, parent_class_position=1)
    make_result(estoril, cars["36"], 3, class_position=2)
    make_result(estoril, cars["39"], 4, class_position=3)
    return cars
