"""The Editors group: may add, change, delete and view racing data; nothing else.

Permissions are normally created after all migrations have run, so on a fresh database they do
not exist yet at this point: they are created here first, or the group would be silently empty.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITOR_MODELS = {
    "drivers": ["driver"],
    "races": [
        "series", "season", "carclass", "seasonclass", "circuit", "circuitlayout", "event",
        "round", "session", "team", "entry", "registration", "crew", "result",
    ],
}
ACTIONS = ["add", "change", "delete", "view"]


def create_editors(apps, schema_editor):
    for label in ("auth", "contenttypes", *EDITOR_MODELS):
        app_config = apps.get_app_config(label)
        app_config.models_module = True
        create_permissions(app_config, verbosity=0, apps=apps)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="Editors")
    codenames = [
        (app, f"{action}_{model}")
        for app, models in EDITOR_MODELS.items()
        for model in models
        for action in ACTIONS
    ]
    permissions = [
        Permission.objects.get(content_type__app_label=app, codename=codename)
        for app, codename in codenames
    ]
    group.permissions.set(permissions)


def remove_editors(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="Editors").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("drivers", "0001_initial"),
        ("races", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_editors, remove_editors)]
