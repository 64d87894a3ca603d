"""How good and how fast "who could help" is: the evaluation behind ``bench/matching.py``.

The evaluation set (``evaluation_set``), built from whatever community the
database holds (the demo, or the scale generator's members):

- the requests: every request listing (any status) with at least one skill
  and at least one *right helper* below; at scale a seeded random sample;
- the right helpers of a request, two kinds, told apart in the report:

  1. **held out**: the members who gave time on that very request in a
     completed exchange. The ranking never sees them as such: it counts past
     help only on *other* listings (``ranking.evidence_for_request`` excludes
     the request's own exchanges), so nothing of the answer leaks into the
     features.
  2. **skilled across organisations**: eligible members (active, not staff,
     not the poster, not opted out, seen within ``INACTIVE_AFTER``) whose
     profile lists *every* taxonomy skill of the request and who work at
     another organisation than the poster's. This is what the platform is for
     (the right skill, across an organisation's walls), but it is close to the
     ranking's strongest feature, so precision on it mostly checks that the
     exclusions, own-words matches and bonuses do not push the right people
     out. The held-out kind alone is reported too.

Metrics, per request, then averaged over the requests:

- precision@5 = right helpers among the first 5 / min(5, number of right
  helpers) (a request with two right helpers can score 1.0);
- recall@10 = right helpers among the first 10 / number of right helpers;
- time: ``ranking.rank_helpers`` for one request (limit 10), median and 95th
  percentile, after one warm-up call: wall-clock time, and this process's CPU
  time (SQLite works in-process, so it counts the queries too), which a machine
  shared with other work inflates far less.
"""

from __future__ import annotations

import random
import statistics
import time
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count
from django.utils import timezone

from equitime.exchanges.models import Exchange, Status
from equitime.listings.models import Listing
from equitime.matching import ranking
from equitime.matching.models import SuggestionSettings
from equitime.members.models import Member, Profile


@dataclass
class Case:
    listing: Listing
    held_out: set[int]
    skilled: set[int]

    @property
    def right(self) -> set[int]:
        return self.held_out | self.skilled


@dataclass
class Report:
    requests: int = 0
    precision_at_5: float = 0.0
    recall_at_10: float = 0.0
    held_out_requests: int = 0
    held_out_precision_at_5: float = 0.0
    held_out_recall_at_10: float = 0.0
    median_ms: float = 0.0
    p95_ms: float = 0.0
    cpu_median_ms: float = 0.0
    cpu_p95_ms: float = 0.0
    members: int = 0
    timings_ms: list[float] = field(default_factory=list)
    cpu_ms: list[float] = field(default_factory=list)

    def lines(self, label: str) -> list[str]:
        return [
            f"{label}: {self.members:,} members, {self.requests} requests evaluated",
            f"  precision@5   {self.precision_at_5:.3f}   (target >= 0.6)",
            f"  recall@10     {self.recall_at_10:.3f}",
            f"  held out only ({self.held_out_requests} requests with completed exchanges): "
            f"precision@5 {self.held_out_precision_at_5:.3f}, "
            f"recall@10 {self.held_out_recall_at_10:.3f}",
            f"  time per request: median {self.median_ms:.1f} ms, p95 {self.p95_ms:.1f} ms "
            "(target < 50 ms)",
            f"  CPU time per request (this process, the database's work included): "
            f"median {self.cpu_median_ms:.1f} ms, p95 {self.cpu_p95_ms:.1f} ms",
        ]


def _eligible_ids(now) -> set[int]:
    seen_after = now - ranking.INACTIVE_AFTER
    recent = set(
        Exchange.objects.filter(updated_at__gte=seen_after).values_list("provider_id", flat=True)
    ) | set(
        Exchange.objects.filter(updated_at__gte=seen_after).values_list("receiver_id", flat=True)
    )
    opted_out = set(
        SuggestionSettings.objects.filter(suggestable=False).values_list("member_id", flat=True)
    )
    ids = set()
    for pk, last_login, joined in Member.objects.filter(is_active=True, is_staff=False).values_list(
        "pk", "last_login", "date_joined"
    ):
        if pk in opted_out:
            continue
        if (last_login and last_login >= seen_after) or joined >= seen_after or pk in recent:
            ids.add(pk)
    return ids


def evaluation_set(*, sample: int | None = None, seed: int = 14) -> list[Case]:
    now = timezone.now()
    eligible = _eligible_ids(now)
    organisation = dict(Profile.objects.values_list("member_id", "organisation_id"))
    skills_of: dict[int, set[int]] = defaultdict(set)
    for member_id, skill_id in Profile.skills.through.objects.values_list(
        "profile__member_id", "skill_id"
    ):
        skills_of[member_id].add(skill_id)
    held_out: dict[int, set[int]] = defaultdict(set)
    for listing_id, provider_id in Exchange.objects.filter(
        status=Status.COMPLETED, listing__kind=Listing.Kind.REQUEST
    ).values_list("listing_id", "provider_id"):
        held_out[listing_id].add(provider_id)
    requests = list(
        Listing.objects.filter(kind=Listing.Kind.REQUEST)
        .annotate(n=Count("skills"))
        .filter(n__gt=0)
        .select_related("improvement_area")
        .order_by("pk")
    )
    if sample is not None and len(requests) > sample * 4:
        # Keep every request with a completed exchange in the pool, then sample.
        random.Random(seed).shuffle(requests)
        with_answers = [r for r in requests if r.pk in held_out][: sample // 2]
        others = [r for r in requests if r.pk not in held_out]
        requests = with_answers + others
    wanted: dict[int, set[int]] = defaultdict(set)
    for listing_id, skill_id in Listing.skills.through.objects.filter(
        listing_id__in=[r.pk for r in requests]
    ).values_list("listing_id", "skill_id"):
        wanted[listing_id].add(skill_id)
    cases = []
    for request in requests:
        poster_org = organisation.get(request.owner_id)
        need = wanted[request.pk]
        skilled = {
            pk
            for pk in eligible
            if pk != request.owner_id
            and need <= skills_of.get(pk, set())
            and organisation.get(pk) is not None
            and organisation.get(pk) != poster_org
        }
        answered = held_out.get(request.pk, set()) - {request.owner_id}
        if answered or skilled:
            cases.append(Case(listing=request, held_out=answered, skilled=skilled))
        if sample is not None and len(cases) >= sample:
            break
    return cases


def _precision(top: list[int], right: set[int], k: int) -> float:
    return len(set(top[:k]) & right) / min(k, len(right))


def _recall(top: list[int], right: set[int], k: int) -> float:
    return len(set(top[:k]) & right) / len(right)


def evaluate(cases: list[Case]) -> Report:
    report = Report(requests=len(cases), members=Member.objects.count())
    if not cases:
        return report
    ranking.rank_helpers(cases[0].listing, limit=10)  # warm-up: caches, prepared statements
    precisions, recalls, held_p, held_r = [], [], [], []
    for case in cases:
        started, cpu = time.perf_counter(), time.process_time()
        suggestions = ranking.rank_helpers(case.listing, limit=10)
        report.timings_ms.append((time.perf_counter() - started) * 1000)
        report.cpu_ms.append((time.process_time() - cpu) * 1000)
        top = [s.member.pk for s in suggestions]
        precisions.append(_precision(top, case.right, 5))
        recalls.append(_recall(top, case.right, 10))
        if case.held_out:
            held_p.append(_precision(top, case.held_out, 5))
            held_r.append(_recall(top, case.held_out, 10))
    report.precision_at_5 = statistics.fmean(precisions)
    report.recall_at_10 = statistics.fmean(recalls)
    report.held_out_requests = len(held_p)
    report.held_out_precision_at_5 = statistics.fmean(held_p) if held_p else 0.0
    report.held_out_recall_at_10 = statistics.fmean(held_r) if held_r else 0.0
    report.median_ms, report.p95_ms = _median_p95(report.timings_ms)
    report.cpu_median_ms, report.cpu_p95_ms = _median_p95(report.cpu_ms)
    return report


def _median_p95(values: list[float]) -> tuple[float, float]:
    ordered = sorted(values)
    return statistics.median(ordered), ordered[round(0.95 * (len(ordered) - 1))]
