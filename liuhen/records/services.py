"""Record writes: create, revise (new version), attach, sign, refuse, confirm refusal, void.

Each runs in one transaction with its ledger entry (ARCHITECTURE: how a write flows).
"""
import os
import unicodedata

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from liuhen.accounts.services import require_valid_certificate
from liuhen.cases import access
from liuhen.cases.models import Case, Stage
from liuhen.ledger import services as ledger
from liuhen.ledger.core.canonical import content_sha256
from liuhen.media import store

from . import schema
from .models import (
    Attachment, Outcome, Record, RecordType, RecordVersion, RecordVoid, RefusalConfirmation, Signature,
    SignerRole,
)
from .ledger_checks import record_header, signature_digest
from .selectors import CAPACITY_ROLES, record_with_state

MAX_FILENAME = 200


def _log(action, actor, record: Record, version: RecordVersion | None = None, blobs=(), **detail):
    ledger.append(action, actor=actor, object_type="record", object_id=record.pk,
                  object_version=version.number if version else None,
                  content_sha256=version.content_sha256 if version else "",
                  blobs=list(blobs), detail=detail)


def _lock_case(case: Case) -> Case:
    # Serialise writers on one case (numbering, signing) — a no-op on SQLite, whose writes are serial.
    return Case.objects.select_for_update().get(pk=case.pk)


def _locked(record: Record) -> Record:
    """Lock the record's case and return the record re-read with that fresh case: the caller's
    instance may carry a stale case (archived meanwhile) or stale prefetched signatures."""
    case = _lock_case(record.case)
    fresh = Record.objects.select_related("record_type").get(pk=record.pk)
    fresh.case = case
    return fresh


def _editable(actor, record: Record):
    access.check_work(actor, record.case)
    st = record_with_state(record.pk)
    if st.voided:
        raise ValidationError("该记录已作废，不能修改。")
    if st.locked:
        raise ValidationError("该记录已签字，不能修改；如有错误请作废后重新制作。")
    return st


@transaction.atomic
def create_record(actor, case: Case, record_type: RecordType, data: dict) -> Record:
    case = _lock_case(case)
    access.check_work(actor, case)
    if not record_type.active:
        raise ValidationError("该记录类型已停用。")
    if record_type.stage != case.stage:
        # A record is filed under the stage the case is in: a document of another stage would count
        # nowhere (too early) or rewrite a finished stage (too late).
        raise ValidationError(f"{record_type.name}属于{Stage(record_type.stage).label}阶段，"
                              f"案件当前处于{Stage(case.stage).label}阶段。")
    content = schema.validate_content(record_type.fields, data)
    serial = (case.records.aggregate(m=Max("serial"))["m"] or 0) + 1
    record = Record.objects.create(case=case, record_type=record_type, stage=case.stage, serial=serial,
                                   created_by=actor)
    version = RecordVersion.objects.create(record=record, number=1, content=content,
                                           content_sha256=content_sha256(content), author=actor)
    _log("record.create", actor, record, version, **record_header(record))
    return record


@transaction.atomic
def revise_record(actor, record: Record, data: dict, reason: str) -> RecordVersion:
    """Editing an unsigned record appends a new version; the reason is required."""
    record = _locked(record)
    st = _editable(actor, record)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("修改记录必须填写修改理由。")
    content = schema.validate_content(record.record_type.fields, data)
    if content == st.latest.content:
        raise ValidationError("内容没有变化。")
    version = RecordVersion.objects.create(record=record, number=st.latest.number + 1, content=content,
                                           content_sha256=content_sha256(content), reason=reason[:500],
                                           author=actor)
    _log("record.version", actor, record, version, reason=reason[:500])
    return version


def clean_filename(name: str) -> str:
    """The display name of an upload. A name that tries a path is refused, not silently cut."""
    name = unicodedata.normalize("NFC", name or "").strip()
    if not name:
        raise ValidationError("文件名不能为空。")
    if "/" in name or "\\" in name or name in (".", "..") or name.startswith("..") or "\x00" in name:
        raise ValidationError("文件名不能包含路径（/、\\ 或 ..）。")
    if any(unicodedata.category(c) == "Cc" for c in name):
        raise ValidationError("文件名含有控制字符。")
    if len(name) > MAX_FILENAME:
        stem, ext = os.path.splitext(name)
        name = stem[: MAX_FILENAME - len(ext)] + ext
    return name


@transaction.atomic
def attach(actor, record: Record, fileobj, filename: str, content_type: str = "") -> Attachment:
    record = _locked(record)
    st = _editable(actor, record)
    filename = clean_filename(filename)
    blob = store.put(fileobj)
    att = Attachment.objects.create(record=record, blob=blob, filename=filename,
                                    content_type=(content_type or "")[:100], uploaded_by=actor)
    _log("record.attach", actor, record, st.latest, blobs=[blob.sha256], attachment=att.pk, filename=filename,
         content_type=att.content_type, size=blob.size)
    return att


def _signature(record, version, *, role, signer, signer_name, outcome, reason, recorded_by) -> Signature:
    sig = Signature(record=record, version=version, role=role, signer=signer, signer_name=signer_name,
                    outcome=outcome, refusal_reason=reason, recorded_by=recorded_by, signed_at=timezone.now())
    sig.digest = signature_digest(sig, record.attachments.values_list("blob_id", flat=True))
    sig.save()
    return sig


def _log_signature(actor, record: Record, sig: Signature) -> None:
    """The event names the signature and carries its digest — never a party's or witness's name or
    a refusal reason (the digest binds them; ledger_checks.signature_digest)."""
    _log("record.refuse" if sig.outcome == Outcome.REFUSED else "record.sign", actor, record, sig.version,
         signature=sig.pk, role=sig.role, digest=sig.digest)


def _signable(actor, record: Record):
    """`record` must come from _locked()."""
    if record.case.is_archived:
        raise PermissionDenied("案件已归档，不能再修改。")
    st = record_with_state(record.pk)
    if st.voided:
        raise ValidationError("该记录已作废，不能签字。")
    return st


def _require_acting_officer(actor, record: Record, what: str) -> None:
    """Officer acts on a record (signing, recording or confirming a refusal) need an officer of
    the case with a valid certificate: LQ 17 counts them as officers' signatures."""
    if not access.is_assigned(actor, record.case):
        raise PermissionDenied(f"只有本案承办人员可以{what}。")
    require_valid_certificate(actor)


@transaction.atomic
def sign_as_officer(actor, record: Record) -> Signature:
    record = _locked(record)
    st = _signable(actor, record)
    _require_acting_officer(actor, record, "以执法人员身份签字")
    signed_as = set(record.signatures.filter(signer=actor).values_list("role", flat=True))
    if SignerRole.OFFICER in signed_as:
        raise ValidationError("您已在该记录上签字。")
    if SignerRole.LEADER in signed_as:
        raise ValidationError("您已作为负责人在该记录上签字，不能再以执法人员身份签字。")
    sig = _signature(record, st.latest, role=SignerRole.OFFICER, signer=actor, signer_name=actor.display_name,
                     outcome=Outcome.SIGNED, reason="", recorded_by=actor)
    _log_signature(actor, record, sig)
    return sig


@transaction.atomic
def sign_in_capacity(actor, record: Record, capacity: str) -> Signature:
    """Sign as 负责人, 法制审核人员 or 档案管理员: people who see the case without working on it."""
    record = _locked(record)
    st = _signable(actor, record)
    access.check_view(actor, record.case)
    if capacity not in CAPACITY_ROLES:
        raise ValidationError("签字身份无效。")
    label = SignerRole(capacity).label
    if not actor.has_role(*CAPACITY_ROLES[capacity]):
        raise PermissionDenied(f"您不是{label}，不能以该身份签字。")
    if not (record.record_type.signature_rule or {}).get(str(capacity)):
        raise ValidationError(f"该记录不需要{label}签字。")
    signed_as = set(record.signatures.filter(signer=actor).values_list("role", flat=True))
    if capacity in signed_as:
        raise ValidationError("您已在该记录上签字。")
    if capacity == SignerRole.LEADER and SignerRole.OFFICER in signed_as:
        # A leader approves the officers' work: not their own.
        raise ValidationError("您已作为执法人员在该记录上签字，不能再以负责人身份签字。")
    sig = _signature(record, st.latest, role=capacity, signer=actor, signer_name=actor.display_name,
                     outcome=Outcome.SIGNED, reason="", recorded_by=actor)
    _log_signature(actor, record, sig)
    return sig


def sign_as_leader(actor, record: Record) -> Signature:
    return sign_in_capacity(actor, record, SignerRole.LEADER)


@transaction.atomic
def record_other_signature(actor, record: Record, *, role: str, signer_name: str, refused: bool = False,
                           reason: str = "") -> Signature:
    """A party's or witness's signature taken in front of an officer, or their refusal to sign.

    LQ 17: a refusal is recorded with its reason; the recording officer is its first confirmation
    and it stands once a second officer confirms it.
    """
    record = _locked(record)
    st = _signable(actor, record)
    _require_acting_officer(actor, record, "记录当事人或见证人签字")
    if role not in (SignerRole.PARTY, SignerRole.WITNESS, SignerRole.OTHER):
        raise ValidationError("签字人身份无效。")
    signer_name = (signer_name or "").strip()
    if not signer_name:
        raise ValidationError("请填写签字人姓名。")
    if role == SignerRole.PARTY and signer_name not in set(record.case.parties.values_list("name", flat=True)):
        raise ValidationError(f"“{signer_name}”不是本案当事人。")
    reason = (reason or "").strip()
    if refused and not reason:
        raise ValidationError("记录拒绝签字必须写明拒签事由。")
    sig = _signature(record, st.latest, role=role, signer=None, signer_name=signer_name,
                     outcome=Outcome.REFUSED if refused else Outcome.SIGNED, reason=reason[:500],
                     recorded_by=actor)
    if refused:
        # The recording officer's confirmation: logged by the same event (its actor), see ledger_checks.
        RefusalConfirmation.objects.create(signature=sig, officer=actor)
    _log_signature(actor, record, sig)
    return sig


@transaction.atomic
def confirm_refusal(actor, signature: Signature) -> RefusalConfirmation:
    record = _locked(signature.record)
    _signable(actor, record)
    if signature.outcome != Outcome.REFUSED:
        raise ValidationError("这不是拒绝签字记录。")
    _require_acting_officer(actor, record, "确认拒签")
    if signature.confirmations.filter(officer=actor).exists():
        raise ValidationError("您已确认过该拒签记录。")
    conf = RefusalConfirmation.objects.create(signature=signature, officer=actor)
    _log("record.refusal_confirm", actor, record, signature.version, signature=signature.pk, officer=actor.pk)
    return conf


@transaction.atomic
def void_record(actor, record: Record, reason: str) -> RecordVoid:
    record = _locked(record)
    access.check_work(actor, record.case)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("作废记录必须填写理由。")
    if RecordVoid.objects.filter(record=record).exists():
        raise ValidationError("该记录已作废。")
    void = RecordVoid.objects.create(record=record, reason=reason[:500], actor=actor)
    _log("record.void", actor, record, None, reason=reason[:500])
    return void


def log_view(actor, record: Record) -> None:
    """A read of a record is traced as well (SPEC §4)."""
    _log("record.view", actor, record)


def log_download(actor, attachment: Attachment) -> None:
    _log("record.download", actor, attachment.record, blobs=[attachment.blob_id], attachment=attachment.pk)
