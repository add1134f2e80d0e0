from typing import Any

from django.core.management.base import BaseCommand, CommandError

from ipvalue.accounts.models import User
from ipvalue.accounts.services import api_token_create


class Command(BaseCommand):
    help = "Print a new API token for an account (send it as `Authorization: Bearer TOKEN`). Shown once."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, username: str, **options: Any) -> None:
        user = User.objects.filter(username=username, is_active=True).first()
        if user is None:
            raise CommandError(f"username: no active account is called {username!r}", returncode=2)
        self.stdout.write(api_token_create(user=user))
