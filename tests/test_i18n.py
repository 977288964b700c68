"""Every string in both languages, and every key the pages and core use exists."""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from core import i18n
from core.i18n.strings import STRINGS

REPOSITORY = Path(__file__).resolve().parent.parent


def test_every_key_has_english_and_french():
    for key, texts in STRINGS.items():
        assert set(texts) == set(i18n.LANGUAGES), key
        assert all(text.strip() for text in texts.values()), key


def test_placeholders_match_between_languages():
    for key, texts in STRINGS.items():
        fields = {language: set(re.findall(r"\{(\w+)", text)) for language, text in texts.items()}
        assert fields["en"] == fields["fr"], key


def test_keys_used_in_code_exist():
    sources = list((REPOSITORY / "pages").glob("*.py")) + list((REPOSITORY / "app").rglob("*.py")) + list((REPOSITORY / "core").rglob("*.py"))
    used = set()
    for source in sources:
        text = source.read_text()
        used |= set(re.findall(r'tr\("([a-z_]+)"', text))
        used |= set(re.findall(r'ImageError\("([a-z_]+)"', text))
        used |= set(re.findall(r'(?:FolderError|ComparisonError)\("([a-z_]+)"', text))
        used |= set(re.findall(r'notes\.append\("([a-z_]+)"', text))
        used |= set(re.findall(r'help="([a-z_]+)"', text))
    assert used, "the patterns found no key: they no longer match the code"
    assert sorted(used - set(STRINGS)) == []


def test_a_key_defined_in_two_tables_is_refused():
    from core.i18n.strings import merge

    assert merge({"a": {"en": "A"}}, {"b": {"en": "B"}}) == {"a": {"en": "A"}, "b": {"en": "B"}}
    with pytest.raises(ValueError, match="defined twice: a"):
        merge({"a": {"en": "A"}}, {"a": {"en": "other"}})


def test_unknown_key_and_language_are_refused():
    with pytest.raises(KeyError):
        i18n.t("no_such_key")
    with pytest.raises(ValueError, match="valid: en, fr"):
        i18n.t("page_home", "de")
    assert i18n.t("run_not_found", "fr", run_id="x").startswith("Exécution introuvable")
