"""Time the classification import on the worst files of about 2 MB: parse and plan each one,
against a copy of the full demo data (SQLite), and print the seconds per file.

    .venv/bin/python bench/import_worst.py [--runs 3]

Every file is either refused by a limit (races/importers/alkamel.py: size, lines, columns, line
length, rows) or parsed and planned; the goal is under 2 s for each. Nothing is asserted.
"""

import argparse
import os
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
    # Accepted: the limits at their largest. 100 columns (DRIVER_0…9 and the IMSA blocks, 50
    # unknown ones), 250 cars, lines near 4,000 characters, 10 drivers a car whose surnames
    # all share a word and a near spelling, so that every name is compared with many others.
    places = range(10)
    blocks = [f"DRIVER{p}_FIRSTNAME;DRIVER{p}_SECONDNAME;DRIVER{p}_COUNTRY" for p in places[:8]]
    wide_header = (
        "POSITION;NUMBER;TEAM;"
        + ";".join(f"DRIVER_{p}" for p in places)
        + ";VEHICLE;TYRES;CLASS;STATUS;LAPS;TOTAL_TIME;GAP_FIRST;GAP_PREVIOUS;FL_LAPNUM;"
        + "FL_TIME;FL_KPH;"
        + ";".join(blocks)
        + ";"
        + ";".join(f"UNKNOWN_{n}" for n in range(100 - 3 - 10 - 11 - 24))
        + ";"
    )
    wide_rows = []
    for n in range(1, 251):
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
    out.append(("250 cars × 18 drivers, 100 columns, long lines, `;` lines", wide))
    capitals = " ".join(["ABCDEFGHIJKLMNOPQRSTUVWXYZ" * 7 + "a"] * 1)[:199]
    caps_rows = [row(n, f"{capitals};{capitals};{capitals};{capitals}") for n in range(1, 251)]
    out.append(("250 cars of 199-character capital names", "\n".join([HEADER, *caps_rows])))
    return [(name, c if isinstance(c, bytes) else c.encode()) for name, c in out]


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
    from races.importers import alkamel
    from races.importers.classification import make_plan
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
    print(f"parse + plan into {session.event} – {session}, median of {args.runs} runs")
    for name, content in files():
        times = []
        for _ in range(args.runs):
            started = time.perf_counter()
            parsed = alkamel.parse(content)
            plan = make_plan(session, parsed)
            times.append(time.perf_counter() - started)
        if parsed.errors and not parsed.rows:
            outcome = f"refused: {str(parsed.errors[0])[:70]}"
        else:
            outcome = f"planned: {len(plan.rows)} cars, {len(plan.errors)} plan errors"
            if plan.errors:
                outcome += f" ({str(plan.errors[0])[:50]}…)"
        print(f"{statistics.median(times):7.3f} s  {len(content):>9,} B  {name}\n{'':21}{outcome}")
    shutil.rmtree(folder)


if __name__ == "__main__":
    main()
