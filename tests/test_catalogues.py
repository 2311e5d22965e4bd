"""The per-area Chinese catalogues never disagree: one English text has one Chinese text."""

from collections import defaultdict
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parent.parent


def test_no_message_is_translated_two_ways():
    seen = defaultdict(dict)
    for path in sorted(ROOT.glob("locale/*/zh_Hans/LC_MESSAGES/django.po")):
        for entry in polib.pofile(str(path)):
            if not entry.obsolete and entry.msgstr:
                seen[(entry.msgctxt, entry.msgid)][path.parts[-4]] = entry.msgstr
    clashes = {key: areas for key, areas in seen.items() if len(set(areas.values())) > 1}
    assert clashes == {}


def test_every_catalogue_has_a_clean_header():
    for path in sorted(ROOT.glob("locale/*/zh_Hans/LC_MESSAGES/django.po")):
        po = polib.pofile(str(path))
        assert "charset=UTF-8" in po.metadata.get("Content-Type", ""), path
        assert not po.metadata_is_fuzzy, path
        assert not [e.msgid for e in po if "fuzzy" in e.flags], path
