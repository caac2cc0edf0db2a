"""Stored standings: `refresh` recomputes a season's standings (races/standings.py) after each
round and replaces its stored tables. The pages read the stored rows only. Why stored:
docs/decisions/0008-stored-standings.md.

Nothing calls `refresh` but the write path (races/writes.py, docs/decisions/0009-one-write-path.md):
every write to racing data marks the seasons it touches, and the outermost block of writes
refreshes each of them once, in its transaction, before it advances the data version. A write
the ORM does not see calls `writes.record_change(seasons)`; `manage.py rebuild_standings`
refreshes through it too.
"""

from decimal import Decimal

from django.db import DEFAULT_DB_ALIAS, transaction
from django.utils import timezone, translation

from races.models import Season, StandingsKind, StandingsRow, StandingsTable
from races.standings import NoRules, compute, season_data

KINDS = [
    (StandingsKind.DRIVERS, "drivers"),
    (StandingsKind.TEAMS, "teams"),
    (StandingsKind.MANUFACTURERS, "manufacturers"),
]


def number(value):
    """A Decimal as stored in JSON: "15", "0.5", "-2"."""
    text = f"{Decimal(value).normalize():f}"
    return "0" if text in ("-0", "0") else text


def contender_links(key):
    """(driver id, team id, car number) of a contender key of races/standings.py:
    driver:12, team:5, car:5:39 (a team's car), car::39 (a car without team), manufacturer:…"""
    kind, _sep, rest = key.partition(":")
    if kind == "driver":
        return int(rest), None, ""
    if kind == "team":
        return None, int(rest), ""
    if kind == "car" and not rest.startswith("entry-"):
        team, _sep, car_number = rest.partition(":")
        return None, int(team) if team else None, car_number
    return None, None, ""


def stored_cell(cell):
    """A Cell as JSON: what the page shows and the reasons, in data (not in words), so that
    every language words them (races/standings_page.py)."""
    pole = any(part.kind == "pole" for part in cell.parts)
    return {
        "round": cell.round_number,
        "points": number(cell.points),
        "scored": number(cell.scored),
        "adjustment": number(cell.adjustment),
        "dropped": cell.dropped,
        "position": min(cell.positions) if cell.positions else None,
        "pole": pole,
        "parts": [stored_part(p) for p in cell.parts],
    }


def stored_part(part):
    """A Part as JSON: [kind, points, value, car], then [race, note] where either is set (a race
    of a double-header, a race factor's reason, a minimum drive time)."""
    stored = [part.kind, number(part.points), part.value, part.car]
    if part.race or part.note:
        stored += [part.race, part.note]
    return stored


def rounds_to_store(data):
    """The round numbers to store standings after: every round up to the last one run."""
    last = max((r.number for r in data.rounds if r.completed), default=0)
    return [r.number for r in data.rounds if r.number <= last]


def refresh(season, using=DEFAULT_DB_ALIAS):
    """Replace `season`'s stored standings in the database `using` by freshly computed ones
    (none for a season without rules, or before its first round): every read and write goes
    to that database. Returns the number of rows stored."""
    with transaction.atomic(using=using), translation.override("en"):
        # One refresh of a season at a time: two would both delete, then both insert.
        Season.objects.using(using).select_for_update().filter(pk=season.pk).first()
        StandingsRow.objects.using(using).filter(table__season=season.pk).delete()
        StandingsTable.objects.using(using).filter(season=season.pk).delete()
        try:
            data = season_data(season, using)
        except NoRules:
            return 0
        numbers = rounds_to_store(data)
        if not numbers:
            return 0
        with_makers = bool(data.rules.manufacturers_best_n)
        now = timezone.now()
        computed = {n: compute(data, after_round=n) for n in numbers}
        totals = {}  # (class id, kind, key) -> [(round, total)]
        for n in numbers:
            for standings in computed[n]:
                for kind, attribute in KINDS:
                    for row in getattr(standings, attribute):
                        totals.setdefault((standings.class_id, kind, row.key), []).append(
                            (n, row.total)
                        )
        tables, rows = [], []
        for n in numbers:
            for standings in computed[n]:
                for kind, attribute in KINDS:
                    if kind == StandingsKind.MANUFACTURERS and not with_makers:
                        continue
                    if kind == StandingsKind.DRIVERS and not data.rules.driver_standings:
                        continue
                    table = StandingsTable(
                        season_id=season.pk,
                        car_class_id=standings.class_id,
                        kind=kind,
                        after_round=n,
                        is_latest=n == numbers[-1],
                        rounds_left=len(standings.remaining_rounds),
                        computed_at=now,
                    )
                    tables.append(table)
                    for row in getattr(standings, attribute):
                        known = dict(totals[standings.class_id, kind, row.key])
                        progress = [[m, number(known.get(m, 0))] for m in numbers if m <= n]
                        rows.append((table, row, progress))
        StandingsTable.objects.using(using).bulk_create(tables)
        StandingsRow.objects.using(using).bulk_create(
            [stored_row(table, row, progress) for table, row, progress in rows], batch_size=500
        )
        return len(rows)


def stored_row(table, row, progress):
    driver_id, team_id, car_number = contender_links(row.key)
    return StandingsRow(
        table=table,
        position=row.position,
        key=row.key,
        name=row.name[:200],
        driver_id=driver_id,
        team_id=team_id,
        number=car_number,
        total=row.total,
        max_reachable=row.max_reachable,
        can_still_win=row.can_still_win,
        cells=[stored_cell(cell) for cell in row.cells],
        progression=progress,
    )
