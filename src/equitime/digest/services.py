"""Sending the weekly digest: once per member and week, in batches.

``digest_send_due`` (the worker's ``send_weekly_digests``, hourly) does
nothing until the week's sending starts (Monday, ``SEND_FROM`` after midnight
UTC), then, for ``SEND_WINDOW``, queues the members still without a row for
the week in batches of ``BATCH_SIZE`` (one ``tasks.digest_send_batch`` each).
A member gets the digest only when they are active (not suspended), their
address is verified, and they have not turned it off.

``digest_send_one`` is where "at most once" is kept: in one transaction it
inserts the member's ``DigestSend`` row for the week (the unique constraint
turns a second worker away; it waits on the first's insert and then finds
it), builds the digest, and sends it. If sending fails the transaction rolls
back with its row, so the next run sends it; members sent before the failure
have their rows and are skipped. A digest with nothing for the member gets a
row marked ``empty`` and no e-mail.

The e-mail goes from inside the transaction, so that a row is never there for
an e-mail that did not go. The reverse, an e-mail that went and a commit that
then failed, would send that member the week's digest twice; it needs the
database to fail in the instant after the mail server accepted the message.
"""

import logging
from datetime import UTC, date, datetime, time, timedelta

from allauth.account.models import EmailAddress
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from equitime.core.locale import speaking_to
from equitime.core.site import site_url
from equitime.core.unsubscribe import DIGEST, unsubscribe_context, unsubscribe_headers
from equitime.digest.models import DigestSend
from equitime.digest.sections import Week
from equitime.digest.selectors import Digest, digest_build, week_monday, week_to_send
from equitime.members.models import Member
from equitime.notifications.models import NotificationPreferences
from equitime.notifications.preferences import member_wants_digest

logger = logging.getLogger(__name__)

BATCH_SIZE = 200
# Sent from Monday 07:00 UTC (morning in Europe and Africa, before the day
# starts in the Americas), and caught up for two days if the worker was down.
SEND_FROM = timedelta(hours=7)
SEND_WINDOW = timedelta(days=2)


def members_due(*, week: Week) -> QuerySet[Member]:
    """Who should get ``week``'s digest and has no row for it yet."""
    verified = EmailAddress.objects.filter(
        user=OuterRef("pk"), email__iexact=OuterRef("email"), verified=True
    )
    turned_off = NotificationPreferences.objects.filter(member=OuterRef("pk"), digest=False)
    decided = DigestSend.objects.filter(member=OuterRef("pk"), week_start=week.start)
    return (
        Member.objects.filter(is_active=True, suspended_at__isnull=True)
        .filter(Exists(verified))
        .exclude(Exists(turned_off))
        .exclude(Exists(decided))
        .order_by("pk")
    )


def digest_subject(digest: Digest) -> str:
    waiting = next((s for s in digest.sections if s.key == "waiting"), None)
    if waiting is not None:
        count = len(waiting.items) + waiting.more
        return ngettext(
            "Your Equitime week: %(count)d thing waits for you",
            "Your Equitime week: %(count)d things wait for you",
            count,
        ) % {"count": count}
    return _("Your Equitime week")


def digest_email(digest: Digest) -> EmailMultiAlternatives:
    """The digest as an e-mail in the member's language and on their clock
    (``core.locale.speaking_to``), with one-click unsubscribe. Build the digest
    in the same language (``digest_send_one`` does): its sections' words are
    written when it is built."""
    member = digest.member
    context = {
        "name": member.display_name,
        "digest": digest,
        "site": site_url(),
        **unsubscribe_context(member_id=member.pk, scope=DIGEST),
    }
    with speaking_to(member):
        text = render_to_string("digest/email/digest.txt", context)
        html = render_to_string("digest/email/digest.html", context)
        subject = digest_subject(digest)
    message = EmailMultiAlternatives(
        subject=subject,
        body=text,
        to=[member.email],
        headers=unsubscribe_headers(member_id=member.pk, scope=DIGEST),
    )
    message.attach_alternative(html, "text/html")
    return message


def digest_send_one(*, member: Member, week: Week) -> str:
    """Decide and send ``week``'s digest for ``member``, at most once (see above)."""
    with transaction.atomic():
        if DigestSend.objects.filter(member=member, week_start=week.start).exists():
            return "sent already"
        with speaking_to(member):  # its sections' words and dates are theirs
            digest = digest_build(member=member, week=week)
        status = DigestSend.Status.SENT if digest.relevant else DigestSend.Status.EMPTY
        try:
            with transaction.atomic():
                DigestSend.objects.create(
                    member=member,
                    week_start=week.start,
                    status=status,
                    sections=len(digest.sections),
                )
        except IntegrityError:
            return "sent already"  # another worker decided it meanwhile
        if status == DigestSend.Status.EMPTY:
            return "nothing relevant"
        digest_email(digest).send()
    return "sent"


def week_named(week_start: date) -> Week:
    return week_to_send(datetime.combine(week_start, time(), tzinfo=UTC))


def digest_send_batch_now(*, member_ids: list[int], week_start: date) -> dict[str, int]:
    """Send the week's digest to each member of a batch; one member's failed
    e-mail is logged and left for the next run, and the others go on."""
    week = week_named(week_start)
    counts: dict[str, int] = {}
    members = Member.objects.select_related("profile").filter(pk__in=member_ids).order_by("pk")
    for member in members:
        if not member.is_active:
            outcome = "inactive"
        elif not member_wants_digest(member):
            outcome = "turned off"  # since the batch was queued
        else:
            try:
                outcome = digest_send_one(member=member, week=week)
            except Exception:
                logger.exception(
                    "The digest for member %s failed; the next run tries again", member.pk
                )
                outcome = "failed"
        counts[outcome] = counts.get(outcome, 0) + 1
    return counts


def digest_send_due(*, now: datetime) -> str:
    """Queue this week's digests for the members still due, in batches."""
    from equitime.digest.tasks import digest_send_batch

    monday = week_monday(now)
    if not (monday + SEND_FROM <= now < monday + SEND_WINDOW):
        return "not the time to send digests"
    week = week_to_send(now)
    ids = list(members_due(week=week).values_list("pk", flat=True))
    batches = [ids[i : i + BATCH_SIZE] for i in range(0, len(ids), BATCH_SIZE)]
    for batch in batches:
        digest_send_batch.enqueue(member_ids=batch, week_start=week.start.isoformat())
    return f"queued {len(ids)} digest(s) in {len(batches)} batch(es) for the week of {week.start}"
