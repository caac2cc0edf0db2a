"""The admin's history pages in words: a change reads "Nationality: France → Germany",
"Status: Retired → Classified", a driver by name, never a code or an id; and a save that
changes nothing writes no history record."""

import datetime as dt

from django.utils import formats
from django.utils.translation import gettext as _
from django_countries import countries
from django_countries.fields import CountryField
from simple_history.template_utils import HistoricalRecordContextHelper


def value_in_words(field, value):
    """`value` of model field `field` as an editor reads it."""
    if value is None or value == "":
        return "–"
    if isinstance(field, CountryField):
        code = str(value)
        return str(dict(countries).get(code, code))
    if field.choices and not isinstance(value, list):
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return formats.localize(value)
    return value


class InWordsHelper(HistoricalRecordContextHelper):
    def prepare_delta_change_value(self, change, value):
        value = super().prepare_delta_change_value(change, value)
        return value_in_words(self.model._meta.get_field(change.field), value)


class HistoryInWordsMixin:
    """For a SimpleHistoryAdmin: changes in words, and no record for a save without a change."""

    def get_historical_record_context_helper(self, request, historical_record):
        return InWordsHelper(self.model, historical_record)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        request.reverting = True  # the form shows the old version unchanged: save it
        return super().history_form_view(request, object_id, version_id, extra_context)

    def save_model(self, request, obj, form, change):
        if change and not form.has_changed() and not getattr(request, "reverting", False):
            return  # nothing changed: nothing to write, no history record
        super().save_model(request, obj, form, change)
