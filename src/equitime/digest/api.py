"""API: the caller's digest as it stands (the last seven days), section by section."""

from dataclasses import asdict
from datetime import date, datetime

from ninja import Router, Schema

from equitime.api.auth import ApiRequest
from equitime.api.problems import PROBLEM_RESPONSES
from equitime.digest.selectors import digest_build, digest_latest_sent, week_preview

router = Router(tags=["Digest"])


class DigestItemOut(Schema):
    text: str
    link: str
    detail: str


class DigestSectionOut(Schema):
    key: str
    title: str
    items: list[DigestItemOut]
    more: int
    more_link: str
    personal: bool


class DigestOut(Schema):
    since: datetime
    until: datetime
    relevant: bool
    sections: list[DigestSectionOut]
    last_sent_week: date | None


@router.get(
    "",
    response={200: DigestOut, **PROBLEM_RESPONSES},
    summary="My digest",
    description="What my weekly digest holds for the last seven days, on my clock. "
    "relevant is false when there is nothing personal in it (no digest would be sent).",
    operation_id="digest_get",
)
def digest_get(request: ApiRequest) -> DigestOut:
    digest = digest_build(member=request.auth, week=week_preview())
    latest = digest_latest_sent(member=request.auth)
    return DigestOut(
        since=digest.week.since,
        until=digest.week.until,
        relevant=digest.relevant,
        sections=[DigestSectionOut(**asdict(section)) for section in digest.sections],
        last_sent_week=latest.week_start if latest else None,
    )
