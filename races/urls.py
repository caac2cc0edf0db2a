from django.urls import path

from lmsite.pagecache import public_page
from races import search, tables, views

app_name = "races"

# Every page here is public and cached whole (lmsite/pagecache.py); `params` names the query
# parameters its view reads (the lists': `sort` and `page`, each with its cleaner), and the
# cache drops any other before the view runs.

urlpatterns = [
    path("", public_page(views.home), name="home"),
    path(
        "search/", public_page(views.search_page, params={"q": search.clean_query}), name="search"
    ),
    path("series/", public_page(views.series_list), name="series_list"),
    path("series/<slug:series>/", public_page(views.series_detail), name="series_detail"),
    path(
        "series/<slug:series>/<int:year>/",
        public_page(views.season_detail),
        name="season_detail",
    ),
    path(
        "series/<slug:series>/<int:year>/standings/",
        public_page(views.season_standings, params=("after",)),
        name="season_standings",
    ),
    path(
        "series/<slug:series>/<int:year>/<slug:event>/",
        public_page(views.round_detail),
        name="round_detail",
    ),
    path("teams/", public_page(views.team_list, params=tables.TEAM_PARAMS), name="team_list"),
    path("teams/<slug:slug>/", public_page(views.team_detail), name="team_detail"),
    path(
        "circuits/",
        public_page(views.circuit_list, params=tables.CIRCUIT_PARAMS),
        name="circuit_list",
    ),
    path("circuits/<slug:slug>/", public_page(views.circuit_detail), name="circuit_detail"),
]
