from django.urls import path

from races import views

app_name = "races"

urlpatterns = [
    path("", views.home, name="home"),
]
