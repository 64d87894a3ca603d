"""A member's rights over their data (UK GDPR): a copy of it, and erasure.

``member_data_export`` gathers everything held about a member into a zip of
JSON and CSV files. ``member_erase`` ends what is in flight (exchanges, listings, and through
``privacy.sessions`` their calendar feed and the group sessions still ahead;
through ``privacy.preferences`` their notification preferences and digests;
through ``privacy.leads`` the organisations they lead),
returns their credits to the community pool with a closing transfer, and
replaces their personal data and free text, so colleagues' histories show
"Former member" and the ledger still balances.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from equitime.audit.models import AuditEntry
from equitime.audit.services import audit_record
from equitime.campaigns.privacy import campaigns_erase, campaigns_export
from equitime.core.errors import DomainError, ErrorKind
from equitime.core.locale import speaking_to
from equitime.core.retention import ERASED_DOMAIN
from equitime.core.units import MINUTES_PER_CREDIT
from equitime.exchanges import services as exchange_services
from equitime.exchanges.models import (
    Exchange,
    ExchangeEvent,
    ExchangeMessage,
    Reflection,
    Status,
    Thanks,
)
from equitime.ledger import services as ledger
from equitime.ledger.selectors import transfers_for_member
from equitime.listings import services as listing_services
from equitime.listings.models import Listing
from equitime.listings.search import listing_search_index_update_for_owner
from equitime.members.models import Member, Profile
from equitime.moderation.models import ListingFlag
from equitime.notifications.models import Notification
from equitime.privacy.coordination import coordination_end, coordination_export
from equitime.privacy.leads import leads_erase, leads_export
from equitime.privacy.matching import matching_end, matching_export
from equitime.privacy.preferences import preferences_erase, preferences_export
from equitime.privacy.sessions import sessions_end, sessions_export, sessions_waiting

FORMER_MEMBER = "Former member"
REMOVED = "[removed]"


def _json_default(value):
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)


def _dump(data) -> str:
    return json.dumps(data, indent=2, ensure_ascii=False, default=_json_default)


def member_data_export(*, member: Member, ip_address: str | None = None) -> bytes:
    """A zip of JSON and CSV files with everything Equitime holds about ``member``."""
    profile = Profile.objects.select_related("organisation").get(member=member)
    account = ledger.account_open(member=member)
    files: dict[str, str] = {}
    files["member.json"] = _dump(
        {
            "email": member.email,
            "display_name": member.display_name,
            "date_joined": member.date_joined,
            "last_login": member.last_login,
            "profile": {
                "organisation": profile.organisation.name if profile.organisation else None,
                "profession": profile.profession,
                "division": profile.division,
                "country": str(profile.country),
                "time_zone": profile.time_zone,
                "languages": profile.languages,
                "bio": profile.bio,
                "skills": [skill.name for skill in profile.skills.all()],
                "other_skills": profile.skills_offered,
                "availability": profile.availability,
                "preference": profile.preference,
                "named_to_organisation_leads": profile.named_to_organisation_leads,
            },
            "credits": {
                "balance_minutes": account.balance,
                "held_minutes": account.held,
                "available_minutes": account.available,
            },
        }
    )

    transfers = io.StringIO()
    writer = csv.writer(transfers)
    writer.writerow(["date", "kind", "state", "direction", "counterpart", "minutes", "memo"])
    for transfer in transfers_for_member(member=member).order_by("created_at", "id"):
        other = transfer.debit_account if transfer.incoming else transfer.credit_account
        writer.writerow(
            [
                transfer.created_at.isoformat(),
                transfer.kind,
                transfer.state,
                "in" if transfer.incoming else "out",
                other.member.display_name if other.member is not None else other.name,
                transfer.amount,
                transfer.memo,
            ]
        )
    files["transfers.csv"] = transfers.getvalue()

    files["listings.json"] = _dump(
        list(
            Listing.objects.filter(owner=member).values(
                "id",
                "kind",
                "title",
                "description",
                "benefit",
                "estimated_minutes",
                "format",
                "place",
                "languages",
                "status",
                "created_at",
                "expires_at",
                "recorded_by__display_name",
            )
        )
    )
    exchanges = Exchange.objects.filter(Q(provider=member) | Q(receiver=member)).select_related(
        "provider", "receiver", "recorded_by"
    )
    files["exchanges.json"] = _dump(
        [
            {
                "id": exchange.id,
                "title": exchange.title,
                "role": exchange.party_role(member),
                "with": exchange.other_party(member).display_name,
                "status": exchange.status,
                "proposed_minutes": exchange.proposed_minutes,
                "logged_minutes": exchange.logged_minutes,
                "created_at": exchange.created_at,
                "recorded_by": exchange.recorded_by.display_name if exchange.recorded_by else None,
                "events": [
                    {
                        "created_at": event.created_at,
                        "verb": event.verb,
                        "minutes": event.minutes,
                        "note": event.note,
                        "recorded_by": event.recorded_by.display_name
                        if event.recorded_by
                        else None,
                    }
                    for event in exchange.events.select_related("recorded_by")
                ],
                "messages": [
                    {
                        "from": message.author.display_name,
                        "at": message.created_at,
                        "body": message.body,
                    }
                    for message in exchange.messages.select_related("author")
                ],
            }
            for exchange in exchanges
        ]
    )
    files["thanks.json"] = _dump(
        {
            "given": list(
                Thanks.objects.filter(author=member).values(
                    "exchange_id", "message", "impact", "show_on_profile", "created_at"
                )
            ),
            "received": list(
                Thanks.objects.filter(recipient=member).values(
                    "exchange_id", "message", "impact", "show_on_profile", "created_at"
                )
            ),
        }
    )
    files["reflections.json"] = _dump(
        list(
            Reflection.objects.filter(author=member).values(
                "exchange_id", "text", "learned", "practice_change", "standards", "updated_at"
            )
        )
    )
    files["reports.json"] = _dump(
        list(
            ListingFlag.objects.filter(flagged_by=member).values(
                "listing_id", "reason", "note", "status", "created_at", "decided_at"
            )
        )
    )
    # What each notification said, in the member's own words, beside what it stores.
    with speaking_to(member):
        notifications = [
            {
                "kind": notification.kind,
                "message": notification.message,
                "variant": notification.variant,
                "params": notification.params,
                "url": notification.url,
                "created_at": notification.created_at,
                "read_at": notification.read_at,
            }
            for notification in Notification.objects.filter(recipient=member)
        ]
    files["notifications.json"] = _dump(notifications)
    for name, data in (
        sessions_export(member)
        | campaigns_export(member)
        | preferences_export(member)
        | matching_export(member)
        | coordination_export(member)
        | leads_export(member)
    ).items():
        files[name] = _dump(data)
    files["README.txt"] = _(
        "Everything Equitime holds about you, exported on %(date)s.\n"
        "Times are in UTC (ISO 8601); amounts are minutes (%(minutes)s minutes = 1 credit).\n"
    ) % {"date": timezone.now().date().isoformat(), "minutes": MINUTES_PER_CREDIT}

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(f"equitime-data/{name}", content)
    audit_record(
        action=AuditEntry.Action.DATA_EXPORTED,
        actor=member,
        target=member,
        summary=f"{member.email} downloaded their data",
        ip_address=ip_address,
    )
    return buffer.getvalue()


def member_erase(
    *, member: Member, ip_address: str | None = None, reason: str | None = None
) -> Member:
    """Close the member's account and erase their personal data and free text.

    Refused while an exchange waits for confirmation or a moderator, since
    credits are held for it; proposals and accepted exchanges are cancelled.
    With ``reason``, the system closes it (retention of dormant accounts): the
    audit entry has no actor and says why."""
    if member.email.endswith(f"@{ERASED_DOMAIN}"):
        return member
    waiting = Exchange.objects.filter(
        Q(provider=member) | Q(receiver=member),
        status__in=[Status.DELIVERED, Status.DISPUTED],
    )
    if waiting.exists():
        raise DomainError(
            _(
                "You have exchanges whose hours wait for confirmation or a moderator's "
                "decision. Please confirm or settle them first: %(titles)s."
            )
            % {"titles": ", ".join(exchange.title for exchange in waiting[:5])},
            code="exchanges_waiting",
            kind=ErrorKind.CONFLICT,
        )
    started = sessions_waiting(member)
    if started.exists():
        raise DomainError(
            _(
                "Credits are held for group sessions that have taken place but whose "
                "attendance is not recorded yet. Please wait until the organiser records "
                "who attended (or, if you organised them, record it): %(titles)s."
            )
            % {"titles": ", ".join(session.title for session in started[:5])},
            code="sessions_waiting",
            kind=ErrorKind.CONFLICT,
        )
    with transaction.atomic():
        sessions_end(member)
        preferences_erase(member)
        matching_end(member)
        coordination_end(member)
        leads_erase(member)
        for exchange in Exchange.objects.filter(
            Q(provider=member) | Q(receiver=member),
            status__in=[Status.PROPOSED, Status.ACCEPTED],
        ):
            exchange_services.exchange_cancel(
                exchange=exchange, member=member, reason=_("The member left Equitime.")
            )
        for listing in Listing.objects.filter(owner=member).exclude(status=Listing.Status.CLOSED):
            listing_services.listing_close(listing=listing, member=member)
        ledger.account_close(member=member, initiated_by=None if reason else member)
        _erase_free_text(member)
        audit_record(
            action=AuditEntry.Action.MEMBER_ERASED,
            actor=None if reason else member,
            target=member,
            summary=(
                f"Member {member.pk}'s account was closed and their data erased: {reason}"
                if reason
                else f"Member {member.pk} closed their account and erased their data"
            ),
            ip_address=ip_address,
        )
        _erase_identity(member)
    return Member.objects.get(pk=member.pk)


def _erase_free_text(member: Member) -> None:
    Listing.objects.filter(owner=member).update(
        title=_("Removed listing"), description=REMOVED, benefit=REMOVED, place="", languages=[]
    )
    listing_search_index_update_for_owner(member=member)
    ExchangeMessage.objects.filter(author=member).update(body=REMOVED)
    ExchangeEvent.objects.filter(actor=member).exclude(note="").update(note=REMOVED)
    Thanks.objects.filter(author=member).update(message=REMOVED, impact="", show_on_profile=False)
    Thanks.objects.filter(recipient=member).update(show_on_profile=False)
    Reflection.objects.filter(author=member).delete()
    # Reports stay (the listing may still break a rule), without the member's words.
    ListingFlag.objects.filter(flagged_by=member).exclude(note="").update(note=REMOVED)
    ListingFlag.objects.filter(decided_by=member).exclude(decision_note="").update(
        decision_note=REMOVED
    )
    Notification.objects.filter(recipient=member).delete()
    campaigns_erase(member)
    profile = Profile.objects.get(member=member)
    profile.skills.clear()
    Profile.objects.filter(pk=profile.pk).update(
        organisation=None,
        profession="",
        division="",
        languages=[],
        bio="",
        skills_offered=[],
        availability="",
    )


def _erase_identity(member: Member) -> None:
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator
    from allauth.socialaccount.models import SocialAccount

    EmailAddress.objects.filter(user=member).delete()
    # The single sign-on link holds the identity provider's claims (name,
    # e-mail); the authenticator holds a secret: neither has a use any more.
    SocialAccount.objects.filter(user=member).delete()
    Authenticator.objects.filter(user=member).delete()
    member.email = f"former-member-{member.pk}@{ERASED_DOMAIN}"
    member.display_name = FORMER_MEMBER
    member.set_unusable_password()
    member.is_active = False
    member.is_staff = False
    member.is_superuser = False
    member.last_login = None
    member.save(
        update_fields=[
            "email",
            "display_name",
            *member.name_keys_set(),
            "password",
            "is_active",
            "is_staff",
            "is_superuser",
            "last_login",
        ]
    )
    member.groups.clear()
    member.user_permissions.clear()
