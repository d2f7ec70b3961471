"""The `powerlist` console script: Django's management commands under one name.

`powerlist migrate`, `powerlist createsuperuser`, `powerlist import FILE ...`, `powerlist demo`.
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "powerlist.settings")
    from django.core.management import execute_from_command_line

    argv = list(sys.argv if argv is None else argv)
    argv[0] = "powerlist"
    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
