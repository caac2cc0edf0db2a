from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path

from races.sitemaps import SITEMAPS

urlpatterns = [
    path("admin/", admin.site.urls),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("drivers/", include("drivers.urls")),
    path("", include("races.urls")),
]
