"""What campaigns hold about a member, for the data export and erasure
(``privacy.services`` calls these)."""

from equitime.campaigns.models import Campaign, CampaignListing, Welcome

REMOVED = "[removed]"


def campaigns_export(member) -> dict[str, object]:
    """{file name: data} for the member's export archive."""
    received = Welcome.objects.filter(member=member).select_related("ambassador").first()
    return {
        "campaigns.json": {
            "listings_joined": list(
                CampaignListing.objects.filter(listing__owner=member).values(
                    "campaign__slug", "listing_id", "featured", "added_at"
                )
            ),
            "campaigns_created": list(
                Campaign.objects.filter(created_by=member).values("slug", "title", "created_at")
            ),
            "welcome_received": (
                {
                    "from": received.ambassador.display_name,
                    "message": received.message,
                    "created_at": received.created_at,
                }
                if received is not None
                else None
            ),
            "welcomes_sent": list(
                Welcome.objects.filter(ambassador=member).values(
                    "member_id", "message", "created_at"
                )
            ),
        }
    }


def campaigns_erase(member) -> None:
    """The welcome a member received goes (it was about them alone); the
    welcomes they wrote lose their words. Campaigns an administrator wrote are
    the community's public texts and stay, naming "Former member"."""
    Welcome.objects.filter(member=member).delete()
    Welcome.objects.filter(ambassador=member).update(message=REMOVED)
