"""The drivers' pages: the searchable list and the career profile.

A page's data comes from drivers/pages.py, one object per page; a career page asks races'
QuerySets there (races depends on drivers, never the reverse at model level).
"""

from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import patch_response_headers

from drivers import pages
from drivers.models import Driver, DriverRedirect


def driver_list(request):
    values = [request.GET.get(name, "") for name in ("q", "nationality", "sort", "page")]
    page = pages.driver_list_page(*values)
    if page is None:
        raise Http404
    return render(request, "drivers/driver_list.html", {"page": page})


def driver_detail(request, slug):
    driver = Driver.objects.filter(slug=slug).first()
    if driver is None:
        # A slug merged away answers 301 to the kept driver's page (races/merging.py).
        moved = DriverRedirect.objects.select_related("driver").filter(old_slug=slug).first()
        if moved is None:
            raise Http404
        return redirect(moved.driver, permanent=True)
    now = timezone.now()
    page = pages.career_page(driver, now)
    response = render(request, "drivers/driver_detail.html", {"page": page})
    # The age changes on the next birthday: a cache keeps the page until then.
    seconds = page.seconds_valid(now)
    if seconds is not None:
        patch_response_headers(response, cache_timeout=seconds)
    return response
