"""robots.txt and /.well-known/security.txt (RFC 9116), from templates."""

import datetime as dt

from django.conf import settings
from django.shortcuts import render

SECURITY_TXT_DAYS = 180  # how far ahead security.txt says it expires (at most a year)


def robots_txt(request):
    return render(request, "robots.txt", content_type="text/plain; charset=utf-8")


def security_txt(request):
    expires = dt.datetime.now(dt.UTC).replace(microsecond=0) + dt.timedelta(days=SECURITY_TXT_DAYS)
    context = {"contact": settings.SECURITY_CONTACT, "expires": expires.isoformat()}
    return render(request, "security.txt", context, content_type="text/plain; charset=utf-8")
