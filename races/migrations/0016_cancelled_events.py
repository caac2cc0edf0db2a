"""A cancelled event may have no date: the 24 Hours of Le Mans of 1936 and 1940–1948 were never
held, and the dates the upstream data set gives them are invented. On a database loaded before,
those editions lose them (their pages then say "cancelled"); any other event keeps its dates."""

from django.db import migrations, models

import races.models

LE_MANS = "24-hours-of-le-mans"
UPSTREAM = "gdsotirov/lemans24"


def forget_invented_dates(apps, schema_editor):
    from races.writes import record_change

    Event = apps.get_model("races", "Event")
    cancelled = Event.objects.using(schema_editor.connection.alias).filter(
        status="cancelled",
        rounds__season__series__slug=LE_MANS,
        source__startswith=UPSTREAM,
        last_day__isnull=False,
    )
    ids = list(cancelled.values_list("pk", flat=True))
    if ids:
        Event.objects.using(schema_editor.connection.alias).filter(pk__in=ids).update(
            first_day=None, last_day=None
        )
        record_change()  # no standings count a cancelled event: the version only


class Migration(migrations.Migration):
    dependencies = [
        ("races", "0015_base_managers"),
    ]

    operations = [
        migrations.AlterField(
            model_name="event",
            name="last_day",
            field=models.DateField(
                blank=True,
                help_text="Empty only for a cancelled event whose date no source gives.",
                null=True,
                validators=[races.models.validate_year],
                verbose_name="last day",
            ),
        ),
        migrations.AlterField(
            model_name="historicalevent",
            name="last_day",
            field=models.DateField(
                blank=True,
                help_text="Empty only for a cancelled event whose date no source gives.",
                null=True,
                validators=[races.models.validate_year],
                verbose_name="last day",
            ),
        ),
        migrations.RunPython(forget_invented_dates, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="event",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("last_day__isnull", False),
                    models.Q(("first_day__isnull", True), ("status", "cancelled")),
                    _connector="OR",
                ),
                name="races_event_dated_unless_cancelled",
            ),
        ),
    ]
