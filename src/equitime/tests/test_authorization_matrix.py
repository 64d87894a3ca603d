"""Who may change what: one authorization matrix over every URL that changes things.

Every URL of ours whose view accepts POST (and, for the JSON API, PUT, PATCH
or DELETE) has at least one row in ``CASES``. A row says how to build the
object the URL acts on (an exchange in the state the action needs, a listing,
a notification, a report, a member to suspend ...), what to send, and what
each role gets. ``test_every_url_that_accepts_post_is_in_the_matrix`` sends
such a request to every URL of ours and fails, naming the URL, when one that
takes it has no row, so a new endpoint cannot be forgotten. allauth's URLs are
in the matrix where a member could name someone else's row in the form (an
e-mail address, a connected sign-in); the rest of allauth, django-ninja's
schema pages and the Django admin are left out with the reason
(``NOT_IN_MATRIX``, ``ADMIN_PREFIX``).

The roles:

- ``anonymous``: nobody signed in.
- ``stranger``: another member, with no part in the object and no role.
- ``owner``: the member the object belongs to: the listing's owner (in an
  exchange, the provider, whose offer was taken up), the notification's
  recipient, the account holder; on role pages, the member the page acts on
  or, for invitations, the community administrator who sent them.
- ``party``: the other member in an exchange (the receiver, who proposed it),
  or the member who reported a listing.
- ``moderator``: a member with the moderator role.
- ``admin``: a community administrator, on the pages that are theirs.

The first four are asked of every row; ``party`` and ``admin`` where they mean
something. What each may get is an ``Outcome``. "Nothing changed" compares
every row of every table (sessions aside) before and after the request.
Pages that show one member's object are checked with GET at the end: anyone
else gets 404.
"""

import enum
import inspect
import json
import re
import sys
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, Literal

import pytest
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount, SocialApp
from django.apps import apps
from django.contrib.sessions.models import Session
from django.core import mail
from django.core.cache import cache
from django.db import connection, transaction
from django.test import override_settings
from django.urls import Resolver404, resolve, reverse
from django.urls.converters import IntConverter
from django.utils import timezone

from equitime.api.models import ApiToken
from equitime.api.services import api_token_create
from equitime.audit.models import AuditEntry
from equitime.coordination import services as coordination
from equitime.coordination.models import Consent
from equitime.core.unsubscribe import unsubscribe_token
from equitime.exchanges import services as exchanges
from equitime.exchanges.models import Exchange, ExchangeMessage, Reflection, Status, Thanks
from equitime.exports.models import Export
from equitime.impact.leads import lead_appoint
from equitime.impact.models import OrganisationLead
from equitime.ledger.models import Transfer
from equitime.ledger.tests.factories import earn
from equitime.listings.models import Format, Listing
from equitime.listings.services import listing_create, listing_pause
from equitime.matching import services as matching
from equitime.matching.models import HelpInvitation
from equitime.members import roles
from equitime.members.models import Invitation, Member, Organisation, Profile
from equitime.members.services import invitation_send, member_role_grant
from equitime.members.tests.factories import PASSWORD, make_member
from equitime.moderation import services as moderation
from equitime.moderation.models import ListingFlag
from equitime.moderation.services import member_suspend
from equitime.notifications.models import Notification
from equitime.notifications.preferences import member_wants_digest, member_wants_email
from equitime.scheduling import groups
from equitime.scheduling.calendar_services import calendar_feed_create
from equitime.scheduling.models import (
    CalendarSettings,
    CreditPolicy,
    ProposedTime,
    SchedulingSettings,
    Seat,
)
from equitime.scheduling.models import Session as ScheduledSession
from equitime.scheduling.services import session_choose_time, session_propose_times
from equitime.scheduling.slots import Slot
from equitime.scheduling.tests.factories import group_session
from equitime.skills.models import ImprovementArea, Skill
from equitime.tests.test_security import url_patterns

pytestmark = pytest.mark.django_db

# --- What may happen --------------------------------------------------------------


class Outcome(enum.Enum):
    SIGN_IN = "sent to sign in, nothing changed"
    UNAUTHORIZED = "401 from the API, nothing changed"
    REAUTH = "asked for the password again, nothing changed"
    NOT_FOUND = "404, nothing changed"
    FORBIDDEN = "403, nothing changed"
    UNCHANGED = "answered (a refusal on the page, or a page that only reads), nothing changed"
    REFUSED = "the API refuses with a problem (403, 409 or 422), nothing changed"
    DONE = "the change happened"
    OWN = "the change happened to the actor's own account, not the owner's"


SIGN_IN, UNAUTHORIZED, REAUTH, NOT_FOUND, FORBIDDEN, UNCHANGED, REFUSED, DONE, OWN = Outcome
CORE_ROLES = ("anonymous", "stranger", "owner", "moderator")
ROLES = (*CORE_ROLES, "party", "admin")
LOGIN_URL = reverse("account_login")
REAUTHENTICATE_URL = reverse("account_reauthenticate")


# --- The world every row starts from ------------------------------------------------


@dataclass
class World:
    owner: Member
    party: Member
    stranger: Member
    moderator: Member
    admin: Member
    offer: Listing  # the owner's open offer
    made: dict[str, Any] = field(default_factory=dict)  # what the row's builder made

    def member(self, role: str) -> Member | None:
        return None if role == "anonymous" else getattr(self, role)


def world_make() -> World:
    owner = make_member(display_name="Amina Owner")
    offer = listing_create(
        owner=owner,
        kind=Listing.Kind.OFFER,
        title="Survival analysis in R",
        description="I can walk you through Kaplan-Meier curves.",
        improvement_area=ImprovementArea.objects.get(slug="patient-safety"),
        benefit="Better evidence on readmissions for the frailty team.",
        estimated_minutes=60,
        format=Format.REMOTE,
    )
    return World(
        owner=owner,
        party=make_member(display_name="Ben Party"),
        stranger=make_member(display_name="Sam Stranger"),
        moderator=member_role_grant(
            member=make_member(display_name="Mo Moderator"), role=roles.MODERATOR, by=None
        ),
        admin=member_role_grant(
            member=make_member(display_name="Ada Admin"), role=roles.COMMUNITY_ADMIN, by=None
        ),
        offer=offer,
    )


MEMBERS = ("owner", "party", "stranger", "moderator", "admin")


def with_earned_credit(w: World) -> Literal[True]:
    """Give every member of the world credits earned by giving time: only
    those may be given on (ledger.selectors.account_donatable)."""
    for name in MEMBERS:
        earn(getattr(w, name), 60)
    return True


@pytest.fixture(scope="module")
def world_ids(django_db_setup, django_db_blocker):
    """The world, made once for the module in a transaction rolled back at its
    end. Each test runs in a savepoint inside it (pytest-django's own atomic),
    so every row starts from the same world and leaves nothing behind."""
    # The tests check passwords with the fast hasher the root conftest sets per test.
    fast = override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    with django_db_blocker.unblock(), transaction.atomic():
        with fast:
            w = world_make()
        yield {role: getattr(w, role).pk for role in MEMBERS} | {"offer": w.offer.pk}
        transaction.set_rollback(True)


@pytest.fixture
def w(db, world_ids) -> World:
    """The world, read afresh: each test's changes are rolled back, and a
    member's permissions are cached on the object."""

    def member(role: str) -> Member:
        return Member.objects.get(pk=world_ids[role])

    return World(
        owner=member("owner"),
        party=member("party"),
        stranger=member("stranger"),
        moderator=member("moderator"),
        admin=member("admin"),
        offer=Listing.objects.get(pk=world_ids["offer"]),
    )


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Signing in through the form counts against allauth's limits, kept in the cache."""
    cache.clear()
    yield
    cache.clear()


# --- Rows ---------------------------------------------------------------------------


@dataclass
class Post:
    kwargs: dict[str, Any] = field(default_factory=dict)
    data: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Case:
    name: str  # the URL's name
    build: Callable[[World], Post]
    expect: Mapping[str, Outcome]
    # Whether the change happened, for the member who posted (DONE, OWN).
    done: Callable[[World, Member], bool] | None = None
    action: str | None = None  # for URLs with an <action> part
    label: str = ""  # tells two rows of one URL apart
    # Sign in through the form and confirm the password, as sensitive pages ask.
    reauth: bool = False
    method: str = "post"  # the JSON API also takes PATCH, PUT and DELETE

    @property
    def id(self) -> str:
        method = "" if self.method == "post" else self.method
        return "-".join(part for part in (self.name, self.action, self.label, method) if part)

    def url(self, post: Post) -> str:
        kwargs = {**post.kwargs, **({"action": self.action} if self.action else {})}
        return reverse(self.name, kwargs=kwargs)


def owned(owner=DONE, **others) -> dict[str, Outcome]:
    """An object of the owner's: anyone else is told it does not exist."""
    return dict(anonymous=SIGN_IN, stranger=NOT_FOUND, owner=owner, moderator=NOT_FOUND) | others


def own_account(**others) -> dict[str, Outcome]:
    """A page about the signed-in member only: each member changes their own."""
    return dict(anonymous=SIGN_IN, stranger=OWN, owner=DONE, moderator=OWN) | others


def role_page(**others) -> dict[str, Outcome]:
    """A page for a role: members without it are refused with 403."""
    return dict(anonymous=SIGN_IN, stranger=FORBIDDEN, owner=FORBIDDEN, moderator=FORBIDDEN) | (
        others
    )


def reads_only(**others) -> dict[str, Outcome]:
    """A page that only shows something: a POST is answered like a GET."""
    return dict(anonymous=SIGN_IN, stranger=UNCHANGED, owner=UNCHANGED, moderator=UNCHANGED) | (
        others
    )


def api_owned(owner=DONE, **others) -> dict[str, Outcome]:
    """``owned`` as the JSON API says it: 401 for nobody, 404 for anyone else."""
    return owned(owner, anonymous=UNAUTHORIZED) | others


def api_own_account(**others) -> dict[str, Outcome]:
    return own_account(anonymous=UNAUTHORIZED) | others


def api_role(**others) -> dict[str, Outcome]:
    """``role_page`` as the JSON API says it: 401 for nobody, 403 without the role."""
    return role_page(anonymous=UNAUTHORIZED) | others


# --- Builders -------------------------------------------------------------------------

STATUS_PATH = {
    Status.PROPOSED: [],
    Status.ACCEPTED: ["accept"],
    Status.DELIVERED: ["accept", "deliver"],
    Status.COMPLETED: ["accept", "deliver", "confirm"],
    Status.DISPUTED: ["accept", "deliver", "dispute"],
    # Completed by the moderator's decision: the moderator still sees it.
    "resolved": ["accept", "deliver", "dispute", "resolve"],
}


def exchange_make(w: World, status: str) -> Exchange:
    """The party takes up the owner's offer (the owner provides, the party
    receives) and the exchange is walked on to ``status``."""
    exchange = exchanges.exchange_propose_from_listing(
        listing=w.offer, member=w.party, minutes=60, message="Could we meet on Tuesday?"
    )
    moves = {
        "accept": lambda ex: exchanges.exchange_accept(exchange=ex, member=w.owner),
        "deliver": lambda ex: exchanges.exchange_deliver(exchange=ex, member=w.owner, minutes=60),
        "confirm": lambda ex: exchanges.exchange_confirm(exchange=ex, member=w.party),
        "dispute": lambda ex: exchanges.exchange_dispute(
            exchange=ex, member=w.party, reason="We met for half an hour, not an hour."
        ),
        "resolve": lambda ex: exchanges.exchange_resolve(
            exchange=ex, moderator=w.moderator, minutes=30, note="Half an hour."
        ),
    }
    for move in STATUS_PATH[status]:
        exchange = moves[move](exchange)
    assert exchange.status == {"resolved": Status.COMPLETED}.get(status, status)
    w.made["exchange"] = exchange
    return exchange


def an_exchange(status: str, *, owner_role: str | None = None, **data) -> Callable[[World], Post]:
    def build(w: World) -> Post:
        if owner_role:
            w.owner = member_role_grant(member=w.owner, role=owner_role, by=None)
        return Post(kwargs={"pk": exchange_make(w, status).pk}, data=data)

    return build


def the_exchange(w: World) -> Exchange:
    return Exchange.objects.get(pk=w.made["exchange"].pk)


def status_is(status: str) -> Callable[[World, Member], bool]:
    return lambda w, actor: the_exchange(w).status == status


def written_by(model) -> Callable[[World, Member], bool]:
    return lambda w, actor: model.objects.filter(exchange=w.made["exchange"], author=actor).exists()


def a_listing(
    status: str = Listing.Status.OPEN, data: Callable[[], dict] = dict
) -> Callable[[World], Post]:
    def build(w: World) -> Post:
        if status == Listing.Status.PAUSED:
            listing_pause(listing=w.offer, member=w.owner)
        elif status == Listing.Status.EXPIRED:
            # What the nightly expiry leaves behind.
            Listing.objects.filter(pk=w.offer.pk).update(
                status=Listing.Status.EXPIRED, expires_at=timezone.now() - timedelta(days=1)
            )
        return Post(kwargs={"pk": w.offer.pk}, data=data())

    return build


def listing_now(w: World) -> Listing:
    return Listing.objects.get(pk=w.offer.pk)


def listing_is(status: str) -> Callable[[World, Member], bool]:
    return lambda w, actor: listing_now(w).status == status


def a_notification(w: World) -> Post:
    exchange = exchange_make(w, Status.PROPOSED)
    notification = Notification.objects.get(recipient=w.owner, exchange=exchange)
    w.made["notification"] = notification
    return Post(kwargs={"pk": notification.pk})


def a_notifications_id(w: World) -> Post:
    """The id of the owner's notification, as the list page posts it to mark it read."""
    return Post(data={"id": [a_notification(w).kwargs["pk"]]})


def an_unread_notification(w: World) -> Post:
    """The owner has a notification; the request names none."""
    a_notification(w)
    return Post()


def notification_read(w: World, actor: Member) -> bool:
    return Notification.objects.get(pk=w.made["notification"].pk).read_at is not None


def owner_is_inviter(w: World) -> None:
    w.owner = member_role_grant(member=w.owner, role=roles.COMMUNITY_ADMIN, by=None)


def an_invitation_form(w: World) -> Post:
    owner_is_inviter(w)
    return Post(data={"email": "guest@example.org"})


def an_invitation(w: World) -> Post:
    owner_is_inviter(w)
    invitation, _token = invitation_send(email="guest@example.org", by=w.owner)
    w.made["invitation"] = invitation
    return Post(kwargs={"pk": invitation.pk})


def an_invitation_link(w: World) -> Post:
    _invitation, token = invitation_send(email="guest@example.org", by=w.admin)
    return Post(kwargs={"token": token})


def an_unsubscribe_link(w: World) -> Post:
    return Post(kwargs={"token": unsubscribe_token(member_id=w.owner.pk, scope="digest")})


def nothing(w: World) -> Post:
    return Post()


def owner_has_a_feed(w: World) -> Post:
    calendar_feed_create(member=w.owner)
    return Post()


def has_a_feed(w: World, actor: Member) -> bool:
    return CalendarSettings.objects.filter(member=actor, feed_token__isnull=False).exists()


def feed_off(w: World, actor: Member) -> bool:
    return CalendarSettings.objects.filter(member=actor, feed_token__isnull=True).exists()


def reminders_of(member: Member) -> tuple[bool, bool] | None:
    found = CalendarSettings.objects.filter(member=member).first()
    return None if found is None else (found.remind_day_before, found.remind_hour_before)


def a_scheduled_session(w: World) -> Post:
    """A one-to-one session of the world's exchange: the owner provides, the party receives."""
    exchange = exchange_make(w, Status.ACCEPTED)
    session = ScheduledSession.objects.create(
        kind=ScheduledSession.Kind.ONE_TO_ONE,
        exchange=exchange,
        organiser=w.owner,
        title=exchange.title,
        status=ScheduledSession.Status.SCHEDULED,
        starts_at=timezone.now() + timedelta(days=3),
        minutes=60,
        place="Library",
    )
    return Post(kwargs={"pk": session.pk})


def with_data(**data) -> Callable[[World], Post]:
    return lambda w: Post(data=data)


def area_pk() -> int:
    return ImprovementArea.objects.get(slug="patient-safety").pk


def listing_form(**overrides) -> dict[str, Any]:
    return {
        "title": "Help designing a run chart",
        "description": "I have six months of falls data and need a run chart.",
        "improvement_area": area_pk(),
        "benefit": "Fewer falls on the elderly care wards.",
        "skills": [Skill.objects.get(slug="survival-analysis").pk],
        "hours": "1.5",
        "format": Format.REMOTE,
        "place": "",
        "languages": "English",
    } | overrides


PROFILE_FORM = {
    "display_name": "Dr Edited Name",
    "organisation": "",
    "profession": "Consultant anaesthetist",
    "division": "Perioperative medicine",
    "country": "GB",
    "time_zone": "Europe/London",
    "languages": "English",
    "skills_offered": "coaching",
    "availability": "Tuesday afternoons",
    "preference": Profile.Preference.REMOTE,
    "bio": "I lead our theatre safety work.",
}


def a_second_address(w: World) -> Post:
    address = EmailAddress.objects.create(
        user=w.owner, email="amina.home@example.org", verified=False, primary=False
    )
    w.made["address"] = address
    return Post(data={"email": address.email, "action_remove": ""})


def a_connected_sign_in(w: World) -> Post:
    SocialApp.objects.create(
        provider="openid_connect",
        provider_id="oidc",
        name="Single sign-on",
        client_id="equitime",
        settings={"server_url": "https://sso.example.org"},
    )
    account = SocialAccount.objects.create(user=w.owner, provider="oidc", uid="owner-at-sso")
    w.made["social"] = account
    return Post(data={"account": account.pk})


def a_flag(*, reported_by: str = "party", owner_role: str | None = None):
    """The owner's offer, reported by ``reported_by``; the decision form's note."""

    def build(w: World) -> Post:
        if owner_role:
            w.owner = member_role_grant(member=w.owner, role=owner_role, by=None)
        reporter = w.member(reported_by)
        assert reporter is not None, "only a member reports"
        flag = moderation.listing_flag(
            listing=w.offer, member=reporter, reason=ListingFlag.Reason.ASKS_FOR_MONEY
        )
        w.made["flag"] = flag
        return Post(kwargs={"pk": flag.pk}, data={f"flag-{flag.pk}-note": "Checked with both."})

    return build


def flag_is(status: str) -> Callable[[World, Member], bool]:
    def done(w: World, actor: Member) -> bool:
        flag = ListingFlag.objects.get(pk=w.made["flag"].pk)
        return flag.status == status and flag.decided_by_id == actor.pk

    return done


def flag_listing(status: str = Listing.Status.OPEN) -> Callable[[World], Post]:
    def build(w: World) -> Post:
        post = a_listing(status)(w)
        post.data = {"reason": ListingFlag.Reason.ASKS_FOR_MONEY, "note": ""}
        return post

    return build


def api_flag(**options) -> Callable[[World], Post]:
    """``a_flag`` for the API: the listing is named, and the body is the note."""

    def build(w: World) -> Post:
        a_flag(**options)(w)
        return Post(kwargs={"listing_id": w.offer.pk}, data={"note": "Checked with both."})

    return build


def flagged_by(w: World, actor: Member) -> bool:
    return ListingFlag.objects.filter(listing=w.offer, flagged_by=actor).exists()


def the_owner(*, holding: str | None = None, suspended: bool = False, **data):
    """The owner as the member a moderator or administrator acts on."""

    def build(w: World) -> Post:
        if holding:
            w.owner = member_role_grant(member=w.owner, role=holding, by=None)
        if suspended:
            member_suspend(member=w.owner, by=w.moderator, reason="Asked for money.")
        return Post(kwargs={"pk": w.owner.pk}, data=data)

    return build


def owner_now(w: World) -> Member:
    return Member.objects.get(pk=w.owner.pk)


def unconfirmed_addresses(w: World) -> Post:
    EmailAddress.objects.update(verified=False)
    return Post()


def an_api_token(w: World) -> Post:
    token, _secret = api_token_create(member=w.owner, name="Team rota script")
    w.made["token"] = token
    return Post(kwargs={"pk": token.pk})


def token_revoked(w: World, actor: Member) -> bool:
    return ApiToken.objects.get(pk=w.made["token"].pk).revoked_at is not None


def through_api(build: Callable[[World], Post], argument: str, **data) -> Callable[[World], Post]:
    """A page's builder for the API: its ``pk`` is named as the API names it
    (``exchange_id`` ...), and the body is JSON."""

    def api_build(w: World) -> Post:
        post = build(w)
        kwargs = {argument if name == "pk" else name: value for name, value in post.kwargs.items()}
        return Post(kwargs=kwargs, data=data)

    return api_build


def api_exchange(status: str, **data) -> Callable[[World], Post]:
    return through_api(an_exchange(status), "exchange_id", **data)


def api_listing(status: str = Listing.Status.OPEN, **data) -> Callable[[World], Post]:
    return through_api(a_listing(status), "listing_id", **data)


def the_page_of(what: str) -> Callable[[World], Post]:
    """Arguments for a page that only reads."""

    def build(w: World) -> Post:
        if what == "exchange":
            return Post(kwargs={"pk": exchange_make(w, Status.PROPOSED).pk})
        if what == "listing":
            return Post(kwargs={"pk": w.offer.pk})
        return Post(kwargs={"pk": w.owner.pk})

    return build


# --- Who can help -----------------------------------------------------------------------


def a_help_request(w: World) -> Listing:
    """The owner's open request, which the party's skills match."""
    request = listing_create(
        owner=w.owner,
        kind=Listing.Kind.REQUEST,
        title="Help with a sample size calculation",
        description="We are planning an audit of falls.",
        improvement_area=ImprovementArea.objects.get(slug="patient-safety"),
        benefit="Fewer falls on the elderly care wards.",
        estimated_minutes=60,
        format=Format.REMOTE,
        skills=[Skill.objects.get(slug="medical-statistics")],
    )
    w.made["request"] = request
    return request


def asking_the_party(w: World) -> Post:
    return Post(kwargs={"pk": a_help_request(w).pk}, data={"helper": w.party.pk})


def a_help_invitation(**data) -> Callable[[World], Post]:
    """The owner asked the party to help with their request."""

    def build(w: World) -> Post:
        invitation = matching.help_invitation_ask(
            listing=a_help_request(w), helper=w.party, member=w.owner
        )
        w.made["help_invitation"] = invitation
        return Post(kwargs={"pk": invitation.pk}, data=data)

    return build


def asked_by(w: World, actor: Member) -> bool:
    return HelpInvitation.objects.filter(listing=w.made["request"], asked_by=actor).exists()


def help_invitation_is(status: str) -> Callable[[World, Member], bool]:
    return lambda w, actor: (
        HelpInvitation.objects.get(pk=w.made["help_invitation"].pk).status == status
    )


def not_suggested(w: World, actor: Member) -> bool:
    return not matching.is_suggestable(actor)


# --- Group sessions -----------------------------------------------------------------


def a_group_session(*, started: bool = False, **data) -> Callable[[World], Post]:
    """The owner's group session under "shared", the party holding a place."""

    def build(w: World) -> Post:
        session = group_session(w.owner, policy=CreditPolicy.SHARED, capacity=3)
        groups.group_sign_up(session=session, member=w.party)
        if started:
            ScheduledSession.objects.filter(pk=session.pk).update(
                starts_at=timezone.now() - timedelta(minutes=5)
            )
        w.made["group_session"] = session
        return Post(kwargs={"pk": session.pk}, data={**data})

    return build


def _session_day() -> str:
    return (timezone.localdate() + timedelta(days=7)).isoformat()


def a_session(*, scheduled: bool = False, **data) -> Callable[[World], Post]:
    """An accepted exchange whose receiver (the party) proposed a time; with
    ``scheduled``, the owner chose it."""

    def build(w: World) -> Post:
        exchange = exchange_make(w, Status.ACCEPTED)
        slot = Slot(starts_at=timezone.now() + timedelta(days=3), minutes=60, place="Room 2")
        session = session_propose_times(exchange=exchange, member=w.party, slots=[slot])
        time = session.proposed_times.get()
        if scheduled:
            session_choose_time(proposed_time=time, member=w.owner)
        w.made["session"] = session
        kwargs = {"pk": exchange.pk} if scheduled else {"pk": exchange.pk, "time_pk": time.pk}
        return Post(kwargs=kwargs, data=data)

    return build


def a_started_group_session_attended_by_the_party(w: World) -> Post:
    post = a_group_session(started=True)(w)
    return Post(kwargs=post.kwargs, data={"attended": [w.party.pk]})


def group_session_is(status: str) -> Callable[[World, Member], bool]:
    def done(w: World, actor: Member) -> bool:
        return ScheduledSession.objects.get(pk=w.made["group_session"].pk).status == status

    return done


def has_a_seat(w: World, actor: Member) -> bool:
    return Seat.objects.filter(
        session=w.made["group_session"], member=actor, status__in=["booked", "waiting"]
    ).exists()


def group_session_form() -> dict[str, Any]:
    return {
        "title": "QI clinic",
        "improvement_area": area_pk(),
        "benefit": "Projects get unstuck.",
        "date": (timezone.now() + timedelta(days=7)).date().isoformat(),
        "time": "14:00",
        "hours": "1",
        "capacity": "6",
        "place": "Library",
    }


def group_session_json() -> dict[str, Any]:
    return {
        "title": "QI clinic",
        "improvement_area_id": area_pk(),
        "benefit": "Projects get unstuck.",
        "starts_at": (timezone.now() + timedelta(days=7)).isoformat(),
        "minutes": 60,
        "capacity": 6,
        "place": "Library",
    }


def organises(w: World, actor: Member) -> bool:
    return ScheduledSession.objects.filter(organiser=actor, title="QI clinic").exists()


def _session_instant() -> str:
    return (timezone.now() + timedelta(days=7)).replace(microsecond=0).isoformat()


def api_session(*, scheduled: bool = False, **data) -> Callable[[World], Post]:
    """``a_session`` for the API: the session by its id; choosing names the time."""

    def build(w: World) -> Post:
        post = a_session(scheduled=scheduled)(w)
        session = w.made["session"]
        body = dict(data)
        if not scheduled:
            body["proposed_time_id"] = post.kwargs["time_pk"]
        return Post(kwargs={"session_id": session.pk}, data=body)

    return build


def the_session(w: World) -> ScheduledSession:
    return ScheduledSession.objects.get(pk=w.made["session"].pk)


def session_is(status: str) -> Callable[[World, Member], bool]:
    return lambda w, actor: the_session(w).status == status


# --- The matrix -----------------------------------------------------------------------

EXCHANGE_MESSAGE = {"message-body": "Tuesday at two works for me."}
SESSION_TIME_FORM = {
    "propose-date1": _session_day(),
    "propose-time1": "10:00",
    "propose-length1": "60",
    "propose-place1": "Seminar room 2",
}
SESSION_MOVE_FORM = {
    "move-date": _session_day(),
    "move-time": "11:00",
    "move-length": "60",
    "move-place": "Seminar room 2",
    "move-reason": "The rota changed.",
}

# --- Campaigns ------------------------------------------------------------------------


def a_campaign(w: World) -> Any:
    from equitime.campaigns.services import campaign_create

    campaign = campaign_create(
        by=w.admin,
        title="Reducing length of stay",
        description="Fewer days in hospital.",
        improvement_area=ImprovementArea.objects.get(slug="patient-safety"),
        starts_on=timezone.now().date() - timedelta(days=1),
        ends_on=timezone.now().date() + timedelta(days=30),
        target_hours=100,
    )
    w.made["campaign"] = campaign
    return campaign


def campaign_form(**overrides) -> dict[str, Any]:
    return {
        "title": "Net zero in clinics",
        "description": "Greener clinics.",
        "improvement_area": area_pk(),
        "starts_on": timezone.now().date().isoformat(),
        "ends_on": (timezone.now().date() + timedelta(days=30)).isoformat(),
        "target_hours": "50",
    } | overrides


def the_campaign_is_titled(title: str) -> Callable[[World, Member], bool]:
    from equitime.campaigns.models import Campaign

    return lambda w, actor: Campaign.objects.filter(title=title).exists()


def the_offer_joins_a_campaign(w: World) -> Post:
    return Post(data={"campaign": a_campaign(w).slug, "listing": w.offer.pk})


def the_offer_in_a_campaign(*, ambassador: bool = False, **data) -> Callable[[World], Post]:
    """The owner's offer in a running campaign; the party an ambassador if asked."""
    from equitime.campaigns.services import campaign_listing_join

    def build(w: World) -> Post:
        campaign = a_campaign(w)
        campaign_listing_join(campaign=campaign, listing=w.offer, member=w.owner)
        if ambassador:
            w.party = member_role_grant(member=w.party, role=roles.AMBASSADOR, by=None)
        return Post(kwargs={"slug": campaign.slug}, data={"listing": w.offer.pk} | data)

    return build


def in_the_campaign(w: World, actor: Member) -> bool:
    from equitime.campaigns.models import CampaignListing

    return CampaignListing.objects.filter(listing=w.offer).exists()


def featured(w: World, actor: Member) -> bool:
    from equitime.campaigns.models import CampaignListing

    return CampaignListing.objects.filter(listing=w.offer, featured=True).exists()


def a_new_member_to_welcome(w: World) -> Post:
    """A member who joined today; the party is an ambassador."""
    newcomer = make_member(display_name="Nia Newcomer")
    w.made["newcomer"] = newcomer
    w.party = member_role_grant(member=w.party, role=roles.AMBASSADOR, by=None)
    return Post(kwargs={"pk": newcomer.pk}, data={"message": "Welcome to Equitime!"})


def welcomed(w: World, actor: Member) -> bool:
    from equitime.campaigns.models import Welcome

    return Welcome.objects.filter(member=w.made["newcomer"], ambassador=actor).exists()


def campaign_json(**overrides) -> dict[str, Any]:
    form = campaign_form()
    return {
        "title": form["title"],
        "description": form["description"],
        "improvement_area_id": form["improvement_area"],
        "starts_on": form["starts_on"],
        "ends_on": form["ends_on"],
        "target_hours": 50,
    } | overrides


def the_offer_in_a_campaign_for_the_api(**build_args) -> Callable[[World], Post]:
    def build(w: World) -> Post:
        post = the_offer_in_a_campaign(**build_args)(w)
        data = {k: v for k, v in post.data.items() if k not in ("listing",)}
        return Post(kwargs=post.kwargs | {"listing_id": w.offer.pk}, data=data)

    return build


# --- Coordination -------------------------------------------------------------------
# The owner is a coordinator, acting for the party with the party's consent on
# record; everyone else lacks the role (403), and the party may only withdraw.


def owner_coordinates(w: World, *, consent: bool = True) -> None:
    w.owner = member_role_grant(member=w.owner, role=roles.COORDINATOR, by=None)
    w.owner = Member.objects.get(pk=w.owner.pk)  # permissions are cached on the object
    if consent:
        w.made["consent"] = coordination.consent_record(
            coordinator=w.owner, member=w.party, method=Consent.Method.PAPER
        )


def coordinating(data: Callable[[World], dict[str, Any]], *, consent: bool = True):
    """The owner coordinates for the party; the request names the party."""

    def build(w: World) -> Post:
        owner_coordinates(w, consent=consent)
        return Post(kwargs={"member_id": w.party.pk}, data=data(w))

    return build


def the_session_of_the_owner_for_a_campaign(*, joined: bool) -> Callable[[World], Post]:
    """The owner organises a group session; a running campaign (it joined, if asked)."""
    from equitime.campaigns.services import campaign_session_join

    def build(w: World) -> Post:
        campaign = a_campaign(w)
        session = group_session(w.owner, policy=CreditPolicy.SHARED, capacity=3)
        w.made["group_session"] = session
        if joined:
            campaign_session_join(campaign=campaign, session=session, member=w.owner)
            return Post(kwargs={"slug": campaign.slug, "session_id": session.pk})
        return Post(kwargs={"slug": campaign.slug}, data={"session_id": session.pk})

    return build


def a_consent(w: World) -> Post:
    owner_coordinates(w)
    return Post(kwargs={"pk": w.made["consent"].pk})


def a_consent_form(w: World) -> Post:
    """The owner, a coordinator, records the party's consent with the picker."""
    owner_coordinates(w, consent=False)
    return Post(data={"member": w.party.display_name, "member_id": w.party.pk, "method": "paper"})


def a_consent_json(w: World) -> Post:
    owner_coordinates(w, consent=False)
    return Post(data={"member_id": w.party.pk, "method": "phone"})


def consent_withdrawn(w: World, actor: Member) -> bool:
    consent = Consent.objects.get(pk=w.made["consent"].pk)
    return consent.withdrawn_at is not None and consent.withdrawn_by_id == actor.pk


def consent_recorded(w: World, actor: Member) -> bool:
    return Consent.objects.filter(coordinator=actor, member=w.party).exists()


def posted_for_the_party(w: World, actor: Member) -> bool:
    return Listing.objects.filter(owner=w.party, recorded_by=actor).exists()


def proposed_for_the_party(w: World, actor: Member) -> bool:
    return Exchange.objects.filter(proposed_by=w.party, recorded_by=actor).exists()


def direct_exchange(w: World, *, party_gives: bool, to: str) -> Exchange:
    """An exchange between the party and the stranger, walked on until the
    party's ``to`` move is next (the coordinator makes it for them)."""
    exchange = exchanges.exchange_propose_direct(
        member=w.stranger,
        other=w.party,
        member_gives=not party_gives,
        title="Moving and handling refresher",
        improvement_area=ImprovementArea.objects.get(slug="patient-safety"),
        benefit="Fewer falls on the ward at night.",
        minutes=60,
    )
    if to == "deliver":
        exchange = exchanges.exchange_accept(exchange=exchange, member=w.party)
    if to == "confirm":
        exchange = exchanges.exchange_accept(exchange=exchange, member=w.party)
        exchange = exchanges.exchange_deliver(exchange=exchange, member=w.stranger, minutes=60)
    return exchange


COORDINATED_MOVES = {
    # move: (the party gives time?, form data, the status it leads to)
    "accept": (False, {}, Status.ACCEPTED),
    "decline": (False, {"reason": "She is on nights that week."}, Status.DECLINED),
    "cancel": (False, {}, Status.CANCELLED),
    "deliver": (True, {"hours": "1"}, Status.DELIVERED),
    "confirm": (False, {}, Status.COMPLETED),
}


def a_coordinated_move(move: str, *, api: bool = False) -> Callable[[World], Post]:
    party_gives, data, _status = COORDINATED_MOVES[move]

    def build(w: World) -> Post:
        owner_coordinates(w)
        exchange = direct_exchange(w, party_gives=party_gives, to=move)
        w.made["exchange"] = exchange
        body: dict[str, Any] = dict(data)
        if api and "hours" in body:
            body = {"minutes": 60}
        key = "exchange_id" if api else "pk"
        return Post(kwargs={"member_id": w.party.pk, key: exchange.pk}, data=body)

    return build


def coordinated_move_done(move: str) -> Callable[[World, Member], bool]:
    status = COORDINATED_MOVES[move][2]
    return lambda w, actor: (
        the_exchange(w).status == status
        and the_exchange(w).events.filter(recorded_by=actor).exists()
    )


# A coordinator's page or endpoint: only the coordinator (the owner) gets through.
def coordinator_only(**others) -> dict[str, Outcome]:
    return role_page(owner=DONE, party=FORBIDDEN, admin=FORBIDDEN) | others


def api_coordinator_only(**others) -> dict[str, Outcome]:
    return api_role(owner=DONE, party=FORBIDDEN, admin=FORBIDDEN) | others


def coordinated_listing_json(w: World) -> dict[str, Any]:
    return {
        "kind": Listing.Kind.OFFER,
        "title": "Help with moving and handling",
        "description": "Twenty years on the ward; happy to show newer colleagues.",
        "improvement_area_id": area_pk(),
        "benefit": "Safer transfers for patients.",
        "estimated_minutes": 60,
        "format": Format.IN_PERSON,
    }


def coordinated_exchange_form(w: World) -> dict[str, Any]:
    return {
        "colleague": w.stranger.display_name,
        "colleague_id": w.stranger.pk,
        "direction": "gave",
        "title": "Moving and handling refresher",
        "improvement_area": area_pk(),
        "benefit": "Fewer falls on the ward at night.",
        "hours": "1",
        "message": "",
    }


def coordinated_exchange_json(w: World) -> dict[str, Any]:
    return {
        "colleague_id": w.stranger.pk,
        "member_gives": True,
        "title": "Moving and handling refresher",
        "improvement_area_id": area_pk(),
        "benefit": "Fewer falls on the ward at night.",
        "minutes": 60,
    }


COORDINATION_CASES = [
    Case(
        "coordination_home",
        build=a_consent_form,
        done=consent_recorded,
        expect=coordinator_only(),
    ),
    Case(
        "coordination_listing_new",
        build=coordinating(lambda w: listing_form(kind=Listing.Kind.OFFER)),
        done=posted_for_the_party,
        expect=coordinator_only(),
    ),
    Case(
        "coordination_listing_new",
        label="no-consent",
        build=coordinating(lambda w: listing_form(kind=Listing.Kind.OFFER), consent=False),
        # Never consented: the coordinator is told the member is not theirs to act for.
        expect=coordinator_only(owner=NOT_FOUND),
    ),
    Case(
        "coordination_exchange_new",
        build=coordinating(coordinated_exchange_form),
        done=proposed_for_the_party,
        expect=coordinator_only(),
    ),
    *[
        Case(
            "coordination_exchange_act",
            action=move,
            build=a_coordinated_move(move),
            done=coordinated_move_done(move),
            expect=coordinator_only(),
        )
        for move in COORDINATED_MOVES
    ],
    Case(
        "coordination_consent_withdraw",
        build=a_consent,
        done=consent_withdrawn,
        expect=owned(party=DONE, admin=NOT_FOUND),
    ),
    Case(
        "api:coordination_consent_record",
        build=a_consent_json,
        done=consent_recorded,
        expect=api_coordinator_only(),
    ),
    Case(
        "api:coordination_consent_withdraw",
        build=through_api(a_consent, "consent_id"),
        done=consent_withdrawn,
        expect=api_owned(party=DONE, admin=NOT_FOUND),
    ),
    Case(
        "api:coordination_listing_create",
        build=coordinating(coordinated_listing_json),
        done=posted_for_the_party,
        expect=api_coordinator_only(),
    ),
    Case(
        "api:coordination_exchange_propose",
        build=coordinating(coordinated_exchange_json),
        done=proposed_for_the_party,
        expect=api_coordinator_only(),
    ),
    *[
        Case(
            f"api:coordination_exchange_{move}",
            build=a_coordinated_move(move, api=True),
            done=coordinated_move_done(move),
            expect=api_coordinator_only(),
        )
        for move in COORDINATED_MOVES
    ],
]


def session_in_the_campaign(w: World, actor: Member) -> bool:
    from equitime.campaigns.models import CampaignSession

    return CampaignSession.objects.filter(session=w.made["group_session"]).exists()


def a_campaign_image(w: World) -> Post:
    from equitime.campaigns.tests.factories import image_upload

    return Post(
        kwargs={"slug": a_campaign(w).slug},
        data=campaign_form(image=image_upload(), image_alt="A clinic roof with solar panels"),
    )


def the_campaign_has_an_image(w: World, actor: Member) -> bool:
    from equitime.campaigns.models import Campaign

    return Campaign.objects.exclude(image="").exists()


# --- Organisation leads -----------------------------------------------------------------
# Community administrators appoint and remove leads; a lead may do neither. The
# member appointed works at an organisation (the lead's rule); the owner is the
# member appointed, or the lead removed.


def works_at_an_organisation(w: World, *names: str) -> None:
    organisation = Organisation.objects.create(
        name="Matrix Trust", kind=Organisation.Kind.NHS_TRUST, country="GB"
    )
    for name in names:
        Profile.objects.filter(member=getattr(w, name)).update(organisation=organisation)
        setattr(w, name, Member.objects.get(pk=getattr(w, name).pk))


def the_owner_leads(w: World) -> OrganisationLead:
    works_at_an_organisation(w, "owner", "party")
    lead = lead_appoint(member=w.owner, by=w.admin)
    w.made["lead"] = lead
    return lead


def a_lead_to_appoint(*, api: bool = False, by_a_lead: bool = False) -> Callable[[World], Post]:
    """The owner, named in the form (by e-mail) or the API (by id); with
    ``by_a_lead``, the owner leads already and the party is the one named."""

    def build(w: World) -> Post:
        if by_a_lead:
            the_owner_leads(w)
            named = w.party
        else:
            works_at_an_organisation(w, "owner")
            named = w.owner
        w.made["appointed"] = named
        return Post(data={"member_id": named.pk} if api else {"member": named.email})

    return build


def the_owner_to_appoint_from_their_profile(w: World) -> Post:
    a_lead_to_appoint()(w)
    return Post(kwargs={"member_id": w.owner.pk})


def appointed(w: World, actor: Member) -> bool:
    return OrganisationLead.objects.filter(member=w.made["appointed"], appointed_by=actor).exists()


def a_lead_to_remove(w: World) -> Post:
    return Post(kwargs={"pk": the_owner_leads(w).pk})


def lead_removed(w: World, actor: Member) -> bool:
    return not OrganisationLead.objects.filter(pk=w.made["lead"].pk).exists()


LEADS_CASES = [
    Case(
        "impact_leads",
        build=a_lead_to_appoint(),
        done=appointed,
        expect=role_page(party=FORBIDDEN, admin=DONE),
    ),
    Case(
        "impact_leads",
        label="by-a-lead",
        build=a_lead_to_appoint(by_a_lead=True),
        done=appointed,
        expect=role_page(party=FORBIDDEN, admin=DONE),
    ),
    Case(
        "impact_lead_appoint_member",
        build=the_owner_to_appoint_from_their_profile,
        done=appointed,
        expect=role_page(party=FORBIDDEN, admin=DONE),
    ),
    Case(
        "impact_lead_remove",
        build=a_lead_to_remove,
        done=lead_removed,
        expect=role_page(party=FORBIDDEN, admin=DONE),
    ),
    Case(
        "api:impact_lead_appoint",
        build=a_lead_to_appoint(api=True),
        done=appointed,
        expect=api_role(party=FORBIDDEN, admin=DONE),
    ),
    Case(
        "api:impact_lead_appoint",
        label="by-a-lead",
        build=a_lead_to_appoint(api=True, by_a_lead=True),
        done=appointed,
        expect=api_role(party=FORBIDDEN, admin=DONE),
    ),
    Case(
        "api:impact_lead_remove",
        method="delete",
        build=through_api(a_lead_to_remove, "lead_id"),
        done=lead_removed,
        expect=api_role(party=FORBIDDEN, admin=DONE),
    ),
]


CASES: list[Case] = [
    # Exchanges: one row per action, the exchange in the state that action needs.
    Case(
        "exchange_act",
        action="accept",
        build=an_exchange(Status.PROPOSED),
        done=status_is(Status.ACCEPTED),
        expect=owned(party=UNCHANGED),  # the proposer cannot accept their own proposal
    ),
    Case(
        "exchange_act",
        action="decline",
        build=an_exchange(Status.PROPOSED, **{"decline-reason": "I am on leave that week."}),
        done=status_is(Status.DECLINED),
        expect=owned(party=UNCHANGED),
    ),
    Case(
        "exchange_act",
        action="cancel",
        label="proposed",
        build=an_exchange(Status.PROPOSED, **{"cancel-reason": "Plans changed."}),
        done=status_is(Status.CANCELLED),
        expect=owned(party=DONE),
    ),
    Case(
        "exchange_act",
        action="cancel",
        label="accepted",
        build=an_exchange(Status.ACCEPTED, **{"cancel-reason": "Plans changed."}),
        done=status_is(Status.CANCELLED),
        expect=owned(party=DONE),
    ),
    Case(
        "exchange_act",
        action="deliver",
        build=an_exchange(Status.ACCEPTED, **{"deliver-hours": "1"}),
        done=status_is(Status.DELIVERED),
        expect=owned(party=UNCHANGED),  # only the provider logs the hours
    ),
    Case(
        "exchange_act",
        action="confirm",
        build=an_exchange(Status.DELIVERED),
        done=status_is(Status.COMPLETED),
        expect=owned(owner=UNCHANGED, party=DONE),  # only the receiver confirms
    ),
    Case(
        "exchange_act",
        action="confirm",
        label="disputed",
        build=an_exchange(Status.DISPUTED),
        expect=owned(owner=UNCHANGED, party=UNCHANGED, moderator=UNCHANGED),
    ),
    Case(
        "exchange_act",
        action="dispute",
        build=an_exchange(Status.DELIVERED, **{"dispute-reason": "We met for half an hour."}),
        done=status_is(Status.DISPUTED),
        expect=owned(owner=UNCHANGED, party=DONE),
    ),
    Case(
        "exchange_act",
        action="resolve",
        label="post",
        build=an_exchange(
            Status.DISPUTED,
            **{"resolve-outcome": "post", "resolve-hours": "0.5", "resolve-note": "Half an hour."},
        ),
        done=lambda w, actor: (
            the_exchange(w).status == Status.COMPLETED and the_exchange(w).resolved_by == actor
        ),
        # The parties see the exchange but may not settle their own dispute.
        expect=owned(owner=UNCHANGED, party=UNCHANGED, moderator=DONE),
    ),
    Case(
        "exchange_act",
        action="resolve",
        label="void",
        build=an_exchange(
            Status.DISPUTED, **{"resolve-outcome": "void", "resolve-note": "No session took place."}
        ),
        done=lambda w, actor: (
            the_exchange(w).status == Status.VOIDED and the_exchange(w).resolved_by == actor
        ),
        expect=owned(owner=UNCHANGED, party=UNCHANGED, moderator=DONE),
    ),
    Case(
        "exchange_act",
        action="resolve",
        label="party-is-moderator",
        build=an_exchange(
            Status.DISPUTED,
            owner_role=roles.MODERATOR,
            **{"resolve-outcome": "void", "resolve-note": "No session took place."},
        ),
        done=lambda w, actor: the_exchange(w).resolved_by == actor,
        # A moderator never settles a dispute they are part of.
        expect=owned(owner=UNCHANGED, party=UNCHANGED, moderator=DONE),
    ),
    Case(
        "exchange_act",
        action="resolve",
        label="delivered",
        build=an_exchange(
            Status.DELIVERED,
            **{"resolve-outcome": "void", "resolve-note": "Nothing to resolve yet."},
        ),
        # Only a dispute brings a moderator in: before one, the exchange is not theirs to see.
        expect=owned(owner=UNCHANGED, party=UNCHANGED),
    ),
    Case(
        "exchange_act",
        action="message",
        build=an_exchange(Status.PROPOSED, **EXCHANGE_MESSAGE),
        done=written_by(ExchangeMessage),
        expect=owned(party=DONE),
    ),
    Case(
        "exchange_act",
        action="message",
        label="disputed",
        build=an_exchange(Status.DISPUTED, **EXCHANGE_MESSAGE),
        done=written_by(ExchangeMessage),
        # A moderator reads the thread of a dispute but does not write in it.
        expect=owned(party=DONE, moderator=UNCHANGED),
    ),
    Case(
        "exchange_act",
        action="thanks",
        build=an_exchange(
            Status.COMPLETED, **{"thanks-message": "Thank you!", "thanks-show_on_profile": "on"}
        ),
        done=written_by(Thanks),
        expect=owned(party=DONE),
    ),
    Case(
        "exchange_act",
        action="thanks",
        label="resolved",
        build=an_exchange("resolved", **{"thanks-message": "Thank you!"}),
        done=written_by(Thanks),
        # The moderator who settled it still sees it, but thanks are the parties'.
        expect=owned(party=DONE, moderator=UNCHANGED),
    ),
    Case(
        "exchange_act",
        action="reflect",
        build=an_exchange(Status.ACCEPTED, **{"reflect-text": "I learned to explain hazards."}),
        done=written_by(Reflection),
        expect=owned(party=DONE),
    ),
    Case(
        "exchange_act",
        action="reflect",
        label="disputed",
        build=an_exchange(Status.DISPUTED, **{"reflect-text": "I learned to explain hazards."}),
        done=written_by(Reflection),
        expect=owned(party=DONE, moderator=UNCHANGED),
    ),
    # Proposing: any member may take up an open listing, but not their own.
    Case(
        "exchange_propose",
        build=lambda w: Post(
            kwargs={"listing_pk": w.offer.pk},
            data={"hours": "1", "message": "", "request_key": str(uuid.uuid4())},
        ),
        done=lambda w, actor: Exchange.objects.filter(listing=w.offer, receiver=actor).exists(),
        expect=dict(anonymous=SIGN_IN, stranger=DONE, owner=UNCHANGED, moderator=DONE),
    ),
    Case(
        "exchange_propose",
        label="paused",
        build=lambda w: Post(
            kwargs={"listing_pk": a_listing(Listing.Status.PAUSED)(w).kwargs["pk"]},
            data={"hours": "1", "message": "", "request_key": str(uuid.uuid4())},
        ),
        # A moderator sees every listing, so is told on the page that it is not open.
        expect=owned(owner=UNCHANGED, moderator=UNCHANGED),
    ),
    Case(
        "exchange_direct",
        build=lambda w: Post(
            data={
                "colleague": w.party.email,
                "direction": "gave",
                "title": "Coaching session",
                "improvement_area": area_pk(),
                "benefit": "A calmer handover on the ward.",
                "hours": "1",
                "message": "",
                "request_key": str(uuid.uuid4()),
            }
        ),
        done=lambda w, actor: Exchange.objects.filter(
            proposed_by=actor, title="Coaching session"
        ).exists(),
        expect=own_account(),
    ),
    # Listings: only the owner changes them; a moderator no more than anyone.
    Case(
        "listing_create",
        build=lambda w: Post(kwargs={"kind": Listing.Kind.OFFER}, data=listing_form()),
        done=lambda w, actor: Listing.objects.filter(
            owner=actor, title="Help designing a run chart"
        ).exists(),
        expect=own_account(),
    ),
    Case(
        "listing_edit",
        build=a_listing(data=lambda: listing_form(title="An edited title")),
        done=lambda w, actor: listing_now(w).title == "An edited title",
        expect=owned(),
    ),
    Case(
        "listing_act",
        action="pause",
        build=a_listing(),
        done=listing_is(Listing.Status.PAUSED),
        expect=owned(),
    ),
    Case(
        "listing_act",
        action="resume",
        build=a_listing(Listing.Status.PAUSED),
        done=listing_is(Listing.Status.OPEN),
        expect=owned(),
    ),
    Case(
        "listing_act",
        action="close",
        build=a_listing(),
        done=listing_is(Listing.Status.CLOSED),
        expect=owned(),
    ),
    Case(
        "listing_act",
        action="renew",
        build=a_listing(Listing.Status.EXPIRED),
        done=lambda w, actor: (
            listing_now(w).status == Listing.Status.OPEN
            and listing_now(w).expires_at > timezone.now()
        ),
        expect=owned(),
    ),
    # Notifications: only the recipient opens one or marks it read.
    Case(
        "notification_open",
        build=a_notification,
        done=notification_read,
        expect=owned(),
    ),
    Case(
        "notifications_read",
        build=a_notifications_id,
        done=notification_read,
        expect=dict(anonymous=SIGN_IN, stranger=UNCHANGED, owner=DONE, moderator=UNCHANGED),
    ),
    # The member's own account.
    Case(
        "donate",
        build=lambda w: (
            with_earned_credit(w)
            and Post(
                data={
                    "recipient": w.party.email,
                    "hours": "1",
                    "memo": "For the QI project",
                    "request_key": str(uuid.uuid4()),
                }
            )
        ),
        done=lambda w, actor: Transfer.objects.filter(
            kind=Transfer.Kind.DONATION, debit_account__member=actor
        ).exists(),
        expect=own_account(),
    ),
    # The language switcher: a visitor's choice is only a cookie (nothing is
    # written); a member's is saved in their own profile, never anyone else's.
    Case(
        "language_choose",
        build=with_data(language="cy", next="/"),
        expect=own_account(anonymous=UNCHANGED),
        done=lambda w, actor: Profile.objects.get(member=actor).language == "cy",
    ),
    Case(
        "profile_edit",
        build=with_data(**PROFILE_FORM),
        done=lambda w, actor: (
            Member.objects.get(pk=actor.pk).display_name == PROFILE_FORM["display_name"]
        ),
        expect=own_account(),
    ),
    Case(
        "account_delete",
        build=with_data(confirm="on"),
        done=lambda w, actor: not Member.objects.get(pk=actor.pk).is_active,
        expect=own_account(),
        reauth=True,
    ),
    Case(
        "account_delete",
        label="no-recent-password",
        build=with_data(confirm="on"),
        expect=dict(anonymous=SIGN_IN, stranger=REAUTH, owner=REAUTH, moderator=REAUTH),
    ),
    Case(
        "account_data_download",
        build=nothing,
        done=lambda w, actor: AuditEntry.objects.filter(
            action=AuditEntry.Action.DATA_EXPORTED, actor=actor
        ).exists(),
        expect=own_account(),
        reauth=True,
    ),
    Case(
        "account_data_download",
        label="no-recent-password",
        build=nothing,
        expect=dict(anonymous=SIGN_IN, stranger=REAUTH, owner=REAUTH, moderator=REAUTH),
    ),
    # allauth, where the form names a row that could be someone else's.
    Case(
        "account_email",
        label="remove",
        build=a_second_address,
        done=lambda w, actor: not EmailAddress.objects.filter(pk=w.made["address"].pk).exists(),
        expect=dict(anonymous=SIGN_IN, stranger=UNCHANGED, owner=DONE, moderator=UNCHANGED),
        reauth=True,
    ),
    Case(
        "socialaccount_connections",
        label="disconnect",
        build=a_connected_sign_in,
        done=lambda w, actor: not SocialAccount.objects.filter(pk=w.made["social"].pk).exists(),
        expect=dict(anonymous=SIGN_IN, stranger=UNCHANGED, owner=DONE, moderator=UNCHANGED),
        reauth=True,
    ),
    # Invitations: community administrators only. The owner sent the invitation.
    Case(
        "invitation_list",
        build=an_invitation_form,
        done=lambda w, actor: Invitation.objects.filter(
            email="guest@example.org", invited_by=actor
        ).exists(),
        expect=role_page(owner=DONE, admin=DONE),
    ),
    # Operators' exports: community administrators only (and staff superusers).
    Case(
        "export_list",
        build=with_data(kind="members"),
        done=lambda w, actor: Export.objects.filter(requested_by=actor, kind="members").exists(),
        expect=role_page(party=FORBIDDEN, admin=DONE),
    ),
    Case(
        "api:export_request",
        build=with_data(kind="journal"),
        done=lambda w, actor: Export.objects.filter(requested_by=actor, kind="journal").exists(),
        expect=api_role(party=FORBIDDEN, admin=DONE),
    ),
    Case(
        "invitation_withdraw",
        build=an_invitation,
        done=lambda w, actor: (
            Invitation.objects.get(pk=w.made["invitation"].pk).revoked_at is not None
        ),
        expect=role_page(owner=DONE, admin=DONE),
    ),
    # The link's token is the authority. Posting it only carries the invitation
    # on to sign-up (in the session); a signed-in member is sent away.
    Case(
        "invitation_accept",
        build=an_invitation_link,
        expect=dict(anonymous=UNCHANGED, stranger=UNCHANGED, owner=UNCHANGED, moderator=UNCHANGED),
    ),
    # Reporting a listing: any member but its owner; a closed one no more.
    Case(
        "listing_flag",
        build=flag_listing(),
        done=flagged_by,
        expect=dict(anonymous=SIGN_IN, stranger=DONE, owner=UNCHANGED, moderator=DONE),
    ),
    Case(
        "listing_flag",
        label="paused",
        build=flag_listing(Listing.Status.PAUSED),
        done=flagged_by,
        # Others cannot see a paused listing; a moderator sees every listing.
        expect=dict(anonymous=SIGN_IN, stranger=NOT_FOUND, owner=UNCHANGED, moderator=DONE),
    ),
    # Deciding reports: moderators only, and never on their own listing or report.
    Case(
        "listing_flag_uphold",
        build=a_flag(),
        done=flag_is(ListingFlag.Status.UPHELD),
        expect=role_page(party=FORBIDDEN, moderator=DONE, admin=DONE),
    ),
    Case(
        "listing_flag_uphold",
        label="own-listing",
        build=a_flag(owner_role=roles.MODERATOR),
        done=flag_is(ListingFlag.Status.UPHELD),
        expect=role_page(owner=UNCHANGED, moderator=DONE),
    ),
    Case(
        "listing_flag_dismiss",
        build=a_flag(),
        done=flag_is(ListingFlag.Status.DISMISSED),
        expect=role_page(party=FORBIDDEN, moderator=DONE, admin=DONE),
    ),
    Case(
        "listing_flag_dismiss",
        label="own-report",
        build=a_flag(reported_by="moderator"),
        done=flag_is(ListingFlag.Status.DISMISSED),
        expect=role_page(moderator=UNCHANGED, admin=DONE),
    ),
    # Suspending and reinstating: moderators; an administrator only by another.
    Case(
        "member_suspend",
        build=the_owner(reason="Asked for money in messages."),
        done=lambda w, actor: owner_now(w).suspended_by_id == actor.pk,
        expect=role_page(moderator=DONE, admin=DONE),
    ),
    Case(
        "member_suspend",
        label="administrator",
        build=the_owner(holding=roles.COMMUNITY_ADMIN, reason="Asked for money in messages."),
        done=lambda w, actor: owner_now(w).suspended_by_id == actor.pk,
        expect=role_page(owner=UNCHANGED, moderator=UNCHANGED, admin=DONE),
    ),
    Case(
        "member_reinstate",
        build=the_owner(suspended=True),
        done=lambda w, actor: owner_now(w).is_active and owner_now(w).suspended_at is None,
        # A suspended member is signed out at their next request.
        expect=role_page(owner=SIGN_IN, moderator=DONE, admin=DONE),
    ),
    # Roles: community administrators make moderators; only staff make administrators.
    Case(
        "member_roles",
        build=the_owner(role=roles.MODERATOR, change="grant"),
        done=lambda w, actor: roles.MODERATOR in roles.member_roles(owner_now(w)),
        expect=role_page(admin=DONE),
    ),
    Case(
        "member_roles",
        label="administrator",
        build=the_owner(role=roles.COMMUNITY_ADMIN, change="grant"),
        expect=role_page(admin=UNCHANGED),
    ),
    # Personal access tokens for the API: each member's own.
    Case(
        "api_tokens",
        build=with_data(name="Team rota script", expiry="90"),
        done=lambda w, actor: ApiToken.objects.filter(member=actor).exists(),
        expect=own_account(),
    ),
    Case(
        "api_token_revoke",
        build=an_api_token,
        done=token_revoked,
        expect=owned(),
    ),
    Case(
        "email_confirmation_resend",
        build=unconfirmed_addresses,
        done=lambda w, actor: any(actor.email in message.to for message in mail.outbox),
        expect=own_account(),
    ),
    # The JSON API: the same services, reached through the same access helpers.
    Case(
        "api:exchange_propose",
        build=lambda w: Post(data={"listing_id": w.offer.pk, "minutes": 60}),
        done=lambda w, actor: Exchange.objects.filter(listing=w.offer, receiver=actor).exists(),
        expect=dict(anonymous=UNAUTHORIZED, stranger=DONE, owner=REFUSED, moderator=DONE),
    ),
    Case(
        "api:exchange_propose",
        label="paused",
        build=lambda w: Post(
            data={"listing_id": a_listing(Listing.Status.PAUSED)(w).kwargs["pk"], "minutes": 60}
        ),
        # The listing is named in the body: one not open to the caller is refused
        # exactly as one that does not exist ("There is no open listing with this id").
        expect=api_owned(owner=REFUSED, moderator=REFUSED, stranger=REFUSED),
    ),
    Case(
        "api:exchange_propose_direct",
        build=lambda w: Post(
            data={
                "member_id": w.party.pk,
                "member_gives": True,
                "title": "Coaching session",
                "improvement_area_id": area_pk(),
                "benefit": "A calmer handover on the ward.",
                "minutes": 60,
            }
        ),
        done=lambda w, actor: Exchange.objects.filter(
            proposed_by=actor, title="Coaching session"
        ).exists(),
        expect=api_own_account(),
    ),
    Case(
        "api:exchange_accept",
        build=api_exchange(Status.PROPOSED),
        done=status_is(Status.ACCEPTED),
        expect=api_owned(party=REFUSED),
    ),
    Case(
        "api:exchange_decline",
        build=api_exchange(Status.PROPOSED, reason="I am on leave that week."),
        done=status_is(Status.DECLINED),
        expect=api_owned(party=REFUSED),
    ),
    Case(
        "api:exchange_cancel",
        build=api_exchange(Status.ACCEPTED, reason="Plans changed."),
        done=status_is(Status.CANCELLED),
        expect=api_owned(party=DONE),
    ),
    Case(
        "api:exchange_deliver",
        build=api_exchange(Status.ACCEPTED, minutes=60),
        done=status_is(Status.DELIVERED),
        expect=api_owned(party=REFUSED),
    ),
    Case(
        "api:exchange_confirm",
        build=api_exchange(Status.DELIVERED),
        done=status_is(Status.COMPLETED),
        expect=api_owned(owner=REFUSED, party=DONE),
    ),
    Case(
        "api:exchange_dispute",
        build=api_exchange(Status.DELIVERED, reason="We met for half an hour."),
        done=status_is(Status.DISPUTED),
        expect=api_owned(owner=REFUSED, party=DONE),
    ),
    Case(
        "api:exchange_resolve",
        build=api_exchange(Status.DISPUTED, outcome="post", minutes=30, note="Half an hour."),
        done=lambda w, actor: the_exchange(w).resolved_by == actor,
        expect=api_owned(owner=REFUSED, party=REFUSED, moderator=DONE),
    ),
    Case(
        "api:exchange_message_post",
        build=api_exchange(Status.PROPOSED, body="Tuesday at two works for me."),
        done=written_by(ExchangeMessage),
        expect=api_owned(party=DONE),
    ),
    Case(
        "api:exchange_message_post",
        label="disputed",
        build=api_exchange(Status.DISPUTED, body="Tuesday at two works for me."),
        done=written_by(ExchangeMessage),
        expect=api_owned(party=DONE, moderator=REFUSED),
    ),
    Case(
        "api:exchange_thanks_give",
        build=api_exchange(Status.COMPLETED, message="Thank you!"),
        done=written_by(Thanks),
        expect=api_owned(party=DONE),
    ),
    Case(
        "api:exchange_reflection_save",
        method="put",
        build=api_exchange(Status.ACCEPTED, text="I learned to explain hazards."),
        done=written_by(Reflection),
        expect=api_owned(party=DONE),
    ),
    Case(
        "api:listing_create",
        build=lambda w: Post(
            data={
                "kind": Listing.Kind.OFFER,
                "title": "Help designing a run chart",
                "description": "I have six months of falls data and need a run chart.",
                "improvement_area_id": area_pk(),
                "benefit": "Fewer falls on the elderly care wards.",
                "estimated_minutes": 90,
            }
        ),
        done=lambda w, actor: Listing.objects.filter(
            owner=actor, title="Help designing a run chart"
        ).exists(),
        expect=api_own_account(),
    ),
    Case(
        "api:listing_update",
        method="patch",
        build=api_listing(title="An edited title"),
        done=lambda w, actor: listing_now(w).title == "An edited title",
        expect=api_owned(),
    ),
    Case(
        "api:listing_pause",
        build=api_listing(),
        done=listing_is(Listing.Status.PAUSED),
        expect=api_owned(),
    ),
    Case(
        "api:listing_resume",
        build=api_listing(Listing.Status.PAUSED),
        done=listing_is(Listing.Status.OPEN),
        expect=api_owned(),
    ),
    Case(
        "api:listing_close",
        build=api_listing(),
        done=listing_is(Listing.Status.CLOSED),
        expect=api_owned(),
    ),
    Case(
        "api:listing_renew",
        build=api_listing(Listing.Status.EXPIRED),
        done=listing_is(Listing.Status.OPEN),
        expect=api_owned(),
    ),
    Case(
        "api:donation_make",
        build=lambda w: (
            with_earned_credit(w)
            and Post(data={"member_id": w.party.pk, "minutes": 60, "memo": "For the QI project"})
        ),
        done=lambda w, actor: Transfer.objects.filter(
            kind=Transfer.Kind.DONATION, debit_account__member=actor
        ).exists(),
        expect=api_own_account(),
    ),
    Case(
        "api:notification_read",
        build=through_api(a_notification, "notification_id"),
        done=notification_read,
        expect=api_owned(),
    ),
    Case(
        "api:notifications_read_all",
        build=an_unread_notification,
        done=notification_read,
        # Each member marks their own: the owner's notification stays unread for anyone else.
        expect=dict(anonymous=UNAUTHORIZED, stranger=UNCHANGED, owner=DONE, moderator=UNCHANGED),
    ),
    Case(
        "api:me_update",
        method="patch",
        build=with_data(display_name=PROFILE_FORM["display_name"]),
        done=lambda w, actor: (
            Member.objects.get(pk=actor.pk).display_name == PROFILE_FORM["display_name"]
        ),
        expect=api_own_account(),
    ),
    Case(
        "api:token_revoke",
        build=through_api(an_api_token, "token_id"),
        done=token_revoked,
        expect=api_owned(),
    ),
    Case(
        "api:listing_report",
        build=api_listing(reason=ListingFlag.Reason.ASKS_FOR_MONEY),
        done=flagged_by,
        expect=dict(anonymous=UNAUTHORIZED, stranger=DONE, owner=REFUSED, moderator=DONE),
    ),
    Case(
        "api:listing_report",
        label="paused",
        build=api_listing(Listing.Status.PAUSED, reason=ListingFlag.Reason.ASKS_FOR_MONEY),
        done=flagged_by,
        expect=api_owned(owner=REFUSED, moderator=DONE),
    ),
    Case(
        "api:moderation_listing_uphold",
        build=api_flag(),
        done=flag_is(ListingFlag.Status.UPHELD),
        expect=api_role(party=FORBIDDEN, moderator=DONE, admin=DONE),
    ),
    Case(
        "api:moderation_listing_uphold",
        label="own-listing",
        build=api_flag(owner_role=roles.MODERATOR),
        done=flag_is(ListingFlag.Status.UPHELD),
        expect=api_role(owner=REFUSED, moderator=DONE),
    ),
    Case(
        "api:moderation_listing_dismiss",
        build=api_flag(),
        done=flag_is(ListingFlag.Status.DISMISSED),
        expect=api_role(party=FORBIDDEN, moderator=DONE, admin=DONE),
    ),
    Case(
        "api:moderation_listing_dismiss",
        label="own-report",
        build=api_flag(reported_by="moderator"),
        done=flag_is(ListingFlag.Status.DISMISSED),
        expect=api_role(moderator=REFUSED, admin=DONE),
    ),
    Case(
        "api:member_suspend",
        build=through_api(the_owner(), "member_id", reason="Asked for money in messages."),
        done=lambda w, actor: owner_now(w).suspended_by_id == actor.pk,
        expect=api_role(moderator=DONE, admin=DONE),
    ),
    Case(
        "api:member_suspend",
        label="administrator",
        build=through_api(
            the_owner(holding=roles.COMMUNITY_ADMIN), "member_id", reason="Asked for money."
        ),
        done=lambda w, actor: owner_now(w).suspended_by_id == actor.pk,
        expect=api_role(owner=REFUSED, moderator=REFUSED, admin=DONE),
    ),
    Case(
        "api:member_reinstate",
        build=through_api(the_owner(suspended=True), "member_id"),
        done=lambda w, actor: owner_now(w).is_active and owner_now(w).suspended_at is None,
        # A suspended member's session ends: the API no longer knows them.
        expect=api_role(owner=UNAUTHORIZED, moderator=DONE, admin=DONE),
    ),
    Case(
        "api:invitation_send",
        build=through_api(an_invitation_form, "pk", email="guest@example.org"),
        done=lambda w, actor: Invitation.objects.filter(
            email="guest@example.org", invited_by=actor
        ).exists(),
        expect=api_role(owner=DONE, admin=DONE),
    ),
    Case(
        "api:invitation_withdraw",
        build=through_api(an_invitation, "invitation_id"),
        done=lambda w, actor: (
            Invitation.objects.get(pk=w.made["invitation"].pk).revoked_at is not None
        ),
        expect=api_role(owner=DONE, admin=DONE),
    ),
    Case(
        "api:member_role_change",
        build=through_api(the_owner(), "member_id", role="moderator", action="grant"),
        done=lambda w, actor: roles.MODERATOR in roles.member_roles(owner_now(w)),
        expect=api_role(owner=REFUSED, admin=DONE),
    ),
    Case(
        "api:member_role_change",
        label="administrator",
        build=through_api(the_owner(), "member_id", role="community_admin", action="grant"),
        expect=api_role(owner=REFUSED, admin=REFUSED),
    ),
    # Calendars: each member's own reminders and feed; no other member's to name.
    Case(
        "calendar_reminders",
        build=with_data(remind_day_before="on"),
        done=lambda w, actor: reminders_of(actor) == (True, False),
        expect=own_account(),
    ),
    Case("calendar_feed_make", build=nothing, done=has_a_feed, expect=own_account()),
    Case("calendar_feed_revoke", build=owner_has_a_feed, done=feed_off, expect=own_account()),
    Case("api:calendar_feed_create", build=nothing, done=has_a_feed, expect=api_own_account()),
    Case(
        "api:calendar_feed_revoke",
        method="delete",
        build=owner_has_a_feed,
        done=feed_off,
        expect=api_own_account(),
    ),
    Case(
        "api:calendar_reminders_update",
        method="patch",
        build=with_data(remind_hour_before=False),
        done=lambda w, actor: reminders_of(actor) == (True, False),
        expect=api_own_account(),
    ),
    # Notification preferences: each member's own; no other member's to name.
    Case(
        "notification_preferences",
        build=with_data(email_thanks="on", digest="on"),
        done=lambda w, actor: member_wants_email(actor, "thanks"),
        expect=own_account(),
    ),
    Case(
        "api:notification_preferences_update",
        method="put",
        build=with_data(digest=False, emails={"thanks": True}),
        done=lambda w, actor: not member_wants_digest(actor),
        expect=api_own_account(),
    ),
    # One-click unsubscribe (RFC 8058): the signed link is the authority, not
    # the session, so whoever posts it turns off the owner's e-mail, and only
    # that; a forged link changes nothing for anyone.
    Case(
        "unsubscribe",
        build=an_unsubscribe_link,
        done=lambda w, actor: not member_wants_digest(w.owner),
        expect=dict(anonymous=DONE, stranger=DONE, owner=DONE, moderator=DONE),
    ),
    Case(
        "unsubscribe",
        label="forged",
        build=lambda w: Post(kwargs={"token": "e30:forged:signature"}),
        expect=dict(anonymous=NOT_FOUND, stranger=NOT_FOUND, owner=NOT_FOUND, moderator=NOT_FOUND),
    ),
    # Group sessions: the owner organises one, the party holds a place in it.
    Case(
        "group_session_create",
        build=lambda w: Post(data=group_session_form()),
        done=organises,
        expect=own_account(),
    ),
    Case(
        "group_sign_up",
        build=a_group_session(),
        done=has_a_seat,
        # The organiser takes no place; the party has one already: a message says so.
        expect=dict(anonymous=SIGN_IN, stranger=DONE, owner=UNCHANGED, moderator=DONE)
        | dict(party=UNCHANGED, admin=DONE),
    ),
    Case(
        "group_leave",
        build=a_group_session(),
        done=lambda w, actor: not has_a_seat(w, actor),
        expect=reads_only(party=DONE),  # the others have no place to give up
    ),
    Case(
        "group_session_cancel",
        build=a_group_session(reason="The ward is closed that day."),
        done=group_session_is("cancelled"),
        expect=dict(
            anonymous=SIGN_IN, stranger=FORBIDDEN, owner=DONE, moderator=FORBIDDEN, party=FORBIDDEN
        ),
    ),
    Case(
        "group_attendance",
        build=a_started_group_session_attended_by_the_party,
        done=group_session_is("held"),
        expect=dict(
            anonymous=SIGN_IN, stranger=FORBIDDEN, owner=DONE, moderator=FORBIDDEN, party=FORBIDDEN
        ),
    ),
    Case(
        "scheduling_settings",
        build=with_data(group_credit_policy="shared"),
        done=lambda w, actor: SchedulingSettings.current().group_credit_policy == "shared",
        expect=role_page(admin=DONE),
    ),
    Case(
        "api:group_session_create",
        build=lambda w: Post(data=group_session_json()),
        done=organises,
        expect=api_own_account(),
    ),
    Case(
        "api:group_session_sign_up",
        build=through_api(a_group_session(), "session_id"),
        done=has_a_seat,
        expect=dict(anonymous=UNAUTHORIZED, stranger=DONE, owner=REFUSED, moderator=DONE)
        | dict(party=REFUSED, admin=DONE),
    ),
    Case(
        "api:group_session_leave",
        build=through_api(a_group_session(), "session_id"),
        done=lambda w, actor: not has_a_seat(w, actor),
        expect=api_owned(owner=NOT_FOUND, party=DONE),  # only the party has a place
    ),
    Case(
        "api:group_session_cancel",
        build=through_api(a_group_session(), "session_id", reason="The ward is closed."),
        done=group_session_is("cancelled"),
        expect=dict(
            anonymous=UNAUTHORIZED, stranger=REFUSED, owner=DONE, moderator=REFUSED, party=REFUSED
        ),
    ),
    Case(
        "api:group_session_attendance",
        build=lambda w: Post(
            kwargs={"session_id": a_group_session(started=True)(w).kwargs["pk"]},
            data={"attended_member_ids": [w.party.pk]},
        ),
        done=group_session_is("held"),
        expect=dict(
            anonymous=UNAUTHORIZED, stranger=REFUSED, owner=DONE, moderator=REFUSED, party=REFUSED
        ),
    ),
    # One-to-one sessions: the exchange's two parties arrange them, nobody else.
    Case(
        "session_propose",
        build=an_exchange(Status.ACCEPTED, **SESSION_TIME_FORM),
        done=lambda w, actor: ProposedTime.objects.filter(proposed_by=actor).exists(),
        expect=owned(party=DONE),
    ),
    Case(
        "session_choose",
        build=a_session(),
        done=session_is(ScheduledSession.Status.SCHEDULED),
        expect=owned(party=UNCHANGED),  # the party proposed it: the owner chooses
    ),
    Case(
        "session_move",
        build=a_session(scheduled=True, **SESSION_MOVE_FORM),
        done=lambda w, actor: the_session(w).events.filter(verb="move", actor=actor).exists(),
        expect=owned(party=DONE),
    ),
    Case(
        "session_cancel",
        build=a_session(scheduled=True, **{"session_cancel-reason": "Off sick."}),
        done=session_is(ScheduledSession.Status.CANCELLED),
        expect=owned(party=DONE),
    ),
    Case("session_list", build=nothing, expect=reads_only()),
    Case(
        "api:session_propose_times",
        build=api_exchange(
            Status.ACCEPTED,
            times=[{"starts_at": _session_instant(), "minutes": 60, "place": "Seminar room 2"}],
        ),
        done=lambda w, actor: ProposedTime.objects.filter(proposed_by=actor).exists(),
        expect=api_owned(party=DONE),
    ),
    Case(
        "api:session_choose",
        build=api_session(),
        done=session_is(ScheduledSession.Status.SCHEDULED),
        expect=api_owned(party=REFUSED),
    ),
    Case(
        "api:session_move",
        build=api_session(
            scheduled=True,
            starts_at=_session_instant(),
            minutes=60,
            place="Seminar room 2",
            reason="The rota changed.",
        ),
        done=lambda w, actor: the_session(w).events.filter(verb="move", actor=actor).exists(),
        expect=api_owned(party=DONE),
    ),
    Case(
        "api:session_cancel",
        build=api_session(scheduled=True, reason="Off sick."),
        done=session_is(ScheduledSession.Status.CANCELLED),
        expect=api_owned(party=DONE),
    ),
    # Who can help: the owner posted a request and asks the party, whose skills match.
    Case(
        "help_ask",
        build=asking_the_party,
        done=asked_by,
        expect=owned(party=NOT_FOUND, admin=NOT_FOUND),
    ),
    Case(
        "help_invitation_act",
        action="accept",
        build=a_help_invitation(),
        done=help_invitation_is("accepted"),
        expect=owned(owner=FORBIDDEN, party=DONE, admin=NOT_FOUND),
    ),
    Case(
        "help_invitation_act",
        action="decline",
        build=a_help_invitation(**{"decline-reason": "On leave this month."}),
        done=help_invitation_is("declined"),
        expect=owned(owner=FORBIDDEN, party=DONE, admin=NOT_FOUND),
    ),
    Case(
        "help_invitation_act",
        action="withdraw",
        build=a_help_invitation(),
        done=help_invitation_is("withdrawn"),
        expect=owned(party=UNCHANGED, admin=NOT_FOUND),  # the helper is told only the asker may
    ),
    Case("suggestion_settings", build=nothing, done=not_suggested, expect=own_account()),
    Case(
        "api:help_invitation_create",
        build=lambda w: Post(
            kwargs={"listing_id": a_help_request(w).pk}, data={"helper_id": w.party.pk}
        ),
        done=asked_by,
        expect=api_owned(party=NOT_FOUND, admin=NOT_FOUND),
    ),
    Case(
        "api:help_invitation_accept",
        build=through_api(a_help_invitation(), "invitation_id", message="Happy to help."),
        done=help_invitation_is("accepted"),
        expect=api_owned(owner=REFUSED, party=DONE, admin=NOT_FOUND),
    ),
    Case(
        "api:help_invitation_decline",
        build=through_api(a_help_invitation(), "invitation_id", reason="On leave."),
        done=help_invitation_is("declined"),
        expect=api_owned(owner=REFUSED, party=DONE, admin=NOT_FOUND),
    ),
    Case(
        "api:help_invitation_withdraw",
        build=through_api(a_help_invitation(), "invitation_id"),
        done=help_invitation_is("withdrawn"),
        expect=api_owned(party=REFUSED, admin=NOT_FOUND),
    ),
    Case(
        "api:suggestion_settings_update",
        method="put",
        build=with_data(suggestable=False),
        done=not_suggested,
        expect=api_own_account(),
    ),
    # Pages that only read, but whose views take a POST like a GET.
    Case("home", build=nothing, expect=reads_only(anonymous=UNCHANGED)),
    Case("privacy_notice", build=nothing, expect=reads_only(anonymous=UNCHANGED)),
    Case("account_privacy", build=nothing, expect=reads_only()),
    Case("account_security", build=nothing, expect=reads_only()),
    # Campaigns: administrators make them, owners join their listings, ambassadors
    # (the party, given the role) and administrators feature and welcome.
    Case(
        "campaign_create",
        build=lambda w: Post(data=campaign_form()),
        done=the_campaign_is_titled("Net zero in clinics"),
        expect=role_page(party=FORBIDDEN, admin=DONE),
    ),
    Case(
        "campaign_edit",
        build=lambda w: Post(
            kwargs={"slug": a_campaign(w).slug}, data=campaign_form(title="Shorter stays")
        ),
        done=the_campaign_is_titled("Shorter stays"),
        expect=role_page(party=FORBIDDEN, admin=DONE),
    ),
    Case(
        "campaign_edit",
        label="image",
        build=a_campaign_image,
        done=the_campaign_has_an_image,
        expect=role_page(party=FORBIDDEN, admin=DONE),
    ),
    Case(
        "campaign_join",
        build=the_offer_joins_a_campaign,
        done=in_the_campaign,
        # Only the owner adds their listing; nobody else, an administrator neither.
        expect=dict(anonymous=SIGN_IN, stranger=FORBIDDEN, owner=DONE, moderator=FORBIDDEN)
        | dict(party=FORBIDDEN, admin=FORBIDDEN),
    ),
    Case(
        "campaign_leave",
        build=the_offer_in_a_campaign(),
        done=lambda w, actor: not in_the_campaign(w, actor),
        expect=dict(anonymous=SIGN_IN, stranger=FORBIDDEN, owner=DONE, moderator=FORBIDDEN)
        | dict(party=FORBIDDEN, admin=DONE),
    ),
    Case(
        "campaign_feature",
        build=the_offer_in_a_campaign(ambassador=True),
        done=featured,
        expect=role_page(party=DONE, admin=DONE),
    ),
    Case(
        "member_welcome",
        build=a_new_member_to_welcome,
        done=welcomed,
        expect=role_page(party=DONE, admin=DONE),
    ),
    Case(
        "api:campaign_create",
        build=lambda w: Post(data=campaign_json()),
        done=the_campaign_is_titled("Net zero in clinics"),
        expect=api_role(party=FORBIDDEN, admin=DONE),
    ),
    Case(
        "api:campaign_update",
        method="patch",
        build=lambda w: Post(kwargs={"slug": a_campaign(w).slug}, data={"title": "Shorter stays"}),
        done=the_campaign_is_titled("Shorter stays"),
        expect=api_role(party=FORBIDDEN, admin=DONE),
    ),
    Case(
        "api:campaign_listing_join",
        build=lambda w: Post(kwargs={"slug": a_campaign(w).slug}, data={"listing_id": w.offer.pk}),
        done=in_the_campaign,
        expect=dict(anonymous=UNAUTHORIZED, stranger=FORBIDDEN, owner=DONE, moderator=FORBIDDEN)
        | dict(party=FORBIDDEN, admin=FORBIDDEN),
    ),
    Case(
        "api:campaign_listing_leave",
        method="delete",
        build=the_offer_in_a_campaign_for_the_api(),
        done=lambda w, actor: not in_the_campaign(w, actor),
        expect=dict(anonymous=UNAUTHORIZED, stranger=FORBIDDEN, owner=DONE, moderator=FORBIDDEN)
        | dict(party=FORBIDDEN, admin=DONE),
    ),
    Case(
        "api:campaign_listing_feature",
        build=the_offer_in_a_campaign_for_the_api(ambassador=True, featured=True),
        done=featured,
        expect=api_role(party=DONE, admin=DONE),
    ),
    Case(
        "api:campaign_session_join",
        build=the_session_of_the_owner_for_a_campaign(joined=False),
        done=session_in_the_campaign,
        # Only the organiser adds their session; an administrator neither.
        expect=dict(anonymous=UNAUTHORIZED, stranger=FORBIDDEN, owner=DONE, moderator=FORBIDDEN)
        | dict(party=FORBIDDEN, admin=FORBIDDEN),
    ),
    Case(
        "api:campaign_session_leave",
        method="delete",
        build=the_session_of_the_owner_for_a_campaign(joined=True),
        done=lambda w, actor: not session_in_the_campaign(w, actor),
        expect=dict(anonymous=UNAUTHORIZED, stranger=FORBIDDEN, owner=DONE, moderator=FORBIDDEN)
        | dict(party=FORBIDDEN, admin=DONE),
    ),
    Case(
        "api:new_member_welcome",
        build=through_api(a_new_member_to_welcome, "member_id", message="Welcome to Equitime!"),
        done=welcomed,
        expect=api_role(party=DONE, admin=DONE),
    ),
    Case("dashboard", build=nothing, expect=reads_only()),
    Case("member_directory", build=nothing, expect=reads_only()),
    Case("profile_detail", build=the_page_of("member"), expect=reads_only()),
    Case("listing_browse", build=nothing, expect=reads_only()),
    Case("listing_detail", build=the_page_of("listing"), expect=reads_only()),
    Case("exchange_list", build=nothing, expect=reads_only()),
    Case(
        "exchange_detail",
        build=the_page_of("exchange"),
        expect=reads_only(stranger=NOT_FOUND, moderator=NOT_FOUND, party=UNCHANGED),
    ),
    *COORDINATION_CASES,
    *LEADS_CASES,
]


# --- URLs that are not in the matrix, and why ------------------------------------------

SELF = (
    "acts only on the signed-in member's own session, password or authenticators; "
    "the form names no row, so there is no one else's object to reach"
)
PUBLIC = (
    "a public step of signing in, joining or resetting a password, taken before anyone is "
    "signed in; tested with the sign-in and sign-up pages"
)
KEY = "the secret key in the link is the authority, not the session; a wrong key changes nothing"
MESSAGE = "only shows a message"
OLD_ADDRESS = "an old address that redirects to its new one"
API_DOCS = "django-ninja's generated schema and docs: they only read"

NOT_IN_MATRIX: dict[str, str] = {
    "account_login": PUBLIC,
    "account_logout": SELF,
    "account_signup": PUBLIC,
    "account_reauthenticate": SELF,
    "account_request_reauthentication_code": SELF,
    "account_confirm_reauthentication_code": SELF,
    "account_email_verification_sent": MESSAGE,
    "account_change_password": SELF,
    "account_set_password": SELF,
    "account_reset_password": PUBLIC,
    "account_confirm_login_code": PUBLIC,
    "account_confirm_email": KEY,
    "account_reset_password_from_key": KEY,
    "mfa_authenticate": PUBLIC,
    "mfa_reauthenticate": SELF,
    "mfa_activate_totp": SELF,
    "mfa_deactivate_totp": SELF,
    "mfa_generate_recovery_codes": SELF,
    "socialaccount_signup": PUBLIC,
    "openid_connect_login": PUBLIC,
    "openid_connect_callback": PUBLIC,
    "accounts/social/login/cancelled/": OLD_ADDRESS,
    "accounts/social/login/error/": OLD_ADDRESS,
    "accounts/social/signup/": OLD_ADDRESS,
    "accounts/social/connections/": OLD_ADDRESS,
    "api:api-root": API_DOCS,
    "api:openapi-json": API_DOCS,
    "api:openapi-view": API_DOCS,
}
# Staff only: every admin page checks is_staff and Django's model permissions.
ADMIN_PREFIX = "admin/"
# Views that are not ours: allauth's, Django's generic redirects, django-ninja's
# schema and docs. (The API's operations are ours, though ninja wraps them.)
THIRD_PARTY = ("allauth.", "django.views.generic.", "ninja.openapi.")
API_PREFIX = "api/"
# A form can only POST; the JSON API also changes things with these.
API_METHODS = ("post", "put", "patch", "delete")


def is_third_party(pattern) -> bool:
    view = inspect.unwrap(pattern.callback)
    view = getattr(view, "func", view)  # a functools.partial (ninja's docs)
    return view.__module__.startswith(THIRD_PARTY)


def sample_path(route: str, pattern) -> str:
    """The route with a made-up value in each part: 999999 for numbers, "x" otherwise.
    Views check the method before they look anything up, so no object is needed."""

    def fill(match: re.Match) -> str:
        converter = pattern.pattern.converters.get(match[1])
        return "999999" if isinstance(converter, IntConverter) else "x"

    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", fill, route)


def full_name(route: str, pattern) -> str:
    """The name ``reverse()`` takes: with its namespace (``api:listing_create``)."""
    try:
        namespace = resolve(sample_path(route, pattern)).namespace
    except Resolver404:  # a regular expression route (allauth's): no namespace there
        namespace = ""
    name = pattern.name or route
    return f"{namespace}:{name}" if namespace else name


def changing_methods(client, route: str, pattern) -> dict[str, str]:
    """The methods that change things the URL accepts, each with how that was found out.

    Ours are asked: an empty request from a signed-in superuser is refused with
    405 or it is not. Third-party class-based views say so by having ``post``."""
    if is_third_party(pattern):
        view_class = getattr(pattern.callback, "view_class", None)
        if view_class is None:
            return {"post": "a function view, so it is taken to accept POST"}
        if hasattr(view_class, "post"):
            return {"post": f"{view_class.__name__} has a post() method"}
        return {}
    path = sample_path(route, pattern)
    accepted = {}
    for method in API_METHODS if route.startswith(API_PREFIX) else ("post",):
        try:
            status = client.generic(method.upper(), path).status_code
        except Exception as error:  # the view crashed, but it did take the request
            accepted[method] = f"{method.upper()} {path} raised {error!r}"
            continue
        if status != 405:
            accepted[method] = f"{method.upper()} {path} answered {status}"
    return accepted


def test_every_url_that_accepts_post_is_in_the_matrix(client, settings):
    # The prober asks every API route with every method from one address: far
    # more than a minute's allowance, and a 429 says nothing about the route.
    settings.EQUITIME_API_RATE_PER_IP = "1000000/m"
    prober = make_member(display_name="Pat Prober")
    Member.objects.filter(pk=prober.pk).update(is_superuser=True, is_staff=True)
    client.force_login(prober)
    # django-ninja gives each operation of one path its own pattern, all with
    # that path's view: a route is one URL, however many names it has.
    routes: dict[str, str] = {}
    names: dict[str, list[str]] = {}
    accepting: dict[str, dict[str, str]] = {}
    for route, pattern in url_patterns():
        if route.startswith(ADMIN_PREFIX):
            continue
        name = full_name(route, pattern)
        routes[name] = route
        names.setdefault(route, []).append(name)
        if route not in accepting:
            accepting[route] = changing_methods(client, route, pattern)
        if not is_third_party(pattern):
            assert name not in NOT_IN_MATRIX, f"{name} is ours: give it a row in CASES"
    unknown = sorted(({case.name for case in CASES} | set(NOT_IN_MATRIX)) - set(routes))
    assert not unknown, f"No URL has these names any more: {unknown}"

    covered = {(routes[case.name], case.method) for case in CASES}
    covered |= {(routes[name], "post") for name in NOT_IN_MATRIX}
    found = {(route, method) for route, methods in accepting.items() for method in methods}
    missing = [
        f"{method.upper()} /{route} ({', '.join(names[route])}): {accepting[route][method]}"
        for route, method in sorted(found - covered)
    ]
    assert not missing, (
        "These URLs take a request that can change things but are not in the authorization "
        "matrix. Add a Case to CASES (or, for a third-party URL, a reason to NOT_IN_MATRIX):"
        "\n  " + "\n  ".join(missing)
    )
    stale = [f"{method.upper()} /{route}" for route, method in sorted(covered - found)]
    assert not stale, f"These rows name a method their URL no longer takes: {stale}"


def test_every_action_of_an_action_url_is_in_the_matrix():
    """``<action>`` URLs dispatch on a table in their views module; each entry needs a row."""
    checked = 0
    for route, pattern in url_patterns():
        if "action" not in pattern.pattern.converters or is_third_party(pattern):
            continue
        actions = set(getattr(sys.modules[pattern.callback.__module__], "_ACTIONS", ()))
        assert actions, f"{pattern.name} (/{route}): no _ACTIONS table to read its actions from"
        covered = {case.action for case in CASES if case.name == pattern.name}
        assert actions <= covered, (
            f"{pattern.name}: actions with no row in the matrix: {sorted(actions - covered)}"
        )
        checked += 1
    assert checked >= 2  # exchange_act and listing_act


def test_every_move_an_exchange_allows_is_in_the_matrix():
    """``MAY`` says who may make each move; resolving is one action with two outcomes."""
    rows = {case.action for case in CASES if case.name == "exchange_act"}
    rows |= {f"{case.action}_{case.label}" for case in CASES if case.action == "resolve"}
    assert set(exchanges.MAY) <= rows


def test_every_row_says_what_each_role_gets():
    for case in CASES:
        assert set(CORE_ROLES) <= set(case.expect), f"{case.id}: say what {CORE_ROLES} get"
        assert set(case.expect) <= set(ROLES), f"{case.id}: unknown roles"
        if {DONE, OWN} & set(case.expect.values()):
            assert case.done is not None, f"{case.id}: say how to tell that it worked"
    ids = [case.id for case in CASES]
    assert len(ids) == len(set(ids)), "two rows with one id: give one a label"


# --- The matrix, row by role ---------------------------------------------------------


def sign_in(client, member: Member, *, reauth: bool) -> None:
    if not reauth:
        client.force_login(member)
        return
    response = client.post(LOGIN_URL, {"login": member.email, "password": PASSWORD})
    assert response.status_code == 302, "could not sign in through the form"
    response = client.post(REAUTHENTICATE_URL, {"password": PASSWORD})
    assert response.status_code == 302, "could not confirm the password again"


def send(client, case: Case, url: str, data: dict):
    """A form post, or for the JSON API a JSON body with the row's method."""
    if case.name.startswith("api:"):
        body = json.dumps(data) if data else ""
        # Giving credits needs an Idempotency-Key; every other write accepts one.
        return client.generic(
            case.method.upper(),
            url,
            body,
            content_type="application/json",
            headers={"Idempotency-Key": str(uuid.uuid4())},
        )
    return client.post(url, data)


def database_rows() -> dict[str, list[tuple]]:
    """Every row of every table, sessions aside (a visit may touch its own).

    ``test_security.database_state`` in raw SQL: the ORM's ``values()`` costs
    some twenty times as much, and this runs twice in most of the tests here."""
    tables = sorted(
        {model._meta.db_table for model in apps.get_models(include_auto_created=True)}
        - {Session._meta.db_table}
    )
    rows = {}
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)} ORDER BY 1")
            rows[table] = cursor.fetchall()
    return rows


def changes(before: dict, after: dict) -> list[str]:
    return sorted(label for label in before if before[label] != after.get(label))


MATRIX = [(case, role) for case in CASES for role in ROLES if role in case.expect]


@pytest.mark.parametrize(
    ("case", "role"), MATRIX, ids=[f"{case.id}-{role}" for case, role in MATRIX]
)
def test_who_may_post(client, w, case, role):
    post = case.build(w)
    actor = w.member(role)
    if actor is not None:
        sign_in(client, actor, reauth=case.reauth)
    url = case.url(post)
    expected = case.expect[role]

    # Rows that must change nothing compare the whole database; the others
    # check their change (and, for OWN, that the owner's is not it).
    before = None if expected in (DONE, OWN) else database_rows()
    response = send(client, case, url, post.data)

    status, location = response.status_code, response.get("Location", "")
    said = f"{case.method.upper()} {url} as {role}: expected {expected.name} "
    said += f"({expected.value}); got {status}"
    said += f" to {location}" if location else ""
    sent_away = location.startswith((LOGIN_URL, REAUTHENTICATE_URL))
    if expected in (DONE, OWN):
        assert status in (200, 201, 202, 302) and not sent_away, said  # 202: queued
        assert case.done(w, actor), f"{said}, but the change did not happen"
        if expected is OWN:
            assert not case.done(w, w.owner), f"{said}, and it changed the owner's account"
        return
    assert before is not None  # read above for every expectation but DONE and OWN
    changed = changes(before, database_rows())
    assert changed == [], f"{said}, and it changed {changed}"
    if expected is SIGN_IN:
        assert status == 302 and location.startswith(LOGIN_URL), said
    elif expected is UNAUTHORIZED:
        assert status == 401, said
    elif expected is REAUTH:
        assert status == 302 and location.startswith(REAUTHENTICATE_URL), said
    elif expected is NOT_FOUND:
        assert status == 404, said
    elif expected is FORBIDDEN:
        assert status == 403, said
    elif expected is REFUSED:
        assert status in (403, 409, 422), said
    else:
        assert (status < 400 or status == 422) and not sent_away, said


# One row per API write, made by the first member who may make it.
API_WRITES = [
    next((case, role) for role in MEMBERS if case.expect.get(role) in (DONE, OWN))
    for case in CASES
    if case.name.startswith("api:")
    and any(case.expect.get(role) in (DONE, OWN) for role in MEMBERS)
]


@pytest.mark.parametrize(
    ("case", "role"), API_WRITES, ids=[f"{case.id}-{role}" for case, role in API_WRITES]
)
def test_a_read_only_token_changes_nothing(client, w, case, role):
    """The member who may make each API write, holding a read-only token: 403, nothing changed."""
    post = case.build(w)
    _token, secret = api_token_create(member=w.member(role), name="reader", read_only=True)
    url = case.url(post)
    before = database_rows()

    response = client.generic(
        case.method.upper(),
        url,
        json.dumps(post.data) if post.data else "",
        content_type="application/json",
        headers={"Authorization": f"Bearer {secret}", "Idempotency-Key": str(uuid.uuid4())},
    )

    assert response.status_code == 403, f"{case.method.upper()} {url}: {response.status_code}"
    assert response.json()["code"] == "read_only"
    after = database_rows()
    changed = [t for t in changes(before, after) if t != ApiToken._meta.db_table]
    assert changed == [], f"{case.method.upper()} {url} with a read-only token changed {changed}"


# --- Pages that show one member's object: anyone else gets 404 ----------------------


@dataclass(frozen=True)
class Page:
    name: str
    label: str
    build: Callable[[World], Post]
    expect: Mapping[str, int]  # role -> status of a GET


def leading_an_organisation(w: World) -> Post:
    """The owner leads an organisation's impact figures (issue 15): the impact
    pages are theirs to read, for that organisation; nobody else's but an
    administrator's."""
    from equitime.impact.models import OrganisationLead
    from equitime.members.models import Organisation

    trust = Organisation.objects.create(name="Matrix Trust", kind=Organisation.Kind.NHS_TRUST)
    Profile.objects.filter(member=w.owner).update(organisation=trust)
    OrganisationLead.objects.create(member=w.owner, organisation=trust, appointed_by=w.admin)
    return Post()


# The impact pages read: a lead (the owner) and a community administrator, nobody else.
IMPACT_READERS = {"owner": 200, "party": 403, "stranger": 403, "moderator": 403, "admin": 200}

OWNED_PAGES = [
    Page(
        "listing_edit",
        "open",
        a_listing(),
        {"owner": 200, "party": 404, "stranger": 404, "moderator": 404, "admin": 404},
    ),
    Page(
        "listing_detail",
        "paused",
        a_listing(Listing.Status.PAUSED),
        # Moderators see every listing: a reported one may be paused by the time they look.
        {"owner": 200, "party": 404, "stranger": 404, "moderator": 200, "admin": 200},
    ),
    Page(
        "exchange_detail",
        "proposed",
        the_page_of("exchange"),
        {"owner": 200, "party": 200, "stranger": 404, "moderator": 404, "admin": 404},
    ),
    Page(
        "exchange_detail",
        "disputed",
        # A dispute is brought to the moderators: they, and only they, see it too.
        an_exchange(Status.DISPUTED),
        {"owner": 200, "party": 200, "stranger": 404, "moderator": 200, "admin": 200},
    ),
    Page(
        "profile_detail",
        "suspended",
        # Only those who may reinstate a suspended member see their profile.
        the_owner(suspended=True),
        {"party": 404, "stranger": 404, "moderator": 200, "admin": 200},
    ),
    Page(
        "session_calendar",
        "one-to-one",
        a_scheduled_session,
        {"owner": 200, "party": 200, "stranger": 404, "moderator": 404, "admin": 404},
    ),
    Page(
        "coordination_member",
        "consented",
        # The coordinator's page about the party: only the coordinator (the owner) sees it.
        coordinating(lambda w: {}),
        {"owner": 200, "party": 403, "stranger": 403, "moderator": 403, "admin": 403},
    ),
    Page(
        "coordination_listing_new",
        "consented",
        coordinating(lambda w: {}),
        {"owner": 200, "party": 403, "stranger": 403, "moderator": 403, "admin": 403},
    ),
    Page(
        "notification_open",
        "get",
        # A notification has no page of its own; opening it is a POST (in the matrix).
        a_notification,
        {"owner": 405, "party": 405, "stranger": 405, "moderator": 405},
    ),
    Page("impact_network", "lead", leading_an_organisation, IMPACT_READERS),
    Page("impact_network_organisations_csv", "lead", leading_an_organisation, IMPACT_READERS),
    Page("impact_network_links_csv", "lead", leading_an_organisation, IMPACT_READERS),
]
PAGE_VISITS = [(page, role) for page in OWNED_PAGES for role in page.expect]


@pytest.mark.parametrize(
    ("page", "role"), PAGE_VISITS, ids=[f"{p.name}-{p.label}-{r}" for p, r in PAGE_VISITS]
)
def test_only_those_it_concerns_see_an_owned_page(client, w, page, role):
    post = page.build(w)
    client.force_login(w.member(role))

    response = client.get(reverse(page.name, kwargs=post.kwargs))

    assert response.status_code == page.expect[role], f"GET {page.name} as {role}"
