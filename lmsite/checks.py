"""Deploy checks (`manage.py check --deploy`) on the settings Django's own checks do not know."""

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

from lmsite.login_throttle import trusted_proxies


@checks.register(checks.Tags.security, deploy=True)
def check_proxies(app_configs, **kwargs):
    """DJANGO_BEHIND_PROXY and DJANGO_TRUSTED_PROXIES agree: behind a proxy with no trusted
    one, every login comes from the proxy's address (a stranger's failures lock every editor
    out); trusted proxies without one, a client writes the address it is taken for."""
    try:
        count, networks = trusted_proxies()
    except ImproperlyConfigured as error:
        return [checks.Error(str(error), id="lmsite.E001")]
    trusting = bool(count or networks)
    if settings.BEHIND_PROXY and not trusting:
        return [
            checks.Error(
                "DJANGO_BEHIND_PROXY is on but DJANGO_TRUSTED_PROXIES names no proxy: every "
                "client would have the proxy's address.",
                hint="Unset DJANGO_TRUSTED_PROXIES (one proxy) or give their number.",
                id="lmsite.E001",
            )
        ]
    if trusting and not settings.BEHIND_PROXY:
        return [
            checks.Error(
                "DJANGO_TRUSTED_PROXIES is set but DJANGO_BEHIND_PROXY is off: a client could "
                "write in X-Forwarded-For the address it is taken for.",
                hint="Set DJANGO_BEHIND_PROXY=1 behind a proxy, or unset DJANGO_TRUSTED_PROXIES.",
                id="lmsite.E001",
            )
        ]
    return []


@checks.register(checks.Tags.security, deploy=True)
def check_security_contact(app_configs, **kwargs):
    """security.txt names a contact someone reads, not the placeholder."""
    if settings.SECURITY_CONTACT == settings.SECURITY_CONTACT_PLACEHOLDER:
        return [
            checks.Warning(
                "/.well-known/security.txt names the placeholder contact "
                f"{settings.SECURITY_CONTACT}.",
                hint="Set DJANGO_SECURITY_CONTACT to a mailto: or https: address you read.",
                id="lmsite.W002",
            )
        ]
    return []
