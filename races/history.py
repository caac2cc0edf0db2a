"""A session's results in its history page: which result changed, when, by whom, why, and
field by field in words ("Status: Retired → Classified", a car by its number and entrant).

Results are children of their session: the session's own history records only the session's
fields, so the admin's history page of a session adds these (templates/admin/races/session/
object_history.html). Built from django-simple-history's records with `diff_against`, three
queries however many records: the records, their editors, the cars they name.
"""

import datetime as dt
from dataclasses import dataclass

from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lmsite.admin_history import value_in_words
from races.formats import format_duration
from races.models import Entry, Result

RESULT_HISTORY_LIMIT = 500  # the newest records shown; the rest are on each result's history
KINDS = {"+": gettext_lazy("Added"), "~": gettext_lazy("Changed"), "-": gettext_lazy("Deleted")}


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: str
    new: str


@dataclass(frozen=True)
class ResultChange:
    when: dt.datetime
    user: object  # the editor (a User) or None
    car: str
    kind: str
    changes: list[FieldChange]
    reason: str
    result_id: int
    history_id: int


def in_words(field_name, value, cars):
    if field_name == "entry":
        return cars.get(value, _("deleted car"))
    if isinstance(value, dt.timedelta):
        return format_duration(value)
    return str(value_in_words(Result._meta.get_field(field_name), value))


def result_changes(session_id, limit=RESULT_HISTORY_LIMIT):
    """The changes of the results of session `session_id`, newest first."""
    records = list(
        Result.history.filter(session_id=session_id)
        .select_related("history_user")
        .order_by("-history_date", "-history_id")[:limit]
    )
    records.reverse()
    earlier = {}
    ids = {r.id for r in records}
    # The record before the oldest shown of each result, to diff that one against.
    for record in (
        Result.history.filter(id__in=ids, history_date__lt=records[0].history_date)
        .order_by("id", "-history_date", "-history_id")
        .distinct()
        if records
        else []
    ):
        earlier.setdefault(record.id, record)
    entry_ids = {r.entry_id for r in records} | {r.entry_id for r in earlier.values()}
    cars = {entry.pk: str(entry) for entry in Entry.objects.filter(pk__in=entry_ids)}
    changes = []
    for record in records:
        previous = earlier.get(record.id)
        earlier[record.id] = record
        fields = []
        if record.history_type == "~" and previous is not None:
            delta = record.diff_against(previous, foreign_keys_are_objs=False)
            fields = [
                FieldChange(
                    capfirst(Result._meta.get_field(c.field).verbose_name),
                    in_words(c.field, c.old, cars),
                    in_words(c.field, c.new, cars),
                )
                for c in delta.changes
            ]
            if not fields:
                continue  # a save that changed nothing
        changes.append(
            ResultChange(
                when=record.history_date,
                user=record.history_user,
                car=cars.get(record.entry_id, _("deleted car")),
                kind=str(KINDS.get(record.history_type, record.history_type)),
                changes=fields,
                reason=record.history_change_reason or "",
                result_id=record.id,
                history_id=record.history_id,
            )
        )
    changes.reverse()
    return changes
