"""The shape of the demo's data: one frozen dataclass per kind of thing the
demo creates. The values themselves are in ``equitime.demo.content``; the
builder (``equitime.demo.builder``) turns them into rows through the services.
"""

from __future__ import annotations

from dataclasses import dataclass

from equitime.listings.models import Listing

DEMO_DOMAIN = "demo.equitime.org"


@dataclass(frozen=True)
class DemoOrganisation:
    name: str
    kind: str
    country: str


@dataclass(frozen=True)
class DemoMember:
    handle: str  # the part of the e-mail address before the @
    display_name: str
    organisation: str
    profession: str
    division: str
    country: str
    time_zone: str
    languages: tuple[str, ...]
    skills_offered: tuple[str, ...]
    availability: str
    preference: str
    bio: str

    @property
    def email(self) -> str:
        return f"{self.handle}@{DEMO_DOMAIN}"


@dataclass(frozen=True)
class DemoDonation:
    number: int  # makes the idempotency key; never reuse or renumber
    donor: str  # handle
    recipient: str | None  # handle, or None for the community pool
    minutes: int
    memo: str

    @property
    def key(self) -> str:
        return f"demo-donation:{self.number}"


@dataclass(frozen=True)
class DemoListing:
    key: str  # how exchanges below name it; a listing is found by owner and title
    owner: str  # handle
    kind: str
    title: str
    description: str
    area: str  # improvement area slug
    benefit: str
    minutes: int
    format: str
    skills: tuple[str, ...]  # skill slugs from the taxonomy
    place: str = ""
    languages: tuple[str, ...] = ("English",)
    # Where the demo leaves a listing it has just posted, after its exchanges.
    status: str = Listing.Status.OPEN


@dataclass(frozen=True)
class DemoDirect:
    """An exchange recorded between two colleagues without a listing."""

    other: str  # handle
    member_gives: bool
    title: str
    area: str
    benefit: str


@dataclass(frozen=True)
class DemoResolution:
    moderator: str  # handle, or ADMIN
    minutes: int | None  # None closes the exchange without credits
    note: str


@dataclass(frozen=True)
class DemoThanks:
    author: str  # handle
    message: str
    impact: str = ""


@dataclass(frozen=True)
class DemoExchange:
    number: int  # makes the request key; never reuse or renumber
    proposer: str  # handle
    outcome: str  # the status the demo drives the exchange to
    minutes: int  # proposed, and held on acceptance
    listing: str | None = None  # DemoListing.key, or None with ``direct``
    direct: DemoDirect | None = None
    message: str = ""  # sent with the proposal
    replies: tuple[tuple[str, str], ...] = ()  # (author handle, text), while proposed
    logged: int | None = None  # minutes the provider logs; the proposal's if None
    reason: str = ""  # why it was declined, disputed or cancelled
    cancelled_by: str = ""  # handle
    cancel_after_accept: bool = False  # so the hold is placed, then voided
    resolution: DemoResolution | None = None
    thanks: tuple[DemoThanks, ...] = ()
    # (author handle, what happened[, what I learned, how it changed my practice, standards])
    reflections: tuple[tuple[str, ...], ...] = ()

    @property
    def key(self) -> str:
        return f"demo-exchange:{self.number}"
