"""The years shown beside a name that several drivers bear (decision 0012, races/namesakes.py):
two derived columns, filled here for the drivers already stored. Filling them is a change to
the pages, so it goes through the write path, which refreshes them and advances the data
version."""

from django.db import migrations, models


def fill(apps, schema_editor):
    from races.writes import record_change

    record_change(using=schema_editor.connection.alias, namesakes=True)


class Migration(migrations.Migration):
    dependencies = [
        ("drivers", "0008_peerages_after_the_name"),
        ("races", "0024_title_margin_in_points"),  # the write path the filling goes through
    ]

    operations = [
        migrations.AddField(
            model_name="driver",
            name="namesake_first_year",
            field=models.PositiveSmallIntegerField(
                blank=True,
                editable=False,
                null=True,
                verbose_name="first year, shown beside a shared name",
            ),
        ),
        migrations.AddField(
            model_name="driver",
            name="namesake_last_year",
            field=models.PositiveSmallIntegerField(
                blank=True,
                editable=False,
                null=True,
                verbose_name="last year, shown beside a shared name",
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
