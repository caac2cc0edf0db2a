"""The admin's "Data health" page: the open findings of every rule (races/health.py), grouped by
rule, each with links to its records and a form to mark it explained with a reason. The findings
are computed once per data version and kept in the cache (`health.current_findings`); the
explanations are read on every request.

Reading the page needs the permission to view explanations, explaining one the permission to add
one (the Editors group has both: races/migrations/0018_finding_explanations.py). An explanation
is written only for a finding the rules find now and that is still open, in one transaction,
with django-simple-history keeping who wrote it.
"""

from dataclasses import dataclass

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from drivers.names import validate_printable
from races import health
from races.models import FindingExplanation


class ExplainForm(forms.Form):
    rule = forms.ChoiceField(choices=[(code, code) for code in health.RULE_CODES])
    key = forms.CharField(max_length=300, validators=[validate_printable])
    reason = forms.CharField(
        label=_("Why this is not an error"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2, "cols": 60}),
        validators=[validate_printable],
    )
    source = forms.CharField(
        label=_("Source (optional)"),
        max_length=500,
        required=False,
        validators=[validate_printable],
    )

    def __init__(self, *args, findings=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.findings = {(f.rule, f.key) for f in findings}

    def clean(self):
        cleaned_data = super().clean()
        rule, key = cleaned_data.get("rule"), cleaned_data.get("key")
        if rule and key:
            if (rule, key) not in self.findings:
                raise forms.ValidationError(
                    _("This finding is no longer found: reload the page."), code="gone"
                )
            if FindingExplanation.objects.filter(rule=rule, key=key).exists():
                raise forms.ValidationError(
                    _("This finding has been explained already."), code="explained"
                )
        return cleaned_data


@dataclass(frozen=True)
class HealthPage:
    rules: list  # [health.RuleReport]
    open_count: int
    explained_count: int
    show_explained: bool
    form: ExplainForm | None  # a rejected post, shown at its finding
    can_explain: bool
    errors_elsewhere: list  # the rejected post's errors when its finding is not listed open


def health_page(show_explained, form=None, can_explain=True, findings=None):
    findings = health.current_findings() if findings is None else findings
    explanations = FindingExplanation.objects.select_related("explained_by")
    rules = health.report(findings, explanations)
    errors_elsewhere = []
    if form is not None and form.errors:
        posted = (form.data.get("rule"), form.data.get("key"))
        listed = {(f.rule, f.key) for r in rules for f in r.open}
        if posted not in listed:
            errors_elsewhere = [e for errors in form.errors.values() for e in errors]
    return HealthPage(
        rules=rules,
        open_count=sum(len(r.open) for r in rules),
        explained_count=sum(len(r.explained) for r in rules),
        show_explained=show_explained,
        form=form,
        can_explain=can_explain,
        errors_elsewhere=errors_elsewhere,
    )


def explain(form, user):
    """Write the explanation of a valid form; False if another editor was quicker."""
    try:
        with transaction.atomic():
            FindingExplanation.objects.create(
                rule=form.cleaned_data["rule"],
                key=form.cleaned_data["key"],
                reason=form.cleaned_data["reason"].strip(),
                source=form.cleaned_data["source"].strip(),
                explained_by=user,
            )
    except IntegrityError:
        return False
    return True


def data_health(model_admin, request):
    if not model_admin.has_view_permission(request):
        raise PermissionDenied
    can_explain = model_admin.has_add_permission(request)
    show_explained = request.GET.get("explained") == "1"
    url = reverse("admin:races_findingexplanation_health")
    form, status = None, 200
    findings = health.current_findings()
    if request.method == "POST":
        if not can_explain:
            raise PermissionDenied
        form = ExplainForm(request.POST, findings=findings)
        if form.is_valid() and explain(form, request.user):
            messages.success(
                request,
                gettext("Marked explained: %(key)s.") % {"key": form.cleaned_data["key"]},
            )
            return HttpResponseRedirect(url)
        if form.is_bound and not form.errors:
            form.add_error(None, gettext("This finding has been explained already."))
        status = 400
    page = health_page(show_explained, form, can_explain, findings)
    context = {
        **model_admin.admin_site.each_context(request),
        "title": gettext("Data health"),
        "opts": model_admin.model._meta,
        "page": page,
        "rule_titles": health.RULE_TITLES,
    }
    return TemplateResponse(request, "admin/health/data_health.html", context, status=status)
