"""``ipvalue valuate METHOD [--input FILE]``: one JSON object in (a file or standard input), one JSON object out.

Exit status 0 with the result; 2 with a JSON error naming the field and the reason when the input is invalid.
``ipvalue valuate --list`` lists the methods. Needs no database and no Django.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from typing import Any, TextIO

from pydantic import ValidationError

from ipvalue.valuation import METHODS, valuate
from ipvalue.valuation.uncertainty import validation_errors


def clean(value: Any) -> Any:
    """JSON has no NaN or infinity: write them as null."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {key: clean(item) for key, item in value.items()}
    if isinstance(value, list):
        return [clean(item) for item in value]
    return value


def _fail(out: TextIO, error: str, detail: list[dict[str, Any]]) -> int:
    out.write(json.dumps({"error": error, "detail": detail}, ensure_ascii=False) + "\n")
    for item in detail:
        sys.stderr.write(f"{'.'.join(str(p) for p in item['loc']) or 'input'}: {item['msg']}\n")
    return 2


def main(argv: list[str] | None = None, stdin: TextIO | None = None, out: TextIO | None = None) -> int:
    stdin, out = stdin or sys.stdin, out or sys.stdout
    parser = argparse.ArgumentParser(prog="ipvalue valuate", description=__doc__.splitlines()[0])
    parser.add_argument("method", nargs="?", help="the method, e.g. relief-from-royalty")
    parser.add_argument("--input", "-i", metavar="FILE", help="JSON file with the inputs (default: standard input)")
    parser.add_argument("--list", action="store_true", help="list the methods")
    args = parser.parse_args(argv)
    if args.list:
        out.write(json.dumps([{"method": m.name, "summary": m.summary} for m in METHODS.values()], indent=1) + "\n")
        return 0
    if not args.method:
        parser.print_usage(sys.stderr)
        return _fail(out, "no method given", [{"loc": ["method"], "msg": "name a method; --list lists them"}])
    if args.method not in METHODS:
        return _fail(
            out, "unknown method", [{"loc": ["method"], "msg": f"{args.method!r} is not a method; --list lists them"}]
        )
    try:
        if args.input:
            with open(args.input, encoding="utf-8") as handle:
                data = json.load(handle)
        else:
            data = json.load(stdin)
    except OSError as error:
        return _fail(out, "cannot read the input", [{"loc": ["input"], "msg": str(error)}])
    except json.JSONDecodeError as error:
        return _fail(out, "invalid JSON", [{"loc": ["input"], "msg": f"line {error.lineno}: {error.msg}"}])
    if not isinstance(data, dict):
        return _fail(out, "invalid input", [{"loc": ["input"], "msg": "the input must be one JSON object"}])
    try:
        result = valuate(args.method, data)
    except ValidationError as error:
        return _fail(out, "invalid input", validation_errors(error))
    out.write(json.dumps(clean(result.as_output()), ensure_ascii=False, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
