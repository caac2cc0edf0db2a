from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from drivers.models import Driver
from drivers.names import fold


class FoldedSearchMixin:
    """Search the stored search key, so that "perez" finds "Pérez" on every database."""

    search_help_text = _("Accents and case are ignored.")

    def get_search_results(self, request, queryset, search_term):
        if not search_term.strip():
            return queryset, False
        return queryset.filter(search_key__contains=fold(search_term)), False


@admin.register(Driver)
class DriverAdmin(FoldedSearchMixin, SimpleHistoryAdmin):
    list_display = ["full_name", "nationality", "birth_date", "death_date", "slug"]
    list_filter = ["nationality"]
    search_fields = ["search_key"]
    prepopulated_fields = {"slug": ["full_name"]}
    fields = [
        "full_name",
        "first_name",
        "last_name",
        "slug",
        "nationality",
        ("birth_date", "birth_place"),
        "death_date",
        "bio",
    ]
