"""``ipvalue import-indicators FILE --source worldbank|wipo``: load a World Bank indicator CSV or a WIPO IP
Statistics Data Center CSV export. A malformed file exits with status 2, the line and the reason, and loads nothing.

(The module's name has a hyphen so that the command is spelled as documented; Django imports it by name.)
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from ipvalue.indicators import services
from ipvalue.indicators.models import Source
from ipvalue.indicators.parsing import IndicatorFileError


def _codes(codes: list[str], limit: int = 8) -> str:
    shown = ", ".join(codes[:limit])
    return f"{shown}, …" if len(codes) > limit else shown


class Command(BaseCommand):
    help = "Load open statistics: a World Bank indicator CSV or a WIPO IP Statistics Data Center CSV export."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file", metavar="FILE", help="The CSV file as the publisher gives it.")
        parser.add_argument(
            "--source", required=True, metavar="worldbank|wipo", help="Who published the file: worldbank or wipo."
        )

    def handle(self, *args: Any, file: str, source: str, **options: Any) -> None:
        path = Path(file)
        try:
            content = path.read_bytes()
        except OSError as error:
            raise CommandError(
                _("Cannot read %(file)s: %(error)s") % {"file": path, "error": error.strerror or error}, returncode=2
            ) from None
        try:
            summary = services.indicators_import(actor=None, content=content, filename=path.name, source=source)
        except IndicatorFileError as error:
            raise CommandError(
                _("%(file)s was refused, nothing was loaded. %(error)s") % {"file": path.name, "error": error},
                returncode=2,
            ) from None
        record = summary.record
        updated = (
            _(", last updated %(date)s") % {"date": record.publisher_updated.isoformat()}
            if record.publisher_updated
            else ""
        )
        self.stdout.write(
            _(
                "Loaded %(file)s (%(source)s%(updated)s): %(created)s values new, %(updated_count)s updated, "
                "%(unchanged)s unchanged."
            )
            % {
                "file": record.filename,
                "source": Source(record.source).label,
                "updated": updated,
                "created": summary.created,
                "updated_count": summary.updated,
                "unchanged": summary.unchanged,
            }
        )
        self.stdout.write(
            _(
                "Skipped rows: aggregates or regional offices %(aggregates)s (%(aggregate_codes)s); "
                "codes that are not member states %(non_members)s (%(non_member_codes)s); "
                "other indicators %(indicators)s."
            )
            % {
                "aggregates": summary.skipped_aggregates,
                "aggregate_codes": _codes(summary.aggregate_codes) or "–",
                "non_members": summary.skipped_non_members,
                "non_member_codes": _codes(summary.non_member_codes) or "–",
                "indicators": summary.skipped_indicators,
            }
        )
