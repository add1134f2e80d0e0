"""API authentication: ``Authorization: Bearer TOKEN`` (tokens from ``ipvalue api-token``), or the browser session."""

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer, django_auth

from ipvalue.accounts.services import api_token_authenticate


class ApiTokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = api_token_authenticate(token=token)
        if user is not None:
            request.user = user
        return user


# Either credential; a session needs the CSRF token for unsafe methods (django-ninja checks it).
API_AUTH = [ApiTokenAuth(), django_auth]
