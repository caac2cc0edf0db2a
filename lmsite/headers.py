"""Headers Django's own middleware does not set: Permissions-Policy (every browser feature the
site does not use denied) and Cross-Origin-Resource-Policy. Listed in MIDDLEWARE before
SecurityMiddleware and CommonMiddleware, as X-Frame-Options and CSP are, so that a bad host's
400 has them too (SecurityMiddleware's HTTPS redirect reads the host first)."""

from django.conf import settings


class HeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        response.headers.setdefault(
            "Cross-Origin-Resource-Policy", settings.CROSS_ORIGIN_RESOURCE_POLICY
        )
        return response
