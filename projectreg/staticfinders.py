"""Serve chosen files of npm packages (installed from package-lock.json) as static files.

Only the files named in settings.NPM_STATIC_FILES are found and collected, not a package's whole
dist folder (ECharts' is 51 MB; collectstatic would copy it three times with compressed copies).
"""

from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles.finders import BaseFinder
from django.core.files.storage import FileSystemStorage


class NpmFileFinder(BaseFinder):
    """Finds `static path -> file under node_modules` pairs that exist on disk."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        root = Path(settings.BASE_DIR) / "node_modules"
        self.files = {url: root / rel for url, rel in settings.NPM_STATIC_FILES.items() if (root / rel).is_file()}

    def check(self, **kwargs):
        return []

    def find(self, path, find_all=False, **kwargs):
        match = self.files.get(path)
        if match is None:
            return [] if find_all or kwargs.get("all") else None
        return [str(match)] if find_all or kwargs.get("all") else str(match)

    def list(self, ignore_patterns):
        for url, source in self.files.items():
            storage = FileSystemStorage(location=str(source.parent))
            storage.prefix = str(Path(url).parent)
            yield source.name, storage
