"""The sitemap: `/sitemap.xml` is an index of sections (`/sitemap-drivers.xml?p=2`) of at most
5,000 URLs each; every public page is listed in English and in German, each with its hreflang
alternates. Every `lastmod` is the time the racing data last changed (the data version): no
record keeps a time of its own. Both views are cached like the pages (lmsite/urls.py).
"""

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps import views as sitemap_views
from django.urls import reverse
from django.utils import translation
from django.views.decorators.http import require_safe

from drivers.models import Driver
from lmsite.languages import path_in
from races.models import Circuit, Round, Season, Series, Team
from races.writes import current_version

# The sitemap protocol allows 50,000 URLs a file; smaller sections are quicker to draw and to
# fetch. A section counts each page once per language.
URLS_PER_SECTION = 5000


class LanguagesSitemap(Sitemap):
    """Each page once per language, with `xhtml:link` alternates to the others."""

    i18n = True
    alternates = True
    x_default = True
    limit = URLS_PER_SECTION

    def __init__(self, lastmod):
        self.lastmod = lastmod


class PageSitemap(LanguagesSitemap):
    def items(self):
        return [
            "races:home",
            "races:series_list",
            "drivers:driver_list",
            "races:team_list",
            "races:circuit_list",
        ]

    def location(self, item):
        return reverse(item)


class ModelSitemap(LanguagesSitemap):
    queryset = None

    def __init__(self, lastmod):
        super().__init__(lastmod)
        self.paths = {}  # this section's pages in the default language, by pk

    def items(self):
        # A list, not a QuerySet: the paginator then counts it without a second query.
        return list(self.queryset.order_by("pk"))

    def location(self, item):
        """The page in the active language. Each URL lists the page in every language: its
        address is reversed once, and the others derived from it."""
        path = self.paths.get(item.pk)
        if path is None:
            with translation.override(settings.LANGUAGE_CODE):
                path = self.paths[item.pk] = self.default_location(item)
        return path_in(path, translation.get_language())

    def default_location(self, item):
        return item.get_absolute_url()


class SeriesSitemap(ModelSitemap):
    queryset = Series.objects.all()


class SeasonSitemap(ModelSitemap):
    queryset = Season.objects.select_related("series")


class StandingsSitemap(ModelSitemap):
    """The standings page of every season that has stored standings."""

    queryset = Season.objects.filter(standings__isnull=False).distinct().select_related("series")

    def default_location(self, season):
        return reverse("races:season_standings", args=[season.series.slug, season.year])


class RoundSitemap(ModelSitemap):
    queryset = Round.objects.with_pages()


class DriverSitemap(ModelSitemap):
    queryset = Driver.objects.all()


class TeamSitemap(ModelSitemap):
    queryset = Team.objects.all()


class CircuitSitemap(ModelSitemap):
    queryset = Circuit.objects.all()


SITEMAPS = {
    "pages": PageSitemap,
    "series": SeriesSitemap,
    "seasons": SeasonSitemap,
    "standings": StandingsSitemap,
    "rounds": RoundSitemap,
    "drivers": DriverSitemap,
    "teams": TeamSitemap,
    "circuits": CircuitSitemap,
}


def sections():
    """The sections, each with the data version's time as its `lastmod` (one query)."""
    changed_at = current_version().changed_at
    return {name: section(changed_at) for name, section in SITEMAPS.items()}


@require_safe
def sitemap_index(request):
    return sitemap_views.index(request, sections(), sitemap_url_name="sitemap_section")


@require_safe
def sitemap_section(request, section):
    return sitemap_views.sitemap(request, sections(), section=section)
