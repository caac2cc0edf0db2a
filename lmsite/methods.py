"""The public pages answer GET and HEAD only: any other method is a 405 naming them, before
any view runs (TRACE and OPTIONS returned the whole page). The admin, which takes forms,
keeps its own handling."""

from django.http import HttpResponseNotAllowed

ALLOWED = ("GET", "HEAD")
EXEMPT = ("/admin/",)


class SafeMethodsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in ALLOWED and not request.path_info.startswith(EXEMPT):
            return HttpResponseNotAllowed(ALLOWED)
        return self.get_response(request)
