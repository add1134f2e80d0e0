"""A questionnaire campaign: invitation e-mails, reminders (never to those who completed, opted out or bounced),
bounces, imports of respondents, inviting a saved list, progress."""

import datetime as dt
import io
import json
import smtplib

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import call_command
from django.utils import timezone, translation

from ipvalue.countries.models import Country
from ipvalue.stakeholders.models import Person, PersonList
from ipvalue.surveys import campaign, services
from ipvalue.surveys.models import EmailSuppression, Invitation

pytestmark = pytest.mark.django_db

FAILURES: dict[str, Exception] = {}


class FlakyBackend(BaseEmailBackend):
    """Sends like the test backend, but raises what FAILURES says for an address."""

    def send_messages(self, messages):
        for message in messages:
            for address in message.to:
                if address in FAILURES:
                    raise FAILURES[address]
            mail.outbox.append(message)
        return len(messages)


@pytest.fixture
def flaky(settings):
    settings.EMAIL_BACKEND = "tests.surveys.test_campaign.FlakyBackend"
    FAILURES.clear()
    yield FAILURES
    FAILURES.clear()


@pytest.fixture
def send_now(django_capture_on_commit_callbacks):
    """E-mails are queued once the transaction commits; the test's transaction never does, so run them at once."""

    def send(actor, survey):
        with django_capture_on_commit_callbacks(execute=True):
            return campaign.invitations_send(actor=actor, survey=survey)

    return send


def invite(survey, secretariat, email, **options):
    return services.invitation_create(actor=secretariat, survey=survey, email=email, **options)


def sent_long_ago(invitation, days=10):
    Invitation.objects.filter(pk=invitation.pk).update(sent_at=timezone.now() - dt.timedelta(days=days))
    invitation.refresh_from_db()
    return invitation


def test_invitation_e_mail_in_the_respondents_language_with_link_and_opt_out(secretariat, survey, settings, send_now):
    settings.SITE_URL = "https://ipvalue.example.org"
    invitation = invite(survey, secretariat, "focal@example.kz", name="Айгерим", language="ru")
    assert send_now(secretariat, survey) == 1
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["focal@example.kz"]
    assert f"https://ipvalue.example.org/ru/surveys/r/{invitation.token}/" in message.body
    assert f"/ru/surveys/r/{invitation.token}/stop/" in message.extra_headers["List-Unsubscribe"]
    assert "Айгерим" in message.body
    invitation.refresh_from_db()
    assert invitation.sent_at is not None
    assert send_now(secretariat, survey) == 0  # never twice


def test_reminders_never_reach_those_who_completed_opted_out_or_bounced(secretariat, survey):
    waiting = invite(survey, secretariat, "waiting@example.org")
    completed = invite(survey, secretariat, "done@example.org")
    opted_out = invite(survey, secretariat, "stop@example.org")
    bounced = invite(survey, secretariat, "bounce@example.org")
    never_sent = invite(survey, secretariat, "unsent@example.org")
    for invitation in (waiting, completed, opted_out, bounced):
        sent_long_ago(invitation)
    response = services.access_by_token(completed.token).response
    services.answers_save(response=response, incoming={"organisation": "X", "ip_loans": "no"})
    assert services.response_submit(response=response) == {}
    campaign.opt_out(invitation=opted_out)
    campaign.bounce_record(email="Bounce@Example.org")
    due = list(campaign.reminders_due(survey))
    assert due == [waiting]
    assert never_sent not in due
    mail.outbox.clear()
    assert campaign.reminders_send(survey=survey) == {"sent": 1, "skipped": 0, "failed": 0}
    assert [message.to for message in mail.outbox] == [["waiting@example.org"]]
    waiting.refresh_from_db()
    assert waiting.reminder_count == 1
    assert list(campaign.reminders_due(survey)) == []  # the next one comes after the interval


def test_reminders_follow_the_schedule_and_stop_at_the_maximum(secretariat, survey):
    campaign.schedule_update(
        actor=secretariat, survey=survey, enabled=True, after_days=3, interval_days=2, max_reminders=2
    )
    invitation = sent_long_ago(invite(survey, secretariat, "slow@example.org"), days=2)
    assert list(campaign.reminders_due(survey)) == []
    now = timezone.now()
    assert list(campaign.reminders_due(survey, now=now + dt.timedelta(days=1, minutes=1))) == [invitation]
    campaign.reminders_send(survey=survey, now=now + dt.timedelta(days=1, minutes=1))
    invitation.refresh_from_db()
    Invitation.objects.filter(pk=invitation.pk).update(last_reminded_at=now - dt.timedelta(days=2, minutes=1))
    assert list(campaign.reminders_due(survey)) == [invitation]
    campaign.reminders_send(survey=survey)
    Invitation.objects.filter(pk=invitation.pk).update(last_reminded_at=now - dt.timedelta(days=30))
    assert list(campaign.reminders_due(survey)) == []  # two reminders sent: the maximum


def test_an_expired_link_gets_no_reminder(secretariat, survey):
    invitation = sent_long_ago(invite(survey, secretariat, "late@example.org"))
    Invitation.objects.filter(pk=invitation.pk).update(valid_until=timezone.now() - dt.timedelta(hours=1))
    assert list(campaign.reminders_due(survey)) == []


def test_remind_command_dry_run_lists_then_sends(secretariat, survey):
    waiting = sent_long_ago(invite(survey, secretariat, "waiting@example.org", language="ru"))
    sent_long_ago(invite(survey, secretariat, "recent@example.org"), days=1)
    out = io.StringIO()
    call_command("survey", "remind", str(survey.pk), "--dry-run", stdout=out)
    listed = json.loads(out.getvalue())
    assert [(item["email"], item["token"]) for item in listed] == [("waiting@example.org", waiting.token)]
    assert mail.outbox == []
    out = io.StringIO()
    call_command("survey", "remind", str(survey.pk), stdout=out)
    assert json.loads(out.getvalue()) == {str(survey.pk): {"sent": 1, "skipped": 0, "failed": 0}}
    assert len(mail.outbox) == 1 and "waiting@example.org" in mail.outbox[0].to


def test_remind_all_only_covers_questionnaires_with_automatic_reminders(secretariat, survey):
    sent_long_ago(invite(survey, secretariat, "waiting@example.org"))
    out = io.StringIO()
    call_command("survey", "remind", "--all", "--dry-run", stdout=out)
    assert json.loads(out.getvalue()) == []
    campaign.schedule_update(actor=secretariat, survey=survey, enabled=True, after_days=7, interval_days=7,
                             max_reminders=3)  # fmt: skip
    out = io.StringIO()
    call_command("survey", "remind", "--all", "--dry-run", stdout=out)
    assert [item["email"] for item in json.loads(out.getvalue())] == ["waiting@example.org"]


def test_a_failed_sending_is_retried_then_recorded(secretariat, survey, flaky, send_now):
    invitation = invite(survey, secretariat, "down@example.org")
    flaky["down@example.org"] = smtplib.SMTPServerDisconnected("connection lost")
    send_now(secretariat, survey)  # the test task backend runs tasks at once
    invitation.refresh_from_db()
    assert invitation.sent_at is None
    assert invitation.email_attempts == campaign.MAX_EMAIL_ATTEMPTS
    assert "connection lost" in invitation.email_error
    del flaky["down@example.org"]
    Invitation.objects.filter(pk=invitation.pk).update(email_attempts=0)
    send_now(secretariat, survey)
    invitation.refresh_from_db()
    assert invitation.sent_at is not None and invitation.email_error == ""


def test_a_refused_recipient_is_a_bounce_for_every_questionnaire(secretariat, survey, flaky, send_now):
    invitation = invite(survey, secretariat, "gone@example.org")
    flaky["gone@example.org"] = smtplib.SMTPRecipientsRefused({"gone@example.org": (550, b"no such user")})
    send_now(secretariat, survey)
    invitation.refresh_from_db()
    assert invitation.bounced_at is not None and invitation.sent_at is None
    assert EmailSuppression.objects.filter(email="gone@example.org", reason="bounce").exists()
    other = services.survey_import(actor=secretariat, content=survey.current_version.source, filename="x.xlsx")
    services.survey_publish(actor=secretariat, survey=other)
    again = invite(other, secretariat, "gone@example.org")
    assert campaign.why_not_email(again, campaign.EmailKind.INVITATION) == "address bounced or suppressed"


def test_opt_out_page_stops_the_e_mails(client, secretariat, survey):
    invitation = invite(survey, secretariat, "tired@example.org", language="ru")
    url = f"/ru/surveys/r/{invitation.token}/stop/"
    assert client.get(url).status_code == 200
    invitation.refresh_from_db()
    assert invitation.opted_out_at is None  # opening the link does not opt out: a mail scanner may open it
    assert client.post(url).status_code == 200
    invitation.refresh_from_db()
    assert invitation.opted_out_at is not None
    assert client.get(f"/ru/surveys/r/{invitation.token}/").status_code == 200  # the link still works


CSV = (
    "email,name,language,country,group\n"
    "ok1@example.org,Ana,ru,KZ,finance\n"
    "not-an-address,Bob,en,AM,\n"
    "ok2@example.org,Chen,zh,XX,\n"
    "ok3@example.org,Dana,fr,UZ,valuation\n"
    "ok1@example.org,Ana again,ru,KZ,\n"
)


def test_import_with_bad_rows_all_or_nothing_invites_nobody(secretariat, survey):
    report = campaign.invitations_import(
        actor=secretariat, survey=survey, content=CSV.encode(), filename="people.csv", mode="all-or-nothing"
    )
    assert report.saved is False and report.created == []
    assert {(error["row"], error["column"]) for error in report.errors} == {(3, "email"), (4, "country"), (6, "email")}
    assert survey.invitations.count() == 0


def test_import_with_bad_rows_good_rows_invites_the_good_ones(secretariat, survey):
    report = campaign.invitations_import(
        actor=secretariat, survey=survey, content=CSV.encode(), filename="people.csv", mode="good-rows"
    )
    assert report.saved is True
    assert sorted(invitation.email for invitation in report.created) == ["ok1@example.org", "ok3@example.org"]
    ana = survey.invitations.get(email="ok1@example.org")
    assert (ana.language, ana.country.iso2, ana.group) == ("ru", "KZ", "finance")
    assert len(report.errors) == 3


def test_inviting_a_saved_list(secretariat, survey):
    kz = Country.objects.get(iso2="KZ")
    Person.objects.create(full_name="Айгуль", email="aigul@example.kz", country=kz, group="finance", languages=["ru"])
    Person.objects.create(full_name="No Mail", email="", country=kz, group="finance")
    Person.objects.create(full_name="Other group", email="o@example.kz", country=kz, group="business")
    saved = PersonList.objects.create(name="KZ finance", owner=secretariat, groups=["finance"])
    saved.countries.add(kz)
    with translation.override("en"):
        report = campaign.invitations_from_list(actor=secretariat, survey=survey, saved=saved, language="en")
    assert [(invitation.email, invitation.language) for invitation in report.created] == [("aigul@example.kz", "ru")]
    assert report.skipped == [{"person": report.skipped[0]["person"], "name": "No Mail", "reason": "no e-mail address"}]
    with translation.override("ru"):  # reasons are given in the user's language
        again = campaign.invitations_from_list(actor=secretariat, survey=survey, saved=saved, language="en")
    assert again.created == [] and {item["reason"] for item in again.skipped} >= {"уже приглашен(а)"}


def test_progress_counts_per_country_and_group(client, secretariat, survey, staff_token):
    kz, am = Country.objects.get(iso2="KZ"), Country.objects.get(iso2="AM")
    first = invite(survey, secretariat, "a@example.org", country=kz, group="finance")
    second = invite(survey, secretariat, "b@example.org", country=kz, group="business")
    invite(survey, secretariat, "c@example.org", country=am, group="finance")
    services.access_by_token(first.token)  # opened
    response = services.access_by_token(second.token).response
    services.answers_save(response=response, incoming={"organisation": "X", "ip_loans": "no"})
    services.response_submit(response=response)
    progress = campaign.survey_progress(survey)
    assert (progress["invited"], progress["opened"], progress["started"], progress["completed"]) == (3, 2, 1, 1)
    assert progress["by_country"]["KZ"] == {"invited": 2, "opened": 2, "started": 1, "completed": 1}
    assert progress["by_country"]["AM"] == {"invited": 1, "opened": 0, "started": 0, "completed": 0}
    assert progress["by_group"]["finance"]["invited"] == 2
    reply = client.get(f"/api/v1/surveys/{survey.pk}/progress", HTTP_AUTHORIZATION=f"Bearer {staff_token}")
    assert reply.status_code == 200 and reply.json()["by_country"]["KZ"]["completed"] == 1
    client.force_login(secretariat)
    page = client.get(f"/en/surveys/{survey.pk}/progress/")
    assert page.status_code == 200 and "a@example.org" in page.content.decode()  # not completed: to chase
