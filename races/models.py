"""The racing data model.

Where each integrity rule lives (tests in races/tests/test_integrity.py):

Database constraints (named `races_<model>_<rule>`):
- one season per series and year; a season's round numbers and events unique; round numbers >= 1
- a class code unique; a class is run once per season, at one place in the season's order
- an event ends on or after its first day; a cancellation reason only for a cancelled event
- a session's order unique within its event; a distance limit has a unit
- an entered car's number unique within its event, among entries whose number is known
  (reserves, non-starters and unknown numbers may repeat)
- a driver once per crew, one crew member per place in the order; a crew member's laps in a
  race once per race session
- one result per entry and session; finish order and classified position unique per session
  where set; positions start at 1; only a classified car has a classified position
- every choices field holds one of its choices
- upper bounds, the same on every database (SQLite stores any integer): positions and orders at
  most 999, laps at most 10000, times at most 999 hours and not negative, years at most 2100
- points: a scale's positions start at 1, once each, points never negative; a round's points
  factor, a pole bonus and best-N figures not negative; an adjustment names a car or a driver
  (not both), is not zero and has a reason; one scale per class and one editor-set pole per
  round and class; a preset's last season not before its first; a minimum drive time above zero
- a class is its own championship only if it is a sub-class; a race's points factor is not
  negative and, other than 1, has a reason; a time at the wheel is not negative

Checks in clean() and in the write functions of races/results.py (they span tables):
- an entry's class is run by every championship it is registered for (Registration.clean)
- an entry is registered only for championships the event counts for (Registration.clean)
- a crew member's laps in a race are of a race of the car's event (RaceLaps.clean, and
  races/importers/laps.py, which writes them)
- a round's event slug is unique within the season (Round.clean)
- a result belongs to an entry of the session's event (Result.clean)
- a result without finish order only in a session whose results are partial (Result.clean,
  and unordered_results_error for a session whose status changes: the event admin's sessions;
  the session admin checks every result of its results inline against the status posted)
- positions within a class follow the finish order (results.class_order_errors, used by the
  session admin's results formset and by results.check_session; results.result_order_errors
  for the result admin, which edits one result alone; a car whose class changes has its
  sessions' class positions re-derived by the write itself, results.rederive_moved)
- a round that cars are registered through is not moved (Round.clean) nor deleted (the round
  formsets of the event and season admins, the round admin's delete page and action); a class
  is not removed from a season while cars of it are registered for it (the season admin's
  classes formset; registrations_counting_on_round, registrations_outside_classes)
- a scale's points never rise with the position, its positions have no gap, the further points
  are not above the last position's (standings.scale_errors, used by the scale admin's points
  formset, which sees the rows and the further points of one post together)
- best-N is at most the season's number of rounds (ChampionshipRules.clean)
- an editor-set pole is a car of the round's event in that class, in the rules' season
  (PoleAward.clean); an adjustment's car is entered in the round's event, its driver in a crew
  of the round registered for the season (Adjustment.clean)
"""

import datetime as dt
import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import DEFAULT_DB_ALIAS, models
from django.db.models import Exists, F, OuterRef, Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField
from simple_history.models import HistoricalRecords

from drivers.names import validate_printable
from races.writes import WritesQuerySet, WritesThrough, changes

# Upper bounds (docs above): the import's parser (races/importers/alkamel.py) uses them too.
MAX_POSITION = 999
MAX_LAPS = 10000
MAX_HOURS = 999
MAX_YEAR = 2100
MIN_YEAR = 1900  # of an event's days and a session's start
POSITION_BOUND = _("A position or an order is at most 999.")
LAPS_BOUND = _("A number of laps is at most 10000.")
DURATION_BOUND = _("A time is at most 999 hours and not negative.")


def bounded(name, message, fields, high, low=None):
    """A CheckConstraint: each of `fields` empty or within [low, high]."""
    condition = Q()
    for field in fields:
        within = Q(**{f"{field}__lte": high})
        if low is not None:
            within &= Q(**{f"{field}__gte": low})
        condition &= Q(**{f"{field}__isnull": True}) | within
    return models.CheckConstraint(condition=condition, name=name, violation_error_message=message)


def duration_bounded(name, fields):
    return bounded(name, DURATION_BOUND, fields, dt.timedelta(hours=MAX_HOURS), dt.timedelta())


def choices_check(field, choices, name):
    return models.CheckConstraint(condition=Q(**{f"{field}__in": choices.values}), name=name)


def validate_year(value):
    """A date or a time within MIN_YEAR to MAX_YEAR: SQLite's conversion of a time to UTC
    overflowed at the year 1 and the year 9999, and no race was run before 1900."""
    if not MIN_YEAR <= value.year <= MAX_YEAR:
        raise ValidationError(
            _("Enter a year from %(low)d to %(high)d."),
            code="year_out_of_range",
            params={"low": MIN_YEAR, "high": MAX_YEAR},
        )


def validate_time_zone(value):
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("%(value)s is not a known time zone."), params={"value": value})


class Series(WritesThrough, models.Model):
    name = models.CharField(_("name"), max_length=120, validators=[validate_printable])
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    short_name = models.CharField(
        _("short name"), max_length=20, blank=True, validators=[validate_printable]
    )
    notes = models.TextField(_("notes"), blank=True)
    history = HistoricalRecords()

    objects = WritesQuerySet.as_manager()
    season_paths = ()  # its writes change pages, not standings

    class Meta:
        base_manager_name = "objects"  # writes.WritesThrough
        ordering = ["name"]
        verbose_name = _("series")
        verbose_name_plural = _("series")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("races:series_detail", args=[self.slug])


class SeasonQuerySet(WritesQuerySet):
    def for_series(self, slug):
        return self.filter(series__slug=slug)

    def with_round_counts(self):
        return self.annotate(round_count=models.Count("rounds"))


class Season(WritesThrough, models.Model):
    series = models.ForeignKey(
        Series, on_delete=models.PROTECT, related_name="seasons", verbose_name=_("series")
    )
    year = models.PositiveSmallIntegerField(_("year"))
    name = models.CharField(
        _("name that year"),
        max_length=160,
        help_text=_("The name the series bore this year, e.g. 2011 Le Mans Series."),
        validators=[validate_printable],
    )
    is_complete = models.BooleanField(
        _("results complete"),
        default=False,
        help_text=_("Every result of the season is on record."),
    )
    classes = models.ManyToManyField(
        "CarClass", through="SeasonClass", related_name="seasons", verbose_name=_("classes")
    )
    source = models.TextField(_("source"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    history = HistoricalRecords()

    objects = SeasonQuerySet.as_manager()

    season_paths = ("pk",)

    class Meta:
        base_manager_name = "objects"  # writes.WritesThrough
        ordering = ["series__name", "-year"]
        verbose_name = _("season")
        verbose_name_plural = _("seasons")
        constraints = [
            models.UniqueConstraint(fields=["series", "year"], name="races_season_unique_year"),
            models.CheckConstraint(condition=Q(year__gte=1900), name="races_season_year_plausible"),
            bounded("races_season_year_bounded", _("A year is at most 2100."), ["year"], MAX_YEAR),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        """Follows `series`: select it with the season."""
        return reverse("races:season_detail", args=[self.series.slug, self.year])


colour_validator = RegexValidator(r"^#[0-9a-fA-F]{6}$", _("Enter a colour as #rrggbb."))


CHAMPIONSHIP_FIELDS = frozenset({"parent", "parent_id", "own_championship"})


class RederivingQuerySet(WritesQuerySet):
    """Base of the QuerySets whose rows decide where a car ranks (a class's championship, a
    car's class): a bulk write of one of the model's `rederiving_fields` re-derives, in its
    write block, the stored class positions it changes, as `RederivesPositions.save` does.
    `held()` reads what the rows hold; `rederive(before)` re-derives where that changed."""

    def held(self):
        raise NotImplementedError

    def rederive(self, before):
        raise NotImplementedError

    def update(self, **kwargs):
        if not self.model.rederiving_fields & kwargs.keys():
            return super().update(**kwargs)
        with changes(self.db):
            before = self.held()
            count = super().update(**kwargs)
            self.rederive(before)
            return count

    update.alters_data = True

    def bulk_update(self, objs, fields, *args, **kwargs):
        objs = list(objs)
        if not self.model.rederiving_fields & set(fields):
            return super().bulk_update(objs, fields, *args, **kwargs)
        with changes(self.db):
            rows = self.model._base_manager.using(self.db)
            before = rows.filter(pk__in=[obj.pk for obj in objs]).held()
            count = super().bulk_update(objs, fields, *args, **kwargs)
            self.rederive(before)
            return count

    bulk_update.alters_data = True


class RederivesPositions:
    """Mixin of the models of RederivingQuerySet: a save that may change one of
    `rederiving_fields` re-derives the stored class positions in the same write block, so that
    pages showing them follow at once (0014)."""

    rederiving_fields = frozenset()

    def save(self, *args, **kwargs):
        fields = kwargs.get("update_fields")
        if self._state.adding or (fields is not None and not self.rederiving_fields & set(fields)):
            return super().save(*args, **kwargs)
        using = kwargs.get("using") or self._state.db or DEFAULT_DB_ALIAS
        rows = type(self)._base_manager.using(using)
        with changes(using):
            before = rows.filter(pk=self.pk).held()
            super().save(*args, **kwargs)
            rows.rederive(before)
        return None

    save.alters_data = True


class CarClassQuerySet(RederivingQuerySet):
    def held(self):
        """{class id: the class it also scores in (`CarClass.championship_parent_id`)}."""
        return {
            pk: None if apart else parent_id
            for pk, parent_id, apart in self.order_by().values_list(
                "pk", "parent_id", "own_championship"
            )
        }

    def rederive(self, before):
        """Re-derive the class positions of each class of `before` ({class id: the class it
        scored in besides its own}) that now scores elsewhere (races/results.py)."""
        from races.results import rederive_class_positions

        for car_class in self.model._base_manager.using(self.db).filter(pk__in=list(before)):
            if car_class.championship_parent_id != before[car_class.pk]:
                rederive_class_positions(car_class, before[car_class.pk], self.db)


class CarClass(RederivesPositions, WritesThrough, models.Model):
    code = models.CharField(_("code"), max_length=30, unique=True, validators=[validate_printable])
    name = models.CharField(_("name"), max_length=80, validators=[validate_printable])
    colour = models.CharField(
        _("colour"), max_length=7, default="#6b7280", validators=[colour_validator]
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="subclasses",
        verbose_name=_("parent class"),
        help_text=_("For a sub-class such as LMP2 Pro-Am inside LMP2."),
    )
    own_championship = models.BooleanField(
        _("its own championship"),
        default=False,
        help_text=_(
            "A sub-class scored apart from its parent (LMP2 Pro/Am in the ELMS): its cars take "
            "no class positions or points in the parent class, nor the parent's cars in it."
        ),
    )
    history = HistoricalRecords()

    objects = CarClassQuerySet.as_manager()
    # The class it also scores in: a change re-derives its cars' class positions.
    rederiving_fields = CHAMPIONSHIP_FIELDS
    season_paths = ("season_classes__season", "subclasses__season_classes__season")

    class Meta:
        base_manager_name = "objects"  # writes.WritesThrough
        ordering = ["code"]
        verbose_name = _("class")
        verbose_name_plural = _("classes")
        constraints = [
            models.CheckConstraint(
                condition=~Q(parent=F("pk")), name="races_carclass_not_own_parent"
            ),
            models.CheckConstraint(
                condition=Q(own_championship=False) | Q(parent__isnull=False),
                name="races_carclass_own_championship_has_parent",
                violation_error_message=_("Only a sub-class is its own championship apart."),
            ),
        ]

    def __str__(self):
        return self.code

    def clean(self):
        if self.parent_id and self.pk and self.parent_id == self.pk:
            raise ValidationError({"parent": _("A class cannot be its own parent.")})

    @property
    def championship_parent_id(self):
        """The class this one scores in besides its own: its parent, unless it is its own
        championship (races/results.py derives the class positions with it)."""
        return None if self.own_championship else self.parent_id


class SeasonClass(WritesThrough, models.Model):
    season = models.ForeignKey(
        Season, on_delete=models.CASCADE, related_name="season_classes", verbose_name=_("season")
    )
    car_class = models.ForeignKey(
        CarClass, on_delete=models.PROTECT, related_name="season_classes", verbose_name=_("class")
    )
    order = models.PositiveSmallIntegerField(_("order"))
    history = HistoricalRecords()

    objects = WritesQuerySet.as_manager()
    season_paths = ("season",)

    class Meta:
        base_manager_name = "objects"  # writes.WritesThrough
        ordering = ["season", "order"]
        verbose_name = _("class of a season")
        verbose_name_plural = _("classes of a season")
        constraints = [
            models.UniqueConstraint(
                fields=["season", "car_class"], name="races_seasonclass_unique_class"
            ),
            models.UniqueConstraint(
                fields=["season", "order"], name="races_seasonclass_unique_order"
            ),
            bounded("races_seasonclass_order_bounded", POSITION_BOUND, ["order"], MAX_POSITION),
        ]

    def __str__(self):
        return f"{self.order}"


class CircuitQuerySet(WritesQuerySet):
    def search(self, query):
        from drivers.names import fold

        return self.filter(search_key__contains=fold(query))


class Circuit(WritesThrough, models.Model):
    name = models.CharField(_("name"), max_length=120, validators=[validate_printable])
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    search_key = models.TextField(editable=False, db_index=True)  # folding can lengthen a name
    place = models.CharField(
        _("place"), max_length=120, blank=True, validators=[validate_printable]
    )
    country = CountryField(_("country"))
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        validators=[validate_time_zone],
        help_text=_("IANA name, e.g. Europe/Paris."),
    )
    history = HistoricalRecords()

    objects = CircuitQuerySet.as_manager()

    season_paths = ()  # its writes change pages, not standings

    class Meta:
        base_manager_name = "objects"  # writes.WritesThrough
        ordering = ["name"]
        verbose_name = _("circuit")
        verbose_name_plural = _("circuits")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        from drivers.names import fold

        self.search_key = fold(f"{self.name} {self.place}")
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("races:circuit_detail", args=[self.slug])


class CircuitLayout(WritesThrough, models.Model):
    circuit = models.ForeignKey(
        Circuit, on_delete=models.CASCADE, related_name="layouts", verbose_name=_("circuit")
    )
    name = models.CharField(_("name"), max_length=120, blank=True, validators=[validate_printable])
    since = models.DateField(_("in use from"))
    length_km = models.DecimalField(_("length (km)"), max_digits=6, decimal_places=3)
    changes = models.TextField(_("changes"), blank=True)
    history = HistoricalRecords()

    objects = WritesQuerySet.as_manager()
    season_paths = ()  # its writes change pages, not standings

    class Meta:
        base_manager_name = "objects"  # writes.WritesThrough
        ordering = ["circuit", "since"]
        verbose_name = _("layout")
        verbose_name_plural = _("layouts")
        constraints = [
            models.UniqueConstraint(
                fields=["circuit", "since"], name="races_circuitlayout_unique_since"
            ),
            models.CheckConstraint(
                condition=Q(length_km__gt=0), name="races_circuitlayout_length_positive"
            ),
        ]

    def __str__(self):
        return f"{self.since:%Y} ({self.length_km} km)"


class EventQuerySet(WritesQuerySet):
    def completed(self):
        return self.filter(status=Event.Status.COMPLETED)


class EventStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


class Event(WritesThrough, models.Model):
    Status = EventStatus

    circuit = models.ForeignKey(
        Circuit, on_delete=models.PROTECT, related_name="events", verbose_name=_("circuit")
    )
    layout = models.ForeignKey(
        CircuitLayout,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("layout"),
    )
    name = models.CharField(_("name"), max_length=160, validators=[validate_printable])
    slug = models.SlugField(
        _("slug"), max_length=160, help_text=_("Unique within each season the event counts for.")
    )
    first_day = models.DateField(_("first day"), null=True, blank=True, validators=[validate_year])
    last_day = models.DateField(
        _("last day"),
        null=True,
        blank=True,
        validators=[validate_year],
        help_text=_("Empty only for a cancelled event whose date no source gives."),
    )
    status = models.CharField(_("status"), max_length=12, choices=Status, default=Status.SCHEDULED)
    cancellation_reason = models.TextField(_("cancellation reason"), blank=True)
    postponed_from = models.DateField(
        _("originally planned for"),
        null=True,
        blank=True,
        help_text=_("Kept after the event has run."),
        validators=[validate_year],
    )
    postponement_reason = models.TextField(_("postponement reason"), blank=True)
    cars_entered = models.PositiveSmallIntegerField(
        _("cars entered"),
        null=True,
        blank=True,
        help_text=_(
            "As a source gives it, where the entry list on record is incomplete; name the "
            "source in the notes."
        ),
    )
    source = models.TextField(_("source"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    history = HistoricalRecords()

    objects = EventQuerySet.as_manager()

    season_paths = ("rounds__season",)
    changes_namesakes = True  # the years shown beside a shared name (races/namesakes.py)

    class Meta:
        base_manager_name = "objects"  # writes.WritesThrough
        ordering = ["last_day", "name"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        constraints = [
            models.CheckConstraint(
                condition=Q(first_day__isnull=True) | Q(last_day__gte=F("first_day")),
                name="races_event_ends_after_start",
            ),
            choices_check("status", EventStatus, "races_event_status_valid"),
            models.CheckConstraint(
                condition=Q(status="cancelled") | Q(cancellation_reason=""),
                name="races_event_cancellation_reason_only_if_cancelled",
            ),
            # A cancelled edition may have no date (Le Mans 1936, 1940–1948): none is invented.
            models.CheckConstraint(
                condition=Q(last_day__isnull=False) | Q(status="cancelled", first_day__isnull=True),
                name="races_event_dated_unless_cancelled",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        """The page of the event's first round (one query: for the admin, not for lists)."""
        first = self.rounds.select_related("season__series").order_by("season__year", "pk").first()
        return first.get_absolute_url() if first else ""

    @property
    def is_postponed(self):
        return self.postponed_from is not None or bool(self.postponement_reason)


class RoundQuerySet(WritesQuerySet):
    def with_pages(self):
        """Everything a link to the round and its event's facts need."""
        return self.select_related("season__series", "event__circuit")

    def upcoming(self, today):
        """Rounds whose event is still to come or under way on `today`, soonest first (by date:
        on 20 Sep 2011 the next round is Estoril, though its results are on record now)."""
        return (
            self.filter(event__last_day__gte=today)
            .exclude(event__status=EventStatus.CANCELLED)
            .with_pages()
            .order_by("event__last_day", "season__series__name")
        )

    def latest_completed(self, today):
        """Completed rounds whose event ended before `today`, latest first."""
        return (
            self.filter(event__status=EventStatus.COMPLETED, event__last_day__lt=today)
            .with_pages()
            .order_by("-event__last_day", "season__series__name")
        )


class Round(WritesThrough, models.Model):
    season = models.ForeignKey(
        Season, on_delete=models.CASCADE, related_name="rounds", verbose_name=_("season")
    )
    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="rounds", verbose_name=_("event")
    )
    number = models.PositiveSmallIntegerField(_("round"))
    points_factor = models.DecimalField(
        _("points factor"),
        max_digits=4,
        decimal_places=2,
        default=1,
        help_text=_(
            "0.5 for a shortened race, 2 for double points, 0 when the round does not count."
        ),
    )
    history = HistoricalRecords()

    objects = RoundQuerySet.as_manager()

    season_paths = ("season",)

    class Meta:
        base_manager_name = "objects"  # writes.WritesThrough
        ordering = ["season", "number"]
        verbose_name = _("round")
        verbose_name_plural = _("rounds")
        constraints = [
            models.UniqueConstraint(fields=["season", "number"], name="races_round_unique_number"),
            models.UniqueConstraint(fields=["season", "event"], name="races_round_unique_event"),
            models.CheckConstraint(condition=Q(number__gte=1), name="races_round_number_positive"),
            bounded("races_round_number_bounded", POSITION_BOUND, ["number"], MAX_POSITION),
            models.CheckConstraint(
                condition=Q(points_factor__gte=0), name="races_round_points_factor_not_negative"
            ),
        ]

    def __str__(self):
        return f"{self.number}"

    def get_absolute_url(self):
        """Follows `season__series` and `event`: select them with the round."""
        return reverse(
            "races:round_detail", args=[self.season.series.slug, self.season.year, self.event.slug]
        )

    def clean(self):
        if not (self.season_id and self.event_id):
            return
        moved = (
            self.pk is not None
            and Round.objects.filter(pk=self.pk)
            .exclude(season_id=self.season_id, event_id=self.event_id)
            .exists()
        )
        if moved and (registered := registrations_counting_on_round(self.pk).count()):
            raise ValidationError(round_registrations_message(registered))
        clash = (
            Round.objects.filter(season_id=self.season_id, event__slug=self.event.slug)
            .exclude(pk=self.pk)
            .exclude(event_id=self.event_id)
        )
        if clash.exists():
            message = _("Another event of this season already uses the slug “%(slug)s”.")
            raise ValidationError(
                {"event": ValidationError(message, params={"slug": self.event.slug})}
            )


class SessionKind(models.TextChoices):
    TEST = "test", _("Test")
    PRACTICE = "practice", _("Practice")
    QUALIFYING = "qualifying", _("Qualifying")
    WARMUP = "warmup", _("Warm-up")
    RACE = "race", _("Race")


class ResultsStatus(models.TextChoices):
    NONE = "none", _("No results")
    PROVISIONAL = "provisional", _("Provisional")
    PARTIAL = "partial", _("Partial")
    FINAL = "final", _("Final")


class DistanceUnit(models.TextChoices):
    KM = "km", _("kilometres")
    MILES = "mi", _("miles")
    LAPS = "laps", _("laps")


def crews_with_laps(sessions):
    """{event id: [crew member ids]} of the crew members with laps on record in `sessions`."""
    held = {}
    for event_id, crew_id in (
        RaceLaps.objects.using(sessions.db)
        .filter(session__in=sessions.values("pk"))
        .values_list("session__event_id", "crew_id")
        .distinct()
    ):
        held.setdefault(event_id, []).append(crew_id)
    return held


def settle_lap_totals(held, using):
    """After races were deleted: the crew members of `held` ({event id: [crew member ids]})
    get their totals over the races left (races/importers/laps.py `settle_totals`)."""
    from races.importers.laps import settle_totals

    for event_id, crew_ids in held.items():
        members = Crew.objects.using(using).filter(pk__in=crew_ids).select_for_update()
        settle_totals(event_id, list(members), using)


class SessionQuerySet(WritesQuerySet):
    """Deleting races leaves their crews' laps and time at the wheel the sums of the races left,
    as `Session.delete` does."""

    def delete(self):
        with changes(self.db):
            held = crews_with_laps(self)
            deleted = super().delete()
            settle_lap_totals(held, self.db)
            return deleted

    delete.alters_data = True
    delete.queryset_only = True


class Session(WritesThrough, models.Model):
    Kind = SessionKind

    ResultsStatus = ResultsStatus

    DistanceUnit = DistanceUnit

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("event")
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind)
    name = models.CharField(
        _("name"),
        max_length=80,
        help_text=_("FP1, Q1, Hyperpole, Race…"),
        validators=[validate_printable],
    )
    order = models.PositiveSmallIntegerField(_("order"))
    start = models.DateTimeField(_("start"), null=True, blank=True, validators=[validate_year])
    time_limit = models.DurationField(_("time limit"), null=True, blank=True)
    distance_limit = models.DecimalField(
        _("distance limit"), max_digits=8, decimal_places=3, null=True, blank=True
    )
    distance_unit = models.CharField(
        _("distance unit"), max_length=4, choices=DistanceUnit, blank=True
    )
    results_status = models.CharField(
        _("results"), max_length=12, choices=ResultsStatus, default=ResultsStatus.NONE
    )
    points_factor = models.DecimalField(
        _("points factor of this race"),
        max_digits=4,
        decimal_places=2,
        default=1,
        help_text=_("0.5 where the regulations give half points for a shortened race."),
    )
    points_factor_reason = models.CharField(
        _("why the factor"),
        max_length=200,
        blank=True,
        help_text=_("As the regulations or the stewards put it; needed for a factor other than 1."),
    )
    source = models.TextField(_("source"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    history = HistoricalRecords()

    objects = SessionQuerySet.as_manager()
    season_paths = ("event__rounds__season",)

    class Meta:
        base_manager_name = "objects"  # writes.WritesThrough
        ordering = ["event", "order"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")
        constraints = [
            models.UniqueConstraint(fields=["event", "order"], name="races_session_unique_order"),
            bounded("races_session_order_bounded", POSITION_BOUND, ["order"], MAX_POSITION),
            duration_bounded("races_session_time_limit_bounded", ["time_limit"]),
            choices_check("kind", SessionKind, "races_session_kind_valid"),
            choices_check("results_status", ResultsStatus, "races_session_results_status_valid"),
            models.CheckConstraint(
                condition=Q(distance_unit__in=[*DistanceUnit.values, ""]),
                name="races_session_distance_unit_valid",
            ),
            models.CheckConstraint(
                condition=Q(distance_limit__isnull=True) | ~Q(distance_unit=""),
                name="races_session_distance_limit_has_unit",
            ),
            models.CheckConstraint(
                condition=Q(distance_limit__isnull=True) | Q(distance_limit__gt=0),
                name="races_session_distance_limit_positive",
            ),
            models.CheckConstraint(
                condition=Q(points_factor__gte=0), name="races_session_points_factor_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(points_factor=1) | ~Q(points_factor_reason=""),
                name="races_session_points_factor_has_reason",
                violation_error_message=_("Say why this race scores other than full points."),
            ),
        ]

    def __str__(self):
        return self.name

    def delete(self, *args, **kwargs):
        """Its crews' laps and time at the wheel become the sums over the races left."""
        using = kwargs.get("using") or self._state.db or DEFAULT_DB_ALIAS
        with changes(using):
            held = crews_with_laps(Session.objects.using(using).filter(pk=self.pk))
            deleted = super().delete(*args, **kwargs)
            settle_lap_totals(held, using)
            return deleted

    delete.alters_data = True


def unordered_results_error(session):
    """Why `session` (its results status as given, maybe not saved yet) cannot keep its stored
    results, or None: a result without finish order is allowed only in partial results.
    Result.clean checks each result it saves against its session; a form that changes a
    session's status without its results (the event admin's sessions) calls this."""
    if session.pk is None or session.results_status == ResultsStatus.PARTIAL:
        return None
    missing = session.results.filter(finish_order__isnull=True).count()
    if not missing:
        return None
    return ngettext(
        "%(n)d result of this session has no finish order: only partial "
        "results may leave it empty.",
        "%(n)d results of this session have no finish order: only partial "
        "results may leave it empty.",
        missing,
    ) % {"n": missing}


class TeamQuerySet(WritesQuerySet):
    def with_entries(self):
        """Teams that entered at least one car: the ones lists and search show."""
        return self.filter(Exists(Entry.objects.filter(team=OuterRef("pk"))))

    def search(self, query):
        """Listed teams whose name contains `query`, ignoring accents, case and spacing."""
        from drivers.names import fold

        return self.with_entries().filter(search_key__contains=fold(query))


class Team(WritesThrough, models.Model):
    name = models.CharField(_("name"), max_length=160, validators=[validate_printable])
    slug = models.SlugField(_("slug"), max_length=160, unique=True)
    search_key = models.TextField(editable=False, db_index=True)  # folding can lengthen a name
    country = CountryField(_("country"), blank=True)
    history = HistoricalRecords()

    objects = TeamQuerySet.as_manager()

    season_paths = ()  # its writes change pages, not standings

    class Meta:
        base_manager_name = "objects"  # writes.WritesThrough
        ordering = ["search_key", "slug"]
        verbose_name = _("team")
        verbose_name_plural = _("teams")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        from drivers.names import fold

        self.search_key = fold(self.name)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("races:team_detail", args=[self.slug])


class TeamRedirect(WritesThrough, models.Model):
    """A slug that no longer names a team (merged into another, races/merging.py): its page
    answers 301 to the team's, in every language. A later merge of that team moves its
    redirects on, so a chain of merges lands on the final record in one step."""

    old_slug = models.SlugField(_("old slug"), max_length=160)
    team = models.ForeignKey(
        Team, on_delete=models.CASCADE, related_name="redirects", verbose_name=_("team")
    )
    old_name = models.CharField(_("old name"), max_length=160, blank=True)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    history = HistoricalRecords()

    objects = WritesQuerySet.as_manager()
    season_paths = ()  # its writes change pages, not standings

    class Meta:
        base_manager_name = "objects"  # writes.WritesThrough
        ordering = ["old_slug"]
        verbose_name = _("old team address")
        verbose_name_plural = _("old team addresses")
        constraints = [
            models.UniqueConstraint(fields=["old_slug"], name="races_teamredirect_unique_old_slug"),
            models.CheckConstraint(
                condition=~Q(old_slug=""), name="races_teamredirect_old_slug_not_empty"
            ),
        ]

    def __str__(self):
        return self.old_slug


class EntryQuerySet(RederivingQuerySet):
    def held(self):
        """{entry id: (class id, the class it also scores in)} as stored."""
        return {
            pk: (class_id, None if apart else parent_id)
            for pk, class_id, parent_id, apart in self.order_by().values_list(
                "pk", "car_class_id", "car_class__parent_id", "car_class__own_championship"
            )
        }

    def rederive(self, before):
        """Re-derive the class positions of the sessions of each entry of `before` ({entry id:
        (class id, the class it also scored in)}) now in another class (races/results.py)."""
        from races.results import rederive_moved

        now = self.model._base_manager.using(self.db).filter(pk__in=list(before)).held()
        rederive_moved(
            {pk: held for pk, held in before.items() if now.get(pk, held) != held}, self.db
        )

    def with_crews(self):
        """Entries with their team, class, crew (drivers in order) and registrations."""
        return self.select_related("team", "car_class__parent").prefetch_related(
            models.Prefetch("crew", queryset=Crew.objects.select_related("driver")),
            "registrations",
        )


class EntryStatus(models.TextChoices):
    ENTERED = "entered", _("Entered")
    RESERVE = "reserve", _("Reserve")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    NOT_ACCEPTED = "not_accepted", _("Not accepted")
    DID_NOT_ARRIVE = "did_not_arrive", _("Did not arrive")
    DID_NOT_PRACTISE = "did_not_practise", _("Did not practise")
    DID_NOT_QUALIFY = "did_not_qualify", _("Did not qualify")
    DID_NOT_START = "did_not_start", _("Did not start")


class Entry(RederivesPositions, WritesThrough, models.Model):
    Status = EntryStatus

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="entries", verbose_name=_("event")
    )
    number = models.CharField(
        _("car number"),
        max_length=6,
        blank=True,
        help_text=_("As painted: “007” is not 7."),
        validators=[validate_printable],
    )
    car_class = models.ForeignKey(
        CarClass, on_delete=models.PROTECT, related_name="entries", verbose_name=_("class")
    )
    team = models.ForeignKey(
        Team,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="entries",
        verbose_name=_("team"),
    )
    entrant = models.CharField(
        _("entrant as written"),
        max_length=200,
        blank=True,
        help_text=_("As entered that year."),
        validators=[validate_printable],
    )
    chassis = models.CharField(
        _("chassis"), max_length=120, blank=True, validators=[validate_printable]
    )
    engine = models.CharField(
        _("engine"), max_length=120, blank=True, validators=[validate_printable]
    )
    tyres = models.CharField(_("tyres"), max_length=60, blank=True, validators=[validate_printable])
    manufacturer = models.CharField(
        _("manufacturer"),
        max_length=60,
        blank=True,
        help_text=_("The maker the car scores for in a manufacturers' title; empty: none."),
        validators=[validate_printable],
    )
    status = models.CharField(
        _("entry status"), max_length=20, choices=Status, default=Status.ENTERED
    )
    championships = models.ManyToManyField(
        Season,
        through="Registration",
        related_name="registered_entries",
        blank=True,
        verbose_name=_("registered for"),
    )
    source = models.TextField(_("source"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    history = HistoricalRecords()

    objects = EntryQuerySet.as_manager()
    # A move to another class re-derives the car's class positions (results.rederive_moved).
    rederiving_fields = frozenset({"car_class", "car_class_id"})

    season_paths = ("event__rounds__season",)
    changes_namesakes = True  # the years shown beside a shared name (races/namesakes.py)

    class Meta:
        base_manager_name = "objects"  # writes.WritesThrough
        ordering = ["event", "number"]
        verbose_name = _("entry")
        verbose_name_plural = _("entries")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "number"],
                condition=Q(status="entered") & ~Q(number=""),
                name="races_entry_unique_number_among_entered",
                violation_error_message=_(
                    "Another entered car of this event already has this number."
                ),
            ),
            choices_check("status", EntryStatus, "races_entry_status_valid"),
        ]

    def __str__(self):
        """Reads "#39 Pecom Racing": the number and the entrant as written (no foreign key)."""
        car = f"#{self.number}" if self.number else gettext("car without number")
        return f"{car} {self.entrant}" if self.entrant else car


class Registration(WritesThrough, models.Model):
    """An entry's registration for one championship (a season) of its event."""

    entry = models.ForeignKey(
        Entry, on_delete=models.CASCADE, related_name="registrations", verbose_name=_("entry")
    )
    season = models.ForeignKey(
        Season, on_delete=models.CASCADE, related_name="registrations", verbose_name=_("season")
    )
    history = HistoricalRecords()

    objects = WritesQuerySet.as_manager()
    season_paths = ("season",)

    class Meta:
        base_manager_name = "objects"  # writes.WritesThrough
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        constraints = [
            models.UniqueConstraint(
                fields=["entry", "season"], name="races_registration_unique_season"
            ),
        ]

    def __str__(self):
        return f"{self.season_id}"

    def clean(self):
        if not (self.entry_id and self.season_id):
            return
        errors = registration_errors(self.entry, self.season)
        if errors:
            raise ValidationError({"season": errors})


def registrations_counting_on_round(round_pk):
    """The stored registrations that need the stored round `round_pk`: its event's cars
    registered for its season. Deleting the round (or moving it) would leave them invalid."""
    return Registration.objects.filter(
        season__rounds__pk=round_pk, entry__event__rounds__pk=round_pk
    )


def round_registrations_message(count):
    return ngettext(
        "%(n)d car of this event is registered for this championship: remove its "
        "registration first.",
        "%(n)d cars of this event are registered for this championship: remove their "
        "registrations first.",
        count,
    ) % {"n": count}


def registrations_outside_classes(season, classes):
    """The registrations for `season` of cars whose class is none of `classes`, nor a
    sub-class of one: they would be invalid if the season ran only `classes`."""
    return (
        Registration.objects.filter(season=season)
        .exclude(entry__car_class__in=classes)
        .exclude(entry__car_class__parent__in=classes)
    )


def registration_errors(entry, season):
    """Why `entry` cannot be registered for `season`, as a list of messages (empty if it can)."""
    errors = []
    if not Round.objects.filter(season=season, event_id=entry.event_id).exists():
        errors.append(_("The event is not a round of %(season)s.") % {"season": season})
    classes = {entry.car_class_id, entry.car_class.parent_id}
    if not SeasonClass.objects.filter(season=season, car_class_id__in=classes).exists():
        errors.append(
            _("%(season)s does not run the class %(cls)s.")
            % {"season": season, "cls": entry.car_class}
        )
    return errors


class CrewQuerySet(WritesQuerySet):
    def for_event(self, event):
        """(entry id, order, driver slug, driver name, whether the first name is known, the
        first and last year shown beside a shared name, laps, time at the wheel, drove) of every
        crew place of `event`: rows, not objects, for the round page's long entry and result
        tables."""
        return (
            self.filter(entry__event=event)
            .order_by("entry_id", "order")
            .values_list(
                "entry_id",
                "order",
                "driver__slug",
                "driver__full_name",
                "driver__first_name_known",
                "driver__namesake_first_year",
                "driver__namesake_last_year",
                "laps",
                "drive_time",
                "drove",
            )
        )


class Crew(WritesThrough, models.Model):
    entry = models.ForeignKey(
        Entry, on_delete=models.CASCADE, related_name="crew", verbose_name=_("entry")
    )
    driver = models.ForeignKey(
        "drivers.Driver", on_delete=models.PROTECT, related_name="crews", verbose_name=_("driver")
    )
    order = models.PositiveSmallIntegerField(_("order"))
    nationality = CountryField(_("nationality as entered"), blank=True)
    drove = models.BooleanField(
        _("drove"), null=True, blank=True, help_text=_("Empty when no source says.")
    )
    laps = models.PositiveIntegerField(
        _("laps driven"),
        null=True,
        blank=True,
        help_text=_("In the event's race(s), from the lap analysis; empty when unknown."),
    )
    drive_time = models.DurationField(
        _("time at the wheel"),
        null=True,
        blank=True,
        help_text=_("In the event's race(s), pit stops in their laps included."),
    )
    history = HistoricalRecords()

    objects = CrewQuerySet.as_manager()

    season_paths = ("entry__event__rounds__season",)
    changes_namesakes = True  # the years shown beside a shared name (races/namesakes.py)

    class Meta:
        base_manager_name = "objects"  # writes.WritesThrough
        ordering = ["entry", "order"]
        verbose_name = _("crew member")
        verbose_name_plural = _("crew")
        constraints = [
            models.UniqueConstraint(fields=["entry", "driver"], name="races_crew_unique_driver"),
            models.UniqueConstraint(fields=["entry", "order"], name="races_crew_unique_order"),
            # Higher than a position: the import moves places out of the way by 1000 first.
            bounded(
                "races_crew_order_bounded", _("A place in a crew is at most 9999."), ["order"], 9999
            ),
            models.CheckConstraint(
                condition=Q(drive_time__isnull=True) | Q(drive_time__gte=dt.timedelta(0)),
                name="races_crew_drive_time_not_negative",
            ),
        ]

    def __str__(self):
        return f"{self.order}"


class RaceLaps(WritesThrough, models.Model):
    """A crew member's laps and time at the wheel in one race session, from that race's lap
    analysis (races/importers/laps.py): the crew member's `laps`, `drive_time` and `drove` are
    their sums over the event's races. A row per crew member of every car in the analysis, with
    0 laps for one who did not drive in that race."""

    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, related_name="race_laps", verbose_name=_("session")
    )
    crew = models.ForeignKey(
        Crew, on_delete=models.CASCADE, related_name="race_laps", verbose_name=_("crew member")
    )
    laps = models.PositiveIntegerField(_("laps driven"))
    drive_time = models.DurationField(_("time at the wheel"))

    objects = WritesQuerySet.as_manager()

    class Meta:
        base_manager_name = "objects"  # writes.WritesThrough
        ordering = ["session", "crew"]
        verbose_name = _("laps in a race")
        verbose_name_plural = _("laps in races")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "crew"], name="races_racelaps_unique_crew_member"
            ),
            bounded("races_racelaps_laps_bounded", LAPS_BOUND, ["laps"], MAX_LAPS),
            duration_bounded("races_racelaps_drive_time_bounded", ["drive_time"]),
        ]

    def __str__(self):
        return f"{self.laps}"

    def clean(self):
        if not (self.session_id and self.crew_id):
            return
        if self.session.kind != SessionKind.RACE:
            raise ValidationError(
                {
                    "session": _("Laps are kept per race, not per %(kind)s.")
                    % {"kind": self.session.get_kind_display()}
                }
            )
        if self.crew.entry.event_id != self.session.event_id:
            raise ValidationError({"crew": _("This crew member's car is not in the race's event.")})


class ResultStatus(models.TextChoices):
    CLASSIFIED = "classified", _("Classified")
    NOT_CLASSIFIED = "not_classified", _("Not classified")
    RETIRED = "retired", _("Retired")
    DISQUALIFIED = "disqualified", _("Disqualified")
    EXCLUDED = "excluded", _("Excluded")
    UNKNOWN = "unknown", _("Unknown")


class ResultQuerySet(WritesQuerySet):
    def in_races(self):
        return self.filter(session__kind=SessionKind.RACE)

    def winners(self):
        """Race results that won overall or a class, with the car and its crew."""
        return (
            self.in_races()
            .filter(Q(position=1) | Q(class_position=1))
            .select_related("session", "entry__team", "entry__car_class")
            .prefetch_related(
                models.Prefetch("entry__crew", queryset=Crew.objects.select_related("driver"))
            )
        )


class Result(WritesThrough, models.Model):
    Status = ResultStatus

    session = models.ForeignKey(
        Session, on_delete=models.CASCADE, related_name="results", verbose_name=_("session")
    )
    entry = models.ForeignKey(
        Entry, on_delete=models.CASCADE, related_name="results", verbose_name=_("entry")
    )
    finish_order = models.PositiveSmallIntegerField(
        _("finish order"),
        null=True,
        blank=True,
        help_text=_("Order of the classification, unclassified cars included."),
    )
    position = models.PositiveSmallIntegerField(_("position"), null=True, blank=True)
    class_position = models.PositiveSmallIntegerField(_("class position"), null=True, blank=True)
    parent_class_position = models.PositiveSmallIntegerField(
        _("position in parent class"), null=True, blank=True
    )
    laps = models.PositiveIntegerField(_("laps"), null=True, blank=True)
    distance_km = models.DecimalField(
        _("distance (km)"), max_digits=9, decimal_places=3, null=True, blank=True
    )
    time = models.DurationField(
        _("time"), null=True, blank=True, help_text=_("Race time, or elapsed time at retirement.")
    )
    gap_laps = models.PositiveIntegerField(_("gap (laps)"), null=True, blank=True)
    gap_time = models.DurationField(_("gap (time)"), null=True, blank=True)
    best_lap = models.DurationField(_("best lap"), null=True, blank=True)
    best_lap_number = models.PositiveIntegerField(_("best lap number"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status)
    reason = models.CharField(
        _("reason"),
        max_length=200,
        blank=True,
        help_text=_("e.g. Transmission (gearbox)."),
        validators=[validate_printable],
    )
    source = models.TextField(_("source"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    history = HistoricalRecords()

    objects = ResultQuerySet.as_manager()

    season_paths = ("session__event__rounds__season",)

    class Meta:
        base_manager_name = "objects"  # writes.WritesThrough
        ordering = ["session", F("finish_order").asc(nulls_last=True), "class_position"]
        verbose_name = _("result")
        verbose_name_plural = _("results")
        constraints = [
            models.UniqueConstraint(
                fields=["session", "entry"], name="races_result_one_per_entry_and_session"
            ),
            models.UniqueConstraint(
                fields=["session", "finish_order"],
                condition=Q(finish_order__isnull=False),
                name="races_result_unique_finish_order",
                violation_error_message=_("Another car of this session has this finish order."),
            ),
            models.UniqueConstraint(
                fields=["session", "position"],
                condition=Q(position__isnull=False),
                name="races_result_unique_position",
                violation_error_message=_("Another car of this session has this position."),
            ),
            models.CheckConstraint(
                condition=Q(finish_order__isnull=True) | Q(finish_order__gte=1),
                name="races_result_finish_order_positive",
            ),
            models.CheckConstraint(
                condition=(Q(position__isnull=True) | Q(position__gte=1))
                & (Q(class_position__isnull=True) | Q(class_position__gte=1))
                & (Q(parent_class_position__isnull=True) | Q(parent_class_position__gte=1)),
                name="races_result_positions_positive",
            ),
            bounded(
                "races_result_positions_bounded",
                POSITION_BOUND,
                ["finish_order", "position", "class_position", "parent_class_position"],
                MAX_POSITION,
            ),
            bounded(
                "races_result_laps_bounded",
                LAPS_BOUND,
                ["laps", "gap_laps", "best_lap_number"],
                MAX_LAPS,
            ),
            duration_bounded("races_result_times_bounded", ["time", "gap_time", "best_lap"]),
            models.CheckConstraint(
                condition=Q(position__isnull=True) | Q(status="classified"),
                name="races_result_position_only_if_classified",
                violation_error_message=_("Only a classified car has a classified position."),
            ),
            choices_check("status", ResultStatus, "races_result_status_valid"),
        ]

    def __str__(self):
        return f"{self.finish_order or '–'}"

    def clean(self):
        errors = {}
        if self.session_id and self.entry_id and self.entry.event_id != self.session.event_id:
            errors["entry"] = _("This car is not entered in the session's event.")
        if (
            self.session_id
            and self.finish_order is None
            and self.session.results_status != Session.ResultsStatus.PARTIAL
        ):
            errors["finish_order"] = _(
                "Only a session whose results are marked partial may leave the finish order empty."
            )
        if errors:
            raise ValidationError(errors)


# --- championship rules (races/standings.py computes the standings from them) ----------------


class PointsScaleQuerySet(WritesQuerySet):
    def presets_for(self, season):
        """The presets that name `season`'s series and year, the one with the narrowest span of
        seasons first (a preset of one era before an open-ended one)."""
        span = models.ExpressionWrapper(
            Coalesce("last_year", 9999) - Coalesce("first_year", 0),
            output_field=models.IntegerField(),
        )
        return (
            self.filter(series_slug=season.series.slug)
            .filter(Q(first_year__isnull=True) | Q(first_year__lte=season.year))
            .filter(Q(last_year__isnull=True) | Q(last_year__gte=season.year))
            .annotate(span=span)
            .order_by("span", "name")
        )


class PointsScale(WritesThrough, models.Model):
    """Points by class position, then `further_points` for every further classified car."""

    name = models.CharField(_("name"), max_length=120, validators=[validate_printable])
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    further_points = models.DecimalField(
        _("points for every further classified car"),
        max_digits=5,
        decimal_places=2,
        default=0,
    )
    pole_points = models.DecimalField(
        _("class pole bonus that goes with it"),
        max_digits=5,
        decimal_places=2,
        default=0,
        help_text=_("Proposed with the scale when rules are added for a season it applies to."),
    )
    series_slug = models.SlugField(
        _("applies to the series"),
        max_length=120,
        blank=True,
        help_text=_("The slug of the series whose seasons use it; empty: a scale, not a preset."),
    )
    first_year = models.PositiveSmallIntegerField(
        _("from the season"), null=True, blank=True, help_text=_("Empty: from the first.")
    )
    last_year = models.PositiveSmallIntegerField(
        _("to the season"), null=True, blank=True, help_text=_("Empty: still in use.")
    )
    source = models.TextField(_("source"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    history = HistoricalRecords()

    objects = PointsScaleQuerySet.as_manager()
    season_paths = ("rules__season", "class_scales__rules__season")

    class Meta:
        base_manager_name = "objects"  # writes.WritesThrough
        ordering = ["name"]
        verbose_name = _("points scale")
        verbose_name_plural = _("points scales")
        constraints = [
            models.CheckConstraint(
                condition=Q(further_points__gte=0),
                name="races_pointsscale_further_points_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(pole_points__gte=0), name="races_pointsscale_pole_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(first_year__isnull=True)
                | Q(last_year__isnull=True)
                | Q(last_year__gte=F("first_year")),
                name="races_pointsscale_years_in_order",
                violation_error_message=_("The last season comes before the first."),
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def has_source(self):
        """A publication is named: a preset or scale without one says so where it is shown."""
        return bool(self.source.strip())


class ScalePoints(WritesThrough, models.Model):
    scale = models.ForeignKey(
        PointsScale, on_delete=models.CASCADE, related_name="points", verbose_name=_("scale")
    )
    position = models.PositiveSmallIntegerField(_("class position"))
    points = models.DecimalField(_("points"), max_digits=5, decimal_places=2)
    history = HistoricalRecords()

    objects = WritesQuerySet.as_manager()
    season_paths = ("scale__rules__season", "scale__class_scales__rules__season")

    class Meta:
        base_manager_name = "objects"  # writes.WritesThrough
        ordering = ["scale", "position"]
        verbose_name = _("points for a position")
        verbose_name_plural = _("points by position")
        constraints = [
            models.UniqueConstraint(
                fields=["scale", "position"], name="races_scalepoints_unique_position"
            ),
            models.CheckConstraint(
                condition=Q(position__gte=1), name="races_scalepoints_position_positive"
            ),
            bounded(
                "races_scalepoints_position_bounded", POSITION_BOUND, ["position"], MAX_POSITION
            ),
            models.CheckConstraint(
                condition=Q(points__gte=0), name="races_scalepoints_points_not_negative"
            ),
        ]

    def __str__(self):
        return f"{self.position}: {self.points}"


class TeamStandings(models.TextChoices):
    PER_CAR = "per_car", _("Per car entry (team and car number across the season)")
    ALL_CARS = "all_cars", _("Per team, all its cars adding up")
    BEST_CAR = "best_car", _("Per team, its best car in each round")


class ChampionshipRules(WritesThrough, models.Model):
    """How a season's championships score. Rules that span rows are checked in clean()."""

    TeamStandings = TeamStandings

    season = models.OneToOneField(
        Season, on_delete=models.CASCADE, related_name="rules", verbose_name=_("season")
    )
    scale = models.ForeignKey(
        PointsScale,
        on_delete=models.PROTECT,
        related_name="rules",
        verbose_name=_("points scale"),
        help_text=_("For every class without a scale of its own below."),
    )
    pole_points = models.DecimalField(
        _("class pole bonus"),
        max_digits=5,
        decimal_places=2,
        default=0,
        help_text=_("To the pole car's team entry and every driver of its crew."),
    )
    pole_session_kind = models.CharField(
        _("pole from sessions of kind"),
        max_length=12,
        choices=SessionKind,
        default=SessionKind.QUALIFYING,
    )
    pole_session_name = models.CharField(
        _("pole from the sessions named"),
        max_length=200,
        blank=True,
        help_text=_(
            "Names separated by commas (“Qualifying LMP2, Qualifying LMP3”); empty: every session "
            "of that kind. Each class's pole comes from the first of them in which the class took "
            "part."
        ),
    )
    team_standings = models.CharField(
        _("team standings"), max_length=12, choices=TeamStandings, default=TeamStandings.PER_CAR
    )
    drove_required = models.BooleanField(
        _("only drivers who drove score"),
        default=False,
        help_text=_("A crew member whose “drove” is No then scores nothing; unknown still scores."),
    )
    min_drive_time = models.DurationField(
        _("minimum time at the wheel"),
        null=True,
        blank=True,
        help_text=_(
            "A driver whose time at the wheel of the round is known and shorter scores nothing; "
            "empty: no minimum."
        ),
    )
    best_n = models.PositiveSmallIntegerField(
        _("best results that count"),
        null=True,
        blank=True,
        help_text=_("Empty: every round counts."),
    )
    driver_standings = models.BooleanField(
        _("drivers' standings"),
        default=True,
        help_text=_(
            "No: the championship ranks teams (and manufacturers) only, as the 2011 ILMC did."
        ),
    )
    manufacturers_best_n = models.PositiveSmallIntegerField(
        _("manufacturers: best cars per round"),
        null=True,
        blank=True,
        help_text=_("Empty: no manufacturers' standings."),
    )
    source = models.TextField(_("source"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    history = HistoricalRecords()

    objects = WritesQuerySet.as_manager()
    season_paths = ("season",)

    class Meta:
        base_manager_name = "objects"  # writes.WritesThrough
        verbose_name = _("championship rules")
        verbose_name_plural = _("championship rules")
        constraints = [
            models.CheckConstraint(
                condition=Q(pole_points__gte=0), name="races_championshiprules_pole_not_negative"
            ),
            choices_check(
                "pole_session_kind", SessionKind, "races_championshiprules_pole_kind_valid"
            ),
            choices_check(
                "team_standings", TeamStandings, "races_championshiprules_team_standings_valid"
            ),
            models.CheckConstraint(
                condition=Q(best_n__isnull=True) | Q(best_n__gte=1),
                name="races_championshiprules_best_n_positive",
            ),
            models.CheckConstraint(
                condition=Q(min_drive_time__isnull=True) | Q(min_drive_time__gt=dt.timedelta(0)),
                name="races_championshiprules_min_drive_time_positive",
            ),
            models.CheckConstraint(
                condition=Q(manufacturers_best_n__isnull=True) | Q(manufacturers_best_n__gte=1),
                name="races_championshiprules_manufacturers_best_n_positive",
            ),
            bounded(
                "races_championshiprules_best_n_bounded",
                POSITION_BOUND,
                ["best_n", "manufacturers_best_n"],
                MAX_POSITION,
            ),
        ]

    def __str__(self):
        return gettext("Championship rules")

    @property
    def pole_session_names(self):
        """The session names of `pole_session_name`, without blanks."""
        return [name.strip() for name in self.pole_session_name.split(",") if name.strip()]

    def clean(self):
        if self.best_n and self.season_id:
            rounds = Round.objects.filter(season_id=self.season_id).count()
            if self.best_n > rounds:
                raise ValidationError(
                    {
                        "best_n": _(
                            "The season has %(rounds)d rounds: at most %(rounds)d can count."
                        )
                        % {"rounds": rounds}
                    }
                )


class ClassScale(WritesThrough, models.Model):
    """A class whose points differ from the season's scale."""

    rules = models.ForeignKey(
        ChampionshipRules,
        on_delete=models.CASCADE,
        related_name="class_scales",
        verbose_name=_("rules"),
    )
    car_class = models.ForeignKey(
        CarClass, on_delete=models.PROTECT, related_name="class_scales", verbose_name=_("class")
    )
    scale = models.ForeignKey(
        PointsScale,
        on_delete=models.PROTECT,
        related_name="class_scales",
        verbose_name=_("points scale"),
    )
    history = HistoricalRecords()

    objects = WritesQuerySet.as_manager()
    season_paths = ("rules__season",)

    class Meta:
        base_manager_name = "objects"  # writes.WritesThrough
        verbose_name = _("scale of a class")
        verbose_name_plural = _("scales of a class")
        constraints = [
            models.UniqueConstraint(
                fields=["rules", "car_class"], name="races_classscale_unique_class"
            ),
        ]

    def __str__(self):
        return f"{self.car_class_id}"


class PoleAward(WritesThrough, models.Model):
    """A class pole set by an editor, where no qualifying classification is on record. It
    takes the place of the one the qualifying session would give."""

    rules = models.ForeignKey(
        ChampionshipRules,
        on_delete=models.CASCADE,
        related_name="pole_awards",
        verbose_name=_("rules"),
    )
    round = models.ForeignKey(
        Round, on_delete=models.CASCADE, related_name="pole_awards", verbose_name=_("round")
    )
    car_class = models.ForeignKey(
        CarClass, on_delete=models.PROTECT, related_name="pole_awards", verbose_name=_("class")
    )
    entry = models.ForeignKey(
        Entry, on_delete=models.CASCADE, related_name="pole_awards", verbose_name=_("car")
    )
    source = models.TextField(_("source"), blank=True)
    history = HistoricalRecords()

    objects = WritesQuerySet.as_manager()
    season_paths = ("rules__season", "round__season")

    class Meta:
        base_manager_name = "objects"  # writes.WritesThrough
        verbose_name = _("class pole")
        verbose_name_plural = _("class poles set by an editor")
        constraints = [
            models.UniqueConstraint(
                fields=["round", "car_class"], name="races_poleaward_unique_class"
            ),
        ]

    def __str__(self):
        return f"{self.round_id}"

    def clean(self):
        errors = {}
        if self.rules_id and self.round_id and self.round.season_id != self.rules.season_id:
            errors["round"] = _("This round is not a round of the rules' season.")
        if self.round_id and self.entry_id:
            if self.entry.event_id != self.round.event_id:
                errors["entry"] = _("This car is not entered in the round's event.")
            elif self.car_class_id and self.car_class_id not in (
                self.entry.car_class_id,
                self.entry.car_class.championship_parent_id,
            ):
                errors["entry"] = _("This car does not race in this class.")
        if errors:
            raise ValidationError(errors)


class Adjustment(WritesThrough, models.Model):
    """Points added to or taken from a car (its team entry and its crew) or one driver."""

    round = models.ForeignKey(
        Round, on_delete=models.CASCADE, related_name="adjustments", verbose_name=_("round")
    )
    entry = models.ForeignKey(
        Entry,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="adjustments",
        verbose_name=_("car"),
        help_text=_("The team entry and every scoring driver of its crew."),
    )
    driver = models.ForeignKey(
        "drivers.Driver",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="adjustments",
        verbose_name=_("driver"),
        help_text=_("This driver only."),
    )
    points = models.DecimalField(
        _("points"), max_digits=6, decimal_places=2, help_text=_("Negative for a penalty.")
    )
    reason = models.CharField(_("reason"), max_length=200, validators=[validate_printable])
    source = models.TextField(_("source"), blank=True)
    history = HistoricalRecords()

    objects = WritesQuerySet.as_manager()
    season_paths = ("round__season",)

    class Meta:
        base_manager_name = "objects"  # writes.WritesThrough
        ordering = ["round", "pk"]
        verbose_name = _("points adjustment")
        verbose_name_plural = _("points adjustments")
        constraints = [
            models.CheckConstraint(
                condition=Q(entry__isnull=False, driver__isnull=True)
                | Q(entry__isnull=True, driver__isnull=False),
                name="races_adjustment_car_or_driver",
                violation_error_message=_("Choose either a car or a driver."),
            ),
            models.CheckConstraint(condition=~Q(points=0), name="races_adjustment_points_not_zero"),
            models.CheckConstraint(condition=~Q(reason=""), name="races_adjustment_has_reason"),
        ]

    def __str__(self):
        return f"{self.points:+}"

    def clean(self):
        if not self.round_id:
            return
        if self.entry_id and self.entry.event_id != self.round.event_id:
            raise ValidationError({"entry": _("This car is not entered in the round's event.")})
        if (
            self.driver_id
            and not Crew.objects.filter(
                driver_id=self.driver_id,
                entry__event_id=self.round.event_id,
                entry__registrations__season_id=self.round.season_id,
            ).exists()
        ):
            raise ValidationError(
                {"driver": _("This driver is in no crew of the round registered for its season.")}
            )


# --- stored standings (races/stored_standings.py writes them) ---------------------------------


class StandingsKind(models.TextChoices):
    DRIVERS = "drivers", _("Drivers")
    TEAMS = "teams", _("Teams")
    MANUFACTURERS = "manufacturers", _("Manufacturers")


class StandingsTable(models.Model):
    """One class's standings of one kind after one round, as computed from the results on
    record. Derived data: `stored_standings.refresh` replaces a season's tables at the end of
    every block of writes that touched the season (races/writes.py, docs/decisions/0008 and
    0009)."""

    Kind = StandingsKind

    season = models.ForeignKey(
        Season, on_delete=models.CASCADE, related_name="standings", verbose_name=_("season")
    )
    # Derived rows never hold a class in place: deleting a class drops its tables.
    car_class = models.ForeignKey(
        CarClass, on_delete=models.CASCADE, related_name="standings", verbose_name=_("class")
    )
    kind = models.CharField(_("standings of"), max_length=16, choices=Kind)
    after_round = models.PositiveSmallIntegerField(_("after round"))
    is_latest = models.BooleanField(_("after the last round run"), default=False)
    rounds_left = models.PositiveSmallIntegerField(_("rounds still to count"), default=0)
    computed_at = models.DateTimeField(_("computed at"))

    class Meta:
        ordering = ["season", "after_round", "pk"]
        verbose_name = _("stored standings")
        verbose_name_plural = _("stored standings")
        constraints = [
            models.UniqueConstraint(
                fields=["season", "car_class", "kind", "after_round"],
                name="races_standingstable_unique_round",
            ),
            models.CheckConstraint(
                condition=Q(after_round__gte=1), name="races_standingstable_after_round_positive"
            ),
            choices_check("kind", StandingsKind, "races_standingstable_kind_valid"),
        ]

    def __str__(self):
        return f"{self.kind} {self.after_round}"


class StandingsRow(models.Model):
    """A contender's line in a stored table: its rounds (`cells`, with the reason for every
    point) and its total after each round so far (`progression`)."""

    table = models.ForeignKey(
        StandingsTable, on_delete=models.CASCADE, related_name="rows", verbose_name=_("table")
    )
    position = models.PositiveSmallIntegerField(_("position"))
    key = models.CharField(_("contender"), max_length=80)
    name = models.CharField(_("name as computed"), max_length=200)
    driver = models.ForeignKey(
        "drivers.Driver",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="standings_rows",
        verbose_name=_("driver"),
    )
    team = models.ForeignKey(
        Team,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="standings_rows",
        verbose_name=_("team"),
    )
    number = models.CharField(_("car number"), max_length=6, blank=True)
    total = models.DecimalField(_("total"), max_digits=8, decimal_places=2)
    # Empty: a round still to run has races not known (races/standings.py round_races).
    max_reachable = models.DecimalField(
        _("most reachable"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    can_still_win = models.BooleanField(_("can still win"), default=False)
    cells = models.JSONField(_("rounds"), default=list)
    progression = models.JSONField(_("total after each round"), default=list)

    class Meta:
        ordering = ["table", "position", "name"]
        verbose_name = _("standings line")
        verbose_name_plural = _("standings lines")
        constraints = [
            models.UniqueConstraint(
                fields=["table", "key"], name="races_standingsrow_unique_contender"
            ),
            models.CheckConstraint(
                condition=Q(position__gte=1), name="races_standingsrow_position_positive"
            ),
        ]

    def __str__(self):
        return f"{self.position}"


class Title(WritesThrough, models.Model):
    """An official champion or final standing, as a source states it: shown beside the
    computed standings, which may differ where results are missing."""

    Kind = StandingsKind

    season = models.ForeignKey(
        Season, on_delete=models.CASCADE, related_name="titles", verbose_name=_("season")
    )
    car_class = models.ForeignKey(
        CarClass, on_delete=models.PROTECT, related_name="titles", verbose_name=_("class")
    )
    kind = models.CharField(_("standings of"), max_length=16, choices=StandingsKind)
    position = models.PositiveSmallIntegerField(
        _("final position"), default=1, help_text=_("1 for the champion.")
    )
    name = models.CharField(_("name as written"), max_length=200, validators=[validate_printable])
    driver = models.ForeignKey(
        "drivers.Driver",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="titles",
        verbose_name=_("driver"),
    )
    team = models.ForeignKey(
        Team,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="titles",
        verbose_name=_("team"),
    )
    points = models.DecimalField(_("points"), max_digits=8, decimal_places=2, null=True, blank=True)
    # A margin in points is a number, worded on the page in the reader's language ("by 3
    # points", "mit 3 Punkten Vorsprung"); only a margin of another kind is stored as text.
    margin_points = models.DecimalField(
        _("margin in points"),
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("The lead over the next place, in points, where the source gives it."),
    )
    margin = models.CharField(
        _("other margin, as written"),
        max_length=120,
        blank=True,
        help_text=_("Only a margin not in points (e.g. on count-back), in English."),
        validators=[validate_printable],
    )
    source = models.TextField(_("source"))
    history = HistoricalRecords()

    objects = WritesQuerySet.as_manager()
    season_paths = ()  # its writes change pages, not standings

    class Meta:
        base_manager_name = "objects"  # writes.WritesThrough
        ordering = ["season", "car_class", "kind", "position", "pk"]
        verbose_name = _("official title or final position")
        verbose_name_plural = _("official titles and final positions")
        constraints = [
            models.UniqueConstraint(
                fields=["season", "car_class", "kind", "position", "name"],
                name="races_title_unique_name",
            ),
            models.CheckConstraint(
                condition=Q(position__gte=1), name="races_title_position_positive"
            ),
            bounded("races_title_position_bounded", POSITION_BOUND, ["position"], MAX_POSITION),
            models.CheckConstraint(condition=~Q(name=""), name="races_title_has_name"),
            models.CheckConstraint(condition=~Q(source=""), name="races_title_has_source"),
            models.CheckConstraint(
                condition=Q(margin_points__isnull=True) | Q(margin_points__gt=0),
                name="races_title_margin_points_positive",
                violation_error_message=_("A margin in points is more than 0."),
            ),
            models.CheckConstraint(
                condition=Q(margin_points__isnull=True) | Q(margin=""),
                name="races_title_one_margin",
                violation_error_message=_("Give the margin in points or as text, not both."),
            ),
            models.CheckConstraint(
                condition=Q(driver__isnull=True) | Q(kind="drivers"),
                name="races_title_driver_only_for_drivers",
                violation_error_message=_("Only a drivers' title links a driver."),
            ),
            models.CheckConstraint(
                condition=Q(team__isnull=True) | Q(kind="teams"),
                name="races_title_team_only_for_teams",
                violation_error_message=_("Only a teams' title links a team."),
            ),
            choices_check("kind", StandingsKind, "races_title_kind_valid"),
        ]

    def __str__(self):
        return self.name


# --- the data version (races/writes.py advances it) --------------------------------------------


class DataVersion(models.Model):
    """One row (pk 1): a number every committed write to racing data advances, and when it
    last did. The page cache keys pages by it (docs/decisions/0009-one-write-path.md)."""

    number = models.BigIntegerField(default=0)
    changed_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(pk=1), name="races_dataversion_single_row"),
        ]

    def __str__(self):
        return f"{self.number}"


# --- what the timing import keeps per season (races/importers) ---------------------------------


class DriverCategory(models.TextChoices):
    """The FIA driver categorisation, by the letter the timing files write."""

    PLATINUM = "P", _("Platinum")
    GOLD = "G", _("Gold")
    SILVER = "S", _("Silver")
    BRONZE = "B", _("Bronze")


class DriverLicence(WritesThrough, models.Model):
    """A driver's FIA categorisation in one season, as the official timing files write it."""

    Category = DriverCategory

    driver = models.ForeignKey(
        "drivers.Driver",
        on_delete=models.CASCADE,
        related_name="licences",
        verbose_name=_("driver"),
    )
    season = models.ForeignKey(
        Season, on_delete=models.CASCADE, related_name="licences", verbose_name=_("season")
    )
    category = models.CharField(_("driver category"), max_length=1, choices=DriverCategory)
    source = models.TextField(_("source"), blank=True)
    history = HistoricalRecords()

    objects = WritesQuerySet.as_manager()
    season_paths = ()  # its writes change pages, not standings

    class Meta:
        ordering = ["season", "driver"]
        base_manager_name = "objects"  # writes.WritesThrough
        verbose_name = _("driver category")
        verbose_name_plural = _("driver categories")
        constraints = [
            models.UniqueConstraint(
                fields=["driver", "season"], name="races_driverlicence_unique_season"
            ),
            choices_check("category", DriverCategory, "races_driverlicence_category_valid"),
        ]

    def __str__(self):
        return self.get_category_display()


class ClassName(WritesThrough, models.Model):
    """A class as the timing files of one season write it, and the season's class it is
    (LMGTE → GTE): mapped once per season, for every file of it."""

    season = models.ForeignKey(
        Season, on_delete=models.CASCADE, related_name="class_names", verbose_name=_("season")
    )
    written = models.CharField(
        _("class as written"), max_length=60, validators=[validate_printable]
    )
    car_class = models.ForeignKey(
        CarClass, on_delete=models.PROTECT, related_name="written_names", verbose_name=_("class")
    )
    history = HistoricalRecords()

    objects = WritesQuerySet.as_manager()
    season_paths = ()  # the import reads it; results name the class itself

    class Meta:
        ordering = ["season", "written"]
        base_manager_name = "objects"  # writes.WritesThrough
        verbose_name = _("class name of the timing files")
        verbose_name_plural = _("class names of the timing files")
        constraints = [
            models.UniqueConstraint(
                fields=["season", "written"], name="races_classname_unique_written"
            ),
        ]

    def __str__(self):
        return self.written


# --- data health (races/health.py) ------------------------------------------------------------


class FindingExplanation(models.Model):
    """Why a finding of a data-health rule (races/health.py) is not an error: a finding whose
    rule and key have an explanation is no longer listed as open. The key is built from slugs
    and natural keys, so the explanation survives a reload of the data. Not racing data: no
    page shows it, and writing it changes no page (hence no writes.WritesThrough)."""

    rule = models.CharField(_("rule"), max_length=40, validators=[validate_printable])
    key = models.CharField(_("finding"), max_length=300, validators=[validate_printable])
    reason = models.TextField(_("reason"), validators=[validate_printable])
    source = models.TextField(
        _("source"), blank=True, help_text=_("Where the reason is shown true: an address.")
    )
    explained_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="finding_explanations",
        verbose_name=_("explained by"),
    )
    explained_at = models.DateTimeField(_("explained at"), default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["rule", "key"]
        verbose_name = _("explained finding")
        verbose_name_plural = _("explained findings")
        constraints = [
            models.UniqueConstraint(
                fields=["rule", "key"], name="races_findingexplanation_unique_rule_key"
            ),
            models.CheckConstraint(
                condition=~Q(reason=""),
                name="races_findingexplanation_has_reason",
                violation_error_message=_("Say why this finding is not an error."),
            ),
        ]

    def __str__(self):
        return f"{self.rule}: {self.key}"
