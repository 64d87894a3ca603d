"""Helpers for tests that race threads against each other (concurrency tests).

Imported by test modules only; it lives in the package so that every app's
tests share one version.
"""

import threading

from django.db import connections

from equitime.core.errors import DomainError


def race(target, count: int) -> list:
    """Run ``target(n)`` in ``count`` threads released together and return what
    each returned, or the DomainError it raised. Any other exception fails the
    test in the caller's thread; each thread closes its own database connection."""
    barrier = threading.Barrier(count)
    outcomes, errors = [None] * count, []

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
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a worker hung"
    assert not errors, errors
    return outcomes
