"""Demo accounts, one per role, so that a new user can try each role's view of the platform."""

import secrets
from dataclasses import dataclass

from django.db import transaction

from ipvalue.accounts.models import Role, User
from ipvalue.accounts.services import coordinator_assign, user_create
from ipvalue.countries.models import Country


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    first_name: str
    last_name: str
    countries: tuple[str, ...] = ()
    superuser: bool = False


DEMO_ACCOUNTS = [
    DemoAccount("secretariat", Role.SECRETARIAT, "Sofia", "Secretariat", superuser=True),
    DemoAccount("coordinator", Role.COORDINATOR, "Aigerim", "Coordinator", countries=("KZ", "UZ")),
    DemoAccount("expert", Role.EXPERT, "Elena", "Expert"),
    DemoAccount("stakeholder", Role.STAKEHOLDER, "Samuel", "Stakeholder"),
]


@transaction.atomic
def demo_accounts_create(*, password: str | None = None) -> list[tuple[DemoAccount, str]]:
    """Create the demo accounts that do not exist yet; return each new account with its password.

    Passwords are random unless ``password`` is given; existing accounts are left as they are.
    """
    created = []
    for account in DEMO_ACCOUNTS:
        if User.objects.filter(username=account.username).exists():
            continue
        account_password = password or secrets.token_urlsafe(12)
        user = user_create(
            username=account.username,
            email=f"{account.username}@example.org",
            role=account.role,
            password=account_password,
            first_name=account.first_name,
            last_name=account.last_name,
        )
        if account.superuser:
            user.is_superuser = True
            user.save(update_fields=["is_superuser"])
        for iso2 in account.countries:
            coordinator_assign(actor=None, user=user, country=Country.objects.get(iso2=iso2))
        created.append((account, account_password))
    return created
