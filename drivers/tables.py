"""The sortable, paginated list of drivers (django-tables2)."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from drivers.models import Driver
from races.templatetags.racing import flag


class DriverTable(tables.Table):
    full_name = tables.Column(
        verbose_name=_("Driver"), linkify=True, order_by=("search_key", "slug")
    )
    # Read through the country's code, not the model field: for a field with choices
    # django-tables2 calls get_nationality_display(), which walks all ~250 countries per row.
    nationality = tables.Column(
        verbose_name=_("Nationality"),
        accessor="nationality.code",
        order_by=("nationality",),
        empty_values=(),
    )
    birth_date = tables.DateColumn(verbose_name=_("Born"), format="j M Y")

    class Meta:
        model = Driver
        fields = ["full_name", "nationality", "birth_date"]
        order_by = ["full_name"]
        empty_text = _("No driver matches.")

    def render_nationality(self, record):
        # The flag from the stored code; never CountryField's choices.
        return flag(record.nationality)
