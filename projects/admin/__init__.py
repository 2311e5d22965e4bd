"""The bureau's housekeeping in the Django admin: one module per topic, registered on import."""

from . import figures, nodeplans, registry, reporting, tokens  # noqa: F401 - each module registers its ModelAdmins
