"""The helpers the tests share (``equitime.core.testing``): one way to race
threads, and a Redis database for each test process of a parallel run."""

import threading
from pathlib import Path

import pytest
from django.db import connection

from equitime.core.testing import REDIS_TEST_DATABASES, race, redis_test_url, xdist_worker

SRC = Path(__file__).resolve().parents[2]


def test_each_parallel_worker_gets_its_own_redis_database(monkeypatch):
    urls = set()
    for worker in [f"gw{n}" for n in range(len(REDIS_TEST_DATABASES))]:
        monkeypatch.setenv("PYTEST_XDIST_WORKER", worker)
        urls.add(redis_test_url())
    assert len(urls) == len(REDIS_TEST_DATABASES)
    monkeypatch.setenv("PYTEST_XDIST_WORKER", f"gw{len(REDIS_TEST_DATABASES)}")
    with pytest.raises(RuntimeError, match="fewer"):
        redis_test_url()


@pytest.mark.django_db
def test_a_parallel_worker_has_a_test_database_of_its_own():
    worker = xdist_worker()
    name = str(connection.settings_dict["NAME"])
    if worker == "main":
        pytest.skip("not under pytest-xdist")
    assert name.endswith(f"_{worker}")


def test_race_releases_every_thread_together():
    """Each target waits for all the others: only threads that run at once pass."""
    count = 6
    together = threading.Barrier(count)

    def target(n):
        together.wait(timeout=10)  # broken, and so raised, unless all are here
        return n

    assert race(target, count) == list(range(count))


def test_race_returns_refusals_and_raises_anything_else():
    from equitime.core.errors import DomainError

    def target(n):
        if n == 0:
            raise DomainError("Not enough credit.")
        return n

    outcomes = race(target, 2)
    assert isinstance(outcomes[0], DomainError) and outcomes[1] == 1
    with pytest.raises(AssertionError, match="boom"):
        race(lambda n: (_ for _ in ()).throw(ValueError("boom")), 2)


def test_every_thread_race_in_the_tests_goes_through_the_one_helper():
    """A race with its own barrier or thread runner drifts from the shared one
    (one of them once released its threads one by one, so nothing raced)."""
    markers = ("threading.Barrier(", "def run_" + "threads")
    others = [path for path in SRC.rglob("test_*.py") if path != Path(__file__).resolve()]
    own = [
        str(path.relative_to(SRC))
        for path in others
        if any(marker in path.read_text() for marker in markers)
    ]
    assert own == [], f"use equitime.core.testing.race in {own}"
