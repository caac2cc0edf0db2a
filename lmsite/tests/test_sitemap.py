"""/sitemap.xml: an index of sections of at most 5,000 URLs, with lastmod, cached, GET/HEAD only."""

import re

import pytest
from django.core.cache import cache

from races import sitemaps, writes
from races.writes import current_version


@pytest.fixture
def site(settings, grid):
    settings.PAGE_CACHE = True
    cache.clear()
    grid(3)
    yield
    cache.clear()


def sections_of(client):
    index = client.get("/sitemap.xml").content.decode()
    return re.findall(r"<loc>http://testserver(/sitemap-[a-z]+\.xml(?:\?p=\d+)?)</loc>", index)


def test_the_index_lists_every_section_with_the_time_the_data_last_changed(client, site):
    with writes.changes():
        writes.touch()
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/xml"
    index = response.content.decode()
    assert index.count("<sitemap>") == len(sitemaps.SITEMAPS)
    for name in sitemaps.SITEMAPS:
        assert f"<loc>http://testserver/sitemap-{name}.xml</loc>" in index
    changed_at = current_version().changed_at
    assert index.count("<lastmod>") == len(sitemaps.SITEMAPS)
    assert f"<lastmod>{changed_at.astimezone().isoformat()}</lastmod>" in index


def test_sections_are_cut_at_5000_urls(client, site, monkeypatch):
    assert sitemaps.URLS_PER_SECTION == 5000
    assert all(section.limit == 5000 for section in sitemaps.SITEMAPS.values())
    from drivers.models import Driver

    # Six drivers in two languages are 12 URLs: with 5 a section, three pages of drivers.
    assert Driver.objects.count() == 6
    monkeypatch.setattr(sitemaps.DriverSitemap, "limit", 5)
    sections = sections_of(client)
    drivers = [s for s in sections if s.startswith("/sitemap-drivers.xml")]
    assert drivers == [
        "/sitemap-drivers.xml",
        "/sitemap-drivers.xml?p=2",
        "/sitemap-drivers.xml?p=3",
    ]
    seen = []
    for section in drivers:
        xml = client.get(section).content.decode()
        urls = re.findall(r"<loc>(.*?)</loc>", xml)
        assert 0 < len(urls) <= 5
        seen += urls
    assert len(seen) == len(set(seen)) == 12
    assert client.get("/sitemap-drivers.xml?p=4").status_code == 404
    assert client.get("/sitemap-drivers.xml?p=x").status_code == 404


def test_each_section_lists_both_languages(client, site):
    xml = "".join(client.get(section).content.decode() for section in sections_of(client))
    for path in ["/", "/drivers/pierre-kaffer/", "/teams/pecom-racing/"]:
        assert f"<loc>http://testserver{path}</loc>" in xml
        assert f"<loc>http://testserver/de{path}</loc>" in xml
    assert 'hreflang="x-default"' in xml


def test_the_sitemap_is_cached_like_the_pages(client, site, django_assert_num_queries):
    for url in ["/sitemap.xml", "/sitemap-rounds.xml"]:
        client.get(url)
        with django_assert_num_queries(1):
            response = client.get(url)
        assert response["X-Page-Cache"] == "hit"
        assert response["Content-Type"] == "application/xml"
        assert response["X-Robots-Tag"] == "noindex, noodp, noarchive"


@pytest.mark.parametrize("url", ["/sitemap.xml", "/sitemap-drivers.xml"])
def test_only_get_and_head(client, site, url):
    assert client.head(url).status_code == 200
    for method in (client.post, client.put, client.delete):
        assert method(url).status_code in (403, 405)
    assert client.options(url).status_code == 405


def test_a_post_is_405(site):
    from django.test import Client

    # No CSRF check in the way: the view itself refuses the method.
    assert Client(enforce_csrf_checks=False).post("/sitemap.xml").status_code == 405


def test_an_unknown_section_is_404(client, site):
    assert client.get("/sitemap-nope.xml").status_code == 404
