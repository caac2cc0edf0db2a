"""Fields that every editing screen of the admin shares.

- A country (a team's, a circuit's, a driver's nationality) is typed, not picked from a list of
  about 250 options: a text box with the country names as suggestions (an HTML datalist: the
  browser filters them as the editor types, no script, nothing for the CSP to allow). The admin's
  own autocomplete needs a model with its admin to search, and countries are no model here
  (django-countries). The box takes a name in the editor's language or in English, or the code.
- A date without a time (an event's days, a birth date) does not warn about time zones: Django's
  calendar script warns beside every date field, which only a date and time needs
  (static/js/admin-date-only.js).
"""

from django import forms
from django.contrib.admin.widgets import AdminDateWidget
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import translation
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from django_countries.fields import CountryField

from drivers.names import fold


def country_codes():
    """{folded name or code: code} for the names in the active language and in English."""
    found = {}
    for language in ("en", translation.get_language()):
        with translation.override(language):
            for code, name in countries:
                found.setdefault(fold(str(name)), code)
    for code, _name in countries:
        found[fold(code)] = code
    return found


class CountryNameInput(forms.TextInput):
    template_name = "lmsite/widgets/country_input.html"

    def format_value(self, value):
        code = str(value or "")
        return str(dict(countries).get(code.upper(), code)) if code else None

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget = context["widget"]
        widget["attrs"]["list"] = f"{widget['attrs'].get('id') or 'id_' + name}_countries"
        widget["attrs"]["autocomplete"] = "off"
        widget["country_names"] = [str(name) for _code, name in countries]
        return context


class CountryNameField(forms.CharField):
    widget = CountryNameInput
    default_error_messages = {
        "unknown": _("“%(value)s” is not a country known here: choose one of the suggestions."),
    }

    def to_python(self, value):
        text = super().to_python(value)
        if not text:
            return ""
        code = country_codes().get(fold(text))
        if code is None:
            raise ValidationError(
                self.error_messages["unknown"], code="unknown", params={"value": text}
            )
        return code

    def has_changed(self, initial, data):
        try:
            return str(initial or "") != self.to_python(data)
        except ValidationError:
            return True


class DateOnlyWidget(AdminDateWidget):
    class Media:
        # One list, so that the script comes after DateTimeShortcuts.js, which it changes
        # (Django keeps the order within a list, not across the lists it merges).
        extend = False
        js = [
            "admin/js/calendar.js",
            "admin/js/admin/DateTimeShortcuts.js",
            "js/admin-date-only.js",
        ]

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        context["widget"]["attrs"].pop("aria-describedby", None)  # no time zone warning
        context["widget"]["attrs"]["data-date-only"] = ""
        return context


class EditorFieldsMixin:
    """For a ModelAdmin or an inline: countries typed with suggestions, dates without a time
    zone warning."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if isinstance(db_field, CountryField):
            return CountryNameField(
                required=not db_field.blank,
                label=capfirst(db_field.verbose_name),
                help_text=db_field.help_text
                or _("Type a few letters of the name and choose a suggestion."),
            )
        if type(db_field) is models.DateField:  # not a DateTimeField, which subclasses it
            kwargs["widget"] = DateOnlyWidget
        return super().formfield_for_dbfield(db_field, request, **kwargs)
