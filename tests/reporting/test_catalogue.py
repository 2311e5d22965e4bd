"""The reporting pages' Chinese catalogue is complete and well-formed."""

from pathlib import Path

import polib
from django.conf import settings

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "reporting" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def test_every_reporting_message_has_a_chinese_translation():
    po = polib.pofile(str(CATALOGUE))
    assert po.metadata["Language"] == "zh_Hans"
    assert "charset=UTF-8" in po.metadata["Content-Type"]
    assert po.metadata["Plural-Forms"] == "nplurals=1; plural=0;"
    assert not [e.msgid for e in po if "fuzzy" in e.flags]
    assert not po.untranslated_entries()
    assert len(po) > 150
