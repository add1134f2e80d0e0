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

from ipvalue.surveys import campaign, services
from ipvalue.surveys.models import EmailSuppression, Survey, SurveyAccess, SurveyStatus
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
        remind = actions.add_parser(
            "remind", help="Remind, by e-mail, those invited who have not completed (on the questionnaire's schedule)."
        )
        remind.add_argument("survey_id", metavar="SURVEY_ID", nargs="?", type=int, help="the questionnaire")
        remind.add_argument(
            "--dry-run", action="store_true", help="print the JSON list of the invitations that would be reminded now"
        )
        remind.add_argument(
            "--all", action="store_true", help="every published questionnaire whose automatic reminders are on (cron)"
        )
        send = actions.add_parser("send", help="E-mail the invitations not sent yet (in the background).")
        send.add_argument("survey_id", metavar="SURVEY_ID", type=int)
        bounce = actions.add_parser("bounce", help="Record addresses that bounce (or opted out): never e-mailed again.")
        bounce.add_argument("emails", metavar="EMAIL", nargs="+")
        bounce.add_argument("--opt-out", action="store_true", help="the owners asked for no more e-mails")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        if action == "remind":
            self.remind(options["survey_id"], dry_run=options["dry_run"], every=options["all"])
        elif action == "send":
            survey = self.survey(options["survey_id"])
            count = campaign.invitations_send(actor=_Operator(), survey=survey)
            self.stdout.write(json.dumps({"queued": count}))
        elif action == "bounce":
            reason = EmailSuppression.Reason.OPT_OUT if options["opt_out"] else EmailSuppression.Reason.BOUNCE
            marked = sum(campaign.bounce_record(email=email, reason=reason) for email in options["emails"])
            self.stdout.write(json.dumps({"addresses": len(options["emails"]), "invitations_marked": marked}))
        elif action == "import":
            self.import_form(
                Path(options["file"]),
                check=options["check"],
                title=options["title"],
                publish=options["publish"],
                open_access=options["open"],
            )

    def survey(self, survey_id: int | None) -> Survey:
        survey = Survey.objects.filter(pk=survey_id).first() if survey_id else None
        if survey is None:
            self.stdout.write(
                json.dumps({"errors": [{"field": "SURVEY_ID", "message": "no questionnaire has this id"}]})
            )
            raise CommandError(f"No questionnaire has the id {survey_id}.", returncode=2)
        return survey

    def remind(self, survey_id: int | None, *, dry_run: bool, every: bool) -> None:
        """Print the reminders due (``--dry-run``), or send them and print what was sent."""
        if every:
            surveys = list(Survey.objects.filter(status=SurveyStatus.PUBLISHED, reminders_enabled=True))
        else:
            surveys = [self.survey(survey_id)]
        if dry_run:
            due = [
                {
                    "id": invitation.pk,
                    "survey": invitation.survey_id,
                    "email": invitation.email,
                    "token": invitation.token,
                    "name": invitation.name,
                    "country": invitation.country.iso2 if invitation.country else None,
                    "language": invitation.language,
                    "reminders_sent": invitation.reminder_count,
                }
                for survey in surveys
                for invitation in campaign.reminders_due(survey)
            ]
            self.stdout.write(json.dumps(due, ensure_ascii=False, indent=2))
            return
        results = {survey.pk: campaign.reminders_send(survey=survey) for survey in surveys}
        self.stdout.write(json.dumps(results, indent=2))

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


class _Operator:
    """Whoever runs the command line: they run the server, so every permission is theirs."""

    is_authenticated = True

    def has_perm(self, perm: str, obj: object = None) -> bool:
        return True
