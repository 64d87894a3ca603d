"""Reading notifications."""

from django.db.models import QuerySet

from equitime.members.models import Member
from equitime.notifications.models import Notification


def unread_count(*, member: Member) -> int:
    return Notification.objects.filter(recipient=member, read_at__isnull=True).count()


def notifications_for_member(*, member: Member) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=member).order_by("-created_at", "-id")
