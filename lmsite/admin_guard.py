"""The admin's query strings checked as the public pages check theirs: a value that cannot be
what its parameter reads is refused or ignored before any query, never a server error.

- list filters and lookups: a control character (PostgreSQL refuses a NUL in a query) is an
  incorrect lookup, which the admin answers by going back to the list with `?e=1`;
- the date hierarchy: a year, month or day that is not a number in its range (30 digits, or the
  year 9999, overflowed Python's dates) is an incorrect lookup too;
- a regular expression (`?name__regex=(`): no filter uses one, and one that is not valid failed
  in the database on SQLite and on PostgreSQL: an incorrect lookup;
- a value the database cannot take (`?last_login__gte=0001-01-01`, `?date_joined__year=1`:
  SQLite's conversion to UTC overflowed before the year 1): the query is compiled before it is
  run, and what fails there is an incorrect lookup;
- the search: control characters removed and the term cut to SEARCH_LENGTH characters (a long
  run of words made a query too deep for SQLite);
- an add form's initial values (`?season=…`): a related object's id that is not one, or a value
  its field cannot read (`?start=abc`), is ignored.

Every ModelAdmin of the site, Django's and django-axes' included, has these guards
(drivers/admin.py registers those with QueryGuardMixin).
"""

import datetime as dt
import unicodedata

from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import EmptyResultSet, FieldDoesNotExist, ValidationError
from django.db import DataError, connection, models
from django.db.models.constants import LOOKUP_SEP

SEARCH_LENGTH = 100  # characters, as the public search box
# The date hierarchy's parts and their largest values: the hierarchy adds a year, a month or a
# day to the date it reads, so 9999 would overflow Python's dates.
DATE_PARTS = {"year": dt.MAXYEAR - 1, "month": 12, "day": 31}
INTEGER_LOOKUPS = ("", "exact", "in", "gt", "gte", "lt", "lte")
REFUSED_LOOKUPS = {"regex", "iregex"}  # no filter uses them; an invalid pattern fails in SQL


def has_control_character(text):
    return any(unicodedata.category(ch) == "Cc" for ch in text)


def printable(text):
    """`text` without control characters (a NUL byte included)."""
    return "".join(ch for ch in text if unicodedata.category(ch) != "Cc")


def parse_id(value, field):
    """`value` (text from a URL) as a value of the integer field `field`, or None when it is
    not one: not made of decimal digits ("abc", "²"), or out of the database's range."""
    value = str(value)
    if not (value.isascii() and value.isdecimal()) or len(value) > 20:  # int() refuses 4301
        return None
    number = int(value)
    low, high = connection.ops.integer_field_range(field.get_internal_type())
    return number if (low is None or number >= low) and (high is None or number <= high) else None


def is_key_of(value, field):
    """Whether `value` (text) can be a value of `field`, the target of a relation."""
    if isinstance(field, models.IntegerField):
        return parse_id(value, field) is not None
    try:
        field.to_python(value)
    except ValidationError:
        return False
    return not has_control_character(value)


def is_value_of(text, field):
    """Whether `field` reads `text` (a comparison's value: a duration compared with a date
    failed in the query)."""
    try:
        field.to_python(text)
    except (ValidationError, ValueError, OverflowError):
        return False
    return True


def lookup_field(model, key):
    """(field, lookup) that the changelist parameter `key` (`season__id__exact`) filters on:
    a relation's target field for a relation; (None, "") for a key that names no field."""
    field, parts = None, key.split(LOOKUP_SEP)
    while parts:
        try:
            field = model._meta.get_field(parts[0])
        except FieldDoesNotExist:
            break
        parts.pop(0)
        if not field.is_relation:
            break
        model = field.related_model
    if field is not None and field.is_relation:
        field = getattr(field, "target_field", None)
    return field, LOOKUP_SEP.join(parts)


class GuardedChangeList(ChangeList):
    def get_filters_params(self, params=None):
        lookup_params = super().get_filters_params(params)
        dates = self.date_hierarchy and {f"{self.date_hierarchy}__{p}" for p in DATE_PARTS}
        for key, values in lookup_params.items():
            if any(has_control_character(text) for text in [key, *values]):
                raise IncorrectLookupParameters(f"a control character in {key!r}")
            if REFUSED_LOOKUPS.intersection(key.split(LOOKUP_SEP)):
                raise IncorrectLookupParameters(f"{key} is a regular expression")
            if dates and key in dates:
                high = DATE_PARTS[key.rsplit(LOOKUP_SEP, 1)[-1]]
                if not all(
                    v.isascii() and v.isdigit() and len(v) <= 4 and 1 <= int(v) <= high
                    for v in values
                ):
                    raise IncorrectLookupParameters(f"{key} is not a date's part")
                continue
            field, lookup = lookup_field(self.model, key)
            if field is None or lookup not in INTEGER_LOOKUPS:
                continue
            texts = [t for v in values for t in (v.split(",") if lookup == "in" else [v])]
            if isinstance(field, models.IntegerField):
                if not all(parse_id(text, field) is not None for text in texts):
                    raise IncorrectLookupParameters(f"{key} is not a number of the database")
            elif not all(is_value_of(text, field) for text in texts):
                raise IncorrectLookupParameters(f"{key} is not a value of its field")
        return lookup_params

    def get_queryset(self, request, exclude_parameters=None):
        queryset = super().get_queryset(request, exclude_parameters)
        try:  # the values converted for the database, as running the query would
            queryset.query.get_compiler(queryset.db).as_sql()
        except EmptyResultSet:
            pass
        except (OverflowError, ValueError, DataError) as error:
            raise IncorrectLookupParameters(error) from error
        return queryset


class QueryGuardMixin:
    """Guards a ModelAdmin's query-string values (see the module's docstring)."""

    def get_changelist(self, request, **kwargs):
        return GuardedChangeList

    def get_search_results(self, request, queryset, search_term):
        term = printable(search_term[: SEARCH_LENGTH * 2])[:SEARCH_LENGTH]
        return super().get_search_results(request, queryset, term)

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        for name, value in list(initial.items()):
            try:
                field = self.model._meta.get_field(name)
            except FieldDoesNotExist:
                continue
            if field.is_relation and field.concrete:
                values = value if isinstance(value, list) else [value]
                if not all(is_key_of(text, field.target_field) for text in values):
                    del initial[name]
                continue
            try:  # a date and time is given to the form as one (a text crashed its widget)
                parsed = field.to_python(value)
            except (ValidationError, ValueError, OverflowError):  # Django's own parsers overflow
                del initial[name]
                continue
            if isinstance(field, models.DateTimeField):
                initial[name] = parsed
        return initial
