"""Permission checks that services share."""

from typing import Any

from django.core.exceptions import PermissionDenied


def require_unless_system(actor: Any, perm: str, obj: Any = None) -> None:
    """Raise PermissionDenied unless ``actor`` has ``perm`` (on ``obj``); ``actor`` None is the system itself (the
    command line, a data load, a signal receiver) and may act."""
    if actor is not None and not actor.has_perm(perm, obj):
        raise PermissionDenied
