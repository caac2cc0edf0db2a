from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RacesConfig(AppConfig):
    name = "races"
    verbose_name = _("Racing")

    def ready(self):
        from drivers.models import Driver, written

        written.connect(driver_written, sender=Driver, dispatch_uid="races.driver_written")


def driver_written(sender, using, **kwargs):
    """A write to drivers changes pages (names, links), not standings: it advances the data
    version (races/writes.py) in its own transaction."""
    from races import writes

    writes.record_change(using=using)
