from collections import Counter

import pytest
from django.utils import translation


def pytest_collection_modifyitems(config, items):
    """Every test has a node id of its own. pytest-xdist hands out tests by
    node id, so of several tests that share one it runs the first and silently
    drops the rest; ``-k``, ``--lf`` and ``--deselect`` cannot tell them apart
    either. pytest 9.2 named schemathesis's tests (one per API operation) all
    after their function, so 54 of them never ran under ``make test -n 2``:
    pyproject.toml keeps pytest below 9.2, and this stops the run should any
    upgrade do that again."""
    counts = Counter(item.nodeid for item in items)
    shared = sorted(nodeid for nodeid, count in counts.items() if count > 1)
    if shared:
        raise pytest.UsageError(
            "Tests that share a node id (pytest-xdist would run only one of each): "
            + ", ".join(shared)
        )


@pytest.fixture(autouse=True)
def _language_put_back():
    """Each test starts in the community's language. Django's LocaleMiddleware
    activates a request's language and leaves it active in the thread (the next
    request activates its own); a test client's request in Welsh would
    otherwise leave the tests after it, which render forms or e-mails outside
    any request, speaking Welsh."""
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploaded files (campaign images) and exports go to the test's own directory."""
    settings.MEDIA_ROOT = tmp_path / "media"
    # Operators' exports (equitime.exports) likewise.
    settings.EQUITIME_EXPORTS_DIR = tmp_path / "exports"


@pytest.fixture
def make_member(db):
    from equitime.members.tests.factories import make_member

    return make_member


@pytest.fixture
def make_listing(db):
    """``make_listing(owner, kind, minutes, title=…, skills=…, expires_in=…)``:
    see ``equitime.listings.tests.factories.listing``."""
    from equitime.listings.tests.factories import listing

    return listing


@pytest.fixture
def member(make_member):
    return make_member(display_name="Amina Okafor")


@pytest.fixture
def other_member(make_member):
    return make_member(display_name="Ben Carter")


@pytest.fixture(autouse=True)
def _fresh_cache(settings):
    """Rate-limit counters live in the cache; each test starts with none.

    Tests run in several processes at once (pytest-xdist, ``make test``), and
    clearing a Redis cache empties its whole database: with REDIS_URL set,
    each process gets a Redis database of its own."""
    from django.core.cache import cache

    from equitime.core.testing import redis_test_url

    if "redis" in settings.CACHES["default"]["BACKEND"].lower():
        settings.CACHES = {
            **settings.CACHES,
            "default": {**settings.CACHES["default"], "LOCATION": redis_test_url()},
        }
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _tasks_run_at_once(settings):
    """Tests see a task's work as soon as it is enqueued (e-mail in the outbox
    after commit). The tests of the worker itself (equitime.jobs.tests) switch
    back to the database queue."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def no_page_cache(settings):
    """For tests that count what building a page costs: every request builds
    it, none is served whole from the page cache (equitime.core.pagecache)."""
    settings.EQUITIME_PAGE_CACHE_SECONDS = 0
