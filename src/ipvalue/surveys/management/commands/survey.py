"""``ipvalue survey import FILE [--check]``: read an XLSForm questionnaire with pyxform.

On success it prints the summary as JSON on standard output (``{"title", "languages", "fields", "repeats"}``) and exits
0; pyxform's warnings go to standard error. A form that pyxform refuses (or a file that is no workbook at all) prints
``{"errors": [{"sheet", "row", "column", "message"}, ...]}`` on standard output and exits with status 2.

Without ``--check`` the questionnaire is also saved, as a draft (``--publish`` publishes it, ``--open`` makes it open to
anyone with its public link), and the summary gains its ``"id"``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from ipvalue.surveys import services
from ipvalue.surveys.models import SurveyAccess
from ipvalue.surveys.xlsform import ErrorLocation, XLSFormError, import_xlsform, summary


class Command(BaseCommand):
    help = "Questionnaires in XLSForm. `ipvalue survey import FILE.xlsx --check` validates a form and prints a summary."

    def add_arguments(self, parser: Any) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        import_parser = actions.add_parser(
            "import", help="Read an XLSForm (.xlsx, .xls) and print its summary as JSON."
        )
        import_parser.add_argument("file", metavar="FILE", help="the XLSForm workbook")
        import_parser.add_argument(
            "--check", action="store_true", help="only validate the form and print its summary (nothing is stored)"
        )
        import_parser.add_argument("--title", default="", help="the questionnaire's title (default: the form's)")
        import_parser.add_argument("--publish", action="store_true", help="publish the questionnaire once saved")
        import_parser.add_argument(
            "--open", action="store_true", help="open to anyone with the public link (default: invitations only)"
        )

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        if action == "import":
            self.import_form(
                Path(options["file"]),
                check=options["check"],
                title=options["title"],
                publish=options["publish"],
                open_access=options["open"],
            )

    def import_form(
        self, path: Path, *, check: bool, title: str = "", publish: bool = False, open_access: bool = False
    ) -> None:
        """Validate the workbook at ``path`` and print its summary, or its errors (exit status 2)."""
        try:
            content = path.read_bytes()
        except OSError as error:
            raise self.refuse(XLSFormError([ErrorLocation(message=f"Cannot read {path}: {error.strerror}.")])) from None
        warnings: list[str] = []
        try:
            questionnaire = import_xlsform(content, path.name, warnings_out=warnings)
        except XLSFormError as error:
            raise self.refuse(error) from None
        for warning in warnings:
            self.stderr.write(f"warning: {' '.join(warning.split())}")
        result: dict[str, Any] = summary(questionnaire)
        if not check:
            survey = services.survey_import(
                actor=None,
                content=content,
                filename=path.name,
                title=title or None,
                access=SurveyAccess.OPEN if open_access else SurveyAccess.CLOSED,
            )
            if publish:
                services.publish_unattended(survey=survey)
            result = {"id": survey.pk, **result, "status": survey.status, "saved": True}
        self.stdout.write(json.dumps(result, ensure_ascii=False, indent=2))

    def refuse(self, error: XLSFormError) -> CommandError:
        """Print the errors as JSON on standard output, and return the CommandError (exit status 2) to raise."""
        self.stdout.write(json.dumps(error.as_dict(), ensure_ascii=False, indent=2))
        return CommandError(f"The XLSForm was refused: {error}", returncode=2)
