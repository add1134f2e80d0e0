import os
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve ipvalue on http://127.0.0.1:8000 (PORT overrides the port). For production use a WSGI server."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--port", default=os.environ.get("PORT", "8000"))

    def handle(self, *args: Any, host: str, port: str, **options: Any) -> None:
        self.stdout.write(f"ipvalue is being served on http://{host}:{port}/ (Ctrl+C stops it)")
        call_command("runserver", f"{host}:{port}", use_reloader=False, use_threading=True)
