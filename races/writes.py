"""The one write path of racing data (docs/decisions/0009-one-write-path.md).

Every write to racing data runs inside `changes()`: the racing models' `save()` and `delete()`
(`WritesThrough`), their QuerySets' `update()`, `delete()`, `bulk_create()` and `bulk_update()`
(`WritesQuerySet`), drivers through `drivers.models.written` (races/apps.py), and the admin,
the timing import, the demo loaders and `rebuild_standings`, which open one block around all
they write. Each write marks what it touched with `touch()`; when the outermost block ends,
still inside its transaction, each touched season's stored standings are refreshed once (in
pk order; `stored_standings.refresh` locks the season row, so refreshes of one season are
serialised), the years shown beside a shared driver's name are refreshed where a write to
drivers, events, entries or crews can change them (races/namesakes.py), and the site-wide data
version advances. The write, the refresh and the new version
commit together, or, on an exception, not at all.

A write that bypasses the ORM (raw SQL, a data migration's historical models) calls
`record_change(seasons)` in its transaction. The page cache reads `current_version()`.
"""

import hashlib
import threading
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.db import DEFAULT_DB_ALIAS, connections, models, transaction
from django.db.models import F, Q
from django.utils import timezone

ALL = "all"  # touch(ALL): every season (a write whose seasons are not known)
PKS_PER_QUERY = 900


@dataclass(frozen=True)
class Version:
    """The site-wide data version: a number that every committed write to racing data advances,
    and when it last did."""

    number: int
    changed_at: datetime


NO_VERSION = Version(0, datetime(2000, 1, 1, tzinfo=UTC))


def current_version(using=DEFAULT_DB_ALIAS):
    """The data version as committed, in one query and no transaction.

    Every request the page cache answers reads it, so it is one plain statement: building the
    equivalent QuerySet cost some 120 µs a call, ten times the query itself and half of a
    cached page's time (bench/README.md)."""
    from races.models import DataVersion

    connection = connections[using]
    meta, quote = DataVersion._meta, connection.ops.quote_name
    number = quote(meta.get_field("number").column)
    changed_at = quote(meta.get_field("changed_at").column)
    pk = quote(meta.pk.column)
    sql = f"SELECT {number}, {changed_at} FROM {quote(meta.db_table)} WHERE {pk} = %s"
    with connection.cursor() as cursor:
        cursor.execute(sql, [1])
        row = cursor.fetchone()
    if row is None:
        return NO_VERSION  # a database emptied by a test flush: the first write creates the row
    number, changed_at = row
    if isinstance(changed_at, str):  # SQLite without its converters
        changed_at = datetime.fromisoformat(changed_at)
    if timezone.is_naive(changed_at):  # SQLite stores UTC without an offset
        changed_at = changed_at.replace(tzinfo=UTC)
    return Version(number, changed_at)


@dataclass
class Block:
    depth: int = 0
    seasons: set = field(default_factory=set)
    all_seasons: bool = False
    changed: bool = False
    namesakes: bool = False  # a write that can change the years shown beside a shared name


_local = threading.local()


def _blocks():
    if not hasattr(_local, "blocks"):
        _local.blocks = {}
    return _local.blocks


def in_changes(using=DEFAULT_DB_ALIAS):
    return using in _blocks()


@contextmanager
def changes(using=DEFAULT_DB_ALIAS):
    """A block of writes to racing data. Re-entrant: only the outermost one opens a transaction
    and, as it ends, refreshes each touched season once and advances the data version."""
    blocks = _blocks()
    block = blocks.get(using)
    if block is not None:
        block.depth += 1
        try:
            yield block
        finally:
            block.depth -= 1
        return
    block = blocks[using] = Block(depth=1)
    try:
        with transaction.atomic(using=using):
            yield block
            if block.changed:
                _finish(block, using)
    finally:
        del blocks[using]


def _finish(block, using):
    from races import namesakes, stored_standings
    from races.models import DataVersion, Season

    # A season without rules and without stored tables would store nothing: skip it.
    seasons = (
        Season.objects.using(using)
        .filter(Q(rules__isnull=False) | Q(standings__isnull=False))
        .distinct()
        .order_by("pk")
    )
    if not block.all_seasons:
        seasons = seasons.filter(pk__in=block.seasons)
    for season in seasons:
        stored_standings.refresh(season, using)
    if block.namesakes:  # asked for by the writes that can change them, never implied
        namesakes.refresh(using)
    now = timezone.now()
    advanced = (
        DataVersion.objects.using(using).filter(pk=1).update(number=F("number") + 1, changed_at=now)
    )
    if not advanced:
        DataVersion.objects.using(using).create(pk=1, number=1, changed_at=now)


def touch(seasons=(), using=DEFAULT_DB_ALIAS, namesakes=False):
    """Mark, in the current `changes()` block, that racing data changed and which seasons'
    standings it can change (Season objects or ids; `ALL` for every season; none for a write,
    such as a renamed driver, that changes pages but no standings); `namesakes`: the write can
    change the years shown beside a shared driver's name (a driver, an event, an entry or a
    crew; `ALL` refreshes them too)."""
    block = _blocks().get(using)
    if block is None:
        raise RuntimeError("writes.touch() outside a writes.changes() block")
    block.changed = True
    block.namesakes = block.namesakes or namesakes
    if seasons == ALL:
        block.all_seasons = True
        return
    block.seasons.update(s if isinstance(s, int) else s.pk for s in seasons if s is not None)


def record_change(seasons=(), using=DEFAULT_DB_ALIAS, namesakes=False):
    """For writes the ORM does not see (raw SQL, a data migration): call in the same
    transaction, after the write, with the seasons it touched (`ALL` if unknown) and whether it
    wrote drivers, events, entries or crews (`namesakes`). It refreshes what they derive and
    advances the version, at once or when the enclosing block ends."""
    with changes(using):
        touch(seasons, using, namesakes)


def refresh_all(using=DEFAULT_DB_ALIAS):
    """Recompute every season's stored standings and advance the version (rebuild_standings)."""
    record_change(ALL, using)


# --- the racing models' side -------------------------------------------------------------------


def seasons_of(model, queryset):
    """Ids of the seasons whose standings the rows of `queryset` count in, as stored now."""
    paths = model.season_paths
    if not paths:
        return set()
    found = set()
    for path in paths:
        found.update(
            queryset.order_by()
            .filter(**{f"{path}__isnull": False})
            .values_list(path, flat=True)
            .distinct()
        )
    return found


class WritesThrough:
    """Mixin of the racing models: `save()` and `delete()` go through `changes()`, touching the
    seasons the row counts in before and after the write. `season_paths` are the lookups from
    the model to the seasons (none: the write changes pages, not standings);
    `changes_namesakes`: its rows date a driver's entries (races/namesakes.py).

    Every model with it sets `Meta.base_manager_name = "objects"`: related managers (`add()`,
    `set()`, `remove()` of a reverse foreign key) update rows through the base manager, which
    must then be a `WritesQuerySet` too (a test checks every model)."""

    season_paths = ()
    changes_namesakes = False

    def save(self, *args, **kwargs):
        using = kwargs.get("using") or self._state.db or DEFAULT_DB_ALIAS
        with changes(using):
            before = self._seasons_stored(using) if not self._state.adding else set()
            super().save(*args, **kwargs)
            touch(before | self._seasons_stored(using), using, self.changes_namesakes)

    save.alters_data = True

    def delete(self, *args, **kwargs):
        using = kwargs.get("using") or self._state.db or DEFAULT_DB_ALIAS
        with changes(using):
            touch(self._seasons_stored(using), using, self.changes_namesakes)
            return super().delete(*args, **kwargs)

    delete.alters_data = True

    def _seasons_stored(self, using):
        if not self.season_paths or self.pk is None:
            return set()
        model = type(self)
        return seasons_of(model, model._base_manager.using(using).filter(pk=self.pk))


class WritesQuerySet(models.QuerySet):
    """Base of the racing models' QuerySets: bulk writes go through `changes()` too."""

    def _seasons(self, queryset=None):
        return seasons_of(self.model, self if queryset is None else queryset)

    def _seasons_of_pks(self, pks):
        """In chunks: a bulk write of many rows would pass SQLite's limit of query parameters."""
        found = set()
        rows = self.model._base_manager.using(self.db)
        for start in range(0, len(pks), PKS_PER_QUERY):
            found |= self._seasons(rows.filter(pk__in=pks[start : start + PKS_PER_QUERY]))
        return found

    def update(self, **kwargs):
        with changes(self.db):
            if not self.model.season_paths:
                touch((), self.db, self.model.changes_namesakes)
                return super().update(**kwargs)
            pks = list(self.values_list("pk", flat=True))
            before = self._seasons_of_pks(pks)
            count = super().update(**kwargs)
            touch(before | self._seasons_of_pks(pks), self.db, self.model.changes_namesakes)
            return count

    update.alters_data = True

    def delete(self):
        with changes(self.db):
            touch(self._seasons(), self.db, self.model.changes_namesakes)
            return super().delete()

    delete.alters_data = True
    delete.queryset_only = True

    def bulk_create(self, objs, *args, **kwargs):
        with changes(self.db):
            created = super().bulk_create(objs, *args, **kwargs)
            names = self.model.changes_namesakes
            if not self.model.season_paths:
                touch((), self.db, names)
            elif all(obj.pk is not None for obj in created):
                touch(self._seasons_of_pks([obj.pk for obj in created]), self.db, names)
            else:  # a backend that does not return the new pks
                touch(ALL, self.db, names)
            return created

    bulk_create.alters_data = True

    def bulk_update(self, objs, fields, *args, **kwargs):
        with changes(self.db):
            objs = list(objs)
            pks = [obj.pk for obj in objs]
            before = self._seasons_of_pks(pks)
            count = super().bulk_update(objs, fields, *args, **kwargs)
            touch(before | self._seasons_of_pks(pks), self.db, self.model.changes_namesakes)
            return count

    bulk_update.alters_data = True


class ChangedMeanwhile(Exception):
    """The rows an editor's form was drawn from were changed by someone else before it was
    saved: nothing is written, so that no one's edits are overwritten unseen. `keys` are the
    groups of rows that changed; empty when the form carried no digest that can be read (a
    form drawn before digests, or tampered with)."""

    def __init__(self, keys=()):
        super().__init__()
        self.keys = set(keys)


DIGEST_FORMAT = "v1"


def _group_digests(rows, fields, key):
    """{group: short digest of its rows' `fields`}, the group being `str(key(row))`."""
    groups = defaultdict(list)
    for row in rows:
        groups[str(key(row))].append(tuple(repr(getattr(row, name)) for name in fields))
    return {
        group: hashlib.sha256(repr(sorted(values)).encode()).hexdigest()[:12]
        for group, values in groups.items()
    }


def digest(rows, fields, key):
    """A short digest of stored rows, per group (`key(row)`, e.g. a car): drawn into a form and
    compared with `check_unchanged` when it is saved, so that a save can name the groups someone
    else changed meanwhile."""
    parts = sorted(_group_digests(rows, fields, key).items())
    return ";".join([DIGEST_FORMAT, *(f"{group}:{value}" for group, value in parts)])


def _read_digest(text):
    head, *parts = (text or "").split(";")
    if head != DIGEST_FORMAT or not all(":" in part for part in parts):
        return None
    return dict(part.split(":", 1) for part in parts)


def check_unchanged(rows, fields, key, expected):
    """Raise ChangedMeanwhile unless `rows`, read (and locked) inside the write block, are as
    the form saw them (`expected`, a `digest`), naming the groups that differ."""
    then = _read_digest(expected)
    if then is None:
        raise ChangedMeanwhile
    now = _group_digests(rows, fields, key)
    changed = {group for group in now.keys() | then.keys() if now.get(group) != then.get(group)}
    if changed:
        raise ChangedMeanwhile(changed)
