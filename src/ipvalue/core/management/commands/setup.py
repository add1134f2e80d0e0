from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Prepare ipvalue: compile translations, migrate the database, load reference data, collect static files "
        "and, with --demo, load demo data and demo accounts. Safe to run again: existing data is kept."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--demo", action="store_true", help="Also load demo data and demo accounts.")

    def handle(self, *args: Any, demo: bool = False, **options: Any) -> None:
        call_command("compile_translations")
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write("Database: migrated.")
        call_command("load_reference_data")
        from ipvalue.knowledge.services import starter_practices_load, taxonomy_load
        from ipvalue.surveys.project import load_project_questionnaire

        terms = taxonomy_load()
        practices = starter_practices_load()
        self.stdout.write(
            f"Knowledge base: taxonomy loaded ({terms['created']} new terms), {practices} reference practices added."
        )

        survey = load_project_questionnaire()
        if survey is not None:
            self.stdout.write(f"Questionnaire: “{survey.title}” loaded (a draft, for the Secretariat to publish).")
        call_command("collectstatic", interactive=False, verbosity=0)
        self.stdout.write("Static files: collected.")
        if demo:
            call_command("load_demo_data")
