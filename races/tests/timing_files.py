"""Official timing files the project writes itself, in every layout the import takes (never
copies of published files: they are not ours to redistribute): race and qualifying
classifications and entry lists, `;` or `,`, with or without byte-order mark and trailing
separator, stray spaces in the header, extra columns, per-driver blocks with licences, a
sub-class in its own column or in the class name. And a synthetic six-round season of such
files (`write_season`), for the tests, the benchmark (bench/import_season.py) and the
championship rules.

The synthetic season ("ELMS 2030", series slug `le-mans-series`, the site's): 45 cars in LMP2 (12,
of which 6 are LMP2 Pro/Am, written CLASS=LMP2 GROUP=P/A in races and CLASS=LMP2 Pro/Am in
qualifying), LMP3 (15) and LMGT3 (18); each round folder holds the entry list, free practice 1,
one qualifying file per class (4), an hourly interim classification and a support race (both
ignored) and the race. Named but not driving (named by the entry list and the race file, no lap
in the race: `DID_NOT_DRIVE`): the fourth driver of #27 (LMP2 Pro/Am) and of #55 (LMGT3).
Named only in qualifying of round 1 (never in the race crew): `QUALIFYING_ONLY` in #22.
"""

import datetime as dt
import random
from pathlib import Path

RACE_HEAD = ["POSITION", "NUMBER", "TEAM"]
RACE_TAIL = [
    "VEHICLE",
    "TYRES",
    "CLASS",
    "GROUP",
    "STATUS",
    "LAPS",
    "TOTAL_TIME",
    "GAP_FIRST",
    "GAP_PREVIOUS",
    "FL_LAPNUM",
    "FL_TIME",
    "FL_KPH",
]
QUALIFYING_HEAD = ["POS", "NUMBER", "LAP", "TIME", "GAP_FIRST", "GAP_PREVIOUS", "KPH", "LAPS"]
QUALIFYING_TAIL = ["TEAM", "CLASS", "GROUP", "DIVISION", "VEHICLE", "TIRES"]
DRIVER_PARTS = ("FIRSTNAME", "SECONDNAME", "COUNTRY", "LICENSE")

SERIES = "le-mans-series"  # the site's own ELMS series (races/demo/lms2011.py)
YEAR = 2030
ROUNDS = 6
CLASSES = ("LMP2", "LMP2 Pro-Am", "LMP3", "LMGT3")
DID_NOT_DRIVE = (("27", "Nora DIDNOT"), ("55", "Olaf NEVERDROVE"))
QUALIFYING_ONLY = ("22", "Quinn QUALIONLY")
DOUBLE_HEADER = 5  # the round run as two races


def write(columns, rows, separator=";", bom=True, trailing=True, newline="\n", spaced=False):
    """The bytes of a CSV: `columns` and `rows` (lists of cells, none holding a separator or a
    quote), the separator after every value when `trailing`, header names padded when
    `spaced`."""
    names = [f" {name} " if spaced else name for name in columns]
    end = separator if trailing else ""
    lines = [separator.join(names) + end] + [separator.join(map(str, r)) + end for r in rows]
    return ("\ufeff" if bom else "").encode() + (newline.join(lines) + newline).encode()


def time_text(seconds, hours=False):
    """`4:00'04.690` (hours), `1'36.144` or `28.869`."""
    whole, ms = divmod(round(seconds * 1000), 1000)
    minutes, secs = divmod(whole, 60)
    if hours:
        h, minutes = divmod(minutes, 60)
        return f"{h}:{minutes:02}'{secs:02}.{ms:03}"
    return f"{minutes}'{secs:02}.{ms:03}" if minutes else f"{secs}.{ms:03}"


class Car:
    """One car of a synthetic field: number, team, class (and sub-class), crew (first, LAST,
    country, licence letter)."""

    def __init__(self, number, team, car_class, crew, group="", vehicle="Oreca 07 - Gibson"):
        self.number, self.team, self.car_class, self.crew = number, team, car_class, crew
        self.group, self.vehicle = group, vehicle
        self.tyres = "G" if car_class == "LMGT3" else "M"

    @property
    def class_name(self):
        """The class in one column: "LMP2 Pro/Am" for a Pro/Am car."""
        return f"{self.car_class} Pro/Am" if self.group == "P/A" else self.car_class


def driver_cells(crew, places):
    cells = []
    for place in range(places):
        if place < len(crew):
            first, last, country, licence = crew[place]
            cells += [first, last, country, licence]
        else:
            cells += ["", "", "", ""]
    return cells


def driver_columns(places):
    return [f"DRIVER{n}_{part}" for n in range(1, places + 1) for part in DRIVER_PARTS]


def race_file(cars, laps=None, statuses=None, blocks=True, group_column=True, **options):
    """A race classification of `cars` in finish order: every car classified (or the status
    given by number in `statuses`), laps counting down from `laps`. Drivers in blocks
    (DRIVERn_FIRSTNAME…, licence included) or as DRIVER_n "First LAST"; the sub-class in GROUP
    or (group_column False) in the class name."""
    statuses = statuses or {}
    places = max(4, *(len(car.crew) for car in cars))
    drivers = driver_columns(places) if blocks else [f"DRIVER_{n}" for n in range(1, places + 1)]
    columns = [*RACE_HEAD, *drivers, *RACE_TAIL]
    laps = laps or 120
    rows, leader_time = [], 4 * 3600 + 10.0
    for place, car in enumerate(cars, start=1):
        status = statuses.get(car.number, "Classified")
        started = status.casefold() not in ("not started", "dns")
        car_laps = laps - place // 5
        total = leader_time + place * 7.25
        gap = (
            ""
            if place == 1
            else (f"{laps - car_laps} Laps" if car_laps < laps else f"{place * 7.25:.3f}")
        )
        names = (
            driver_cells(car.crew, places)
            if blocks
            else [f"{c[0]} {c[1]}" for c in car.crew] + [""] * (places - len(car.crew))
        )
        rows.append(
            [
                place if started else "",
                car.number,
                car.team,
                *names,
                car.vehicle,
                car.tyres,
                car.car_class if group_column else car.class_name,
                car.group if group_column else "",
                status,
                car_laps if started else "",
                time_text(total, hours=True) if started else "",
                gap if started else "",
                "",
                (place % 40) + 2 if started else "",
                time_text(96 + place * 0.137) if started else "",
                "183.2" if started else "",
            ]
        )
    return write(columns, rows, **options)


def qualifying_file(cars, no_time=(), **options):
    """A qualifying classification (POS, NUMBER, LAP, TIME, GAPs `+0.253` and `-`), cars in
    order, the class with its sub-class in the CLASS column; a car of `no_time` set no time."""
    places = max(4, *(len(car.crew) for car in cars))
    columns = [*QUALIFYING_HEAD, *QUALIFYING_TAIL, *driver_columns(places)]
    rows, best = [], 95.0
    timed = [car for car in cars if car.number not in no_time]
    for place, car in enumerate(timed + [c for c in cars if c.number in no_time], start=1):
        has_time = car.number not in no_time
        lap = best + (place - 1) * 0.253
        rows.append(
            [
                place,
                car.number,
                (place % 7) + 3 if has_time else "",
                time_text(lap) if has_time else "",
                "-" if place == 1 or not has_time else f"+{(place - 1) * 0.253:.3f}",
                "-" if place == 1 or not has_time else "+0.253",
                "185.1" if has_time else "",
                8 if has_time else 0,
                car.team,
                car.class_name,
                "",
                "",
                car.vehicle,
                car.tyres,
                *driver_cells(car.crew, places),
            ]
        )
    return write(columns, rows, **options)


def entry_list_file(cars, **options):
    """The timing service's entry list: number, team, drivers in blocks, car, class."""
    places = max(4, *(len(car.crew) for car in cars))
    columns = ["NUMBER", "TEAM", *driver_columns(places), "VEHICLE", "TYRES", "CLASS", "GROUP"]
    rows = [
        [
            car.number,
            car.team,
            *driver_cells(car.crew, places),
            car.vehicle,
            car.tyres,
            car.car_class,
            car.group,
        ]
        for car in cars
    ]
    return write(columns, rows, **options)


# --- the synthetic season ---------------------------------------------------------------------

FIRST = ["Anna", "Bruno", "Clara", "David", "Elena", "Felix", "Greta", "Hugo", "Ida", "Jonas"]
LAST = ["ADLER", "BRANDT", "CORTI", "DUVAL", "ERIKSEN", "FONTAINE", "GARCIA", "HOLM", "IVANOV"]
COUNTRIES = ["FRA", "GER", "GBR", "ITA", "NED", "SUI", "USA", "POR", "DEN", "ESP"]
LICENCES = ["P", "G", "S", "B"]


def season_field():
    """The 45 cars of the synthetic season: 12 LMP2 (6 Pro/Am), 15 LMP3, 18 LMGT3."""
    cars, serial = [], 0
    layout = [("LMP2", 12, 20), ("LMP3", 15, 3), ("LMGT3", 18, 50)]
    for car_class, count, first_number in layout:
        for n in range(count):
            number = str(first_number + n)
            crew = []
            for place in range(3):
                serial += 1
                first = FIRST[serial % len(FIRST)]
                last = f"{LAST[serial % len(LAST)]}{serial:03d}"
                crew.append((first, last, COUNTRIES[serial % 10], LICENCES[(serial + place) % 4]))
            group = "P/A" if car_class == "LMP2" and n >= 6 else ""
            vehicle = {"LMP2": "Oreca 07 - Gibson", "LMP3": "Ligier JS P320 - Nissan"}.get(
                car_class, "Porsche 911 GT3 R"
            )
            cars.append(Car(number, f"Team {car_class} {n + 1}", car_class, crew, group, vehicle))
    for number, name in DID_NOT_DRIVE:
        car = next(c for c in cars if c.number == number)
        first, last = name.split()
        car.crew.append((first, last, "BEL", "B"))
    return cars


def qualifying_groups(cars):
    """{file class: cars} of the per-class qualifying sessions."""
    return {
        "LMP2": [c for c in cars if c.car_class == "LMP2" and not c.group],
        "LMP2 Pro-Am": [c for c in cars if c.group == "P/A"],
        "LMP3": [c for c in cars if c.car_class == "LMP3"],
        "LMGT3": [c for c in cars if c.car_class == "LMGT3"],
    }


RACE_FILE = "09_Classification_Race_Hour 4.CSV"


def write_round(folder, number, cars, seed=0):
    """One round's folder of files as the timing service names them."""
    folder.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed * 100 + number)
    order = cars[:]
    rng.shuffle(order)
    (folder / "00_Entry List.CSV").write_bytes(entry_list_file(cars))
    (folder / "01_Classification_Free Practice 1.CSV").write_bytes(
        qualifying_file(order, separator=",", bom=False)
    )
    for index, (code, group) in enumerate(qualifying_groups(cars).items(), start=2):
        grid = sorted(group, key=lambda c: rng.random())
        if number == 1 and code == "LMP2":
            q_car = next(c for c in grid if c.number == QUALIFYING_ONLY[0])
            first, last = QUALIFYING_ONLY[1].split()
            extra = Car(
                q_car.number,
                q_car.team,
                q_car.car_class,
                [*q_car.crew, (first, last, "AUT", "S")],
                q_car.group,
                q_car.vehicle,
            )
            grid = [extra if c is q_car else c for c in grid]
        (folder / f"{index:02d}_Classification_Qualifying {code}.CSV").write_bytes(
            qualifying_file(grid)
        )
    (folder / "07_Classification_Race_Hour 2.CSV").write_bytes(race_file(order[:40]))
    (folder / "08_Classification_Le Mans Cup Race 1.CSV").write_bytes(race_file(order[:5]))
    # The timing service files the final classification in the last hour's folder, named after it.
    if number == DOUBLE_HEADER:  # two races of two hours, each its own classification
        second = order[:]
        rng.shuffle(second)
        for race, field in ((1, order), (2, second)):
            (folder / f"09_Classification_Race {race}_Hour 2.CSV").write_bytes(race_file(field))
            (folder / f"23_Analysis_Race {race}_Hour 2.CSV").write_bytes(
                lap_analysis_file(field, laps=15)
            )
        return
    (folder / RACE_FILE).write_bytes(race_file(order))
    (folder / "23_Analysis_Race_Hour 4.CSV").write_bytes(lap_analysis_file(order))


def lap_analysis_file(cars, laps=30, seconds=100):
    """The race's lap analysis: every crew member drives `laps` laps but those named in
    DID_NOT_DRIVE; each driver by name, their place in the crew as DRIVER_NUMBER."""
    from races.tests import synthetic

    absent = {(number, name) for number, name in DID_NOT_DRIVE}
    rows = [
        (car.number, place, f"{first} {last}", laps, seconds)
        for car in cars
        for place, (first, last, _country, _licence) in enumerate(car.crew, start=1)
        if (car.number, f"{first} {last}") not in absent
    ]
    return synthetic.lap_analysis(rows)


def write_season(folder, rounds=ROUNDS, seed=0):
    """The synthetic season's folder: one folder per round ("01", "02"…). Returns the field."""
    cars = season_field()
    for number in range(1, rounds + 1):
        write_round(Path(folder) / f"{number:02d}", number, cars, seed)
    return cars


def create_calendar(rounds=ROUNDS, rules=True):
    """The synthetic season's series, season, classes, circuits, events and rounds (no
    sessions: the import creates them), with championship rules when `rules`."""
    from races.models import (
        CarClass,
        ChampionshipRules,
        Circuit,
        CircuitLayout,
        Event,
        PointsScale,
        Round,
        Season,
        SeasonClass,
        Series,
    )

    series, _ = Series.objects.get_or_create(
        slug=SERIES, defaults={"name": "European Le Mans Series", "short_name": "ELMS"}
    )
    season = Season.objects.create(series=series, year=YEAR, name=f"{YEAR} European Le Mans Series")
    parents = {}
    for order, code in enumerate(CLASSES, start=1):
        parent = parents.get("LMP2") if code == "LMP2 Pro-Am" else None
        car_class, _ = CarClass.objects.get_or_create(
            code=code, defaults={"name": code, "parent": parent}
        )
        parents[code] = car_class
        SeasonClass.objects.create(season=season, car_class=car_class, order=order)
    for number in range(1, rounds + 1):
        circuit = Circuit.objects.create(
            name=f"Circuit {number}", slug=f"circuit-{YEAR}-{number}", country="FR"
        )
        layout = CircuitLayout.objects.create(
            circuit=circuit, since=dt.date(2000, 1, 1), length_km=5
        )
        day = dt.date(YEAR, 4, 1) + dt.timedelta(weeks=4 * number)
        event = Event.objects.create(
            circuit=circuit,
            layout=layout,
            name=f"4 Hours of Circuit {number}",
            slug=f"4-hours-circuit-{number}",
            first_day=day - dt.timedelta(days=2),
            last_day=day,
            status="completed",
        )
        Round.objects.create(season=season, event=event, number=number)
    if rules:
        scale = PointsScale.objects.filter(slug="elms-2015").first()
        if scale is not None:
            ChampionshipRules.objects.create(season=season, scale=scale)
    return season
