"""Admin login throttling with django-axes: who the client is, and how many failures an address
may have.

The client's address is REMOTE_ADDR, unless the site is behind reverse proxies named by
`DJANGO_TRUSTED_PROXIES` (settings.TRUSTED_PROXIES; `DJANGO_BEHIND_PROXY=1` alone means one):
either their number (`1` for one nginx) or their addresses and networks (`10.0.0.1,
10.1.0.0/16`). The address is then read from X-Forwarded-For from the right, where the trusted
proxies append, never from the entries a client may write itself: a stranger cannot pass for an
editor's address, nor make every login look as if it came from the proxy. An entry may carry a
port (`198.51.100.7:5555`, `[2001:db8::5]:5555`), which is dropped.

An IPv6 client is its /64 network (its first address, `2001:db8::`): one host usually has a
whole /64, and would otherwise have as many addresses to fail from as it likes. An IPv4 address
written as IPv6 (`::ffff:203.0.113.66`) is the IPv4 address.

Besides axes' own limit per username and address (AXES_FAILURE_LIMIT), an address is locked
after AXES_ADDRESS_FAILURE_LIMIT failures across all usernames within the cool-off time.
"""

import ipaddress
import re

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


IPV6_PREFIX = 64  # the network one IPv6 host usually has to itself
_PORT = re.compile(r"^\[(?P<bracketed>[^\]]*)\](?::\d*)?$|^(?P<ipv4>[\d.]+):\d*$")


def address(text):
    """The address an X-Forwarded-For entry or REMOTE_ADDR names, its port dropped; None when
    it names none."""
    text = text.strip().strip('"')
    if match := _PORT.match(text):
        text = match["bracketed"] if match["bracketed"] is not None else match["ipv4"]
    try:
        ip = ipaddress.ip_address(text)
    except ValueError:
        return None
    return ip.ipv4_mapped if ip.version == 6 and ip.ipv4_mapped else ip


def client_key(ip):
    """The client as the lockout counts it: an IPv4 address, or an IPv6 address's /64."""
    if ip.version == 4:
        return str(ip)
    return str(ipaddress.ip_network(f"{ip}/{IPV6_PREFIX}", strict=False).network_address)


def client_ip(request):
    """The client's address (AXES_CLIENT_IP_CALLABLE): see the module's docstring."""
    remote = request.META.get("REMOTE_ADDR", "")
    client = address(remote)
    count, networks = trusted_proxies()
    if client is not None and (count or networks):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        chain = [*(part for part in forwarded.split(",") if part.strip())]
        if count:
            if chain:  # the entry the farthest trusted proxy appended, or the leftmost
                client = address(chain[max(0, len(chain) - count)]) or client
        else:
            for part in reversed(chain):
                if not any(client in network for network in networks):
                    break
                ip = address(part)
                if ip is None:  # what a proxy of ours would not write: the nearest valid one
                    break
                client = ip
    return remote if client is None else client_key(client)


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
