"""API: the caller's credits: balance, history, and giving credits away.

Amounts are integer minutes (60 = one credit). A transfer is shown from the
caller's side: ``direction`` in (credited to them) or out (debited), and the
account on the other side, a member or the community pool.

Giving credits needs an Idempotency-Key: it becomes the ledger's own key for
the transfer, in the member's namespace (``api:<member id>:<key>``), so a
retry, even after the API has forgotten the key, never gives twice.
"""

import hashlib
from datetime import datetime
from typing import TYPE_CHECKING, Annotated, Any, Literal

from django.db.models import Model, QuerySet
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema
from ninja.decorators import decorate_view
from ninja.pagination import paginate

from equitime.api.auth import ApiRequest
from equitime.api.idempotency import HEADER, idempotent, key_created_with, request_key
from equitime.api.pagination import PageNumberPagination
from equitime.api.problems import PROBLEM_RESPONSES, ApiProblem
from equitime.api.schemas import MemberRef, member_ref, shared_text, text
from equitime.core.choices import choice_label
from equitime.core.pagecache import member_api_list
from equitime.core.units import STEP_MINUTES, credits_to_minutes, steps_text
from equitime.ledger import selectors, services
from equitime.ledger.models import Account, Transfer
from equitime.members.api import BalanceOut, balance_out
from equitime.members.models import Member
from equitime.members.rules import member_check_may_trade
from equitime.members.selectors import member_get_visible

router = Router(tags=["Credits"])

# From the model: the schema lists exactly the values the database holds
# (a Literal built at run time, which mypy reads as the str it is).
if TYPE_CHECKING:
    TransferKind = str
    TransferState = str
else:
    TransferKind = Literal[tuple(Transfer.Kind.values)]
    TransferState = Literal[tuple(Transfer.State.values)]


def _caller(context: dict[str, Any]) -> Member:
    request: ApiRequest = context["request"]
    return request.auth


def ledger_key(member: Member, key: str) -> str:
    """The ledger key for a member's Idempotency-Key; hashed when too long to store."""
    plain = f"api:{member.pk}:{key}"
    if len(plain) <= services.MAX_KEY_LENGTH:
        return plain
    return f"api:{member.pk}:#{hashlib.sha256(key.encode()).hexdigest()}"


class TransferOut(Schema):
    """One movement of minutes, from the caller's side."""

    id: int
    kind: TransferKind
    kind_label: str
    state: TransferState = Field(
        description="pending: a hold (set aside); posted: moved; voided: a hold released "
        "without moving."
    )
    direction: Literal["in", "out"] = Field(
        description="in: credited to the caller; out: debited from them."
    )
    minutes: int = Field(description="Always positive; see direction.")
    counterparty: MemberRef | None = Field(
        description="The member on the other side; null for the community pool."
    )
    counterparty_name: str = Field(description="A member's name, or 'Community pool'.")
    memo: str
    exchange_id: int | None = Field(description="The exchange this hold or payment is for.")
    hold_id: int | None = Field(description="For a posted or voided resolution: its hold.")
    resolved: bool = Field(description="For a hold: whether it has been posted or voided.")
    reversed: bool = Field(description="Whether a later reversal undid this transfer.")
    created_at: datetime
    idempotency_key: str | None = Field(
        description="The Idempotency-Key the caller gave it with; null for transfers made "
        "otherwise, or by someone else."
    )

    @staticmethod
    def resolve_idempotency_key(obj: Transfer, context: dict[str, Any]) -> str | None:
        return key_created_with(
            request=context["request"], service_key=obj.key, resource_url=transfer_url(obj.pk)
        )

    @staticmethod
    def resolve_kind_label(obj: Transfer) -> str:
        return choice_label(obj, "kind")

    @staticmethod
    def resolve_direction(obj: Transfer, context: dict[str, Any]) -> str:
        return "in" if _incoming(obj, context) else "out"

    @staticmethod
    def resolve_minutes(obj: Transfer) -> int:
        return obj.amount

    @staticmethod
    def resolve_counterparty(obj: Transfer, context: dict[str, Any]) -> MemberRef | None:
        account = _other_account(obj, context)
        return member_ref(account.member) if account.member is not None else None

    @staticmethod
    def resolve_counterparty_name(obj: Transfer, context: dict[str, Any]) -> str:
        account = _other_account(obj, context)
        return account.member.display_name if account.member is not None else account.name

    @staticmethod
    def resolve_exchange_id(obj: Transfer) -> int | None:
        for transfer in (obj, obj.pending):
            if transfer is None:
                continue
            for name in ("exchange_held", "exchange_paid"):
                # The exchange's reverse one-to-one (the ledger names no app's models).
                exchange: Model | None = getattr(transfer, name, None)
                if exchange is not None:
                    exchange_id: int = exchange.pk
                    return exchange_id
        return None

    @staticmethod
    def resolve_hold_id(obj: Transfer) -> int | None:
        return obj.pending_id

    @staticmethod
    def resolve_resolved(obj: Transfer) -> bool:
        return obj.state == Transfer.State.PENDING and hasattr(obj, "resolution")

    @staticmethod
    def resolve_reversed(obj: Transfer) -> bool:
        return hasattr(obj, "reversal")


def _incoming(transfer: Transfer, context: dict[str, Any]) -> bool:
    # transfers_for_member annotates it; a transfer read otherwise works it out.
    incoming = getattr(transfer, "incoming", None)
    if incoming is None:
        incoming = transfer.credit_account.member_id == _caller(context).pk
    return bool(incoming)


def _other_account(transfer: Transfer, context: dict[str, Any]) -> Account:
    return transfer.debit_account if _incoming(transfer, context) else transfer.credit_account


def _transfers(member: Member) -> QuerySet[Transfer]:
    return selectors.transfers_for_member(member=member).select_related(
        "exchange_held", "exchange_paid", "pending__exchange_held"
    )


class TransferFilters(Schema):
    # Left out, it is None; the OpenAPI document shows the plain type, not "or null".
    kind: TransferKind = Field(None, description="Only transfers of this kind.")  # type: ignore[assignment]  # None when left out
    ordering: Literal["-created_at", "created_at"] = Field(
        "-created_at", description="Newest first by default; 'created_at' for oldest first."
    )


@router.get(
    "",
    response={200: list[TransferOut], **PROBLEM_RESPONSES},
    summary="My credit history",
    description="Every transfer in or out of the caller's account, newest first "
    "unless `ordering` says otherwise.",
    operation_id="transfer_list",
)
@decorate_view(member_api_list)
@paginate(PageNumberPagination, page_size=20, max_page_size=100)
def transfer_list(request: ApiRequest, filters: Query[TransferFilters]) -> QuerySet[Transfer]:
    transfers = _transfers(request.auth)
    if filters.kind:
        transfers = transfers.filter(kind=filters.kind)
    tie = "-id" if filters.ordering.startswith("-") else "id"
    return transfers.order_by(filters.ordering, tie)


def transfer_url(transfer_id: int) -> str:
    return reverse("api:transfer_get", kwargs={"transfer_id": transfer_id})


@router.get(
    "/{int:transfer_id}",
    response={200: TransferOut, **PROBLEM_RESPONSES},
    summary="One of my transfers",
    description="A transfer in or out of the caller's account; 404 for anyone else's.",
    operation_id="transfer_get",
)
def transfer_get(request: ApiRequest, transfer_id: int) -> Transfer:
    return get_object_or_404(_transfers(request.auth), pk=transfer_id)


@router.get(
    "/balance",
    response={200: BalanceOut, **PROBLEM_RESPONSES},
    summary="My balance",
    description="Credits in minutes: the balance, what is held for accepted exchanges, "
    "and what is available to commit or give.",
    operation_id="balance_get",
)
def balance_get(request: ApiRequest) -> BalanceOut:
    return balance_out(request.auth)


# As the donate page takes them: at most 1,000 credits at once, a note of 200 characters.
MAX_DONATION_CREDITS = 1000
MEMO_LENGTH = 200


class DonationIn(Schema):
    member_id: int | None = Field(
        None, description="The colleague to give to; leave out (or null) for the community pool."
    )
    minutes: int = Field(
        gt=0,
        le=credits_to_minutes(MAX_DONATION_CREDITS),
        multiple_of=STEP_MINUTES,
        description=f"Whole minutes in quarter-hours ({steps_text(4)} ...).",
    )
    # The donation service asks the text rules too; asked here, a refusal names the field.
    memo: Annotated[str, text(MEMO_LENGTH), shared_text("memo")] = ""


def _field_problem(field: str, message: str) -> ApiProblem:
    problem = ApiProblem(422, _("Some fields are not valid; see errors."), code="invalid_fields")
    problem.errors = [{"field": field, "message": message}]
    return problem


@router.post(
    "/donations",
    response={201: TransferOut, **PROBLEM_RESPONSES},
    summary="Give credits",
    description="Give minutes to a colleague, or to the community pool that funds every "
    "new member's welcome gift. Only credits earned by giving time can be given on (the "
    "welcome gift and credits given to the caller are for receiving time): more is refused "
    "with 409 `not_donatable`, saying how much can be given. Needs an Idempotency-Key (400 "
    "without one): a retry with the same key gives nothing twice.",
    operation_id="donation_make",
    openapi_extra={
        "parameters": [
            {
                "in": "header",
                "name": HEADER,
                "required": True,
                "description": "Required: up to 255 visible ASCII characters, new for each "
                "gift. A retry with the same key and body gets the first answer again.",
                "schema": {"type": "string", "minLength": 1, "maxLength": 255},
            }
        ]
    },
)
def donation_make(request: ApiRequest, payload: DonationIn) -> JsonResponse:
    member = request.auth
    key = request_key(request)
    if key is None:
        raise ApiProblem(
            400,
            _(
                "Giving credits needs an Idempotency-Key header, new for each gift, so that "
                "a retry after a lost answer never gives twice."
            ),
            code="idempotency_key_required",
        )

    def run() -> tuple[int, TransferOut]:
        recipient: Member | None = None
        if payload.member_id is not None:
            try:
                recipient = member_get_visible(pk=payload.member_id)
            except Http404:
                raise _field_problem("member_id", _("There is no member with this id.")) from None
            if recipient.pk == member.pk:  # the service refuses it too; this names the field
                raise _field_problem("member_id", _("You cannot give credits to yourself."))
        member_check_may_trade(member)  # the ledger leaves members' rules to its callers
        transfer = services.donation_make(
            key=ledger_key(member, key),
            donor=member,
            recipient=recipient,
            amount=payload.minutes,
            memo=payload.memo,
        )
        transfer = _transfers(member).get(pk=transfer.pk)
        return 201, TransferOut.from_orm(transfer, context={"request": request})

    return idempotent(request, run, location=lambda body: transfer_url(body.id))
