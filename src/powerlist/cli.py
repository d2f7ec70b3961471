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
    try:
        execute_from_command_line(argv)
        sys.stdout.flush()
    except BrokenPipeError:
        # the reader went away (`powerlist campaign stats | head`): stop quietly, as a Unix tool does.
        # Python's recommended pattern: point stdout at devnull so the flush at exit raises nothing more
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(1)


if __name__ == "__main__":
    main()
