"""Every UI string exists in Japanese, and the compiled catalogs are the ones in use.

What the pages show in Japanese is checked in tests/config/test_translated_pages.py.
"""

from pathlib import Path

import polib
from django.conf import settings
from django.utils import translation

LOCALE = Path(settings.BASE_DIR) / "locale"


def test_the_japanese_catalog_translates_every_string():
    catalog = polib.pofile(str(LOCALE / "ja" / "LC_MESSAGES" / "django.po"))
    assert len(catalog) > 100
    assert [entry.msgid for entry in catalog.untranslated_entries()] == []
    assert [entry.msgid for entry in catalog.fuzzy_entries()] == []


def test_the_english_catalog_exists():
    assert (LOCALE / "en" / "LC_MESSAGES" / "django.po").exists()


def test_the_compiled_catalog_is_up_to_date_with_the_sources():
    source = polib.pofile(str(LOCALE / "ja" / "LC_MESSAGES" / "django.po"))
    compiled = polib.mofile(str(LOCALE / "ja" / "LC_MESSAGES" / "django.mo"))
    compiled_ids = {entry.msgid for entry in compiled}
    assert {entry.msgid for entry in source.translated_entries()} <= compiled_ids


def test_japanese_is_the_default_and_english_the_alternative():
    assert settings.LANGUAGE_CODE == "ja"
    assert [code for code, _name in settings.LANGUAGES] == ["ja", "en"]
    with translation.override("ja"):
        assert translation.gettext("Log in") == "ログイン"
    with translation.override("en"):
        assert translation.gettext("Log in") == "Log in"


def test_the_catalogue_does_not_reword_djangos_own_messages():
    """A msgid Django translates itself (form errors such as "Enter a valid date.") keeps
    Django's Japanese: the project's catalogue wins for every form, so rewording one there
    changes Django's message everywhere (a form test then misses its text)."""
    from pathlib import Path

    import django
    import polib

    ours = polib.pofile(
        str(Path(__file__).resolve().parents[2] / "locale/ja/LC_MESSAGES/django.po")
    )
    djangos = {
        e.msgid: e.msgstr
        for e in polib.pofile(
            str(Path(django.__file__).parent / "conf/locale/ja/LC_MESSAGES/django.po")
        )
        if e.msgstr and not e.msgctxt
    }
    # Deliberate: the language switch says 英語, not 英語(米国); Django's Japanese for the NUL
    # refusal reads "enter some characters", which is wrong.
    deliberate = {"English", "Null characters are not allowed."}
    reworded = {
        e.msgid: (e.msgstr, djangos[e.msgid])
        for e in ours
        if not e.msgctxt
        and e.msgid in djangos
        and e.msgid not in deliberate
        and e.msgstr
        and e.msgstr != djangos[e.msgid]
    }
    assert reworded == {}
