"""Time the weekend import on a throwaway SQLite database: a six-round season of the files the
project writes (races/tests/timing_files.py: 45 cars, entry list, free practice, per-class
qualifying, race, and files ignored) with `import_season` alone, and a 45-car race into round
six of that season, the standings refresh included.

    .venv/bin/python bench/import_season.py [--runs 5]

Prints wall and CPU time (the process's own: steadier than wall time on a machine shared with
other work); nothing is asserted.
"""

import argparse
import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp())
    os.environ["DATABASE_URL"] = f"sqlite:///{folder / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lmsite.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)

    from races.importers import alkamel
    from races.importers.classification import run_import
    from races.models import Result, Round, Session
    from races.tests import timing_files as tf

    tf.create_calendar()
    files = folder / "season"
    tf.write_season(files)
    quiet = io.StringIO()

    def timed(function, *args):
        wall, cpu = time.perf_counter(), time.process_time()
        value = function(*args)
        return value, time.perf_counter() - wall, time.process_time() - cpu

    def season():
        call_command(
            "import_season", tf.SERIES, str(tf.YEAR), str(files), stdout=quiet, stderr=quiet
        )

    _, season_wall, season_cpu = timed(season)
    results = Result.objects.count()
    _, again_wall, again_cpu = timed(season)

    # The race of round six alone: its results removed, then imported (standings refreshed).
    race = Session.objects.get(event=Round.objects.get(number=6).event, kind="race")
    content = (files / "06" / tf.RACE_FILE).read_bytes()
    fresh, again = ([], []), ([], [])
    for _ in range(args.runs):
        Result.objects.filter(session=race).delete()
        (_plan, outcome), wall, cpu = timed(run_import, race, alkamel.parse(content))
        fresh[0].append(wall)
        fresh[1].append(cpu)
        assert outcome.counts["new results"] == 45
        _, wall, cpu = timed(run_import, race, alkamel.parse(content))
        again[0].append(wall)
        again[1].append(cpu)

    def ms(values):
        wall, cpu = values
        return (
            f"wall median {statistics.median(wall) * 1000:.0f} ms (max "
            f"{max(wall) * 1000:.0f}), CPU median {statistics.median(cpu) * 1000:.0f} ms"
        )

    print(f"six-round season, {results} results, SQLite")
    print(f"  import_season, all new:             wall {season_wall:.1f} s, CPU {season_cpu:.1f} s")
    print(f"  import_season again (nothing new):  wall {again_wall:.1f} s, CPU {again_cpu:.1f} s")
    print(f"45-car race into round six, standings refresh included, {args.runs} runs")
    print(f"  parse + plan + apply, new results:  {ms(fresh)}")
    print(f"  parse + plan + apply, re-import:    {ms(again)}")


if __name__ == "__main__":
    main()
