"""Request bodies bounded before anything reads them. DATA_UPLOAD_MAX_MEMORY_SIZE does not count
uploaded files: a multipart POST of 400 MB to /admin/login/ was read, and streamed to disk, by
the CSRF check looking for its token. A body longer than BODY_LIMIT (the classification import's
upload: UPLOAD_LIMIT), or one sent in chunks with no length, is a 413 before any middleware
that reads it (listed before CsrfViewMiddleware)."""

from django.conf import settings
from django.http import HttpResponse
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _

BODY_LIMIT = settings.DATA_UPLOAD_MAX_MEMORY_SIZE  # 1 MB
UPLOAD_LIMIT = 2 * 2**20 + 64 * 1024  # the file's 2 MB and the form around it
UPLOADS = {"admin:races_session_import"}  # views that take a file up to UPLOAD_LIMIT


def content_length(request):
    """The body's declared length; None when the body comes in chunks without one."""
    text = request.META.get("CONTENT_LENGTH") or ""
    if text.isascii() and text.isdigit():
        return int(text)
    chunked = "chunked" in request.META.get("HTTP_TRANSFER_ENCODING", "").lower()
    return None if chunked else 0


def limit_for(request):
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return BODY_LIMIT
    return UPLOAD_LIMIT if match.view_name in UPLOADS else BODY_LIMIT


class BodyLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        length = content_length(request)
        if length is None or (length > BODY_LIMIT and length > limit_for(request)):
            return HttpResponse(
                _("Request body too large.\n"),
                status=413,
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)
