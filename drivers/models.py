from contextlib import contextmanager

from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS, models, transaction
from django.db.models import F, Q
from django.dispatch import Signal
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from drivers.names import fold, shown_name, validate_printable, year_span

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
    first_name_known = models.BooleanField(
        _("first name known"),
        default=True,
        help_text=_("Off when no source gives the first name (written “f.n.u.” in entry lists)."),
    )
    title = models.CharField(
        _("title"),
        max_length=40,
        blank=True,
        validators=[validate_printable],
        help_text=_(
            "As entered with the name: before it (Miss, Mme, Dr., Sir …), then a peerage "
            "written after it (Earl Howe); shown on the profile."
        ),
    )
    search_key = models.TextField(_("search key"), editable=False, db_index=True)  # ß → ss
    slug = models.SlugField(_("slug"), max_length=200, unique=True)
    nationality = CountryField(_("nationality"), blank=True)
    # The date where the day is known, else the year alone (decision 0012).
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    birth_year = models.PositiveSmallIntegerField(
        _("year of birth"), null=True, blank=True, help_text=_("Only when the day is not known.")
    )
    birth_place = models.CharField(
        _("birth place"), max_length=200, blank=True, validators=[validate_printable]
    )
    death_date = models.DateField(_("death date"), null=True, blank=True)
    death_year = models.PositiveSmallIntegerField(
        _("year of death"), null=True, blank=True, help_text=_("Only when the day is not known.")
    )
    facts_source = models.CharField(
        _("source of the dates"),
        max_length=500,
        blank=True,
        help_text=_("Where the birth and death dates come from: an address or a publication."),
    )
    facts_note = models.TextField(
        _("note on the dates"), blank=True, help_text=_("Where sources differ, what each says.")
    )
    bio = models.TextField(_("short biography"), blank=True)
    # Derived, kept by races/namesakes.py after every write to drivers and their entries: the
    # first and last year entered, stored only while another driver's name reads the same, so
    # that every list can tell the two apart (docs/decisions/0012-people-and-names.md).
    namesake_first_year = models.PositiveSmallIntegerField(
        _("first year, shown beside a shared name"), null=True, blank=True, editable=False
    )
    namesake_last_year = models.PositiveSmallIntegerField(
        _("last year, shown beside a shared name"), null=True, blank=True, editable=False
    )
    history = HistoricalRecords(excluded_fields=["namesake_first_year", "namesake_last_year"])

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
            models.CheckConstraint(
                condition=Q(death_year__isnull=True)
                | Q(birth_year__isnull=True)
                | Q(death_year__gte=F("birth_year")),
                name="drivers_driver_dies_after_birth_year",
            ),
            models.CheckConstraint(
                condition=Q(birth_date__isnull=True) | Q(birth_year__isnull=True),
                name="drivers_driver_birth_date_or_year",
            ),
            models.CheckConstraint(
                condition=Q(death_date__isnull=True) | Q(death_year__isnull=True),
                name="drivers_driver_death_date_or_year",
            ),
        ]

    def __str__(self):
        return self.full_name

    def save(self, *args, **kwargs):
        self.search_key = fold(self.full_name)
        with writing(kwargs.get("using") or self._state.db or DEFAULT_DB_ALIAS):
            super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("drivers:driver_detail", args=[self.slug])

    @property
    def namesake_years(self):
        """The years that tell this driver from another of the same name ("1965–1967",
        "1969"); "" for a name no other driver bears."""
        return year_span(self.namesake_first_year, self.namesake_last_year)

    @property
    def shown_name(self):
        """The name as the pages show it, as text (drivers.names.shown_name)."""
        return shown_name(self.full_name, self.first_name_known, self.namesake_years)

    @property
    def born_in(self):
        """The year of birth, from the date or the year alone (None if unknown)."""
        return self.birth_date.year if self.birth_date else self.birth_year

    @property
    def died_in(self):
        """The year of death, from the date or the year alone (None if unknown)."""
        return self.death_date.year if self.death_date else self.death_year

    def clean(self):
        super().clean()
        for date, year in (("birth_date", "birth_year"), ("death_date", "death_year")):
            if getattr(self, date) is not None and getattr(self, year) is not None:
                raise ValidationError(
                    {year: _("Give the date or, if the day is unknown, the year.")}
                )
        # Two dates or two years are checked by the constraints; a date and a year here.
        mixed = (self.birth_date is None) != (self.death_date is None)
        if mixed and self.born_in and self.died_in and self.died_in < self.born_in:
            raise ValidationError({"death_year": _("The year of death is before the birth.")})

    def delete(self, *args, **kwargs):
        with writing(kwargs.get("using") or self._state.db or DEFAULT_DB_ALIAS):
            return super().delete(*args, **kwargs)


class DriverRedirect(models.Model):
    """A slug that no longer names a driver (merged into another, races/merging.py): its page
    answers 301 to the driver's, in every language. A later merge of that driver moves its
    redirects on, so a chain of merges lands on the final record in one step."""

    old_slug = models.SlugField(_("old slug"), max_length=200)
    driver = models.ForeignKey(
        Driver, on_delete=models.CASCADE, related_name="redirects", verbose_name=_("driver")
    )
    old_name = models.CharField(_("old name"), max_length=200, blank=True)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["old_slug"]
        verbose_name = _("old driver address")
        verbose_name_plural = _("old driver addresses")
        constraints = [
            models.UniqueConstraint(
                fields=["old_slug"], name="drivers_driverredirect_unique_old_slug"
            ),
            models.CheckConstraint(
                condition=~Q(old_slug=""), name="drivers_driverredirect_old_slug_not_empty"
            ),
        ]

    def __str__(self):
        return self.old_slug

    def save(self, *args, **kwargs):
        with writing(kwargs.get("using") or self._state.db or DEFAULT_DB_ALIAS):
            super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        with writing(kwargs.get("using") or self._state.db or DEFAULT_DB_ALIAS):
            return super().delete(*args, **kwargs)
