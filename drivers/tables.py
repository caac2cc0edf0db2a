"""The sortable, paginated list of drivers (django-tables2)."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from drivers.models import Driver


class DriverTable(tables.Table):
    """The columns give the headers and the sort orders; each row is drawn by the table's
    template (templates/drivers/driver_table.html) from the driver itself. django-tables2's own
    cells cost some 100 µs each on this 50-row page (a column of choices such as the
    nationality even asks its ~250 countries for every row): see
    docs/decisions/0011-career-and-standings-templates.md."""

    full_name = tables.Column(verbose_name=_("Driver"), order_by=("search_key", "slug"))
    nationality = tables.Column(verbose_name=_("Nationality"))
    birth_date = tables.Column(verbose_name=_("Born"))

    class Meta:
        model = Driver
        fields = ["full_name", "nationality", "birth_date"]
        order_by = ["full_name"]
        empty_text = _("No driver matches.")
        template_name = "drivers/driver_table.html"
