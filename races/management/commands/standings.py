"""`manage.py standings <series> <year> [--class CODE] [--after-round N] [--format table|csv]`."""

from decimal import Decimal

from django.core.management.base import BaseCommand, CommandError

from races.importers import cells as csv_cells
from races.models import Season
from races.standings import NoRules, compute, season_data

KINDS = [("drivers", "Drivers"), ("teams", "Teams"), ("manufacturers", "Manufacturers")]


def number(value: Decimal) -> str:
    """15.00 -> 15, 0.50 -> 0.5, -2.00 -> -2."""
    text = f"{value.normalize():f}"
    return "0" if text in ("-0", "0") else text


def reachable(value: Decimal | None) -> str:
    """The most a contender can reach, or "open" while a round's races are not known."""
    return "open" if value is None else number(value)


def signed(value: Decimal) -> str:
    return ("+" if value >= 0 else "") + number(value)


def describe(cell):
    return "; ".join(
        f"{part.detail} {signed(part.points)}" if part.points else part.detail
        for part in cell.parts
    )


class Command(BaseCommand):
    help = "Print a season's championship standings, by class: drivers, teams, manufacturers."

    def add_arguments(self, parser):
        parser.add_argument("series", help="The series slug, e.g. le-mans-series.")
        parser.add_argument("year", type=int)
        parser.add_argument("--class", dest="class_code", help="Only this class (its code).")
        parser.add_argument(
            "--after-round", type=int, help="Standings after this round (default: the last run)."
        )
        parser.add_argument("--format", choices=["table", "csv"], default="table")
        parser.add_argument(
            "--explain", action="store_true", help="Table: the reason for every round's points."
        )

    def handle(self, series, year, class_code=None, after_round=None, **options):
        season = (
            Season.objects.select_related("series").filter(series__slug=series, year=year).first()
        )
        if season is None:
            raise CommandError(f"No season {year} of the series “{series}”.")
        try:
            data = season_data(season)
        except NoRules as error:
            raise CommandError(str(error)) from error
        numbers = [r.number for r in data.rounds]
        if after_round is not None and after_round not in numbers:
            raise CommandError(f"{season} has no round {after_round} (rounds: {numbers}).")
        codes = [c.code for c in data.classes]
        if class_code is not None and class_code not in codes:
            raise CommandError(f"{season} runs no class “{class_code}” (classes: {codes}).")
        standings = compute(data, after_round=after_round, class_code=class_code)
        if options["format"] == "csv":
            self.write_csv(data, standings)
        else:
            self.write_table(data, standings, options["explain"])

    def notice(self, data):
        if data.is_complete:
            return ""
        return (
            "Notice: the results of this season are not all on record, so these standings "
            "count only the results that are."
        )

    def write_table(self, data, standings, explain):
        rounds = [r.number for r in data.rounds]
        after = standings[0].after_round if standings else 0
        on_record = ", ".join(str(n) for n in rounds)
        self.stdout.write(f"{data.name}: standings after round {after} (rounds {on_record})")
        if notice := self.notice(data):
            self.stdout.write(notice)
        for class_standings in standings:
            remaining = bool(class_standings.remaining_rounds)
            for attribute, title in KINDS:
                rows = getattr(class_standings, attribute)
                if not rows:
                    if attribute == "manufacturers" and data.rules.manufacturers_best_n:
                        self.stdout.write(
                            f"\n{class_standings.code}: {title}: no scoring car's manufacturer "
                            "is on record."
                        )
                    continue
                self.stdout.write(f"\n{class_standings.code}: {title}")
                shown = [n for n in rounds if n <= after]
                width = max(4, *(len(row.name) for row in rows))
                head = f"{'Pos':>3}  {'Name':<{width}}" + "".join(
                    f"{'R' + str(n):>7}" for n in shown
                )
                head += f"{'Total':>8}"
                if remaining:
                    head += f"{'Most':>7}  Can win"
                self.stdout.write(head)
                notes = []
                for row in rows:
                    cells = {c.round_number: c for c in row.cells}
                    line = f"{row.position:>3}  {row.name:<{width}}"
                    for n in shown:
                        line += f"{self.cell_text(cells.get(n)):>7}"
                    line += f"{number(row.total):>8}"
                    if remaining:
                        can_win = "yes" if row.can_still_win else "no"
                        line += f"{reachable(row.max_reachable):>7}  {can_win}"
                    self.stdout.write(line.rstrip())
                    for cell in row.cells:
                        if explain or cell.adjustment:
                            notes.append(
                                f"  {row.name}, round {cell.round_number}: {describe(cell)}"
                            )
                for note in notes:
                    self.stdout.write(note)
        self.stdout.write(
            "\n(n) dropped under best-N; * includes an adjustment; ties split by countback."
        )

    def cell_text(self, cell):
        if cell is None:
            return "-"
        text = number(cell.scored + cell.adjustment)
        if cell.dropped:
            text = f"({number(cell.scored)})" + (signed(cell.adjustment) if cell.adjustment else "")
        return text + ("*" if cell.adjustment else "")

    def write_csv(self, data, standings):
        rounds = [r.number for r in data.rounds]
        writer = csv_cells.writer(self.stdout, lineterminator="\n")
        if notice := self.notice(data):
            writer.writerow([f"# {notice}"])
        writer.writerow(
            ["class", "kind", "position", "key", "name"]
            + [f"R{n}" for n in rounds]
            + ["total", "countback", "max_reachable", "can_still_win", "reasons"]
        )
        for class_standings in standings:
            for attribute, _title in KINDS:
                for row in getattr(class_standings, attribute):
                    cells = {c.round_number: c for c in row.cells}
                    writer.writerow(
                        [class_standings.code, row.kind, row.position, row.key, row.name]
                        + [number(cells[n].points) if n in cells else "" for n in rounds]
                        + [
                            number(row.total),
                            "-".join(str(n) for n in row.countback),
                            "" if row.max_reachable is None else number(row.max_reachable),
                            "yes" if row.can_still_win else "no",
                            " | ".join(f"R{c.round_number}: {describe(c)}" for c in row.cells),
                        ]
                    )
