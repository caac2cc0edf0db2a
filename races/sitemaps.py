"""sitemap.xml: every public page, in English and in German, each with its hreflang alternates."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from drivers.models import Driver
from races.models import Circuit, Round, Season, Series, Team


class LanguagesSitemap(Sitemap):
    """Each page once per language, with `xhtml:link` alternates to the others."""

    i18n = True
    alternates = True
    x_default = True


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

    def items(self):
        # A list, not a QuerySet: the paginator then counts it without a second query.
        return list(self.queryset.order_by("pk"))


class SeriesSitemap(ModelSitemap):
    queryset = Series.objects.all()


class SeasonSitemap(ModelSitemap):
    queryset = Season.objects.select_related("series")


class StandingsSitemap(ModelSitemap):
    """The standings page of every season that has stored standings."""

    queryset = Season.objects.filter(standings__isnull=False).distinct().select_related("series")

    def location(self, season):
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
