"""The crews of an event's cars as one grid, and an event's entry list copied from the previous
round of its season (the event admin's screens in races/grid_admin.py).

Plain functions: the rules take rows and return problems per car; the writes run in one block
of races/writes.py and write only what changes, each row with its own history record.
"""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import F
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history

from races import writes
from races.models import Crew, Entry, Event, Registration, Round

REASON = "Crews grid"
COPY_REASON = "Entry list copied from the previous round"
OUT_OF_THE_WAY = 1000  # below the crew order's bound of 9999 (races_crew_order_bounded)


def crew_problems(wanted, labels):
    """{entry id: [messages]} for cars whose crew names one driver twice. `wanted` maps an
    entry id to its crew as [(driver id, drove)] in order; `labels` a driver id to its name."""
    problems = {}
    for entry_id, crew in wanted.items():
        seen = set()
        for driver_id, _drove in crew:
            if driver_id in seen:
                problems.setdefault(entry_id, []).append(
                    _("%(driver)s is in this crew twice.") % {"driver": labels.get(driver_id, "")}
                )
            seen.add(driver_id)
    return problems


@dataclass(frozen=True)
class CrewChanges:
    created: int
    changed: int
    deleted: int


LOCKED_FIELDS = ("pk", "driver_id", "order", "drove")


def loaded_digest(crews):
    """The digest of an event's crews (all of them), per car, that its grid carries to the
    save."""
    return writes.digest(crews, LOCKED_FIELDS, key=lambda crew: crew.entry_id)


def describe_crew(places):
    """A car's stored crew in a few words, to show an editor what someone else saved."""
    names = [
        place.driver.shown_name + ("" if place.drove is not False else " " + _("(did not drive)"))
        for place in sorted(places, key=lambda place: place.order)
    ]
    return " / ".join(names) or _("no driver")


def save_crews(event, wanted, loaded=None):
    """Give each car of `wanted` (entry id → [(driver id, drove)] in order) that crew: new
    places are created, places of drivers no longer named deleted, moved or changed places
    saved; unchanged places are not written. One transaction, one history record per row.
    With `loaded` (the `loaded_digest` the grid was drawn with), crews changed by someone else
    since then raise `writes.ChangedMeanwhile` naming their cars, and nothing is written."""
    with writes.changes():
        Event.objects.select_for_update().filter(pk=event.pk).first()
        # Locked: a writer that has not committed yet is waited for, then seen.
        crews = list(Crew.objects.filter(entry__event=event).select_for_update(of=("self",)))
        if loaded is not None:
            writes.check_unchanged(crews, LOCKED_FIELDS, lambda crew: crew.entry_id, loaded)
        current = defaultdict(dict)
        for crew in crews:
            if crew.entry_id in wanted:
                current[crew.entry_id][crew.driver_id] = crew
        created, changed, deleted = [], [], []
        for entry_id, places in wanted.items():
            named = set()
            for order, (driver_id, drove) in enumerate(places, start=1):
                named.add(driver_id)
                crew = current[entry_id].get(driver_id)
                if crew is None:
                    created.append(
                        Crew(entry_id=entry_id, driver_id=driver_id, order=order, drove=drove)
                    )
                elif (crew.order, crew.drove) != (order, drove):
                    crew.order, crew.drove = order, drove
                    changed.append(crew)
            deleted += [crew for pk, crew in current[entry_id].items() if pk not in named]
        for crew in deleted:
            crew._change_reason = REASON
            crew.delete()
        if changed:
            # Out of the way first: a place in a crew is unique (races_crew_unique_order).
            Crew.objects.filter(pk__in=[crew.pk for crew in changed]).update(
                order=F("order") + OUT_OF_THE_WAY
            )
        for crew in [*changed, *created]:
            crew._change_reason = REASON
            crew.save()
    return CrewChanges(len(created), len(changed), len(deleted))


# --- the entry list of the previous round -------------------------------------------------------


class CopyRefused(Exception):
    pass


def previous_rounds(event):
    """For each championship the event is a round of, its previous round (by round number), as
    a list of Rounds with season and event loaded; rounds without a previous one are left out."""
    found = []
    for own in Round.objects.filter(event=event).select_related("season").order_by("season"):
        previous = (
            Round.objects.filter(season=own.season, number__lt=own.number)
            .exclude(event=event)
            .select_related("season", "event")
            .order_by("-number")
            .first()
        )
        if previous is not None:
            found.append(previous)
    return found


@dataclass(frozen=True)
class Copied:
    entries: int
    crew: int
    registrations: int
    skipped: list  # car labels not copied: withdrawn, not accepted, a number taken twice


COPIED_STATUSES = {Entry.Status.RESERVE}  # kept as they were; every other copied car is entered
LEFT_OUT = {Entry.Status.WITHDRAWN, Entry.Status.NOT_ACCEPTED}


def copy_entries(event, source):
    """Copy the entries of `source` (the previous round's event) into `event`, which has none:
    number, class, team, entrant, car, crew (in order, `drove` left unknown) and the
    registrations for championships that `event` is a round of. Withdrawn and not accepted
    cars are left out. One transaction; raises CopyRefused if `event` has entries already."""
    with writes.changes():
        if Entry.objects.filter(event=event).exists():
            raise CopyRefused(_("The event has entries already: nothing was copied."))
        seasons = set(Round.objects.filter(event=event).values_list("season_id", flat=True))
        entries = list(Entry.objects.filter(event=source).with_crews().order_by("number", "pk"))
        copies, skipped, numbers = [], [], set()
        for entry in entries:
            label = f"#{entry.number}" if entry.number else entry.entrant or str(entry.pk)
            if entry.status in LEFT_OUT:
                skipped.append(label)
                continue
            status = entry.status if entry.status in COPIED_STATUSES else Entry.Status.ENTERED
            if status == Entry.Status.ENTERED and entry.number:
                if entry.number in numbers:
                    skipped.append(label)
                    continue
                numbers.add(entry.number)
            copy = Entry(
                event=event,
                number=entry.number,
                car_class_id=entry.car_class_id,
                team_id=entry.team_id,
                entrant=entry.entrant,
                chassis=entry.chassis,
                engine=entry.engine,
                tyres=entry.tyres,
                manufacturer=entry.manufacturer,
                status=status,
                source=entry.source,
            )
            copies.append((entry, copy))
        created = bulk_create_with_history(
            [copy for _entry, copy in copies], Entry, default_change_reason=COPY_REASON
        )
        copies = [(entry, copy) for (entry, _copy), copy in zip(copies, created, strict=True)]
        crew = [
            Crew(
                entry=copy,
                driver_id=member.driver_id,
                order=member.order,
                nationality=member.nationality,
            )
            for entry, copy in copies
            for member in entry.crew.all()
        ]
        registrations = [
            Registration(entry=copy, season_id=registration.season_id)
            for entry, copy in copies
            for registration in entry.registrations.all()
            if registration.season_id in seasons
        ]
        bulk_create_with_history(crew, Crew, default_change_reason=COPY_REASON)
        bulk_create_with_history(registrations, Registration, default_change_reason=COPY_REASON)
    return Copied(len(copies), len(crew), len(registrations), skipped)
