"""Sortable, paginated lists (teams, circuits, drivers): one typed table per page.

A list page's function (races/pages.py, drivers/pages.py) builds its `ListTable` whole, sorted
and paged, from the `sort` and `page` values the view read; the template draws it
(templates/includes/list_table.html, and each list's rows). django-tables2 drew these lists
before: building its table, columns and cells cost most of an uncached list's time
(docs/decisions/0017-lists-without-django-tables2.md).

The long result tables of a round are a plain template: templates/races/round_detail.html.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.paginator import Page, Paginator
from django.utils.translation import gettext_lazy as _

PER_PAGE = 50


@dataclass(frozen=True)
class Column:
    name: str  # the value of `?sort=` that sorts by it ("-name" the other way)
    header: str
    order_by: tuple[str, ...]  # the QuerySet's ordering, ascending
    css: str = ""  # the class of its cells


@dataclass(frozen=True)
class Header:
    column: Column
    state: str  # "asc", "desc" or "" (not sorted by it)

    @property
    def css(self):
        return f"{self.state} orderable" if self.state else "orderable"

    @property
    def sort(self):
        """The `?sort=` value of its link: ascending first, then the other way."""
        return f"-{self.column.name}" if self.state == "asc" else self.column.name


@dataclass(frozen=True)
class ListTable:
    headers: list[Header]
    rows: list  # the records of this page, sorted
    page: Page
    caption: str
    empty_text: str

    @property
    def width(self):
        return len(self.headers)


def clean_sort(columns):
    """The cleaner of a list's `?sort=`: a column's name, or descending `-name`; anything else
    is dropped (the default order), so it makes no page of its own in the cache."""
    names = {c.name for c in columns} | {f"-{c.name}" for c in columns}

    def clean(value):
        value = value.strip()
        return value if value in names else ""

    return clean


def clean_page(value):
    """`?page=` as the list reads it: a page number without leading zeros, "" for the first
    page; any other value is kept and answered 404 (errors are never cached)."""
    value = value.strip()
    if value.isascii() and value.isdigit() and int(value) > 0:
        return "" if int(value) == 1 else str(int(value))
    return value


def page_number(value):
    """The page that `clean_page(value)` names, or None when it names none."""
    value = clean_page(value)
    if not value:
        return 1
    return int(value) if value.isascii() and value.isdigit() and int(value) > 0 else None


def list_table(queryset, columns, default, sort, page, caption="", empty_text=""):
    """`queryset` sorted by `sort` (a column's name, "-name", or "" for `default`) and cut to
    page `page` (the raw `?page=` value), as a table; None when that page does not exist."""
    sort = clean_sort(columns)(sort) or default
    name = sort.removeprefix("-")
    descending = sort.startswith("-")
    by_name = {c.name: c for c in columns}
    ordering = [f"-{field}" if descending else field for field in by_name[name].order_by]
    number = page_number(page)
    paginator = Paginator(queryset.order_by(*ordering), PER_PAGE)
    if number is None or number > paginator.num_pages:
        return None
    found = paginator.page(number)
    headers = [
        Header(c, ("desc" if descending else "asc") if c.name == name else "") for c in columns
    ]
    return ListTable(headers, list(found.object_list), found, caption, empty_text)


TEAM_COLUMNS = (
    Column("name", _("Team"), ("search_key", "slug")),
    Column("country", _("Country"), ("country",)),
    Column("entry_count", _("Entries"), ("entry_count",), css="num"),
)
CIRCUIT_COLUMNS = (
    Column("name", _("Circuit"), ("name",)),
    Column("place", _("Place"), ("place",)),
    Column("country", _("Country"), ("country",)),
    Column("event_count", _("Events"), ("event_count",), css="num"),
)
# The query parameters a list reads, each with its cleaner (lmsite/pagecache.py keys on them).
TEAM_PARAMS = {"page": clean_page, "sort": clean_sort(TEAM_COLUMNS)}
CIRCUIT_PARAMS = {"page": clean_page, "sort": clean_sort(CIRCUIT_COLUMNS)}
