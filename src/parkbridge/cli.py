"""The `parkbridge` console script: Django's management commands under the product's name."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parkbridge.settings")
    from django.core.management import execute_from_command_line

    # argv[0] stays as it is: runserver's autoreloader restarts the process from it.
    execute_from_command_line(sys.argv if argv is None else ["parkbridge", *argv])


if __name__ == "__main__":
    main()
