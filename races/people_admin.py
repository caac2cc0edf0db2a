"""The admin's tools for identities: the entries a driver or a team appears in (on its change
page), merging two drivers or two teams, and splitting some of a driver's crew places off to
another driver. The writes are races/merging.py's; these are the forms and pages around them.

races/admin.py mixes `DriverTools` into the drivers' admin and `TeamTools` into the teams':
drivers never imports races, so the racing half of the drivers' admin lives here
(docs/decisions/0022-merge-and-split.md).
"""

from dataclasses import dataclass
from functools import partial

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_slug
from django.db.models import Count, F, Prefetch
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.functional import SimpleLazyObject
from django.utils.http import urlencode
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from drivers.models import Driver
from drivers.names import slug_for, validate_printable
from lmsite.admin_guard import parse_id
from races import merging
from races.models import Crew, Entry

# --- the entries lists -------------------------------------------------------------------------


@dataclass(frozen=True)
class EntryLine:
    """One entry a driver or team appears in, for the admin's list (newest first)."""

    entry: Entry
    year: int | None  # None for an undated (cancelled) event
    crew: list  # the drivers, in order (a team's list); empty on a driver's list
    place: int | None = None  # the crew place's id (a driver's list)


def driver_entries(driver):
    """The entries of `driver`'s crew places, newest first, in one query."""
    crews = (
        Crew.objects.filter(driver=driver)
        .select_related("entry__event", "entry__car_class", "entry__team")
        .order_by(F("entry__event__last_day").desc(nulls_last=True), "entry__number", "pk")
    )
    return [EntryLine(c.entry, merging.event_year(c.entry.event), [], c.pk) for c in crews]


def team_entries(team):
    """The entries of `team` with their crews, newest first, in two queries."""
    entries = (
        Entry.objects.filter(team=team)
        .select_related("event", "car_class")
        .prefetch_related(Prefetch("crew", queryset=Crew.objects.select_related("driver")))
        .order_by(F("event__last_day").desc(nulls_last=True), "number", "pk")
    )
    return [
        EntryLine(e, merging.event_year(e.event), [c.driver for c in e.crew.all()]) for e in entries
    ]


# --- forms -------------------------------------------------------------------------------------


class RecordField(forms.CharField):
    """A driver or team named by its slug (its address), as an editor copies it from a page,
    or by its id (a link from another admin page)."""

    def __init__(self, model, **kwargs):
        self.model = model
        kwargs.setdefault("max_length", 200)
        kwargs.setdefault("help_text", _("Its address: the last part of its page's URL."))
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        if value in self.empty_values:
            return None
        if value.isascii() and value.isdecimal():
            pk = parse_id(value, self.model._meta.pk)
            record = self.model.objects.filter(pk=pk).first() if pk is not None else None
            if record is not None:
                return record
        try:
            validate_slug(value)
        except ValidationError:
            raise ValidationError(
                _("“%(value)s” is not an address: letters, digits, hyphens only."),
                params={"value": value[:60]},
            ) from None
        record = self.model.objects.filter(slug=value).first()
        if record is None:
            raise ValidationError(
                _("No %(model)s has the address “%(value)s”."),
                params={"model": self.model._meta.verbose_name, "value": value},
            )
        return record


class MergeForm(forms.Form):
    other = RecordField(Driver, label=_("Merge into it and remove"))
    reason = forms.CharField(
        label=_("Reason"),
        max_length=300,
        required=False,
        validators=[validate_printable],
        help_text=_("Why they are one: kept with the old address and in the alias rule."),
    )
    source = forms.CharField(
        label=_("Source"),
        max_length=500,
        required=False,
        validators=[validate_printable],
        help_text=_("Where that is shown to be true: an address or a publication."),
    )

    def __init__(self, kept, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.kept = kept
        self.fields["other"].model = type(kept)

    def clean(self):
        data = super().clean()
        other = data.get("other")
        if other is not None and other.pk == self.kept.pk:
            raise ValidationError(_("Choose two different records."))
        return data


class SplitForm(forms.Form):
    places = forms.TypedMultipleChoiceField(
        label=_("Crew places to move"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one crew place to move.")},
    )
    target = RecordField(
        Driver,
        label=_("Move them to the driver"),
        required=False,
        help_text=_("The address of an existing driver; leave empty to create a new one."),
    )
    new_name = forms.CharField(
        label=_("…or to a new driver named"),
        max_length=200,
        required=False,
        validators=[validate_printable],
        help_text=_("As written, accents kept (e.g. Jean Vinatier Sr.)."),
    )
    new_slug = forms.SlugField(
        label=_("The new driver's address"),
        max_length=200,
        required=False,
        help_text=_("Empty: made from the name."),
    )
    new_nationality = CountryField(blank=True).formfield(
        label=_("The new driver's nationality"), required=False
    )
    reason = MergeForm.base_fields["reason"]
    source = MergeForm.base_fields["source"]

    NEW_DRIVER = ("new_name", "new_slug", "new_nationality")

    def __init__(self, driver, lines, *args, may_add=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.driver = driver
        self.may_add = may_add  # the editor may add drivers: a new name creates one
        self.fields["places"].choices = [(line.pk, line.label) for line in lines]
        if not may_add:
            for name in self.NEW_DRIVER:
                del self.fields[name]
            self.fields["target"].help_text = _("The address of an existing driver.")

    def clean(self):
        data = super().clean()
        target, name = data.get("target"), data.get("new_name", "").strip()
        if "target" in self.errors or "new_name" in self.errors:
            return data
        if target is not None and name:
            raise ValidationError(_("Give an existing driver or a new name, not both."))
        if target is None and not name:
            if not self.may_add:
                raise ValidationError(_("Give an existing driver."))
            raise ValidationError(_("Give an existing driver or a new name."))
        if target is None:
            slug = data.get("new_slug") or slug_for(name)
            if not slug or len(slug) > Driver._meta.get_field("slug").max_length:
                self.add_error("new_slug", _("Give the new driver an address."))
            elif Driver.objects.filter(slug=slug).exists():
                self.add_error("new_slug", _("Another driver already has this address."))
            else:
                data["target"] = Driver(
                    full_name=name, slug=slug, nationality=data.get("new_nationality") or ""
                )
        return data


@dataclass(frozen=True)
class PlaceChoice:
    pk: int
    label: str


def place_choices(driver):
    """The crew places of `driver`, newest first, as checkbox labels."""
    choices = []
    for line in driver_entries(driver):
        entry = line.entry
        parts = [
            str(line.year or "–"),
            entry.event.name,
            f"#{entry.number}" if entry.number else "–",
        ]
        parts += [entry.car_class.code, entry.team.name if entry.team else entry.entrant]
        choices.append(PlaceChoice(line.place, " · ".join(p for p in parts if p)))
    return choices


# --- the pages ---------------------------------------------------------------------------------


def form_data(request, names):
    """The data a page's form is bound to: the POST, or a GET that names a record (a link from
    the list's action or another page), else None (an empty form)."""
    if request.method == "POST":
        return request.POST
    if any(request.GET.get(name) for name in names):
        return request.GET
    return None


def merge_view(model_admin, request, object_id):
    """The merge page of a driver or team (the one kept): a form naming the other record,
    what would move, and a button that merges."""
    opts, kind = model_admin.model._meta, model_admin.kind
    kept = record_or_404(model_admin.model, object_id)
    if not (
        model_admin.has_change_permission(request, kept)
        and model_admin.has_delete_permission(request)
    ):
        raise PermissionDenied
    data = form_data(request, ("other",))
    form = MergeForm(kept, data)
    plan = None
    if data is not None and form.is_valid():
        other = form.cleaned_data["other"]
        reason, source = form.cleaned_data["reason"], form.cleaned_data["source"]
        plan = kind.plan(kept, other, reason, source)
        if request.method == "POST" and "confirm" in request.POST and not plan.problems:
            try:
                merging.merge(kind, kept, other, reason, source, request.user)
            except merging.Refused as refused:
                plan = merging.Plan(kept, other, plan.counts, refused.problems)
            else:
                messages.success(
                    request,
                    gettext(
                        "“%(other)s” was merged into “%(kept)s”; its address now leads here. "
                        "So that the next load of the data keeps them one, add this line to "
                        "drivers/data/aliases.csv: %(line)s"
                    )
                    % {"other": other, "kept": kept, "line": plan.alias_line},
                )
                return HttpResponseRedirect(
                    reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[kept.pk])
                )
    context = page_context(model_admin, request, str(model_admin.merge_title), kept, form, plan)
    return render(request, "admin/merge.html", context)


def record_or_404(model, object_id):
    pk = parse_id(unquote(object_id), model._meta.pk)
    record = model.objects.filter(pk=pk).first() if pk is not None else None
    if record is None:
        raise Http404
    return record


def split_view(model_admin, request, object_id):
    """The split page of a driver: its crew places to choose from, the driver to move them to
    (existing, or new for an editor who may add drivers), what would move, and a button that
    splits."""
    driver = record_or_404(Driver, object_id)
    if not model_admin.has_change_permission(request, driver):
        raise PermissionDenied
    may_add = model_admin.has_add_permission(request)
    posted = request.POST if request.method == "POST" else None
    if posted is not None and not may_add and posted.get("new_name", "").strip():
        raise PermissionDenied  # a new name creates a driver: a form that shows none was forged
    form = SplitForm(driver, place_choices(driver), posted, may_add=may_add)
    plan = None
    if posted is not None and form.is_valid():
        data = form.cleaned_data
        ids, target = data["places"], data["target"]
        crews = list(Crew.objects.filter(driver=driver, pk__in=ids).select_related("entry__event"))
        plan = merging.plan_driver_split(driver, crews, target, data["reason"], data["source"])
        if "confirm" in request.POST and not plan.problems:
            try:
                merging.split_driver(
                    driver, ids, target, data["reason"], data["source"], request.user
                )
            except merging.Refused as refused:
                plan = merging.Plan(target, driver, plan.counts, refused.problems)
            else:
                line = plan.alias_line or plan.alias_note
                messages.success(
                    request,
                    ngettext(
                        "%(n)d crew place moved from “%(driver)s” to “%(target)s”. So that the "
                        "next load of the data keeps them apart: %(line)s",
                        "%(n)d crew places moved from “%(driver)s” to “%(target)s”. So that the "
                        "next load of the data keeps them apart: %(line)s",
                        len(ids),
                    )
                    % {"n": len(ids), "driver": driver, "target": target, "line": line},
                )
                return HttpResponseRedirect(
                    reverse("admin:drivers_driver_change", args=[target.pk])
                )
    title = gettext("Split %(driver)s") % {"driver": driver}
    context = page_context(model_admin, request, title, driver, form, plan)
    return render(request, "admin/drivers/driver/split.html", context)


def page_context(model_admin, request, title, record, form, plan):
    """The context of a merge or split page of `record` (templates/admin/identity_base.html)."""
    return {
        **model_admin.admin_site.each_context(request),
        "opts": model_admin.model._meta,
        "title": title,
        "original": record,
        "form": form,
        "plan": plan,
    }


# --- the mixins of the two admins --------------------------------------------------------------


class MergeTools:
    """Adds to the admin of drivers or of teams: the merge page (`<id>/merge/?other=<slug or
    id>`, the record of the URL kept), an action that opens it for two selected rows, and the
    list of entries on the change page."""

    actions = ["merge_selected"]
    kind = None  # merging.DRIVERS or merging.TEAMS
    appearances = ""  # the relation counted to propose which record to keep
    merge_title = ""
    entries_of = None  # (record) → its EntryLines

    def get_urls(self):
        opts = self.model._meta

        def merge_page(request, object_id):
            return merge_view(self, request, object_id)

        return [
            path(
                "<path:object_id>/merge/",
                self.admin_site.admin_view(merge_page),
                name=f"{opts.app_label}_{opts.model_name}_merge",
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        pk = parse_id(unquote(object_id), self.model._meta.pk)
        if pk is not None:
            # Read only when the page shows it (not on a save that redirects).
            lines = SimpleLazyObject(partial(self.entries_of, self.model(pk=pk)))
            extra_context = {**(extra_context or {}), "entry_lines": lines}
        return super().change_view(request, object_id, form_url, extra_context)

    @admin.action(
        description=_("Merge the two selected records…"), permissions=["change", "delete"]
    )
    def merge_selected(self, request, queryset):
        records = list(
            queryset.annotate(appearances=Count(self.appearances)).order_by("-appearances", "pk")[
                :3
            ]
        )
        if len(records) != 2:
            self.message_user(
                request, gettext("Select exactly two records to merge."), messages.ERROR
            )
            return None
        kept, other = records
        opts = self.model._meta
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_merge", args=[kept.pk])
        return HttpResponseRedirect(f"{url}?{urlencode({'other': other.slug})}")


class DriverTools(MergeTools):
    kind = merging.DRIVERS
    appearances = "crews"
    merge_title = _("Merge two drivers")
    entries_of = staticmethod(driver_entries)

    def get_urls(self):
        def split_page(request, object_id):
            return split_view(self, request, object_id)

        return [
            path(
                "<path:object_id>/split/",
                self.admin_site.admin_view(split_page),
                name="drivers_driver_split",
            ),
            *super().get_urls(),
        ]


class TeamTools(MergeTools):
    kind = merging.TEAMS
    appearances = "entries"
    merge_title = _("Merge two teams")
    entries_of = staticmethod(team_entries)
