"""The Editors group may also add, change, delete and view the championship rules, points
scales, class poles and points adjustments."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

MODELS = ["pointsscale", "scalepoints", "championshiprules", "classscale", "poleaward", "adjustment"]
ACTIONS = ["add", "change", "delete", "view"]


def codenames():
    return [f"{action}_{model}" for model in MODELS for action in ACTIONS]


def grant(apps, schema_editor):
    app_config = apps.get_app_config("races")
    app_config.models_module = True
    create_permissions(app_config, verbosity=0, apps=apps)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="Editors")
    group.permissions.add(
        *[
            Permission.objects.get(content_type__app_label="races", codename=codename)
            for codename in codenames()
        ]
    )


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group = Group.objects.filter(name="Editors").first()
    if group is not None:
        group.permissions.remove(
            *Permission.objects.filter(content_type__app_label="races", codename__in=codenames())
        )


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("races", "0004_points_scale_presets"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
