"""Page speed: every main page and API list under gunicorn and wrk, beside a hello world.

    make bench                           # SQLite, full size: 10,000 / 100,000 / 200,000
    make bench ARGS="--size small"       # quick: 500 members, 3,000 listings, 5,000 exchanges
    make bench ARGS="--size demo"        # the demo community only, nothing generated
    BENCH_SIZE=small make bench          # the same as --size small
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/equitime make bench      # PostgreSQL
    make bench ARGS="--database-dir /work/scale-sqlite"                      # generated already
    make bench ARGS="--database-url postgres://postgres@127.0.0.1:5432/equitime_scale"
    .venv/bin/python bench/pages.py --size small --pages browse,dashboard --json bench.json
    make bench ARGS="--code 030c545"     # the application code of that commit, today's data

One run measures, in turn: a bare Django hello world (``bench/hello.py``), every
page below, and hello again, so drift on a shared machine shows. Each runs under
the same gunicorn set-up (2 sync workers) and is driven by wrk (16 connections,
a warm-up, then a few seconds, longer for a slow page so that it completes
enough requests for a p95). Equitime runs with production settings
(``EQUITIME_ENV=production``, DEBUG off, a fresh SECRET_KEY, ALLOWED_HOSTS
127.0.0.1, static files collected into a temporary folder, the cache in Redis,
database 12 of 127.0.0.1:6379 by default, emptied first); requests carry
``X-Forwarded-Proto: https``, as a TLS proxy in front would send, since
production redirects plain HTTP. The API's rate limits
(``EQUITIME_API_RATE_PER_IP``, ``EQUITIME_API_RATE_PER_TOKEN``) are raised for
this server only: a benchmark would otherwise measure 429s.

Everything is requested as a signed-in member (but the home page, which sends a
member on to the dashboard: it is measured as a visitor sees it): pages with a
real session made for them (``force_login``; its cookie sent with every
request), the API with a read-only personal access token made by
``api_token_create`` (earlier benchmark tokens of that member are revoked
first). The session is made last, just before the servers start, and wrk keeps
it busy, so neither its idle limit (30 minutes) nor its absolute one (12 hours,
``core.middleware.SessionTimeoutMiddleware``) ends it mid-run; a request after
the run checks it. Every response that is not a 200 is counted (a redirect to
the sign-in page included), and a page that answers anything else fails the run
(exit 1) after the table.

Beside the figures, per page, the SQL queries and their time, and the whole
request's time, measured in-process (Django's test Client, no server) at demo
size and at scale.

Data:

- at scale, a database made by ``equitime generate`` once and reused: SQLite in
  ``data/bench/<size>/`` (``EQUITIME_DATA_DIR``), PostgreSQL ``<name>_bench``
  (``<name>_bench_small`` ...) on the server of ``DATABASE_URL``. Finished
  generation is marked (``generated.json``; a comment on the PostgreSQL
  database), so an interrupted one starts again. ``migrate`` runs first on
  every run, so the benchmark measures the code's current schema;
- at demo size, a throw-away database loaded with ``equitime demo`` (SQLite in a
  temporary folder; PostgreSQL ``<name>_bench_demo``, dropped afterwards);
- ``--database-dir`` / ``--database-url`` use a database already generated
  (it must hold the benchmark member); nothing is generated into it.

The targets (issue 9) are printed beside each page: p95 under 100 ms and at
least 0.15 of hello's req/s. A benchmark prints figures: a miss is not a
failure. wrk comes from Debian's ``wrk`` package; as root the script installs it.
"""

# The commands run are this venv's Python, gunicorn, wrk, git and apt-get, never input.
# ruff: noqa: S603, S607

from __future__ import annotations

import argparse
import contextlib
import fcntl
import html
import itertools
import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime, timedelta
from http.client import HTTPConnection
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "bench"
EQUITIME = [sys.executable, "-m", "equitime.cli"]

SIZES = {
    "full": (10_000, 100_000, 200_000),
    "small": (500, 3_000, 5_000),
}
BENCH_MEMBER = "bench.member@scale.equitime.org"
DEMO_MEMBER = "amina.okafor@demo.equitime.org"
TOKEN_NAME = "make bench"  # noqa: S105 - a name, not a secret

TARGET_P95_MS = 100.0
TARGET_RATIO = 0.15
WORKERS = 2
CONNECTIONS = 16
WRK_THREADS = 2
WRK_TIMEOUT = "60s"
UNLIMITED_RATE = "1000000/m"

# Printed by wrk's done(): p50 and p95 (``--latency`` has no p95), the count of
# responses that are not 200 (wrk's own count leaves out 3xx, and a redirect to
# the sign-in page is exactly what must not pass unseen) and the last such status.
WRK_SCRIPT = r"""
local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  not_ok = 0
  bad_status = 0
end

function response(status, headers, body)
  if status ~= 200 then
    not_ok = not_ok + 1
    bad_status = status
  end
end

function done(summary, latency, requests)
  local not_ok, bad_status = 0, 0
  for _, thread in ipairs(threads) do
    not_ok = not_ok + thread:get("not_ok")
    if thread:get("bad_status") ~= 0 then bad_status = thread:get("bad_status") end
  end
  local e = summary.errors
  io.write(string.format(
    'BENCH-RESULT {"requests": %d, "duration_us": %d, "p50_us": %d, "p95_us": %d, ' ..
    '"p99_us": %d, "max_us": %d, "not_ok": %d, "bad_status": %d, "connect": %d, ' ..
    '"read": %d, "write": %d, "timeout": %d}\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), latency.max, not_ok, bad_status, e.connect, e.read, e.write,
    e.timeout))
end
"""


# --- The orchestrating process ---------------------------------------------------------


@dataclass
class Target:
    """A database to run against, as the environment that selects it."""

    label: str
    env: dict[str, str]
    engine: str  # sqlite or postgresql
    member: str


@dataclass
class Run:
    """One wrk measurement."""

    rps: float = 0.0
    p50_ms: float = 0.0
    p95_ms: float = 0.0
    p99_ms: float = 0.0
    requests: int = 0
    seconds: float = 0.0
    not_ok: int = 0
    bad_status: int = 0
    timeouts: int = 0
    socket_errors: int = 0
    cpu_ms: float = 0.0  # the gunicorn workers' CPU time per request


@dataclass
class PageResult:
    key: str
    label: str
    url: str
    auth: str  # session (the member's cookie), admin (an administrator's), token (Bearer) or none
    run: Run | None = None
    ratio: float = 0.0
    error: str = ""
    sql: dict[str, dict] = field(default_factory=dict)  # "demo"/"scale" -> in-process figures


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["_prepare"]:
        return prepare_main(argv[1:])

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--size",
        default=os.environ.get("BENCH_SIZE", "full"),
        help="full (10000,100000,200000), small (500,3000,5000), demo (the demo community, "
        "nothing generated) or MEMBERS,LISTINGS,EXCHANGES. Default: $BENCH_SIZE or full",
    )
    parser.add_argument("--database-dir", help="an SQLite EQUITIME_DATA_DIR generated already")
    parser.add_argument("--database-url", help="a PostgreSQL database generated already")
    parser.add_argument("--duration", type=float, default=5, help="seconds per page (default 5)")
    parser.add_argument("--warm-up", type=float, default=2, help="seconds first (default 2)")
    parser.add_argument(
        "--min-requests",
        type=int,
        default=40,
        help="a slow page runs longer until it completes about this many (default 40)",
    )
    parser.add_argument(
        "--max-duration", type=float, default=60, help="longest run of one page (default 60 s)"
    )
    parser.add_argument(
        "--sql-runs", type=int, default=3, help="in-process requests per page (default 3)"
    )
    parser.add_argument(
        "--deep-pages",
        type=int,
        default=100,
        help="without a page count, how many 'next' links the deep page follows (default 100)",
    )
    parser.add_argument("--pages", help="only these pages (comma-separated keys, see --list)")
    parser.add_argument("--list", action="store_true", help="list the page keys and stop")
    parser.add_argument("--no-demo", action="store_true", help="skip the demo-size SQL column")
    parser.add_argument("--no-migrate", action="store_true", help="do not migrate the database")
    parser.add_argument("--json", metavar="FILE", help="also write the results as JSON")
    parser.add_argument(
        "--redis-url",
        default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/12"),
        help="the shared cache production requires (core.checks); a database number of the "
        "benchmark's own, emptied first. Default: $BENCH_REDIS_URL or redis://127.0.0.1:6379/12",
    )
    parser.add_argument(
        "--code",
        metavar="REF",
        help="measure the application code of this commit (e.g. the one before a change) "
        "against today's data; the working tree is measured otherwise",
    )
    args = parser.parse_args(argv)
    if args.list:
        for key, label in PAGE_LABELS.items():
            print(f"{key:20} {label}")
        return 0
    if args.database_dir and args.database_url:
        parser.error("give --database-dir or --database-url, not both")
    only = set(filter(None, (args.pages or "").split(",")))
    if only - set(PAGE_LABELS):
        parser.error(f"unknown pages: {', '.join(sorted(only - set(PAGE_LABELS)))} (see --list)")
    try:
        size = parse_size(args.size)
    except ValueError as error:
        parser.error(str(error))

    wrk = ensure_wrk()
    if wrk is None:
        return 2

    (ROOT / "data" / "bench").mkdir(parents=True, exist_ok=True)
    with run_lock(ROOT / "data" / "bench" / ".lock"), tempfile.TemporaryDirectory() as tmp:
        return bench(args, size, only, wrk, Path(tmp))


def parse_size(value: str) -> tuple[str, tuple[int, int, int] | None]:
    if value == "demo":
        return "demo", None
    if value in SIZES:
        return value, SIZES[value]
    parts = value.split(",")
    if len(parts) != 3 or not all(p.strip().isdecimal() for p in parts):
        raise ValueError(f"--size: full, small, demo or MEMBERS,LISTINGS,EXCHANGES, not {value!r}")
    numbers = tuple(int(p) for p in parts)
    return "m{}-l{}-e{}".format(*numbers), numbers  # type: ignore[return-value]


def ensure_wrk() -> str | None:
    wrk = shutil.which("wrk")
    if wrk:
        return wrk
    if os.geteuid() == 0:
        print("wrk is missing: apt-get install -y wrk", flush=True)
        subprocess.run(["apt-get", "install", "-y", "wrk"], check=False, stdout=subprocess.DEVNULL)
        wrk = shutil.which("wrk")
        if wrk:
            return wrk
    print(
        "make bench needs wrk (Debian's package): sudo apt-get install -y wrk",
        file=sys.stderr,
    )
    return None


@contextlib.contextmanager
def run_lock(path: Path):
    """One benchmark at a time: two on the same cores measure each other."""
    with path.open("w") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            print("Another make bench is running; waiting for it to finish ...", flush=True)
            fcntl.flock(lock, fcntl.LOCK_EX)
        yield


def shared_cache(url: str) -> str:
    """The benchmark's Redis database, emptied; a clear stop if it is not there."""
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).flushdb()
    except redis.RedisError as exc:
        raise SystemExit(
            f"make bench runs production settings, which need a shared cache: no Redis at "
            f"{url} ({exc}). Start Redis or give --redis-url."
        ) from None
    return url


def bench(args, size, only: set[str], wrk: str, tmp: Path) -> int:
    size_name, numbers = size
    started = datetime.now(UTC)
    if args.code:
        commit = git("rev-parse", "--short", f"{args.code}^{{commit}}")
        if not commit:
            raise SystemExit(f"--code: no commit {args.code!r}")
        archive = subprocess.run(
            ["git", "archive", "--format=tar", commit, "src"], cwd=ROOT, capture_output=True
        )
        (tmp / "code").mkdir()
        subprocess.run(["tar", "-x", "-C", str(tmp / "code")], input=archive.stdout, check=True)
        CODE.update(src=str(tmp / "code" / "src"), commit=commit)
    secret_key = secrets.token_urlsafe(50)
    static_root = tmp / "static"
    production = {
        "EQUITIME_ENV": "production",
        "SECRET_KEY": secret_key,
        "ALLOWED_HOSTS": "127.0.0.1",
        "EQUITIME_SITE_URL": "http://127.0.0.1",
        "STATIC_ROOT": str(static_root),
        # Production needs a cache every process shares (core.checks): Redis, as
        # the production recipe runs it.
        "REDIS_URL": shared_cache(args.redis_url),
        "EQUITIME_API_RATE_PER_IP": UNLIMITED_RATE,
        "EQUITIME_API_RATE_PER_TOKEN": UNLIMITED_RATE,
        "LOG_LEVEL": "WARNING",
    }
    server_url = args.database_url or os.environ.get("DATABASE_URL", "")

    print("Collecting static files for the production server ...", flush=True)
    manage(["collectstatic", "--no-input", "-v", "0"], env_for(sqlite_target(tmp), production))

    demo_target = None
    throwaway: list[Target] = []
    try:
        if size_name == "demo" and not (args.database_dir or args.database_url):
            scale_target = demo_database(server_url, tmp)
            throwaway.append(scale_target)
        else:
            scale_target = scale_database(args, size_name, numbers, server_url)
            if not args.no_demo:
                demo_target = demo_database(server_url, tmp)
                throwaway.append(demo_target)
        return measure_all(args, only, wrk, tmp, production, started, scale_target, demo_target)
    finally:
        for target in throwaway:
            if target.engine == "postgresql":
                drop_database(target.env["DATABASE_URL"])


def measure_all(args, only, wrk, tmp, production, started, scale_target, demo_target) -> int:
    demo = None
    if demo_target is not None:
        print("Measuring SQL per page in-process at demo size ...", flush=True)
        demo = prepare(demo_target, production, args, only, session=False)
    print(f"Measuring SQL per page in-process on {scale_target.label} ...", flush=True)
    scale = prepare(scale_target, production, args, only, session=True)

    results = [
        PageResult(key=p["key"], label=p["label"], url=p["url"], auth=p["auth"], error=p["error"])
        for p in scale["pages"]
    ]
    for result, page in zip(results, scale["pages"], strict=True):
        result.sql["scale"] = page["sql"]
        if demo:
            for other in demo["pages"]:
                if other["key"] == page["key"]:
                    result.sql["demo"] = other["sql"]

    header = describe_run(started, scale, demo, scale_target)
    print()
    print("\n".join(header), flush=True)
    print()

    headers = {"X-Forwarded-Proto": "https"}
    cookies = f"{scale['session_cookie']}={scale['session_key']}"
    if scale.get("csrf_cookie"):
        cookies += f"; {scale['csrf_cookie']}={scale['csrf_secret']}"
    page_headers = {**headers, "Cookie": cookies}
    api_headers = {**headers, "Authorization": f"Bearer {scale['token']}"}
    by_auth = {"session": page_headers, "token": api_headers, "none": headers}
    if scale.get("admin_session_key"):
        by_auth["admin"] = {
            **headers,
            "Cookie": f"{scale['session_cookie']}={scale['admin_session_key']}",
        }
        by_auth["admin-token"] = {**headers, "Authorization": f"Bearer {scale['admin_token']}"}
    script = tmp / "bench.lua"
    script.write_text(WRK_SCRIPT)

    env = env_for(scale_target, production)
    hello_port, app_port = free_port(), free_port()
    hello_log, app_log = tmp / "hello.log", tmp / "equitime.log"
    with (
        gunicorn(["hello:application", "--pythonpath", str(BENCH_DIR)], hello_port, env, hello_log),
        gunicorn(["equitime.wsgi:application"], app_port, env, app_log),
    ):
        for result in results:
            if result.error:
                continue
            status = http_status(app_port, result.url, by_auth[result.auth])
            if status != 200:
                result.error = f"answers {status} before the run"
        hello = [measure(wrk, script, hello_port, "/", headers, args, "hello world (first)")]
        for result in results:
            if result.error:
                print(f"  {result.label}: skipped, {result.error}", flush=True)
                continue
            h = by_auth[result.auth]
            result.run = measure(wrk, script, app_port, result.url, h, args, result.label)
        hello.append(measure(wrk, script, hello_port, "/", headers, args, "hello world (again)"))
        still = http_status(app_port, "/dashboard/", page_headers)
        if still != 200:
            print(f"  After the run /dashboard/ answers {still}: the session ended.", flush=True)

    header[1] += "; at end " + " ".join(f"{x:.2f}" for x in os.getloadavg())
    hello_rps = sum(h.rps for h in hello) / len(hello)
    for result in results:
        if result.run is not None:
            result.ratio = result.run.rps / hello_rps if hello_rps else 0.0
            if result.run.not_ok:
                result.error = (
                    f"{result.run.not_ok} of {result.run.requests} responses not 200 "
                    f"(e.g. {result.run.bad_status})"
                )

    print()
    print("\n".join(header))
    print()
    print("\n".join(table(results, hello, demo is not None)))
    print()
    notes = footnotes(results, hello, scale)
    print("\n".join(notes))
    failed = [r for r in results if r.error]
    if still != 200:
        print(f"\nERROR the member's session ended during the run: /dashboard/ answers {still}")
    if failed:
        print()
        for r in failed:
            print(f"ERROR {r.label} ({r.url}): {r.error}")
        tail = app_log.read_text(errors="replace").strip().splitlines()[-20:]
        if tail:
            print("Last lines of the server's log:\n  " + "\n  ".join(tail))
    if args.json:
        Path(args.json).write_text(
            json.dumps(
                {
                    "header": header,
                    "hello": [asdict(h) for h in hello],
                    "pages": [asdict(r) for r in results],
                    "scale": {k: v for k, v in scale.items() if k not in SECRETS},
                    "demo": {k: v for k, v in (demo or {}).items() if k not in SECRETS},
                    "targets": {"p95_ms": TARGET_P95_MS, "ratio": TARGET_RATIO},
                },
                indent=2,
            )
        )
        print(f"\nResults written to {args.json}")
    return 1 if failed or still != 200 else 0


SECRETS = {"token", "session_key", "csrf_secret", "admin_token", "admin_session_key"}


# --code REF: the application code of another commit, unpacked into a temporary
# folder that comes first on the path; the benchmark itself and the generator
# stay this checkout's.
CODE: dict[str, str] = {}


def env_for(target: Target, extra: dict[str, str], this_code: bool = False) -> dict[str, str]:
    env = dict(os.environ)
    for name in ("DATABASE_URL", "EQUITIME_DATA_DIR", "DJANGO_SETTINGS_MODULE"):
        env.pop(name, None)
    env.update(target.env)
    env.update(extra)
    if CODE and not this_code:
        env["PYTHONPATH"] = CODE["src"] + os.pathsep + env.get("PYTHONPATH", "")
    return env


def development(target: Target, this_code: bool = False) -> dict[str, str]:
    """For migrate, demo and generate: development settings (the demo refuses
    production), but DEBUG off so that no query log grows in memory."""
    extra = {"EQUITIME_ENV": "development", "EQUITIME_DEBUG": "0"}
    return env_for(target, extra, this_code)


def manage(command: list[str], env: dict[str, str], quiet: bool = False) -> None:
    out = subprocess.DEVNULL if quiet else None
    proc = subprocess.run([*EQUITIME, *command], env=env, cwd=ROOT, check=False, stdout=out)
    if proc.returncode != 0:
        raise SystemExit(f"equitime {' '.join(command)} failed (exit {proc.returncode}).")


def sqlite_target(directory: Path, member: str = DEMO_MEMBER) -> Target:
    return Target(
        label=f"SQLite {directory}",
        env={"EQUITIME_DATA_DIR": str(directory)},
        engine="sqlite",
        member=member,
    )


def postgres_target(url: str, member: str = DEMO_MEMBER) -> Target:
    parts = urllib.parse.urlsplit(url)
    return Target(
        label=f"PostgreSQL {parts.hostname}:{parts.port or 5432}{parts.path}",
        env={"DATABASE_URL": url},
        engine="postgresql",
        member=member,
    )


def with_database(url: str, name: str) -> str:
    return urllib.parse.urlsplit(url)._replace(path="/" + name).geturl()


def database_name(url: str) -> str:
    return urllib.parse.urlsplit(url).path.lstrip("/")


def admin_connection(url: str):
    import psycopg

    return psycopg.connect(with_database(url, "postgres"), autocommit=True)


def database_comment(url: str) -> str | None:
    """None if the database does not exist, else its comment ('' if none)."""
    with admin_connection(url) as conn:
        row = conn.execute(
            "SELECT coalesce(shobj_description(oid, 'pg_database'), '') "
            "FROM pg_database WHERE datname = %s",
            [database_name(url)],
        ).fetchone()
    return None if row is None else row[0]


def create_database(url: str) -> None:
    from psycopg import sql

    with admin_connection(url) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database_name(url))))


def drop_database(url: str) -> None:
    from psycopg import sql

    with admin_connection(url) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                sql.Identifier(database_name(url))
            )
        )


def demo_database(server_url: str, tmp: Path) -> Target:
    """A throw-away database with the demo community in it."""
    if server_url:
        url = with_database(server_url, database_name(server_url) + "_bench_demo")
        drop_database(url)
        create_database(url)
        target = postgres_target(url)
    else:
        (tmp / "demo").mkdir()
        target = sqlite_target(tmp / "demo")
    target.label += " (demo community)"
    print(f"Loading the demo community into {target.label} ...", flush=True)
    manage(["migrate", "--no-input", "-v", "0"], development(target))
    manage(["demo"], development(target), quiet=True)
    return target


def scale_database(args, size_name: str, numbers, server_url: str) -> Target:
    if args.database_dir:
        target = sqlite_target(Path(args.database_dir).resolve(), BENCH_MEMBER)
    elif args.database_url:
        target = postgres_target(args.database_url, BENCH_MEMBER)
    else:
        target = None
    if target is not None:
        if not args.no_migrate:
            print(f"Migrating {target.label} ...", flush=True)
            manage(["migrate", "--no-input", "-v", "0"], development(target))
        target.label += " (given)"
        return target

    if not (ROOT / "src/equitime/demo/management/commands/generate.py").exists():
        print(
            "No scale data generator (equitime generate) in this checkout yet: "
            "run with --size demo, or --database-dir/--database-url.",
            file=sys.stderr,
        )
        raise SystemExit(2)
    members, listings, exchanges = numbers
    generate = [
        "generate",
        "--members",
        str(members),
        "--listings",
        str(listings),
        "--exchanges",
        str(exchanges),
    ]
    stamp = f"equitime bench: generated {members}/{listings}/{exchanges}"
    if server_url:
        suffix = "_bench" if size_name == "full" else f"_bench_{size_name.replace('-', '_')}"
        url = with_database(server_url, database_name(server_url) + suffix)
        target = postgres_target(url, BENCH_MEMBER)
        comment = database_comment(url)
        fresh = comment is None or not comment.startswith(stamp)
        if fresh:
            if comment is not None:
                print(f"{target.label} is incomplete: making it again.", flush=True)
                drop_database(url)
            create_database(url)
    else:
        directory = ROOT / "data" / "bench" / size_name
        marker = directory / "generated.json"
        target = sqlite_target(directory, BENCH_MEMBER)
        fresh = not marker.exists()
        if fresh:
            if directory.exists():
                print(f"{target.label} is incomplete: making it again.", flush=True)
                shutil.rmtree(directory)
            directory.mkdir(parents=True)
    if fresh:
        print(
            f"Generating {members} members, {listings} listings, {exchanges} exchanges into "
            f"{target.label} (once; later runs reuse it) ...",
            flush=True,
        )
        manage(["migrate", "--no-input", "-v", "0"], development(target, this_code=True))
        began = time.monotonic()
        manage(generate, development(target, this_code=True))
        minutes = (time.monotonic() - began) / 60
        done = f"{stamp} in {minutes:.1f} min on {datetime.now(UTC):%Y-%m-%d}"
        if target.engine == "postgresql":
            from psycopg import sql

            with admin_connection(url) as conn:
                conn.execute(
                    sql.SQL("COMMENT ON DATABASE {} IS {}").format(
                        sql.Identifier(database_name(url)), sql.Literal(done)
                    )
                )
        else:
            marker.write_text(json.dumps({"generated": done}) + "\n")
    elif not args.no_migrate:
        print(f"Migrating {target.label} ...", flush=True)
        manage(["migrate", "--no-input", "-v", "0"], development(target))
    return target


def prepare(target: Target, production: dict, args, only: set[str], session: bool) -> dict:
    """The in-process part, in a child process with the target's settings."""
    command = [
        sys.executable,
        str(Path(__file__).resolve()),
        "_prepare",
        "--member",
        target.member,
        "--sql-runs",
        str(args.sql_runs),
        "--deep-pages",
        str(args.deep_pages),
    ]
    if only:
        command += ["--pages", ",".join(sorted(only))]
    if session:
        command.append("--session")
    proc = subprocess.run(
        command, env=env_for(target, production), cwd=ROOT, capture_output=True, text=True
    )
    if proc.returncode != 0:
        sys.stderr.write(proc.stderr)
        raise SystemExit(f"Preparing {target.label} failed (above).")
    sys.stderr.write(proc.stderr)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def gunicorn(app: list[str], port: int, env: dict[str, str], log: Path):
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        *app,
        "--workers",
        str(WORKERS),
        "--worker-class",
        "sync",
        "--bind",
        f"127.0.0.1:{port}",
        # A page can take seconds at scale before the fixes; don't kill the worker.
        "--timeout",
        "300",
        "--log-level",
        "warning",
    ]
    with log.open("w") as out:
        proc = subprocess.Popen(command, env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 120
        while http_status(port, "/bench-probe/", {}, timeout=5) is None:
            if proc.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"gunicorn did not start:\n{log.read_text()[-3000:]}")
            time.sleep(0.2)
        MASTERS[port] = proc.pid
        yield proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


# gunicorn's master process by port, to read its workers' CPU time.
MASTERS: dict[int, int] = {}


def workers_cpu_seconds(port: int) -> float:
    """CPU time used so far by the workers of the gunicorn on ``port``: what a
    request costs, whatever else the machine is doing meanwhile."""
    master = MASTERS.get(port)
    if master is None:
        return 0.0
    try:
        children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    except OSError:
        return 0.0
    ticks = 0
    for pid in children:
        with contextlib.suppress(OSError):
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            ticks += int(fields[11]) + int(fields[12])  # utime, stime
    return ticks / os.sysconf("SC_CLK_TCK")


def http_status(port: int, url: str, headers: dict[str, str], timeout: float = 300) -> int | None:
    try:
        conn = HTTPConnection("127.0.0.1", port, timeout=timeout)
        conn.request("GET", url, headers=headers)
        response = conn.getresponse()
        response.read()
        conn.close()
        return response.status
    except OSError:
        return None


def drain(port: int) -> None:
    """Wait until the server has finished what wrk left behind.

    wrk stops on time with up to 16 requests still queued; sync workers go on
    to serve them to closed sockets, which would slow the next measurement.
    The listen queue is first come, first served, so two probes sent together
    are answered only after everything queued before them has been taken up;
    once a pair comes back at once (a 404 takes milliseconds; 0.25 s leaves
    room for a machine under load), nothing was waiting."""
    deadline = time.monotonic() + 300

    def probe(times: list[float]) -> None:
        began = time.monotonic()
        http_status(port, "/bench-probe/", {"X-Forwarded-Proto": "https"})
        times.append(time.monotonic() - began)

    while time.monotonic() < deadline:
        times: list[float] = []
        probes = [threading.Thread(target=probe, args=(times,)) for _ in range(WORKERS)]
        for p in probes:
            p.start()
        for p in probes:
            p.join()
        if max(times) < 0.25:
            return
    print("  (the server was still busy after 5 minutes)", flush=True)


def wrk_run(wrk: str, script: Path, port: int, url: str, headers, seconds: float) -> Run:
    command = [
        wrk,
        "--threads",
        str(WRK_THREADS),
        "--connections",
        str(CONNECTIONS),
        "--duration",
        f"{max(1, round(seconds))}s",
        "--timeout",
        WRK_TIMEOUT,
        "--script",
        str(script),
    ]
    for name, value in headers.items():
        command += ["--header", f"{name}: {value}"]
    command.append(f"http://127.0.0.1:{port}{url}")
    cpu_before = workers_cpu_seconds(port)
    proc = subprocess.run(command, capture_output=True, text=True)
    cpu = workers_cpu_seconds(port) - cpu_before
    line = next(
        (x for x in proc.stdout.splitlines() if x.startswith("BENCH-RESULT ")),
        None,
    )
    drain(port)
    if line is None:
        raise SystemExit(f"wrk failed on {url}:\n{proc.stdout}\n{proc.stderr}")
    r = json.loads(line.removeprefix("BENCH-RESULT "))
    secs = r["duration_us"] / 1e6
    return Run(
        rps=r["requests"] / secs if secs else 0.0,
        p50_ms=r["p50_us"] / 1000,
        p95_ms=r["p95_us"] / 1000,
        p99_ms=r["p99_us"] / 1000,
        requests=r["requests"],
        seconds=secs,
        not_ok=r["not_ok"],
        bad_status=r["bad_status"],
        timeouts=r["timeout"],
        socket_errors=r["connect"] + r["read"] + r["write"],
        cpu_ms=cpu * 1000 / r["requests"] if r["requests"] else 0.0,
    )


def measure(wrk: str, script: Path, port: int, url: str, headers, args, label: str) -> Run:
    warm = wrk_run(wrk, script, port, url, headers, args.warm_up)
    seconds = args.duration
    if warm.rps and warm.rps * seconds < args.min_requests:
        seconds = args.min_requests / warm.rps
    elif not warm.rps:
        seconds = args.max_duration
    seconds = min(max(seconds, args.duration), args.max_duration)
    run = wrk_run(wrk, script, port, url, headers, seconds)
    print(
        f"  {label:45} {run.rps:8.1f} req/s  p50 {fmt_ms(run.p50_ms):>7}  "
        f"p95 {fmt_ms(run.p95_ms):>7}  CPU/req {fmt_ms(run.cpu_ms):>7}  "
        f"({run.requests} in {run.seconds:.0f} s)",
        flush=True,
    )
    return run


def fmt_ms(ms: float) -> str:
    if ms >= 1000:
        return f"{ms / 1000:.2f} s"
    return f"{ms:.1f} ms" if ms < 100 else f"{ms:.0f} ms"


def fmt_rate(rps: float) -> str:
    return f"{rps:.1f}" if rps < 100 else f"{rps:.0f}"


def fmt_sql(sql: dict | None) -> str:
    if not sql:
        return ""
    if sql.get("status") != 200:
        return f"status {sql.get('status')}"
    return f"{sql['queries']} q, {sql['sql_ms']:.1f} ms"


def describe_run(started: datetime, scale: dict, demo: dict | None, target: Target) -> list[str]:
    if CODE:
        commit = CODE["commit"] + " (--code: the application code of that commit)"
        dirty = ""
    else:
        commit = git("rev-parse", "--short", "HEAD")
        dirty = git("status", "--porcelain", "--untracked-files=no")
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        "",
    )
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    lines = [
        f"Equitime page benchmark, {started:%Y-%m-%d %H:%M} UTC, commit {commit}"
        + (" (with uncommitted changes)" if dirty else ""),
        f"Machine: {os.cpu_count()} cores ({cpu}); load average at start {load}",
        f"Database: {scale['database']} -- {target.label}",
        "Data: " + counts(scale["counts"]) + f"; benchmark member {scale['member']}",
    ]
    if demo:
        lines.append("Demo-size SQL column: " + counts(demo["counts"]))
    lines.append(
        f"Server: gunicorn, {WORKERS} sync workers, production settings; "
        f"wrk {CONNECTIONS} connections, {WRK_THREADS} threads; API rate limits raised "
        f"to {UNLIMITED_RATE} for this run"
    )
    words = scale["words"]
    lines.append(
        f"Search words: common {words['common']!r}, the most frequent title word; rare "
        f"{words['rare']!r}, the rarest word (in 3 or more, no prefix of another) of titles "
        f"and descriptions; in {words['common_in']:,} and {words['rare_in']:,} open listings' "
        "titles or descriptions"
    )
    rebuilt = scale.get("links_rebuild")
    if rebuilt:
        cold = scale.get("network_cold") or {}
        lines.append(
            f"Collaboration network: links rebuilt from {rebuilt['exchanges']:,} completed "
            f"exchanges into {rebuilt['rows']:,} rows in {rebuilt['seconds']:.2f} s, the default "
            f"period measured in {rebuilt['warm_seconds']:.2f} s; a period read first: "
            + (fmt_sql(cold) if cold else "-")
        )
    return lines


def counts(c: dict) -> str:
    return ", ".join(f"{v:,} {k}" for k, v in c.items())


def git(*command: str) -> str:
    proc = subprocess.run(["git", *command], cwd=ROOT, capture_output=True, text=True)
    return proc.stdout.strip()


def table(results: list[PageResult], hello: list[Run], has_demo: bool):
    sql_columns = ["SQL (in-process)", "request (in-process)"]
    if has_demo:
        sql_columns = ["SQL at demo size", "SQL at scale", "request at scale (in-process)"]
    columns = ["page", "req/s", "p50", "p95", "ratio", "CPU/req", "p95 < 100 ms", "ratio ≥ 0.15"]
    lines = [
        "| " + " | ".join(columns + sql_columns) + " |",
        "|"
        + "|".join([" --- "] + [" ---: "] * 5 + [" --- "] * 2 + [" ---: "] * len(sql_columns))
        + "|",
    ]
    for name, run in zip(("hello world (first)", "hello world (again)"), hello, strict=True):
        cells = [name, fmt_rate(run.rps), fmt_ms(run.p50_ms), fmt_ms(run.p95_ms), ""]
        cells += [fmt_ms(run.cpu_ms), "", ""]
        lines.append("| " + " | ".join(cells + [""] * len(sql_columns)) + " |")
    for r in results:
        scale_sql = r.sql.get("scale")
        sql = [fmt_sql(scale_sql), fmt_ms(scale_sql["total_ms"]) if scale_sql else ""]
        if has_demo:
            sql = [fmt_sql(r.sql.get("demo")), *sql]
        if r.run is None:
            cells = [r.label, "ERROR", r.error, "", "", "", "", ""]
        else:
            run = r.run
            p95_ok = "ok" if run.p95_ms < TARGET_P95_MS and run.requests else "MISS"
            ratio_ok = "ok" if r.ratio >= TARGET_RATIO else "MISS"
            if r.error:
                p95_ok = ratio_ok = "ERROR"
            cells = [
                r.label,
                fmt_rate(run.rps),
                fmt_ms(run.p50_ms),
                fmt_ms(run.p95_ms),
                f"{r.ratio:.3f}",
                fmt_ms(run.cpu_ms),
                p95_ok,
                ratio_ok,
            ]
        lines.append("| " + " | ".join(cells + sql) + " |")
    return lines


def footnotes(results: list[PageResult], hello: list[Run], scale: dict) -> list[str]:
    mean = sum(h.rps for h in hello) / len(hello)
    drift = abs(hello[0].rps - hello[1].rps) / mean * 100 if mean else 0.0
    measured = [r for r in results if r.run is not None and not r.error]
    both = sum(
        1
        for r in measured
        if r.run.p95_ms < TARGET_P95_MS and r.run.requests and r.ratio >= TARGET_RATIO
    )
    notes = [
        f"ratio: the page's req/s over hello's mean ({fmt_rate(mean)} req/s; the two hello "
        f"runs differ by {drift:.0f}%). SQL: queries and their time for one request, "
        "median of the in-process runs; request: the whole request in-process, no server. "
        "CPU/req: the gunicorn workers' CPU time per request (not a database server's), "
        "which other load on the machine does not change.",
        f"Targets met (p95 < {TARGET_P95_MS:.0f} ms and ratio ≥ {TARGET_RATIO}): "
        f"{both} of {len(results)} pages.",
        "URLs: " + "; ".join(f"{r.key} {r.url}" for r in results),
    ]
    rebuilt = scale.get("impact_rebuild")
    if rebuilt:
        notes.append(
            f"Impact figures rebuilt before the run (the daily job, impact.aggregates): "
            f"{rebuilt['exchanges']:,} completed exchanges into {rebuilt['rows']:,} monthly "
            f"rows in {rebuilt['seconds']:.1f} s."
        )
    slow = [r for r in measured if r.run.timeouts or r.run.socket_errors]
    for r in slow:
        notes.append(
            f"{r.label}: {r.run.timeouts} requests over wrk's {WRK_TIMEOUT} timeout "
            f"(not in the latencies), {r.run.socket_errors} socket errors"
        )
    return notes


# --- The in-process part (a child process with the target's settings) ------------------

PAGE_LABELS = {
    "browse": "/listings/ first page",
    "search-common": "search, a common word",
    "search-rare": "search, a rare word",
    "browse-filters": "browse with 2 filters",
    "browse-deep": "deep page of browse",
    "members": "/members/",
    "dashboard": "/dashboard/",
    "exchanges": "/exchanges/ (my exchanges)",
    "exchange": "one exchange of mine",
    "notifications": "/notifications/",
    "profile": "another member's profile",
    "home": "home page / (signed out: a member is sent on to /dashboard/)",
    "api-listings": "API /api/v1/listings",
    "api-search": "API /api/v1/listings?q= common word",
    "api-exchanges": "API /api/v1/exchanges",
    "api-transfers": "API /api/v1/transfers",
    "api-notifications": "API /api/v1/notifications",
    "api-members": "API /api/v1/members",
    "impact-dashboard": "/impact/dashboard/ (an administrator, whole community, last 12 months)",
    "impact-public": "/impact/ public impact page (signed out)",
    "impact-network": "/impact/network/ (community administrator; cached measures)",
    "api-impact-network": "API /api/v1/impact/network (community administrator)",
}
# Pages read as a community administrator (``impact_reader``), not as the bench member.
ADMIN_PAGES = {"impact-dashboard", "impact-network", "api-impact-network"}

# Words too common in any English title to say anything about search.
STOP_WORDS = {
    *("a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "from", "how", "in"),
    *("into", "is", "it", "of", "on", "or", "our", "the", "this", "to", "with", "your"),
    *("you", "we", "can", "need", "help", "using", "use", "via", "new", "who", "what", "why"),
}


def prepare_main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="pages.py _prepare")
    parser.add_argument("--member", required=True)
    parser.add_argument("--sql-runs", type=int, default=3)
    parser.add_argument("--deep-pages", type=int, default=100)
    parser.add_argument("--pages", default="")
    parser.add_argument("--session", action="store_true")
    args = parser.parse_args(argv)
    only = set(filter(None, args.pages.split(",")))

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "equitime.settings")
    import django

    django.setup()

    from django.conf import settings
    from django.db import connection
    from django.db.models import Count, Q
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from equitime.api.models import ApiToken
    from equitime.api.services import api_token_create, api_token_revoke
    from equitime.exchanges.models import Exchange
    from equitime.ledger.models import Transfer
    from equitime.listings.models import Listing
    from equitime.members.models import Member
    from equitime.skills.models import SkillCategory

    try:
        from equitime.notifications.models import Notification
    except ModuleNotFoundError:  # --code before the community app was split (issue 11)
        from equitime.community.models import Notification  # type: ignore[import-not-found,no-redef]

    member = Member.objects.filter(email__iexact=args.member).first()
    if member is None:
        print(f"No member {args.member} in this database.", file=sys.stderr)
        return 1

    for old in ApiToken.objects.filter(member=member, name=TOKEN_NAME, revoked_at__isnull=True):
        api_token_revoke(token=old, member=member)
    _token, token = api_token_create(
        member=member,
        name=TOKEN_NAME,
        read_only=True,
        expires_at=timezone.now() + timedelta(days=1),
    )

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
            database = f"PostgreSQL {cursor.fetchone()[0].split()[0]}"
        else:
            cursor.execute("SELECT sqlite_version()")
            database = f"SQLite {cursor.fetchone()[0]}"

    open_listings = Listing.objects.filter(status=Listing.Status.OPEN)
    info: dict = {
        "database": database,
        "member": member.email,
        "counts": {
            "members": Member.objects.count(),
            "listings": Listing.objects.count(),
            "open listings": open_listings.count(),
            "exchanges": Exchange.objects.count(),
            "transfers": Transfer.objects.count(),
            "notifications": Notification.objects.count(),
            "member's exchanges": Exchange.objects.filter(
                Q(provider=member) | Q(receiver=member)
            ).count(),
        },
    }

    browser = Client(HTTP_HOST="127.0.0.1", HTTP_X_FORWARDED_PROTO="https")
    browser.force_login(member)
    visitor = Client(HTTP_HOST="127.0.0.1", HTTP_X_FORWARDED_PROTO="https")
    api = Client(
        HTTP_HOST="127.0.0.1",
        HTTP_X_FORWARDED_PROTO="https",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )

    # The impact figures are rebuilt as the daily job does (issue 15), timed; and an
    # administrator (the community's, or a generated member made one) reads the dashboard.
    admin_browser = Client(HTTP_HOST="127.0.0.1", HTTP_X_FORWARDED_PROTO="https")
    admin = None
    try:
        from equitime.impact.aggregates import aggregates_rebuild
    except ModuleNotFoundError:  # --code before the impact figures
        impact = False
    else:
        impact = True
        rebuilt = aggregates_rebuild(now=timezone.now())
        info["impact_rebuild"] = {
            "seconds": rebuilt.seconds,
            "exchanges": rebuilt.exchanges,
            "rows": rebuilt.rows,
        }
        print(f"  impact figures: {rebuilt.line()}", file=sys.stderr, flush=True)
        admin = impact_reader()
        admin_browser.force_login(admin)
        info["admin"] = admin.email

    words = search_words(open_listings.values_list("title", "description").iterator())
    info["words"] = words
    common, rare = words["common"], words["rare"]

    category = (
        SkillCategory.objects.annotate(
            n=Count("skills__listings", filter=Q(skills__listings__status=Listing.Status.OPEN))
        )
        .order_by("-n", "slug")
        .first()
    )
    slug = category.slug if category else ""
    filters = urllib.parse.urlencode({"kind": "offer", "category": slug})
    exchange = (
        Exchange.objects.filter(Q(provider=member) | Q(receiver=member)).order_by("-pk").first()
    )
    other = None
    if exchange is not None:
        other = exchange.receiver_id if exchange.provider_id == member.pk else exchange.provider_id
    else:
        other = Member.objects.exclude(pk=member.pk).filter(is_active=True).order_by("pk").first()
        other = other.pk if other else None

    q = urllib.parse.quote
    urls = {
        "browse": "/listings/",
        "search-common": f"/listings/?q={q(common)}",
        "search-rare": f"/listings/?q={q(rare)}",
        "browse-filters": f"/listings/?{filters}",
        "browse-deep": "",
        "members": "/members/",
        "dashboard": "/dashboard/",
        "exchanges": "/exchanges/",
        "exchange": f"/exchanges/{exchange.pk}/" if exchange else "",
        "notifications": "/notifications/",
        "profile": f"/members/{other}/" if other else "",
        "home": "/",
        "api-listings": "/api/v1/listings",
        "api-search": f"/api/v1/listings?q={q(common)}",
        "api-exchanges": "/api/v1/exchanges",
        "api-transfers": "/api/v1/transfers",
        "api-notifications": "/api/v1/notifications",
        "api-members": "/api/v1/members",
        "impact-dashboard": "/impact/dashboard/" if impact else "",
        "impact-public": "/impact/" if impact else "",
        "impact-network": "/impact/network/",
        "api-impact-network": "/api/v1/impact/network",
    }
    labels = dict(PAGE_LABELS)
    labels["search-common"] += f" “{common}”"
    labels["search-rare"] += f" “{rare}”"
    labels["browse-filters"] += f" (kind=offer, category={slug or '-'})"
    labels["api-search"] = f"API /api/v1/listings?q={common}"
    if not only or "browse-deep" in only:
        urls["browse-deep"], how = deep_page(browser, args.deep_pages)
        labels["browse-deep"] += f" ({how})"

    admin_api = None
    if not only or only & ADMIN_PAGES:
        # The collaboration network reads the links table, rebuilt daily by the
        # impact job: rebuilt here so that it holds this database's exchanges.
        from equitime.impact.links import links_rebuild

        rebuilt = links_rebuild(now=timezone.now())
        info["links_rebuild"] = asdict(rebuilt)
        print(
            f"  links rebuilt: {rebuilt.exchanges} exchanges read, {rebuilt.rows} rows in "
            f"{rebuilt.seconds:.2f} s; default period measured in {rebuilt.warm_seconds:.2f} s",
            file=sys.stderr,
            flush=True,
        )
        admin = reader = impact_reader()
        admin_browser.force_login(reader)
        for old in ApiToken.objects.filter(member=reader, name=TOKEN_NAME, revoked_at__isnull=True):
            api_token_revoke(token=old, member=reader)
        _admin_token, admin_secret = api_token_create(
            member=reader,
            name=TOKEN_NAME,
            read_only=True,
            expires_at=timezone.now() + timedelta(days=1),
        )
        admin_api = Client(
            HTTP_HOST="127.0.0.1",
            HTTP_X_FORWARDED_PROTO="https",
            HTTP_AUTHORIZATION=f"Bearer {admin_secret}",
        )
        info["admin_token"] = admin_secret
        # The page for a period nobody has read since the rebuild: the measures
        # are computed in the request (the default period was measured by the rebuild).
        cold = []
        for run in range(max(1, args.sql_runs)):
            timer = QueryTimer()
            with connection.execute_wrapper(timer.reset()):
                began = time.perf_counter()
                status = admin_browser.get(cold_network_url(run)).status_code
                cold.append((time.perf_counter() - began, timer.queries, timer.seconds, status))
        cold.sort()
        total_s, queries, sql_s, status = cold[len(cold) // 2]
        info["network_cold"] = {
            "status": status,
            "queries": queries,
            "sql_ms": sql_s * 1000,
            "total_ms": total_s * 1000,
        }
        print(
            f"  {'/impact/network/ a period read first':45} {fmt_sql(info['network_cold'])}",
            file=sys.stderr,
            flush=True,
        )

    timer = QueryTimer()
    pages = []
    for key, url in urls.items():
        if only and key not in only:
            continue
        if url.startswith("/api/"):
            auth = "admin-token" if key in ADMIN_PAGES else "token"
        elif key in ("home", "impact-public"):
            auth = "none"
        elif key in ADMIN_PAGES:
            auth = "admin"
        else:
            auth = "session"
        page = {"key": key, "label": labels[key], "url": url, "auth": auth, "error": "", "sql": {}}
        pages.append(page)
        if not url:
            page["error"] = "nothing to show: the member has no exchanges"
            continue
        client = {
            "token": api,
            "session": browser,
            "none": visitor,
            "admin": admin_browser,
            "admin-token": admin_api,
        }[auth]
        runs = []
        for _ in range(1 + args.sql_runs):  # the first one warms up
            with connection.execute_wrapper(timer.reset()):
                began = time.perf_counter()
                response = client.get(url)
                total = time.perf_counter() - began
            runs.append((timer.seconds, total, timer.queries))
            if response.status_code != 200:
                page["error"] = f"answers {response.status_code} in-process"
                break
        runs = sorted(runs[1:] or runs)
        sql_s, _, queries = runs[len(runs) // 2]
        page["sql"] = {
            "status": response.status_code,
            "queries": queries,
            "sql_ms": sql_s * 1000,
            "total_ms": sorted(r[1] for r in runs)[len(runs) // 2] * 1000,
        }
        print(f"  {labels[key]:45} {fmt_sql(page['sql'])}", file=sys.stderr, flush=True)
    info["pages"] = pages
    info["token"] = token

    if args.session:
        # Last, so that the session's idle clock starts just before wrk uses it.
        wrk_client = Client(HTTP_HOST="127.0.0.1", HTTP_X_FORWARDED_PROTO="https")
        wrk_client.force_login(member)
        info["session_cookie"] = settings.SESSION_COOKIE_NAME
        info["session_key"] = wrk_client.cookies[settings.SESSION_COOKIE_NAME].value
        # A browser holds the CSRF cookie from its first page with a form, and
        # sends it with every request after; so does wrk.
        wrk_client.get(reverse("profile_edit"))
        info["csrf_cookie"] = settings.CSRF_COOKIE_NAME
        info["csrf_secret"] = wrk_client.cookies[settings.CSRF_COOKIE_NAME].value
        if admin is not None:
            admin_client = Client(HTTP_HOST="127.0.0.1", HTTP_X_FORWARDED_PROTO="https")
            admin_client.force_login(admin)
            info["admin_session_key"] = admin_client.cookies[settings.SESSION_COOKIE_NAME].value
    print(json.dumps(info))
    return 0


def cold_network_url(run: int) -> str:
    """A period no request has read since the rebuild (which measured the last
    twelve months): the last eleven months, then ten, and so on."""
    from equitime.impact.filters import month_add, this_month

    first = month_add(this_month(), -10 + run)
    return f"/impact/network/?first={first:%Y-%m}"


def impact_reader():
    """A community administrator to read the impact pages as: the demo's
    administrator, or else the first generated moderator, given the role."""
    from equitime.members import roles
    from equitime.members.models import Member
    from equitime.members.services import member_role_grant

    found = (
        Member.objects.filter(groups__name=roles.GROUP_NAMES[roles.COMMUNITY_ADMIN], is_active=True)
        .order_by("pk")
        .first()
    )
    if found is None:
        moderator = (
            Member.objects.filter(groups__name=roles.GROUP_NAMES[roles.MODERATOR], is_active=True)
            .order_by("pk")
            .first()
        )
        if moderator is None:
            raise SystemExit("No member to read the impact pages as.")
        found = member_role_grant(member=moderator, role=roles.COMMUNITY_ADMIN, by=None)
    return Member.objects.get(pk=found.pk)


class QueryTimer:
    """Counts the queries of one request and adds up their time (Django's own
    query log keeps milliseconds to three places, too coarse for small queries)."""

    def reset(self):
        self.queries = 0
        self.seconds = 0.0
        return self

    def __call__(self, execute, sql, params, many, context):
        began = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - began
            self.queries += 1


def search_words(rows) -> dict:
    """The most frequent word of open listings' titles, and the rarest word of
    their titles and descriptions that is in at least 3 listings and does not
    start another word (search matches prefixes), each with how many open
    listings hold it. ``rows``: (title, description) pairs."""
    from collections import Counter

    def words_of(text: str) -> set[str]:
        return {w for w in re.findall(r"[^\W\d_]+", text.lower()) if len(w) >= 4}

    titles: Counter[str] = Counter()
    text: Counter[str] = Counter()
    for title, description in rows:
        in_title = words_of(title)
        titles.update(in_title)
        text.update(in_title | words_of(description))
    for stop in STOP_WORDS:
        titles.pop(stop, None)
    if not titles:
        return {"common": "care", "common_in": 0, "rare": "zzzz", "rare_in": 0}
    common = titles.most_common(1)[0][0]
    vocabulary = sorted(text)
    ends = {w for w, nxt in itertools.pairwise(vocabulary) if nxt.startswith(w)}
    rare = min(
        (w for w in text if w not in ends and text[w] >= 3),
        key=lambda w: (text[w], w),
        default=common,
    )
    return {"common": common, "common_in": text[common], "rare": rare, "rare_in": text[rare]}


def deep_page(client, steps: int) -> tuple[str, str]:
    """The URL of a deep page of browse, read from the page itself: the last
    page when the page says how many there are ("Page 1 of 4,020"), else the
    page ``steps`` 'next' links in (past the numbered pages, by cursor)."""
    url = "/listings/"
    body = client.get(url).content.decode()
    next_url = next_link(url, body)
    if next_url is None:
        return url, "one page only"
    total = re.search(r"Page\s+\d+\s+of\s+([\d,]+)", body)
    if "cursor=" not in next_url and total:
        last = int(total.group(1).replace(",", ""))
        return f"/listings/?page={last}", f"page {last:,}, the last"
    followed = by_cursor = 0
    while next_url is not None and followed < steps:
        url = next_url
        followed += 1
        by_cursor += "cursor=" in url
        next_url = next_link(url, client.get(url).content.decode())
    how = f"{followed} 'next' links in" + (f", {by_cursor} by cursor" if by_cursor else "")
    return url, how + ("" if next_url else ", the last")


def next_link(base: str, body: str) -> str | None:
    for tag in re.findall(r"<a\b[^>]*>", body):
        if re.search(r"""\brel=["']?next\b""", tag):
            href = re.search(r"""\bhref=["']([^"']*)["']""", tag)
            if href:
                return urllib.parse.urljoin(base, html.unescape(href.group(1)))
    return None


if __name__ == "__main__":
    sys.exit(main())
