"""Organisation leads: appointing and removing them, and the page that is theirs.

A community administrator appoints a lead (``lead_appoint``) and removes one
(``lead_remove``); each is audited and the member is told. The rules:

- only someone with ``impact.add_organisationlead`` / ``delete_organisationlead``
  appoints or removes (the demo too names its administrator);
- the lead works at the organisation: their profile names it. Members allow
  "their organisation's leads" to see their names; a lead from elsewhere would
  be someone they never agreed to. So the organisation is the member's own, and
  naming another is refused (``access.leads_standing`` holds the same rule when
  a lead later moves on);
- an active account (not suspended, not closed), not a staff account (the
  accounts that run the service are nobody's colleague and the picker never
  offers them), and not the administrator themselves (as with roles);
- once per member and organisation (a duplicate is a conflict).

``organisation_members`` is what a lead's page shows: the organisation's
members who allowed it, by name, with the hours they gave, received, and gave
across organisations in the period, and everyone else as one line, withheld
when it is about fewer than ``suppression.MIN_MEMBERS`` members.

Hours are counted as the dashboard counts them: the posted payment of
exchanges completed in the period (their completion time, UTC), never a
reversed, voided or cancelled one. "Across organisations" is time given to a
member whose profile names another organisation. Members are those whose
profile names the organisation now.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time

from django.db import IntegrityError, transaction
from django.db.models import (
    Case,
    CharField,
    F,
    IntegerField,
    OuterRef,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils.translation import gettext as _

from equitime.audit.models import AuditEntry
from equitime.audit.services import audit_record
from equitime.core.errors import DomainError, ErrorKind
from equitime.exchanges.models import Exchange, Status
from equitime.impact.filters import Scope
from equitime.impact.models import OrganisationLead
from equitime.impact.suppression import is_suppressed
from equitime.members.models import Member, Organisation
from equitime.members.roles import member_nav_permissions_forget
from equitime.notifications.models import Notification
from equitime.notifications.services import notify

APPOINT = "impact.add_organisationlead"
REMOVE = "impact.delete_organisationlead"


def _refuse(message: str, code: str, kind: ErrorKind, field: str | None = None) -> DomainError:
    return DomainError(message, code=code, kind=kind, field=field)


def _check_may(by: Member, permission: str) -> None:
    if not (by.is_active and by.has_perm(permission)):
        raise _refuse(_("You do not have permission to do this."), "forbidden", ErrorKind.FORBIDDEN)


def _forget_menu(member: Member) -> None:
    # The menu's "Impact" link is cached per member (members.roles).
    transaction.on_commit(lambda: member_nav_permissions_forget(member))


# --- Appointing and removing ------------------------------------------------------


def lead_appoint(
    *, member: Member, by: Member, organisation: Organisation | None = None
) -> OrganisationLead:
    """Make ``member`` a lead of the organisation they work at. ``organisation``,
    when given, must be that one (a client that names it is checked, not obeyed)."""
    _check_may(by, APPOINT)
    if by.pk == member.pk:
        raise _refuse(
            _("You cannot appoint yourself. Ask another administrator."),
            "own_account",
            ErrorKind.INVALID,
            "member",
        )
    with transaction.atomic():
        # Locked: a suspension or a change of organisation waits for this to finish.
        locked = (
            Member.objects.select_for_update(of=("self",))
            .select_related("profile__organisation")
            .get(pk=member.pk)
        )
        if locked.is_staff or locked.is_superuser:
            raise _refuse(
                _(
                    "%(name)s's account runs the service; it cannot lead an organisation. "
                    "Appoint a member who works there."
                )
                % {"name": locked.display_name},
                "staff_account",
                ErrorKind.INVALID,
                "member",
            )
        if locked.suspended_at is not None:
            raise _refuse(
                _("%(name)s is suspended, so cannot be appointed.") % {"name": locked.display_name},
                "suspended",
                ErrorKind.CONFLICT,
                "member",
            )
        if not locked.is_active:
            raise _refuse(
                _("This account is closed."), "inactive_member", ErrorKind.CONFLICT, "member"
            )
        works_at = locked.profile.organisation
        if works_at is None:
            raise _refuse(
                _(
                    "%(name)s has no organisation on their profile. A lead leads the "
                    "organisation they work at: ask them to add it first."
                )
                % {"name": locked.display_name},
                "no_organisation",
                ErrorKind.INVALID,
                "member",
            )
        if organisation is not None and organisation.pk != works_at.pk:
            raise _refuse(
                _(
                    "%(name)s works at %(works_at)s, not %(organisation)s. A lead leads "
                    "the organisation they work at, whose members agreed to be seen by "
                    "their own organisation's leads."
                )
                % {
                    "name": locked.display_name,
                    "works_at": works_at.name,
                    "organisation": organisation.name,
                },
                "other_organisation",
                ErrorKind.INVALID,
                "organisation",
            )
        duplicate = _refuse(
            _("%(name)s already leads %(organisation)s.")
            % {"name": locked.display_name, "organisation": works_at.name},
            "lead_exists",
            ErrorKind.CONFLICT,
            "member",
        )
        if OrganisationLead.objects.filter(member=locked, organisation=works_at).exists():
            raise duplicate
        try:
            with transaction.atomic():
                lead = OrganisationLead.objects.create(
                    member=locked,
                    organisation=works_at,
                    appointed_by=by,
                )
        except IntegrityError as error:  # appointed a moment ago, by someone else
            raise duplicate from error
        audit_record(
            action=AuditEntry.Action.LEAD_APPOINTED,
            actor=by,
            target=lead,
            summary=f"Member {locked.pk} appointed lead of organisation {works_at.pk}",
            data={"member": locked.pk, "organisation": works_at.pk},
        )
        notify(
            recipient=locked,
            kind=Notification.Kind.ORGANISATION_LEAD,
            variant="appointed",
            params={"organisation": works_at.name},
            url=reverse("impact_organisation_members", kwargs={"pk": works_at.pk}),
        )
        _forget_menu(locked)
    return lead


def lead_remove(*, lead: OrganisationLead, by: Member) -> OrganisationLead:
    """End an appointment. Returns the row as it was (it is deleted: the audit
    log keeps the history)."""
    _check_may(by, REMOVE)
    with transaction.atomic():
        locked = (
            OrganisationLead.objects.select_for_update(of=("self",))
            .select_related("member", "organisation")
            .filter(pk=lead.pk)
            .first()
        )
        if locked is None:
            raise _refuse(
                _("This appointment has already ended."), "lead_gone", ErrorKind.NOT_FOUND
            )
        member, organisation = locked.member, locked.organisation
        locked.delete()
        locked.pk = lead.pk  # for the caller's message and the API's answer
        audit_record(
            action=AuditEntry.Action.LEAD_REMOVED,
            actor=by,
            target=member,
            summary=f"Member {member.pk} no longer leads organisation {organisation.pk}",
            data={"member": member.pk, "organisation": organisation.pk},
        )
        if member.is_active:
            notify(
                recipient=member,
                kind=Notification.Kind.ORGANISATION_LEAD,
                variant="removed",
                params={"organisation": organisation.name},
            )
        _forget_menu(member)
    return locked


def leads_end_for_member(member: Member) -> int:
    """Every appointment of ``member`` ends, unannounced (their account is being
    erased). Returns how many there were."""
    count, _deleted = OrganisationLead.objects.filter(member=member).delete()
    if count:
        _forget_menu(member)
    return count


# --- Reads ---------------------------------------------------------------------------


def leads_listed() -> QuerySet[OrganisationLead]:
    """Every appointment, by organisation, with what the leads page shows."""
    return OrganisationLead.objects.select_related(
        "member__profile__organisation", "organisation", "appointed_by"
    ).order_by("organisation__name", "member__sort_name", "id")


def lead_get(*, pk: int) -> OrganisationLead:
    found = leads_listed().filter(pk=pk).first()
    if found is None:
        raise _refuse(_("There is no such appointment."), "not_found", ErrorKind.NOT_FOUND)
    return found


# --- The lead's page: the organisation's members ---------------------------------------


@dataclass(frozen=True)
class MemberHours:
    """One member who allowed their name: minutes in the period."""

    member_id: int
    name: str
    given: int
    received: int
    given_across: int


@dataclass(frozen=True)
class OthersLine:
    """Everyone else in the organisation, as one line; ``withheld`` when about
    fewer than ``MIN_MEMBERS`` members (then no figure is kept at all)."""

    members: int | None
    given: int | None
    received: int | None
    given_across: int | None

    @property
    def withheld(self) -> bool:
        return self.members is None


@dataclass(frozen=True)
class OrganisationMembers:
    organisation: Organisation
    scope: Scope
    named: list[MemberHours]
    others: OthersLine | None  # None: every member allowed their name

    @property
    def members(self) -> int:
        """How many members the report is about, when that figure may be shown."""
        others = self.others
        if others is None:
            return len(self.named)
        return len(self.named) + (others.members or 0)


def _instant(day) -> datetime:
    return datetime.combine(day, time.min, tzinfo=UTC)


def _minutes(exchanges: QuerySet[Exchange], party: str) -> Coalesce:
    """A correlated subquery: the payments' minutes of ``exchanges`` for the outer member."""
    summed = (
        exchanges.filter(**{party: OuterRef("pk")})
        .order_by()
        .values(party)
        .annotate(minutes=Sum("payment__amount"))
        .values("minutes")
    )
    return Coalesce(Subquery(summed, output_field=IntegerField()), Value(0))


def organisation_members(*, organisation: Organisation, scope: Scope) -> OrganisationMembers:
    """The lead's report, in one query: each member of the organisation with
    three correlated sums over their own exchanges (an index on the provider
    and one on the receiver find them). A member who keeps their name to
    themselves comes back without it."""
    completed = Exchange.objects.filter(
        status=Status.COMPLETED,
        completed_at__gte=_instant(scope.first),
        completed_at__lt=_instant(scope.end),
    )
    across = completed.exclude(receiver__profile__organisation__isnull=True).exclude(
        receiver__profile__organisation=organisation
    )
    rows = (
        Member.objects.filter(profile__organisation=organisation)
        .annotate(
            named=F("profile__named_to_organisation_leads"),
            # Only the names the lead may read leave the database.
            shown_name=Case(
                When(profile__named_to_organisation_leads=True, then=F("display_name")),
                default=Value(""),
                output_field=CharField(),
            ),
            given=_minutes(completed, "provider"),
            received=_minutes(completed, "receiver"),
            given_across=_minutes(across, "provider"),
        )
        .order_by("-given", "sort_name", "id")
        .values_list("pk", "named", "shown_name", "given", "received", "given_across")
    )
    shown: list[MemberHours] = []
    others = [0, 0, 0, 0]  # members, given, received, across
    for pk, is_named, name, given, received, given_across in rows:
        if is_named:
            shown.append(MemberHours(pk, name, given, received, given_across))
        else:
            others = [
                others[0] + 1,
                others[1] + given,
                others[2] + received,
                others[3] + given_across,
            ]
    line: OthersLine | None = None
    if others[0]:
        line = (
            OthersLine(None, None, None, None) if is_suppressed(others[0]) else OthersLine(*others)
        )
    return OrganisationMembers(organisation=organisation, scope=scope, named=shown, others=line)
