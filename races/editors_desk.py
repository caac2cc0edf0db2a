"""What the admin index offers an editor first: the next event, and the last one that ran but
has no final race results yet, each with a link to enter its results."""

from dataclasses import dataclass

from django.db.models import Exists, OuterRef
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from races.models import Event, EventStatus, ResultsStatus, Session, SessionKind


@dataclass(frozen=True)
class DeskEvent:
    heading: str
    event: Event
    change_url: str
    results_url: str  # the results grid where the admin has one, else the event's page


def results_url(event):
    """The results grid of `event` if the admin offers one, else the event's change page."""
    try:
        return reverse("admin:races_event_results_grid", args=[event.pk])
    except NoReverseMatch:
        return reverse("admin:races_event_change", args=[event.pk])


def desk_events(today):
    """The next event (ending on `today` or later) and the latest event that ended before
    `today` without a race whose results are final (two queries)."""
    events = Event.objects.exclude(status=EventStatus.CANCELLED).select_related("circuit")
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
            results_url(event),
        )
        for heading, event in found
        if event is not None
    ]
