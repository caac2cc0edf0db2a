"""The site-wide data version (races/writes.py): one row, created here."""

from django.db import migrations, models
from django.utils import timezone


def create_the_row(apps, schema_editor):
    DataVersion = apps.get_model("races", "DataVersion")
    DataVersion.objects.using(schema_editor.connection.alias).get_or_create(
        pk=1, defaults={"number": 1, "changed_at": timezone.now()}
    )


class Migration(migrations.Migration):
    dependencies = [("races", "0008_ilmc_preset_source")]

    operations = [
        migrations.CreateModel(
            name="DataVersion",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("number", models.BigIntegerField(default=0)),
                ("changed_at", models.DateTimeField()),
            ],
            options={
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("pk", 1)), name="races_dataversion_single_row"
                    )
                ],
            },
        ),
        migrations.RunPython(create_the_row, migrations.RunPython.noop),
    ]
