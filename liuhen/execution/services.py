"""Writes of execution (执行), each a row and its ledger event in one transaction; each refusal is
recorded (execution.refused: the act and its codes, never the text).

- record_payment: a payment of the fine or of the late fine, with its voucher (行政处罚法 67-69, 72);
- request_deferral: the party's application to defer or pay by instalments, recorded by an officer (66);
- decide_deferral: the head approves or refuses it, once (66: 经行政机关批准).
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
from liuhen.cases.models import Case
from liuhen.common import text
from liuhen.ledger import refusals
from liuhen.ledger import services as ledger
from liuhen.records.ledger_checks import keyed_sha256
from liuhen.media import store
from liuhen.profiles import selectors as profiles
from liuhen.records.services import clean_filename

from . import selectors as s
from . import vocabulary as v
from .models import Channel, DeferralDecision, DeferralKind, DeferralRequest, Payment, Towards

# The voucher is a photo of the bank slip or receipt, or the PDF an e-payment platform gives: known by
# its first bytes, not by the name or the type the browser claims.
VOUCHER_TYPES = ((b"%PDF-", "application/pdf"), (b"\xff\xd8\xff", "image/jpeg"),
                 (b"\x89PNG\r\n\x1a\n", "image/png"))
MAX_AMOUNT_FEN = 10 ** 13


def _about_case(actor, case=None, *rest, **kw):
    return "case", getattr(case, "pk", "") or ""


_log = ledger.append_row  # the row's event: its type, id and state digest


def _lock(case: Case) -> Case:
    return Case.objects.select_for_update().get(pk=case.pk)


def _as_officer(actor, case: Case) -> None:
    """An officer of the case with a valid 执法证 (LC 10), in 送达执行."""
    access.check_work(actor, case)
    if not access.is_assigned(actor, case):
        raise PermissionDenied("只有本案承办人员可以办理。")
    require_valid_certificate(actor)
    if not s.in_execution(case):
        raise ValidationError("只有处于送达执行阶段的案件可以登记缴款或延期（分期）申请。", code="stage")


def to_fen(amount) -> int:
    """元 (a Decimal, int or text with at most 2 decimals) to 分; refused if not a positive amount."""
    try:
        value = Decimal(str(amount).strip())
    except (InvalidOperation, ValueError):
        raise ValidationError("金额无效。", code="amount")
    if not value.is_finite() or value != value.quantize(Decimal("0.01")):
        raise ValidationError("金额最多精确到分（两位小数）。", code="amount")
    cents = int(value * 100)
    if cents <= 0:
        raise ValidationError("金额应大于零。", code="amount")
    if cents >= MAX_AMOUNT_FEN:
        raise ValidationError("金额过大。", code="amount")
    return cents


def voucher_type(fileobj) -> str:
    """The voucher's type from its first bytes (PDF, JPEG, PNG), else refused."""
    head = fileobj.read(8)
    fileobj.seek(0)
    for magic, content_type in VOUCHER_TYPES:
        if head.startswith(magic):
            return content_type
    raise ValidationError("缴款凭证应为 PDF、JPEG 或 PNG 文件（银行缴款书、收据的照片或电子缴款凭证）。",
                          code="voucher_type")


def _needs_fine(acc) -> None:
    if not acc.fine:
        raise ValidationError("本案决定书未处罚款，无需登记缴款。", code="no_fine")


@refusals.records_refusals(v.REFUSED, "pay", _about_case)
@transaction.atomic
def record_payment(actor, case: Case, *, amount, paid_on: datetime.date, channel: str, voucher, filename: str = "",
                   towards: str = Towards.FINE) -> Payment:
    """缴款 (行政处罚法 67-69): an officer records a payment with its voucher — the bank slip, the receipt
    of an on-the-spot collection, the e-payment record. Not more than the fine still unpaid; a payment
    of the late fine not more than computed, and never above the fine (72)."""
    case = _lock(case)
    _as_officer(actor, case)
    if channel not in Channel.values:
        raise ValidationError(f"请选择缴款方式（{'、'.join(Channel.values)}）。", code="channel")
    if towards not in Towards.values:
        raise ValidationError("请选择缴纳的款项（罚款、加处罚款或没收违法所得）。", code="towards")
    cents = to_fen(amount)
    today = timezone.localdate()
    if not isinstance(paid_on, datetime.date) or isinstance(paid_on, datetime.datetime):
        raise ValidationError("缴款日期无效。", code="date")
    if paid_on > today:
        raise ValidationError("缴款日期不能晚于今天。", code="future")
    if voucher is None:
        raise ValidationError("请上传缴款凭证（银行缴款书或收据）。", code="voucher")
    acc = s.account(case, today)
    if towards == Towards.CONFISCATION:
        if not acc.confiscation:
            raise ValidationError("本案决定书未没收违法所得，无需登记。", code="no_confiscation")
        if cents > acc.confiscation_balance:
            raise ValidationError(f"缴款金额超出未缴的没收违法所得（未缴 {s.yuan(acc.confiscation_balance)} 元）。",
                                  code="over_confiscation")
    else:
        _needs_fine(acc)
    decided = s.decided_on(case)
    if decided is not None and paid_on < decided:
        raise ValidationError(f"缴款日期早于决定日期（{decided:%Y-%m-%d}），不是履行本决定的缴款。", code="before_decision")
    if towards == Towards.FINE and cents > acc.balance:
        raise ValidationError(f"缴款金额超出未缴罚款（未缴 {s.yuan(acc.balance)} 元）。", code="over_fine")
    if towards == Towards.LATE_FINE:
        if acc.late_paid + cents > acc.fine:
            raise ValidationError("加处罚款不得超出罚款数额（行政处罚法 72）。", code="over_cap")
        if cents > acc.late_cap_left:
            raise ValidationError(f"缴款金额超出计算的加处罚款（尚余 {s.yuan(acc.late_cap_left)} 元）。",
                                  code="over_late_fine")
    content_type = voucher_type(voucher)
    name = clean_filename(filename or getattr(voucher, "name", "") or "缴款凭证")
    blob = store.put(voucher)
    row = Payment.objects.create(case=case, amount_fen=cents, towards=towards, paid_on=paid_on, channel=channel,
                                 voucher=blob, voucher_name=name, voucher_type=content_type, recorded_by=actor)
    row = Payment.objects.get(pk=row.pk)
    _log(v.PAY, actor, row, case=case.pk, amount_fen=cents, towards=towards, paid_on=paid_on.isoformat(),
         channel=channel, blobs=[blob.sha256], filename_sha256=keyed_sha256("filename", name))
    return row


# ---- 延期、分期 (行政处罚法 66) -------------------------------------------------------------------------

def clean_instalments(instalments, balance: int, today: datetime.date) -> list[dict]:
    """[(due date, amount in 分)] → the stored list: at least two, each positive, the dates in order and
    not past, summing to the balance."""
    rows = list(instalments or [])
    if len(rows) < 2:
        raise ValidationError("分期缴纳应至少分两期，逐期写明缴纳日期和金额。", code="instalments")
    previous = None
    for due, amount in rows:
        if not isinstance(due, datetime.date) or not isinstance(amount, int) or amount <= 0:
            raise ValidationError("每一期应写明缴纳日期和大于零的金额。", code="instalments")
        if due < today:
            raise ValidationError(f"分期缴纳日期 {due:%Y-%m-%d} 已过。", code="instalments_past")
        if previous is not None and due <= previous:
            raise ValidationError("各期缴纳日期应依次在后。", code="instalments_order")
        previous = due
    total = sum(a for _d, a in rows)
    if total != balance:
        raise ValidationError(f"各期金额合计 {s.yuan(total)} 元，应等于未缴罚款 {s.yuan(balance)} 元。",
                              code="instalments_sum")
    return [{"due_on": d.isoformat(), "amount_fen": a} for d, a in rows]


@refusals.records_refusals(v.REFUSED, "defer_request", _about_case)
@transaction.atomic
def request_deferral(actor, case: Case, *, kind: str, reason: str, new_due_on: datetime.date | None = None,
                     instalments=()) -> DeferralRequest:
    """The party's application to defer or to pay by instalments (行政处罚法 66: 确有经济困难), recorded by
    an officer: for 延期 a date after the current due date, for 分期 the instalments covering the balance."""
    case = _lock(case)
    _as_officer(actor, case)
    acc = s.account(case)
    _needs_fine(acc)
    if acc.balance <= 0:
        raise ValidationError("罚款已缴清，无需延期或分期。", code="paid")
    if acc.due_on is None:
        raise ValidationError("决定书尚未送达，缴款期限尚未起算。", code="not_served")
    if acc.pending is not None:
        raise ValidationError("上一次延期（分期）申请尚待审批。", code="pending")
    if kind not in DeferralKind.values:
        raise ValidationError("请选择延期缴纳或分期缴纳。", code="kind")
    reason = text.clean(reason or "", "申请理由", multiline=True, max_length=2000).strip()
    if not reason:
        raise ValidationError("请填写申请理由（当事人确有经济困难的情况）。", code="required")
    stored, due = [], None
    if kind == DeferralKind.DEFER:
        if not isinstance(new_due_on, datetime.date):
            raise ValidationError("请填写延期缴纳的日期。", code="new_due_on")
        if new_due_on <= acc.due_on or new_due_on < timezone.localdate():
            raise ValidationError(f"延期后的缴纳日期应晚于现在的缴款期限（{acc.due_on:%Y-%m-%d}）。", code="new_due_on")
        due = new_due_on
    else:
        stored = clean_instalments(instalments, acc.balance, timezone.localdate())
    row = DeferralRequest.objects.create(case=case, kind=kind, reason=reason, new_due_on=due, instalments=stored,
                                         balance_fen=acc.balance, requested_by=actor)
    row = DeferralRequest.objects.get(pk=row.pk)
    _log(v.DEFER_REQUEST, actor, row, case=case.pk, kind=kind, balance_fen=acc.balance,
         new_due_on=due.isoformat() if due else None, instalments=stored)
    return row


@refusals.records_refusals(v.REFUSED, "defer_decide", lambda actor, req=None, *rest, **kw: (
    DeferralRequest.ledger_object_type, getattr(req, "pk", "") or ""))
@transaction.atomic
def decide_deferral(actor, req: DeferralRequest, *, approved: bool, opinion: str = "") -> DeferralDecision:
    """The head's decision on an application (行政处罚法 66: 经行政机关批准), once; a refusal states why.
    Approved, the schedule in force is the application's; refused, the due date stays."""
    case = _lock(req.case)
    access.check_view_to_act(actor, case)
    roles = profiles.profile_for_case(case).execution.deferral_roles
    if not actor.has_role(*roles):
        raise PermissionDenied(f"只有{'、'.join(Role(r).label for r in roles)}可以审批延期（分期）缴纳。")
    if not s.may_decide(actor, case):
        raise PermissionDenied("您办理过本案，不能审批本案的延期（分期）缴纳。")
    if DeferralDecision.objects.filter(request=req).exists():
        raise ValidationError("该申请已审批，不能再次审批。", code="decided")
    if case.is_archived:
        raise ValidationError("案件已归档。", code="stage")
    opinion = text.clean(opinion or "", "意见", multiline=True, max_length=500).strip()
    if not approved and not opinion:
        raise ValidationError("不予批准的，请写明意见。", code="opinion")
    acc = s.account(case)
    if approved and acc.balance != req.balance_fen:
        raise ValidationError(f"申请后已有缴款，未缴罚款已变为 {s.yuan(acc.balance)} 元，与申请不符；"
                              "请不予批准并重新登记申请。", code="balance_changed")
    row = DeferralDecision.objects.create(request=req, approved=bool(approved), opinion=opinion, paid_fen=acc.paid,
                                          decided_by=actor)
    row = DeferralDecision.objects.get(pk=row.pk)
    _log(v.DEFER_DECIDE, actor, row, request=req.pk, case=case.pk, approved=row.approved, paid_fen=acc.paid)
    return row


def log_voucher_view(actor, payment: Payment) -> None:
    ledger.append(v.VIEW, actor=actor, object_type=Payment.ledger_object_type, object_id=payment.pk,
                  detail={"case": payment.case_id, "blobs": [payment.voucher_id]})
