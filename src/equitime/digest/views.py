"""The digest's pages: my digest as it stands, and a community
administrator's preview of any member's (the member's clock, nothing sent)."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from equitime.core.http import MemberRequest
from equitime.core.zones import zone_label, zone_of
from equitime.digest.selectors import digest_build, digest_latest_sent, week_preview
from equitime.members.models import Member
from equitime.notifications.preferences import member_wants_digest

PREVIEW_PERMISSION = "digest.preview_digest"


def _render(request, member: Member, *, previewed: bool) -> HttpResponse:
    digest = digest_build(member=member, week=week_preview())
    return render(
        request,
        "digest/digest.html",
        {
            "digest": digest,
            "relevant": digest.relevant,
            "member": member,
            "previewed": previewed,
            "zone": zone_label(zone_of(member)),
            "latest": None if previewed else digest_latest_sent(member=member),
            "wants_digest": member_wants_digest(member),
        },
    )


@login_required
@never_cache
@require_safe
def digest_page(request: MemberRequest) -> HttpResponse:
    return _render(request, request.user, previewed=False)


@login_required
@never_cache
@require_safe
def digest_preview(request: MemberRequest, member_id: int) -> HttpResponse:
    if not request.user.has_perm(PREVIEW_PERMISSION):
        raise PermissionDenied
    member = get_object_or_404(Member.objects.select_related("profile"), pk=member_id)
    return _render(request, member, previewed=True)
