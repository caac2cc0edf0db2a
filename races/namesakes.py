"""The years shown beside a name that several drivers bear (decision 0012).

Two people may be entered under one name: the Horst Felbermayr Sr. who died in 2020 and the
one of the 2026 crew, the Bob Johnsons of 1965–1967 and of 1972–1973. A list that shows only
the name cannot tell them apart, so each such driver stores the first and last year he was
entered (`Driver.namesake_first_year`, `namesake_last_year`) and every page shows them beside
his name: "Bob Johnson (1965–1967)". Names are shared when they read the same ignoring case and
accents (the search key: "Ricardo Rodríguez" and the 1969 "Ricardo Rodriguez").

They are derived data: `refresh` runs when a `changes()` block that wrote drivers, events,
entries or crews ends (races/writes.py), so the pages read them with the driver at no cost.
"""

from django.db.models import BooleanField, Count, ExpressionWrapper, Max, Min, Q
from django.db.models.functions import ExtractYear

from drivers.models import Driver
from races.models import Crew


def spans(crews):
    """{driver id: (first year, last year)} of the crews' events."""
    found = (
        crews.order_by()
        .values("driver_id")
        .annotate(
            first=Min(ExtractYear("entry__event__last_day")),
            last=Max(ExtractYear("entry__event__last_day")),
        )
        .values_list("driver_id", "first", "last")
    )
    return {driver_id: (first, last) for driver_id, first, last in found}


def refresh(using):
    """Store the years of every driver whose name another driver bears, and clear them where
    no other does any more; only the rows that change are written."""
    drivers = Driver.objects.using(using)
    shared = (
        drivers.order_by()
        .values("search_key")
        .annotate(bearers=Count("pk"))
        .filter(bearers__gt=1)
        .values("search_key")
    )
    in_shared = Q(search_key__in=shared)
    stored = list(
        drivers.filter(in_shared | Q(namesake_first_year__isnull=False))
        .annotate(is_shared=ExpressionWrapper(in_shared, output_field=BooleanField()))
        .values_list("pk", "is_shared", "namesake_first_year", "namesake_last_year")
    )
    bearers = [pk for pk, is_shared, _first, _last in stored if is_shared]
    years = spans(Crew.objects.using(using).filter(driver_id__in=bearers)) if bearers else {}
    changed = []
    for pk, is_shared, first, last in stored:
        wanted = years.get(pk, (None, None)) if is_shared else (None, None)
        if (first, last) != wanted:
            changed.append(
                Driver(pk=pk, namesake_first_year=wanted[0], namesake_last_year=wanted[1])
            )
    if changed:
        drivers.bulk_update(changed, ["namesake_first_year", "namesake_last_year"])
