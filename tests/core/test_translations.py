"""The catalogs are complete, real translations: no empty or fuzzy entry, placeholders kept, plural forms right."""

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.conf import settings
from django.utils import translation
from django.utils.translation import ngettext

LOCALE_DIR = Path(settings.LOCALE_PATHS[0])
CATALOGS = {
    "fr": LOCALE_DIR / "fr/LC_MESSAGES/django.po",
    "es": LOCALE_DIR / "es/LC_MESSAGES/django.po",
    "ru": LOCALE_DIR / "ru/LC_MESSAGES/django.po",
    "zh-hans": LOCALE_DIR / "zh_Hans/LC_MESSAGES/django.po",
    "ar": LOCALE_DIR / "ar/LC_MESSAGES/django.po",
}
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\{[^}]*\}\}")
# Strings that are the same in every language: names, codes and acronyms.
SAME_EVERYWHERE = {"ipvalue", "API", "CSV"}
SCRIPT = {"ru": r"[А-Яа-яЁё]", "zh-hans": r"[\u4e00-\u9fff]", "ar": r"[\u0600-\u06ff]"}


def messages(language: str):
    with CATALOGS[language].open("rb") as po_file:
        catalog = read_po(po_file)
    return [message for message in catalog if message.id]


@pytest.mark.parametrize("language", CATALOGS)
def test_catalog_is_complete_and_not_fuzzy(language):
    entries = messages(language)
    assert len(entries) > 100
    for message in entries:
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        assert all(strings), f"{language}: untranslated {message.id!r}"
        assert not message.fuzzy, f"{language}: fuzzy {message.id!r}"


@pytest.mark.parametrize("language", CATALOGS)
def test_translations_keep_placeholders_and_are_not_english_copies(language):
    copies = []
    entries = messages(language)
    for message in entries:
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        expected = set(PLACEHOLDER.findall(ids[-1]))
        for string in strings:
            found = set(PLACEHOLDER.findall(string))
            # A singular form may drop the number ("one country"), never add or rename one.
            assert found <= expected and (found == expected or len(strings) > 1), (language, ids[0], string)
        if not any(char.isalpha() for char in PLACEHOLDER.sub("", ids[0])):
            continue  # only placeholders and punctuation ("%(values)s: %(list)s."): nothing to translate
        if strings[0] == ids[0] and ids[0] not in SAME_EVERYWHERE:
            copies.append(ids[0])
            # Single words may be spelt the same ("Expert", "Source" in French); a phrase never is.
            assert " " not in ids[0].strip(), (language, ids[0])
        if language in SCRIPT and len(ids[0]) > 12 and ids[0] not in SAME_EVERYWHERE:
            assert re.search(SCRIPT[language], strings[0]), (language, ids[0], strings[0])
    assert len(copies) <= len(entries) // 10, f"{language}: English copies {copies}"


@pytest.mark.parametrize(
    ("language", "count", "word"),
    [("ru", 1, "страна"), ("ru", 3, "страны"), ("ru", 11, "стран"), ("ru", 25, "стран"), ("fr", 2, "pays")],
)
def test_plural_forms(language, count, word):
    with translation.override(language):
        text = ngettext("%(counter)s country", "%(counter)s countries", count) % {"counter": count}
    assert text == f"{count} {word}"
