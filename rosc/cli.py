"""`rosc`: the commands ROSC Hub's users need, in front of Django's management commands."""

import os
import sys

COMMANDS = {
    "demo": "Build the synthetic demo network (deterministic from --seed).",
    "createadmin": "Create a network administrator account.",
    "migrate": "Bring the database schema up to date.",
    "serve": "Serve ROSC Hub (development server).",
    "check": "Check the configuration for problems.",
    "unlock": "Lift a sign-in lockout for a username.",
    "import-hsds": "Import an HSDS 3.0 datapackage (folder or zip) or HSDS JSON.",
    "export-hsds": "Write the directory as an HSDS 3.0 datapackage.",
}


def usage() -> str:
    lines = ["usage: rosc COMMAND [options]   (rosc COMMAND --help for each)", "", "commands:"]
    lines += [f"  {name:<12} {text}" for name, text in COMMANDS.items()]
    return "\n".join(lines)


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
    }.get(name, name)
    execute_from_command_line(["rosc", django_name, *rest])


if __name__ == "__main__":
    main()
