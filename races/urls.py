from django.urls import path

from races import views

app_name = "races"

urlpatterns = [
    path("", views.home, name="home"),
    path("search/", views.search_page, name="search"),
    path("series/", views.series_list, name="series_list"),
    path("series/<slug:series>/", views.series_detail, name="series_detail"),
    path("series/<slug:series>/<int:year>/", views.season_detail, name="season_detail"),
    path(
        "series/<slug:series>/<int:year>/standings/",
        views.season_standings,
        name="season_standings",
    ),
    path("series/<slug:series>/<int:year>/<slug:event>/", views.round_detail, name="round_detail"),
    path("teams/", views.team_list, name="team_list"),
    path("teams/<slug:slug>/", views.team_detail, name="team_detail"),
    path("circuits/", views.circuit_list, name="circuit_list"),
    path("circuits/<slug:slug>/", views.circuit_detail, name="circuit_detail"),
]
