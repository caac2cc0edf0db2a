"""`manage.py rebuild_standings [<series> <year>]`: recompute the stored standings of one season,
or of every season with championship rules, through the write path (races/writes.py): in one
transaction that also advances the data version."""

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Count, Q

from races import writes
from races.models import Season


class Command(BaseCommand):
    help = (
        "Recompute and store the standings after every round of a season (default: of every "
        "season with championship rules)."
    )

    def add_arguments(self, parser):
        parser.add_argument("series", nargs="?", help="The series slug, e.g. le-mans-series.")
        parser.add_argument("year", nargs="?", type=int)

    def handle(self, series=None, year=None, **options):
        if (series is None) != (year is None):
            raise CommandError("Give both the series and the year, or neither.")
        seasons = Season.objects.select_related("series").order_by("series__name", "year")
        if series is not None:
            seasons = seasons.filter(series__slug=series, year=year)
            if not seasons.exists():
                raise CommandError(f"No season {year} of the series “{series}”.")
        else:
            # and those with stored standings but no rules any more, whose tables go
            seasons = seasons.filter(Q(rules__isnull=False) | Q(standings__isnull=False)).distinct()
        seasons = list(seasons)
        writes.record_change(seasons)
        stored = Season.objects.filter(pk__in=[s.pk for s in seasons]).annotate(
            rows=Count("standings__rows")
        )
        rows = dict(stored.values_list("pk", "rows"))
        for season in seasons:
            self.stdout.write(f"{season}: {rows[season.pk]} standings lines stored.")
