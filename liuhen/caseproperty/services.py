"""Writes of caseproperty (涉案财物), each a row and its ledger event in one transaction; each refusal is
recorded (caseproperty.refused: the act and its codes, never the text).

- register_item: an item listed from its 查封扣押现场笔录 / 证据登记保存清单 (行政强制法 24), with where it is
  first kept;
- move_custody: kept elsewhere or by someone else from a time on (行政强制法 26), while not handled;
- request_handling: an officer asks to return, sell, destroy, pay in or hand over items (27-28);
- decide_handling: the head the profile names approves or refuses it, once;
- record_handling: the result, with its proof, opening the 罚没物品处理记录 the two officers sign.
"""
from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from liuhen.accounts.roles import Role
from liuhen.accounts.services import require_valid_certificate
from liuhen.cases import access
from liuhen.cases.models import Case, Stage
from liuhen.common import text
from liuhen.ledger import refusals
from liuhen.ledger import services as ledger
from liuhen.media import store
from liuhen.profiles import selectors as profiles
from liuhen.records import services as records
from liuhen.records.ledger_checks import keyed_sha256
from liuhen.records.models import Record, RecordType
from liuhen.records.selectors import record_with_state
from liuhen.records.services import clean_filename

from . import selectors as s
from . import vocabulary as v
from .models import Custody, Handling, HandlingApproval, HandlingRequest, Item, Kind, Source

# Known by their first bytes, not by the name or the type the browser claims: an item's photo is a
# JPEG or PNG; a handling's proof may also be the PDF an auction house or the treasury gives.
PHOTO_TYPES = ((b"\xff\xd8\xff", "image/jpeg"), (b"\x89PNG\r\n\x1a\n", "image/png"))
VOUCHER_TYPES = ((b"%PDF-", "application/pdf"), *PHOTO_TYPES)
MAX_AMOUNT_FEN = 10 ** 13
MAX_QUANTITY = Decimal("1e12")


def _about_case(actor, case=None, *rest, **kw):
    return "case", getattr(case, "pk", "") or ""


def _about(model):
    return lambda actor, row=None, *rest, **kw: (model.ledger_object_type, getattr(row, "pk", "") or "")


_log = ledger.append_row  # the row's event: its type, id and state digest


def _lock(case: Case) -> Case:
    return Case.objects.select_for_update().get(pk=case.pk)


def _as_officer(actor, case: Case) -> None:
    """An officer of the case with a valid 执法证 (LC 10); the case not archived."""
    access.check_work(actor, case)
    if not access.is_assigned(actor, case):
        raise PermissionDenied("只有本案承办人员可以办理。")
    require_valid_certificate(actor)


def _line(value, label: str, *, required=True, max_length=200) -> str:
    value = text.clean(value or "", label, max_length=max_length).strip()
    if required and not value:
        raise ValidationError(f"请填写{label}。", code="required")
    return value


def to_fen(amount, label="金额") -> int:
    """元 (a Decimal, int or text with at most 2 decimals) to 分; refused if not a positive amount."""
    try:
        value = Decimal(str(amount).strip())
    except (InvalidOperation, ValueError):
        raise ValidationError(f"{label}无效。", code="amount")
    if not value.is_finite() or value != value.quantize(Decimal("0.01")):
        raise ValidationError(f"{label}最多精确到分（两位小数）。", code="amount")
    cents = int(value * 100)
    if cents <= 0:
        raise ValidationError(f"{label}应大于零。", code="amount")
    if cents >= MAX_AMOUNT_FEN:
        raise ValidationError(f"{label}过大。", code="amount")
    return cents


def _quantity(value) -> Decimal:
    try:
        q = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ValidationError("数量无效。", code="quantity")
    if not q.is_finite() or q <= 0:
        raise ValidationError("数量应大于零。", code="quantity")
    if q != q.quantize(Decimal("0.001")) or q >= MAX_QUANTITY:
        raise ValidationError("数量最多三位小数，且不超过一万亿。", code="quantity")
    return q


def _file_type(fileobj, types, message: str, code: str) -> str:
    head = fileobj.read(8)
    fileobj.seek(0)
    for magic, content_type in types:
        if head.startswith(magic):
            return content_type
    raise ValidationError(message, code=code)


def _source_record(case: Case, source: str, record) -> Record | None:  # a Record or its id
    """The record the item is listed in: for 查封、扣押 a complete 查封扣押现场笔录, for 先行登记保存 a
    complete 证据登记保存清单 of this case (行政强制法 24; 行政处罚法 56); for the others optional, of this case."""
    wanted = s.SOURCE_RECORDS.get(source)
    if record is None:
        if wanted:
            name = RecordType.objects.get(code=wanted).name
            raise ValidationError(f"{source}的财物应选择本案已完成的{name}（行政强制法 24：当场交付清单）。",
                                  code="source_record")
        return None
    pk = getattr(record, "pk", record)
    if not Record.objects.filter(pk=pk, case=case).exists():
        raise ValidationError("来源记录不属于本案。", code="source_record_case")
    st = record_with_state(pk)
    if st.voided:
        raise ValidationError("来源记录已作废。", code="source_record")
    if wanted and (st.record.record_type.code != wanted or not st.complete):
        name = RecordType.objects.get(code=wanted).name
        raise ValidationError(f"{source}的财物应选择本案已完成（已签齐）的{name}。", code="source_record")
    return st.record


def _custody(actor, item: Item, place, custodian, from_at) -> Custody:
    place = _line(place, "保管地点")
    custodian = _line(custodian, "保管人", max_length=100)
    from_at = from_at or timezone.now()
    if from_at > timezone.now() + datetime.timedelta(minutes=5):
        raise ValidationError("保管起始时间不能晚于现在。", code="future")
    row = Custody.objects.create(item=item, place=place, custodian=custodian, from_at=from_at, recorded_by=actor)
    row = Custody.objects.get(pk=row.pk)
    _log(v.CUSTODY, actor, row, case=item.case_id, item=item.pk, from_at=row.from_at.isoformat())
    return row


@refusals.records_refusals(v.REFUSED, "register", _about_case)
@transaction.atomic
def register_item(actor, case: Case, *, name, quantity, unit, source, specification="", source_record=None,
                  value=None, photo=None, place="", custodian="") -> Item:
    """登记涉案财物: an item (or a lot of one kind) with its quantity and unit, where it came from and the
    record that lists it, an estimated value, a photo; where it is first kept, if given (行政强制法 26)."""
    case = _lock(case)
    _as_officer(actor, case)
    if case.stage == Stage.START:
        raise ValidationError("案件立案后才能登记涉案财物。", code="stage")
    name = _line(name, "财物名称")
    specification = _line(specification, "规格型号", required=False)
    unit = _line(unit, "计量单位", max_length=20)
    q = _quantity(quantity)
    if source not in Source.values:
        raise ValidationError(f"请选择来源（{'、'.join(Source.values)}）。", code="source")
    record = _source_record(case, source, source_record)
    value_fen = to_fen(value, "估价") if value not in (None, "") else None
    if (place or custodian) and not (place and custodian):
        raise ValidationError("登记保管的，请同时填写保管地点和保管人。", code="custody")
    blob, content_type = None, ""
    if photo is not None:
        content_type = _file_type(photo, PHOTO_TYPES, "财物照片应为 JPEG 或 PNG 图片。", "photo_type")
        blob = store.put(photo)
    item = Item.objects.create(case=case, name=name, specification=specification, quantity=q, unit=unit,
                               source=source, source_record=record, value_fen=value_fen, photo=blob,
                               photo_type=content_type, registered_by=actor)
    item = Item.objects.get(pk=item.pk)
    _log(v.REGISTER, actor, item, case=case.pk, source=source, source_record=getattr(record, "pk", None),
         quantity=str(item.quantity), unit=unit, value_fen=value_fen, blobs=[blob.sha256] if blob else [])
    if place:
        _custody(actor, item, place, custodian, None)
    return item


def _not_handled(item: Item) -> None:
    view = s.item_view(item)
    if view.state == s.HANDLED:
        raise ValidationError(f"{item.name}已{view.request.kind}，不能再办理。", code="handled")


@refusals.records_refusals(v.REFUSED, "custody", _about(Item))
@transaction.atomic
def move_custody(actor, item: Item, *, place, custodian, from_at: datetime.datetime | None = None) -> Custody:
    """移交保管: the item kept at another place or by another custodian from `from_at` (行政强制法 26:
    妥善保管) — only while it is not handled."""
    _lock(item.case)
    item = Item.objects.select_related("case").get(pk=item.pk)
    _as_officer(actor, item.case)
    _not_handled(item)
    return _custody(actor, item, place, custodian, from_at)


def _needs_decision(case: Case, kind: str) -> None:
    if kind in s.AFTER_DECISION and not s.decision_complete(case):
        raise ValidationError(f"{kind}须在本案行政处罚决定书完成后办理（行政强制法 27：依法没收的，由决定处理）；"
                              "决定作出前只能退还或者解除查封、扣押。", code="no_decision")


@refusals.records_refusals(v.REFUSED, "request", _about_case)
@transaction.atomic
def request_handling(actor, case: Case, *, item_ids, kind: str, reason: str) -> HandlingRequest:
    """处理申请: items of the case, each neither handled nor in a request still open, one way, with the
    reason and its basis; awaiting the approval of a head the profile names."""
    case = _lock(case)
    _as_officer(actor, case)
    if kind not in Kind.values:
        raise ValidationError(f"请选择处理方式（{'、'.join(Kind.values)}）。", code="kind")
    try:
        wanted = sorted({int(i) for i in item_ids or ()})
    except (TypeError, ValueError):
        raise ValidationError("财物无效。", code="items")
    if not wanted:
        raise ValidationError("请选择要处理的财物。", code="items")
    views = {view.item.pk: view for view in s.items(case)}
    if any(i not in views for i in wanted):
        raise ValidationError("所选财物不属于本案。", code="items_case")
    for i in wanted:
        view = views[i]
        if view.state == s.HANDLED:
            raise ValidationError(f"{view.item.name}已{view.request.kind}，不能再次申请处理。", code="handled")
        if view.state != s.HELD:
            raise ValidationError(f"{view.item.name}已有{view.state_label}的处理申请。", code="open")
    _needs_decision(case, kind)
    reason = text.clean(reason or "", "理由和依据", multiline=True, max_length=2000).strip()
    if not reason:
        raise ValidationError("请填写处理的理由和依据。", code="required")
    row = HandlingRequest.objects.create(case=case, item_ids=wanted, kind=kind, reason=reason, requested_by=actor)
    row = HandlingRequest.objects.get(pk=row.pk)
    _log(v.REQUEST, actor, row, case=case.pk, items=wanted, kind=kind)
    return row


@refusals.records_refusals(v.REFUSED, "decide", _about(HandlingRequest))
@transaction.atomic
def decide_handling(actor, req: HandlingRequest, *, approved: bool, opinion: str = "") -> HandlingApproval:
    """审批 (LQ 13; 行政强制法 27): a head the profile names, who neither asked nor worked on the case,
    approves or refuses, once; a refusal says why."""
    case = _lock(req.case)
    access.check_view_to_act(actor, case)
    roles = profiles.profile_for_case(case).case_property.approve_roles
    if not actor.has_role(*roles):
        raise PermissionDenied(f"只有{'、'.join(Role(r).label for r in roles)}可以审批涉案财物的处理。")
    if not s.may_decide(actor, case, req):
        raise PermissionDenied("您申请或办理过本案，不能审批本案涉案财物的处理。")
    if HandlingApproval.objects.filter(request=req).exists():
        raise ValidationError("该申请已审批，不能再次审批。", code="decided")
    if case.is_archived:
        raise ValidationError("案件已归档。", code="stage")
    opinion = text.clean(opinion or "", "意见", multiline=True, max_length=500).strip()
    if not approved and not opinion:
        raise ValidationError("不予批准的，请写明意见。", code="opinion")
    if approved:
        _needs_decision(case, req.kind)
    row = HandlingApproval.objects.create(request=req, approved=bool(approved), opinion=opinion, decided_by=actor)
    row = HandlingApproval.objects.get(pk=row.pk)
    _log(v.DECIDE, actor, row, request=req.pk, case=case.pk, approved=row.approved)
    return row


def _items_text(item_ids) -> str:
    rows = Item.objects.filter(pk__in=item_ids).order_by("id")
    return "\n".join(f"{i.name}{f'（{i.specification}）' if i.specification else ''} {i.quantity.normalize():f}{i.unit}"
                     for i in rows)


def _handling_text(req: HandlingRequest, recipient: str, relation: str, proceeds_fen) -> str:
    if req.kind == Kind.RETURN:
        return f"退还，由{recipient}（{relation}）签收"
    if req.kind == Kind.AUCTION:
        return f"拍卖，所得 {s.yuan(proceeds_fen)} 元"
    return f"{req.kind}：{req.reason}"[:2000]


@refusals.records_refusals(v.REFUSED, "handle", _about(HandlingRequest))
@transaction.atomic
def record_handling(actor, req: HandlingRequest, *, done_on: datetime.date, voucher, filename: str = "",
                    recipient: str = "", relation: str = "", proceeds=None) -> Handling:
    """处理结果: what was done under an approved request, on which day, with its proof — for 退还 who
    received the items and their relation to the party, for 拍卖 what it brought. In 送达执行 it opens the
    罚没物品处理记录 (a draft the two officers sign); a return or release before then is its own trace."""
    case = _lock(req.case)
    req = HandlingRequest.objects.select_related("case").get(pk=req.pk)
    _as_officer(actor, case)
    approval = HandlingApproval.objects.filter(request=req).first()
    if approval is None:
        raise ValidationError("该申请尚未审批，批准后才能处理。", code="not_approved")
    if not approval.approved:
        raise ValidationError("该申请未获批准，不能处理。", code="refused")
    if Handling.objects.filter(request=req).exists():
        raise ValidationError("该申请的处理结果已登记。", code="handled")
    _needs_decision(case, req.kind)
    if req.kind in s.AFTER_DECISION and case.stage != Stage.SERVICE:
        raise ValidationError(f"{req.kind}应在案件进入送达执行阶段后登记（罚没物品处理记录属于送达执行阶段）。",
                              code="stage")
    if not isinstance(done_on, datetime.date) or isinstance(done_on, datetime.datetime):
        raise ValidationError("处理日期无效。", code="date")
    if done_on > timezone.localdate():
        raise ValidationError("处理日期不能晚于今天。", code="future")
    if done_on < timezone.localdate(approval.decided_at):
        raise ValidationError("处理日期早于批准日期。", code="before_approval")
    recipient = _line(recipient, "接收人", required=req.kind == Kind.RETURN, max_length=100)
    relation = _line(relation, "接收人与当事人的关系", required=req.kind == Kind.RETURN, max_length=50)
    proceeds_fen = None
    if req.kind == Kind.AUCTION:
        if proceeds in (None, ""):
            raise ValidationError("请填写拍卖所得金额。", code="proceeds")
        proceeds_fen = to_fen(proceeds, "拍卖所得")
    elif proceeds not in (None, ""):
        raise ValidationError("只有拍卖登记所得金额。", code="proceeds")
    if voucher is None:
        raise ValidationError("请上传处理凭证（签收单、拍卖成交确认书、销毁现场照片或移交清单）。", code="voucher")
    content_type = _file_type(voucher, VOUCHER_TYPES, "处理凭证应为 PDF、JPEG 或 PNG 文件。", "voucher_type")
    name = clean_filename(filename or getattr(voucher, "name", "") or "处理凭证")
    record = None
    if case.stage == Stage.SERVICE:
        rt = RecordType.objects.get(code=s.RECORD_CODE)
        record = records.create_record(actor, case, rt, {
            "items": _items_text(req.item_ids), "handling": _handling_text(req, recipient, relation, proceeds_fen),
            "handled_on": done_on.isoformat()})
    blob = store.put(voucher)
    row = Handling.objects.create(request=req, done_on=done_on, recipient=recipient, recipient_relation=relation,
                                  proceeds_fen=proceeds_fen, voucher=blob, voucher_name=name,
                                  voucher_type=content_type, record=record, recorded_by=actor)
    row = Handling.objects.get(pk=row.pk)
    _log(v.HANDLE, actor, row, request=req.pk, case=case.pk, kind=req.kind, items=req.item_ids,
         done_on=done_on.isoformat(), proceeds_fen=proceeds_fen, record=getattr(record, "pk", None),
         blobs=[blob.sha256], filename_sha256=keyed_sha256("filename", name))
    return row


def log_view(actor, object_type: str, object_id, **detail) -> None:
    """A read: the agency's list, an item's photo or a handling's proof opened."""
    ledger.append(v.VIEW, actor=actor, object_type=object_type, object_id=object_id, detail=detail)
