from django.urls import path

from drivers import views
from lmsite.pagecache import public_page

app_name = "drivers"

# Public pages, cached whole (lmsite/pagecache.py); `params` names the query parameters each
# view reads (the list's search and filter, and django-tables2's `sort` and `page`).
urlpatterns = [
    path(
        "",
        public_page(views.driver_list, params=("q", "nationality", "page", "sort")),
        name="driver_list",
    ),
    path("<slug:slug>/", public_page(views.driver_detail), name="driver_detail"),
]
