"""Reading questionnaires, invitations and responses (the Secretariat's views and the API)."""

from django.db.models import Count, Q, QuerySet

from ipvalue.surveys.models import Invitation, Response, ResponseStatus, Survey


def survey_list() -> QuerySet[Survey]:
    """Questionnaires with their counts of responses (test answers left out)."""
    return Survey.objects.select_related("current_version").annotate(
        response_count=Count("responses", filter=Q(responses__is_preview=False), distinct=True),
        submitted_count=Count(
            "responses",
            filter=Q(responses__is_preview=False, responses__status=ResponseStatus.SUBMITTED),
            distinct=True,
        ),
        invitation_count=Count("invitations", distinct=True),
    )


def survey_responses(survey: Survey) -> QuerySet[Response]:
    return (
        survey.responses.filter(is_preview=False)
        .select_related("invitation", "invitation__country", "version")
        .order_by("-updated_at")
    )


def survey_invitations(survey: Survey) -> QuerySet[Invitation]:
    return survey.invitations.select_related("country").order_by("-created_at")
