from django.urls import path

from drivers import pages, views
from lmsite.pagecache import public_page

app_name = "drivers"

# Public pages, cached whole (lmsite/pagecache.py); `params` names the query parameters each
# view reads (the list's search, filter, `sort` and `page`, each with its cleaner).
urlpatterns = [
    path(
        "",
        public_page(views.driver_list, params=pages.DRIVER_LIST_PARAMS),
        name="driver_list",
    ),
    path("<slug:slug>/", public_page(views.driver_detail), name="driver_detail"),
]
