"""Run every benchmark module in bench/ (bench_*.py) on a scratch database.

The database is a fresh SQLite file unless BENCH_DATABASE_URL names another (PostgreSQL, say).
Figures are ratios against a floor measured in the same run, so they compare across machines.
The scratch directory (and its SQLite file, several GB after bench_casework) is removed at the
end unless BENCH_KEEP=1.
"""

import importlib
import os
import pkgutil
import shutil
import sys
import tempfile
from pathlib import Path


def main() -> None:
    scratch = tempfile.mkdtemp(prefix="rosc-bench-")
    try:
        run_all(scratch)
    finally:
        if os.environ.get("BENCH_KEEP"):
            print(f"\nkept {scratch}")
        else:
            shutil.rmtree(scratch, ignore_errors=True)


def run_all(scratch: str) -> None:
    os.environ["DATABASE_URL"] = os.environ.get(
        "BENCH_DATABASE_URL", f"sqlite:///{Path(scratch) / 'bench.sqlite3'}"
    )
    os.environ["ROSC_VAR_DIR"] = scratch
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    wanted = set(sys.argv[1:])
    here = Path(__file__).parent
    for info in sorted(pkgutil.iter_modules([str(here)]), key=lambda m: m.name):
        if not info.name.startswith("bench_") or (wanted and info.name not in wanted):
            continue
        module = importlib.import_module(f"bench.{info.name}")
        print(f"\n== {info.name}: {(module.__doc__ or '').strip().splitlines()[0]}")
        module.run()


if __name__ == "__main__":
    main()
