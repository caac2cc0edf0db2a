"""Admin login throttling with django-axes: who the client is, and how many failures an address
may have.

The client's address is REMOTE_ADDR, unless the site is behind reverse proxies named by
`DJANGO_TRUSTED_PROXIES` (settings.TRUSTED_PROXIES): either their number (`1` for one nginx)
or their addresses and networks (`10.0.0.1, 10.1.0.0/16`). The address is then read from
X-Forwarded-For from the right, where the trusted proxies append, never from the entries a
client may write itself: a stranger cannot pass for an editor's address, nor make every login
look as if it came from the proxy.

Besides axes' own limit per username and address (AXES_FAILURE_LIMIT), an address is locked
after AXES_ADDRESS_FAILURE_LIMIT failures across all usernames within the cool-off time.
"""

import ipaddress

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Sum


def trusted_proxies():
    """(number of proxies, None) or (0, [networks]) from settings.TRUSTED_PROXIES."""
    text = str(settings.TRUSTED_PROXIES or "").strip()
    if not text:
        return 0, None
    if text.isascii() and text.isdigit():
        return int(text), None
    try:
        return 0, [ipaddress.ip_network(part.strip(), strict=False) for part in text.split(",")]
    except ValueError as error:
        raise ImproperlyConfigured(f"DJANGO_TRUSTED_PROXIES: {error}") from None


def address(text):
    try:
        return ipaddress.ip_address(text.strip())
    except ValueError:
        return None


def client_ip(request):
    """The client's address (AXES_CLIENT_IP_CALLABLE): see the module's docstring."""
    remote = request.META.get("REMOTE_ADDR", "")
    count, networks = trusted_proxies()
    if not count and not networks:
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    chain = [*(part for part in forwarded.split(",") if part.strip()), remote]
    if count:
        if address(remote) is None or len(chain) <= 1:
            return remote
        pick = chain[max(0, len(chain) - 1 - count)]
        return str(address(pick) or remote)
    for part in reversed(chain):
        ip = address(part)
        if ip is None:  # what a proxy of ours would not write: the nearest valid one is used
            break
        if not any(ip in network for network in networks):
            return str(ip)
        remote = str(ip)
    return remote


class LoginThrottleHandler(AxesDatabaseHandler):
    """axes' database handler, and a limit per address across usernames: axes locks a login
    when its failures reach AXES_FAILURE_LIMIT, so an address past its own limit counts as
    having reached it, whatever the username."""

    def get_failures(self, request, credentials=None):
        failures = super().get_failures(request, credentials)
        attempts = AccessAttempt.objects.filter(
            ip_address=request.axes_ip_address,
            attempt_time__gte=get_cool_off_threshold(request),
        )
        across = attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0
        if across >= settings.AXES_ADDRESS_FAILURE_LIMIT:
            return max(failures, get_failure_limit(request, credentials))
        return failures
