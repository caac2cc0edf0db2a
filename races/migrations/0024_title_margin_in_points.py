"""An official title's margin in points becomes a number, worded on the page in the reader's
language: a stored "by 3 points" or "by 1 point" moves to `margin_points`; any other margin
stays text."""

import re
from decimal import Decimal

import drivers.names
from django.db import migrations, models

IN_POINTS = re.compile(r"^by (\d+(?:\.\d{1,2})?) points?$", re.IGNORECASE)
LARGEST = Decimal(10**6)  # max_digits 8, decimal_places 2


def margins_in_points(apps, schema_editor):
    from races.writes import record_change

    Title = apps.get_model("races", "Title")
    using = schema_editor.connection.alias
    changed = []
    for title in Title.objects.using(using).exclude(margin=""):
        match = IN_POINTS.match(" ".join(title.margin.split()))
        # A margin the new field cannot hold (0, or more digits than it has) stays text.
        if match and 0 < Decimal(match[1]) < LARGEST:
            title.margin_points, title.margin = Decimal(match[1]), ""
            changed.append(title)
    if changed:
        Title.objects.using(using).bulk_update(changed, ["margin_points", "margin"])
        record_change(using=using)  # the standings pages show the margins: the version only


def margins_as_text(apps, schema_editor):
    """Back: a margin in points becomes the text it was, so that nothing is lost."""
    from races.writes import record_change

    Title = apps.get_model("races", "Title")
    using = schema_editor.connection.alias
    changed = []
    for title in Title.objects.using(using).filter(margin_points__isnull=False):
        points = f"{title.margin_points.normalize():f}"
        title.margin = f"by {points} point" + ("" if title.margin_points == 1 else "s")
        title.margin_points = None
        changed.append(title)
    if changed:
        Title.objects.using(using).bulk_update(changed, ["margin_points", "margin"])
        record_change(using=using)


class Migration(migrations.Migration):

    dependencies = [
        ('drivers', '0008_peerages_after_the_name'),
        ('races', '0023_most_reachable_not_known'),
    ]

    operations = [
        migrations.AddField(
            model_name='historicaltitle',
            name='margin_points',
            field=models.DecimalField(blank=True, decimal_places=2, help_text='The lead over the next place, in points, where the source gives it.', max_digits=8, null=True, verbose_name='margin in points'),
        ),
        migrations.AddField(
            model_name='title',
            name='margin_points',
            field=models.DecimalField(blank=True, decimal_places=2, help_text='The lead over the next place, in points, where the source gives it.', max_digits=8, null=True, verbose_name='margin in points'),
        ),
        migrations.AlterField(
            model_name='historicaltitle',
            name='margin',
            field=models.CharField(blank=True, help_text='Only a margin not in points (e.g. on count-back), in English.', max_length=120, validators=[drivers.names.validate_printable], verbose_name='other margin, as written'),
        ),
        migrations.AlterField(
            model_name='title',
            name='margin',
            field=models.CharField(blank=True, help_text='Only a margin not in points (e.g. on count-back), in English.', max_length=120, validators=[drivers.names.validate_printable], verbose_name='other margin, as written'),
        ),
        migrations.RunPython(margins_in_points, margins_as_text),
        migrations.AddConstraint(
            model_name='title',
            constraint=models.CheckConstraint(condition=models.Q(('margin_points__isnull', True), ('margin_points__gt', 0), _connector='OR'), name='races_title_margin_points_positive', violation_error_message='A margin in points is more than 0.'),
        ),
        migrations.AddConstraint(
            model_name='title',
            constraint=models.CheckConstraint(condition=models.Q(('margin_points__isnull', True), ('margin', ''), _connector='OR'), name='races_title_one_margin', violation_error_message='Give the margin in points or as text, not both.'),
        ),
    ]
