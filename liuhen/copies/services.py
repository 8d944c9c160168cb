"""Writes of the copies app (证据复制), each row in one transaction with its ledger entry, every
refused act of a person in the ledger too (copies.denied: the act and its codes, never the text):

- request (申请): an officer of the case, or the head of its unit, asks for copies of footage linked
  to the case for a 检察院 or 法院;
- decide (批准 / 不予批准): a person of the profile's copies.approve_roles (the 机关负责人: LW-D 15 主要领导同意);
- make the package (制作): a person of the profile's copies.maker_roles (LW-D 13: the responsible office
  provides it centrally and keeps a copy), only on an approved request (package.py);
- handover (移交): the same office records who received it, when, how, and the package's SHA-256.

BX 11: officers neither carry nor keep records themselves — their footage is streamed for viewing,
and a copy leaves the agency only by this path."""
import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from liuhen.accounts.roles import Role
from liuhen.accounts.services import require_valid_certificate
from liuhen.cases import access
from liuhen.common import text
from liuhen.footage.models import FootageItem, FootageLink
from liuhen.ledger import refusals
from liuhen.ledger import services as ledger

from . import checks
from . import vocabulary as v
from .models import CopyApproval, CopyHandover, CopyPackage, CopyRequest, HandoverMethod, ReceiverKind


def _about(actor, target=None, *rest) -> tuple[str, object]:
    """What a refused act was about: the request, package or case it names, else the agency's copies."""
    if isinstance(target, (CopyRequest, CopyPackage)):
        return target.ledger_object_type, target.pk
    if target is not None and getattr(target, "_meta", None) is not None and target._meta.label == "cases.Case":
        return "case", target.pk
    return v.REGISTER, getattr(actor, "agency_id", "") or ""


def _guarded(act: str):
    return refusals.records_refusals(v.DENIED, act, _about)


# ---- who may do what ------------------------------------------------------------------------------

def _of_agency(user, agency_id) -> bool:
    return user is not None and user.is_authenticated and user.is_active and user.agency_id == agency_id


def may_request(user, case) -> bool:
    """An officer of the case (承办人员) or the head of its unit (承办机构负责人) — also once the case
    is archived: evidence is asked for long after the file was closed."""
    if not _of_agency(user, case.agency_id):
        return False
    if user.has_role(Role.UNIT_HEAD) and user.unit_id == case.unit_id:
        return True
    return user.has_role(Role.OFFICER) and access.is_assigned(user, case)


def may_approve(user, agency_id=None) -> bool:
    """A person of the approving roles (LW-D 15: the principal leader's consent)."""
    return (user is not None and user.is_authenticated and user.is_active and user.agency_id is not None
            and (agency_id is None or user.agency_id == agency_id)
            and user.has_role(*checks.approve_roles(user.agency_id)))


def may_make(user, agency_id=None) -> bool:
    """A person of the office that provides copies centrally (LW-D 13)."""
    return (user is not None and user.is_authenticated and user.is_active and user.agency_id is not None
            and (agency_id is None or user.agency_id == agency_id)
            and user.has_role(*checks.maker_roles(user.agency_id)))


def role_names(codes) -> str:
    return "或".join(Role(c).label for c in codes if c in Role.values)


# ---- the request ----------------------------------------------------------------------------------

def _required(value, label: str, max_length: int) -> str:
    value = text.clean(value or "", label, max_length=max_length).strip()
    if not value:
        raise ValidationError(f"请填写{label}。", code="required")
    return value


def linked_items(case):
    """The footage items actively linked to `case` (sidecars go with their video), in link order."""
    seen, out = set(), []
    for link in (FootageLink.objects.filter(case=case, unlink__isnull=True).select_related("item", "item__device",
                                                                                         "item__officer")
                 .order_by("linked_at", "pk")):
        if link.item_id not in seen:
            seen.add(link.item_id)
            out.append(link.item)
    return out


@_guarded("request")
def request_copy(actor, case, items, *, receiver_kind: str, receiver_name: str, purpose: str,
                 court_case_number: str = "") -> CopyRequest:
    """证据复制申请: copies of `items` (footage linked to `case`) for the body `receiver_name`."""
    if not may_request(actor, case):
        raise PermissionDenied("只有本案承办人员或其承办机构负责人可以申请证据复制。")
    if not (actor.has_role(Role.UNIT_HEAD) and actor.unit_id == case.unit_id):
        require_valid_certificate(actor)  # an officer acts with a valid 执法证
    if receiver_kind not in ReceiverKind.values:
        raise ValidationError("请选择接收机关类别。", code="receiver_kind")
    receiver_name = _required(receiver_name, "接收机关", 200)
    purpose = _required(purpose, "用途", 500)
    court_case_number = text.clean(court_case_number or "", "案号", max_length=100).strip()
    ids = sorted({int(getattr(i, "pk", i)) for i in items or []})
    if not ids:
        raise ValidationError("请至少选择一个音像记录。", code="no_items")
    linked = set(FootageLink.objects.filter(case=case, unlink__isnull=True, item_id__in=ids)
                 .values_list("item_id", flat=True))
    found = {i.pk: i for i in FootageItem.objects.filter(pk__in=ids, agency_id=case.agency_id)}
    for pk in ids:
        if pk not in linked or pk not in found:
            raise ValidationError(f"音像记录 {pk} 未关联到本案件，不能申请复制。", code="not_linked")
    with transaction.atomic():
        row = CopyRequest(agency_id=case.agency_id, case=case, case_number=case.number, item_ids=ids, receiver_kind=receiver_kind,
                          receiver_name=receiver_name, purpose=purpose, court_case_number=court_case_number,
                          requested_by=actor, requested_at=timezone.now())
        row.save()
        ledger.append(v.REQUEST, actor=actor, object_type=CopyRequest.ledger_object_type, object_id=row.pk,
                      content_sha256=row.ledger_digest(), blobs=[found[pk].blob_id for pk in ids],
                      detail={"case": case.pk, "items": ids, "receiver_kind": receiver_kind})
    return row


# ---- the decision ---------------------------------------------------------------------------------

@_guarded("approve")
def decide(actor, request: CopyRequest, approved: bool, opinion: str = "") -> CopyApproval:
    """批准 / 不予批准, with the approver's own opinion (required when not approved)."""
    if not may_approve(actor, request.agency_id):
        raise PermissionDenied(f"只有{role_names(checks.approve_roles(request.agency_id))}可以审批证据复制申请。")
    if actor.pk == request.requested_by_id:
        raise PermissionDenied("不能审批自己提出的证据复制申请。")
    if not access.can_view(actor, request.case):  # a leader approves what they may see (e.g. a unit head: their unit's)
        raise PermissionDenied("您无权查看该案件，不能审批其证据复制申请。")
    opinion = text.clean(opinion or "", "意见", max_length=500).strip()
    if not opinion:
        if not approved:
            raise ValidationError("不予批准时请填写意见。", code="opinion_required")
        opinion = "同意提供复制件。"
    with transaction.atomic():
        CopyRequest.objects.select_for_update().filter(pk=request.pk).first()  # one decision at a time
        if CopyApproval.objects.filter(request=request).exists():
            raise ValidationError("该申请已审批。", code="already_decided")
        row = CopyApproval(request=request, approved=bool(approved), opinion=opinion, decided_by=actor,
                           decided_at=timezone.now())
        row.save()
        ledger.append(v.APPROVE, actor=actor, object_type=CopyApproval.ledger_object_type, object_id=row.pk,
                      content_sha256=row.ledger_digest(),
                      detail={"request": request.pk, "case": request.case_id, "approved": row.approved})
    return row


# ---- the package ----------------------------------------------------------------------------------

@_guarded("make")
def make_package(actor, request: CopyRequest, dest=None) -> CopyPackage:
    """制作复制包 (package.py): only by the office, only on an approved request; all or nothing."""
    from . import package

    if not may_make(actor, request.agency_id):
        raise PermissionDenied(f"只有{role_names(checks.maker_roles(request.agency_id))}可以制作证据复制包。")
    approval = CopyApproval.objects.filter(request=request).first()
    if approval is None:
        raise ValidationError("该申请尚未经批准，不能制作复制包（LW-D 15：须经主要领导同意）。", code="not_approved")
    if not approval.approved:
        raise ValidationError("该申请未获批准，不能制作复制包。", code="declined")
    if CopyPackage.objects.filter(request=request).exists():
        raise ValidationError("该申请的复制包已制作。", code="already_made")
    return package.make(actor, request, approval, dest)


def save_package(actor, request, fields: dict, shas: list[str], finish, set_aside: dict | None = None) -> CopyPackage:
    """The package row and its event in one transaction; `finish()` (the staged directory renamed
    into place) runs inside it, so a failed rename leaves no row. `set_aside`: the leftover of an
    earlier make of this request that died before its commit, moved aside (its names and manifest
    SHA-256), recorded in the event's detail."""
    detail = {"request": request.pk, "case": request.case_id, "manifest_sha256": fields["manifest_sha256"],
              "checkpoint_size": fields["checkpoint_size"]}
    if set_aside:
        detail["set_aside"] = set_aside
    try:
        with transaction.atomic():
            row = CopyPackage(request=request, made_by=actor, made_at=timezone.now(), **fields)
            row.save()
            ledger.append(v.MAKE, actor=actor, object_type=CopyPackage.ledger_object_type, object_id=row.pk,
                          content_sha256=row.ledger_digest(), blobs=shas,
                          detail=detail)
            finish()
    except IntegrityError:
        raise ValidationError("该申请的复制包已制作。", code="already_made") from None
    return row


# ---- the handover ---------------------------------------------------------------------------------

@_guarded("handover")
def record_handover(actor, package: CopyPackage, *, receiver_person: str, receiver_org: str, handed_on,
                    method: str, note: str = "") -> CopyHandover:
    """移交: the package handed to `receiver_person` of `receiver_org` on `handed_on` by `method`;
    the package's SHA-256 (its manifest's) is recorded with it."""
    request = package.request
    if not may_make(actor, request.agency_id):
        raise PermissionDenied(f"只有{role_names(checks.maker_roles(request.agency_id))}可以登记证据复制包的移交。")
    receiver_person = _required(receiver_person, "接收人", 100)
    receiver_org = _required(receiver_org, "接收单位", 200)
    note = text.clean(note or "", "备注", max_length=500).strip()
    if method not in HandoverMethod.values:
        raise ValidationError("请选择移交方式。", code="method")
    if isinstance(handed_on, str):
        try:
            handed_on = datetime.date.fromisoformat(handed_on)
        except ValueError:
            raise ValidationError("移交日期格式无效。", code="bad_date") from None
    if not isinstance(handed_on, datetime.date):
        raise ValidationError("请填写移交日期。", code="required")
    if handed_on > timezone.localdate():
        raise ValidationError("移交日期不能晚于今天。", code="future")
    if handed_on < timezone.localdate(package.made_at):
        raise ValidationError("移交日期不能早于复制包的制作日期。", code="before_made")
    with transaction.atomic():
        CopyPackage.objects.select_for_update().filter(pk=package.pk).first()
        if CopyHandover.objects.filter(package=package).exists():
            raise ValidationError("该复制包已登记移交。", code="already_handed_over")
        row = CopyHandover(package=package, receiver_person=receiver_person, receiver_org=receiver_org,
                           handed_on=handed_on, method=method, package_sha256=package.manifest_sha256, note=note,
                           recorded_by=actor, recorded_at=timezone.now())
        row.save()
        ledger.append(v.HANDOVER, actor=actor, object_type=CopyHandover.ledger_object_type, object_id=row.pk,
                      content_sha256=row.ledger_digest(),
                      detail={"request": request.pk, "package": package.pk, "package_sha256": row.package_sha256,
                              "method": method})
    return row


# ---- reads: each one a ledger event ---------------------------------------------------------------

def log_view(actor, request: CopyRequest | None = None, filters: dict | None = None) -> None:
    with transaction.atomic():
        if request is None:
            ledger.append(v.VIEW, actor=actor, object_type=v.REGISTER, object_id=getattr(actor, "agency_id", "") or "",
                          detail={"filters": filters or {}})
        else:
            ledger.append(v.VIEW, actor=actor, object_type=CopyRequest.ledger_object_type, object_id=request.pk,
                          detail={"case": request.case_id})


def log_form(actor, case) -> None:
    """The request form of `case` was shown: the case's linked footage listed (a read of the case)."""
    with transaction.atomic():
        ledger.append(v.VIEW, actor=actor, object_type="case", object_id=case.pk, detail={"form": "request"})


def log_download(actor, package: CopyPackage) -> None:
    """The package left the server as a .zip (object: the package; the files' SHA-256 as blobs)."""
    with transaction.atomic():
        ledger.append(v.DOWNLOAD, actor=actor, object_type=CopyPackage.ledger_object_type, object_id=package.pk,
                      blobs=list(package.request.item_blobs()),
                      detail={"request": package.request_id, "manifest_sha256": package.manifest_sha256})
