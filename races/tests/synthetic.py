"""A synthetic six-round ELMS-like season, written with the models through the write path: the
championship rules as the ELMS runs them, on data the project makes up (no published file).

Classes LMP2, LMP2 Pro/Am (a sub-class of LMP2 that is its own championship) and LMP3, on the
ELMS top-ten preset (25-18-15-12-10-8-6-4-2-1, +1 per class pole), only drivers who drove score,
30 minutes at the wheel at least. Each round has a qualifying session per group (“Qualifying
LMP2” for LMP2 and Pro/Am, “Qualifying LMP3”) and a race; round 3 is a double-header, round 5's
race was shortened and gives half points, round 6's LMP3 pole is set by an editor. LMP3 #99
runs for another championship: it takes no place and no point. Who drove comes from the lap
analyses the tests import (races/tests/test_championship_rules.py).

Finishing orders (overall), and the qualifying orders of each group:

| R | race(s)                                   | Q LMP2          | Q LMP3      |
|---|-------------------------------------------|-----------------|-------------|
| 1 | 22 31 23 24 32 99 5 6 7                   | 23 31 22 24 32  | 6 5 7 99    |
| 2 | 23 22 32 31 24 5 99 7 6                   | 22 23 32 31 24  | 5 6 7 99    |
| 3 | R1: 22 23 24 31 32 7 5 6 99               | 24 22 23 31 32  | 7 6 5 99    |
|   | R2: 24 32 31 22 6 7 5 99, #23 retired     |                 |             |
| 4 | 22 23 31 24 32 5 6 7 99                   | 22 23 31 24 32  | 5 6 7 99    |
| 5 | 24 23 22 32 31 7 6 5 99 (× 0.5)           | 24 23 22 32 31  | 7 6 5 99    |
| 6 | 23 22 24 31 32 6 5 7 99                   | 23 22 24 31 32  | 6 5 7 99    |
"""

import datetime as dt
from decimal import Decimal as D

from drivers.models import Driver
from races.models import (
    CarClass,
    ChampionshipRules,
    Circuit,
    Crew,
    Entry,
    Event,
    PointsScale,
    PoleAward,
    Registration,
    Result,
    Round,
    Season,
    SeasonClass,
    Series,
    Session,
    Team,
)
from races.results import championship_class_positions
from races.writes import changes

LMP2_CARS, PRO_AM_CARS, LMP3_CARS = ("22", "23", "24"), ("31", "32"), ("5", "6", "7", "99")
OTHER_CHAMPIONSHIP = "99"
RACES = {
    1: [("Race", "22 31 23 24 32 99 5 6 7", "")],
    2: [("Race", "23 22 32 31 24 5 99 7 6", "")],
    3: [("Race 1", "22 23 24 31 32 7 5 6 99", ""), ("Race 2", "24 32 31 22 6 7 5 99", "23")],
    4: [("Race", "22 23 31 24 32 5 6 7 99", "")],
    5: [("Race", "24 23 22 32 31 7 6 5 99", "")],
    6: [("Race", "23 22 24 31 32 6 5 7 99", "")],
}
QUALIFYING = {
    1: ("23 31 22 24 32", "6 5 7 99"),
    2: ("22 23 32 31 24", "5 6 7 99"),
    3: ("24 22 23 31 32", "7 6 5 99"),
    4: ("22 23 31 24 32", "5 6 7 99"),
    5: ("24 23 22 32 31", "7 6 5 99"),
    6: ("23 22 24 31 32", "6 5 7 99"),
}
SHORTENED = (5, D("0.5"), "Red flag: less than 75% of the race run")
EDITOR_POLE = (6, "LMP3", "7")


def crew_names(number):
    """Car #22's crew: "Ann 22", "Bob 22", "Cid 22"."""
    return [f"{first} {number}" for first in ("Ann", "Bob", "Cid")]


def build():
    """The season, written in one block of the write path. Returns it."""
    with changes():
        series = Series.objects.create(
            name="Synthetic Endurance Series", slug="synthetic-endurance-series"
        )
        season = Season.objects.create(series=series, year=2030, name="2030 Synthetic Series")
        lmp2 = CarClass.objects.create(code="SYN-LMP2", name="LMP2")
        pro_am = CarClass.objects.create(
            code="SYN-LMP2PA", name="LMP2 Pro/Am", parent=lmp2, own_championship=True
        )
        lmp3 = CarClass.objects.create(code="SYN-LMP3", name="LMP3")
        for order, car_class in enumerate((lmp2, pro_am, lmp3), start=1):
            SeasonClass.objects.create(season=season, car_class=car_class, order=order)
        rules = ChampionshipRules.objects.create(
            season=season,
            scale=PointsScale.objects.get(slug="elms-top-ten"),
            pole_points=D(1),
            drove_required=True,
            min_drive_time=dt.timedelta(minutes=30),
        )
        circuit = Circuit.objects.create(
            name="Synthetic Ring", slug="synthetic-ring", country="FR", time_zone="Europe/Paris"
        )
        class_of = dict.fromkeys(LMP2_CARS, lmp2)
        class_of |= dict.fromkeys(PRO_AM_CARS, pro_am) | dict.fromkeys(LMP3_CARS, lmp3)
        teams = {n: Team.objects.create(name=f"Team {n}", slug=f"team-{n}") for n in class_of}
        drivers = {
            name: Driver.objects.create(full_name=name, slug=name.lower().replace(" ", "-"))
            for number in class_of
            for name in crew_names(number)
        }
        for number in range(1, 7):
            event = Event.objects.create(
                circuit=circuit,
                name=f"4 Hours of Synthetic {number}",
                slug=f"synthetic-{number}",
                last_day=dt.date(2030, 4, 1) + dt.timedelta(weeks=5 * number),
                status="completed",
            )
            round_ = Round.objects.create(season=season, event=event, number=number)
            entries = {}
            for car, car_class in class_of.items():
                entries[car] = Entry.objects.create(
                    event=event, number=car, car_class=car_class, team=teams[car]
                )
                if car != OTHER_CHAMPIONSHIP:
                    Registration.objects.create(entry=entries[car], season=season)
                for order, name in enumerate(crew_names(car), start=1):
                    Crew.objects.create(entry=entries[car], driver=drivers[name], order=order)
            p2_order, p3_order = QUALIFYING[number]
            for order, (name, cars) in enumerate(
                (("Qualifying LMP2", p2_order), ("Qualifying LMP3", p3_order)), start=1
            ):
                session = Session.objects.create(
                    event=event, kind="qualifying", name=name, order=order, results_status="final"
                )
                write_results(session, [entries[n] for n in cars.split()], [])
            for order, (name, cars, retired) in enumerate(RACES[number], start=3):
                factor, reason = D(1), ""
                if number == SHORTENED[0]:
                    factor, reason = SHORTENED[1:]
                session = Session.objects.create(
                    event=event,
                    kind="race",
                    name=name,
                    order=order,
                    results_status="final",
                    points_factor=factor,
                    points_factor_reason=reason,
                )
                finishers = [entries[n] for n in cars.split()]
                write_results(session, finishers, [entries[n] for n in retired.split()])
            if number == EDITOR_POLE[0]:
                PoleAward.objects.create(
                    rules=rules,
                    round=round_,
                    car_class=lmp3,
                    entry=entries[EDITOR_POLE[2]],
                    source="The stewards' decision (synthetic)",
                )
    return season


def write_results(session, classified, retired):
    """Results of `session`: the `classified` cars in finish order, then the `retired` ones;
    class positions derived per championship class (races/results.py)."""
    positions = championship_class_positions((e.pk, e.car_class) for e in classified)
    rows = []
    for place, entry in enumerate(classified, start=1):
        own, parent = positions[entry.pk]
        rows.append(
            Result(
                session=session,
                entry=entry,
                finish_order=place,
                position=place,
                class_position=own,
                parent_class_position=parent,
                status="classified",
            )
        )
    for place, entry in enumerate(retired, start=len(classified) + 1):
        rows.append(Result(session=session, entry=entry, finish_order=place, status="retired"))
    Result.objects.bulk_create(rows)


def lap_analysis(laps):
    """The bytes of a lap analysis file in the Al Kamel layout (BOM, CRLF, "; " in the header):
    `laps` lists (car number, driver place, driver name, number of laps, lap time in seconds);
    each car's laps are numbered across its drivers in the order given."""
    header = (
        "NUMBER; DRIVER_NUMBER; LAP_NUMBER; LAP_TIME; LAP_IMPROVEMENT; "
        "CROSSING_FINISH_LINE_IN_PIT; S1; S1_IMPROVEMENT; S2; S2_IMPROVEMENT; S3; "
        "S3_IMPROVEMENT; KPH; ELAPSED; HOUR;S1_LARGE;S2_LARGE;S3_LARGE;TOP_SPEED;DRIVER_NAME;"
        "PIT_TIME;CLASS;GROUP;TEAM;MANUFACTURER;"
    )
    lines, lap_of = [header], {}
    for number, place, name, count, seconds in laps:
        for _ in range(count):
            lap = lap_of[number] = lap_of.get(number, 0) + 1
            minutes, rest = divmod(seconds, 60)
            time = f"{int(minutes)}:{rest:06.3f}"
            lines.append(
                f"{number};{place};{lap};{time};0;;30.000;0;40.000;0;30.000;0;180.0;;;"
                f";;;280.0;{name};;;;Team {number};;"
            )
    return ("\ufeff" + "\r\n".join(lines) + "\r\n").encode()
