"""Compile the gettext catalogs (.po to .mo) with Babel, so that no GNU gettext is needed on the machine."""

from pathlib import Path
from typing import Any

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from django.conf import settings
from django.core.management.base import BaseCommand


def compile_catalogs(locale_dirs: list[Path]) -> list[Path]:
    """Write a .mo beside every .po that is newer than its .mo; return the files written."""
    written = []
    for locale_dir in locale_dirs:
        for po_path in sorted(Path(locale_dir).glob("*/LC_MESSAGES/*.po")):
            mo_path = po_path.with_suffix(".mo")
            if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
                continue
            with po_path.open("rb") as po_file:
                catalog = read_po(po_file, locale=po_path.parent.parent.name)
            with mo_path.open("wb") as mo_file:
                write_mo(mo_file, catalog)
            written.append(mo_path)
    return written


class Command(BaseCommand):
    help = "Compile the translation catalogs (.po to .mo) without GNU gettext."

    def handle(self, *args: Any, **options: Any) -> None:
        written = compile_catalogs([Path(path) for path in settings.LOCALE_PATHS])
        self.stdout.write(f"Translations: {len(written)} catalog(s) compiled.")
