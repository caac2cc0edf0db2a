"""The admin's classification import (upload → preview → confirm) and export, on a session.

The uploaded file is staged between the preview and the confirmation in a server-side temporary
file named by a random token, which the editor's own (server-side) login session lists; no
model holds it. Confirming parses the staged file again, rebuilds the plan with the editor's
decisions and imports only if it is the plan the preview showed (its fingerprint).
"""

import hashlib
import secrets
import tempfile
import time
from pathlib import Path

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from drivers.names import fold
from lmsite.outage import is_outage
from races.importers import alkamel
from races.importers.classification import (
    NEW,
    Decisions,
    ImportFailed,
    decision_key,
    import_reason,
    make_plan,
    run_import,
)
from races.importers.export import export_session
from races.models import Session

STAGING = Path(tempfile.gettempdir()) / "lmsite-classification-imports"
STAGED_KEY = "classification_imports"
STAGED_MAX = 5  # staged files kept per login session
STAGED_HOURS = 24  # an older staged file has expired: refused, and removed by any import page
UPLOAD_MAX_BODY = alkamel.MAX_BYTES + 64 * 1024  # the file and the form around it
IMPORT_PERMISSIONS = [
    "races.change_session",
    "races.add_result",
    "races.change_result",
    "races.delete_result",
    "races.add_entry",
    "races.change_entry",
    "races.add_crew",
    "races.change_crew",
    "races.delete_crew",  # a race file's crew replaces the crew of its car
    "races.add_driverlicence",
    "races.change_driverlicence",
    "races.add_classname",
    "races.add_registration",
    "races.add_team",
    "drivers.add_driver",
]


def size_message(size):
    return _("The file is %(size).1f MB; the limit is %(limit)d MB.") % {
        "size": size / 2**20,
        "limit": alkamel.MAX_BYTES // 2**20,
    }


def request_size(request):
    """The size the client gives for the request's body (0 when it gives none)."""
    text = request.META.get("CONTENT_LENGTH") or "0"
    return int(text) if text.isascii() and text.isdigit() else 0


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Classification file"),
        help_text=gettext_lazy("The official timing CSV (Al Kamel Systems), at most 2 MB."),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > alkamel.MAX_BYTES:
            raise forms.ValidationError(size_message(upload.size))
        return upload


# --- staging ----------------------------------------------------------------------------------


def expired(path):
    """Whether the staged file at `path` is older than STAGED_HOURS (a gone one is too)."""
    try:
        return path.stat().st_mtime < time.time() - STAGED_HOURS * 3600
    except OSError:
        return True


def remove_expired():
    """Remove every expired staged file, whoever staged it: each import page calls this."""
    if STAGING.is_dir():
        for path in STAGING.glob("*.csv"):
            if expired(path):
                path.unlink(missing_ok=True)


def stage(request, session, name, content, kind="session"):
    """Stage `content` for `session` (or, with `kind` "event", for an event); returns its
    token."""
    STAGING.mkdir(mode=0o700, exist_ok=True)
    remove_expired()
    token = secrets.token_urlsafe(24)
    (STAGING / f"{token}.csv").write_bytes(content)
    staged = dict(request.session.get(STAGED_KEY, {}))
    while len(staged) >= STAGED_MAX:
        oldest = next(iter(staged))
        (STAGING / f"{oldest}.csv").unlink(missing_ok=True)
        del staged[oldest]
    staged[token] = {
        kind: session.pk,
        "name": name,
        "sha256": hashlib.sha256(content).hexdigest(),
    }
    request.session[STAGED_KEY] = staged
    return token


class NotStaged(Exception):
    """The staged file is gone, altered, or not this login's for this session."""


def staged_file(request, session, token, kind="session"):
    """(file name, content) of a file this login session staged for `session` (or an event),
    or NotStaged with the reason."""
    entry = request.session.get(STAGED_KEY, {}).get(token)
    if entry is None or entry.get(kind) != session.pk:
        raise NotStaged(_("This import is not yours or has expired: upload the file again."))
    path = STAGING / f"{token}.csv"
    try:
        if expired(path):
            raise OSError
        content = path.read_bytes()
    except OSError:
        unstage(request, token)
        raise NotStaged(_("The staged file has expired: upload it again.")) from None
    if hashlib.sha256(content).hexdigest() != entry["sha256"]:
        raise NotStaged(_("The staged file was altered: upload it again."))
    return entry["name"], content


def unstage(request, token):
    staged = dict(request.session.get(STAGED_KEY, {}))
    staged.pop(token, None)
    request.session[STAGED_KEY] = staged
    (STAGING / f"{token}.csv").unlink(missing_ok=True)


# --- decisions posted by the preview ----------------------------------------------------------


def class_field(code):
    return "class-" + hashlib.sha1(fold(code).encode()).hexdigest()[:12]


def posted_decisions(data, parsed):
    """The editor's decisions from the preview form (`data`) for the names and classes of
    `parsed`."""
    decisions = Decisions()
    for row in parsed.rows:
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


# --- views ------------------------------------------------------------------------------------


class StagedImport:
    """Upload → preview → confirm of staged timing files on one object of the admin (a session's
    classification below, an event's weekend in races/importers/event_admin.py): the object and
    the editor's rights checked, expired files removed, the upload refused over its size or
    staged, the staged file fetched again for the preview (or the editor sent back to upload
    it), and a confirmed import ended with its message on the object's change page. Each import
    says what it is on, how it reads its upload and what its preview shows (the methods at the
    end); its pages extend templates/admin/races/import/base.html and use its includes."""

    model = None
    kind = ""  # what a staged file is staged for
    permissions = ()
    form_class = None
    max_body = 0
    upload_template = preview_template = ""

    def __init__(self, model_admin, request, object_id):
        self.model_admin, self.request = model_admin, request
        self.obj = model_admin.get_object(request, object_id)
        if self.obj is None:
            raise Http404(self.not_found())
        if not (
            model_admin.has_change_permission(request, self.obj)
            and request.user.has_perms(self.permissions)
        ):
            raise PermissionDenied
        remove_expired()

    @classmethod
    def upload_view(cls, model_admin, request, object_id):
        return cls(model_admin, request, object_id).upload()

    @classmethod
    def preview_view(cls, model_admin, request, object_id, token):
        return cls(model_admin, request, object_id).staged_preview(token)

    def url_name(self, page):
        return f"admin:races_{self.model._meta.model_name}_{page}"

    def context(self, **extra):
        return {
            **self.model_admin.admin_site.each_context(self.request),
            "opts": self.model._meta,
            "original": self.obj,
            "change_url": reverse(self.url_name("change"), args=[self.obj.pk]),
            **self.objects(),
            **extra,
        }

    def render(self, template, **extra):
        return TemplateResponse(self.request, template, self.context(**extra))

    def upload(self):
        request, problems = self.request, []
        if request.method == "POST" and request_size(request) > self.max_body:
            # Refused before the body is read: its own limit, the files' and room for the form.
            form = self.form_class()
            problems = [self.body_too_large(request_size(request))]
        elif request.method == "POST":
            form = self.form_class(request.POST, request.FILES)
            if form.is_valid():
                name, content, problems = self.read_upload(form)
                if not problems:
                    token = stage(request, self.obj, name, content, kind=self.kind)
                    return redirect(self.url_name("import_preview"), self.obj.pk, token)
        else:
            form = self.form_class()
        return self.render(
            self.upload_template, form=form, problems=problems, title=self.upload_title()
        )

    def staged_preview(self, token):
        try:
            name, content = staged_file(self.request, self.obj, token, kind=self.kind)
        except NotStaged as error:
            messages.error(self.request, str(error))
            return redirect(self.url_name("import"), self.obj.pk)
        return self.preview(token, name, content)

    def imported(self, token, message):
        """The import is written: the staged file goes, the change page says what came in."""
        unstage(self.request, token)
        messages.success(self.request, message)
        return redirect(self.url_name("change"), self.obj.pk)

    # --- what each import says for itself ---

    def objects(self):
        """The objects its templates name, besides `original`."""
        raise NotImplementedError

    def not_found(self):
        raise NotImplementedError

    def body_too_large(self, size):
        raise NotImplementedError

    def upload_title(self):
        raise NotImplementedError

    def read_upload(self, form):
        """(name, content, problems) of the valid upload form."""
        raise NotImplementedError

    def preview(self, token, name, content):
        """The preview page, or the import it confirms."""
        raise NotImplementedError


class ClassificationImport(StagedImport):
    """One classification file into a session."""

    model = Session
    kind = "session"
    permissions = IMPORT_PERMISSIONS
    form_class = UploadForm
    max_body = UPLOAD_MAX_BODY
    upload_template = "admin/races/session/import_upload.html"
    preview_template = "admin/races/session/import_preview.html"

    def objects(self):
        return {"session": self.obj, "event": self.obj.event}

    def not_found(self):
        return _("No such session.")

    def body_too_large(self, size):
        return size_message(size)

    def upload_title(self):
        return _("Import a classification into %(session)s") % {"session": self.obj}

    def read_upload(self, form):
        upload = form.cleaned_data["file"]
        content = upload.read()
        parsed = alkamel.parse(content)
        problems = [] if parsed.rows or not parsed.errors else parsed.errors
        return upload.name, content, problems

    def preview(self, token, name, content):
        session, request = self.obj, self.request
        parsed = alkamel.parse(content)
        data = request.POST if request.method == "POST" else {}
        decisions = posted_decisions(data, parsed)
        failure = ""
        if request.method == "POST" and "_confirm" in request.POST:
            source = _("Official timing classification (Al Kamel), file %(name)s") % {"name": name}
            try:
                plan, outcome = run_import(
                    session,
                    parsed,
                    decisions,
                    source=source,
                    expect=request.POST.get("fingerprint", ""),
                    user=request.user,
                    reason=import_reason(name, content),
                )
            except ImportFailed as error:
                failure = str(error)
            except DatabaseError as error:  # a value the parser let through, refused by the db
                if is_outage(error):
                    raise
                failure = _("The database refused a value (%(error)s): check the file.") % {
                    "error": error
                }
            else:
                counts = ", ".join(f"{n} {what}" for what, n in outcome.counts.items())
                return self.imported(
                    token,
                    _("Classification imported from %(name)s: %(counts)s.")
                    % {"name": name, "counts": counts},
                )
        plan = make_plan(session, parsed, decisions)
        return self.render(
            self.preview_template,
            plan=plan,
            file_name=name,
            failure=failure,
            counts=plan.counts(),
            class_rows=class_rows(plan, parsed, decisions),
            choices=[m for m in plan.people.values() if m.options or m.question],
            new_people=[m for m in plan.people.values() if m.create],
            rows=preview_rows(plan),
            title=_("Preview: import %(name)s into %(session)s")
            % {"name": name, "session": session},
        )


import_upload = ClassificationImport.upload_view
import_preview = ClassificationImport.preview_view


def get_session(model_admin, request, object_id):
    session = model_admin.get_object(request, object_id)
    if session is None:
        raise Http404(_("No such session."))
    return session


def class_rows(plan, parsed, decisions):
    """(code as written, form field, chosen pk, number of cars) of the classes to map: the
    unknown ones and those mapped already."""
    codes = {}
    for row in parsed.rows:
        codes[row.car_class] = codes.get(row.car_class, 0) + 1
    return [
        (code, class_field(code), decisions.classes.get(fold(code), ""), count)
        for code, count in codes.items()
        if code in plan.unknown_classes or code in plan.class_map
    ]


def preview_rows(plan):
    rows = []
    for rp in plan.rows:
        rows.append(
            {
                "plan": rp,
                "row": rp.row,
                "class_changed": rp.car_class is not None
                and fold(rp.car_class.code) != fold(rp.row.car_class),
            }
        )
    return rows


def export_csv(model_admin, request, object_id):
    session = get_session(model_admin, request, object_id)
    if not model_admin.has_view_permission(request, session):
        raise PermissionDenied
    text = export_session(session)
    name = slugify(f"{session.event.last_day.year} {session.event.name} {session.name}")
    response = HttpResponse(text.encode("utf-8"), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response
