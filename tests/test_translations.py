"""Every user-facing string has a Simplified Chinese translation, compiled into the .mo."""
import gettext
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parents[1]
# The platform's catalog, and one per feature app that has its own (app/locale/…).
CATALOGS = sorted(
    path.parent for path in ROOT.glob("**/locale/zh_Hans/LC_MESSAGES/django.po")
    if ".venv" not in path.parts
)


def test_the_catalogs_are_found():
    assert ROOT / "site" / "locale" / "zh_Hans" / "LC_MESSAGES" in CATALOGS


@pytest.mark.parametrize("folder", CATALOGS, ids=lambda p: str(p.relative_to(ROOT)))
def test_every_message_is_translated_and_none_is_fuzzy(folder):
    po = polib.pofile(str(folder / "django.po"))
    untranslated = [entry.msgid for entry in po.untranslated_entries()]
    fuzzy = [entry.msgid for entry in po.fuzzy_entries()]
    assert untranslated == [] and fuzzy == []


@pytest.mark.parametrize("folder", CATALOGS, ids=lambda p: str(p.relative_to(ROOT)))
def test_the_compiled_catalog_matches_the_po_file(folder):
    po = polib.pofile(str(folder / "django.po"))
    with open(folder / "django.mo", "rb") as handle:
        catalog = gettext.GNUTranslations(handle)
    def compiled(entry):
        if entry.msgctxt:
            return catalog.pgettext(entry.msgctxt, entry.msgid)
        return catalog.gettext(entry.msgid)

    stale = [entry.msgid for entry in po.translated_entries()
             if not entry.msgid_plural and compiled(entry) != entry.msgstr]
    assert stale == [], "run compilemessages"
