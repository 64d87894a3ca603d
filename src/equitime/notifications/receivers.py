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
from django.utils.translation import gettext as _

from equitime.core.units import credits_text
from equitime.ledger.models import Transfer
from equitime.members.models import Member
from equitime.notifications.models import Notification
from equitime.notifications.services import notify


def donation_message(*, donation: Transfer, donor: Member | None) -> str:
    """What the recipient reads: who gave how much, and the note if there is one."""
    figures = {"amount": credits_text(donation.amount), "note": donation.memo}
    if donor is None:
        figures["name"] = _("The community pool")
    else:
        figures["name"] = donor.display_name
    if donation.memo:
        return _("%(name)s gave you %(amount)s, with a note: “%(note)s”") % figures
    return _("%(name)s gave you %(amount)s.") % figures


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
        message=donation_message(donation=donation, donor=donor),
        url=reverse("dashboard") + "#transfers",
    )
