from django.shortcuts import render

from races.models import Series


def home(request):
    series = Series.objects.prefetch_related("seasons")
    return render(request, "races/home.html", {"series_list": series})
