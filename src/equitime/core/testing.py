"""Helpers for tests: racing threads, resources each test process owns, and
the settings as a fresh production process reads them.

Imported by test modules only; it lives in the package so that every app's
tests share one version.
"""

import os
import secrets
import subprocess
import sys
import threading

from django.db import connections

from equitime.core.errors import DomainError

# Redis databases the tests may use and empty: one per test process, so that
# pytest-xdist workers never empty each other's (``cache.clear()`` empties the
# whole database, whatever the key prefix).
REDIS_TEST_DATABASES = range(15, 7, -1)


def xdist_worker() -> str:
    """This test process's name under pytest-xdist ("gw0", "gw1" …), or "main"."""
    return os.environ.get("PYTEST_XDIST_WORKER", "main")


def redis_test_url() -> str:
    """A Redis database of this test process's own, for tests that empty it."""
    worker = xdist_worker()
    number = int(worker[2:]) if worker.startswith("gw") else 0
    if number >= len(REDIS_TEST_DATABASES):
        raise RuntimeError(
            f"Redis has databases for {len(REDIS_TEST_DATABASES)} test workers; "
            f"run pytest with fewer (-n {len(REDIS_TEST_DATABASES)})."
        )
    return f"redis://127.0.0.1:6379/{REDIS_TEST_DATABASES[number]}"


def race(target, count: int, *, timeout: float = 240) -> list:
    """Run ``target(n)`` for n in 0..count-1, each in its own thread, all
    released together from a barrier, and return what each returned, or the
    DomainError it raised. Any other exception fails the test in the caller's
    thread; each thread closes its own database connections."""
    barrier = threading.Barrier(count)
    outcomes: list[object] = [None] * count
    errors: list[BaseException] = []

    def run(n):
        try:
            barrier.wait(timeout=30)
            outcomes[n] = target(n)
        except DomainError as refusal:
            outcomes[n] = refusal
        except BaseException as exc:  # surfaced below, in the test's thread
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    assert not any(thread.is_alive() for thread in threads), "a worker hung"
    assert not errors, errors
    return outcomes


# --- The settings, read by a fresh process ------------------------------------


def production_env(tmp_path) -> dict[str, str]:
    """The environment without any of our settings, plus production ones."""
    ours = ("EQUITIME_", "DJANGO_", "DATABASE_URL", "SECRET_KEY", "ALLOWED_HOSTS", "REDIS_URL")
    env = {name: value for name, value in os.environ.items() if not name.startswith(ours)}
    return env | {
        "EQUITIME_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(60),
        "ALLOWED_HOSTS": "equitime.example.org",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'deploy-check.sqlite3'}",
        "EQUITIME_DATA_DIR": str(tmp_path),
        "EQUITIME_SITE_URL": "https://equitime.example.org",
    }


def settings_in_subprocess(tmp_path, expression: str, **env: str) -> str:
    """``expression`` evaluated on the settings module, as a fresh process reads them."""
    code = f"import equitime.settings as s; print({expression})"
    result = subprocess.run(  # noqa: S603 - our own interpreter, our own code
        [sys.executable, "-c", code],
        env=production_env(tmp_path) | env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()
