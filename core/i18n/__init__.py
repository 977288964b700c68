"""User-facing strings in English and French: one table, one entry per key."""
from __future__ import annotations

import numbers
import re
import string

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


class Localized:
    """A value of a message that is itself said differently in each language (a field's
    label, a range, a number): `render(language)` gives its text."""

    def __init__(self, render):
        self.render = render

    def __str__(self) -> str:  # Stored (a worker's status.json) or printed: its English text.
        return self.render("en")


def t(key: str, language: str = "en", **values) -> str:
    """The string `key` in `language`, formatted with `values` (a Localized value rendered in
    `language`). KeyError for an unknown key."""
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r}; valid: {', '.join(LANGUAGES)}")
    text = STRINGS[key][language]
    values = {name: value.render(language) if isinstance(value, Localized) else value for name, value in values.items()}
    return _LocalFormatter(language).format(text, **values) if values else text


class _LocalFormatter(string.Formatter):
    """str.format, but a number is written as `language` writes it ({loss:.3f} gives 0,018
    in French, {share:.1%} 9,4 %): every sentence's numbers follow the language."""

    def __init__(self, language: str):
        self.language = language

    def format_field(self, value, format_spec: str) -> str:
        return number_text(value, self.language, format_spec) if _is_number(value) else super().format_field(value, format_spec)


def _is_number(value) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


# Languages that write 0,5 for 0.5 and group thousands with a narrow no-break space.
DECIMAL_COMMA = {"fr"}


def number_text(value, language: str = "en", spec: str = "") -> str:
    """`value` formatted with the format spec `spec` (".3f", ",", ".0%"), as `language` writes
    numbers: in French 0,001 and 1 293. Anything but a number is returned as str()."""
    if not _is_number(value):
        return str(value)
    text = format(value, spec)
    if language not in DECIMAL_COMMA:
        return text
    return text.replace(",", "\u202f").replace(".", ",").replace("%", "\u00a0%")


def name_key(name: str) -> str:
    """The i18n key of a name shown as it is stored (a generated class, a defect type):
    "horizontal stripes" -> "name_horizontal_stripes"."""
    return "name_" + "".join(character if character.isalnum() else "_" for character in name.strip().lower())


def name_text(name: str, language: str = "en") -> str:
    """A stored name in `language` when the table has it (name_key), "scratch (test)" part by
    part, else as it is."""
    texts = STRINGS.get(name_key(str(name)))
    if texts:
        return texts[language]
    # A name made of a stored name and its split, "scratch (test)" (an anomaly set's pool).
    composite = re.fullmatch(r"(.+) \((\w+)\)", str(name))
    if composite and f"stored_split_{composite[2]}" in STRINGS:
        return f"{name_text(composite[1], language)} ({STRINGS[f'stored_split_{composite[2]}'][language]})"
    return str(name)


class TranslatableError(ValueError):
    """Bad input whose message a page shows in the user's language: `key` names the string,
    `values` fill it; str() and args[0] are the English text (the command line's)."""

    def __init__(self, key: str, **values):
        super().__init__(t(key, "en", **values))
        self.key, self.values = key, values
