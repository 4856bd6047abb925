"""The `tribuna` command: Django's management commands under the project's own name."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tribuna.settings")
    argv = ["tribuna", *sys.argv[1:]]
    if argv[1:2] == ["serve"] and "--no-migrate" in argv:
        # Starting the server needs no app loaded here: its worker processes load them, and
        # loading them twice would add a third to the start-up time.
        from tribuna.core.management.commands.serve import Command

        Command().run_from_argv(argv)
        return
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
