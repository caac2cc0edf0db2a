from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from lmsite.pagecache import public_page
from lmsite.plain_texts import robots_txt, security_txt
from races.sitemaps import sitemap_index, sitemap_section
from races.views import health

# An unreachable database met outside a view (a session read by middleware) answers the 503
# page, like the views do (lmsite/outage.py); any other error Django's 500 page.
handler500 = "lmsite.outage.server_error"

# The public pages exist in English (no prefix) and in German (/de/…); the admin, the health
# check and the sitemap (which lists both languages) stay outside the language prefix.
urlpatterns = [
    path("robots.txt", robots_txt, name="robots_txt"),
    path(".well-known/security.txt", security_txt, name="security_txt"),
    path("admin/", admin.site.urls),
    path("health/", health, name="health"),
    path("sitemap.xml", public_page(sitemap_index), name="sitemap"),
    path(
        "sitemap-<slug:section>.xml",
        public_page(sitemap_section, params=("p",)),
        name="sitemap_section",
    ),
    *i18n_patterns(
        path("drivers/", include("drivers.urls")),
        path("", include("races.urls")),
        prefix_default_language=False,
    ),
]
