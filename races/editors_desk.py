"""What the admin index offers an editor first: the next event, and the last one that ran but
has no final race results yet, each with a link to enter its results."""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Subquery
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from races.models import Event, EventStatus, ResultsStatus, Session, SessionKind


@dataclass(frozen=True)
class DeskEvent:
    heading: str
    event: Event
    change_url: str
    results_url: str  # the results grid where the admin has one, else the event's page


def results_url(event, race_session):
    """The results grid of the event's race (its last race session) if it has one, else the
    event's change page, where its sessions are added."""
    if race_session is None:
        return reverse("admin:races_event_change", args=[event.pk])
    return reverse("admin:races_event_results", args=[event.pk, race_session])


def desk_events(today):
    """The next event (ending on `today` or later) and the latest event that ended before
    `today` without a race whose results are final (two queries)."""
    last_race = Session.objects.filter(event=OuterRef("pk"), kind=SessionKind.RACE).order_by(
        "-order"
    )
    events = (
        Event.objects.exclude(status=EventStatus.CANCELLED)
        .select_related("circuit")
        .annotate(race_session=Subquery(last_race.values("pk")[:1]))
    )
    final_race = Session.objects.filter(
        event=OuterRef("pk"), kind=SessionKind.RACE, results_status=ResultsStatus.FINAL
    )
    found = [
        (
            _("Next event"),
            events.filter(last_day__gte=today).order_by("last_day", "name").first(),
        ),
        (
            _("Last event without final results"),
            events.filter(last_day__lt=today)
            .exclude(Exists(final_race))
            .order_by("-last_day", "name")
            .first(),
        ),
    ]
    return [
        DeskEvent(
            heading,
            event,
            reverse("admin:races_event_change", args=[event.pk]),
            results_url(event, event.race_session),
        )
        for heading, event in found
        if event is not None
    ]
