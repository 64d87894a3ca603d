"""API: operators' exports. Community administrators only (403 for others).

    POST /exports                 {"kind": ...} -> 202 with the export, queued
    GET  /exports                 the exports kept, newest first
    GET  /exports/{id}            one export, with its progress
    GET  /exports/{id}/download   the CSV file (409 not ready, 410 expired or withdrawn)

The POST accepts an Idempotency-Key like every other write: a retry with the
same key and body gets the first answer and queues nothing twice.
"""

import json
from datetime import datetime
from typing import TYPE_CHECKING, Literal

from django.db.models import QuerySet
from django.http import FileResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.urls import reverse
from ninja import Field, Router, Schema
from ninja.pagination import paginate

from equitime.api.auth import ApiRequest
from equitime.api.idempotency import HEADER, idempotent
from equitime.api.pagination import PageNumberPagination
from equitime.api.problems import PROBLEM_RESPONSES, ApiProblem, Problem
from equitime.audit.services import client_ip
from equitime.exports.errors import ExportGone, ExportNotReady
from equitime.exports.models import Export
from equitime.exports.selectors import export_get, exports_list
from equitime.exports.services import (
    export_check_may,
    export_download_name,
    export_open,
    export_request,
)

router = Router(tags=["Exports"])

if TYPE_CHECKING:
    ExportKind = str
    ExportStatus = str
else:
    ExportKind = Literal[tuple(Export.Kind.values)]
    ExportStatus = Literal[tuple(Export.Status.values)]


class ExportIn(Schema):
    kind: ExportKind = Field(
        description="members, organisations, listings, exchanges, transfers (every ledger "
        "row), journal (the ledger as double-entry journal entries) or trial_balance."
    )


class ExportOut(Schema):
    id: int
    kind: ExportKind
    kind_label: str
    status: ExportStatus = Field(description="queued, running, done or failed.")
    requested_by_id: int
    requested_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    rows_done: int = Field(description="Records written so far (saved every few thousand).")
    rows_total: int | None = Field(description="Records in all; null until the task counts them.")
    percent: int
    size: int | None = Field(description="The file's size in bytes, once done.")
    error: str = Field(description="Why it failed, for an operator to act on.")
    expires_at: datetime = Field(description="When the file and this record are deleted.")
    withdrawn: bool = Field(
        description="A member's data was erased after this export was asked for: its file "
        "is no longer handed out."
    )
    download_url: str | None

    @staticmethod
    def resolve_kind_label(obj: Export) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_withdrawn(obj: Export) -> bool:
        return bool(getattr(obj, "withdrawn", False))

    @staticmethod
    def resolve_download_url(obj: Export) -> str | None:
        if obj.status != Export.Status.DONE:
            return None
        return reverse("api:export_download", kwargs={"export_id": obj.pk})


def export_url(export_id: int) -> str:
    return reverse("api:export_get", kwargs={"export_id": export_id})


@router.post(
    "",
    response={202: ExportOut, **PROBLEM_RESPONSES},
    summary="Ask for an export",
    description="Queue a CSV export of the community's data; 202 with the export, whose "
    "progress `GET /exports/{id}` shows. Community administrators only. At most three "
    "waiting or running per person (409 `too_many_exports`). Accepts an Idempotency-Key.",
    operation_id="export_request",
    url_name="export_request",
    openapi_extra={
        "parameters": [
            {
                "in": "header",
                "name": HEADER,
                "required": False,
                "description": "Up to 255 visible ASCII characters: a retry with the same "
                "key and body gets the first answer again and queues nothing twice.",
                "schema": {"type": "string", "minLength": 1, "maxLength": 255},
            }
        ]
    },
)
def export_request_api(request: ApiRequest, payload: ExportIn) -> JsonResponse:
    export_check_may(request.auth)

    def run() -> tuple[int, ExportOut]:
        export = export_request(
            member=request.auth, kind=payload.kind, ip_address=client_ip(request)
        )
        return 202, ExportOut.from_orm(export_get(pk=export.pk))

    response = idempotent(request, run, location=lambda body: export_url(body.id))
    if response.status_code == 202:  # where to follow its progress
        response["Location"] = export_url(int(json.loads(response.content)["id"]))
    return response


@router.get(
    "",
    response={200: list[ExportOut], **PROBLEM_RESPONSES},
    summary="Exports kept",
    description="Every export still kept (they expire), newest first. Community "
    "administrators only.",
    operation_id="export_list",
    url_name="export_list",
)
@paginate(PageNumberPagination, page_size=20, max_page_size=100)
def export_list_api(request: ApiRequest) -> QuerySet[Export]:
    export_check_may(request.auth)
    return exports_list()


@router.get(
    "/{int:export_id}",
    response={200: ExportOut, **PROBLEM_RESPONSES},
    summary="One export and its progress",
    operation_id="export_get",
    url_name="export_get",
)
def export_get_api(request: ApiRequest, export_id: int) -> Export:
    export_check_may(request.auth)
    return export_get(pk=export_id)


@router.get(
    "/{int:export_id}/download",
    response={200: None, 410: Problem, **PROBLEM_RESPONSES},
    summary="Download an export",
    description="The CSV file (text/csv, as an attachment). 409 `export_not_ready` while it "
    "is queued or running, or when it failed; 410 `export_expired` once it expired or was "
    "withdrawn after a member's erasure. Every download is audited.",
    operation_id="export_download",
    url_name="export_download",
    openapi_extra={
        "responses": {
            200: {
                "description": "The CSV file.",
                "content": {"text/csv": {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    },
)
def export_download_api(request: ApiRequest, export_id: int) -> HttpResponseBase:
    export_check_may(request.auth)
    export = export_get(pk=export_id)
    try:
        handle = export_open(export=export, member=request.auth, ip_address=client_ip(request))
    except ExportGone as error:
        raise ApiProblem(410, error.message, code=error.code) from None
    except ExportNotReady as error:
        raise ApiProblem(409, error.message, code=error.code) from None
    return FileResponse(
        handle,
        as_attachment=True,
        filename=export_download_name(export),
        content_type="text/csv; charset=utf-8",
    )
