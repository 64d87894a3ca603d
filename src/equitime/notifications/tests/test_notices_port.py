"""Apps below notifications notify through core.notices: at start-up the app
puts its service behind that port, and the service refuses a kind it lacks."""

import pytest

from equitime.core import notices
from equitime.notifications import services
from equitime.notifications.models import Notification


def test_the_port_runs_the_notifications_service(member):
    notification = notices.notify(
        recipient=member,
        kind="listing_moderated",
        params={"title": "Run charts", "note": "It asks\nfor a fee."},
    )

    assert isinstance(notification, Notification)
    assert notification.recipient == member
    assert notification.kind == Notification.Kind.LISTING_MODERATED
    # One line: it becomes an e-mail subject.
    assert (
        notification.message == "A moderator closed your listing “Run charts”: It asks for a fee."
    )


@pytest.mark.parametrize("notify", [notices.notify, services.notify])
def test_a_kind_the_model_does_not_list_is_refused(member, notify):
    with pytest.raises(ValueError, match="exchange_acepted"):
        notify(recipient=member, kind="exchange_acepted", params={"name": "Ben", "title": "QI"})

    assert not Notification.objects.exists()
