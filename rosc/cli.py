"""`rosc`: the commands ROSC Hub's users need, in front of Django's management commands."""

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager

COMMANDS = {
    "demo": "Build the synthetic demo network (deterministic from --seed).",
    "createadmin": "Create a network administrator account.",
    "migrate": "Bring the database schema up to date.",
    "serve": "Serve ROSC Hub (development server) and run its background worker.",
    "check": "Check the configuration for problems.",
    "unlock": "Lift a sign-in lockout for a username.",
    "import-hsds": "Import an HSDS 3.0 datapackage (folder or zip) or HSDS JSON.",
    "export-hsds": "Write the directory as an HSDS 3.0 datapackage.",
    "progress-reports": "Send every diversion progress report now due (run daily).",
    "import-meetings": "Import a Meeting Guide JSON feed (file or URL); --refresh-all for cron.",
}


def usage() -> str:
    lines = ["usage: rosc COMMAND [options]   (rosc COMMAND --help for each)", "", "commands:"]
    lines += [f"  {name:<16} {text}" for name, text in COMMANDS.items()]
    return "\n".join(lines)


@contextmanager
def background_worker() -> Iterator[None]:
    """`manage.py db_worker` as a child process for as long as the block runs (HSDS uploads are
    imported by it). Not started by the development server's reloader child (RUN_MAIN), nor when
    ROSC_SERVE_WORKER=0 (run `python -m django db_worker` yourself then)."""
    if os.environ.get("RUN_MAIN") == "true" or os.environ.get("ROSC_SERVE_WORKER") == "0":
        yield
        return
    worker = subprocess.Popen(
        [sys.executable, "-m", "django", "db_worker", "--interval", "1"], env=os.environ.copy()
    )
    # A plain `kill` of the server ends this process through the finally below, too.
    previous = signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
        if worker.poll() is None:
            worker.terminate()
            try:
                worker.wait(timeout=10)
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait()


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in {"-h", "--help", "help"}:
        print(usage())
        return
    name, rest = args[0], args[1:]
    if name not in COMMANDS:
        print(f"rosc: unknown command '{name}' (try: rosc --help)", file=sys.stderr)
        sys.exit(2)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from django.core.management import execute_from_command_line

    django_name = {
        "serve": "runserver",
        "unlock": "axes_reset_username",
        "import-hsds": "import_hsds",
        "export-hsds": "export_hsds",
        "progress-reports": "rosc_progress_reports",
        "import-meetings": "import_meetings",
    }.get(name, name)
    if name == "serve" and not {"-h", "--help"} & set(rest):
        with background_worker():
            execute_from_command_line(["rosc", django_name, *rest])
        return
    execute_from_command_line(["rosc", django_name, *rest])


if __name__ == "__main__":
    main()
