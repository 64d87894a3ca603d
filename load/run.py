"""`make load`: Equitime on two web processes and a worker behind nginx, under
a mixed load, with the ledger verified afterwards.

From scratch, in a temporary folder: a new PostgreSQL database (``equitime_load``
on the local server, dropped and created again), migrated, with the demo and
``--members`` members made through the services (``load/seed.py``); a Redis
database number of its own, flushed; two gunicorn web processes on two ports;
one ``equitime worker``; nginx in front of both on 127.0.0.1 (installed from
Debian's packages if missing, when run as root). Then locust, headless, drives
``--writes`` writes/s and ``--reads`` reads/s for ``--duration`` seconds
(``load/locustfile.py``).

Afterwards: ``equitime verify_ledger`` must pass; every periodic job must have
run exactly once in each of its periods that the run covered; and the figures
are printed: latency percentiles, requests, achieved reads/s and writes/s,
refusals (409, 422) apart from errors. Exits non-zero if p95 > 300 ms,
p99 > 1 s, any 5xx or failed connection, the ledger or the periodic runs fail.
Everything started is stopped at the end, whatever happens.

The load environment raises the API's rate limits through their settings
(``EQUITIME_API_RATE_*``): every simulated member comes through one proxy from
one address, and 50 writes/s is far above what one member may do.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOAD = ROOT / "load"
BIN = ROOT / ".venv" / "bin"

TARGET_P95_MS = 300
TARGET_P99_MS = 1000
REFUSALS = {409, 422}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=int, default=int(os.environ.get("DURATION", "600")))
    parser.add_argument("--writes", type=float, default=50, help="writes per second")
    parser.add_argument("--reads", type=float, default=200, help="reads per second")
    parser.add_argument("--members", type=int, default=300)
    parser.add_argument("--web-workers", type=int, default=2, help="gunicorn workers per process")
    parser.add_argument(
        "--database-url",
        default=os.environ.get(
            "LOAD_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/equitime_load"
        ),
    )
    parser.add_argument(
        "--redis-url", default=os.environ.get("LOAD_REDIS_URL", "redis://127.0.0.1:6379/11")
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args()

    run = Run(Path(tempfile.mkdtemp(prefix="equitime-load-")))
    ok = False
    # SIGTERM (CI's timeout, a kill) ends the run through the same clean-up as Ctrl-C.
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        ok = run.go(args)
    except KeyboardInterrupt:
        print("\nInterrupted.", file=sys.stderr)
    except LoadError as error:
        print(f"\nLOAD FAILED: {error}", file=sys.stderr)
    except subprocess.CalledProcessError as error:
        print(
            f"\nLOAD FAILED: {' '.join(map(str, error.cmd))} exited {error.returncode}",
            file=sys.stderr,
        )
    finally:
        run.stop_all()
        if ok and not args.keep:
            shutil.rmtree(run.dir, ignore_errors=True)
        else:
            print(f"Logs and results kept in {run.dir}")
    return 0 if ok else 1


class LoadError(Exception):
    pass


def _interrupt(signum, frame):
    raise KeyboardInterrupt


@dataclass
class Run:
    dir: Path
    processes: list[tuple[str, subprocess.Popen]] = field(default_factory=list)
    started_at: datetime | None = None

    # --- Processes ---------------------------------------------------------------

    def start(self, name: str, command: list[str], env: dict[str, str]) -> subprocess.Popen:
        log = open(self.dir / f"{name}.log", "wb")  # noqa: SIM115 - kept open for the child
        process = subprocess.Popen(
            command,
            env=env,
            cwd=self.dir,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own group, so its workers stop with it
        )
        self.processes.append((name, process))
        return process

    def stop_all(self) -> None:
        for _name, process in reversed(self.processes):
            if process.poll() is None:
                _signal_group(process, signal.SIGTERM)
        deadline = time.monotonic() + 20
        for name, process in reversed(self.processes):
            try:
                process.wait(timeout=max(deadline - time.monotonic(), 0.1))
            except subprocess.TimeoutExpired:
                print(f"{name} did not stop; killing it.", file=sys.stderr)
                _signal_group(process, signal.SIGKILL)
                process.wait()
        self.processes.clear()

    def check_running(self) -> None:
        for name, process in self.processes:
            if process.poll() is not None:
                tail = (self.dir / f"{name}.log").read_text(errors="replace")[-2000:]
                raise LoadError(f"{name} exited with {process.returncode}:\n{tail}")

    # --- The run -----------------------------------------------------------------

    def go(self, args) -> bool:
        nginx = ensure_nginx()
        env = app_environment(self.dir, args)
        say(f"Folder {self.dir}")

        say("PostgreSQL: a new database")
        recreate_database(args.database_url)
        say("Redis: flushing its own database number")
        flush_redis(args.redis_url)
        # Static files are collected (and compressed) at deploy, as in production;
        # it takes minutes on a busy machine, so beside the database's set-up.
        say("equitime collectstatic (in the background)")
        static = self.start(
            "collectstatic", [str(BIN / "equitime"), "collectstatic", "--no-input", "-v", "0"], env
        )
        manage(env, "migrate", "--no-input", "-v", "0")
        # The demo refuses production settings (its password is published); its
        # members and listings are the community the load members join.
        manage(env | {"EQUITIME_ENV": "development"}, "demo")
        seed = self.dir / "seed.json"
        say(f"Seeding {args.members} members with offers, API tokens and sessions")
        subprocess.run(
            [
                str(BIN / "python"),
                str(LOAD / "seed.py"),
                "--members",
                str(args.members),
                "--out",
                str(seed),
            ],
            env=env,
            check=True,
            cwd=self.dir,
        )

        if static.wait() != 0:
            raise LoadError("collectstatic failed; see collectstatic.log")
        self.processes.remove(("collectstatic", static))

        web_ports = [free_port(), free_port()]
        for n, port in enumerate(web_ports, 1):
            self.start(
                f"web-{n}",
                [
                    str(BIN / "gunicorn"),
                    "equitime.wsgi",
                    "--bind",
                    f"127.0.0.1:{port}",
                    "--workers",
                    str(args.web_workers),
                    "--name",
                    f"equitime-load-web-{n}",
                    "--timeout",
                    "60",
                    "--graceful-timeout",
                    "10",
                    "--preload",  # import once, before forking, as production would
                ],
                env,
            )
        self.started_at = datetime.now(UTC)
        if has_jobs():
            self.start("worker", [str(BIN / "equitime"), "worker", "--name", "load-worker"], env)
        else:
            say("No equitime.jobs app yet: no worker started")
        proxy_port = free_port()
        write_nginx_conf(self.dir, proxy_port, web_ports)
        self.start("nginx", [nginx, "-c", str(self.dir / "nginx.conf"), "-p", str(self.dir)], env)
        base = f"http://127.0.0.1:{proxy_port}"
        self.wait_healthy(base)
        warm_up(base, json.loads(seed.read_text()))
        # Where the time went counts the load only, not the set-up and warm-up.
        offsets = {log.name: log.stat().st_size for log in self.dir.glob("*.log")}

        writers = max(1, round(args.writes))
        readers = max(1, round(args.reads / 2))
        say(
            f"locust: {writers} writers at {args.writes / writers:.2f}/s and {readers} readers "
            f"at {args.reads / readers:.2f}/s each, for {args.duration} s, against {base}"
        )
        results = self.dir / "results.json"
        locust_env = os.environ | {
            "LOAD_SEED": str(seed),
            "LOAD_RESULTS": str(results),
            "LOAD_WRITES_PER_USER": str(args.writes / writers),
            "LOAD_READS_PER_USER": str(args.reads / readers),
        }
        locust = subprocess.run(
            [
                str(BIN / "locust"),
                "-f",
                str(LOAD / "locustfile.py"),
                "--headless",
                "--host",
                base,
                "--users",
                str(writers + readers),
                "--spawn-rate",
                str(min(writers + readers, 50)),
                "--run-time",
                f"{args.duration}s",
                "--stop-timeout",
                "15",
                "--only-summary",
                "--loglevel",
                "WARNING",
            ],
            env=locust_env | {"LOAD_WRITERS": str(writers), "LOAD_READERS": str(readers)},
            cwd=self.dir,
            capture_output=True,
            text=True,
            check=False,
        )
        (self.dir / "locust.log").write_text(locust.stdout + locust.stderr)
        if not results.exists():
            raise LoadError(f"locust wrote no results:\n{locust.stderr[-3000:]}")
        self.check_running()
        say("Load over; stopping the web processes, the worker and nginx")
        self.stop_all()
        stopped_at = datetime.now(UTC)

        report = summarise(json.loads(results.read_text()))
        print_report(report)
        where_time_went(self.dir, offsets)
        ok = verdict(report)
        ok &= verify_ledger(env)
        ok &= check_periodic_runs(env, self.started_at, stopped_at)
        print("\nPASSED" if ok else "\nFAILED")
        return ok

    def wait_healthy(self, base: str) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            self.check_running()
            try:
                with urllib.request.urlopen(base + "/health/", timeout=5) as response:
                    if response.status == 200:
                        say(f"Healthy through nginx: {response.read().decode()}")
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.5)
        raise LoadError("the site did not become healthy through nginx within 60 s")


WARM_UP = (
    "/api/v1/listings?q=analysis",
    "/api/v1/listings",
    "/api/v1/exchanges?page_size=10",
    "/api/v1/transfers/balance",
    "/api/v1/transfers?page_size=20",
    "/api/v1/members",
    "/api/v1/notifications",
    "/listings/",
    "/listings/?q=coaching",
    "/dashboard/",
    "/members/",
)


def warm_up(base: str, seed: dict) -> None:
    """Each read a few times over, eight at once, before the clock starts.

    A worker's first requests build what it then keeps (URL patterns, the API's
    schemas, compiled templates): seconds each on a busy machine, which would
    otherwise be a short run's p99. In production the first real requests do it."""
    from concurrent.futures import ThreadPoolExecutor

    member = seed["members"][0]
    headers = {
        "Authorization": f"Bearer {member['token']}",
        "Cookie": f"{seed['session_cookie']}={member['session']}",
    }

    def fetch(path: str) -> int:
        request = urllib.request.Request(base + path, headers=headers)
        with urllib.request.urlopen(request, timeout=60) as response:
            response.read()
            return response.status

    started = time.monotonic()
    try:
        with ThreadPoolExecutor(8) as pool:
            statuses = list(pool.map(fetch, [path for path in WARM_UP for _ in range(8)]))
    except urllib.error.HTTPError as error:
        raise LoadError(f"warm-up request {error.url} answered {error.code}") from error
    if any(status != 200 for status in statuses):
        raise LoadError(f"warm-up requests failed: {sorted(set(statuses))}")
    say(f"Warmed up the web workers in {time.monotonic() - started:.0f} s")


def _signal_group(process: subprocess.Popen, sig: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, sig)


def say(text: str) -> None:
    print(f"[{datetime.now(UTC):%H:%M:%S}] {text}", flush=True)


# --- Setting up -------------------------------------------------------------------


def ensure_nginx() -> str:
    """nginx from Debian's packages; installed here if missing and we are root."""
    found = shutil.which("nginx") or (
        "/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None
    )
    if found:
        return found
    if os.geteuid() != 0:
        raise LoadError(
            "nginx is missing: install it (Debian: apt-get install nginx) and run again"
        )
    say("nginx is missing; installing it from Debian's packages")
    env = os.environ | {"DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-qq"], env=env, check=True)
    subprocess.run(["apt-get", "install", "-y", "-qq", "nginx"], env=env, check=True)
    return shutil.which("nginx") or "/usr/sbin/nginx"


def app_environment(folder: Path, args) -> dict[str, str]:
    """Production settings, as docs/deployment.md gives them, on loopback without TLS."""
    ours = ("EQUITIME_", "DJANGO_", "DATABASE_URL", "REDIS_URL", "SECRET_KEY", "ALLOWED_HOSTS")
    env = {k: v for k, v in os.environ.items() if not k.startswith(ours)}
    return env | {
        "EQUITIME_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "EQUITIME_SITE_URL": "http://127.0.0.1",
        "DATABASE_URL": args.database_url,
        "REDIS_URL": args.redis_url,
        "EQUITIME_DATA_DIR": str(folder / "data"),
        "STATIC_ROOT": str(folder / "static"),
        # nginx here speaks plain HTTP on loopback; production terminates TLS.
        "SECURE_SSL_REDIRECT": "0",
        "EQUITIME_TRUSTED_PROXY_COUNT": "1",
        # Raised for the load only: every simulated member arrives from 127.0.0.1.
        "EQUITIME_API_RATE_PER_IP": "1000000/m",
        "EQUITIME_API_RATE_PER_TOKEN": "1000000/m",
        "EQUITIME_API_WRITE_RATE_PER_TOKEN": "1000000/m",
        "EMAIL_BACKEND": "django.core.mail.backends.dummy.EmailBackend",
        "EQUITIME_WORKER_INTERVAL": "2",
        "EQUITIME_LOG_FORMAT": "json",
        "PYTHONUNBUFFERED": "1",
    }


def manage(env: dict[str, str], *command: str) -> None:
    say("equitime " + " ".join(command))
    subprocess.run(
        [str(BIN / "equitime"), *command], env=env, check=True, stdout=subprocess.DEVNULL
    )


def has_jobs() -> bool:
    return (ROOT / "src" / "equitime" / "jobs" / "management" / "commands" / "worker.py").exists()


def recreate_database(url: str) -> None:
    import dj_database_url
    import psycopg

    config = dj_database_url.parse(url)
    name = config["NAME"]
    if not name.startswith("equitime_load"):
        raise LoadError(f"refusing to drop {name!r}: the load database's name starts equitime_load")
    with psycopg.connect(
        host=config["HOST"] or None,
        port=config["PORT"] or None,
        user=config["USER"] or None,
        password=config["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    ) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def flush_redis(url: str) -> None:
    import redis

    client = redis.Redis.from_url(url)
    client.ping()
    client.flushdb()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def write_nginx_conf(folder: Path, port: int, web_ports: list[int]) -> None:
    for temp in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (folder / temp).mkdir(exist_ok=True)
    # As root nginx's workers would switch to nobody, who cannot enter this private folder.
    user = "user root root;" if os.geteuid() == 0 else ""
    text = (LOAD / "nginx.conf.template").read_text()
    for key, value in {
        "@@USER@@": user,
        "@@DIR@@": str(folder),
        "@@PORT@@": str(port),
        "@@WEB_A@@": str(web_ports[0]),
        "@@WEB_B@@": str(web_ports[1]),
    }.items():
        text = text.replace(key, value)
    (folder / "nginx.conf").write_text(text)


# --- Afterwards -------------------------------------------------------------------


def percentile(values: list[float], p: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(p / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def summarise(results: dict) -> dict:
    window = results["window"]
    seconds = max(window.get("stop", 0) - window.get("start", 0), 1e-9)
    records = results["records"]
    by_kind: dict[str, list] = {"W": [], "R": []}
    by_name: dict[str, list] = {}
    for name, status, ms in records:
        by_kind.setdefault(name[0], []).append((status, ms))
        by_name.setdefault(name, []).append((status, ms))

    def figures(rows):
        times = [ms for _, ms in rows]
        return {
            "requests": len(rows),
            "p50": percentile(times, 50),
            "p95": percentile(times, 95),
            "p99": percentile(times, 99),
            "max": max(times, default=0.0),
            "ok": sum(1 for s, _ in rows if 200 <= s < 400),
            "refused": sum(1 for s, _ in rows if s in REFUSALS),
            "other_4xx": sum(1 for s, _ in rows if 400 <= s < 500 and s not in REFUSALS),
            "5xx": sum(1 for s, _ in rows if s >= 500),
            "no_answer": sum(1 for s, _ in rows if s == 0),
        }

    return {
        "seconds": seconds,
        "all": figures([(s, ms) for _, s, ms in records]),
        "writes": figures(by_kind["W"]),
        "reads": figures(by_kind["R"]),
        "names": {name: figures(rows) for name, rows in sorted(by_name.items())},
        "statuses": _count_statuses(records),
        "pending": results.get("pending", 0),
    }


def _count_statuses(records) -> dict[str, int]:
    counts: dict[str, int] = {}
    for name, status, _ in records:
        key = f"{name} {status}"
        counts[key] = counts.get(key, 0) + 1
    return counts


def print_report(report: dict) -> None:
    seconds = report["seconds"]
    head = f"{'':32} {'requests':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'max ms':>8}"
    head += f" {'ok':>7} {'409/422':>7} {'4xx':>5} {'5xx':>5} {'none':>5}"
    print("\n=== Load results ===")
    print(f"Measured over {seconds:.0f} s.")
    print(head)

    def line(label, f):
        print(
            f"{label:32} {f['requests']:>8} {f['p50']:>8.0f} {f['p95']:>8.0f} {f['p99']:>8.0f}"
            f" {f['max']:>8.0f} {f['ok']:>7} {f['refused']:>7} {f['other_4xx']:>5}"
            f" {f['5xx']:>5} {f['no_answer']:>5}"
        )

    for name, figures in report["names"].items():
        line(name, figures)
    print("-" * len(head))
    line("writes", report["writes"])
    line("reads", report["reads"])
    line("all", report["all"])
    print(
        f"Achieved: {report['writes']['requests'] / seconds:.1f} writes/s, "
        f"{report['reads']['requests'] / seconds:.1f} reads/s "
        f"({report['all']['requests'] / seconds:.1f} requests/s)."
    )
    refusals = {k: v for k, v in report["statuses"].items() if int(k.rsplit(" ", 1)[1]) >= 400}
    if refusals:
        print(
            "Refusals and errors by request and status: "
            + ", ".join(f"{k}: {v}" for k, v in sorted(refusals.items()))
        )
    print(f"Exchange steps still queued at the end: {report['pending']}.")


def _lines_after(log: Path, offsets: dict[str, int]) -> list[str]:
    if not log.exists():
        return []
    with open(log, "rb") as handle:
        handle.seek(offsets.get(log.name, 0))
        return handle.read().decode(errors="replace").splitlines()


def where_time_went(folder: Path, offsets: dict[str, int]) -> None:
    """Time in nginx (queueing for a free worker included) against time in Django."""
    nginx_total, upstream, django = [], [], []
    access = folder / "nginx-access.log"
    if access.exists():
        for row in _lines_after(access, offsets):
            parts = row.split()
            if len(parts) >= 4 and "/health/" not in row:
                try:
                    nginx_total.append(float(parts[2]) * 1000)
                    upstream.append(float(parts[3].split(",")[-1]) * 1000)
                except ValueError:
                    continue
    for log in sorted(folder.glob("web-*.log")):
        for row in _lines_after(log, offsets):
            if row.startswith("{") and '"equitime.request"' in row:
                try:
                    django.append(float(json.loads(row)["duration_ms"]))
                except (ValueError, KeyError):
                    continue
    print("\nWhere the time went (ms):        p50      p95      p99")
    for label, values in (
        ("nginx, request in to answer out", nginx_total),
        ("gunicorn (upstream) answer", upstream),
        ("Django, inside the middleware", django),
    ):
        print(
            f"  {label:31} {percentile(values, 50):>6.0f}   {percentile(values, 95):>6.0f}"
            f"   {percentile(values, 99):>6.0f}   ({len(values)} requests)"
        )
    print(
        "  The gap between locust's figures and nginx's is time in the load generator "
        "itself (one CPU-bound process on the same machine)."
    )


def verdict(report: dict) -> bool:
    ok = True
    figures = report["all"]
    if figures["p95"] > TARGET_P95_MS:
        print(f"MISSED: p95 {figures['p95']:.0f} ms > {TARGET_P95_MS} ms")
        ok = False
    if figures["p99"] > TARGET_P99_MS:
        print(f"MISSED: p99 {figures['p99']:.0f} ms > {TARGET_P99_MS} ms")
        ok = False
    if figures["5xx"] or figures["no_answer"]:
        print(f"FAILED: {figures['5xx']} 5xx and {figures['no_answer']} requests without answer")
        ok = False
    if figures["requests"] == 0:
        print("FAILED: no requests were made")
        ok = False
    return ok


def verify_ledger(env: dict[str, str]) -> bool:
    say("equitime verify_ledger")
    result = subprocess.run(
        [str(BIN / "equitime"), "verify_ledger"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    print(result.stdout + result.stderr)
    return result.returncode == 0


CHECK_RUNS = r"""
import json, sys
from datetime import datetime
from django.db.models import Count
from equitime.jobs.models import PeriodicRun
from equitime.jobs.schedule import SCHEDULE

start, stop, grace = (datetime.fromisoformat(sys.argv[1]), datetime.fromisoformat(sys.argv[2]),
                      float(sys.argv[3]))
problems, lines = [], []
doubled = (PeriodicRun.objects.values("job", "period_start").annotate(n=Count("id"))
           .filter(n__gt=1))
for row in doubled:
    problems.append(f"{row['job']} ran {row['n']} times in the period from {row['period_start']}")
for job in SCHEDULE:
    if not job.applies():
        continue
    runs = list(PeriodicRun.objects.filter(job=job.name).order_by("period_start"))
    periods = {run.period_start for run in runs}
    # Every period that began while the worker was up, less the last few seconds
    # (the worker looks every EQUITIME_WORKER_INTERVAL seconds).
    expected = {job.period_start(start)}
    moment = job.period_start(start) + job.every
    while moment.timestamp() <= stop.timestamp() - grace:
        expected.add(moment)
        moment += job.every
    missing = expected - periods
    if missing:
        problems.append(f"{job.name} did not run in {len(missing)} period(s): {sorted(missing)}")
    failed = [r for r in runs if r.outcome == PeriodicRun.Outcome.FAILED]
    if failed:
        problems.append(f"{job.name} failed: {failed[0].summary[:300]}")
    lines.append(f"  {job.name}: {len(runs)} run(s) in {len(periods)} period(s), every "
                 f"{job.every}; {', '.join(r.outcome for r in runs)}")
print("\n".join(lines))
print(json.dumps(problems))
"""


def check_periodic_runs(env: dict[str, str], start: datetime | None, stop: datetime) -> bool:
    if not has_jobs() or start is None:
        print("Periodic runs: no equitime.jobs app, nothing to check.")
        return True
    say("Periodic runs: each job exactly once per period")
    result = subprocess.run(
        [
            str(BIN / "python"),
            "-c",
            "import django; django.setup();" + CHECK_RUNS,
            start.isoformat(),
            stop.isoformat(),
            "15",
        ],
        env=env | {"DJANGO_SETTINGS_MODULE": "equitime.settings"},
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        print(result.stdout + result.stderr)
        return False
    *lines, problems = result.stdout.rstrip().splitlines()
    print("\n".join(lines))
    problems = json.loads(problems)
    for problem in problems:
        print(f"FAILED: {problem}")
    if not problems:
        print("Every periodic job ran exactly once in each of its periods.")
    return not problems


if __name__ == "__main__":
    sys.exit(main())
