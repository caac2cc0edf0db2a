from contextlib import contextmanager

from django.db import DEFAULT_DB_ALIAS, models, transaction
from django.db.models import F, Q
from django.dispatch import Signal
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from drivers.names import fold
from lmsite.links import reverse_slugs

# Sent (sender Driver, argument `using`) inside the transaction of every write to drivers:
# `save()`, `delete()` and the QuerySet's `update()`, `delete()`, `bulk_create()` and
# `bulk_update()`. The races app listens (races/apps.py), so that the write advances the site's
# data version in the same transaction, while drivers never imports races.
written = Signal()


@contextmanager
def writing(using):
    with transaction.atomic(using=using):
        yield
        written.send(sender=Driver, using=using)


class DriverQuerySet(models.QuerySet):
    def search(self, query):
        """Drivers whose name contains `query`, ignoring accents, case and spacing."""
        return self.filter(search_key__contains=fold(query))

    def update(self, **kwargs):
        with writing(self.db):
            return super().update(**kwargs)

    update.alters_data = True

    def delete(self):
        with writing(self.db):
            return super().delete()

    delete.alters_data = True
    delete.queryset_only = True

    def bulk_create(self, objs, *args, **kwargs):
        with writing(self.db):
            return super().bulk_create(objs, *args, **kwargs)

    bulk_create.alters_data = True

    def bulk_update(self, objs, fields, *args, **kwargs):
        with writing(self.db):
            return super().bulk_update(objs, fields, *args, **kwargs)

    bulk_update.alters_data = True


class Driver(models.Model):
    full_name = models.CharField(
        _("full name"), max_length=200, help_text=_("As written, accents kept.")
    )
    first_name = models.CharField(_("first name"), max_length=100, blank=True)
    last_name = models.CharField(_("last name"), max_length=100, blank=True)
    search_key = models.TextField(_("search key"), editable=False, db_index=True)  # ß → ss
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    nationality = CountryField(_("nationality"), blank=True)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    birth_place = models.CharField(_("birth place"), max_length=200, blank=True)
    death_date = models.DateField(_("death date"), null=True, blank=True)
    bio = models.TextField(_("short biography"), blank=True)
    history = HistoricalRecords()

    objects = DriverQuerySet.as_manager()

    class Meta:
        ordering = ["search_key", "slug"]
        verbose_name = _("driver")
        verbose_name_plural = _("drivers")
        constraints = [
            models.CheckConstraint(
                condition=Q(death_date__isnull=True)
                | Q(birth_date__isnull=True)
                | Q(death_date__gte=F("birth_date")),
                name="drivers_driver_dies_after_birth",
            ),
            models.CheckConstraint(
                condition=~Q(full_name=""), name="drivers_driver_full_name_not_empty"
            ),
        ]

    def __str__(self):
        return self.full_name

    def save(self, *args, **kwargs):
        self.search_key = fold(self.full_name)
        with writing(kwargs.get("using") or self._state.db or DEFAULT_DB_ALIAS):
            super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse_slugs("drivers:driver_detail", self.slug)

    def delete(self, *args, **kwargs):
        with writing(kwargs.get("using") or self._state.db or DEFAULT_DB_ALIAS):
            return super().delete(*args, **kwargs)
