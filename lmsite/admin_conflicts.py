"""Two editors, one row: no save in the admin writes over a change it did not see.

A change form, and every row of its inlines, carries in a hidden field the digest of the stored
values it was drawn with, one part per field it shows (races/writes.py: `digest`, the grids'
scheme). A save that would write a row reads it locked (`select_for_update`, in the request's
transaction: a writer that has not committed yet is waited for, then seen) and compares it. If
someone else changed a field the form shows, and the editor changed the row too, nothing is
written: the form comes back naming the fields (and, for an inline, the row), each such field
saying what is stored now, and carrying the digest of what is stored now, so that saving again
is the editor's choice, made knowing. A row someone else deleted, or a digest that cannot be
read (a page drawn before digests, or tampered with), is a message too.

A row the editor left as drawn is not written, whatever Django's comparison with the stored
row says (it would write the values the page showed over the other editor's): the editor's
values are compared with the digest as well. Fields the form does not show are not compared:
they are taken as stored now, read under the lock, so that a save never writes them back
either. Adding an object is unaffected. `ConflictGuardMixin` is part of every ModelAdmin of the
site (drivers/admin.py: GuardedAdmin); docs/decisions/0021-editors-admin.md.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from operator import attrgetter

from django import forms
from django.contrib.admin.utils import flatten_fieldsets
from django.db import router, transaction
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from lmsite.admin_history import value_in_words

DIGEST = "loaded_digest"  # the hidden field's name, on a change form and on every inline row


class DigestField(forms.CharField):
    """The digest a form was drawn with: posted back as drawn, never a change of its own."""

    widget = forms.HiddenInput

    def __init__(self):
        super().__init__(required=False, label=gettext_lazy("values as opened"))

    def has_changed(self, initial, data):
        return False


@dataclass(frozen=True)
class FieldValue:
    name: str
    value: object


def shown_fields(form, leave_out=()):
    """The model fields `form` shows (its own fields that are columns of the row), in the
    model's order; never the primary key."""
    return [
        field
        for field in form._meta.model._meta.concrete_fields
        if field.name in form.fields and not field.primary_key and field.name not in leave_out
    ]


def comparable(value):
    """`value` as read from the database or from a form, in one form for both: a time in UTC
    (a form reads it in the circuit's time zone), a decimal without trailing zeros."""
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        return value.astimezone(dt.UTC)
    if isinstance(value, Decimal):
        return value.normalize()
    return value


def _values(row, fields):
    return [FieldValue(field.name, comparable(getattr(row, field.attname))) for field in fields]


def row_digest(row, fields):
    """The digest of `row`'s `fields`, one part per field (writes.digest, grouped by name)."""
    from races import writes  # drivers' admin uses this module, and drivers never imports races

    return writes.digest(_values(row, fields), ("value",), key=attrgetter("name"))


@dataclass(frozen=True)
class Conflict:
    changed: list  # the model fields someone else changed; empty with `unreadable`
    fresh: str  # the digest of what is stored now
    unreadable: bool = False  # no digest, or one that is not this form's


def compare(stored, fields, posted):
    """None when `stored` (read locked) is as the form was drawn (`posted`, its digest), else
    the Conflict."""
    from races import writes

    try:
        writes.check_unchanged(_values(stored, fields), ("value",), attrgetter("name"), posted)
    except writes.ChangedMeanwhile as changed:
        names = {field.name for field in fields}
        fresh = row_digest(stored, fields)
        if not changed.keys or not changed.keys <= names:
            return Conflict([], fresh, unreadable=True)
        return Conflict([field for field in fields if field.name in changed.keys], fresh)
    return None


def read_locked(model, pks, using):
    """{pk: row} of `model`'s rows `pks` as stored now, locked until the request's transaction
    ends (a transaction of their own outside one)."""
    with transaction.atomic(using=using, savepoint=False):
        rows = model._base_manager.using(using).select_for_update().filter(pk__in=pks)
        return {row.pk: row for row in rows}


def keep_stored(instance, stored, fields, leave_out=()):
    """The values of the fields the form does not show, as stored now, on the row it saves."""
    shown = {field.name for field in fields} | set(leave_out)
    for field in type(instance)._meta.concrete_fields:
        if not field.primary_key and field.name not in shown:
            setattr(instance, field.attname, getattr(stored, field.attname))


def left_as_drawn(form, posted):
    """Whether `form` (validated: its instance holds the editor's values) saves the values it
    was drawn with: Django sees a change where someone else changed the stored row, but the
    editor made none."""
    return compare(form.instance, form.digest_fields, posted) is None


def stored_in_words(field, stored):
    """What `stored` holds in `field`, as an editor reads it."""
    value = getattr(stored, field.attname)
    if field.is_relation and value is not None:
        related = field.related_model._base_manager.filter(pk=value).first()
        return str(related) if related is not None else str(value)
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)  # the page's time zone (a circuit's, on its events)
    return str(value_in_words(field, value))


def field_label(form, field):
    return str(form.fields[field.name].label or capfirst(field.verbose_name))


def show_stored(form, conflict, stored):
    """Each changed field of `form` says what is stored now; the form carries the digest of
    it, so that saving again is the editor's choice."""
    for field in conflict.changed:
        form.add_error(
            field.name,
            _("Changed by someone else after you opened this page; stored now: %(now)s.")
            % {"now": stored_in_words(field, stored)},
        )
    form.data = form.data.copy()
    form.data[form.add_prefix(DIGEST)] = conflict.fresh


FORM_CHANGED = gettext_lazy(
    "Nothing was saved: someone else changed this %(model)s after you opened this page "
    "(%(fields)s). Each such field says what is stored now: save again to put your values in "
    "its place, or reload the page to start from it."
)
FORM_DELETED = gettext_lazy(
    "Nothing was saved: someone else deleted this %(model)s after you opened this page."
)
FORM_UNREADABLE = gettext_lazy(
    "Nothing was saved: this page does not say what it was opened with (it may have been "
    "opened before the site was last updated). Reload it and enter your changes again."
)
ROWS_CHANGED = gettext_lazy(
    "Nothing was saved: someone else changed %(rows)s after you opened this page. Each such "
    "field says what is stored now: save again to put your values in its place, or reload "
    "the page to start from it."
)
ROWS_CHANGED_ELSEWHERE = gettext_lazy(
    "Nothing was saved: someone else changed %(rows)s after you opened this page, a row you "
    "left as it was. The checks across the rows need what is stored now: reload the page and "
    "make your changes again."
)
ROW_DELETED = gettext_lazy(
    "Nothing was saved: someone else deleted the %(model)s in row %(row)d after you opened "
    "this page. Reload the page to start from what is stored now."
)
ROW_UNREADABLE = gettext_lazy(
    "Nothing was saved: this page does not say what the %(model)s in row %(row)d was opened "
    "with (it may have been opened before the site was last updated). Reload it and enter "
    "your changes again."
)


# --- the change form ---------------------------------------------------------------------------


class GuardedFormMixin:
    """Of an admin change form (ConflictGuardMixin.get_form): its digest, and the check when a
    save would write the row (a change, or a revert from the history, which is always saved)."""

    declared_fields = {DIGEST: DigestField()}  # collected by the form's metaclass
    always_saved = False  # a revert writes the past version even where it equals the stored one
    drawn_from_stored = False  # the digest of the stored row, not of the instance (a revert)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.digest_fields = shown_fields(self)
        if self.instance.pk is not None and not self.is_bound:
            row = self.instance
            if self.drawn_from_stored:
                row = type(row)._base_manager.filter(pk=row.pk).first() or row
            self.initial[DIGEST] = row_digest(row, self.digest_fields)

    def full_clean(self):
        super().full_clean()
        if not (self.is_bound and self.instance.pk is not None):
            return
        if self.always_saved or self.has_changed():
            self.check_stored()

    def check_stored(self):
        model = type(self.instance)
        opts = model._meta
        using = self.instance._state.db or router.db_for_write(model)
        stored = read_locked(model, [self.instance.pk], using).get(self.instance.pk)
        if stored is None:
            self.add_error(None, FORM_DELETED % {"model": opts.verbose_name})
            return
        posted = self.data.get(self.add_prefix(DIGEST))
        conflict = compare(stored, self.digest_fields, posted)
        if conflict is None:
            if not self.always_saved:  # a revert writes the whole past version
                keep_stored(self.instance, stored, self.digest_fields)
        elif conflict.unreadable:
            self.add_error(None, FORM_UNREADABLE)
        elif not self.always_saved and left_as_drawn(self, posted):
            self.changed_data = []  # nothing of the editor's to write: the stored row stands
            keep_stored(self.instance, stored, [])
        else:
            show_stored(self, conflict, stored)
            fields = ", ".join(field_label(self, field) for field in conflict.changed)
            self.add_error(None, FORM_CHANGED % {"model": opts.verbose_name, "fields": fields})


@cache
def guarded_form(form, reverting=False):
    """`form` (a ModelAdmin's form class) with its digest and check."""
    attrs = {"always_saved": reverting, "drawn_from_stored": reverting}
    return type(form)(f"Guarded{form.__name__}", (GuardedFormMixin, form), attrs)


# --- the inline rows ---------------------------------------------------------------------------


class GuardedFormSetMixin:
    """Of an inline formset (ConflictGuardMixin.get_formsets_with_inlines): a digest on each row,
    and, once the rows are validated, one locked read of the rows the save would write (changed
    or deleted) and their check."""

    def parent_key(self):
        fk = getattr(self, "fk", None)  # an inline's link to its parent: not compared
        return {fk.name} if fk is not None else set()

    def add_fields(self, form, index):
        fields = shown_fields(form, leave_out=self.parent_key())
        super().add_fields(form, index)
        form.digest_fields = fields
        form.fields[DIGEST] = DigestField()
        if form.instance.pk is not None:
            form.initial[DIGEST] = row_digest(form.instance, fields)

    def full_clean(self):
        super().full_clean()
        if self.is_bound:
            self.check_stored()

    def check_stored(self):
        opts = self.model._meta
        written = []
        for row, form in enumerate(self.initial_forms, start=1):
            deleting = self.can_delete and self._should_delete_form(form)
            if not (deleting or form.has_changed()):
                continue
            if form.instance.pk is None:  # its id names no row now: deleted meanwhile
                form.errors.pop(opts.pk.name, None)  # "Select a valid choice", on no field
                if deleting:  # deleted twice is deleted
                    continue
                if left_as_drawn(form, form.data.get(form.add_prefix(DIGEST))):
                    form.errors.clear()  # the editor's row as drawn: the deletion stands
                    continue
                self.refuse(form, ROW_DELETED % {"model": opts.verbose_name, "row": row})
                continue
            written.append((row, form, deleting))
        if not written:
            return
        using = self.instance._state.db or router.db_for_write(self.model)
        stored_rows = read_locked(self.model, [form.instance.pk for _r, form, _d in written], using)
        changed, meanwhile, writes = [], [], any(f.has_changed() for f in self.extra_forms)
        for row, form, deleting in written:
            stored = stored_rows.get(form.instance.pk)
            if stored is None:
                if not deleting:
                    self.refuse(form, ROW_DELETED % {"model": opts.verbose_name, "row": row})
                continue
            posted = form.data.get(form.add_prefix(DIGEST))
            conflict = compare(stored, form.digest_fields, posted)
            if conflict is None:
                writes = True
                if not deleting:
                    keep_stored(form.instance, stored, form.digest_fields, self.parent_key())
            elif conflict.unreadable:
                self.refuse(form, ROW_UNREADABLE % {"model": opts.verbose_name, "row": row})
            elif not deleting and left_as_drawn(form, posted):
                meanwhile.append((row, form, conflict, stored))
            else:
                changed.append((row, form, conflict, stored))
        if writes and meanwhile:
            # The rules across rows (class order, unique numbers) were checked against this
            # page's values of rows someone else has changed since: nothing is written, and
            # those rows keep the digest they were drawn with, so that only a reload (not a
            # second save of the same page) writes this editor's rows.
            rows = "; ".join(
                self.row_text(row, form, conflict) for row, form, conflict, _s in meanwhile
            )
            message = ROWS_CHANGED_ELSEWHERE % {"rows": rows}
            self._non_form_errors.append(message)
            for _row, form, _conflict, _stored in meanwhile:
                form.add_error(None, message)
        else:
            for _row, form, _conflict, stored in meanwhile:
                form.changed_data = []  # not written: the other editor's change stands
                keep_stored(form.instance, stored, [], self.parent_key())
        changed = [
            self.conflict_text(row, form, conflict, stored)
            for row, form, conflict, stored in changed
        ]
        if changed:
            self._non_form_errors.append(ROWS_CHANGED % {"rows": "; ".join(changed)})

    def conflict_text(self, row, form, conflict, stored):
        """Shows on `form` what is stored now; returns the words naming the row and fields."""
        show_stored(form, conflict, stored)
        return self.row_text(row, form, conflict)

    def row_text(self, row, form, conflict):
        """ "the result in row 2 (Laps)": the row and the fields someone else changed."""
        fields = ", ".join(field_label(form, field) for field in conflict.changed)
        return _("the %(model)s in row %(row)d (%(fields)s)") % {
            "model": self.model._meta.verbose_name,
            "row": row,
            "fields": fields,
        }

    def refuse(self, form, message):
        form.add_error(None, message)
        self._non_form_errors.append(message)


def guarded_formset(formset):
    return type(f"Guarded{formset.__name__}", (GuardedFormSetMixin, formset), {})


# --- the admin ---------------------------------------------------------------------------------


class ConflictGuardMixin:
    """For a ModelAdmin: its change form and the rows of its inlines carry their digests and are
    checked on save (see the module's docstring). Pages the editor may only view are left as
    they are."""

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is not None and "form" not in kwargs and self.has_change_permission(request, obj):
            kwargs["form"] = guarded_form(self.form, getattr(request, "reverting", False))
        return super().get_form(request, obj, change, **kwargs)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or not self.has_change_permission(request, obj):
            return fieldsets
        return with_digest(fieldsets)

    def get_formsets_with_inlines(self, request, obj=None):
        for formset, inline in super().get_formsets_with_inlines(request, obj):
            if obj is not None and inline.has_change_permission(request, obj):
                formset = guarded_formset(formset)
            yield formset, inline

    def get_inline_formsets(self, request, formsets, inline_instances, obj=None):
        inline_admin_formsets = super().get_inline_formsets(
            request, formsets, inline_instances, obj
        )
        for inline_admin_formset in inline_admin_formsets:
            guarded = isinstance(inline_admin_formset.formset, GuardedFormSetMixin)
            if guarded and inline_admin_formset.has_change_permission:
                inline_admin_formset.fieldsets = with_digest(inline_admin_formset.fieldsets)
        return inline_admin_formsets


def with_digest(fieldsets):
    """`fieldsets` with the hidden digest as the last line of the first one."""
    fieldsets = list(fieldsets)
    if not fieldsets or DIGEST in flatten_fieldsets(fieldsets):
        return fieldsets
    name, options = fieldsets[0]
    return [(name, {**options, "fields": [*options["fields"], DIGEST]}), *fieldsets[1:]]
