"""The `tribuna` command: Django's management commands under the project's own name."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tribuna.settings")
    argv = ["tribuna", *sys.argv[1:]]
    if argv[1:2] == ["serve"] and "--no-migrate" in argv:
        # Starting the server needs nothing of Django here: its worker processes load it, and
        # loading it first would add a third to the start-up time. The system checks need the
        # apps too; `tribuna migrate`, run before this (as `make demo` does), ran them.
        from tribuna.core import serving

        if serving.serve_without_django(argv[2:]):
            return
        from tribuna.core.management.commands.serve import Command

        Command().run_from_argv([*argv, "--skip-checks"])
        return
    if argv[1:2] == ["worker"] and "--skip-checks" not in argv:
        # The worker links only to the site's pages: it never builds the JSON API's routers and
        # schemas (memory and a good part of a second), not even for the system checks, which
        # `tribuna migrate` and `tribuna serve` run.
        from django.urls import set_urlconf

        set_urlconf("tribuna.site_urls")
        argv.append("--skip-checks")
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
