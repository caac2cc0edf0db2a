"""Sortable, paginated lists of teams and circuits (django-tables2).

The long result tables of a round are a plain template: templates/races/round_detail.html.
"""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _
from django_tables2 import RequestConfig

from races.models import Circuit, Team
from races.templatetags.racing import flag


def country_column():
    """A country column read through the country's code, not the model field: for a field with
    choices django-tables2 calls `get_country_display()` and reads the CountryField's choices,
    all ~250 countries, on every row. The cell is the flag (`render_country`); sorting stays by
    the stored code."""
    return tables.Column(
        verbose_name=_("Country"), accessor="country__code", order_by=("country",), empty_values=()
    )


class TeamTable(tables.Table):
    name = tables.Column(verbose_name=_("Team"), linkify=True, order_by=("search_key", "slug"))
    country = country_column()
    entry_count = tables.Column(verbose_name=_("Entries"), attrs={"td": {"class": "num"}})

    class Meta:
        model = Team
        fields = ["name", "country", "entry_count"]
        order_by = ["name"]
        empty_text = _("No team yet.")

    def render_country(self, record):
        return flag(record.country)  # from the stored code; never the field's choices


class CircuitTable(tables.Table):
    name = tables.Column(verbose_name=_("Circuit"), linkify=True)
    place = tables.Column(verbose_name=_("Place"))
    country = country_column()
    event_count = tables.Column(verbose_name=_("Events"), attrs={"td": {"class": "num"}})

    class Meta:
        model = Circuit
        fields = ["name", "place", "country", "event_count"]
        order_by = ["name"]
        empty_text = _("No circuit yet.")

    def render_country(self, record):
        return flag(record.country)  # from the stored code; never the field's choices


PER_PAGE = 50


def configure_list(request, table):
    """Sort and page a list table from the request. The page size is the site's own: a reader's
    `per_page` (negative, or all 4,000 drivers at once) would break or stall the page."""
    if "per_page" in request.GET:
        query = request.GET.copy()
        del query["per_page"]
        request.GET = query
    RequestConfig(request, paginate={"per_page": PER_PAGE}).configure(table)
    return table
