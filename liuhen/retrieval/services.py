"""Writes of retrieval (档案利用), each a row and its ledger event in one transaction; each refusal is
recorded (retrieval.refused: the act and its codes, never the text).

- request_retrieval: a staff member's 调用单 for an archived file of the agency (LW-D 15, BX 12);
- register_request: the archivist enters an outsider's (外单位查阅, with the 介绍信) or a party's (当事人查阅、
  复制) request (AS 15, LC 33-34);
- decide: a role the profile names for the kind approves or refuses it, once; a staff member's approval
  opens a view grant (cases.AccessGrant) that ends when the slip does;
- make_copy: the archivist makes the approved copy: a watermarked cover sheet, each record's PDF watermarked,
  each footage item as recorded (its own blob), listed with their hashes;
- copy_download / granted_pdf: a watermarked copy opened — a read event, refused after the expiry;
- classify / record_secret: the archivist's 公开属性 of a record and a 涉密材料存放说明.
"""
from __future__ import annotations

import hashlib
from io import BytesIO

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from liuhen.accounts.roles import ADMIN_ROLES, Role
from liuhen.archive.contents import record_pdf
from liuhen.cases import services as cases
from liuhen.cases.models import Case, GrantScope
from liuhen.cases.validators import validate_id_number
from liuhen.common import text
from liuhen.ledger import refusals
from liuhen.ledger import services as ledger
from liuhen.media import store
from liuhen.profiles.selectors import profile_for_case
from liuhen.profiles.spec import CLASSIFICATIONS

from . import cover
from . import selectors as s
from . import vocabulary as v
from . import watermark
from .models import Classification, Copy, CopyItem, Decision, Kind, Mode, RetrievalRequest, SecretNote

# 保守国家秘密法 / 档案法: state-secret material never enters the system, whatever it is called.
STATE_SECRET_MARKS = ("国家秘密", "绝密", "机密", "秘密", "state_secret", "secret")


def _about_case(actor, case=None, *rest, **kw):
    return "case", getattr(case, "pk", "") or ""


def _about(model):
    return lambda actor, row=None, *rest, **kw: (model.ledger_object_type, getattr(row, "pk", "") or "")


def _log(action, actor, row, blobs=(), **detail):
    return ledger.append(action, actor=actor, object_type=row.ledger_object_type, object_id=row.pk,
                         content_sha256=row.ledger_digest(), blobs=list(blobs), detail=detail)


def _line(value, label: str, *, required=True, max_length=200) -> str:
    value = text.clean(value or "", label, max_length=max_length).strip()
    if required and not value:
        raise ValidationError(f"请填写{label}。", code="required")
    return value


def _lock(case: Case) -> Case:
    return Case.objects.select_for_update().get(pk=case.pk)


def _of_agency(actor, case: Case) -> None:
    if (not actor.is_authenticated or actor.has_role(*ADMIN_ROLES) or actor.agency_id is None
            or actor.agency_id != case.agency_id):
        raise PermissionDenied("案件不存在或不属于本机关。")


def _archivist(actor, case: Case) -> None:
    _of_agency(actor, case)
    if not actor.has_role(Role.ARCHIVIST):
        raise PermissionDenied("只有档案管理员可以办理。")


def _days(case: Case, days) -> int:
    limit = profile_for_case(case).archive.max_days
    try:
        n = int(days)
    except (TypeError, ValueError):
        raise ValidationError("调阅期限应为天数。", code="days") from None
    if not 1 <= n <= limit:
        raise ValidationError(f"调阅期限应为 1 至 {limit} 天（本机关规定的最长期限）。", code="days")
    return n


def _ids(values) -> list[int]:
    try:
        return sorted({int(i) for i in values or ()})
    except (TypeError, ValueError):
        raise ValidationError("调阅范围无效。", code="scope") from None


def _scope(case: Case, record_ids, footage_ids) -> tuple[list[int], list[int]]:
    """The sorted record and footage ids of the scope, each of this file: its records (not voided) and
    the footage linked to it now (LW-D 15: the records and the audio-video)."""
    records, footage = _ids(record_ids), _ids(footage_ids)
    if not set(records) <= {st.record.pk for st in s.file_items(case)}:
        raise ValidationError("调阅范围中有不属于本案卷的材料。", code="scope")
    if not set(footage) <= {it.pk for it in s.file_footage(case)}:
        raise ValidationError("调阅范围中有不属于本案卷的音像记录（未关联或已取消关联）。", code="scope")
    return records, footage


def closed_items(case: Case, record_ids, whole: bool = False) -> list[str]:
    """The records of the scope a party or an outsider may not consult (商业秘密、个人隐私): their names.
    Classes are the records'; whether footage is handed out is the approver's to decide."""
    given = s.classes(case)
    wanted = set(record_ids)
    out = []
    for st in s.file_items(case):
        code = s.class_of(case, st.record.pk, given)
        if (whole or st.record.pk in wanted) and code in s.CLOSED_CLASSES:
            out.append(f"{st.record.record_type.name}（第 {st.record.serial} 号，{s.class_label(code)}）")
    return out


def _no_closed(case: Case, record_ids, whole: bool) -> None:
    names = closed_items(case, record_ids, whole)
    if names:
        raise ValidationError(f"当事人和外单位不能查阅、复制涉及商业秘密或个人隐私的材料（LC 33；政府信息公开条例 15）："
                              f"{'、'.join(names)}。请在范围中只列其他材料。", code="closed_class")


def _create(actor, case: Case, kind: str, *, purpose, record_ids, footage_ids, mode, days,
            **who) -> RetrievalRequest:
    if not case.is_archived:
        raise ValidationError("该案件尚未归档：调用单只用于已归档的案卷。", code="not_archived")
    purpose = _line(purpose, "调阅用途", max_length=500)
    if mode not in Mode.values:
        raise ValidationError("请选择查阅或复制。", code="mode")
    n = _days(case, days)
    records, footage = _scope(case, record_ids, footage_ids)
    if kind != Kind.STAFF:
        _no_closed(case, records, whole=not records and not footage)
    row = RetrievalRequest.objects.create(case=case, kind=kind, entered_by=actor, purpose=purpose, record_ids=records,
                                          footage_ids=footage, mode=mode, days=n, file_sha256=s.file_sha256(case),
                                          **who)
    row = RetrievalRequest.objects.get(pk=row.pk)
    _log(v.REQUEST, actor, row, case=case.pk, kind=kind, mode=mode, days=n, records=records, footage=footage,
         file_sha256=row.file_sha256)
    return row


@refusals.records_refusals(v.REFUSED, "request", _about_case)
@transaction.atomic
def request_retrieval(actor, case: Case, *, purpose, record_ids=(), footage_ids=(), mode=Mode.VIEW,
                      days=7) -> RetrievalRequest:
    """本机关调阅: a staff member of the agency asks to look at an archived file (LW-D 15: 调用单, the head's
    approval), for a purpose, a scope (records and footage) and a number of days."""
    case = _lock(case)
    _of_agency(actor, case)
    return _create(actor, case, Kind.STAFF, purpose=purpose, record_ids=record_ids, footage_ids=footage_ids,
                   mode=mode, days=days, requester=actor)


@refusals.records_refusals(v.REFUSED, "register", _about_case)
@transaction.atomic
def register_request(actor, case: Case, *, kind: str, person, id_number, purpose, organisation="",
                     letter_number="", record_ids=(), footage_ids=(), mode=Mode.VIEW, days=7) -> RetrievalRequest:
    """The archivist enters an outsider's request (外单位查阅: the organisation, the person, their ID and the
    介绍信's number — AS 15) or a party's (当事人查阅、复制, LC 33-34): the person and their ID."""
    case = _lock(case)
    _archivist(actor, case)
    if kind not in (Kind.OUTSIDER, Kind.PARTY):
        raise ValidationError("请选择外单位查阅或当事人查阅、复制。", code="kind")
    person = _line(person, "查阅人姓名", max_length=100)
    id_number = validate_id_number(_line(id_number, "查阅人身份证号码", max_length=40))
    organisation = _line(organisation, "单位名称", required=kind == Kind.OUTSIDER)
    letter_number = _line(letter_number, "介绍信编号", required=kind == Kind.OUTSIDER, max_length=100)
    return _create(actor, case, kind, purpose=purpose, record_ids=record_ids, footage_ids=footage_ids, mode=mode,
                   days=days, person=person, id_number=id_number, organisation=organisation,
                   letter_number=letter_number)


@refusals.records_refusals(v.REFUSED, "decide", _about(RetrievalRequest))
@transaction.atomic
def decide(actor, req: RetrievalRequest, *, approved: bool, reason: str = "") -> Decision:
    """审批调用单, once: a role the profile names for the kind (AS 15: an outsider's the head; a party's the
    leader), neither the requester nor who entered it. An approval runs the slip's days from now; a staff
    member's opens a view grant of the case until then."""
    case = _lock(req.case)
    req = RetrievalRequest.objects.select_related("case", "requester").get(pk=req.pk)
    _of_agency(actor, case)
    roles = s.approve_roles(case, req.kind)
    if not actor.has_role(*roles):
        raise PermissionDenied(f"{Kind(req.kind).label}的调用单由{s.role_names(roles)}审批。")
    if actor.pk in (req.requester_id, req.entered_by_id):
        raise PermissionDenied("不能审批本人提交或登记的调用单。")
    if not s.may_decide(actor, req):
        raise PermissionDenied("只有机关负责人或本案承办机构负责人可以批准本机关人员调阅。")
    if Decision.objects.filter(request=req).exists():
        raise ValidationError("该调用单已审批，不能再次审批。", code="decided")
    reason = text.clean(reason or "", "审批意见", multiline=True, max_length=500).strip()
    if not approved and not reason:
        raise ValidationError("不予批准的，请写明理由。", code="reason")
    now = timezone.now()
    expires = Decision.expiry(now, req.days) if approved else None
    grant = None
    if approved and req.kind == Kind.STAFF:
        grant = cases.grant_access(actor, case, req.requester, scope=GrantScope.VIEW, valid_from=now,
                                   valid_until=expires, reason=f"调用单{req.number}：{req.purpose}"[:500])
    row = Decision.objects.create(request=req, approved=bool(approved), reason=reason, expires_at=expires,
                                  grant_id=getattr(grant, "pk", None), decided_by=actor, decided_at=now)
    row = Decision.objects.get(pk=row.pk)
    _log(v.DECIDE, actor, row, request=req.pk, case=case.pk, approved=row.approved, grant=row.grant_id,
         expires_at=expires.isoformat() if expires else None)
    return row


def _live(req: RetrievalRequest, now=None) -> Decision:
    """The slip's approval, still running; else refused (未审批, 未批准, 已过期)."""
    decision = s.decision_of(req)
    if decision is None:
        raise ValidationError("该调用单尚未审批，批准后才能调阅或复制。", code="not_approved")
    if not decision.approved:
        raise ValidationError("该调用单未获批准。", code="refused")
    if (now or timezone.now()) >= decision.expires_at:
        raise ValidationError(f"该调用单已于 {timezone.localtime(decision.expires_at):%Y-%m-%d %H:%M} 过期。",
                              code="expired")
    return decision


def mark_for(req: RetrievalRequest, now=None) -> watermark.Mark:
    when = timezone.localtime(now or timezone.now())
    return watermark.Mark(requester=req.who, purpose=req.purpose, time=f"{when:%Y-%m-%d %H:%M}", slip=req.number)


def _record_title(st) -> str:
    return f"{st.record.record_type.name}（第 {st.record.serial} 号）"[:200]


def _footage_title(item) -> str:
    return f"音像记录 {s.footage_label(item)}"[:200]


def _cover(req: RetrievalRequest, mark: watermark.Mark, records, footage) -> tuple[str, object]:
    """The cover sheet, laid out and watermarked: (the SHA-256 of its layout, the stored blob)."""
    # Each item's SHA-256 as handed over: a record's watermarked copy, a footage item's own bytes.
    lines = ([cover.Line("材料", _record_title(st), blob.sha256) for st, _, blob in records]
             + [cover.Line("音像记录", _footage_title(it), it.blob_id) for it in footage])
    case = req.case
    data = cover.render(cover.Sheet(slip=req.number, case=f"{case.number} {case.title}",
                                    file_sha256=req.file_sha256, requester=mark.requester, purpose=mark.purpose,
                                    time=mark.time, lines=tuple(lines)))
    return hashlib.sha256(data).hexdigest(), store.put(BytesIO(watermark.stamp(data, mark)))


def _add_item(actor, copy: Copy, *, title, source_sha, blob_sha, record=None, version=None,
              footage=None) -> CopyItem:
    item = CopyItem.objects.create(copy=copy, record=record, footage=footage, version=version, title=title,
                                   source_sha256=source_sha, blob_id=blob_sha)
    item = CopyItem.objects.get(pk=item.pk)
    _log(v.COPY, actor, item, blobs=[blob_sha], copy=copy.pk, record=getattr(record, "pk", None),
         footage=getattr(footage, "pk", None), source_sha256=source_sha)
    return item


@refusals.records_refusals(v.REFUSED, "copy", _about(RetrievalRequest))
@transaction.atomic
def make_copy(actor, req: RetrievalRequest) -> Copy:
    """复制件: the archivist makes the approved outsider's or party's copy, once and before the expiry (LW-D 15:
    由相关科室管理人员提供复制信息，并记录在案), listed in this order: a cover sheet (the slip, requester,
    purpose, time, each item with its SHA-256), each record's PDF with the watermark on every page, each
    footage item as recorded — its own stored bytes, no second copy: a mark would alter the evidence."""
    case = _lock(req.case)
    req = RetrievalRequest.objects.select_related("case").get(pk=req.pk)
    _archivist(actor, case)
    if req.kind == Kind.STAFF:
        raise ValidationError("本机关人员凭调阅授权查阅，复制件由本人下载（带水印）。", code="staff")
    _live(req)
    if Copy.objects.filter(request=req).exists():
        raise ValidationError("该调用单的复制件已制作。", code="copied")
    _no_closed(case, req.record_ids, req.whole)  # a class the archivist set after the request still counts
    footage = s.scope_footage(req)
    gone = [it.name for it in footage if not store.exists(it.blob_id)]
    if gone:
        raise ValidationError(f"音像记录的原始文件已不在存储中，不能复制：{'、'.join(gone)}。", code="footage_gone")
    mark = mark_for(req)
    records = []
    for st in s.scope_records(req):
        data = record_pdf(st)
        records.append((st, hashlib.sha256(data).hexdigest(), store.put(BytesIO(watermark.stamp(data, mark)))))
    if not records and not footage:
        raise ValidationError("调阅范围内没有可复制的材料。", code="empty")
    cover_sha, cover_blob = _cover(req, mark, records, footage)
    row = Copy.objects.create(request=req, made_by=actor)
    row = Copy.objects.get(pk=row.pk)
    items = [_add_item(actor, row, title="档案复制件清单", source_sha=cover_sha, blob_sha=cover_blob.sha256)]
    items += [_add_item(actor, row, title=_record_title(st), source_sha=sha, blob_sha=blob.sha256, record=st.record,
                        version=st.latest.number) for st, sha, blob in records]
    items += [_add_item(actor, row, title=_footage_title(it), source_sha=it.blob_id, blob_sha=it.blob_id, footage=it)
              for it in footage]
    _log(v.COPY, actor, row, blobs=[i.blob_id for i in items], request=req.pk, case=case.pk, items=len(items))
    return row


@refusals.records_refusals(v.REFUSED, "download", _about(CopyItem))
def copy_download(actor, item: CopyItem) -> str:
    """The archivist downloads one item of a copy to hand it over or print it: a read event; refused
    after the slip's expiry. Returns the blob's SHA-256."""
    item = CopyItem.objects.select_related("copy__request__case").get(pk=item.pk)
    req = item.copy.request
    _archivist(actor, req.case)
    _live(req)
    ledger.append(v.DOWNLOAD, actor=actor, object_type=CopyItem.ledger_object_type, object_id=item.pk,
                  blobs=[item.blob_id], detail={"request": req.pk, "case": req.case_id, "record": item.record_id,
                                                "footage": item.footage_id})
    return item.blob_id


@refusals.records_refusals(v.REFUSED, "download", _about(RetrievalRequest))
def granted_pdf(actor, req: RetrievalRequest, record_id: int) -> tuple[str, bytes]:
    """查阅件: a staff member's PDF of one record in the slip's scope, through the slip's running grant,
    watermarked with their name, the purpose, the time and the slip — a read event. (filename, bytes)."""
    req = RetrievalRequest.objects.select_related("case", "requester").get(pk=req.pk)
    if req.kind != Kind.STAFF or actor.pk != req.requester_id:
        raise PermissionDenied("只有调用单的调阅人可以下载查阅件。")
    _live(req)
    st = next((x for x in s.scope_records(req) if x.record.pk == int(record_id)), None)
    if st is None:
        raise ValidationError("该材料不在调用单的调阅范围内。", code="scope")
    source = record_pdf(st)
    data = watermark.stamp(source, mark_for(req))
    ledger.append(v.DOWNLOAD, actor=actor, object_type=RetrievalRequest.ledger_object_type, object_id=req.pk,
                  detail={"case": req.case_id, "record": st.record.pk, "version": st.latest.number,
                          "source_sha256": hashlib.sha256(source).hexdigest(),
                          "copy_sha256": hashlib.sha256(data).hexdigest()})
    return f"{req.case.number}-{st.record.serial}-{st.record.record_type.name}-查阅件.pdf", data


@refusals.records_refusals(v.REFUSED, "classify", _about_case)
@transaction.atomic
def classify(actor, case: Case, record_id, code: str) -> Classification:
    """公开属性: the archivist sets one record's class (公开, 内部, 商业秘密, 个人隐私); the latest row wins.
    State-secret material is not stored here: it is refused, and its place recorded instead."""
    case = _lock(case)
    _archivist(actor, case)
    if not case.is_archived:
        raise ValidationError("案件归档后才能设定公开属性。", code="not_archived")
    if code in STATE_SECRET_MARKS:
        raise ValidationError("国家秘密材料不得存入本系统：请登记涉密材料存放说明（材料名称和存放处）。",
                              code="state_secret")
    if code not in CLASSIFICATIONS:
        raise ValidationError(f"公开属性应为{'、'.join(CLASSIFICATIONS.values())}之一。", code="class")
    st = next((x for x in s.file_items(case) if str(x.record.pk) == str(record_id)), None)
    if st is None:
        raise ValidationError("该材料不属于本案卷。", code="scope")
    row = Classification.objects.create(case=case, record=st.record, code=code, set_by=actor)
    row = Classification.objects.get(pk=row.pk)
    _log(v.CLASSIFY, actor, row, case=case.pk, record=st.record.pk, code=code)
    return row


@refusals.records_refusals(v.REFUSED, "secret", _about_case)
@transaction.atomic
def record_secret(actor, case: Case, *, title, kept_at, upload=None) -> SecretNote:
    """涉密材料存放说明: what state-secret material belongs to the file and where it is kept — never the
    material itself (an upload with it is refused)."""
    case = _lock(case)
    _archivist(actor, case)
    if upload is not None:
        raise ValidationError("国家秘密材料不得上传到本系统，只登记材料名称和存放处。", code="state_secret")
    row = SecretNote.objects.create(case=case, title=_line(title, "涉密材料名称"), kept_at=_line(kept_at, "存放处"),
                                    recorded_by=actor)
    row = SecretNote.objects.get(pk=row.pk)
    _log(v.SECRET, actor, row, case=case.pk)
    return row


def log_view(actor, object_type: str, object_id, **detail) -> None:
    """A read: a slip's page, the list, a case's classes opened."""
    ledger.append(v.VIEW, actor=actor, object_type=object_type, object_id=object_id, detail=detail)
