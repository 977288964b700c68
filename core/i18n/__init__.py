"""User-facing strings in English and French: one table, one entry per key."""
from __future__ import annotations

from core.i18n.strings import STRINGS

LANGUAGES = {"en": "English", "fr": "Français"}


def add_strings(table: dict[str, dict[str, str]]) -> None:
    """Strings of a plugin: every key new, every language given."""
    for key, texts in table.items():
        if key in STRINGS:
            raise ValueError(f"the string {key!r} exists already")
        missing = [language for language in LANGUAGES if not texts.get(language)]
        if missing:
            raise ValueError(f"the string {key!r} lacks {', '.join(missing)}")
    STRINGS.update(table)


def t(key: str, language: str = "en", **values) -> str:
    """The string `key` in `language`, formatted with `values`. KeyError for an unknown key."""
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}; valid: {', '.join(LANGUAGES)}")
    text = STRINGS[key][language]
    return text.format(**values) if values else text


class TranslatableError(ValueError):
    """Bad input whose message a page shows in the user's language: `key` names the string,
    `values` fill it; str() and args[0] are the English text (the command line's)."""

    def __init__(self, key: str, **values):
        super().__init__(t(key, "en", **values))
        self.key, self.values = key, values
