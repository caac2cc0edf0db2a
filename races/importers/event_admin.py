"""The admin's weekend import on an event: several timing files or a zip (upload) → the combined
preview of every file (races/importers/weekend.py, a dry run) with the questions to settle →
confirm.

The upload is staged as one zip (several files are zipped as they come) like the session's
import stages its file (races/importers/admin_views.py). Confirming imports only if nothing was
written to the racing data since the preview (the data version is the same) and the files and
choices are the ones previewed: the same inputs on the same data give the same import.
"""

import hashlib
import io
import zipfile

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from drivers.names import fold
from races import writes
from races.importers import weekend as weekend_import
from races.importers.admin_views import (
    IMPORT_PERMISSIONS,
    NotStaged,
    class_field,
    remove_expired,
    request_size,
    stage,
    staged_file,
    unstage,
)
from races.importers.classification import NEW, Decisions, decision_key
from races.models import Event

UPLOAD_MAX = 20 * 1024 * 1024  # the files (or the zip) of one weekend: about 1 MB of CSV
UPLOAD_MAX_BODY = UPLOAD_MAX + 64 * 1024
UPLOAD_MAX_FILES = 60
EVENT_PERMISSIONS = [*IMPORT_PERMISSIONS, "races.add_session"]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(item, initial) for item in data]
        return [single(data, initial)]


class WeekendForm(forms.Form):
    files = MultipleFileField(
        label=gettext_lazy("Timing files"),
        help_text=gettext_lazy(
            "The event's official timing CSV files (several at once) or one zip of them, at most "
            "20 MB. Hourly interim classifications and support races are ignored."
        ),
    )

    def clean_files(self):
        uploads = self.cleaned_data["files"]
        if len(uploads) > UPLOAD_MAX_FILES:
            raise forms.ValidationError(
                _("At most %(n)d files at once: upload a zip.") % {"n": UPLOAD_MAX_FILES}
            )
        if sum(upload.size for upload in uploads) > UPLOAD_MAX:
            raise forms.ValidationError(_("The files are larger than 20 MB together."))
        return uploads


def bundle(uploads):
    """One zip of the uploaded files (or the uploaded zip itself)."""
    if len(uploads) == 1 and zipfile.is_zipfile(uploads[0]):
        uploads[0].seek(0)
        return uploads[0].read()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as archive:
        for upload in uploads:
            name = upload.name.replace("/", "_").replace("\\", "_")[:200] or "file.csv"
            archive.writestr(name, upload.read())
    return out.getvalue()


def get_event(model_admin, request, object_id):
    event = model_admin.get_object(request, object_id)
    if event is None:
        raise Http404(_("No such event."))
    if not (
        model_admin.has_change_permission(request, event)
        and request.user.has_perms(EVENT_PERMISSIONS)
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


def weekend_upload(model_admin, request, object_id):
    event = get_event(model_admin, request, object_id)
    remove_expired()
    problems = []
    if request.method == "POST" and request_size(request) > UPLOAD_MAX_BODY:
        form = WeekendForm()
        problems = [_("The upload is larger than 20 MB.")]
    elif request.method == "POST":
        form = WeekendForm(request.POST, request.FILES)
        if form.is_valid():
            content = bundle(form.cleaned_data["files"])
            try:
                weekend_import.read_zip(content)
            except weekend_import.WeekendError as error:
                problems = [str(error)]
            else:
                names = ", ".join(upload.name for upload in form.cleaned_data["files"])
                token = stage(request, event, names[:300], content, kind="event")
                return redirect("admin:races_event_import_preview", event.pk, token)
    else:
        form = WeekendForm()
    return TemplateResponse(
        request,
        "admin/races/event/import_upload.html",
        context(
            model_admin,
            request,
            event,
            form=form,
            problems=problems,
            title=_("Import the timing files of %(event)s") % {"event": event},
        ),
    )


def posted_decisions(data, files):
    """The editor's decisions from the preview form for the names and classes of every file."""
    decisions = Decisions()
    for file in files:
        if file.parsed is None:
            continue
        for row in file.parsed.rows:
            chosen = data.get(class_field(row.car_class), "")
            if chosen.isascii() and chosen.isdigit():
                decisions.classes[fold(row.car_class)] = chosen
            people = [("team", row.team, "")] if row.team else []
            people += [("driver", name.written, row.number) for name in row.drivers]
            for kind, written, car in people:
                key = decision_key(kind, written, car)
                person = data.get(f"person-{key}", "")
                if person == NEW or (person.isascii() and person.isdigit()):
                    decisions.people[key] = person
                name = data.get(f"name-{key}", "")
                if name.strip():
                    decisions.names[key] = name[:200]
    return decisions


def fingerprint(content, decisions, version):
    """The import the editor previews: the files, the choices and the data it was planned on."""
    names = sorted((key, " ".join(name.split())) for key, name in decisions.names.items())
    text = repr(
        (
            hashlib.sha256(content).hexdigest(),
            sorted(decisions.classes.items()),
            sorted(decisions.people.items()),
            [(key, name) for key, name in names if name],
            version,
        )
    )
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def form_decisions(decisions, choices, new_people):
    """The decisions the preview form posts back as it is drawn: its classes, the choices made
    and the name of every new one."""
    shown = Decisions(classes=dict(decisions.classes))
    for match in choices:
        if match.decided:
            shown.people[match.key] = NEW if match.is_new else str(match.obj.pk)
    for match in [*choices, *new_people]:
        shown.names[match.key] = match.display[:200]
    return shown


def weekend_preview(model_admin, request, object_id, token):
    event = get_event(model_admin, request, object_id)
    remove_expired()
    try:
        name, content = staged_file(request, event, token, kind="event")
    except NotStaged as error:
        messages.error(request, str(error))
        return redirect("admin:races_event_import", event.pk)
    entries = weekend_import.read_zip(content)
    data = request.POST if request.method == "POST" else {}
    decisions = posted_decisions(data, weekend_import.parse_files(event, entries))
    failure = ""
    if request.method == "POST" and "_confirm" in request.POST:
        version = writes.current_version().number
        if request.POST.get("fingerprint", "") != fingerprint(content, decisions, version):
            failure = _("The data or your choices changed since the preview.")
        else:
            try:
                done = weekend_import.run_weekend(event, entries, decisions, user=request.user)
            except DatabaseError as error:
                failure = _("The database refused a value (%(error)s): check the file.") % {
                    "error": error
                }
            else:
                if done.written:
                    unstage(request, token)
                    counts = ", ".join(f"{n} {what}" for what, n in done.counts().items())
                    messages.success(
                        request,
                        _("Timing files imported into %(event)s: %(counts)s.")
                        % {"event": event, "counts": counts},
                    )
                    return redirect("admin:races_event_change", event.pk)
                failure = _("The import found problems: see below.")
    version = writes.current_version().number
    try:
        preview = weekend_import.run_weekend(event, entries, decisions, dry_run=True)
    except DatabaseError as error:  # PostgreSQL refuses an over-long value before SQLite would
        preview = weekend_import.Weekend(event)
        failure = _("The database refused a value (%(error)s): check the file.") % {"error": error}
        preview.errors.append(failure)
    people, new_people, class_rows = {}, {}, {}
    for file in preview.placed:
        if file.plan is None:
            continue
        for match in file.plan.people.values():
            # After the dry run a new one holds the row it created: `is_new` says it still.
            # A name to decide has its name field too, so that the form's fields do not
            # change with the choice (the fingerprint covers them).
            if match.options or match.question:
                people.setdefault(match.key, match)
            elif match.is_new or match.create:
                new_people.setdefault(match.key, match)
        for code, lines in file.plan.unknown_classes.items():
            class_rows.setdefault(code, [code, class_field(code), "", 0])[3] += len(lines)
        for code in file.plan.class_map:
            class_rows.setdefault(
                code, [code, class_field(code), decisions.classes.get(fold(code), ""), 0]
            )
    plans = [f.plan for f in preview.placed if f.plan is not None]
    choices = next((plan.class_choices for plan in plans if plan.class_choices), [])
    return TemplateResponse(
        request,
        "admin/races/event/import_preview.html",
        context(
            model_admin,
            request,
            event,
            weekend=preview,
            file_name=name,
            failure=failure,
            counts=preview.counts(),
            fingerprint=fingerprint(
                content,
                form_decisions(decisions, people.values(), new_people.values()),
                version,
            ),
            choices=list(people.values()),
            new_people=list(new_people.values()),
            class_rows=list(class_rows.values()),
            class_choices=choices,
            title=_("Preview: the timing files of %(event)s") % {"event": event},
        ),
    )
