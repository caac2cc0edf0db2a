from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from drivers.names import fold, validate_printable
from lmsite.links import reverse_slugs


class DriverQuerySet(models.QuerySet):
    def search(self, query):
        """Drivers whose name contains `query`, ignoring accents, case and spacing."""
        return self.filter(search_key__contains=fold(query))


class Driver(models.Model):
    full_name = models.CharField(
        _("full name"),
        max_length=200,
        help_text=_("As written, accents kept."),
        validators=[validate_printable],
    )
    first_name = models.CharField(
        _("first name"), max_length=100, blank=True, validators=[validate_printable]
    )
    last_name = models.CharField(
        _("last name"), max_length=100, blank=True, validators=[validate_printable]
    )
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
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse_slugs("drivers:driver_detail", self.slug)
