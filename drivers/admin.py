from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import FieldDoesNotExist
from django.db import connection, models
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from drivers.models import Driver
from drivers.names import fold


def parse_id(value, field):
    """`value` (text from a URL) as a value of the integer field `field`, or None when it is
    not one: not made of decimal digits ("abc", "²"), or out of the database's range."""
    value = str(value)
    if not value.isdecimal():
        return None
    number = int(value)
    low, high = connection.ops.integer_field_range(field.get_internal_type())
    return number if (low is None or number >= low) and (high is None or number <= high) else None


class GuardedAdmin(SimpleHistoryAdmin):
    """The base of every admin. An id in a URL that is not an id (`abc`, `²`, a number too
    large for the database) is a 404 on the history pages and is ignored in an add form's
    URL (`?circuit=…`), instead of an error 500."""

    def history_view(self, request, object_id, extra_context=None):
        if parse_id(unquote(object_id), self.model._meta.pk) is None:
            raise Http404
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        history = getattr(self.model, self.model._meta.simple_history_manager_attribute)
        if (
            parse_id(unquote(object_id), self.model._meta.pk) is None
            or parse_id(version_id, history.model._meta.pk) is None
        ):
            raise Http404
        return super().history_form_view(request, object_id, version_id, extra_context)

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        for name, value in list(initial.items()):
            try:
                field = self.model._meta.get_field(name)
            except FieldDoesNotExist:
                continue
            target = getattr(field, "target_field", None)
            integer_key = field.many_to_one and isinstance(target, models.IntegerField)
            if integer_key and parse_id(value, target) is None:
                del initial[name]
        return initial


class FoldedSearchMixin:
    """Search the stored search key, so that "perez" finds "Pérez" on every database."""

    search_help_text = _("Accents and case are ignored.")

    def get_search_results(self, request, queryset, search_term):
        if "\x00" in search_term:  # no name holds one, and PostgreSQL refuses it in a query
            return queryset.none(), False
        if not search_term.strip():
            return queryset, False
        return queryset.filter(search_key__contains=fold(search_term)), False


@admin.register(Driver)
class DriverAdmin(FoldedSearchMixin, GuardedAdmin):
    list_display = [
        "full_name",
        "title",
        "first_name_known",
        "nationality",
        "birth_date",
        "birth_year",
        "death_date",
        "death_year",
        "slug",
    ]
    list_filter = ["first_name_known", "nationality"]
    search_fields = ["search_key"]
    prepopulated_fields = {"slug": ["full_name"]}
    fields = [
        ("title", "full_name"),
        ("first_name", "last_name", "first_name_known"),
        "slug",
        "nationality",
        ("birth_date", "birth_year", "birth_place"),
        ("death_date", "death_year"),
        "facts_source",
        "facts_note",
        "bio",
    ]
