"""The admin's weekend import on an event: several timing files or a zip (upload) → the combined
preview of every file (races/importers/weekend.py, a dry run) with the questions to settle →
confirm.

The upload is staged as one zip (several files are zipped as they come); the pages are those of
the session's import (`StagedImport`, races/importers/admin_views.py) with their own reading of
the upload and their own preview. Confirming imports only if nothing was
written to the racing data since the preview (the data version is the same) and the files and
choices are the ones previewed: the same inputs on the same data give the same import.
"""

import hashlib
import io
import zipfile

from django import forms
from django.db import DatabaseError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from drivers.names import fold
from lmsite.outage import is_outage
from races import writes
from races.importers import weekend as weekend_import
from races.importers.admin_views import IMPORT_PERMISSIONS, StagedImport, class_field
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


class WeekendImport(StagedImport):
    """The event's weekend: several files or a zip, staged as one zip; its preview is the dry
    run of every file, its confirmation the import of the files and choices previewed."""

    model = Event
    kind = "event"
    permissions = EVENT_PERMISSIONS
    form_class = WeekendForm
    max_body = UPLOAD_MAX_BODY
    upload_template = "admin/races/event/import_upload.html"
    preview_template = "admin/races/event/import_preview.html"

    def objects(self):
        return {"event": self.obj}

    def not_found(self):
        return _("No such event.")

    def body_too_large(self, size):
        return _("The upload is larger than 20 MB.")

    def upload_title(self):
        return _("Import the timing files of %(event)s") % {"event": self.obj}

    def read_upload(self, form):
        content = bundle(form.cleaned_data["files"])
        try:
            weekend_import.read_zip(content)
        except weekend_import.WeekendError as error:
            return "", content, [str(error)]
        names = ", ".join(upload.name for upload in form.cleaned_data["files"])
        return names[:300], content, []

    def preview(self, token, name, content):
        event, request = self.obj, self.request
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
                    if is_outage(error):
                        raise
                    failure = _("The database refused a value (%(error)s): check the file.") % {
                        "error": error
                    }
                else:
                    if done.written:
                        counts = ", ".join(f"{n} {what}" for what, n in done.counts().items())
                        return self.imported(
                            token,
                            _("Timing files imported into %(event)s: %(counts)s.")
                            % {"event": event, "counts": counts},
                        )
                    failure = _("The import found problems: see below.")
        version = writes.current_version().number
        try:
            preview = weekend_import.run_weekend(event, entries, decisions, dry_run=True)
        except DatabaseError as error:  # PostgreSQL refuses an over-long value before SQLite
            if is_outage(error):
                raise
            preview = weekend_import.Weekend(event)
            failure = _("The database refused a value (%(error)s): check the file.") % {
                "error": error
            }
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
        return self.render(
            self.preview_template,
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
        )


weekend_upload = WeekendImport.upload_view
weekend_preview = WeekendImport.preview_view
