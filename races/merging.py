"""Merge two drivers or two teams into one, and split some of a driver's crew places off to
another driver (docs/decisions/0022-merge-and-split.md).

Plain functions over the models; the admin's pages (races/people_admin.py) call them. Each
write runs in one block of the one write path (races/writes.py): the moved rows, the history
rows, the redirect, the deleted record, the refreshed standings of every season the moved rows
count in and the new data version commit together, or not at all. A `plan_*` function counts
what would move and says why it cannot, without writing; `merge` / `split_driver` plans again
inside its transaction (the rows are locked) and refuses with the plan's problems. A merge is
written once for both kinds of record: `DRIVERS` and `TEAMS` say which rows move and which plan
applies; what differs between the plans (what is counted, what stops a merge) stays in
`plan_driver_merge` and `plan_team_merge`.

Identity is also decided by the demo loader and the timing import from the alias file
(drivers/matching.py): every plan carries the line of drivers/data/aliases.csv that keeps the
decision when the data is loaded again.
"""

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import DEFAULT_DB_ALIAS
from django.db.models import ProtectedError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.utils import bulk_update_with_history

from drivers import matching
from drivers.models import Driver, DriverRedirect
from races import writes
from races.models import (
    Adjustment,
    Crew,
    DriverLicence,
    Entry,
    Result,
    StandingsRow,
    Team,
    TeamRedirect,
    Title,
)

REASON_LENGTH = 100  # django-simple-history's change reason column
# History reasons and the alias file's lines are stored data, written in English whatever the
# language of the editor's admin (the alias file is English); messages to the editor are not.


class Refused(Exception):
    """A merge or split that cannot be done, with the reasons, for the editor."""

    def __init__(self, problems):
        super().__init__("; ".join(str(p) for p in problems))
        self.problems = list(problems)


@dataclass(frozen=True)
class Plan:
    """What a merge or split moves (label, count) from `other` to `kept`, why it cannot be
    done, and the alias rule."""

    kept: object  # where the rows go
    other: object  # where they come from
    counts: list
    problems: list = field(default_factory=list)
    alias_line: str = ""
    alias_note: str = ""
    rules: list = field(default_factory=list)  # lines of the alias file naming them already


def alias_line(kind, rule, name, years, other, reason, source):
    """One CSV line of drivers/data/aliases.csv (kind,rule,name,years,other,reason,source)."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="").writerow([kind, rule, name, years, other, reason, source])
    return buffer.getvalue()


def rules_naming(kind, names):
    """The lines of the site's alias file whose rule names one of `names`, as written there."""
    keys = {matching.name_key(n, kind) for n in names}
    lines = matching.ALIASES.read_text(encoding="utf-8").splitlines()
    found = []
    for rule in matching.read_rules():
        named = {matching.name_key(rule.name, kind), matching.name_key(rule.other or "", kind)}
        if rule.kind == kind and keys & named:
            found.append(f"{rule.line}: {lines[rule.line - 1]}")
    return found


def short(text):
    return text if len(text) <= REASON_LENGTH else text[: REASON_LENGTH - 1] + "…"


def moved(rows, field_name, value, reason, user):
    """Point `field_name` of every row of the QuerySet `rows` at `value`, with a history row
    each (bulk: one update through the write path, one insert of history)."""
    objs = list(rows)
    for obj in objs:
        setattr(obj, field_name, value)
    if objs:
        bulk_update_with_history(
            objs,
            rows.model,
            [field_name],
            default_user=user,
            default_change_reason=short(reason),
        )
    return len(objs)


def save_with_reason(obj, reason, user):
    obj._change_reason = short(reason)
    if user is not None:
        obj._history_user = user
    obj.save()


def delete_with_reason(obj, reason, user):
    obj._change_reason = short(reason)
    if user is not None:
        obj._history_user = user
    try:
        obj.delete()
    except ProtectedError as error:
        names = sorted({type(o)._meta.verbose_name_plural for o in error.protected_objects})
        raise Refused(
            [_("%(name)s is still used by: %(what)s.") % {"name": obj, "what": ", ".join(names)}]
        ) from error


def standings_seasons(rows):
    return set(rows.values_list("table__season_id", flat=True).distinct())


# --- merging ------------------------------------------------------------------------------------


def plan_driver_merge(kept, other, reason="", source=""):
    """What merging driver `other` into `kept` moves, and what stops it."""
    problems = []
    shared = (
        Crew.objects.filter(driver=kept, entry__crew__driver=other)
        .select_related("entry__event")
        .order_by("entry__event__last_day", "entry__number")
    )
    for crew in shared if kept.pk != other.pk else ():
        problems.append(
            _(
                "%(kept)s and %(other)s are both in the crew of car %(car)s at %(event)s "
                "%(year)s: a crew cannot hold one driver twice. Remove the wrong place first, "
                "or leave them apart."
            )
            % {
                "kept": kept,
                "other": other,
                "car": crew.entry.number or "–",
                "event": crew.entry.event.name,
                "year": event_year(crew.entry.event) or "–",
            }
        )
    categories = dict(DriverLicence.objects.filter(driver=kept).values_list("season", "category"))
    for licence in DriverLicence.objects.filter(driver=other).select_related("season"):
        if categories.get(licence.season_id, licence.category) != licence.category:
            problems.append(
                _("%(kept)s and %(other)s have different driver categories in %(season)s.")
                % {"kept": kept, "other": other, "season": licence.season}
            )
    counts = [
        (_("crew places"), Crew.objects.filter(driver=other).count()),
        (_("results of their cars"), Result.objects.filter(entry__crew__driver=other).count()),
        (_("standings lines"), StandingsRow.objects.filter(driver=other).count()),
        (_("points adjustments"), Adjustment.objects.filter(driver=other).count()),
        (_("official titles"), Title.objects.filter(driver=other).count()),
        (_("driver categories"), DriverLicence.objects.filter(driver=other).count()),
        (_("old addresses"), DriverRedirect.objects.filter(driver=other).count() + 1),
    ]
    same_key = matching.name_key(kept.full_name) == matching.name_key(other.full_name)
    note = (
        _("The names fold alike: the line keeps the loader from splitting them by a gap of years.")
        if same_key
        else ""
    )
    return merge_plan(DRIVERS, kept, other, counts, problems, reason, source, note)


def plan_team_merge(kept, other, reason="", source=""):
    """What merging team `other` into `kept` moves, and what stops it."""
    counts = [
        (_("entries"), Entry.objects.filter(team=other).count()),
        (_("crew places"), Crew.objects.filter(entry__team=other).count()),
        (_("results"), Result.objects.filter(entry__team=other).count()),
        (_("standings lines"), StandingsRow.objects.filter(team=other).count()),
        (_("official titles"), Title.objects.filter(team=other).count()),
        (_("old addresses"), TeamRedirect.objects.filter(team=other).count() + 1),
    ]
    return merge_plan(TEAMS, kept, other, counts, [], reason, source)


def merge_plan(kind, kept, other, counts, problems, reason, source, note=""):
    """The Plan of merging `other` into `kept`: the kind's own `counts` and `problems`, and the
    alias line that keeps the two one."""
    if kept.pk == other.pk:
        problems = [str(kind.same_record), *problems]
    kept_name, other_name = kind.name_of(kept), kind.name_of(other)
    reason = reason or f"One {kind.key}: merged in the admin."
    line = alias_line(kind.key, "same", other_name, "", kept_name, reason, source)
    rules = rules_naming(kind.key, [kept_name, other_name])
    return Plan(kept, other, counts, problems, line, note, rules)


def twin_licences(kept, other):
    """The driver categories of `other` in a season where `kept` has one: the plan refuses a
    different category, so these are the same one, and one is enough."""
    return DriverLicence.objects.filter(driver=other, season__licences__driver=kept)


@dataclass(frozen=True)
class Kind:
    """Drivers or teams, as a merge sees them."""

    model: type
    key: str  # the foreign key naming it in the rows that move; the alias file's kind
    name: str  # the field of its name
    redirect: type  # its old addresses
    moves: tuple  # the models whose rows move to the kept record, besides its old addresses
    plan: Callable  # (kept, other, reason, source) → Plan
    same_record: str  # the problem of a record merged into itself
    gone: str  # the refusal when one of the two was deleted meanwhile
    twins: Callable | None = None  # (kept, other) → rows of `other` deleted, not moved

    def name_of(self, record):
        return getattr(record, self.name)


DRIVERS = Kind(
    model=Driver,
    key="driver",
    name="full_name",
    redirect=DriverRedirect,
    moves=(Crew, Adjustment, Title, DriverLicence),
    plan=plan_driver_merge,
    same_record=gettext_lazy("Choose two different drivers."),
    gone=gettext_lazy("The driver no longer exists."),
    twins=twin_licences,
)
TEAMS = Kind(
    model=Team,
    key="team",
    name="name",
    redirect=TeamRedirect,
    moves=(Entry, Title),
    plan=plan_team_merge,
    same_record=gettext_lazy("Choose two different teams."),
    gone=gettext_lazy("The team no longer exists."),
)


def merge(kind, kept, other, reason="", source="", user=None, using=DEFAULT_DB_ALIAS):
    """Move every row of `kind.moves` that names `other` (a driver's crew places, points
    adjustments, official titles, driver categories and old addresses; a team's entries,
    official titles and old addresses) to `kept`, delete `other` and let its slug answer 301
    to `kept`; the standings of every season they count in are stored again. Returns the
    plan; raises Refused (nothing written) when the plan has problems."""
    with writes.changes(using):
        locked = kind.model.objects.select_for_update().filter(pk__in=[kept.pk, other.pk])
        rows = {record.pk: record for record in locked}
        if len(rows) != len({kept.pk, other.pk}):
            raise Refused([str(kind.gone)])
        kept, other = rows[kept.pk], rows[other.pk]
        plan = kind.plan(kept, other, reason, source)
        if plan.problems:
            raise Refused(plan.problems)
        other_name = kind.name_of(other)
        why = f"Merged {other_name} ({other.slug}) into {kind.name_of(kept)} ({kept.slug})"
        of_other = {kind.key: other}
        writes.touch(standings_seasons(StandingsRow.objects.filter(**of_other)), using)
        for twin in kind.twins(kept, other) if kind.twins else ():
            delete_with_reason(twin, why, user)
        for model in kind.moves:
            moved(model.objects.filter(**of_other), kind.key, kept, why, user)
        moved(kind.redirect.objects.filter(**of_other), kind.key, kept, why, user)
        kind.redirect.objects.filter(old_slug=kept.slug).delete()
        # the old slug may already lead somewhere: a record merged once, made again by an
        # import under the same name, and merged again; it now leads to the kept record
        kind.redirect.objects.update_or_create(
            old_slug=other.slug,
            defaults={kind.key: kept, "old_name": other_name, "reason": reason[:300]},
        )
        save_with_reason(kept, f"Merged with {other} ({other.slug})", user)
        delete_with_reason(other, f"Merged into {kept} ({kept.slug})", user)
    return plan


# --- splitting -----------------------------------------------------------------------------------


def plan_driver_split(driver, crews, target, reason="", source=""):
    """What moving the crew places `crews` (a list of Crew of `driver`) to `target` (a Driver,
    saved or not yet) moves, and what stops it."""
    problems = []
    total = Crew.objects.filter(driver=driver).count()
    if not crews:
        problems.append(_("Choose at least one crew place to move."))
    elif len(crews) == total:
        problems.append(
            _("Every crew place would move: merge the two drivers instead, or rename this one.")
        )
    if target.pk is not None and target.pk == driver.pk:
        problems.append(_("Choose another driver to move the places to."))
    elif target.pk is not None:
        entries = [crew.entry_id for crew in crews]
        for crew in Crew.objects.filter(driver=target, entry__in=entries).select_related(
            "entry__event"
        ):
            problems.append(
                _(
                    "%(target)s is already in the crew of car %(car)s at %(event)s %(year)s: "
                    "a crew cannot hold one driver twice."
                )
                % {
                    "target": target,
                    "car": crew.entry.number or "–",
                    "event": crew.entry.event.name,
                    "year": event_year(crew.entry.event) or "–",
                }
            )
    entries = [crew.entry_id for crew in crews]
    counts = [
        (_("crew places"), len(crews)),
        (_("results of their cars"), Result.objects.filter(entry__in=entries).count()),
        (_("points adjustments"), split_adjustments(driver, crews).count()),
        (_("driver categories"), split_licences(driver, crews).count()),
        (_("official titles"), split_titles(driver, crews).count()),
    ]
    line, note = split_alias(driver, crews, target, reason, source)
    rules = rules_naming("driver", [driver.full_name, target.full_name])
    return Plan(target, driver, counts, problems, line, note, rules)  # from `driver` to `target`


def event_year(event):
    """The year of `event`, or None for a cancelled event no source dates."""
    return event.last_day.year if event.last_day else None


def years_of(crews):
    """The years of the dated events of `crews` (a cancelled event may have no date)."""
    return {year for crew in crews if (year := event_year(crew.entry.event)) is not None}


def split_alias(driver, crews, target, reason, source):
    """The alias rule that keeps the moved places apart when the data is loaded again: the
    name in the moved years is the target (`same` with years), or, for the same name, another
    person in those years (`apart` with years). Years shared with places that stay cannot be
    told apart by a rule of years: then no line, and a note says so."""
    if not crews:
        return "", ""
    moved_years = years_of(crews)
    if not moved_years:
        return "", _(
            "The places moved are in events with no date: a rule of years cannot name them; "
            "the timing import's `car` rule can, one car at a time."
        )
    ids = [crew.pk for crew in crews]
    staying = Crew.objects.filter(driver=driver).exclude(pk__in=ids).select_related("entry__event")
    first, last = min(moved_years), max(moved_years)
    if any(first <= year <= last for year in years_of(staying)):
        return "", _(
            "The places moved and those kept share years: a rule of years cannot tell them "
            "apart; the timing import's `car` rule can, one car at a time."
        )
    span = str(first) if first == last else f"{first}-{last}"
    reason = reason or "Two people: split in the admin."
    if matching.name_key(driver.full_name) == matching.name_key(target.full_name):
        return alias_line("driver", "apart", driver.full_name, span, "", reason, source), ""
    line = alias_line("driver", "same", driver.full_name, span, target.full_name, reason, source)
    return line, ""


def wholly_moved_seasons(driver, crews):
    """The seasons in which every crew place of `driver` is among `crews`."""
    ids = {crew.pk for crew in crews}
    seasons = {}
    for crew_id, season_id in Crew.objects.filter(driver=driver).values_list(
        "pk", "entry__event__rounds__season"
    ):
        if season_id is not None:
            seasons.setdefault(season_id, set()).add(crew_id)
    return [season for season, places in seasons.items() if places <= ids]


def split_adjustments(driver, crews):
    events = {crew.entry.event_id for crew in crews}
    return Adjustment.objects.filter(driver=driver, round__event__in=events)


def split_licences(driver, crews):
    return DriverLicence.objects.filter(
        driver=driver, season__in=wholly_moved_seasons(driver, crews)
    )


def split_titles(driver, crews):
    return Title.objects.filter(driver=driver, season__in=wholly_moved_seasons(driver, crews))


def split_driver(driver, crew_ids, target, reason="", source="", user=None, using=DEFAULT_DB_ALIAS):
    """Move the crew places `crew_ids` of `driver` to `target` (an existing driver, or a new
    one not saved yet), with the points adjustments of their events and the categories and
    titles of the seasons where every place moves. Returns the plan; raises Refused (nothing
    written) when the plan has problems."""
    with writes.changes(using):
        driver = Driver.objects.select_for_update().filter(pk=driver.pk).first()
        if driver is None:
            raise Refused([_("The driver no longer exists.")])
        crews = list(
            Crew.objects.filter(driver=driver, pk__in=crew_ids).select_related("entry__event")
        )
        if len(crews) != len(set(crew_ids)):
            raise Refused([_("A chosen crew place is no longer this driver's.")])
        plan = plan_driver_split(driver, crews, target, reason, source)
        if plan.problems:
            raise Refused(plan.problems)
        is_new = target.pk is None
        why = "%(n)s places split from %(driver)s (%(slug)s) to %(target)s (%(target_slug)s)"
        why %= {
            "n": len(crews),
            "driver": driver.full_name,
            "slug": driver.slug,
            "target": target.full_name,
            "target_slug": target.slug,
        }
        if DriverRedirect.objects.filter(old_slug=target.slug).exists():
            DriverRedirect.objects.filter(old_slug=target.slug).delete()  # the slug lives again
        created = f"Created by a split from {driver.full_name} ({driver.slug})"
        save_with_reason(target, created if is_new else why, user)
        moved(split_adjustments(driver, crews), "driver", target, why, user)
        moved(split_licences(driver, crews), "driver", target, why, user)
        moved(split_titles(driver, crews), "driver", target, why, user)
        moved(Crew.objects.filter(pk__in=[c.pk for c in crews]), "driver", target, why, user)
        save_with_reason(
            driver,
            f"{len(crews)} place{'' if len(crews) == 1 else 's'} moved to "
            f"{target.full_name} ({target.slug})",
            user,
        )
    return plan
