"""The language switch: the same page in the other language, by its address.

English pages have no prefix and German pages live under /de/ (`i18n_patterns` with
`prefix_default_language=False`); no slug is translated, so the other language's address is
the same path with the prefix added or taken away. Plain links rather than Django's
`set_language` POST form: they work without JavaScript or cookies, every language version has
its own cacheable address, and a search engine finds both (docs/decisions/0007-german.md).
"""

from django.conf import settings
from django.urls import get_script_prefix, reverse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, get_language_info

# `lang` attribute for text stored in English (names of events, reasons, bios) on a page that
# is not in English; empty on English pages.
DATA_LANG = mark_safe(' lang="en"')


def path_in(path_info, language):
    """`path_info` (without the script prefix) in `language`: `/de/teams/` ⇄ `/teams/`."""
    for code, _name in settings.LANGUAGES:
        if code == settings.LANGUAGE_CODE:
            continue
        prefix = f"/{code}/"
        if path_info.startswith(prefix) or path_info == prefix[:-1]:
            path_info = path_info[len(prefix) - 1 :] or "/"
            break
    if language == settings.LANGUAGE_CODE:
        return path_info
    return f"/{language}{path_info}"


def languages(request):
    """Context processor: `languages` (code, name in that language, address, is current) for
    the switch and the hreflang links, and `data_lang` for English data text."""
    current = get_language()
    script = get_script_prefix().rstrip("/")
    query = request.META.get("QUERY_STRING", "")
    links = []
    for code, _name in settings.LANGUAGES:
        url = script + path_in(request.path_info, code)
        if query:
            url += "?" + query
        name = get_language_info(code)["name_local"]
        links.append({"code": code, "name": name, "url": url, "current": code == current})
    return {
        "languages": links,
        "data_lang": "" if current == "en" else DATA_LANG,
    }


class AdminLanguageMiddleware:
    """The admin lives outside the language prefixes, where LocaleMiddleware reads every
    address as English: there the editor's own language is taken (the language cookie, else
    the browser's), so that a German editor gets German words and German date formats."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path_info.startswith(reverse("admin:index")):
            return self.get_response(request)
        language = translation.get_language_from_request(request)
        request.LANGUAGE_CODE = language
        # Only for this request: the thread's language is put back after it (a worker's next
        # request, or a test after it, starts from the default again).
        with translation.override(language):
            response = self.get_response(request)  # rendered inside: in the editor's language
        response.headers["Content-Language"] = language  # LocaleMiddleware only sets a default
        patch_vary_headers(response, ("Accept-Language", "Cookie"))
        return response
