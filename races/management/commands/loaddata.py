"""Django's `loaddata`, inside one block of the write path (races/writes.py): the raw saves it
makes record their change (races/apps.py), and the touched seasons' standings are refreshed
and the data version advanced once, in the load's transaction."""

from django.core.management.commands import loaddata

from races import writes


class Command(loaddata.Command):
    def handle(self, *fixture_labels, **options):
        with writes.changes(options["database"]):
            return super().handle(*fixture_labels, **options)
