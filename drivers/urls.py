from django.urls import path

from drivers import views

app_name = "drivers"

urlpatterns = [
    path("", views.driver_list, name="driver_list"),
    path("<slug:slug>/", views.driver_detail, name="driver_detail"),
]
