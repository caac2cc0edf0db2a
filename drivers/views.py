"""The drivers' pages: the searchable list and the career profile.

A page's data comes from drivers/pages.py, one object per page; a career page asks races'
QuerySets there (races depends on drivers, never the reverse at model level).
"""

from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from drivers import pages
from drivers.models import Driver
from races.tables import configure_list


def driver_list(request):
    page = pages.driver_list_page(request.GET.get("q", ""), request.GET.get("nationality", ""))
    configure_list(request, page.table)
    return render(request, "drivers/driver_list.html", {"page": page})


def driver_detail(request, slug):
    driver = get_object_or_404(Driver, slug=slug)
    page = pages.career_page(driver, timezone.localdate())
    return render(request, "drivers/driver_detail.html", {"page": page})
