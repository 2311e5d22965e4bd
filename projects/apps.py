from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def in_migrated_state(apps, model_name: str) -> bool:
    """Whether the state a post_migrate signal hands over (`apps`) has the model: not when migrating back past it."""
    if apps is None:
        return False
    try:
        apps.get_model("projects", model_name)
    except LookupError:
        return False
    return True


class ProjectsConfig(AppConfig):
    """The key-project registry's domain app."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "projects"
    verbose_name = _("Key-project registry")

    def ready(self):
        from .cache import install_triggers_after_migrate
        from .roles import create_groups_after_migrate
        from .selectors.listing import register_sqlite_functions
        from .sums import install_triggers_after_migrate as install_sums_triggers_after_migrate

        post_migrate.connect(create_groups_after_migrate, sender=self)
        post_migrate.connect(install_triggers_after_migrate, sender=self)
        post_migrate.connect(install_sums_triggers_after_migrate, sender=self)
        connection_created.connect(register_sqlite_functions, dispatch_uid="projects-sqlite-functions")
