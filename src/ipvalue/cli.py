"""The ``ipvalue`` command: Django's management commands plus ipvalue's own.

``ipvalue serve``, ``ipvalue setup``, ``ipvalue load_reference_data``, ``ipvalue load_demo_data`` and every Django
command (``ipvalue migrate``, ``ipvalue createsuperuser``, ...) are available.
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    """Run a management command with ipvalue's settings; ``valuate`` and ``scorecard`` run the engine without
    Django."""
    arguments = sys.argv[1:] if argv is None else argv
    if arguments[:1] == ["valuate"]:
        from ipvalue.valuation.cli import main as valuate_main

        raise SystemExit(valuate_main(arguments[1:]))
    if arguments[:1] == ["scorecard"]:
        from ipvalue.valuation.scorecard_cli import main as scorecard_main

        raise SystemExit(scorecard_main(arguments[1:]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ipvalue.config.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["ipvalue", *arguments])


if __name__ == "__main__":
    main()
