"""The comparison of countries as a PDF: A4 landscape, the bundled Noto fonts embedded (Cyrillic, Arabic right to
left, Chinese), at most six countries per table so that columns stay readable, every value with its source."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import get_language, get_language_bidi
from django.utils.translation import gettext as _

from ipvalue.countries.models import Country
from ipvalue.toolkit.reports import FONT_FAMILIES, font_files

COUNTRIES_PER_TABLE = 6


def _local_files_only(url: str, *args: Any, **kwargs: Any) -> Any:
    """WeasyPrint may read the bundled font files and nothing else: no request leaves the server for a link a user
    typed into a source field."""
    from weasyprint.urls import default_url_fetcher

    if not url.startswith("file:"):
        raise ValueError(f"refused to fetch {url}")
    return default_url_fetcher(url, *args, **kwargs)


def comparison_pdf(
    countries: list[Country], rows: list[dict[str, Any]], *, generated: dt.datetime | None = None
) -> bytes:
    """``rows`` as built by the comparison page: ``{"provision": Term, "cells": [Fact | None per country]}``; rendered
    in the active language."""
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration

    language = get_language() or "en"
    fonts = font_files()
    order = ["sans", "cjk", "arabic"] if language.startswith("zh") else ["sans", "arabic", "cjk"]
    tables = []
    for start in range(0, len(countries), COUNTRIES_PER_TABLE):
        chunk = slice(start, start + COUNTRIES_PER_TABLE)
        tables.append(
            {
                "countries": countries[chunk],
                "rows": [{"provision": row["provision"], "cells": row["cells"][chunk]} for row in rows],
            }
        )
    generated = generated or timezone.now()
    html = render_to_string(
        "knowledge/compare_pdf.html",
        {
            "tables": tables,
            "countries": countries,
            "generated": generated,
            "direction": "rtl" if get_language_bidi() else "ltr",
            "language": language,
            "font_faces": [
                {"family": FONT_FAMILIES[key], "url": path.resolve().as_uri()} for key, path in fonts.items()
            ],
            "font_stack": ", ".join(f'"{FONT_FAMILIES[key]}"' for key in order),
            "page_label": _("Page"),
            "of_label": _("of"),
        },
    )
    document = HTML(string=html, base_url=str(fonts["sans"].parent), url_fetcher=_local_files_only).render(
        font_config=FontConfiguration()
    )
    document.metadata.title = _("Comparison of countries") + ": " + ", ".join(country.name for country in countries)
    document.metadata.lang = language
    document.metadata.generator = "ipvalue"
    document.metadata.created = generated.date().isoformat()
    pdf: bytes = document.write_pdf()
    return pdf
