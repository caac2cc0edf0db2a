"""The event admin's grids: a session's results, the crews of every car, the entry list copied
from the previous round. Thin views over plain functions: races/results_grid.py (rules and the
results write), races/crews_grid.py (crews, the copy of an entry list).

Each screen is a plain formset that works without JavaScript; static/js/admin_grid.js adds
keyboard moves between cells (Enter: next cell, arrows: the row above or below).
"""

from django import forms
from django.contrib import messages
from django.contrib.admin.widgets import AutocompleteSelect, RelatedFieldWidgetWrapper
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from drivers.models import Driver
from drivers.names import validate_printable
from lmsite.outage import is_outage
from races import crews_grid, formats, results_grid, writes
from races.classification import entry_key
from races.models import MAX_LAPS, MAX_POSITION, Crew, Entry, Event, ResultStatus, Session

RESULT_PERMISSIONS = ["races.add_result", "races.change_result", "races.delete_result"]
CREW_PERMISSIONS = ["races.add_crew", "races.change_crew", "races.delete_crew"]
COPY_PERMISSIONS = ["races.add_entry", "races.add_crew", "races.add_registration"]


def get_event(model_admin, request, object_id, permissions):
    event = model_admin.get_object(request, object_id)
    if event is None:
        raise Http404(_("No such event."))
    if not (
        model_admin.has_change_permission(request, event) and request.user.has_perms(permissions)
    ):
        raise PermissionDenied
    return event


def context(model_admin, request, event, **extra):
    return {
        **model_admin.admin_site.each_context(request),
        "opts": Event._meta,
        "original": event,
        "event": event,
        "change_url": reverse("admin:races_event_change", args=[event.pk]),
        **extra,
    }


# --- the results grid -------------------------------------------------------------------------


# The longest time or gap an editor types (`+123:59:59.999999`, `+12 Runden`): longer is refused
# before it is read.
TYPED_TIME_LENGTH = 20


class DurationText(forms.CharField):
    """A time as timing screens write it: `6:00:24.815`, `3:41,123`."""

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        try:
            if len(value) > TYPED_TIME_LENGTH:
                raise ValueError(value)
            return results_grid.parse_duration(value)
        except ValueError:
            raise forms.ValidationError(
                _("“%(value)s” is not a time such as 3:41.123 or 6:00:24.815.") % {"value": value}
            ) from None


class GapText(forms.CharField):
    """A gap to the leader: `+2 laps` or `+1:23.456`, as (laps, time)."""

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return (None, None)
        try:
            if len(value) > TYPED_TIME_LENGTH:
                raise ValueError(value)
            return results_grid.parse_gap(value)
        except ValueError:
            raise forms.ValidationError(
                _("“%(value)s” is not a gap such as +2 laps or +1:23.456.") % {"value": value}
            ) from None


STATUS_CHOICES = [(results_grid.NO_RESULT, gettext_lazy("— no result —")), *ResultStatus.choices]


class ResultRowForm(forms.Form):
    entry = forms.IntegerField(widget=forms.HiddenInput)
    finish_order = forms.IntegerField(
        label=gettext_lazy("Finish order"), required=False, min_value=1, max_value=MAX_POSITION
    )
    position = forms.IntegerField(
        label=gettext_lazy("Position"), required=False, min_value=1, max_value=MAX_POSITION
    )
    class_position = forms.IntegerField(
        label=gettext_lazy("Class position"), required=False, min_value=1, max_value=MAX_POSITION
    )
    parent_class_position = forms.IntegerField(
        label=gettext_lazy("Position in parent class"),
        required=False,
        min_value=1,
        max_value=MAX_POSITION,
    )
    laps = forms.IntegerField(
        label=gettext_lazy("Laps"), required=False, min_value=0, max_value=MAX_LAPS
    )
    time = DurationText(label=gettext_lazy("Time"), required=False)
    gap = GapText(label=gettext_lazy("Gap"), required=False)
    best_lap = DurationText(label=gettext_lazy("Best lap"), required=False)
    status = forms.ChoiceField(label=gettext_lazy("Status"), choices=STATUS_CHOICES, required=False)
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        required=False,
        max_length=200,
        validators=[validate_printable],
    )

    TYPED = ("finish_order", "laps", "time", "gap", "best_lap", "reason")

    def __init__(self, *args, partial=False, parent_classes=False, **kwargs):
        super().__init__(*args, **kwargs)
        if not partial:
            del self.fields["position"]
            del self.fields["class_position"]
        if not (partial and parent_classes):
            del self.fields["parent_class_position"]
        for name in ("finish_order", "position", "laps", "class_position", "parent_class_position"):
            if name in self.fields:
                self.fields[name].widget = forms.TextInput(attrs={"inputmode": "numeric"})

    def clean(self):
        data = super().clean()
        if not data.get("status") and data.get("finish_order") is not None:
            data["status"] = ResultStatus.CLASSIFIED  # a place typed alone: a classified car
        if not data.get("status"):
            typed = [
                name
                for name in ("laps", "time", "best_lap", "reason", "position", "class_position")
                if data.get(name) not in (None, "")
            ]
            if typed or data.get("gap", (None, None)) != (None, None):
                raise forms.ValidationError(
                    _("Choose a status, or empty the row: a car without a result has no values.")
                )
        return data


class ResultGridFormSet(forms.BaseFormSet):
    def __init__(self, *args, entries=None, **kwargs):
        self.entries = entries
        super().__init__(*args, **kwargs)

    def clean(self):
        seen = set()
        for form in self.forms:
            entry_id = getattr(form, "cleaned_data", {}).get("entry")
            if entry_id is None:
                continue
            if entry_id not in self.entries:
                raise forms.ValidationError(_("A row names a car that is not entered here."))
            if entry_id in seen:
                raise forms.ValidationError(_("A car is in the grid twice."))
            seen.add(entry_id)


ResultFormSet = forms.formset_factory(
    ResultRowForm,
    formset=ResultGridFormSet,
    extra=0,
    max_num=MAX_POSITION,
    absolute_max=MAX_POSITION,
)


def result_initial(entry, result):
    if result is None:
        return {"entry": entry.pk, "status": results_grid.NO_RESULT}
    if result.gap_laps:
        gap = ngettext("+%(n)s lap", "+%(n)s laps", result.gap_laps) % {"n": result.gap_laps}
    elif result.gap_time is not None:
        gap = "+" + formats.format_duration(result.gap_time)
    else:
        gap = ""
    return {
        "entry": entry.pk,
        "finish_order": result.finish_order,
        "position": result.position if result.finish_order is None else None,
        "class_position": result.class_position,
        "parent_class_position": result.parent_class_position,
        "laps": result.laps,
        "time": formats.format_duration(result.time),
        "gap": gap,
        "best_lap": formats.format_duration(result.best_lap),
        "status": result.status,
        "reason": result.reason,
    }


def grid_row(entry, data):
    """The GridRow of a form's cleaned data."""
    return results_grid.GridRow(
        key=entry.pk,
        label=results_grid.car_label(entry),
        car_class=entry.car_class,
        status=data.get("status") or results_grid.NO_RESULT,
        finish_order=data.get("finish_order"),
        position=data.get("position"),
        class_position=data.get("class_position"),
        parent_class_position=data.get("parent_class_position"),
    )


def wanted_results(rows, cleaned, partial):
    """{entry id: the values of its result, or None} from the grid's rows and cleaned data."""
    positions = results_grid.derive_positions(rows, partial)
    wanted = {}
    for row in rows:
        if not row.has_result:
            wanted[row.key] = None
            continue
        data = cleaned[row.key]
        gap_laps, gap_time = data.get("gap") or (None, None)
        place = positions[row.key]
        wanted[row.key] = {
            "finish_order": row.finish_order,
            "position": place.position,
            "class_position": place.class_position,
            "parent_class_position": place.parent_class_position,
            "laps": data.get("laps"),
            "time": data.get("time"),
            "gap_laps": gap_laps,
            "gap_time": gap_time,
            "best_lap": data.get("best_lap"),
            "status": row.status,
            "reason": data.get("reason") or "",
        }
    return wanted


def changed_meanwhile(request, conflict, entries, message, stored_now):
    """After a save refused by `writes.ChangedMeanwhile`: the message naming the cars someone
    else changed, and {entry id: [problem]} saying on each such row what is stored now
    (`stored_now(entry id)`). The caller then draws the grid with the digest of what is
    stored now, so that a second save is the editor's choice, made knowing."""
    ids = {int(key) for key in conflict.keys if key.isdigit()}
    if not conflict.keys or len(ids) != len(conflict.keys):  # none, or a digest tampered with
        messages.error(request, GRID_OUT_OF_DATE)
        return {}
    changed = [entries[pk] for pk in sorted(ids) if pk in entries]
    labels = [results_grid.car_label(entry) for entry in changed]
    if len(changed) < len(ids):
        labels.append(_("a car no longer in this event"))
    messages.error(request, message % {"cars": ", ".join(labels)})
    return {
        entry.pk: [
            _("Changed by someone else after you opened the grid; stored now: %(now)s.")
            % {"now": stored_now(entry.pk)}
        ]
        for entry in changed
    }


def results_grid_view(model_admin, request, object_id, session_id):
    event = get_event(model_admin, request, object_id, RESULT_PERMISSIONS)
    session = get_object_or_404(Session, pk=session_id, event=event)
    entries = {
        entry.pk: entry
        for entry in Entry.objects.filter(event=event).with_crews().order_by("number", "pk")
    }
    results = {result.entry_id: result for result in session.results.all()}
    partial = session.results_status == Session.ResultsStatus.PARTIAL
    parent_classes = any(e.car_class.championship_parent_id for e in entries.values())
    ordered = sorted(entries.values(), key=lambda entry: grid_key(entry, results.get(entry.pk)))
    form_kwargs = {"partial": partial, "parent_classes": parent_classes}
    problems = {}
    loaded = results_grid.loaded_digest(results.values())
    if request.method == "POST":
        loaded = request.POST.get("loaded", "")
        formset = ResultFormSet(request.POST, entries=entries, form_kwargs=form_kwargs)
        valid = formset.is_valid()
        # The rules across rows are checked even when a row has a bad value: every problem at once.
        cleaned = {
            form.cleaned_data["entry"]: form.cleaned_data
            for form in formset.forms
            if form.cleaned_data.get("entry") in entries
        }
        rows = [grid_row(entries[pk], data) for pk, data in cleaned.items()]
        problems = results_grid.grid_problems(rows, partial)
        if valid and not problems:
            try:
                saved = results_grid.save_results(
                    session, wanted_results(rows, cleaned, partial), event.layout, loaded
                )
            except writes.ChangedMeanwhile as conflict:
                now = {result.entry_id: result for result in session.results.all()}
                problems = changed_meanwhile(
                    request,
                    conflict,
                    entries,
                    RESULTS_CHANGED_MEANWHILE,
                    lambda pk: results_grid.describe_result(now.get(pk)),
                )
                if conflict.keys:
                    loaded = results_grid.loaded_digest(now.values())
            except DatabaseError as error:
                if is_outage(error):
                    raise
                messages.error(
                    request,
                    _(
                        "The results could not be saved: the session changed meanwhile. "
                        "Nothing was written; reload the grid and try again."
                    ),
                )
            else:
                messages.success(request, saved_message(saved))
                return redirect(request.path)
    else:
        formset = ResultFormSet(
            initial=[result_initial(entry, results.get(entry.pk)) for entry in ordered],
            entries=entries,
            form_kwargs=form_kwargs,
        )
    grid = []
    for form in formset.forms:
        entry = entries.get(form["entry"].value() and int_or_none(form["entry"].value()))
        if entry is None:
            continue
        label_cells(form, entry)
        grid.append(
            {
                "form": form,
                "entry": entry,
                "result": results.get(entry.pk),
                "problems": problems.get(entry.pk, []),
            }
        )
    sessions = list(event.sessions.order_by("order"))
    return TemplateResponse(
        request,
        "admin/races/event/results_grid.html",
        context(
            model_admin,
            request,
            event,
            session=session,
            sessions=sessions,
            formset=formset,
            loaded=loaded,
            grid=grid,
            partial=partial,
            parent_classes=parent_classes,
            has_problems=bool(problems) or formset.total_error_count(),
            title=_("Results of %(session)s, %(event)s") % {"session": session, "event": event},
        ),
    )


def int_or_none(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def grid_key(entry, result):
    """The grid's order: the stored finish order, then cars with a result (class position),
    then the others as the entry list."""
    if result is None:
        return (2, 0, entry_key(entry))
    if result.finish_order is None:
        return (1, result.class_position or 10_000, entry_key(entry))
    return (0, result.finish_order, entry_key(entry))


def label_cells(form, entry):
    """Each input names its column and its car, for screen readers: “Laps, #39”."""
    car = results_grid.car_label(entry)
    for name, field in form.fields.items():
        if name != "entry":
            field.widget.attrs["aria-label"] = f"{field.label}, {car}"
            field.widget.attrs["data-column"] = name


def saved_message(saved):
    if not (saved.created or saved.changed or saved.deleted):
        return _("Nothing changed.")
    return _("Saved: %(created)d new, %(changed)d changed, %(deleted)d removed results.") % {
        "created": saved.created,
        "changed": saved.changed,
        "deleted": saved.deleted,
    }


# --- the crews grid ---------------------------------------------------------------------------

CREW_PLACES = 4  # a grid row offers four places, more when a car has more


def is_driver_id(value):
    """Whether a posted value can be a driver's id: digits a database integer holds (more
    digits are no driver, and must not reach a query)."""
    return str(value).isdigit() and len(str(value)) <= 18


class KnownDriversSelect(AutocompleteSelect):
    """The admin's driver autocomplete; the drivers a crew names are loaded once for the grid
    (`known`, pk → name), not once per select."""

    known = None

    def optgroups(self, name, value, attr=None):
        # A value posted back that could be no driver's id is drawn as nothing chosen.
        selected = [str(v) for v in value if is_driver_id(v)]
        value = selected
        known = self.known or {}
        if not all(v.isdigit() and int(v) in known for v in selected):
            return super().optgroups(name, value, attr)
        options = [self.create_option(name, "", "", False, 0)]
        options += [
            self.create_option(name, v, known[int(v)], True, i)
            for i, v in enumerate(selected, start=1)
        ]
        return [(None, options, 0)]


class DriverChoice(forms.ModelChoiceField):
    """A driver's id, checked against the database for the whole grid at once
    (CrewGridFormSet.clean), not once per select."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if not is_driver_id(value):
            raise forms.ValidationError(_("Choose a driver from the list."))
        return int(value)

    def validate(self, value):
        pass


class CrewRowForm(forms.Form):
    entry = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, places=CREW_PLACES, admin_site=None, can_add=False, **kwargs):
        super().__init__(*args, **kwargs)
        rel = Crew._meta.get_field("driver")
        for place in range(1, places + 1):
            select = KnownDriversSelect(rel, admin_site)
            widget = RelatedFieldWidgetWrapper(
                select, rel.remote_field, admin_site, can_add_related=can_add
            )
            self.fields[f"driver_{place}"] = DriverChoice(
                Driver.objects.all(), required=False, widget=widget
            )
            self.fields[f"driver_{place}"].label = _("Driver %(n)d") % {"n": place}
            self.fields[f"drove_{place}"] = forms.NullBooleanField(
                label=_("Driver %(n)d drove") % {"n": place}, required=False
            )
        self.places = places

    def crew(self):
        """[(driver id, drove)] of the places filled, in order."""
        data = self.cleaned_data
        return [
            (data[f"driver_{p}"], data.get(f"drove_{p}"))
            for p in range(1, self.places + 1)
            if data.get(f"driver_{p}") is not None
        ]

    def place_fields(self):
        return [(self[f"driver_{p}"], self[f"drove_{p}"]) for p in range(1, self.places + 1)]


class CrewGridFormSet(ResultGridFormSet):
    def clean(self):
        super().clean()
        if any(not hasattr(form, "cleaned_data") for form in self.forms):
            return
        ids = {driver_id for form in self.forms for driver_id, _drove in form.crew() if driver_id}
        self.drivers = Driver.objects.in_bulk(ids)
        if len(self.drivers) != len(ids):
            raise forms.ValidationError(_("A driver chosen no longer exists: reload the grid."))


CrewFormSet = forms.formset_factory(
    CrewRowForm, formset=CrewGridFormSet, extra=0, max_num=MAX_POSITION, absolute_max=MAX_POSITION
)


def crews_grid_view(model_admin, request, object_id):
    event = get_event(model_admin, request, object_id, CREW_PERMISSIONS)
    entries = {
        entry.pk: entry
        for entry in Entry.objects.filter(event=event).with_crews().order_by("number", "pk")
    }
    ordered = sorted(entries.values(), key=entry_key)
    known = {m.driver_id: m.driver.full_name for e in ordered for m in e.crew.all()}
    places = max([CREW_PLACES, *(len(e.crew.all()) for e in ordered)])
    form_kwargs = {
        "places": places,
        "admin_site": model_admin.admin_site,
        "can_add": request.user.has_perm("drivers.add_driver"),
    }
    problems = {}
    loaded = crews_grid.loaded_digest(m for e in ordered for m in e.crew.all())
    if request.method == "POST":
        loaded = request.POST.get("loaded", "")
        formset = CrewFormSet(request.POST, entries=entries, form_kwargs=form_kwargs)
        if formset.is_valid():
            # A row the editor's browser added beyond the event's cars comes back empty: skipped.
            wanted = {
                form.cleaned_data["entry"]: form.crew()
                for form in formset.forms
                if form.cleaned_data.get("entry") in entries
            }
            labels = {pk: driver.full_name for pk, driver in formset.drivers.items()}
            known.update(labels)
            problems = crews_grid.crew_problems(wanted, labels)
            if not problems:
                try:
                    saved = crews_grid.save_crews(event, wanted, loaded)
                except writes.ChangedMeanwhile as conflict:
                    now = list(Crew.objects.filter(entry__event=event).select_related("driver"))
                    problems = changed_meanwhile(
                        request,
                        conflict,
                        entries,
                        CREWS_CHANGED_MEANWHILE,
                        lambda pk: crews_grid.describe_crew(m for m in now if m.entry_id == pk),
                    )
                    if conflict.keys:
                        loaded = crews_grid.loaded_digest(now)
                except DatabaseError as error:
                    if is_outage(error):
                        raise
                    messages.error(request, CHANGED_MEANWHILE)
                else:
                    messages.success(request, crews_message(saved))
                    return redirect(request.path)
    else:
        initial = []
        for entry in ordered:
            row = {"entry": entry.pk}
            for place, member in enumerate(entry.crew.all(), start=1):
                row[f"driver_{place}"] = member.driver_id
                row[f"drove_{place}"] = member.drove
            initial.append(row)
        formset = CrewFormSet(initial=initial, entries=entries, form_kwargs=form_kwargs)
    grid = []
    for form in formset.forms:
        entry = entries.get(int_or_none(form["entry"].value()))
        if entry is None:
            continue
        car = results_grid.car_label(entry)
        for name, field in form.fields.items():
            if name == "entry":
                continue
            widget = getattr(field.widget, "widget", field.widget)
            widget.known = known
            widget.attrs["aria-label"] = f"{field.label}, {car}"
        grid.append({"form": form, "entry": entry, "problems": problems.get(entry.pk, [])})
    return TemplateResponse(
        request,
        "admin/races/event/crews_grid.html",
        context(
            model_admin,
            request,
            event,
            formset=formset,
            loaded=loaded,
            grid=grid,
            places=range(1, places + 1),
            media=model_admin.media + formset.media,
            has_problems=bool(problems) or formset.total_error_count(),
            title=_("Crews of %(event)s") % {"event": event},
        ),
    )


RESULTS_CHANGED_MEANWHILE = gettext_lazy(
    "Nothing was saved: someone else changed the results of %(cars)s after you opened the "
    "grid. Their rows say what is stored now: save again to put your values in its place, or "
    "reload the grid to start from it."
)
CREWS_CHANGED_MEANWHILE = gettext_lazy(
    "Nothing was saved: someone else changed the crews of %(cars)s after you opened the grid. "
    "Their rows say what is stored now: save again to put your values in its place, or reload "
    "the grid to start from it."
)
GRID_OUT_OF_DATE = gettext_lazy(
    "Nothing was saved: this grid does not say what it was opened with (it may have been "
    "opened before the site was last updated). Reload it and enter your changes again."
)
CHANGED_MEANWHILE = gettext_lazy(
    "Nothing was saved: the event changed meanwhile. Reload the grid and try again."
)


def crews_message(saved):
    if not (saved.created or saved.changed or saved.deleted):
        return _("Nothing changed.")
    return _("Saved: %(created)d new, %(changed)d changed, %(deleted)d removed crew places.") % {
        "created": saved.created,
        "changed": saved.changed,
        "deleted": saved.deleted,
    }


# --- the entry list of the previous round -------------------------------------------------------


def copy_entries_view(model_admin, request, object_id):
    event = get_event(model_admin, request, object_id, COPY_PERMISSIONS)
    rounds = crews_grid.previous_rounds(event)
    has_entries = Entry.objects.filter(event=event).exists()
    refusal = None
    if has_entries:
        refusal = _("The event has entries already: the entry list is copied into an empty event.")
    elif not rounds:
        refusal = _(
            "The event has no previous round in its championships: there is nothing to copy."
        )
    if request.method == "POST" and refusal is None:
        chosen = {str(r.pk): r for r in rounds}.get(request.POST.get("round", ""))
        if chosen is None:
            refusal = _("Choose the round to copy from.")
        else:
            try:
                copied = crews_grid.copy_entries(event, chosen.event)
            except crews_grid.CopyRefused as refused:
                messages.error(request, str(refused))
            else:
                messages.success(request, copied_message(copied, chosen))
                return redirect("admin:races_event_change", event.pk)
    return TemplateResponse(
        request,
        "admin/races/event/copy_entries.html",
        context(
            model_admin,
            request,
            event,
            rounds=rounds,
            refusal=refusal,
            can_copy=bool(rounds) and not has_entries,
            title=_("Copy the entry list of the previous round"),
        ),
    )


def copied_message(copied, chosen):
    message = _(
        "Copied from %(event)s: %(entries)d cars, %(crew)d crew places, "
        "%(registrations)d registrations."
    ) % {
        "event": chosen.event,
        "entries": copied.entries,
        "crew": copied.crew,
        "registrations": copied.registrations,
    }
    if copied.skipped:
        message += " " + _("Not copied (withdrawn, not accepted or a number twice): %(cars)s.") % {
            "cars": ", ".join(copied.skipped)
        }
    return message


def urls(view):
    """The grids' URLs under an event of the admin (EventAdmin.get_urls)."""
    from django.urls import path

    return [
        path(
            "<path:object_id>/results/<int:session_id>/",
            view(results_grid_view),
            name="races_event_results",
        ),
        path("<path:object_id>/crews/", view(crews_grid_view), name="races_event_crews"),
        path(
            "<path:object_id>/copy-entries/",
            view(copy_entries_view),
            name="races_event_copy_entries",
        ),
    ]
