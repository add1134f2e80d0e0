"""Writes to people and their permissions."""

import datetime
import hashlib
import secrets
from contextlib import nullcontext
from typing import Any

from auditlog.context import set_actor
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ipvalue.accounts.models import ApiToken, CountryAssignment, Role, User


def _staff_for(role: str) -> bool:
    """The Secretariat works in the admin; other roles do not."""
    return role == Role.SECRETARIAT


@transaction.atomic
def user_create(
    *,
    username: str,
    email: str,
    role: str,
    password: str | None = None,
    first_name: str = "",
    last_name: str = "",
    preferred_language: str = "en",
    actor: Any = None,
) -> User:
    """Create an account with a role. Without a password the account cannot sign in until one is set."""
    if role not in Role.values:
        raise ValidationError({"role": _("Unknown role: %(role)s.") % {"role": role}})
    with set_actor(actor) if actor else nullcontext():
        user = User(
            username=username,
            email=email,
            role=role,
            first_name=first_name,
            last_name=last_name,
            preferred_language=preferred_language,
            is_staff=_staff_for(role),
        )
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.full_clean(exclude=["password"])
        user.save()
    return user


@transaction.atomic
def user_set_role(*, actor: User, user: User, role: str) -> User:
    """Change someone's role; only the Secretariat may."""
    if not actor.has_perm("accounts.change_user", user):
        raise PermissionDenied
    if role not in Role.values:
        raise ValidationError({"role": _("Unknown role: %(role)s.") % {"role": role}})
    with set_actor(actor):
        user.role = role
        user.is_staff = _staff_for(role) or user.is_superuser
        user.save(update_fields=["role", "is_staff"])
    return user


@transaction.atomic
def coordinator_assign(
    *,
    actor: User | None,
    user: User,
    country: Any,
    starts_on: datetime.date | None = None,
    ends_on: datetime.date | None = None,
) -> CountryAssignment:
    """Appoint ``user`` national coordinator of ``country`` for a term. ``actor`` None means the system (demo data,
    management commands run by an operator)."""
    if actor is not None and not actor.has_perm("accounts.add_countryassignment"):
        raise PermissionDenied
    if user.role != Role.COORDINATOR:
        raise ValidationError({"user": _("Only a user with the national coordinator role can be assigned a country.")})
    if starts_on and ends_on and ends_on < starts_on:
        raise ValidationError({"ends_on": _("The term cannot end before it starts.")})
    with set_actor(actor) if actor else nullcontext():
        return CountryAssignment.objects.create(user=user, country=country, starts_on=starts_on, ends_on=ends_on)


def api_token_create(*, user: User) -> str:
    """Create an API token for ``user`` and return it; only its hash is kept, so it cannot be shown again."""
    token = f"ipv_{secrets.token_urlsafe(32)}"
    ApiToken.objects.create(user=user, key_hash=api_token_hash(token), prefix=token[:10])
    return token


def api_token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def api_token_authenticate(*, token: str) -> User | None:
    """The active user a token belongs to, or None; records when the token was last used."""
    record = ApiToken.objects.select_related("user").filter(key_hash=api_token_hash(token)).first()
    if record is None or not record.user.is_active:
        return None
    ApiToken.objects.filter(pk=record.pk).update(last_used_at=timezone.now())
    return record.user


@transaction.atomic
def user_provision(
    *, username: str, role: str, email: str | None = None, country_codes: tuple[str, ...] = ()
) -> tuple[User, str | None]:
    """Create or update an account for scripted set-up; appoint it to countries (from today, open-ended).

    Returns the user and, when the account was created, its one-time password (None otherwise).
    """
    from ipvalue.countries.models import Country

    countries = []
    for code in country_codes:
        country = Country.objects.filter(iso2=code.upper()).first()
        if country is None:
            raise ValidationError({"country": _("No member state has the code %(code)s.") % {"code": code}})
        countries.append(country)
    if countries and role != Role.COORDINATOR:
        raise ValidationError({"country": _("Only national coordinators are appointed to countries.")})
    user = User.objects.filter(username=username).first()
    password = None
    if user is None:
        password = secrets.token_urlsafe(12)
        user = user_create(username=username, email=email or "", role=role, password=password)
    else:
        if role not in Role.values:
            raise ValidationError({"role": _("Unknown role: %(role)s.") % {"role": role}})
        user.role = role
        user.is_staff = _staff_for(role) or user.is_superuser
        if email is not None:
            user.email = email
        user.full_clean(exclude=["password"])
        user.save()
    active = set(CountryAssignment.objects.active().filter(user=user).values_list("country_id", flat=True))
    for country in countries:
        if country.pk not in active:
            coordinator_assign(actor=None, user=user, country=country, starts_on=timezone.localdate())
    return user, password
