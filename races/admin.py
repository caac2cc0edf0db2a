"""The editors' admin.

Times are entered and shown in the circuit's local time: the event and session pages render
inside that time zone. Cross-row rules that the database holds only per row (a car number among
entered cars, finish order and positions within a session, class order) are also checked
across the rows of one inline formset, so two new rows that clash are a form error too.
"""

import zoneinfo
from contextlib import nullcontext
from functools import partial

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.db import router
from django.db.models import F, Prefetch
from django.db.models.functions import Length
from django.forms.models import BaseInlineFormSet
from django.urls import path
from django.utils import formats, timezone
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from drivers.admin import DriverAdmin, FoldedSearchMixin, GuardedAdmin, parse_id
from drivers.models import Driver
from lmsite.admin_fields import EditorFieldsMixin
from races import writes
from races.history import result_changes
from races.models import (
    Adjustment,
    CarClass,
    ChampionshipRules,
    Circuit,
    CircuitLayout,
    ClassName,
    ClassScale,
    Crew,
    DriverLicence,
    Entry,
    Event,
    FindingExplanation,
    PointsScale,
    PoleAward,
    RaceLaps,
    Registration,
    Result,
    Round,
    ScalePoints,
    Season,
    SeasonClass,
    Series,
    Session,
    Team,
    TeamRedirect,
    Title,
    registration_errors,
    registrations_counting_on_round,
    registrations_outside_classes,
    round_registrations_message,
    unordered_results_error,
)
from races.people_admin import DriverTools, TeamTools
from races.results import (
    Placing,
    class_order_errors,
    renumber_finish_order,
    result_order_errors,
)
from races.standings import scale_errors

SLUG_TAKEN = _("Another event of this season already uses the slug “%(slug)s”.")

# --- formsets ---------------------------------------------------------------------------------


class UniqueAcrossRowsFormSet(BaseInlineFormSet):
    """Checks, across the rows of the formset, uniqueness rules that hold only where a condition
    does (the database enforces them, but Django's formset check covers unconditional ones only).

    `unique_where` lists (fields, condition on cleaned_data, message).
    """

    unique_where = ()

    def live_forms(self):
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or (self.can_delete and self._should_delete_form(form)):
                continue
            yield form, data

    def clean(self):
        super().clean()
        for fields, applies, message in self.unique_where:
            seen = {}
            for form, data in self.live_forms():
                if not applies(data):
                    continue
                key = tuple(data.get(field) for field in fields)
                if any(value in (None, "") for value in key):
                    continue
                if key in seen:
                    form.add_error(fields[-1], message)
                    seen[key].add_error(fields[-1], message)
                else:
                    seen[key] = form


class EntryFormSet(UniqueAcrossRowsFormSet):
    unique_where = [
        (
            ["number"],
            lambda data: data.get("status") == Entry.Status.ENTERED,
            _("Two entered cars of this event have this number."),
        )
    ]

    def clean(self):
        super().clean()
        # A registered car's class may change here, away from its registrations' inline.
        for form, _data in self.live_forms():
            entry = form.instance
            if entry.pk is None or "car_class" not in form.changed_data:
                continue
            for registration in entry.registrations.select_related("season"):
                for error in registration_errors(entry, registration.season):
                    form.add_error("car_class", error)


class RegistrationFormSet(BaseInlineFormSet):
    """Registration.clean() needs the entry's id: for a new entry the check is made here."""

    def clean(self):
        super().clean()
        entry = self.instance
        if entry.pk is not None or not (entry.event_id and entry.car_class_id):
            return
        for form in self.forms:
            season = getattr(form, "cleaned_data", {}).get("season")
            if season is not None and not self._should_delete_form(form):
                for error in registration_errors(entry, season):
                    form.add_error("season", error)


class KeepRegisteredRoundsMixin:
    """A round that cars are registered for through it is not deleted: the registrations
    would be left for a championship the event no longer counts for (moving a round to
    another event or season is refused by Round.clean)."""

    def check_deleted_rounds(self):
        errors = []
        for form in self.initial_forms:
            if self._should_delete_form(form) and form.instance.pk is not None:
                registered = registrations_counting_on_round(form.instance.pk).count()
                if registered:
                    errors.append(
                        _("Round %(number)s cannot be deleted: %(reason)s")
                        % {
                            "number": form.initial.get("number"),
                            "reason": round_registrations_message(registered),
                        }
                    )
        if errors:
            raise ValidationError(errors)


class SeasonRoundFormSet(KeepRegisteredRoundsMixin, UniqueAcrossRowsFormSet):
    """Round.clean() compares a round with the stored ones; this compares the rows."""

    def clean(self):
        super().clean()
        self.check_deleted_rounds()
        events = {}
        for form, data in self.live_forms():
            event = data.get("event")
            if event is not None and events.setdefault(event.slug, event) != event:
                form.add_error("event", ValidationError(SLUG_TAKEN, params={"slug": event.slug}))


class EventRoundFormSet(KeepRegisteredRoundsMixin, BaseInlineFormSet):
    """Round.clean() reports a slug clash on the round's event, a hidden field of this inline:
    the error is moved to the row. For a new event, which Round.clean() cannot check (it has no
    id yet), the check is made here."""

    def clean(self):
        super().clean()
        self.check_deleted_rounds()
        for form in self.forms:
            if self.fk.name in form.errors:
                form.add_error(None, form.errors.pop(self.fk.name))
        event = self.instance
        if event.pk is not None or not event.slug:
            return
        for form in self.forms:
            season = getattr(form, "cleaned_data", {}).get("season")
            if season is None or self._should_delete_form(form):
                continue
            if Round.objects.filter(season=season, event__slug=event.slug).exists():
                form.add_error("season", ValidationError(SLUG_TAKEN, params={"slug": event.slug}))


class SeasonClassFormSet(UniqueAcrossRowsFormSet):
    """A class is not removed from a season (deleted or replaced in its row) while cars of it
    are registered for the season."""

    def clean(self):
        super().clean()
        season = self.instance
        if season.pk is None or not any(f.has_changed() for f in self.initial_forms):
            return
        kept = [data["car_class"] for _form, data in self.live_forms() if data.get("car_class")]
        left = registrations_outside_classes(season, kept)
        codes = left.values_list("entry__car_class__code", flat=True)
        counts = {}
        for code in codes:
            counts[code] = counts.get(code, 0) + 1
        if counts:
            raise ValidationError(
                [
                    ngettext(
                        "%(n)d car registered for this season races in %(cls)s: remove its "
                        "registration before the class.",
                        "%(n)d cars registered for this season race in %(cls)s: remove their "
                        "registrations before the class.",
                        count,
                    )
                    % {"n": count, "cls": code}
                    for code, count in sorted(counts.items())
                ]
            )


class ResultFormSet(UniqueAcrossRowsFormSet):
    unique_where = [
        (["finish_order"], lambda data: True, _("Two cars have this finish order.")),
        (["position"], lambda data: True, _("Two cars have this position.")),
    ]

    def add_fields(self, form, index):
        super().add_fields(form, index)
        # Every row offers the same cars (ResultInline.get_formset): read them once, not once
        # per row.
        field = form.fields["entry"]
        if getattr(self, "_entry_choices", None) is None:
            self._entry_choices = list(field.choices)
        field.choices = self._entry_choices

    def clean(self):
        super().clean()
        placings, parent_placings = [], []
        for _form, data in self.live_forms():
            entry = data.get("entry")
            if entry is None:
                continue
            label = f"#{entry.number}" if entry.number else str(entry)
            placings.append(
                Placing(
                    label, data.get("finish_order"), entry.car_class_id, data.get("class_position")
                )
            )
            if entry.car_class.parent_id:
                parent_placings.append(
                    Placing(
                        label,
                        data.get("finish_order"),
                        entry.car_class.parent_id,
                        data.get("parent_class_position"),
                    )
                )
        # One call: a sub-class car's parent-class position ranks with the parent class's cars.
        errors = class_order_errors(placings + parent_placings)
        if errors:
            raise ValidationError(errors)


# --- local time -------------------------------------------------------------------------------


class CircuitTimeZoneMixin:
    """Render and read the change form (and a past version's form) in the time zone of the
    object's circuit; on an add form, of the circuit chosen, once posted or given in the URL."""

    def circuit_time_zone(self, obj):
        raise NotImplementedError

    def new_object_time_zone(self, request):
        raise NotImplementedError

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        obj = self.get_object(request, object_id) if object_id else None
        zone = self.circuit_time_zone(obj) if obj else self.new_object_time_zone(request)
        if not zone:
            return super().changeform_view(request, object_id, form_url, extra_context)
        extra_context = {**(extra_context or {}), "circuit_time_zone": zone}
        with timezone.override(zone):
            response = super().changeform_view(request, object_id, form_url, extra_context)
            if hasattr(response, "render"):
                response.render()
        return response

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        obj = self.get_object(request, object_id)
        if obj is None:
            return super().history_form_view(request, object_id, version_id, extra_context)
        with timezone.override(self.circuit_time_zone(obj)):
            response = super().history_form_view(request, object_id, version_id, extra_context)
            if hasattr(response, "render"):
                response.render()
        return response


def chosen_pk(request, field):
    """The id posted (or, on a fresh add form, given in the URL) for `field`, if any."""
    value = request.POST.get(field) or request.GET.get(field) or ""
    return parse_id(value, Event._meta.pk)


# --- inlines ----------------------------------------------------------------------------------


class SeasonClassInline(admin.TabularInline):
    model = SeasonClass
    formset = SeasonClassFormSet
    extra = 0
    autocomplete_fields = ["car_class"]


class RoundInlineForSeason(admin.TabularInline):
    model = Round
    formset = SeasonRoundFormSet
    extra = 0
    autocomplete_fields = ["event"]
    fields = ["number", "event", "points_factor"]


class RoundInlineForEvent(admin.TabularInline):
    model = Round
    formset = EventRoundFormSet
    extra = 0
    fields = ["season", "number"]
    verbose_name = _("championship round")
    verbose_name_plural = _("counts for these championships")


class LayoutInline(EditorFieldsMixin, admin.TabularInline):
    model = CircuitLayout
    extra = 0


class EventSessionFormSet(BaseInlineFormSet):
    """An event's sessions, edited without their results: a session whose status leaves
    partial keeps no result without finish order."""

    def clean(self):
        super().clean()
        for form in self.forms:
            if getattr(form, "cleaned_data", None) and not self._should_delete_form(form):
                error = unordered_results_error(form.instance)
                if error:
                    form.add_error("results_status", error)


class SessionInline(admin.TabularInline):
    model = Session
    formset = EventSessionFormSet
    extra = 0
    fields = [
        "order",
        "kind",
        "name",
        "start",
        "time_limit",
        "distance_limit",
        "distance_unit",
        "results_status",
        "points_factor",
        "points_factor_reason",
    ]
    show_change_link = True


class EntryInline(admin.TabularInline):
    model = Entry
    formset = EntryFormSet
    extra = 0
    fields = ["number", "car_class", "team", "entrant", "chassis", "engine", "tyres", "status"]
    autocomplete_fields = ["car_class", "team"]
    show_change_link = True


class CrewInline(EditorFieldsMixin, admin.TabularInline):
    model = Crew
    extra = 0
    fields = ["order", "driver", "nationality", "drove", "laps", "drive_time"]
    autocomplete_fields = ["driver"]


class RegistrationInline(admin.TabularInline):
    model = Registration
    formset = RegistrationFormSet
    extra = 0
    fields = ["season"]
    verbose_name_plural = _("registered for these championships")


class ResultInline(admin.TabularInline):
    model = Result
    formset = ResultFormSet
    extra = 0
    fields = [
        "finish_order",
        "position",
        "class_position",
        "parent_class_position",
        "entry",
        "laps",
        "distance_km",
        "time",
        "gap_laps",
        "gap_time",
        "best_lap",
        "status",
        "reason",
    ]

    def get_formset(self, request, obj=None, **kwargs):
        """The car is chosen among the cars of the session's event only, in a plain list: an
        autocomplete would search every car of every event, which all look alike."""
        formset = super().get_formset(request, obj, **kwargs)
        field = formset.form.base_fields["entry"]
        entries = Entry.objects.filter(event_id=obj.event_id) if obj else Entry.objects.none()
        field.queryset = entries.order_by("number", "pk")
        field.widget.can_add_related = field.widget.can_change_related = False
        field.widget.can_view_related = field.widget.can_delete_related = False
        return formset


class RaceLapsInline(admin.TabularInline):
    """What a race's lap analysis stored: each crew member's laps and time at the wheel in this
    race (races/importers/laps.py). Read only: the next import of the file replaces them."""

    model = RaceLaps
    fields = ["member", "laps", "drive_time"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name_plural = _("laps in this race, from its lap analysis")

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_queryset(self, request):
        queryset = super().get_queryset(request).select_related("crew__entry", "crew__driver")
        number = "crew__entry__number"
        return queryset.order_by(Length(number), number, "crew__order")  # 9 before 10

    @admin.display(description=_("crew member"))
    def member(self, obj):
        return f"#{obj.crew.entry.number} {obj.crew.driver}"


# --- the write path ---------------------------------------------------------------------------


class RacingAdmin(GuardedAdmin):
    """The base of the racing admins: every request that can write (a POST to the add, change,
    delete, list or history revert page: saves, inlines, list_editable, actions, reverts) is one
    block of races/writes.py, so that the stored standings of each season it touches are
    refreshed once, and the data version advanced, in the request's transaction."""

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        with self.write_block(request):
            return super().changeform_view(request, object_id, form_url, extra_context)

    def delete_view(self, request, object_id, extra_context=None):
        with self.write_block(request):
            return super().delete_view(request, object_id, extra_context)

    def changelist_view(self, request, extra_context=None):
        with self.write_block(request):
            return super().changelist_view(request, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        with self.write_block(request):
            return super().history_form_view(request, object_id, version_id, extra_context)

    def write_block(self, request):
        if request.method == "POST":
            return writes.changes(router.db_for_write(self.model))
        return nullcontext()


# --- finding things: the year, the championships, newest first ---------------------------------


class SeasonYearFilter(admin.SimpleListFilter):
    """By the year of the championships a row counts for. A value that is not a year is an
    incorrect lookup: the list answers with `?e=1`, as for an unknown parameter."""

    title = _("year")
    parameter_name = "year"
    year_path = ""  # the lookup of a season's year from the row

    def lookups(self, request, model_admin):
        years = Season.objects.order_by("-year").values_list("year", flat=True).distinct()
        return [(str(year), str(year)) for year in years]

    def queryset(self, request, queryset):
        value = self.value()
        if value is None:
            return queryset
        if not (value.isascii() and value.isdecimal() and len(value) == 4):
            raise IncorrectLookupParameters(f"year={value!r} is not a year")
        return queryset.filter(**{self.year_path: int(value)})


class EventYearFilter(SeasonYearFilter):
    year_path = "event__rounds__season__year"


class SessionEventYearFilter(SeasonYearFilter):
    year_path = "session__event__rounds__season__year"


class RoundYearFilter(SeasonYearFilter):
    year_path = "season__year"


def event_rounds(path):
    """Prefetches the rounds, with their season, of the event at `path` (one query)."""
    return Prefetch(f"{path}__rounds", queryset=Round.objects.select_related("season"))


def seasons_of(event):
    """The championships `event` counts for (its rounds prefetched: event_rounds)."""
    return ", ".join(sorted(str(round_.season) for round_ in event.rounds.all())) or "–"


def year_of(event):
    return event.last_day.year if event.last_day else "–"


def event_label(event):
    """`24 Hours of Le Mans 2012`: names repeat every year."""
    return f"{event.name} {event.last_day.year}" if event.last_day else event.name


def entry_label(entry):
    """`#49 Pecom Racing · 24 Hours of Le Mans 2012 · LMP2` (follows `event` and `car_class`:
    select them)."""
    return f"{entry} · {event_label(entry.event)} · {entry.car_class.code}"


NEWEST_EVENT_FIRST = F("event__last_day").desc(nulls_last=True)


# --- model admins -----------------------------------------------------------------------------


@admin.register(Series)
class SeriesAdmin(RacingAdmin):
    list_display = ["name", "short_name", "slug"]
    search_fields = ["name", "short_name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Season)
class SeasonAdmin(RacingAdmin):
    list_display = ["name", "series", "year", "is_complete"]
    list_filter = ["series", "is_complete"]
    list_select_related = ["series"]
    search_fields = ["name", "series__name", "year"]
    inlines = [SeasonClassInline, RoundInlineForSeason]

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        """The link to the season's rules, or to adding them with the preset proposed."""
        if obj is not None and obj.pk:
            rules = ChampionshipRules.objects.filter(season=obj).values_list("pk", flat=True)
            context["season_rules_pk"] = rules.first()
        return super().render_change_form(request, context, add, change, form_url, obj)


@admin.register(CarClass)
class CarClassAdmin(RacingAdmin):
    list_display = ["code", "name", "colour", "parent", "own_championship"]
    list_select_related = ["parent"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["parent"]


@admin.register(Circuit)
class CircuitAdmin(FoldedSearchMixin, RacingAdmin):
    list_display = ["name", "place", "country", "time_zone"]
    list_filter = ["country"]
    search_fields = ["search_key"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [LayoutInline]


@admin.register(CircuitLayout)
class CircuitLayoutAdmin(RacingAdmin):
    list_display = ["circuit", "since", "length_km", "name"]
    list_select_related = ["circuit"]
    list_filter = ["circuit"]
    search_fields = ["circuit__name", "name"]


@admin.register(Event)
class EventAdmin(CircuitTimeZoneMixin, RacingAdmin):
    list_display = ["name", "first_day", "last_day", "circuit", "status"]
    list_filter = ["rounds__season__series", "rounds__season", "status"]
    list_select_related = ["circuit"]
    search_fields = ["name", "slug", "circuit__name"]
    date_hierarchy = "last_day"
    autocomplete_fields = ["circuit", "layout"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [RoundInlineForEvent, SessionInline, EntryInline]

    def autocomplete_label(self, obj):
        return event_label(obj)

    def circuit_time_zone(self, obj):
        return obj.circuit.time_zone

    def new_object_time_zone(self, request):
        if (pk := chosen_pk(request, "circuit")) is None:
            return None
        return Circuit.objects.filter(pk=pk).values_list("time_zone", flat=True).first()

    def get_urls(self):
        """The weekend import (several timing files or a zip): races/importers/event_admin.py;
        the results and crews grids and the copied entry list: races/grid_admin.py."""
        from races import grid_admin
        from races.importers import event_admin

        def view(function):
            return self.admin_site.admin_view(partial(function, self))

        return [
            *grid_admin.urls(view),
            path(
                "<path:object_id>/import/",
                view(event_admin.weekend_upload),
                name="races_event_import",
            ),
            path(
                "<path:object_id>/import/<str:token>/",
                view(event_admin.weekend_preview),
                name="races_event_import_preview",
            ),
            *super().get_urls(),
        ]

    def get_queryset(self, request):
        return super().get_queryset(request).distinct()

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        """The links to each session's results grid (races/grid_admin.py)."""
        if obj is not None and obj.pk:
            context["grid_sessions"] = list(obj.sessions.order_by("order"))
        return super().render_change_form(request, context, add, change, form_url, obj)


@admin.register(Round)
class RoundAdmin(RacingAdmin):
    list_display = ["season", "year", "number", "event", "event_days"]
    list_filter = ["season__series", "season", RoundYearFilter]
    list_select_related = ["season", "event"]
    ordering = ["-season__year", "season__series__name", "-number"]
    search_fields = ["event__name", "season__name"]
    autocomplete_fields = ["season", "event"]

    @admin.display(description=_("year"), ordering="season__year")
    def year(self, obj):
        return obj.season.year

    @admin.display(description=_("last day"), ordering="event__last_day")
    def event_days(self, obj):
        return obj.event.last_day

    def get_deleted_objects(self, objs, request):
        """A round that cars are registered for through it is protected: the delete page (and
        the delete action) lists why and deletes nothing."""
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        for round_ in objs:
            registered = registrations_counting_on_round(round_.pk).count()
            if registered:
                protected = [
                    *protected,
                    _("Round %(number)s of %(season)s: %(reason)s")
                    % {
                        "number": round_.number,
                        "season": round_.season,
                        "reason": round_registrations_message(registered),
                    },
                ]
        return deleted, counts, perms_needed, protected


@admin.register(Session)
class SessionAdmin(CircuitTimeZoneMixin, RacingAdmin):
    list_display = ["name", "event", "year", "seasons", "kind", "local_start", "results_status"]
    list_filter = [
        "event__rounds__season__series",
        "event__rounds__season",
        EventYearFilter,
        "kind",
        "results_status",
    ]
    list_select_related = ["event"]
    ordering = [NEWEST_EVENT_FIRST, "-event__pk", "-order"]
    search_fields = ["name", "event__name"]
    autocomplete_fields = ["event"]
    inlines = [ResultInline]
    actions = ["renumber_finish_order"]

    def get_inlines(self, request, obj):
        """A race also shows the laps its lap analysis stored (none before an import: the
        section is there all the same, so that a page drawn before an import still saves)."""
        if obj is not None and obj.kind == Session.Kind.RACE:
            return [ResultInline, RaceLapsInline]
        return [ResultInline]

    object_history_template = "admin/races/session/object_history.html"

    @admin.display(description=_("year"), ordering="event__last_day")
    def year(self, obj):
        return year_of(obj.event)

    @admin.display(description=_("championships"))
    def seasons(self, obj):
        return seasons_of(obj.event)

    def autocomplete_label(self, obj):
        return f"{obj.name} · {event_label(obj.event)}"

    def history_view(self, request, object_id, extra_context=None):
        """The session's history and its results' (races/history.py)."""
        pk = parse_id(unquote(object_id), Session._meta.pk)
        if pk is not None and self.has_view_or_change_permission(request):
            extra_context = {**(extra_context or {}), "result_changes": result_changes(pk)}
        return super().history_view(request, object_id, extra_context)

    def circuit_time_zone(self, obj):
        return obj.event.circuit.time_zone

    def new_object_time_zone(self, request):
        if (pk := chosen_pk(request, "event")) is None:
            return None
        events = Event.objects.filter(pk=pk)
        return events.values_list("circuit__time_zone", flat=True).first()

    @admin.display(description=_("start (local time)"), ordering="start")
    def local_start(self, obj):
        if obj.start is None:
            return None
        zone = zoneinfo.ZoneInfo(obj.event.circuit.time_zone)
        return formats.localize(timezone.localtime(obj.start, zone).replace(tzinfo=None))

    def get_queryset(self, request):
        queryset = super().get_queryset(request).select_related("event__circuit").distinct()
        return queryset.prefetch_related(event_rounds("event"))

    def get_urls(self):
        """Classification import (upload, preview, confirm) and export: races/importers."""
        from races.importers import admin_views

        def view(function):
            return self.admin_site.admin_view(partial(function, self))

        return [
            path(
                "<path:object_id>/import/",
                view(admin_views.import_upload),
                name="races_session_import",
            ),
            path(
                "<path:object_id>/import/<str:token>/",
                view(admin_views.import_preview),
                name="races_session_import_preview",
            ),
            path(
                "<path:object_id>/export/",
                view(admin_views.export_csv),
                name="races_session_export",
            ),
            *super().get_urls(),
        ]

    @admin.action(description=_("Renumber the finish order (1, 2, 3… closing gaps)"))
    def renumber_finish_order(self, request, queryset):
        total = sum(renumber_finish_order(session) for session in queryset)
        self.message_user(
            request,
            ngettext("%(n)d result renumbered.", "%(n)d results renumbered.", total) % {"n": total},
            messages.SUCCESS,
        )


@admin.register(Team)
class TeamAdmin(TeamTools, FoldedSearchMixin, RacingAdmin):
    """With its entries on the change page and the merge of two teams (races/people_admin.py)."""

    list_display = ["name", "country", "slug"]
    list_filter = ["country"]
    search_fields = ["search_key"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(TeamRedirect)
class TeamRedirectAdmin(RacingAdmin):
    list_display = ["old_slug", "old_name", "team", "created_at"]
    list_select_related = ["team"]
    search_fields = ["old_slug", "old_name", "team__name"]
    autocomplete_fields = ["team"]


@admin.register(Driver)
class RacingDriverAdmin(DriverTools, RacingAdmin, DriverAdmin):
    """The drivers' admin (drivers/admin.py) with its racing half: the entries on the change
    page, merge and split (races/people_admin.py), and every POST one block of the write path
    (RacingAdmin), so that a save of many drivers advances the data version once. drivers
    never imports races: races registers it (docs/decisions/0022-merge-and-split.md)."""

    def autocomplete_label(self, obj):
        """The name as the pages show it: with the years raced where another driver bears it,
        so that an editor picks the right "Horst Felbermayr Sr." for a crew."""
        return obj.shown_name


@admin.register(Entry)
class EntryAdmin(RacingAdmin):
    list_display = ["__str__", "year", "event", "seasons", "car_class", "team", "chassis", "status"]
    list_filter = [
        "event__rounds__season__series",
        "event__rounds__season",
        EventYearFilter,
        "car_class",
        "status",
    ]
    list_select_related = ["event", "car_class", "team"]
    ordering = [NEWEST_EVENT_FIRST, "-event__pk", "number"]
    search_fields = ["number", "event__name", "team__name", "entrant", "chassis"]
    autocomplete_fields = ["event", "car_class", "team"]
    inlines = [CrewInline, RegistrationInline]

    @admin.display(description=_("year"), ordering="event__last_day")
    def year(self, obj):
        return year_of(obj.event)

    @admin.display(description=_("championships"))
    def seasons(self, obj):
        return seasons_of(obj.event)

    def autocomplete_label(self, obj):
        return entry_label(obj)

    def get_queryset(self, request):
        # The list's columns and the autocomplete's label (list_select_related is not applied
        # to a queryset that selects related rows already).
        queryset = super().get_queryset(request).select_related("event", "car_class", "team")
        queryset = queryset.distinct()
        return queryset.prefetch_related(event_rounds("event"))


class ResultForm(forms.ModelForm):
    def clean(self):
        """One result edited alone keeps the class order of its session's stored results."""
        cleaned_data = super().clean()
        session, entry = cleaned_data.get("session"), cleaned_data.get("entry")
        if session is not None and entry is not None:
            result = Result(
                pk=self.instance.pk,
                session=session,
                entry=entry,
                finish_order=cleaned_data.get("finish_order"),
                class_position=cleaned_data.get("class_position"),
                parent_class_position=cleaned_data.get("parent_class_position"),
            )
            for error in result_order_errors(result):
                self.add_error(None, error)
        return cleaned_data


@admin.register(Result)
class ResultAdmin(RacingAdmin):
    form = ResultForm
    list_display = [
        "__str__",
        "year",
        "event",
        "seasons",
        "session",
        "entry",
        "car_class",
        "position",
        "class_position",
        "laps",
        "status",
    ]
    list_filter = [
        "session__event__rounds__season__series",
        "session__event__rounds__season",
        SessionEventYearFilter,
        "entry__car_class",
        "status",
    ]
    list_select_related = ["session__event", "entry__car_class"]
    ordering = [
        F("session__event__last_day").desc(nulls_last=True),
        "-session__event__pk",
        "-session__order",
        F("finish_order").asc(nulls_last=True),
    ]
    search_fields = ["entry__number", "session__event__name", "reason"]
    autocomplete_fields = ["session", "entry"]

    @admin.display(description=_("year"), ordering="session__event__last_day")
    def year(self, obj):
        return year_of(obj.session.event)

    @admin.display(description=_("event"), ordering="session__event__name")
    def event(self, obj):
        return obj.session.event.name

    @admin.display(description=_("championships"))
    def seasons(self, obj):
        return seasons_of(obj.session.event)

    @admin.display(description=_("class"), ordering="entry__car_class__code")
    def car_class(self, obj):
        return obj.entry.car_class.code

    def get_queryset(self, request):
        queryset = super().get_queryset(request).distinct()
        return queryset.prefetch_related(event_rounds("session__event"))


# --- championship rules -----------------------------------------------------------------------


class ScalePointsFormSet(BaseInlineFormSet):
    """A scale's rows together: positions without a gap, points that never rise, further points
    not above the last position's (standings.scale_errors)."""

    def clean(self):
        super().clean()
        rows = []
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or self._should_delete_form(form):
                continue
            if data.get("position") is not None and data.get("points") is not None:
                rows.append((data["position"], data["points"]))
        errors = scale_errors(rows, self.instance.further_points)
        if errors:
            raise ValidationError(errors)


class ScalePointsInline(admin.TabularInline):
    model = ScalePoints
    formset = ScalePointsFormSet
    extra = 0
    fields = ["position", "points"]


class ClassScaleInline(admin.TabularInline):
    model = ClassScale
    extra = 0
    autocomplete_fields = ["car_class", "scale"]


class PoleAwardInline(admin.TabularInline):
    model = PoleAward
    extra = 0
    fields = ["round", "car_class", "entry", "source"]
    autocomplete_fields = ["round", "car_class", "entry"]


def warn_scale_without_source(request, scale):
    """A scale with no source on record is said on the form that shows or proposes it."""
    if scale is not None and not scale.has_source:
        messages.warning(
            request,
            _(
                "The points scale “%(name)s” has no source on record: check it against the "
                "season's sporting regulations, and name them as its source."
            )
            % {"name": scale.name},
        )


@admin.register(PointsScale)
class PointsScaleAdmin(RacingAdmin):
    list_display = [
        "name",
        "slug",
        "further_points",
        "pole_points",
        "series_slug",
        "first_year",
        "last_year",
        "source_on_record",
    ]
    search_fields = ["name", "slug", "source"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [ScalePointsInline]

    @admin.display(description=_("source"))
    def source_on_record(self, obj):
        return Truncator(obj.source).chars(60) if obj.has_source else _("none on record")

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if request.method == "GET":
            warn_scale_without_source(request, obj)
        return super().render_change_form(request, context, add, change, form_url, obj)


class ChampionshipRulesForm(forms.ModelForm):
    """On the add form the scale may be left empty: the preset whose seasons include the
    season's (its series and year) is taken, the narrowest era first, with its pole bonus
    where the editor left the bonus empty or at its default 0; a bonus other than 0 is the
    editor's and stays (for no bonus with the preset's points, choose the scale itself)."""

    class Meta:
        model = ChampionshipRules
        fields = "__all__"  # noqa: DJ007 - the admin's fieldsets choose

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk is None and "scale" in self.fields:
            self.fields["scale"].required = False
            self.fields["scale"].help_text = _(
                "Empty: the preset that applies to the season (its series and year)."
            )
            if "pole_points" in self.fields:
                self.fields["pole_points"].required = False
                self.fields["pole_points"].help_text = _(
                    "Empty or 0 with the scale left empty: the preset's bonus. Empty with a "
                    "scale chosen: that scale's bonus."
                )

    def clean(self):
        cleaned = super().clean()
        season = cleaned.get("season")
        if self.instance.pk is None and not cleaned.get("scale") and season is not None:
            preset = PointsScale.objects.presets_for(season).first()
            if preset is None:
                self.add_error("scale", _("No preset applies to this season: choose a scale."))
            else:
                cleaned["scale"] = preset
                self.instance.scale = preset
                default = ChampionshipRules._meta.get_field("pole_points").default
                if cleaned.get("pole_points") in (None, default):
                    cleaned["pole_points"] = preset.pole_points
                    self.instance.pole_points = preset.pole_points
        if "pole_points" in cleaned and cleaned["pole_points"] is None:
            scale = cleaned.get("scale")
            cleaned["pole_points"] = scale.pole_points if scale is not None else None
            if scale is None:
                self.add_error("pole_points", _("Give the class pole bonus."))
        return cleaned


@admin.register(ChampionshipRules)
class ChampionshipRulesAdmin(RacingAdmin):
    form = ChampionshipRulesForm
    list_display = ["season", "scale", "scale_source", "pole_points", "team_standings", "best_n"]
    list_filter = ["season__series", "team_standings"]
    list_select_related = ["season", "scale"]
    search_fields = ["season__name", "scale__name"]
    autocomplete_fields = ["season", "scale"]
    inlines = [ClassScaleInline, PoleAwardInline]

    @admin.display(description=_("source of the scale"))
    def scale_source(self, obj):
        return _("on record") if obj.scale.has_source else _("none on record")

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        """The scale shown or proposed is said to have no source where it has none."""
        if request.method == "GET":
            scale = obj.scale if obj is not None else None
            proposed = context["adminform"].form.initial.get("scale")
            if scale is None and proposed is not None:
                scale = PointsScale.objects.filter(pk=proposed).first()
            warn_scale_without_source(request, scale)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def get_changeform_initial_data(self, request):
        """With ?season=<id>, the add form proposes the preset that applies to that season
        (its scale and its pole bonus)."""
        initial = super().get_changeform_initial_data(request)
        season_pk = parse_id(request.GET.get("season", ""), Season._meta.pk)
        season = Season.objects.select_related("series").filter(pk=season_pk).first()
        if season is None:
            initial.pop("season", None)  # not a season's id: propose nothing
        else:
            initial["season"] = season.pk
            preset = PointsScale.objects.presets_for(season).first()
            if preset is not None:
                initial["scale"] = preset.pk
                initial["pole_points"] = preset.pole_points
        return initial


@admin.register(Adjustment)
class AdjustmentAdmin(RacingAdmin):
    list_display = ["round", "entry", "driver", "points", "reason"]
    list_filter = ["round__season__series", "round__season"]
    list_select_related = ["round", "entry", "driver"]
    search_fields = ["reason", "entry__number", "driver__search_key", "round__event__name"]
    autocomplete_fields = ["round", "entry", "driver"]


@admin.register(Title)
class TitleAdmin(RacingAdmin):
    """Official champions and final positions as a source states them: the standings page
    shows them beside the computed table."""

    list_display = ["name", "season", "car_class", "kind", "position", "margin_points", "margin"]
    list_filter = ["season__series", "season", "kind"]
    list_select_related = ["season", "car_class"]
    search_fields = ["name", "season__name", "source"]
    autocomplete_fields = ["season", "car_class", "driver", "team"]


# --- what the timing import keeps per season (races/importers) ---------------------------------


@admin.register(ClassName)
class ClassNameAdmin(RacingAdmin):
    """A class as a season's timing files write it and the season's class it is: the import
    maps every file of the season through these (docs/decisions/0015-weekend-import.md)."""

    list_display = ["written", "car_class", "season"]
    list_filter = ["season__series", "season"]
    list_select_related = ["season", "car_class"]
    search_fields = ["written", "season__name", "car_class__code"]
    autocomplete_fields = ["season", "car_class"]


@admin.register(DriverLicence)
class DriverLicenceAdmin(RacingAdmin):
    """The FIA driver category per season, as the timing files write it."""

    list_display = ["driver", "season", "category"]
    list_filter = ["season__series", "season", "category"]
    list_select_related = ["season", "driver"]
    search_fields = ["driver__full_name", "season__name"]
    autocomplete_fields = ["driver", "season"]


@admin.register(FindingExplanation)
class FindingExplanationAdmin(GuardedAdmin):
    """The explanations of data-health findings, and the "Data health" page itself
    (races/health_admin.py): not racing data, so not a RacingAdmin."""

    list_display = ["rule", "key", "reason", "explained_by", "explained_at"]
    list_filter = ["rule"]
    list_select_related = ["explained_by"]
    search_fields = ["key", "reason"]
    readonly_fields = ["explained_by", "explained_at"]

    def get_urls(self):
        from races.health_admin import data_health

        return [
            path(
                "health/",
                self.admin_site.admin_view(partial(data_health, self)),
                name="races_findingexplanation_health",
            ),
            *super().get_urls(),
        ]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.explained_by = request.user
        super().save_model(request, obj, form, change)
