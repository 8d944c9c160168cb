"""The footage API (音像记录接口): resumable uploads for docking stations (采集站) and the browser,
and the confirmation a dock asks for before it wipes a camera. Mounted by liuhen/web/api.py at
/api/footage/. Thin: parse, call footage/uploads.py, answer.

    POST  /api/footage/uploads              declare a file → 201 {id, offset: 0, …} (200: the same
                                            unfinished upload, to resume)
    GET   /api/footage/uploads/{id}         how far it got (also HEAD): offset, and its end if any
    PATCH /api/footage/uploads/{id}         one chunk at header Upload-Offset (body: the bytes,
                                            Content-Type application/offset+octet-stream); a wrong
                                            offset → 409 with the right one. The last chunk ends the
                                            upload: hashed, compared, ingested → the file's result
    POST  /api/footage/uploads/{id}/complete  end an upload whose bytes are all in (after a 507)
    POST  /api/footage/confirm              {sha256: [...]} (at most 100) → stored? re-hashes? — for
                                            stations, 设备管理员 and officers only (else 403)

A file's result is `liuhen ingest --json`'s (name, status new/duplicate/rejected, sha256, reason)
with `confirmed`; status `mismatch` (422) when the bytes do not hash to the declared SHA-256,
`rejected` (422) when the pipeline refused the file; storage unavailable → 507, bytes kept; more
than LIUHEN_UPLOAD_MAX_OPEN unfinished uploads of one sender → 429."""
import datetime

from django.http import HttpRequest, JsonResponse
from ninja import Router, Schema
from pydantic import Field

from liuhen.devices.auth import Session, StationToken
from liuhen.devices.models import DockStation

from . import uploads
from .uploads import Sender, UploadError

router = Router(tags=["音像记录"], auth=[StationToken(), Session()])

RESULT_STATUS = {"new": 200, "duplicate": 200, "rejected": 422, "mismatch": 422, "expired": 410}


class UploadIn(Schema):
    name: str = Field(..., max_length=1000, description="文件名（如 VID_0001.MP4）")
    relative_path: str = Field("", max_length=1000, description="在记录仪中的相对路径（如 DCIM/100MEDIA/VID_0001.MP4）；默认同文件名")
    size: int = Field(..., description="文件大小（字节）")
    sha256: str = Field(..., max_length=100, description="文件的 SHA-256（十六进制）")
    device: str = Field(..., max_length=100, description="设备编号（须已登记）")
    device_time: datetime.datetime | None = Field(None, description="记录仪或采集站报告的当前时间（ISO 8601），用于测量设备时钟误差")
    ingest: int | None = Field(None, description="同一批文件的导入批次（上一文件响应中的 ingest）；不填则新建")


class UploadOut(Schema):
    id: str
    name: str
    relative_path: str
    size: int
    offset: int = Field(..., description="服务器已收到的字节数：从这里继续上传")
    device: str
    ingest: int
    state: str = Field(..., description="uploading（上传中）或 ended（已结束）")
    status: str = Field(..., description="结束时：new 新入库 / duplicate 重复 / rejected 拒收 / mismatch 校验不符 / expired 已过期")
    sha256: str
    reason: str = Field(..., description="拒收等的原因（中文）")
    confirmed: bool = Field(..., description="存储副本已读回并重新计算哈希：采集站只在 true 时才可删除记录仪中的文件")
    item: int | None


class ErrorOut(Schema):
    detail: str
    code: str = ""
    offset: int | None = None


class ConfirmIn(Schema):
    sha256: list[str] = Field(..., max_length=1000, description="要核验的 SHA-256，每次至多 100 个（LIUHEN_CONFIRM_MAX）")


class ConfirmOne(Schema):
    sha256: str
    stored: bool
    confirmed: bool
    reason: str


class ConfirmOut(Schema):
    files: list[ConfirmOne]


def sender_of(request) -> Sender:
    who = request.auth
    return Sender(station=who) if isinstance(who, DockStation) else Sender(user=who)


def _headers(response, upload):
    response["Upload-Offset"] = str(uploads.received(upload))
    response["Upload-Length"] = str(upload.size)
    response["Location"] = f"/api/footage/uploads/{upload.key}"
    return response


def _answer(upload, status=200):
    return _headers(JsonResponse(uploads.state(upload), status=status, json_dumps_params={"ensure_ascii": False}),
                    upload)


def _ended(upload):
    return _answer(upload, RESULT_STATUS.get(uploads.ended(upload).status, 200))


def error_response(exc: UploadError) -> JsonResponse:
    body = {"detail": exc.message, "code": exc.code}
    if "offset" in exc.extra:
        body["offset"] = exc.extra["offset"]
    response = JsonResponse(body, status=exc.status, json_dumps_params={"ensure_ascii": False})
    if "offset" in exc.extra:
        response["Upload-Offset"] = str(exc.extra["offset"])
    return response


ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut, 413: ErrorOut,
          422: UploadOut, 429: ErrorOut, 507: ErrorOut}


@router.post("/uploads", response={200: UploadOut, 201: UploadOut, **ERRORS}, summary="声明一个要上传的文件")
def create_upload(request: HttpRequest, data: UploadIn):
    try:
        upload, created = uploads.create(sender_of(request), **data.dict())
    except UploadError as exc:
        return error_response(exc)
    return _answer(upload, 201 if created else 200)


@router.api_operation(["GET", "HEAD"], "/uploads/{key}", response={200: UploadOut, **ERRORS},
                      summary="上传进度（已收到的偏移量）及结果")
def upload_state(request: HttpRequest, key: str):
    try:
        upload = uploads.find(sender_of(request), key)
    except UploadError as exc:
        return error_response(exc)
    return _answer(upload)


@router.patch("/uploads/{key}", response={200: UploadOut, 410: ErrorOut, 411: ErrorOut, **ERRORS},
              summary="在 Upload-Offset 处上传一个分块；最后一块上传后即核验并入库",
              openapi_extra={"requestBody": {"required": True, "content": {
                  "application/offset+octet-stream": {"schema": {"type": "string", "format": "binary"}}}},
                  "parameters": [{"in": "header", "name": "Upload-Offset", "required": True,
                                  "schema": {"type": "integer"}, "description": "本分块的起始偏移量"}]})
def upload_chunk(request: HttpRequest, key: str):
    sender = sender_of(request)
    try:
        upload = uploads.find(sender, key)
        if uploads.ended(upload) is not None and request.headers.get("Upload-Offset") == str(upload.size):
            return _ended(upload)  # the last chunk again (its answer was lost): the same result
        raw = request.META.get("CONTENT_LENGTH") or ""
        length = int(raw) if raw.isdigit() else None
        offset = uploads.write_chunk(sender, upload, request.headers.get("Upload-Offset"), length, request)
        if offset < upload.size:
            return _answer(upload)
        uploads.complete(sender, upload)
    except UploadError as exc:
        return error_response(exc)
    return _ended(upload)


@router.post("/uploads/{key}/complete", response={200: UploadOut, **ERRORS},
             summary="完成已全部收到的上传（如先前因存储不可用而返回 507）")
def complete_upload(request: HttpRequest, key: str):
    sender = sender_of(request)
    try:
        upload = uploads.find(sender, key)
        uploads.complete(sender, upload)
    except UploadError as exc:
        return error_response(exc)
    return _ended(upload)


@router.post("/confirm", response={200: ConfirmOut, 400: ErrorOut, 401: ErrorOut, 403: ErrorOut},
             summary="核验文件是否已存储且可读回（采集站据此删除记录仪中的文件）；限采集站、设备管理员和执法人员")
def confirm(request: HttpRequest, data: ConfirmIn):
    try:
        return {"files": uploads.confirm(sender_of(request), data.sha256)}
    except UploadError as exc:
        return error_response(exc)
