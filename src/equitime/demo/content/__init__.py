"""Everything the demo creates, written out rather than drawn at random, so
every run builds the same community. One module per topic:

- ``organisations``: invented organisations across health and care;
- ``members``: the people who join, and the taxonomy skills on their profiles;
- ``accounts``: the published password and the accounts printed for signing in;
- ``listings``: offers and requests;
- ``exchanges``: exchanges in every state of their lifecycle;
- ``donations``: gifts of earned credits, made after the exchanges;
- ``reports``: a report waiting in the moderation queue.

Keys and numbers here (a listing's ``key``, an exchange's or donation's
``number``) are how the builder finds what an earlier run made: never reuse
or renumber them. (The folder is not called ``data``: git ignores every folder
of that name, for the SQLite database that lives in one.)
"""

from equitime.demo.content.accounts import (
    ADMIN,
    ADMIN_EMAIL,
    DEMO_PASSWORD,
    LOGIN_URL,
    MODERATOR,
    MODERATOR_EMAIL,
)
from equitime.demo.content.donations import DONATIONS
from equitime.demo.content.exchanges import EXCHANGES
from equitime.demo.content.listings import LISTINGS
from equitime.demo.content.members import MEMBERS, PROFILE_SKILLS, SIGN_IN_EMAIL
from equitime.demo.content.organisations import ORGANISATIONS
from equitime.demo.content.reports import DEMO_REPORT
from equitime.demo.specs import DEMO_DOMAIN

__all__ = [
    "ADMIN",
    "ADMIN_EMAIL",
    "DEMO_DOMAIN",
    "DEMO_PASSWORD",
    "DEMO_REPORT",
    "DONATIONS",
    "EXCHANGES",
    "LISTINGS",
    "LOGIN_URL",
    "MEMBERS",
    "MODERATOR",
    "MODERATOR_EMAIL",
    "ORGANISATIONS",
    "PROFILE_SKILLS",
    "SIGN_IN_EMAIL",
]
