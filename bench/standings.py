"""Time the standings of a synthetic 10-round season with 60 cars (5 classes of 12, crews of
three with their time at the wheel, a qualifying session per class and a race per round, a
minimum drive time, a few adjustments).

    .venv/bin/python bench/standings.py

Prints three figures: `compute` alone on rows in memory, `season_data` + `compute` on a
throwaway SQLite database (a temporary file, migrated afresh), and what one write into a round
costs after it: `stored_standings.refresh`, which stores the standings after every round run
(so a write into round 10 recomputes rounds 1 to 10). Median of 20 runs each (5 for refresh).
"""

import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROUNDS, CLASSES, CARS_PER_CLASS, RUNS = 10, 5, 12, 20

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
workdir = tempfile.mkdtemp(prefix="lmsite-bench-standings-")
os.environ["DATABASE_URL"] = f"sqlite:///{workdir}/bench.sqlite3"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lmsite.settings")

import datetime as dt  # noqa: E402
from decimal import Decimal  # noqa: E402

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from drivers.models import Driver  # noqa: E402
from races.models import (  # noqa: E402
    Adjustment,
    CarClass,
    ChampionshipRules,
    Circuit,
    Crew,
    Entry,
    Event,
    PointsScale,
    Registration,
    Result,
    Round,
    Season,
    SeasonClass,
    Series,
    Session,
    Team,
)
from races.standings import compute, season_data  # noqa: E402
from races.stored_standings import refresh  # noqa: E402


def build():
    series = Series.objects.create(name="Bench Series", slug="bench-series")
    season = Season.objects.create(series=series, year=2030, name="2030 Bench Series")
    classes = [
        CarClass.objects.create(code=f"C{i}", name=f"Class {i}") for i in range(1, CLASSES + 1)
    ]
    SeasonClass.objects.bulk_create(
        SeasonClass(season=season, car_class=c, order=i) for i, c in enumerate(classes, 1)
    )
    ChampionshipRules.objects.create(
        season=season,
        scale=PointsScale.objects.get(slug="elms-2015"),
        pole_points=Decimal(1),
        team_standings="all_cars",
        best_n=8,
        manufacturers_best_n=2,
        drove_required=True,
        min_drive_time=dt.timedelta(minutes=20),
    )
    circuit = Circuit.objects.create(
        name="Bench Ring", slug="bench-ring", country="FR", time_zone="Europe/Paris"
    )
    teams = [Team.objects.create(name=f"Team {i}", slug=f"team-{i}") for i in range(30)]
    drivers = Driver.objects.bulk_create(
        Driver(full_name=f"Driver {i}", slug=f"driver-{i}", search_key=f"driver {i}")
        for i in range(CLASSES * CARS_PER_CLASS * 3)
    )
    for number in range(1, ROUNDS + 1):
        event = Event.objects.create(
            circuit=circuit,
            name=f"Round {number}",
            slug=f"round-{number}",
            last_day=dt.date(2030, 3, 1) + dt.timedelta(weeks=3 * number),
            status="completed",
        )
        round_ = Round.objects.create(season=season, event=event, number=number)
        qualis = [
            Session.objects.create(event=event, kind="qualifying", name=f"Q {c.code}", order=i)
            for i, c in enumerate(classes, 1)
        ]
        race = Session.objects.create(event=event, kind="race", name="Race", order=CLASSES + 1)
        entries, car = [], 0
        for car_class in classes:
            for k in range(CARS_PER_CLASS):
                entries.append(
                    Entry(
                        event=event,
                        number=str(car + 1),
                        car_class=car_class,
                        team=teams[car // 2],
                        manufacturer=f"Maker {k % 4}",
                    )
                )
                car += 1
        entries = Entry.objects.bulk_create(entries)
        Registration.objects.bulk_create(Registration(entry=e, season=season) for e in entries)
        Crew.objects.bulk_create(
            Crew(
                entry=e,
                driver=drivers[i * 3 + j],
                order=j + 1,
                drove=(i + j + number) % 17 != 0,
                laps=40 + j,
                drive_time=dt.timedelta(minutes=15 if (i + number) % 13 == j else 80),
            )
            for i, e in enumerate(entries)
            for j in range(3)
        )
        results = []
        for c in range(CLASSES):
            class_entries = entries[c * CARS_PER_CLASS : (c + 1) * CARS_PER_CLASS]
            shift = number % CARS_PER_CLASS
            order = class_entries[shift:] + class_entries[:shift]
            for place, entry in enumerate(order, 1):
                status = "classified" if place < CARS_PER_CLASS else "retired"
                finish = c * CARS_PER_CLASS + place
                results.append(
                    Result(
                        session=race,
                        entry=entry,
                        finish_order=finish,
                        position=finish if status == "classified" else None,
                        class_position=place,
                        status=status,
                    )
                )
                results.append(
                    Result(
                        session=qualis[c],
                        entry=entry,
                        finish_order=finish,
                        position=finish,
                        class_position=place,
                        status="classified",
                    )
                )
        Result.objects.bulk_create(results)
        Adjustment.objects.create(
            round=round_, entry=entries[number], points=Decimal(-2), reason="Engine change"
        )
    return season


def median_ms(function, runs=RUNS):
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), max(times)


def main():
    call_command("migrate", verbosity=0)
    season = build()
    data = season_data(season)
    with CaptureQueriesContext(connection) as queries:
        season_data(season)
    standings = compute(data)
    contenders = sum(len(c.drivers) + len(c.teams) + len(c.manufacturers) for c in standings)
    pure, pure_max = median_ms(lambda: compute(data))
    full, full_max = median_ms(lambda: compute(season_data(season)))
    print(f"{ROUNDS} rounds, {CLASSES * CARS_PER_CLASS} cars, {contenders} contenders")
    print(f"compute (rows in memory):          median {pure:6.1f} ms, max {pure_max:6.1f} ms")
    print(f"season_data + compute (SQLite):    median {full:6.1f} ms, max {full_max:6.1f} ms")
    print(f"queries for season_data:           {len(queries)}")
    stored, stored_max = median_ms(lambda: refresh(season), runs=5)
    print(f"refresh (stored after each round): median {stored:6.1f} ms, max {stored_max:6.1f} ms")


if __name__ == "__main__":
    try:
        main()
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
