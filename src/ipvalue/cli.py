"""The ``ipvalue`` command: Django's management commands plus ipvalue's own.

``ipvalue serve``, ``ipvalue setup``, ``ipvalue load_reference_data``, ``ipvalue load_demo_data`` and every Django
command (``ipvalue migrate``, ``ipvalue createsuperuser``, ...) are available.
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    """Run a management command with ipvalue's settings."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ipvalue.config.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["ipvalue", *(sys.argv[1:] if argv is None else argv)])


if __name__ == "__main__":
    main()
