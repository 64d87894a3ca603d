"""The accounts the command prints for signing in, and their one published
password (the reason the command refuses to run in production)."""

from equitime.demo.specs import DEMO_DOMAIN

DEMO_PASSWORD = "demo-time-2026"  # noqa: S105 - published on purpose: demo accounts only
# The path: the command prints it on the address the site is served on.
LOGIN_URL = "/accounts/login/"

# The staff administrator is not one of the MEMBERS: the builder makes that
# account on its own, and the exchanges name it by this handle.
ADMIN = "admin"
ADMIN_EMAIL = f"{ADMIN}@{DEMO_DOMAIN}"

# The QI lead at the integrated care board settles disputes between members
# (the permission ``exchanges.resolve_dispute``); the administrator can too.
MODERATOR = "eleanor.hughes"
MODERATOR_EMAIL = f"{MODERATOR}@{DEMO_DOMAIN}"
