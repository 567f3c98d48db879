"""Every user-facing string has a Simplified Chinese translation, compiled into the .mo."""
import gettext
from pathlib import Path

import polib

LOCALE = Path(__file__).resolve().parents[1] / "site" / "locale" / "zh_Hans" / "LC_MESSAGES"


def test_every_message_is_translated_and_none_is_fuzzy():
    po = polib.pofile(str(LOCALE / "django.po"))
    untranslated = [entry.msgid for entry in po.untranslated_entries()]
    fuzzy = [entry.msgid for entry in po.fuzzy_entries()]
    assert untranslated == [] and fuzzy == []


def test_the_compiled_catalog_matches_the_po_file():
    po = polib.pofile(str(LOCALE / "django.po"))
    with open(LOCALE / "django.mo", "rb") as handle:
        catalog = gettext.GNUTranslations(handle)
    stale = [entry.msgid for entry in po.translated_entries()
             if not entry.msgid_plural and catalog.gettext(entry.msgid) != entry.msgstr]
    assert stale == [], "run compilemessages"
