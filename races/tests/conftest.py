"""Racing data for the view tests: the 2011 Le Mans Series finale at Estoril, with `cars` rows."""

import datetime as dt
from datetime import timedelta

import pytest


@pytest.fixture
def classes(make_class):
    return {
        "LMP1": make_class("LMP1", colour="#c8102e"),
        "LMP2": make_class("LMP2", colour="#1e5bc6"),
        "GTEPro": make_class("LMGTEPro", "LM GTE Pro", colour="#1a7f37"),
    }


@pytest.fixture
def lms(make_series, make_season, classes):
    series = make_series("Le Mans Series", short_name="LMS")
    return make_season(series, 2011, classes=[classes["LMP1"], classes["LMP2"], classes["GTEPro"]])


@pytest.fixture
def estoril(lms, make_event, make_round, make_session, make_circuit):
    circuit = make_circuit()
    event = make_event(
        circuit=circuit, first_day=dt.date(2011, 9, 23), source="eracemotorblog.it race report"
    )
    make_round(lms, event, number=5)
    make_session(
        event=event,
        kind="qualifying",
        name="Qualifying",
        order=1,
        results_status="none",
        start=dt.datetime(2011, 9, 24, 14, 0, tzinfo=dt.UTC),
    )
    race = make_session(
        event=event,
        order=2,
        start=dt.datetime(2011, 9, 25, 11, 0, tzinfo=dt.UTC),
        time_limit=timedelta(hours=6),
    )
    return race


@pytest.fixture
def grid(estoril, classes, make_car, make_result, make_team):
    """`grid(n)`: n cars in the Estoril race, the first three the real ones, all classified
    except #39 (retired, gearbox)."""

    def make(n):
        pescarolo = make_car(
            estoril.event,
            "16",
            classes["LMP1"],
            ["Emmanuel Collard", "Christophe Tinseau"],
            team=make_team("Pescarolo Team"),
        )
        make_result(
            estoril,
            pescarolo,
            1,
            class_position=1,
            laps=199,
            time=timedelta(hours=6, seconds=24.815),
        )
        pecom = make_car(
            estoril.event,
            "39",
            classes["LMP2"],
            ["Pierre Kaffer", "Matías Russo", "Luís Pérez Companc"],
            team=make_team("Pecom Racing"),
            chassis="Lola B11/40",
            engine="Judd",
            tyres="Michelin",
        )
        make_result(
            estoril,
            pecom,
            max(n, 3),
            status="retired",
            reason="Transmission (gearbox)",
            class_position=None,
            laps=120,
        )
        tds = make_car(
            estoril.event, "36", classes["LMP2"], ["Pierre Thiriet"], team=make_team("TDS Racing")
        )
        make_result(estoril, tds, 2, class_position=1, laps=193, gap_laps=6)
        for i in range(3, n):
            car = make_car(estoril.event, str(100 + i), classes["GTEPro"], [f"Driver {i}"])
            make_result(estoril, car, i, class_position=i - 2, laps=180, gap_laps=19)
        return estoril

    return make
