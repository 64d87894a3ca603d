"""The JSON API, version 1, at /api/v1/ (django-ninja).

Each domain app keeps its endpoints in its own ``api.py`` as a Router, built
on the API's shared pieces in ``equitime.api`` (authentication by token or
session, rate limits, RFC 9457 problems, idempotency, pagination). This module,
at the top of the layers beside the URLs, is the one that imports every
router and puts them together, with the OpenAPI schema at
/api/v1/openapi.json and interactive docs at /api/v1/docs.
"""

from csp.decorators import csp_update

from equitime.api import problems
from equitime.api.auth import API_AUTH
from equitime.api.base import EquitimeApi, JsonObjectParser
from equitime.api.idempotency_api import router as idempotency
from equitime.api.throttling import CredentialThrottle
from equitime.api.tokens_api import router as tokens
from equitime.campaigns.api import ambassadors_router as new_members
from equitime.campaigns.api import router as campaigns
from equitime.coordination.api import router as coordination
from equitime.cpd.api import router as cpd
from equitime.credits.api import router as credits
from equitime.digest.api import router as digest
from equitime.exchanges.api import router as exchanges
from equitime.exports.api import router as exports
from equitime.impact.api import router as impact
from equitime.impact.leads_api import router as impact_leads
from equitime.impact.network_api import router as impact_network
from equitime.listings.api import router as listings
from equitime.matching.api import router as matching
from equitime.members.api import router as members
from equitime.members.invitations_api import roles_router
from equitime.members.invitations_api import router as invitations
from equitime.moderation.api import router as moderation
from equitime.notifications.api import router as notifications
from equitime.scheduling.api import router as sessions
from equitime.scheduling.calendar_api import router as calendar
from equitime.scheduling.group_api import router as group_sessions
from equitime.skills.api import router as skills

DESCRIPTION = """
Equitime is a time bank for health and care: colleagues trade skills in hours,
never money. One hour of anyone's time is one credit; amounts are integer
**minutes** everywhere in this API.

**Authentication.** Send a personal access token, made on the *API tokens*
page: `Authorization: Bearer eqt_…`. A token may be read-only. A signed-in
browser session also works; its writes need the `X-CSRFToken` header.

**Errors** are RFC 9457 problem documents (`application/problem+json`) with a
`code`, `retryable` (whether the same request, sent again unchanged, can
succeed), and `errors` listing field errors on 422.

**Times** are ISO 8601 with their offset from UTC, written on the caller's
clock (the time zone on their profile): `2026-12-08T19:30:00+05:30` for a
member in Kolkata, `2026-12-08T14:00:00+00:00` for one in London in winter
(the offset is always `±HH:MM`, never `Z`). Times you send must carry an
offset (`+05:30`, `-05:00` or `Z`); one without is refused with 422.

**Lists** are paginated by page: `?page=1&page_size=20` (at most 100); the
answer is `{"items": [...], "count": N}`.

**Idempotency.** POSTs that create exchanges or move credits accept an
`Idempotency-Key` header: a retry with the same key and body gets the first
answer again; the same key with another body is refused with 422. A client
that lost an answer asks `GET /idempotency/{key}`: 200 with the stored answer
if it was done, 404 if nothing was done (so sending it again is safe).

**Rate limits** per token (or member) and per IP address are answered with
429 and `Retry-After`.
"""


api = EquitimeApi(
    title="Equitime API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    auth=API_AUTH,
    throttle=[CredentialThrottle()],
    parser=JsonObjectParser(),
    # Swagger UI sets inline styles; only this page allows them. Its script is a static file.
    docs_decorator=csp_update({"style-src": ["'unsafe-inline'"]}),
)
problems.install(api)

api.add_router("/", members)
api.add_router("/", skills)
api.add_router("/listings", listings)
api.add_router("/exchanges", exchanges)
api.add_router("/transfers", credits)
api.add_router("/notifications", notifications)
api.add_router("/digest", digest)
api.add_router("/calendar", calendar)
api.add_router("/", moderation)
api.add_router("/tokens", tokens)
api.add_router("/idempotency", idempotency)
api.add_router("/invitations", invitations)
api.add_router("/", roles_router)
api.add_router("/group-sessions", group_sessions)
api.add_router("/", sessions)
api.add_router("/campaigns", campaigns)
api.add_router("/new-members", new_members)
api.add_router("/", matching)
api.add_router("/coordinate", coordination)
api.add_router("/", cpd)
api.add_router("/exports", exports)
api.add_router("/impact", impact)
api.add_router("/impact/network", impact_network)
api.add_router("/impact", impact_leads)
