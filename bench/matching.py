"""The matching benchmark: precision@5 and recall@10 of "who could help", and its speed.

    make bench-matching                                  # the demo, then 10,000 members
    make bench-matching ARGS="--size small"              # quick: 500 members
    make bench-matching ARGS="--database-dir data/bench/full"   # a generated database

Two communities, each in its own throw-away SQLite database (nothing here
touches ``data/``):

1. **the demo** (``equitime demo``): its requests, the members who completed
   exchanges on them, and the members whose profiles match them;
2. **at scale**: 10,000 members made by the scale generator
   (``demo/generate.py``: ``--size full`` is 10,000 members, 20,000 listings
   and 40,000 exchanges; ``small`` 500 / 3,000 / 5,000), or a copy of a
   database it made already (``--database-dir``, e.g. the one ``make bench``
   keeps in ``data/bench/full``; copied with SQLite's backup, then migrated, so
   the original is never changed). Up to ``--requests`` requests (default 200)
   are sampled with a fixed seed.

How the evaluation set is made, and the metrics, are in
``equitime.matching.evaluation`` (its docstring) and ``docs/design.md``, "Who
can help". In short: the right helpers of a request are the members who gave
time on it in a completed exchange (held out: the ranking ignores exchanges on
the request itself, so the answer does not leak into its features) and the
eligible members with every skill of the request at another organisation than
the poster's. Both kinds together, and the held-out kind alone, are printed.

Times are measured in-process (no web server): ``ranking.rank_helpers`` for one
request, the queries included, after a warm-up. A benchmark prints figures; a
missed target is not a failure (exit 0).
"""

# The commands run are this venv's Python, never input.
# ruff: noqa: S603

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

SIZES = {"full": (10_000, 20_000, 40_000), "small": (500, 3_000, 5_000)}
ROOT = Path(__file__).resolve().parent.parent


def _setup(data_dir: Path) -> None:
    os.environ["EQUITIME_DATA_DIR"] = str(data_dir)
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "equitime.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def phase(args: argparse.Namespace) -> None:
    """One community, in this process: build it, evaluate, print JSON on the last line."""
    data_dir = Path(args.data_dir)
    if args.copy_from:
        source = Path(args.copy_from) / "equitime.sqlite3"
        with sqlite3.connect(source) as src, sqlite3.connect(data_dir / "equitime.sqlite3") as dst:
            src.backup(dst)
    _setup(data_dir)
    from django.core.management import call_command

    from equitime.matching.evaluation import evaluate, evaluation_set

    if args.phase == "demo":
        call_command("demo", verbosity=0)
        cases = evaluation_set()
    else:
        if not args.copy_from:
            members, listings, exchanges = SIZES[args.size]
            print(
                f"generating {members:,} members, {listings:,} listings, "
                f"{exchanges:,} exchanges ...",
                file=sys.stderr,
                flush=True,
            )
            call_command(
                "generate",
                members=members,
                listings=listings,
                exchanges=exchanges,
                verbosity=0,
            )
        cases = evaluation_set(sample=args.requests)
    report = evaluate(cases)
    label = "demo" if args.phase == "demo" else f"scale ({args.copy_from or args.size})"
    print(json.dumps({"label": label, "lines": report.lines(label)}))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=sorted(SIZES), default="full")
    parser.add_argument("--database-dir", default="", help="a generated database, copied first")
    parser.add_argument("--requests", type=int, default=200, help="requests sampled at scale")
    parser.add_argument("--skip-scale", action="store_true", help="the demo only")
    parser.add_argument("--phase", choices=("demo", "scale"), help=argparse.SUPPRESS)
    parser.add_argument("--data-dir", help=argparse.SUPPRESS)
    parser.add_argument("--copy-from", default="", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        phase(args)
        return 0
    phases = [["--phase", "demo"]]
    if not args.skip_scale:
        scale = ["--phase", "scale", "--size", args.size, "--requests", str(args.requests)]
        if args.database_dir:
            scale += ["--copy-from", str(Path(args.database_dir).resolve())]
        phases.append(scale)
    for extra in phases:
        with tempfile.TemporaryDirectory(prefix="equitime-bench-matching-") as tmp:
            done = subprocess.run(
                [sys.executable, __file__, "--data-dir", tmp, *extra],
                cwd=ROOT,
                stdout=subprocess.PIPE,
                text=True,
                check=False,
            )
            if done.returncode != 0:
                print(done.stdout)
                return done.returncode
            result = json.loads(done.stdout.strip().splitlines()[-1])
            print("\n".join(result["lines"]), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
