"""What the ledger announces that a member must be told (``ledger.signals``).

The ledger sits at the bottom and imports no app; it sends ``donation_made``
once, the first time a donation's key is recorded, inside the transaction that
moved the credits. Telling the recipient here, in that same transaction, means
a donation refused or rolled back tells nobody, and a retry of the same key
tells nobody twice. Every caller of the donation service (the give page, the
API, the demo) is covered by the one receiver.
"""

from typing import Any

from django.urls import reverse

from equitime.ledger.models import Transfer
from equitime.members.models import Member
from equitime.notifications.models import Notification
from equitime.notifications.services import notify


def donation_told(*, donation: Transfer, donor: Member | None) -> dict[str, Any]:
    """What the recipient is told (variant and params): who gave how much, and
    the note if there is one; the amount is put into words when read."""
    params: dict[str, Any] = {"amount_minutes": donation.amount}
    variant = "" if donor is not None else "pool"
    if donor is not None:
        params["name"] = donor.display_name
    if donation.memo:
        params["note"] = donation.memo
        variant = f"{variant}_note" if variant else "note"
    return {"variant": variant, "params": params}


def donation_received(
    sender: type[Transfer],
    *,
    donation: Transfer,
    donor: Member | None,
    recipient: Member | None,
    **kwargs: Any,
) -> None:
    """Tell the member who received a donation; a gift to the pool tells no one."""
    if recipient is None:
        return
    notify(
        recipient=recipient,
        kind=Notification.Kind.DONATION_RECEIVED,
        **donation_told(donation=donation, donor=donor),
        url=reverse("dashboard") + "#transfers",
    )
