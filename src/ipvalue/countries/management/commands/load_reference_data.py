from typing import Any

from django.core.management.base import BaseCommand

from ipvalue.countries.services import reference_data_load


class Command(BaseCommand):
    help = "Load or update the WIPO member states, regional groups and default beneficiary countries (idempotent)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--reset-beneficiaries",
            action="store_true",
            help="Re-apply the default beneficiary countries and their selection criteria, overwriting changes.",
        )

    def handle(self, *args: Any, reset_beneficiaries: bool = False, **options: Any) -> None:
        report = reference_data_load(reset_beneficiaries=reset_beneficiaries)
        self.stdout.write(self.style.SUCCESS(f"Reference data: {report}"))
