"""Shared test setup and the `make_*` factories for racing data."""

import datetime as dt
from decimal import Decimal

import pytest


@pytest.fixture(autouse=True)
def _plain_static_files(settings):
    """Serve static files from the source folders, as DJANGO_STATIC_PLAIN=1 does: the tests
    need no collectstatic first."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.WHITENOISE_USE_FINDERS = True


@pytest.fixture(autouse=True)
def _no_page_cache(settings):
    """Views are tested, and their queries pinned, as they render; the whole-page cache in
    front of them is tested with `PAGE_CACHE` on in lmsite/tests/test_pagecache.py."""
    settings.PAGE_CACHE = False


@pytest.fixture(autouse=True)
def _english_to_start():
    """Each test starts in the default language: a request through the locale middleware leaves
    its language active on the thread, so a German page or a German editor's admin request in
    one test would otherwise translate the messages another test reads."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Django's default hasher takes about half a second a password: too slow for fixtures."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def pytest_report_header(config):
    from django.conf import settings

    vendor = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    return f"database: {vendor}"


@pytest.fixture
def make_series(db):
    from races.models import Series

    def make(name="Le Mans Series", slug=None, **kwargs):
        return Series.objects.create(
            name=name, slug=slug or name.lower().replace(" ", "-"), **kwargs
        )

    return make


@pytest.fixture
def make_class(db):
    from races.models import CarClass

    def make(code="LMP2", name=None, colour="#1e5bc6", **kwargs):
        return CarClass.objects.create(code=code, name=name or code, colour=colour, **kwargs)

    return make


@pytest.fixture
def make_season(make_series):
    from races.models import Season, SeasonClass

    def make(series=None, year=2011, name=None, classes=(), **kwargs):
        series = series or make_series()
        season = Season.objects.create(
            series=series, year=year, name=name or f"{year} {series.name}", **kwargs
        )
        for order, car_class in enumerate(classes, start=1):
            SeasonClass.objects.create(season=season, car_class=car_class, order=order)
        return season

    return make


@pytest.fixture
def make_circuit(db):
    from races.models import Circuit

    def make(
        name="Autódromo do Estoril", slug=None, country="PT", time_zone="Europe/Lisbon", **kwargs
    ):
        from drivers.names import slug_for

        return Circuit.objects.create(
            name=name, slug=slug or slug_for(name), country=country, time_zone=time_zone, **kwargs
        )

    return make


@pytest.fixture
def make_event(make_circuit):
    from races.models import Event

    def make(name="6 Hours of Estoril", circuit=None, last_day=dt.date(2011, 9, 25), **kwargs):
        from drivers.names import slug_for

        kwargs.setdefault("slug", slug_for(name))
        kwargs.setdefault("status", Event.Status.COMPLETED)
        return Event.objects.create(
            name=name, circuit=circuit or make_circuit(), last_day=last_day, **kwargs
        )

    return make


@pytest.fixture
def make_round(db):
    from races.models import Round

    def make(season, event, number=1):
        return Round.objects.create(season=season, event=event, number=number)

    return make


@pytest.fixture
def make_session(make_event):
    from races.models import Session

    def make(event=None, kind="race", name="Race", order=1, results_status="final", **kwargs):
        return Session.objects.create(
            event=event or make_event(),
            kind=kind,
            name=name,
            order=order,
            results_status=results_status,
            **kwargs,
        )

    return make


@pytest.fixture
def make_team(db):
    from races.models import Team

    def make(name="Pecom Racing", slug=None, **kwargs):
        from drivers.names import slug_for

        return Team.objects.create(name=name, slug=slug or slug_for(name), **kwargs)

    return make


@pytest.fixture
def make_driver(db):
    from drivers.models import Driver

    def make(full_name="Pierre Kaffer", slug=None, **kwargs):
        from drivers.names import slug_for

        return Driver.objects.create(
            full_name=full_name, slug=slug or slug_for(full_name), **kwargs
        )

    return make


@pytest.fixture
def make_entry(make_event, make_class):
    from races.models import CarClass, Entry

    def make(event=None, number="39", car_class=None, **kwargs):
        if car_class is None:
            car_class = CarClass.objects.filter(code="LMP2").first() or make_class()
        return Entry.objects.create(
            event=event or make_event(), number=number, car_class=car_class, **kwargs
        )

    return make


@pytest.fixture
def make_crew(make_driver):
    from races.models import Crew

    def make(entry, driver=None, order=1, **kwargs):
        return Crew.objects.create(
            entry=entry, driver=driver or make_driver(), order=order, **kwargs
        )

    return make


@pytest.fixture
def make_result(db):
    from races.models import Result

    def make(session, entry, finish_order=1, status="classified", **kwargs):
        kwargs.setdefault("position", finish_order if status == "classified" else None)
        kwargs.setdefault("laps", 199)
        kwargs.setdefault("distance_km", Decimal("834.800"))
        return Result.objects.create(
            session=session, entry=entry, finish_order=finish_order, status=status, **kwargs
        )

    return make


@pytest.fixture
def make_registration(db):
    from races.models import Registration

    def make(entry, season):
        return Registration.objects.create(entry=entry, season=season)

    return make


@pytest.fixture
def make_layout(db):
    from races.models import CircuitLayout

    def make(circuit, since=dt.date(2000, 1, 1), length_km=Decimal("4.182"), **kwargs):
        return CircuitLayout.objects.create(
            circuit=circuit, since=since, length_km=length_km, **kwargs
        )

    return make


@pytest.fixture
def make_car(make_entry, make_crew, make_driver, make_team):
    """An entry with a team and a crew of `drivers` (names), in one call, registered for every
    championship the event counts for (or for `registered_for`, a list of seasons)."""

    def make(event, number, car_class, drivers=(), team=None, registered_for=None, **kwargs):
        from races.models import Registration, Season

        entry = make_entry(event=event, number=number, car_class=car_class, team=team, **kwargs)
        if registered_for is None:
            registered_for = Season.objects.filter(rounds__event=event)
        Registration.objects.bulk_create(
            Registration(entry=entry, season=s) for s in registered_for
        )
        for order, name in enumerate(drivers, start=1):
            from drivers.models import Driver
            from drivers.names import slug_for

            driver = Driver.objects.filter(slug=slug_for(name)).first() or make_driver(name)
            make_crew(entry, driver=driver, order=order)
        return entry

    return make


# The 2011 Le Mans Series finale at Estoril, for the page tests.
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
        time_limit=dt.timedelta(hours=6),
    )
    return race


@pytest.fixture
def grid(estoril, classes, make_car, make_result, make_team):
    """`grid(n)`: n cars in the Estoril race. The winner first; with n >= 3 also the TDS LMP2
    winner (2nd) and the Pecom #39 (retired, gearbox: last in the finish order); the rest GTE
    Pro cars, classified 3rd onwards."""

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
            time=dt.timedelta(hours=6, seconds=24.815),
        )
        if n < 3:
            return estoril
        tds = make_car(
            estoril.event, "36", classes["LMP2"], ["Pierre Thiriet"], team=make_team("TDS Racing")
        )
        make_result(estoril, tds, 2, class_position=1, laps=193, gap_laps=6)
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
        make_result(estoril, pecom, n, status="retired", reason="Transmission (gearbox)", laps=120)
        for i in range(3, n):
            car = make_car(estoril.event, str(100 + i), classes["GTEPro"], [f"Driver {i}"])
            make_result(estoril, car, i, class_position=i - 2, laps=180, gap_laps=19)
        return estoril

    return make


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Tests on a transactional database run last, as Django's own runner orders them. Each
    ends by emptying the database (a serialized rollback puts the migrations' rows back only at
    the start of the next such test), so a test after them would find no content types, no
    Editors group and no presets, and the content type cache would point at rows that are gone."""

    def transactional(item):
        marker = item.get_closest_marker("django_db")
        if marker and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences")):
            return True
        names = getattr(item, "fixturenames", ())
        return "transactional_db" in names or "live_server" in names

    items.sort(key=transactional)
