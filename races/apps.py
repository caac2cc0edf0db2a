from django.apps import AppConfig
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _


class RacesConfig(AppConfig):
    name = "races"
    verbose_name = _("Racing")

    def ready(self):
        from drivers.models import Driver, written
        from races.writes import WritesThrough

        written.connect(driver_written, sender=Driver, dispatch_uid="races.driver_written")
        for model in [*self.get_models(), Driver]:
            if model is Driver or issubclass(model, WritesThrough):
                post_save.connect(
                    raw_saved, sender=model, dispatch_uid=f"races.raw_saved.{model.__name__}"
                )


def driver_written(sender, using, namesakes=True, **kwargs):
    """A write to drivers changes pages (names, links, the years beside a shared name), not
    standings: it advances the data version (races/writes.py) in its own transaction. A data
    migration of drivers sends `namesakes=False`: it may run before the columns the years are
    kept in exist (drivers 0009 fills them itself)."""
    from races import writes

    writes.record_change(using=using, namesakes=namesakes)


def raw_saved(sender, raw, using, **kwargs):
    """`loaddata` saves with `save_base(raw=True)`, past `save()`: record the change. The row
    that was overwritten may have counted in another season, so every season is touched; the
    `loaddata` command (races/management/commands/loaddata.py) opens one block around the whole
    load, so they are refreshed once, as it ends."""
    from drivers.models import Driver
    from races import writes

    if raw:
        seasons = writes.ALL if getattr(sender, "season_paths", ()) else ()
        names = sender is Driver or getattr(sender, "changes_namesakes", False)
        writes.record_change(seasons, using, names)
