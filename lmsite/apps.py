from django.apps import AppConfig


class LmsiteConfig(AppConfig):
    """The project shell as an application, for its deploy checks (lmsite/checks.py)."""

    name = "lmsite"
    verbose_name = "lmsite"

    def ready(self):
        from lmsite import checks  # noqa: F401  (registers them)
