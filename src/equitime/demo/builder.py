"""Builds the demo community from ``equitime.demo.content``.

``demo_build()`` creates invented organisations across health and care in
several countries, about forty members who join the way real ones do
(``member_join``: profile, ledger account and welcome gift), a staff
administrator, a moderator, and a few donations between members and to the
community pool. Then it shows the core loop: profiles pick skills from the
taxonomy, members post offers and requests, and exchanges between them stand
in every state of their lifecycle, from a fresh proposal to a dispute that a
moderator settled. The member the command prints for signing in finds a
proposal to accept and logged hours to confirm.

Everything goes through the services a person's clicks would call, so the
demo obeys every rule the product does. Running it again creates nothing new:
organisations are found by name and country, members by e-mail, listings by
owner and title, and each donation and exchange carries a fixed key; an
exchange is only moved through the steps it has not taken yet, and one that
someone has since moved elsewhere is left alone.

Every demo account shares one published password. That is the point of a demo
and the reason the command refuses to run in production.
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction

from equitime.core.errors import DomainError, ErrorKind
from equitime.core.units import format_credits
from equitime.demo.campaign_images import demo_campaign_images
from equitime.demo.campaigns import demo_campaigns
from equitime.demo.content import (
    ADMIN,
    ADMIN_EMAIL,
    DEMO_PASSWORD,
    DEMO_REPORT,
    DONATIONS,
    EXCHANGES,
    LISTINGS,
    MEMBERS,
    MODERATOR,
    ORGANISATIONS,
    PROFILE_SKILLS,
)
from equitime.demo.coordination import demo_coordination
from equitime.demo.group_sessions import demo_group_sessions
from equitime.demo.history import demo_history
from equitime.demo.leads import demo_leads
from equitime.demo.matching import demo_matching
from equitime.demo.preferences import demo_preferences
from equitime.demo.sessions import demo_sessions
from equitime.demo.specs import DemoExchange, DemoListing
from equitime.exchanges import services as exchanges
from equitime.exchanges.models import Exchange, Reflection, Status, Thanks
from equitime.ledger.errors import LedgerError
from equitime.ledger.models import Transfer
from equitime.ledger.selectors import account_for_member
from equitime.ledger.services import donation_make
from equitime.listings.models import Listing
from equitime.listings.services import listing_close, listing_create, listing_pause
from equitime.members import roles
from equitime.members.models import Member, Organisation, Profile
from equitime.members.services import member_join, member_role_grant, profile_update
from equitime.moderation.models import ListingFlag
from equitime.moderation.services import listing_flag
from equitime.skills.models import ImprovementArea, Skill

DUMMY_EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"


@dataclass(frozen=True)
class StepCount:
    total: int
    new: int


@dataclass(frozen=True)
class DemoResult:
    organisations: StepCount
    members: StepCount
    donations: StepCount
    listings: StepCount
    exchanges: StepCount
    exchange_statuses: dict[str, int]  # status value -> demo exchanges in it
    skipped: tuple[str, ...] = ()


@contextmanager
def _email_to_nowhere() -> Iterator[None]:
    """Any e-mail sent inside goes to the dummy back end. What
    ``django.test.override_settings`` did here before, without importing
    Django's test tools into runtime code: the mail back end is read from
    the settings afresh for every message, so no cache needs telling."""
    previous = settings.EMAIL_BACKEND
    settings.EMAIL_BACKEND = DUMMY_EMAIL_BACKEND
    try:
        yield
    finally:
        settings.EMAIL_BACKEND = previous


def demo_build() -> DemoResult:
    """Create the demo community, or find it already there, in one transaction.

    A step that a rule refuses (a member short of credits, a listing someone
    has since closed) is skipped with a note in ``skipped``; the rest of the
    demo is still worth having. Anything unexpected undoes the whole run."""
    skipped: list[str] = []
    # The people are invented: their notifications stay on the site and are
    # never e-mailed (the console back end would also print a hundred of them
    # over the command's own output). From the command this transaction is the
    # outermost, so e-mail sent after its commit still meets the dummy back
    # end. That holds for a task backend that runs at once (as in tests); the
    # database queue only queues the e-mail here, and the worker sends it later.
    with _email_to_nowhere(), transaction.atomic():
        organisations, new_organisations = _organisations()
        # One hash for every demo account, made only if someone new needs it:
        # hashing the same published password forty times would cost half a
        # minute of `make run` for nothing.
        password_hash = functools.cache(lambda: make_password(DEMO_PASSWORD))
        members, new_members = _members(organisations, password_hash)
        admin, new_admin = _admin(password_hash)
        _profile_skills(members)
        people = {**members, ADMIN: admin, MODERATOR: _moderator(members[MODERATOR])}
        # The past first: it leaves every balance as it found it, so the
        # stories below meet the credits they always did.
        demo_history(people, skipped)
        listings, new_listings = _listings(people, skipped)
        demo_exchanges, new_exchanges = _exchanges(people, listings, skipped)
        # After the exchanges: only credits earned by giving time are given on.
        donations, new_donations = _donations(members, skipped)
        # Pausing and closing come after the exchanges, which start from open
        # listings, and only on the run that posts the listing: one a person
        # has reopened since stays open.
        for spec in LISTINGS:
            if spec.key in new_listings and spec.status != Listing.Status.OPEN:
                _listing_leave(listings[spec.key], spec, people, skipped)
        _reports(people, listings, skipped)
        demo_group_sessions(people, skipped)
        demo_sessions(people=people, skipped=skipped)
        demo_preferences(people)
        demo_campaigns(people, skipped)
        demo_matching(people, skipped)
        demo_coordination(people, skipped)
        demo_leads(people, skipped)
        demo_campaign_images(people[ADMIN], skipped)
    statuses = Counter(exchange.status for exchange in demo_exchanges)
    return DemoResult(
        organisations=StepCount(len(ORGANISATIONS), new_organisations),
        members=StepCount(len(MEMBERS) + 1, new_members + new_admin),
        donations=StepCount(donations, new_donations),
        listings=StepCount(len(listings), len(new_listings)),
        exchanges=StepCount(len(demo_exchanges), new_exchanges),
        exchange_statuses={status: statuses[status] for status in Status.values},
        skipped=tuple(skipped),
    )


def _reports(people: dict[str, Member], listings: dict[str, Listing], skipped: list[str]) -> None:
    handle, listing_key, reason, note = DEMO_REPORT
    listing, reporter = listings.get(listing_key), people[handle]
    if listing is None or ListingFlag.objects.filter(listing=listing, flagged_by=reporter).exists():
        return
    try:
        listing_flag(listing=listing, member=reporter, reason=reason, note=note)
    except DomainError as error:
        skipped.append(f"report on {listing_key}: {error.message}")


def _organisations() -> tuple[dict[str, Organisation], int]:
    # There is no organisation service yet: creating a row has no rule to
    # enforce beyond the unique name per country, which the lookup respects.
    found: dict[str, Organisation] = {}
    new = 0
    for spec in ORGANISATIONS:
        organisation = Organisation.objects.filter(
            name__iexact=spec.name, country=spec.country
        ).first()
        if organisation is None:
            organisation = Organisation.objects.create(
                name=spec.name, kind=spec.kind, country=spec.country
            )
            new += 1
        found[spec.name] = organisation
    return found, new


def _members(
    organisations: dict[str, Organisation], password_hash: Callable[[], str]
) -> tuple[dict[str, Member], int]:
    found: dict[str, Member] = {}
    new = 0
    for spec in MEMBERS:
        member = Member.objects.filter(email__iexact=spec.email).first()
        if member is None:
            member = member_join(
                email_verified=True,
                email=spec.email,
                display_name=spec.display_name,
                password=None,
                organisation=organisations[spec.organisation],
                profession=spec.profession,
                division=spec.division,
                country=spec.country,
                time_zone=spec.time_zone,
                languages=list(spec.languages),
                bio=spec.bio,
                skills_offered=list(spec.skills_offered),
                availability=spec.availability,
                preference=spec.preference,
            )
            member.password = password_hash()
            member.save(update_fields=["password"])
            new += 1
        found[spec.handle] = member
    return found, new


def _admin(password_hash: Callable[[], str]) -> tuple[Member, int]:
    admin = Member.objects.filter(email__iexact=ADMIN_EMAIL).first()
    if admin is not None:
        return admin, 0
    admin = member_join(
        email_verified=True,
        email=ADMIN_EMAIL,
        display_name="Demo Administrator",
        password=None,
        profession="Community administrator",
        bio="Looks after the demo community: moderation, flags and the Django admin.",
    )
    admin.password = password_hash()
    admin.is_staff = True
    admin.is_superuser = True
    admin.save(update_fields=["password", "is_staff", "is_superuser"])
    admin = member_role_grant(member=admin, role=roles.COMMUNITY_ADMIN, by=None)
    return admin, 1


def _donations(members: dict[str, Member], skipped: list[str]) -> tuple[int, int]:
    """Returns how many demo donations exist, and how many of them are new."""
    made = new = 0
    for spec in DONATIONS:
        already_made = Transfer.objects.filter(key=spec.key).exists()
        try:
            donation_make(
                key=spec.key,
                donor=members[spec.donor],
                recipient=members[spec.recipient] if spec.recipient else None,
                amount=spec.minutes,
                memo=spec.memo,
            )
        except LedgerError as exc:
            # Someone may have spent a demo member's credits in between runs.
            skipped.append(f"{spec.key}: {exc.message}")
            continue
        made += 1
        if not already_made:
            new += 1
    return made, new


def _profile_skills(members: dict[str, Member]) -> None:
    """Give each demo member their taxonomy skills, unless they have some:
    a member who changed them since keeps their own choice."""
    skills = {skill.slug: skill for skill in Skill.objects.all()}
    with_skills = set(
        Profile.skills.through.objects.filter(profile__member__in=members.values()).values_list(
            "profile__member_id", flat=True
        )
    )
    for handle, member in members.items():
        if member.pk in with_skills or not Profile.objects.filter(member=member).exists():
            continue
        chosen = [skills[slug] for slug in PROFILE_SKILLS.get(handle, ()) if slug in skills]
        if chosen:
            # Their own display name: a member found at a demo address keeps theirs.
            profile_update(member=member, display_name=member.display_name, skills=chosen)


def _moderator(member: Member) -> Member:
    return member_role_grant(member=member, role=roles.MODERATOR, by=None)  # twice changes nothing


def _listings(people: dict[str, Member], skipped: list[str]) -> tuple[dict[str, Listing], set[str]]:
    """The demo listings by key (new or found by owner and title), and the
    keys of those posted on this run."""
    areas = {area.slug: area for area in ImprovementArea.objects.all()}
    skills = {skill.slug: skill for skill in Skill.objects.all()}
    found: dict[str, Listing] = {}
    new: set[str] = set()
    for spec in LISTINGS:
        owner = people[spec.owner]
        listing = Listing.objects.filter(owner=owner, title=spec.title).first()
        if listing is None:
            if spec.area not in areas:
                skipped.append(f"listing {spec.title!r}: no improvement area {spec.area!r}")
                continue
            try:
                listing = listing_create(
                    owner=owner,
                    kind=spec.kind,
                    title=spec.title,
                    description=spec.description,
                    improvement_area=areas[spec.area],
                    benefit=spec.benefit,
                    estimated_minutes=spec.minutes,
                    format=spec.format,
                    skills=[skills[slug] for slug in spec.skills if slug in skills],
                    place=spec.place,
                    languages=list(spec.languages),
                )
            except DomainError as error:
                skipped.append(f"listing {spec.title!r}: {error.message}")
                continue
            new.add(spec.key)
        found[spec.key] = listing
    return found, new


def _listing_leave(
    listing: Listing, spec: DemoListing, people: dict[str, Member], skipped: list[str]
) -> None:
    change = listing_close if spec.status == Listing.Status.CLOSED else listing_pause
    try:
        change(listing=listing, member=people[spec.owner])
    except DomainError as error:
        skipped.append(f"listing {spec.title!r}: {error.message}")


def _exchanges(
    people: dict[str, Member], listings: dict[str, Listing], skipped: list[str]
) -> tuple[list[Exchange], int]:
    """The demo exchanges, each driven towards its outcome, and how many
    were proposed on this run."""
    areas = {area.slug: area for area in ImprovementArea.objects.all()}
    by_pk = {member.pk: member for member in people.values()}
    new = 0
    for spec in EXCHANGES:
        exchange = Exchange.objects.filter(request_key=spec.key).first()
        try:
            if exchange is None:
                exchange = _exchange_propose(spec, people, listings, areas)
                new += 1
                for author, text in spec.replies:
                    exchanges.exchange_message_post(
                        exchange=exchange, member=people[author], body=text
                    )
            exchange = _exchange_drive(exchange, spec, people, by_pk)
            if exchange.status == Status.COMPLETED:
                _exchange_thank(exchange, spec, people)
        except DomainError as error:
            skipped.append(f"{spec.key}: {error.message}")
    found = Exchange.objects.filter(request_key__in=[spec.key for spec in EXCHANGES])
    return list(found), new


def _exchange_propose(
    spec: DemoExchange,
    people: dict[str, Member],
    listings: dict[str, Listing],
    areas: dict[str, ImprovementArea],
) -> Exchange:
    proposer = people[spec.proposer]
    if spec.direct is not None:
        return exchanges.exchange_propose_direct(
            member=proposer,
            other=people[spec.direct.other],
            member_gives=spec.direct.member_gives,
            title=spec.direct.title,
            improvement_area=areas[spec.direct.area],
            benefit=spec.direct.benefit,
            minutes=spec.minutes,
            message=spec.message,
            request_key=spec.key,
        )
    listing = listings.get(spec.listing or "")
    if listing is None:
        raise DomainError(f"its listing {spec.listing!r} is not there", kind=ErrorKind.CONFLICT)
    return exchanges.exchange_propose_from_listing(
        listing=listing,
        member=proposer,
        minutes=spec.minutes,
        message=spec.message,
        request_key=spec.key,
    )


# One step of an exchange's path: (status it leads to, the move).
Step = tuple[str, Callable[[Exchange], Exchange]]


def _exchange_path(
    spec: DemoExchange, people: dict[str, Member], by_pk: dict[int, Member]
) -> list[Step]:
    """The moves from ``proposed`` to the spec's outcome, each made by the
    member who would make it on the site."""

    def provider(ex: Exchange) -> Member:
        return by_pk.get(ex.provider_id) or ex.provider

    def receiver(ex: Exchange) -> Member:
        return by_pk.get(ex.receiver_id) or ex.receiver

    def answerer(ex: Exchange) -> Member:
        return receiver(ex) if ex.proposed_by_id == ex.provider_id else provider(ex)

    def accept(ex: Exchange) -> Exchange:
        account = account_for_member(member=receiver(ex))
        available = account.available if account else 0
        if available < ex.proposed_minutes:
            raise DomainError(
                f"not accepted: {receiver(ex).display_name} has {format_credits(available)} "
                f"credits available, {format_credits(ex.proposed_minutes)} needed",
                kind=ErrorKind.CONFLICT,
            )
        return exchanges.exchange_accept(exchange=ex, member=answerer(ex))

    def deliver(ex: Exchange) -> Exchange:
        minutes = spec.logged or spec.minutes
        return exchanges.exchange_deliver(exchange=ex, member=provider(ex), minutes=minutes)

    def confirm(ex: Exchange) -> Exchange:
        return exchanges.exchange_confirm(exchange=ex, member=receiver(ex))

    def dispute(ex: Exchange) -> Exchange:
        return exchanges.exchange_dispute(exchange=ex, member=receiver(ex), reason=spec.reason)

    def decline(ex: Exchange) -> Exchange:
        return exchanges.exchange_decline(exchange=ex, member=answerer(ex), reason=spec.reason)

    def cancel(ex: Exchange) -> Exchange:
        member = people[spec.cancelled_by]
        return exchanges.exchange_cancel(exchange=ex, member=member, reason=spec.reason)

    def resolve(ex: Exchange) -> Exchange:
        resolution = spec.resolution
        assert resolution is not None  # only on the path of a spec that has one
        return exchanges.exchange_resolve(
            exchange=ex,
            moderator=people[resolution.moderator],
            minutes=resolution.minutes,
            note=resolution.note,
        )

    accepted: list[Step] = [(Status.ACCEPTED, accept)]
    delivered: list[Step] = [*accepted, (Status.DELIVERED, deliver)]
    outcome = spec.outcome
    if outcome == Status.PROPOSED:
        return []
    if outcome == Status.DECLINED:
        return [(Status.DECLINED, decline)]
    if outcome == Status.CANCELLED:
        return [*(accepted if spec.cancel_after_accept else []), (Status.CANCELLED, cancel)]
    if outcome == Status.ACCEPTED:
        return accepted
    if outcome == Status.DELIVERED:
        return delivered
    if outcome == Status.DISPUTED:
        return [*delivered, (Status.DISPUTED, dispute)]
    if spec.resolution is not None:  # completed or voided by a moderator
        return [*delivered, (Status.DISPUTED, dispute), (outcome, resolve)]
    return [*delivered, (Status.COMPLETED, confirm)]


def _exchange_drive(
    exchange: Exchange, spec: DemoExchange, people: dict[str, Member], by_pk: dict[int, Member]
) -> Exchange:
    """Make only the moves the exchange has not made yet. One that someone
    has taken elsewhere on the site (declined what the demo would accept,
    say) is left as it is."""
    path = _exchange_path(spec, people, by_pk)
    reached = [Status.PROPOSED, *(status for status, _move in path)]
    if exchange.status not in reached:
        return exchange
    for _status, move in path[reached.index(exchange.status) :]:
        exchange = move(exchange)
    return exchange


def _exchange_thank(exchange: Exchange, spec: DemoExchange, people: dict[str, Member]) -> None:
    """Thanks and reflections the exchange does not have yet."""
    thanked = set(Thanks.objects.filter(exchange=exchange).values_list("author_id", flat=True))
    for thanks in spec.thanks:
        author = people[thanks.author]
        if author.pk not in thanked:
            exchanges.thanks_give(
                exchange=exchange, member=author, message=thanks.message, impact=thanks.impact
            )
    reflected = set(
        Reflection.objects.filter(exchange=exchange).values_list("author_id", flat=True)
    )
    for handle, text, *parts in spec.reflections:
        author = people[handle]
        learned, practice_change, standards = (*parts, "", "", "")[:3]
        if author.pk not in reflected:
            exchanges.reflection_save(
                exchange=exchange,
                member=author,
                text=text,
                learned=learned,
                practice_change=practice_change,
                standards=standards,
            )
