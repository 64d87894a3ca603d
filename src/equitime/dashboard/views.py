"""Pages that draw on several apps: the member's dashboard (their credits,
exchanges and listings) and a member's profile (their thanks and listings,
and what a moderator may do there)."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from equitime.campaigns.selectors import campaigns_active
from equitime.core.pagecache import member_page
from equitime.dashboard.statement import statement_row
from equitime.exchanges.selectors import exchanges_open_for_member, thanks_shown_on_profile
from equitime.ledger import selectors as ledger_selectors
from equitime.listings.selectors import listings_open_for_owner
from equitime.members import roles
from equitime.members.directory import skills_shown
from equitime.members.forms import SuspendForm
from equitime.members.rules import member_email_verified
from equitime.members.selectors import member_get_visible, member_is_listed


@member_page
@login_required
def dashboard(request):
    """The member's own page: what they can spend, what is held, and where
    their credits came from and went."""
    member = request.user
    account = ledger_selectors.account_for_member(member=member)
    statement = ledger_selectors.statement_for_member(member=member, account=account)
    # Each row links to its exchange: a hold, its release, its payment, the
    # payment's reversal (the exchanges' reverse one-to-ones, in the one query).
    statement = statement.select_related(
        "exchange_held__recorded_by",
        "exchange_paid__recorded_by",
        "pending__exchange_held__recorded_by",
        "reverses__exchange_paid__recorded_by",
    )
    transfers = Paginator(statement, 20).get_page(request.GET.get("page"))
    open_exchanges = exchanges_open_for_member(member=member)
    return render(
        request,
        "members/dashboard.html",
        {
            "account": account,
            "transfers": transfers,
            "statement": [statement_row(t, account=account) for t in transfers]
            if account is not None
            else [],
            "waiting": [row for row in open_exchanges if row.waiting],
            "open_exchanges": open_exchanges,
            "open_listings": listings_open_for_owner(member=member),
            "email_unconfirmed": not member_email_verified(member),
            "campaigns": campaigns_active(),
        },
    )


@member_page
@login_required
def profile_detail(request, pk: int):
    member = member_get_visible(pk=pk, viewer=request.user)
    return render(request, "members/profile_detail.html", profile_context(request, member))


def profile_context(request, member, *, suspend_form=None) -> dict:
    """What the profile page shows. The moderation views render it again with
    their bound form, so its errors appear in place."""
    is_me = member == request.user
    return {
        "profile_member": member,
        "profile": member.profile,
        "is_me": is_me,
        "skills": skills_shown(member.profile),
        # Give, propose, ask: to a colleague the picker may choose (active, not staff).
        "may_reach": not is_me and member_is_listed(member),
        "thanks": thanks_shown_on_profile(member=member)[:10],
        "listings": listings_open_for_owner(member=member),
        "moderation": None if is_me else _moderation_panel(request.user, member, suspend_form),
    }


def _moderation_panel(viewer, member, suspend_form) -> dict | None:
    """What a moderator or community administrator sees and may do on a
    colleague's profile; None for everyone else."""
    can_suspend = viewer.has_perm("members.suspend_member")
    can_assign_roles = viewer.has_perm("members.assign_role")
    if not (can_suspend or can_assign_roles or viewer.has_perm("members.moderate")):
        return None
    held = roles.member_roles(member) if can_assign_roles else []
    return {
        "can_suspend": can_suspend,
        "suspend_form": (suspend_form or SuspendForm())
        if can_suspend and member.suspended_at is None
        else None,
        "can_assign_roles": can_assign_roles,
        "roles": held,
        "role_labels": [roles.ROLE_LABELS[role] for role in held],
        "moderator_role": roles.MODERATOR,
        "coordinator_role": roles.COORDINATOR,
    }
