"""Record writes: create, revise (new version), attach, sign, refuse, confirm refusal, void, and
add 补充材料 to a signed record.

Each runs in one transaction with its ledger entry (ARCHITECTURE: how a write flows). Every write as
an officer needs a valid 执法证 (LC 10, LQ 17): a person without one is named on no enforcement act.
"""
import io
import os
import unicodedata

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from liuhen.accounts.services import require_valid_certificate
from liuhen.cases import access
from liuhen.cases import services as case_services
from liuhen.cases.models import Case, Stage
from liuhen.common import text
from liuhen.ledger import services as ledger
from liuhen.ledger.core.canonical import content_sha256
from liuhen.ledger.subjects import plain
from liuhen.media import store

from . import content_checks, marks, rules, schema, sign_checks
from . import vocabulary as V
from .models import (
    Attachment, Outcome, Record, RecordType, RecordTypeVersion, RecordVersion, RecordVoid, RefusalConfirmation,
    Signature, SignerRole, Supplement, SupplementFile,
)
from .ledger_checks import keyed_sha256, mark_detail, record_header, signature_digest, supplement_file_detail
from .selectors import (
    CAPACITY_ROLES, INDEPENDENT_CAPACITIES, approved_in_case, involved, record_with_state, signing_role,
)

MAX_FILENAME = 200


def _log(action, actor, record: Record, version: RecordVersion | None = None, blobs=(), **detail):
    ledger.append(action, actor=actor, object_type=V.RECORD, object_id=record.pk,
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


def require_officer_certificate(actor) -> None:
    """A write as an officer — making, revising, attaching to, voiding a record, recording a party's
    signature, adding 补充材料 — needs a valid 执法证 (LC 10: officers act with their certificate)."""
    require_valid_certificate(actor)


def _editable(actor, record: Record):
    access.check_work(actor, record.case)
    require_officer_certificate(actor)
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
    require_officer_certificate(actor)
    if not record_type.active:
        raise ValidationError("该记录类型已停用。")
    if record_type.stage != case.stage:
        # A record is filed under the stage the case is in: a document of another stage would count
        # nowhere (too early) or rewrite a finished stage (too late).
        raise ValidationError(f"{record_type.name}属于{Stage(record_type.stage).label}阶段，"
                              f"案件当前处于{Stage(case.stage).label}阶段。")
    # The record pins the rule in force now: a later change of the type applies to later records.
    # Only a logged version is in force (catalog sync and admin log each one): a type row that
    # differs from it was changed behind the log's back, and making a record would turn that
    # change into a logged rule (issue 12 review §1). Refused; `liuhen verify` names the type.
    record_type = RecordType.objects.get(pk=record_type.pk)
    tv = RecordTypeVersion.objects.filter(record_type=record_type).order_by("-number").first()
    if tv is None or tv.fields != record_type.fields or tv.signature_rule != record_type.signature_rule:
        raise ValidationError(f"{record_type.name}的字段或签字要求与系统记载的版本不一致，暂不能制作该记录，"
                              "请联系系统管理员核查。")
    content = schema.validate_content(tv.fields, data)
    content_checks.check_content(case, record_type, content)  # the checks apps above add (avrules: AS 8)
    # …and the effective rule with the overrides of this case's kind and procedure (行政处罚法
    # art. 57: the 机关负责人 approves a general-procedure penalty): a later change of the overrides
    # does not reach back (issue 12 review §5).
    rule = rules.effective_rule(tv.signature_rule, case.kind, case.procedure, record_type.code, case=case).to_json()
    serial = (case.records.aggregate(m=Max("serial"))["m"] or 0) + 1
    record = Record.objects.create(case=case, record_type=record_type, type_version=tv, rule=rule,
                                   stage=case.stage, serial=serial, created_by=actor)
    record = Record.objects.select_related("record_type").get(pk=record.pk)  # times as stored
    version = RecordVersion.objects.get(pk=RecordVersion.objects.create(
        record=record, number=1, content=content, content_sha256=content_sha256(content), author=actor).pk)
    _log(V.CREATE, actor, record, version, **record_header(record), version_at=plain(version.created_at))
    return record


@transaction.atomic
def revise_record(actor, record: Record, data: dict, reason: str) -> RecordVersion:
    """Editing an unsigned record appends a new version; the reason is required."""
    record = _locked(record)
    st = _editable(actor, record)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("修改记录必须填写修改理由。")
    content = schema.validate_content(st.fields, data)
    content_checks.check_content(record.case, record.record_type, content, record=record)
    if content == st.latest.content:
        raise ValidationError("内容没有变化。")
    version = RecordVersion.objects.create(record=record, number=st.latest.number + 1, content=content,
                                           content_sha256=content_sha256(content), reason=reason[:500],
                                           author=actor)
    version = RecordVersion.objects.get(pk=version.pk)
    _log(V.VERSION, actor, record, version, reason=reason[:500], at=plain(version.created_at))
    return version


def clean_filename(name: str) -> str:
    """The display name of an upload. A name that tries a path is refused, not silently cut; a name
    with a character the common text check refuses (control characters, bidirectional overrides
    that show 合同\u202egpj.exe as 合同exe.jpg) is refused too (issue 12 review §8)."""
    name = unicodedata.normalize("NFC", name or "").strip()
    if not name:
        raise ValidationError("文件名不能为空。")
    if "/" in name or "\\" in name or name in (".", "..") or name.startswith("..") or "\x00" in name:
        raise ValidationError("文件名不能包含路径（/、\\ 或 ..）。")
    bad = text.bad_character(name, multiline=False)
    if bad:
        raise ValidationError(f"文件名第{bad[0]}个字符是不可见的控制字符（U+{ord(bad[1]):04X}），请改名后重试。")
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
    att = Attachment.objects.get(pk=att.pk)
    # The name may name a person (张三身份证.jpg): the event keeps its keyed hash (review §7).
    _log(V.ATTACH, actor, record, st.latest, blobs=[blob.sha256], attachment=att.pk,
         filename_sha256=keyed_sha256("filename", filename), content_type=att.content_type, size=blob.size,
         at=plain(att.uploaded_at))
    return att


def _signature(record, version, *, role, signer, signer_name, outcome, reason, recorded_by,
               decision="", opinion="", signer_role="", mark=None, mark_kind="") -> Signature:
    sig = Signature(record=record, version=version, role=role, signer=signer, signer_name=signer_name,
                    outcome=outcome, refusal_reason=reason, recorded_by=recorded_by, signed_at=timezone.now(),
                    decision=decision, opinion=opinion, signer_role=signer_role, mark=mark, mark_kind=mark_kind)
    sig.digest = signature_digest(sig, record.attachments.values_list("blob_id", flat=True))
    sig.save()
    return sig


def _log_signature(actor, record: Record, sig: Signature, **extra) -> None:
    """The event names the signature and carries its digest — never a party's or witness's name, a
    refusal reason or an opinion's text (the digest binds them; ledger_checks.signature_digest): the
    decision, the role signed as, and the keyed hash of the opinion (a short opinion's plain hash
    could be found by trying candidates: review §7), which whoever holds the row can check."""
    from .ledger_checks import SIGNATURE_DIGEST_SCHEME

    # A handwritten mark (签名笔迹): its blob in `blobs` (the ledger's blob checks cover the file),
    # its SHA-256 and kind in the detail — an image of a signature is personal data, its hash is not.
    _log(V.REFUSE if sig.outcome == Outcome.REFUSED else V.SIGN, actor, record, sig.version,
         blobs=[sig.mark_id] if sig.mark_id else (),
         signature=sig.pk, role=sig.role, digest=sig.digest, scheme=SIGNATURE_DIGEST_SCHEME,
         decision=sig.decision, signer_role=sig.signer_role, opinion_sha256=keyed_sha256("opinion", sig.opinion),
         **mark_detail(sig), **extra)


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
    if approved_in_case(actor, record.case):
        # Nobody approves their own case (issue 12 §2): who approved or reviewed anywhere in the
        # case does not sign its records as an officer.
        raise PermissionDenied("您已在本案中以负责人或法制审核人员身份签字，不能再以执法人员身份签字。")
    sign_checks.check_signing(actor, record, SignerRole.OFFICER)
    sig = _signature(record, st.latest, role=SignerRole.OFFICER, signer=actor, signer_name=actor.display_name,
                     outcome=Outcome.SIGNED, reason="", recorded_by=actor)
    _log_signature(actor, record, sig)
    return sig


MAX_OPINION = 2000


@transaction.atomic
def sign_in_capacity(actor, record: Record, capacity: str, *, decision: str = rules.AGREE,
                     opinion: str = "") -> Signature:
    """Sign as 负责人, 法制审核人员 or 档案管理员: people who see the case without working on it.

    They write their own part as they sign: the decision (同意 / 不同意 / 退回; for the 法制审核意见
    the conclusions of LW-L 15) and the opinion (意见), which is required for any decision but 同意.
    A record whose 负责人 says 不同意 or 退回 does not count (selectors.state_of); the officers
    void it and make it again.
    """
    record = _locked(record)
    st = _signable(actor, record)
    access.check_view_to_act(actor, record.case)
    if capacity not in CAPACITY_ROLES:
        raise ValidationError("签字身份无效。")
    capacity = SignerRole(capacity)
    if not actor.has_role(*CAPACITY_ROLES[capacity]):
        raise PermissionDenied(f"您不是{capacity.label}，不能以该身份签字。")
    rule = st.rule
    label = rule.capacity_label(capacity)
    if not rule.requires(capacity):
        raise ValidationError(f"该记录不需要{SignerRole(capacity).label}签字。")
    signer_role = signing_role(actor, record.case, rule, capacity)
    if signer_role is None:
        if capacity == SignerRole.LEADER and rule.leader == rules.LEADER_AGENCY and actor.has_role(
                *CAPACITY_ROLES[capacity]):
            basis = "".join(f"（{o.basis}）" for o in rules.overrides_for(
                record.case.kind, record.case.procedure, record.record_type.code, case=record.case))
            raise PermissionDenied(f"该记录须由机关负责人审批，承办机构负责人不能代为签批{basis}。")
        if capacity == SignerRole.LEADER and actor.has_role(*rule.roles_for(capacity)):
            # The 承办机构负责人 is the head of the unit handling the case (review §3).
            raise PermissionDenied("您不是本案承办机构的负责人，不能签批其他机构承办的案件。")
        raise PermissionDenied(f"您不是{label}，不能以该身份签字。")
    if capacity in INDEPENDENT_CAPACITIES and involved(actor, record.case):
        # Nobody approves or reviews their own case (issue 12 §2): not the officers, nor whoever
        # opened it, held a work grant on it or wrote in it (selectors.involved_cases).
        raise PermissionDenied(f"您是本案的承办人员或办理过本案（立案、制作记录等），不能在本案中以{SignerRole(capacity).label}身份签字。")
    signed_as = set(record.signatures.filter(signer=actor).values_list("role", flat=True))
    if capacity in signed_as:
        raise ValidationError("您已在该记录上签字。")
    if capacity == SignerRole.LEADER and SignerRole.OFFICER in signed_as:
        # A leader approves the officers' work: not their own.
        raise ValidationError("您已作为执法人员在该记录上签字，不能再以负责人身份签字。")
    refused = [s for s in st.refusals if s.role == capacity]
    if refused:
        raise ValidationError(f"该记录已被{refused[0].signer_name}{refused[0].decision}，请作废后重新制作。")
    sign_checks.check_signing(actor, record, capacity)
    decision = (decision or "").strip()
    choices = rule.decisions_for(capacity)
    if decision not in choices:
        raise ValidationError(f"请选择审批结论（{'、'.join(choices)}）。")
    # The opinion is signed text: the checks of every free text (review §8: no bidi override, no
    # control character but line breaks).
    opinion = text.clean(opinion or "", "意见", multiline=True, max_length=MAX_OPINION).strip()
    if decision != rules.AGREE and not opinion:
        raise ValidationError(f"选择“{decision}”必须写明理由（意见）。")
    if len(opinion) > MAX_OPINION:
        raise ValidationError(f"意见不能超过{MAX_OPINION}字。")
    sig = _signature(record, st.latest, role=capacity, signer=actor, signer_name=actor.display_name,
                     outcome=Outcome.SIGNED, reason="", recorded_by=actor, decision=decision, opinion=opinion,
                     signer_role=signer_role)
    _log_signature(actor, record, sig)
    return sig


def sign_as_leader(actor, record: Record, *, decision: str = rules.AGREE, opinion: str = "") -> Signature:
    return sign_in_capacity(actor, record, SignerRole.LEADER, decision=decision, opinion=opinion)


@transaction.atomic
def record_other_signature(actor, record: Record, *, role: str, signer_name: str, refused: bool = False,
                           reason: str = "", mark: bytes | None = None, mark_kind: str = "") -> Signature:
    """A party's or witness's signature taken in front of an officer, or their refusal to sign.

    LQ 17: a refusal is recorded with its reason; the recording officer is its first confirmation
    and it stands once a second officer confirms it.

    `mark`: the image of the handwritten signature (签名笔迹, issue 16 §5), `mark_kind` how it was
    taken (MarkKind: drawn on a tablet or phone, or a photo of the signed paper) — the bytes as
    received, validated (marks.check_mark) before anything is stored, kept unchanged, and bound to
    the signature by its digest (scheme 5). A refusal has no signature to show.
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
    sign_checks.check_signing(actor, record, role)
    mark_kind = (mark_kind or "").strip()
    if mark is not None or mark_kind:
        if refused:
            raise ValidationError("拒绝签字的记录不能附签名笔迹。")
        if mark is None:
            raise ValidationError("请签写签名或拍摄纸质签字照片。")
        marks.check_mark(mark, mark_kind)
    # Stored last, once everything else is accepted: a refused mark leaves no file and no Blob row.
    blob = store.put(io.BytesIO(mark), max_bytes=marks.MAX_MARK_BYTES) if mark is not None else None
    sig = _signature(record, st.latest, role=role, signer=None, signer_name=signer_name,
                     outcome=Outcome.REFUSED if refused else Outcome.SIGNED, reason=reason[:500],
                     recorded_by=actor, mark=blob, mark_kind=mark_kind if blob else "")
    extra = {}
    if refused:
        # The recording officer's confirmation: logged by the same event (its actor), see ledger_checks.
        conf = RefusalConfirmation.objects.create(signature=sig, officer=actor)
        extra["confirmed_at"] = plain(RefusalConfirmation.objects.get(pk=conf.pk).confirmed_at)
    _log_signature(actor, record, sig, **extra)
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
    conf = RefusalConfirmation.objects.get(pk=conf.pk)
    _log(V.REFUSAL_CONFIRM, actor, record, signature.version, signature=signature.pk, officer=actor.pk,
         at=plain(conf.confirmed_at))
    return conf


@transaction.atomic
def void_record(actor, record: Record, reason: str) -> RecordVoid:
    record = _locked(record)
    access.check_work(actor, record.case)
    require_officer_certificate(actor)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("作废记录必须填写理由。")
    if RecordVoid.objects.filter(record=record).exists():
        raise ValidationError("该记录已作废。")
    void = RecordVoid.objects.create(record=record, reason=reason[:500], actor=actor)
    void = RecordVoid.objects.get(pk=void.pk)
    _log(V.VOID, actor, record, None, reason=reason[:500], at=plain(void.voided_at))
    return void


MAX_SUPPLEMENT_FILES = 20


@transaction.atomic
def add_supplement(actor, record: Record, files, note: str = "") -> Supplement:
    """补充材料: files added to a signed record — a photo of the signed paper copy, a document that
    came later — with a note. An addition, logged with the files' hashes: the signed version, its
    attachments and its signatures' digests stay as they were (a signed record takes no attachment).

    `files`: (file object, filename, content type) for each file.
    """
    record = _locked(record)
    access.check_work(actor, record.case)
    require_officer_certificate(actor)
    st = record_with_state(record.pk)
    if st.voided:
        raise ValidationError("该记录已作废，不能补充材料。")
    if not st.locked:
        raise ValidationError("该记录尚未签字，请直接上传附件。")
    files = list(files)
    if not files:
        raise ValidationError("请选择要补充的文件。")
    if len(files) > MAX_SUPPLEMENT_FILES:
        raise ValidationError(f"一次最多补充{MAX_SUPPLEMENT_FILES}个文件。")
    note = text.clean(note or "", "说明", multiline=True, max_length=1000).strip()  # review §8
    named = [(fileobj, clean_filename(name), (ctype or "")[:100]) for fileobj, name, ctype in files]
    sup = Supplement.objects.create(record=record, note=note, added_by=actor)
    sup = Supplement.objects.get(pk=sup.pk)
    logged = []
    for fileobj, name, ctype in named:
        blob = store.put(fileobj)
        sf = SupplementFile.objects.create(supplement=sup, blob=blob, filename=name, content_type=ctype)
        sf = SupplementFile.objects.select_related("blob").get(pk=sf.pk)
        logged.append(supplement_file_detail(sf))
    # The note and the file names may name people: the event keeps their keyed hashes (review §7;
    # ledger_checks binds the rows to them).
    _log(V.SUPPLEMENT, actor, record, None, blobs=[f["sha256"] for f in logged], supplement=sup.pk,
         files=logged, note_keyed=keyed_sha256("note", note), at=plain(sup.added_at))
    return sup


def log_view(actor, record: Record) -> None:
    """A read of a record is traced as well (SPEC §4)."""
    if case_services.page_reads_logged():
        _log(V.VIEW, actor, record)


def log_download(actor, attachment: Attachment) -> None:
    _log(V.DOWNLOAD, actor, attachment.record, blobs=[attachment.blob_id], attachment=attachment.pk)


def log_mark_view(actor, sig: Signature) -> None:
    """A look at a signature's handwritten mark is a read of the record (SPEC §4), like a download."""
    _log(V.MARK_VIEW, actor, sig.record, blobs=[sig.mark_id], signature=sig.pk)


def log_supplement_download(actor, sf: SupplementFile) -> None:
    _log(V.DOWNLOAD, actor, sf.supplement.record, blobs=[sf.blob_id], supplement_file=sf.pk)
