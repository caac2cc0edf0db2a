"""Time a 60-car classification import: parse, plan and apply, on a throwaway SQLite database.

    .venv/bin/python bench/import_classification.py [--cars 60] [--runs 5]

Each run imports a generated file (60 cars, 3 drivers each, 3 classes) into a fresh race
session of a fresh event: every entry, team, driver, crew place and result is new, the most
writing an import does. A second figure re-imports the same file (everything matched, nothing
changed). Prints the figures; nothing is asserted.
"""

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def generate(cars):
    header = (
        "POSITION;NUMBER;TEAM;DRIVER_1;DRIVER_2;DRIVER_3;DRIVER_4;VEHICLE;TYRES;CLASS;STATUS;"
        "LAPS;TOTAL_TIME;GAP_FIRST;GAP_PREVIOUS;FL_LAPNUM;FL_TIME;FL_KPH;"
    )
    lines = [header]
    classes = ["LMP2", "LMGTE", "GTC"]
    for n in range(1, cars + 1):
        status = "Classified" if n <= cars - 5 else "Not classified"
        drivers = ";".join(f"Driver{n}x{d} SURNAME{n}X{d}" for d in range(1, 4))
        lines.append(
            f"{n};{n + 10};Team {n % 25};{drivers};;Oreca 07 - Gibson;M;{classes[n % 3]};"
            f"{status};{cars + 140 - n};6:00'{n % 60:02}.123;{n} Laps;1 Laps;{n};1'40.{n:03};180.0;"
        )
    return ("\ufeff" + "\n".join(lines) + "\n").encode()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--cars", type=int, default=60)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    database = Path(tempfile.mkdtemp()) / "bench.sqlite3"
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lmsite.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)

    from races.importers import alkamel
    from races.importers.classification import Decisions, make_plan, run_import
    from races.models import (
        CarClass,
        Circuit,
        Event,
        Round,
        Season,
        SeasonClass,
        Series,
        Session,
    )

    series = Series.objects.create(name="European Le Mans Series", slug="elms")
    season = Season.objects.create(series=series, year=2014, name="2014 ELMS")
    for order, code in enumerate(["LMP2", "GTE", "GTC"], start=1):
        car_class = CarClass.objects.create(code=code, name=code)
        SeasonClass.objects.create(season=season, car_class=car_class, order=order)
    circuit = Circuit.objects.create(
        name="Imola", slug="imola", country="IT", time_zone="Europe/Rome"
    )
    decisions = Decisions(classes={"lmgte": str(CarClass.objects.get(code="GTE").pk)})
    content = generate(args.cars)
    fresh, again, parse_times, plan_times = [], [], [], []
    for run in range(args.runs):
        event = Event.objects.create(
            circuit=circuit, name=f"Race {run}", slug=f"race-{run}", last_day=dt.date(2014, 5, 18)
        )
        Round.objects.create(season=season, event=event, number=run + 1)
        session = Session.objects.create(event=event, kind="race", name="Race", order=1)
        started = time.perf_counter()
        parsed = alkamel.parse(content)
        parse_times.append(time.perf_counter() - started)
        started = time.perf_counter()
        make_plan(session, parsed, decisions)
        plan_times.append(time.perf_counter() - started)
        started = time.perf_counter()
        _, outcome = run_import(session, alkamel.parse(content), decisions)
        fresh.append(time.perf_counter() - started)
        started = time.perf_counter()
        run_import(session, alkamel.parse(content), decisions)
        again.append(time.perf_counter() - started)
        assert outcome.counts["new results"] == args.cars

    def ms(values):
        return f"median {statistics.median(values) * 1000:.0f} ms, max {max(values) * 1000:.0f} ms"

    print(f"{args.cars}-car classification, {len(content):,} bytes, {args.runs} runs, SQLite")
    print(f"  parse only:                        {ms(parse_times)}")
    print(f"  parse + plan (new event):          {ms(plan_times)}")
    print(f"  parse + plan + apply, all new:     {ms(fresh)}")
    print(f"  parse + plan + apply, re-import:   {ms(again)}")


if __name__ == "__main__":
    main()
