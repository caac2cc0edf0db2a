"""The admin site of lmsite: named after the site (not "Django administration"), an index that
offers the next event to enter, and autocomplete labels that a model's admin may make more
telling than `__str__` (which never follows a foreign key): `autocomplete_label(obj)`, read
from the admin's own queryset, which selects what the label needs."""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.contrib.admin.views.autocomplete import AutocompleteJsonView
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class LabelledAutocompleteJsonView(AutocompleteJsonView):
    def serialize_result(self, obj, to_field_name):
        result = super().serialize_result(obj, to_field_name)
        label = getattr(self.model_admin, "autocomplete_label", None)
        if label is not None:
            result["text"] = label(obj)
        return result


class EditorsAdminSite(admin.AdminSite):
    site_header = _("lmsite editors")
    site_title = _("lmsite editors")
    index_title = _("Le Mans data")

    def index(self, request, extra_context=None):
        from races.editors_desk import desk_events

        if request.user.has_perm("races.change_event"):
            extra_context = {
                **(extra_context or {}),
                "desk_events": desk_events(timezone.localdate()),
            }
        return super().index(request, extra_context)

    def autocomplete_view(self, request):
        return LabelledAutocompleteJsonView.as_view(admin_site=self)(request)


class EditorsAdminConfig(AdminConfig):
    default_site = "lmsite.admin_site.EditorsAdminSite"
