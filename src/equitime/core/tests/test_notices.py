"""The port through which apps below notifications tell people: it hands every
argument to the service put behind it, and says so when there is none."""

import pytest
from django.core.exceptions import ImproperlyConfigured

from equitime.core import notices


@pytest.fixture
def behind(monkeypatch):
    """Whatever is behind the port for one test, put back afterwards."""
    monkeypatch.setattr(notices, "_notify", None)
    return notices.notify_with


def test_notify_hands_every_argument_to_the_service_behind_it(behind):
    calls = []

    def service(**kwargs):
        calls.append(kwargs)
        return "made"

    behind(service)

    made = notices.notify(
        recipient="r", kind="thanks", params={"name": "Ben", "title": "QI"}, url="/x/"
    )

    assert made == "made"
    assert calls == [
        {
            "recipient": "r",
            "kind": "thanks",
            "params": {"name": "Ben", "title": "QI"},
            "variant": "",
            "url": "/x/",
            "exchange": None,
            "listing": None,
            "email": True,
        }
    ]


def test_with_nothing_behind_it_notify_refuses_rather_than_lose_the_news(behind):
    with pytest.raises(ImproperlyConfigured, match=r"equitime\.notifications"):
        notices.notify(recipient="r", kind="thanks", params={})


def test_seen_hands_the_member_and_the_exchange_to_the_service_behind_it(monkeypatch):
    monkeypatch.setattr(notices, "_seen", None)
    calls: list[dict[str, object]] = []

    def seen(**kwargs: object) -> int:
        calls.append(kwargs)
        return 2

    notices.seen_with(seen)

    assert notices.seen(member="m", exchange="x") == 2
    assert calls == [{"member": "m", "exchange": "x"}]


def test_with_nothing_behind_it_seen_refuses(monkeypatch):
    monkeypatch.setattr(notices, "_seen", None)
    with pytest.raises(ImproperlyConfigured, match=r"equitime\.notifications"):
        notices.seen(member="m", exchange="x")
