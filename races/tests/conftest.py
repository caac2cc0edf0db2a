"""Fixtures of the races tests: the classification import's own ELMS season (the series was
renamed European Le Mans Series in 2012) and its race."""

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
