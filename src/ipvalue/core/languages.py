"""The six UN languages as the platform uses them, and helpers for fields stored once per language."""

import unicodedata

from babel import Locale
from django.conf import settings
from django.utils.translation import get_language

LANGUAGE_CODES: tuple[str, ...] = tuple(code for code, _name in settings.LANGUAGES)


def field_suffix(language_code: str) -> str:
    """Suffix of a per-language model field: ``zh-hans`` -> ``zh_hans``."""
    return language_code.replace("-", "_")


def active_language() -> str:
    """The active language if it is one of ours, else the default."""
    code = (get_language() or settings.LANGUAGE_CODE).lower()
    return code if code in LANGUAGE_CODES else settings.LANGUAGE_CODE


def in_active_language(texts: dict[str, str], fallback: str) -> str:
    """A text kept per language (``{"en": ..., "ru": ...}``) in the active language, else its base language, else
    English, else ``fallback``."""
    language = (get_language() or "en").lower()
    return texts.get(language) or texts.get(language.split("-")[0]) or texts.get("en") or fallback


class TranslatedNameMixin:
    """For models with ``name_en``, ``name_fr``, ... fields: the name in a language, falling back to English."""

    def name_in(self, language_code: str) -> str:
        value = getattr(self, f"name_{field_suffix(language_code)}", "") if language_code in LANGUAGE_CODES else ""
        return value or self.name_en  # type: ignore[attr-defined]

    @property
    def name(self) -> str:
        return self.name_in(active_language())

    @property
    def names(self) -> dict[str, str]:
        return {code: self.name_in(code) for code in LANGUAGE_CODES}


def collation_key(text: str) -> str:
    """A key that sorts names alphabetically across accents (``Émirats`` beside ``Egypte``), case-insensitively."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(char for char in decomposed if not unicodedata.combining(char)).casefold()


def language_name(code: str) -> str:
    """The name of a language (ISO 639-1 code) in the page's language, from Unicode CLDR: ``kk`` -> "Казахский"."""
    name = Locale.parse(active_language().replace("-", "_")).languages.get(code) or code
    return name[:1].upper() + name[1:]
