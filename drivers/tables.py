"""The columns of the drivers' sortable, paginated list (races/tables.py draws lists)."""

from django.utils.translation import gettext_lazy as _

from races.tables import Column

DRIVER_COLUMNS = (
    Column("full_name", _("Driver"), ("search_key", "slug")),
    Column("nationality", _("Nationality"), ("nationality",)),
    Column("birth_date", _("Born"), ("birth_date",)),
)
