"""The ILMC 2011 preset names its publication as source (databases migrated before 0004 did)."""

from django.db import migrations

SOURCE = (
    "English, German and French Wikipedia articles on the 2011 season: "
    "15-13-11-9-8-7-6-5-4-3-2-1, then 1."
)


def name_the_source(apps, schema_editor):
    PointsScale = apps.get_model("races", "PointsScale")
    PointsScale.objects.filter(slug="ilmc-2011", source__startswith="shared/").update(
        source=SOURCE
    )


class Migration(migrations.Migration):
    dependencies = [("races", "0007_stored_standings_and_titles")]

    operations = [migrations.RunPython(name_the_source, migrations.RunPython.noop)]
