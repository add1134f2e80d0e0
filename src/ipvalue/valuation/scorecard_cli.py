"""``ipvalue scorecard --list-factors [--language ru] [--json]``: the scorecard's factor catalogue.

Lists every factor by group (in the catalogue's order) with its code, name, axis (opportunity or risk), default weight
and the guide to each rating from 1 (worst) to 5 (best), in the language asked; readable text by default, one JSON
object with ``--json``. Exit status 0, or 2 with a message for an unknown language or a missing ``--list-factors``.
Scoring itself is ``ipvalue valuate scorecard``. The factors are inspired by the EPO's IPscore and DIN 77100; see
``ipvalue.valuation.scorecard``. Needs no database and no Django.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import TextIO

from ipvalue.valuation.scorecard import CATALOGUE, LANGUAGES, localized

UI: dict[str, dict[str, str]] = {
    "title": {"en": "IP scorecard factors", "ru": "Факторы оценочной карты ИС"},
    "catalogue": {"en": "catalogue", "ru": "каталог"},
    "language": {"en": "language", "ru": "язык"},
    "source": {"en": "Source", "ru": "Источник"},
    "how": {
        "en": "Rate each factor from 1 (worst) to 5 (best). For risk factors a high rating means LOW risk.",
        "ru": "Оцените каждый фактор от 1 (худшая оценка) до 5 (лучшая). Для факторов риска высокая оценка "
        "означает НИЗКИЙ риск.",
    },
    "opportunity": {"en": "opportunity", "ru": "возможность"},
    "risk": {"en": "risk", "ru": "риск"},
    "weight": {"en": "weight", "ru": "вес"},
    "factors": {"en": "factors", "ru": "факторов"},
}
DECIMAL_COMMA = frozenset({"ru", "fr", "es"})


def _ui(key: str, language: str) -> str:
    return localized(UI[key], language)


def _number(value: float, language: str) -> str:
    """1.5 as 1,5 in languages that write a decimal comma."""
    text = f"{value:g}"
    return text.replace(".", ",") if language in DECIMAL_COMMA else text


def _text(language: str) -> str:
    lines = [
        f"{_ui('title', language)} — {_ui('catalogue', language)} {CATALOGUE.version}, "
        f"{_ui('language', language)}: {language}",
        f"{_ui('source', language)}: {CATALOGUE.source}",
        _ui("how", language),
    ]
    for group in CATALOGUE.groups:
        factors = CATALOGUE.factors_in(group.code)
        lines += ["", f"{localized(group.name, language)} [{group.code}], {_ui('factors', language)}: {len(factors)}"]
        for factor in factors:
            weight = _number(factor.default_weight, language)
            lines.append(
                f"  {factor.code}: {localized(factor.name, language)} "
                f"({_ui(factor.dimension, language)}, {_ui('weight', language)} {weight})"
            )
            lines += [
                f"    {rating}  {guide}" for rating, guide in enumerate(localized(factor.levels, language), start=1)
            ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    parser = argparse.ArgumentParser(prog="ipvalue scorecard", description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--list-factors", action="store_true", help="list the factor catalogue")
    parser.add_argument(
        "--language", "-l", default="en", help=f"language of the texts: {', '.join(LANGUAGES)} (default: en)"
    )
    parser.add_argument("--json", action="store_true", help="print JSON instead of text")
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:  # --help, or an unknown option (argparse has printed why)
        return exit_.code if isinstance(exit_.code, int) else 2
    if args.language not in LANGUAGES:
        message = f"unknown language {args.language!r}; choose one of {', '.join(LANGUAGES)}"
        if args.json:
            out.write(json.dumps({"error": "unknown language", "detail": [{"loc": ["language"], "msg": message}]}))
            out.write("\n")
        sys.stderr.write(f"ipvalue scorecard: {message}\n")
        return 2
    if not args.list_factors:
        parser.print_usage(sys.stderr)
        sys.stderr.write(
            "ipvalue scorecard: nothing to do: --list-factors lists the factors; "
            "`ipvalue valuate scorecard` scores assets\n"
        )
        return 2
    if args.json:
        out.write(json.dumps(CATALOGUE.listing(args.language), ensure_ascii=False, indent=1) + "\n")
    else:
        out.write(_text(args.language))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
