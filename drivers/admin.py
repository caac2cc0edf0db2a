from axes.admin import AccessAttemptAdmin, AccessFailureLogAdmin, AccessLogAdmin
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group, User
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from drivers.models import DriverRedirect
from drivers.names import fold
from lmsite.admin_conflicts import ConflictGuardMixin
from lmsite.admin_fields import EditorFieldsMixin
from lmsite.admin_guard import QueryGuardMixin, parse_id
from lmsite.admin_history import HistoryInWordsMixin

__all__ = ["DriverAdmin", "FoldedSearchMixin", "GuardedAdmin", "parse_id"]


class GuardedAdmin(
    ConflictGuardMixin, EditorFieldsMixin, HistoryInWordsMixin, QueryGuardMixin, SimpleHistoryAdmin
):
    """The base of every admin. A change form and its inline rows refuse a save over someone
    else's change they did not see (lmsite/admin_conflicts.py). An id in a URL that is not an
    id (`abc`, `²`, a number too large for the database) is a 404 on the history pages and is
    ignored in an add form's URL (`?circuit=…`), instead of an error 500; every query-string
    value is guarded (lmsite/admin_guard.py). Countries are typed, dates warn of no time zone
    (lmsite/admin_fields.py); history reads in words (lmsite/admin_history.py)."""

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


class FoldedSearchMixin:
    """Search the stored search key, so that "perez" finds "Pérez" on every database."""

    search_help_text = _("Accents and case are ignored.")

    def get_search_results(self, request, queryset, search_term):
        if "\x00" in search_term:  # no name holds one, and PostgreSQL refuses it in a query
            return queryset.none(), False
        if not search_term.strip():
            return queryset, False
        return queryset.filter(search_key__contains=fold(search_term)), False


class DriverAdmin(FoldedSearchMixin, GuardedAdmin):
    """The drivers' admin: races/admin.py registers it with its racing half (the entries of a
    driver, merge and split, the write path's block around every POST), which drivers cannot
    import (docs/decisions/0022-merge-and-split.md)."""

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


@admin.register(DriverRedirect)
class DriverRedirectAdmin(GuardedAdmin):
    """Old addresses of merged drivers (races/merging.py writes them); deleting one lets the
    old address answer 404 again."""

    list_display = ["old_slug", "old_name", "driver", "created_at"]
    list_select_related = ["driver"]
    search_fields = ["old_slug", "old_name", "driver__search_key"]
    autocomplete_fields = ["driver"]


# The admins of users, groups and login attempts get the same query-string guards.
class GuardedUserAdmin(QueryGuardMixin, UserAdmin):
    pass


class GuardedGroupAdmin(QueryGuardMixin, GroupAdmin):
    pass


class GuardedAccessAttemptAdmin(QueryGuardMixin, AccessAttemptAdmin):
    pass


class GuardedAccessLogAdmin(QueryGuardMixin, AccessLogAdmin):
    pass


class GuardedAccessFailureLogAdmin(QueryGuardMixin, AccessFailureLogAdmin):
    pass


admin.site.unregister([User, Group])
admin.site.register(User, GuardedUserAdmin)
admin.site.register(Group, GuardedGroupAdmin)
if admin.site.is_registered(AccessAttempt):  # AXES_ENABLE_ADMIN (on by default)
    admin.site.unregister([AccessAttempt, AccessLog, AccessFailureLog])
    admin.site.register(AccessAttempt, GuardedAccessAttemptAdmin)
    admin.site.register(AccessLog, GuardedAccessLogAdmin)
    admin.site.register(AccessFailureLog, GuardedAccessFailureLogAdmin)
