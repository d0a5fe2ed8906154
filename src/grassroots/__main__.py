"""The `grassroots` console command: the project's manage.py."""

import os
import sys


def main() -> None:
    # Whatever a command, the scheduler or a task worker writes is its owner's only (issue 15).
    os.umask(0o077)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "grassroots.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
