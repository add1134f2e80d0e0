"""``ipvalue knowledge load`` (the taxonomy and the starter practices) and ``ipvalue knowledge import-facts FILE``
(the open-data CSV of facts, as exported by ``/api/v1/knowledge/facts.csv``)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from ipvalue.knowledge import importing, services


class Command(BaseCommand):
    help = "The knowledge base: load the taxonomy and starter content, or import published facts from CSV."

    def add_arguments(self, parser: Any) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        actions.add_parser("load", help="Load the taxonomy and the reference practices (safe to run again).")
        facts = actions.add_parser("import-facts", help="Load published facts from the open-data CSV (or XLSX).")
        facts.add_argument("file", metavar="FILE")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        if action == "load":
            counts = services.taxonomy_load()
            practices = services.starter_practices_load()
            self.stdout.write(json.dumps({"terms": counts, "practices_created": practices}))
            return
        path = Path(options["file"])
        try:
            content = path.read_bytes()
        except OSError as error:
            self.stdout.write(json.dumps({"errors": [{"line": None, "column": None, "message": str(error)}]}))
            raise CommandError(f"Cannot read {path}.", returncode=2) from None
        report = importing.facts_import(content, path.name)
        if report.errors:
            self.stdout.write(json.dumps({"errors": report.errors}, ensure_ascii=False))
            raise CommandError("The file was refused; nothing was loaded.", returncode=2)
        self.stdout.write(json.dumps({"created": report.created}))
