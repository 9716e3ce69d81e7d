"""The `parkbridge` console script: Django's management commands under the product's name."""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "parkbridge.settings")
    from django.core.management import execute_from_command_line

    args = sys.argv if argv is None else ["parkbridge", *argv]
    args[0] = "parkbridge"
    execute_from_command_line(args)


if __name__ == "__main__":
    main()
