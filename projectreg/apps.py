from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Operations: security logging, session limits and the login lockout's glue."""

    name = "projectreg"
    label = "ops"
    verbose_name = "Operations"

    def ready(self):
        from . import security, tokens  # noqa: F401 - connects the signal receivers
