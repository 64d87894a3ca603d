"""What waits in the moderation queue besides the dispute among the exchanges."""

from equitime.moderation.models import ListingFlag

# A member's report waiting in the moderation queue: a mistaken one, as many
# are, so that the moderator can read the listing and dismiss it.
DEMO_REPORT = (
    "tom.whitfield",
    "first-pdsa",
    ListingFlag.Reason.ASKS_FOR_MONEY,
    "Is this a paid workshop? It does not say it is free. Please check.",
)
