"""The digest's background work: one task per batch of members (``services``)."""

from datetime import date

from django_tasks import task

from equitime.digest.services import digest_send_batch_now


@task()
def digest_send_batch(*, member_ids: list[int], week_start: str) -> str:
    counts = digest_send_batch_now(member_ids=member_ids, week_start=date.fromisoformat(week_start))
    return "; ".join(f"{outcome}: {count}" for outcome, count in sorted(counts.items()))
