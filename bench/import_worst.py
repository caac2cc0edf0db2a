"""Time the classification import on the worst files of about 2 MB: parse, plan and import
each one (run_import, rolled back), against a copy of the full demo data (SQLite), and print the
seconds per file.

    .venv/bin/python bench/import_worst.py [--runs 3]

Every file is either refused by a limit (races/importers/alkamel.py: size, lines, columns, line
length, rows, driver places, names) or imported; the goal is under 2 s for each. Nothing is
asserted.
"""

import argparse
import contextlib
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SIZE = 2 * 1024 * 1024 - 4096  # just under the 2 MB a file may have
HEADER = (
    "POSITION;NUMBER;TEAM;DRIVER_1;DRIVER_2;DRIVER_3;DRIVER_4;VEHICLE;TYRES;CLASS;STATUS;LAPS;"
    "TOTAL_TIME;GAP_FIRST;GAP_PREVIOUS;FL_LAPNUM;FL_TIME;FL_KPH;"
)
# Surnames many drivers of the demo data share: every name is a near spelling to weigh.
SURNAMES = ["SMITH", "BROWN", "MARTIN", "BERNARD", "DUMAS", "ROSSI", "COLLARD", "MÜLLER", "HILL"]
SURNAMES.append("KAFFER")


def fill(unit, size=SIZE):
    return unit * (size // len(unit))


def row(n, drivers, team="Team", width=0):
    """A car with `drivers` (;-joined) and a team name padded to `width`."""
    team = (team + " " + "x" * width)[: max(width, len(team))]
    return (
        f"{n};{n};{team};{drivers};Oreca 07 - Gibson;M;LMP2;Classified;{300 - n};"
        f"6:00'{n % 60:02}.123;{n} Laps;1 Laps;{n};1'40.{n:03};180.0;"
    )


def files():
    """(name, bytes) of the hostile files."""
    out = []
    out.append(("40,000+ columns of one name", fill("POSITION;").encode()))
    out.append(
        (
            "distinct columns (C1;C2;…) to 2 MB",
            ";".join(f"C{n}" for n in range(300_000)).encode()[:SIZE],
        )
    )
    out.append(("one line of 2 MB", (HEADER + "\n" + fill("x;", SIZE - 200)).encode()))
    out.append(("2 MB of empty lines", fill("\n").encode()))
    out.append(("2 MB of `;` lines", (HEADER + "\n" + fill(";\n", SIZE - 200)).encode()))
    small = [row(n % 999 + 1, "A B;;;") for n in range(200_000)]
    out.append(("200,000 short rows", ("\n".join([HEADER, *small])[:SIZE]).encode()))
    quoted = '1;"' + '""' * (SIZE // 2 - 20) + '";'
    out.append(("one quoted field of doubled quotes", (HEADER + "\n" + quoted).encode()))
    multiline = '1;"' + ("a" * 3990 + "\n") * 240 + '";'
    out.append(("a quoted field over 240 long lines", (HEADER + "\n" + multiline).encode()))
    semicolons = "\n".join([HEADER, *[";" * 3999] * 520])
    out.append(("520 lines of 3,999 `;`", semicolons.encode()))
    # Near the limits: 100 columns (DRIVER_0…7 and the IMSA blocks, unknown ones), 120 cars,
    # lines near 4,000 characters, 8 drivers a car whose surnames all share a word and a near
    # spelling, so that every name is compared with many others (refused: 960 names).
    places = range(8)
    blocks = [f"DRIVER{p}_FIRSTNAME;DRIVER{p}_SECONDNAME;DRIVER{p}_COUNTRY" for p in places[:8]]
    wide_header = (
        "POSITION;NUMBER;TEAM;"
        + ";".join(f"DRIVER_{p}" for p in places)
        + ";VEHICLE;TYRES;CLASS;STATUS;LAPS;TOTAL_TIME;GAP_FIRST;GAP_PREVIOUS;FL_LAPNUM;"
        + "FL_TIME;FL_KPH;"
        + ";".join(blocks)
        + ";"
        + ";".join(f"UNKNOWN_{n}" for n in range(100 - 3 - 8 - 11 - 24))
        + ";"
    )
    wide_rows = []
    for n in range(1, 121):
        names = ";".join(f"Pierr{chr(97 + n % 26)} {SURNAMES[p]}" for p in places)
        blocks_values = ";".join(f"Jean{n}{p};DUPONTEL{n}{p};FRA" for p in places[:8])
        team = f"Pecom Racing {n}." + " Team" * 28
        values = (
            f"{n};{n};{team};{names};Lola B12/80 - Judd;M;LMP2;Classified;{400 - n};"
            f"6:00'{n % 60:02}.123;{n} Laps;1 Laps;{n};1'40.{n:03};180.0;{blocks_values};"
        )
        unknown = "u" * (3990 - len(values) - 24)
        wide_rows.append(values + ";" * 23 + unknown + ";")
    wide = "\n".join([wide_header, *wide_rows, *[";" * 3990] * 270])
    out.append(("120 cars × 8 drivers, 100 columns, long lines, `;` lines", wide))
    capitals = " ".join(["ABCDEFGHIJKLMNOPQRSTUVWXYZ" * 7 + "a"] * 1)[:199]
    caps_rows = [row(n, f"{capitals};{capitals};;") for n in range(1, 121)]
    out.append(("120 cars of two 199-character capital names", "\n".join([HEADER, *caps_rows])))
    # Driver places and names: each new name is a driver to write.
    out.append(("94 DRIVER_n columns (Unicode digits) × 120 cars", driver_columns(94)))
    out.append(("9 driver places × 120 cars", driver_columns(9)))
    rng = random.Random(12)
    words = [
        "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(9)) for _ in range(500)
    ]

    def crews(per_car):
        """120 cars of `per_car` new names each (4 places)."""
        return [
            row(
                n,
                ";".join(
                    [
                        f"{words[n * 4 + p].title()} {words[n * 4 + p + 1].upper()}"
                        for p in range(per_car)
                    ]
                    + [""] * (4 - per_car)
                ),
            )
            for n in range(1, 121)
        ]

    out.append(("120 cars × 4 new names (480)", "\n".join([HEADER, *crews(4)])))
    worst = crews(3)[:100] + crews(0)[100:]  # 300 new names, the most a file may have
    out.append(("120 cars, 300 new names (the limit)", "\n".join([HEADER, *worst])))
    return [(name, c if isinstance(c, bytes) else c.encode()) for name, c in out]


def driver_columns(count):
    """A header of `count` driver columns (DRIVER_0…9, then other Unicode digits) and 120 cars
    of random names in each."""
    digits = [chr(c) for c in range(0x110000) if chr(c).isdecimal()][:count]
    header = (
        "POSITION;NUMBER;TEAM;" + ";".join(f"DRIVER_{d}" for d in digits) + ";CLASS;STATUS;LAPS;"
    )
    rng = random.Random(count)

    def name():
        return "".join(rng.choice("abcdefghij") for _ in range(6)).title() + " SMITH"

    cars = [
        f"{n};{n};T;" + ";".join(name() for _ in digits) + f";LMP2;Classified;{200 - n};"
        for n in range(1, 121)
    ]
    return "\n".join([header, *cars])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp())
    shutil.copy(ROOT / "db.sqlite3", folder / "bench.sqlite3")
    os.environ["DATABASE_URL"] = f"sqlite:///{folder / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lmsite.settings")
    import django

    django.setup()
    from django.db import transaction

    from races.importers import alkamel
    from races.importers.classification import ImportFailed, make_plan, run_import
    from races.models import Session

    session = (
        Session.objects.filter(
            event__rounds__season__series__slug="le-mans-series",
            event__rounds__season__year=2011,
            event__rounds__number=3,
            kind="race",
        )
        .distinct()
        .get()
    )
    print(f"parse + plan, then import, into {session.event} – {session}, median of {args.runs}")
    for name, content in files():
        times, imports = [], []
        for _ in range(args.runs):
            started = time.perf_counter()
            parsed = alkamel.parse(content)
            plan = make_plan(session, parsed)
            times.append(time.perf_counter() - started)
            if parsed.rows and not plan.blocking:
                started = time.perf_counter()
                with transaction.atomic():
                    with contextlib.suppress(ImportFailed):  # counted: it did the work
                        run_import(session, parsed)
                    transaction.set_rollback(True)
                imports.append(time.perf_counter() - started)
        if parsed.errors and not parsed.rows:
            outcome = f"refused: {str(parsed.errors[0])[:70]}"
        else:
            outcome = f"planned: {len(plan.rows)} cars, {len(plan.errors)} plan errors"
            if plan.errors:
                outcome += f" ({str(plan.errors[0])[:50]}…)"
        if imports:
            outcome += f"; run_import {statistics.median(imports):.3f} s"
        print(f"{statistics.median(times):7.3f} s  {len(content):>9,} B  {name}\n{'':21}{outcome}")
    shutil.rmtree(folder)


if __name__ == "__main__":
    main()
