"""Background work of questionnaires (the Django tasks API; ``ipvalue db_worker`` runs them in production)."""

from __future__ import annotations

from django.utils import timezone
from django_tasks import task

from ipvalue.surveys import campaign
from ipvalue.surveys.models import Invitation


@task()
def send_survey_email(invitation_id: int, kind: str, attempt: int = 1) -> str:
    """Send an invitation or a reminder; a failed sending is tried again later, up to MAX_EMAIL_ATTEMPTS times."""
    invitation = Invitation.objects.select_related("survey").filter(pk=invitation_id).first()
    if invitation is None:
        return "invitation deleted"
    outcome = campaign.email_send(invitation, kind)
    if outcome.retry and attempt < campaign.MAX_EMAIL_ATTEMPTS:
        delay = campaign.RETRY_DELAYS[min(attempt, len(campaign.RETRY_DELAYS)) - 1]
        retry = send_survey_email
        if retry.get_backend().supports_defer:
            retry = retry.using(run_after=timezone.now() + delay)
        retry.enqueue(invitation_id, kind, attempt + 1)
        return f"failed, attempt {attempt}: retrying"
    return "sent" if outcome.sent else outcome.reason


@task()
def run_export_job(job_id: int) -> str:
    """Write a large export to a file the Secretariat downloads when it is ready."""
    from ipvalue.surveys.export_jobs import export_job_run

    return export_job_run(job_id)
