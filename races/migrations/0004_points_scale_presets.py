"""The points scales shipped as data: the Le Mans Series 2010–2011, the ILMC 2011 and the European
Le Mans Series from 2015. Editors may change them in the admin like any other scale."""

from decimal import Decimal

from django.db import migrations

D = Decimal
PRESETS = [
    {
        "slug": "le-mans-series-2010",
        "name": "Le Mans Series 2010–2011",
        "points": [15, 13, 11, 9, 8, 7, 6, 5, 4, 3, 2],
        "further": D(1),
        "source": 'Motorsport-Total.com, 7 December 2009, "LMS: Neues Punktesystem": 15-13-11-9-'
        "8-7-6-5-4-3-2 for 1st–11th, 1 point for every other classified car.",
        "notes": "With it: +1 point for the class pole; the team title counts all cars of a "
        "team, the manufacturers' title the two best cars. gt-eins wrote 15, 13, 11, 10, … 2, 1, "
        "1, which disagrees from 4th to 10th: Motorsport-Total's 11th = 2 matches the ILMC 2011 "
        "scale.",
    },
    {
        "slug": "ilmc-2011",
        "name": "Intercontinental Le Mans Cup 2011",
        "points": [15, 13, 11, 9, 8, 7, 6, 5, 4, 3, 2, 1],
        "further": D(1),
        "source": "English, German and French Wikipedia articles on the 2011 season: "
        "15-13-11-9-8-7-6-5-4-3-2-1, then 1.",
        "notes": "With it: double points at the 24 Hours of Le Mans (the round's factor); a team "
        "scores with its best car only.",
    },
    {
        "slug": "elms-2015",
        "name": "European Le Mans Series from 2015",
        "points": [25, 18, 15, 12, 10, 8, 6, 4, 2, 1],
        "further": D("0.5"),
        "source": "Motorsport-Magazin.com, 2015: 25-18-15-12-10-8-6-4-2-1, 0.5 for every other "
        "classified car, +1 for the class pole.",
        "notes": "With it: +1 point for the class pole.",
    },
]


def create_presets(apps, schema_editor):
    PointsScale = apps.get_model("races", "PointsScale")
    ScalePoints = apps.get_model("races", "ScalePoints")
    for preset in PRESETS:
        scale, created = PointsScale.objects.get_or_create(
            slug=preset["slug"],
            defaults={
                "name": preset["name"],
                "further_points": preset["further"],
                "source": preset["source"],
                "notes": preset["notes"],
            },
        )
        if created:
            ScalePoints.objects.bulk_create(
                ScalePoints(scale=scale, position=position, points=D(points))
                for position, points in enumerate(preset["points"], start=1)
            )


def remove_presets(apps, schema_editor):
    PointsScale = apps.get_model("races", "PointsScale")
    PointsScale.objects.filter(
        slug__in=[p["slug"] for p in PRESETS], rules__isnull=True, class_scales__isnull=True
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("races", "0003_championship_rules")]

    operations = [migrations.RunPython(create_presets, remove_presets)]
