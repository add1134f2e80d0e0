"""Questionnaire records in the audit history. Answers are saved too often to log each save: a response's history
records its status (submitted, reopened)."""

from auditlog.registry import auditlog

from ipvalue.surveys.models import Invitation, Response, Survey, SurveyVersion

auditlog.register(Survey, exclude_fields=["updated_at", "created_at", "public_token"])
auditlog.register(SurveyVersion, exclude_fields=["source", "definition", "created_at"])
auditlog.register(Invitation, exclude_fields=["token", "created_at", "opened_at", "started_at"])
auditlog.register(Response, include_fields=["status", "reopened_at"])
