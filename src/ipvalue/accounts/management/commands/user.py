from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from ipvalue.accounts.models import Role
from ipvalue.accounts.services import user_provision


class Command(BaseCommand):
    help = "Manage accounts for scripted set-up. `ipvalue user add USERNAME --role ROLE [--country KZ ...]`."

    def add_arguments(self, parser: Any) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        add = actions.add_parser("add", help="Create or update an account (prints a one-time password on creation).")
        add.add_argument("username")
        add.add_argument("--role", required=True, choices=Role.values)
        add.add_argument("--country", action="append", default=[], metavar="ISO2", help="Repeat for several.")
        add.add_argument("--email")

    def handle(self, *args: Any, action: str, **options: Any) -> None:
        try:
            user, password = user_provision(
                username=options["username"],
                role=options["role"],
                email=options["email"],
                country_codes=tuple(options["country"]),
            )
        except ValidationError as error:
            messages = "; ".join(f"{field}: {' '.join(texts)}" for field, texts in error.message_dict.items())
            raise CommandError(messages, returncode=2) from error
        countries = ", ".join(
            user.country_assignments.active().values_list("country__iso2", flat=True).order_by("country__iso2")
        )
        state = "created" if password else "updated"
        self.stdout.write(
            f"{user.username}: {state}, role {user.role}" + (f", countries {countries}" if countries else "")
        )
        if password:
            self.stdout.write(f"One-time password (shown once): {password}")
