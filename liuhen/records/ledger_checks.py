"""What `liuhen verify` asks of the records app: do the rows still say what the log says?

Every row of a record is bound to the event that wrote it:

- the header (case, type, stage, serial, creator, creation time, the pinned rule) to the detail of
  `record.create`;
- each version (content hash, author, reason, time) to `record.create` / `record.version`;
- each attachment (file, name, type, uploader, size, time) to `record.attach`, by the attachment's id;
- each signature or refusal, every field of it (opinion and decision included), through its digest,
  to `record.sign` / `record.refuse`, by the signature's id; its handwritten mark (签名笔迹: SHA-256
  and kind) to the event's detail and `blobs`, and the mark's stored bytes to their hash;
- each confirmation of a refusal (LQ 17), and its time, to `record.refuse` (the recording officer's)
  or `record.refusal_confirm`, by (signature, officer);
- the void (reason, actor, time) to `record.void`;
- each 补充材料 (note, author, time, and its files: name, type, size, content) to `record.supplement`.

Times are checked where the event carries them: events written before they did (issue 12) cover no
time, and a record made then has no pinned rule (it was made under its type's version 1).

Each record type (记录类型), whose schema decides what a record must contain and whose signature rule
decides who must sign, is held to the last state logged for it by the catalog sync or the admin
(RecordType.ledger_state_fields, the generic ledger.subjects.state_checker); each version of it that
records pin (RecordTypeVersion) to its `records.type_version` event.

Since issue 12's review the header also pins the effective rule (Record.rule), a capacity signature's
digest (scheme 4) covers the role its signer signed as, and file names, notes and opinions are logged
as keyed hashes (keyed_sha256); rows logged before keep their old event shape and are checked by it.

An event's actor is the author, uploader, recording officer or voiding officer: it is not repeated in
the detail. Personal data — a party's or witness's name, a refusal reason — is never written into an
event (leaves can never be erased and are exported to auditors): a signature event carries the
signature's id, role and digest only.
"""
from liuhen.common.crypto import blind_index
from liuhen.ledger.core.canonical import content_sha256
from liuhen.ledger.subjects import (
    Unreadable, finding, key_of, logged_rows, plain, state_checker, unlogged_ids, unreadable_finding,
)
from liuhen.media import store
from liuhen.media.checks import BlobChecks

from . import vocabulary as V
from .models import Outcome, Record, RecordType, RecordTypeVersion, SignerRole

# 3: the digest covers the signer's decision and opinion (issue 12). Signatures logged before carry
# no scheme in their event: they keep scheme 2, and must hold decision 同意 and no opinion (the
# values migration 0004 gave them), which their digest does not cover.
# 4: it covers the role the signer signed as (Signature.signer_role), and the event's opinion hash
# is keyed (keyed_sha256). Signatures of schemes 2 and 3 must have no signer_role (migration 0005).
# 5: it covers the handwritten mark (签名笔迹, issue 16 §5): the SHA-256 of the stored image and its
# kind (canvas / photo); the event carries the blob in `blobs` and the SHA-256 and kind in its
# detail. Signatures of schemes 2-4 must have no mark (migration 0007 gave them none).
SIGNATURE_DIGEST_SCHEME = 5
LEGACY_DECISION = "同意"

# The record header as `record.create` logs it, and the words a finding uses for each part. A
# header logged before issue 12 has no creation time and no pinned rule (HEADER_SINCE_12).
HEADER_LABELS = {"case": "所属案件", "type": "记录类型", "stage": "阶段", "serial": "案内序号", "created_by": "制作人",
                 "created_at": "创建时间", "type_version": "适用的签字要求版本", "rule": "适用的签字要求"}
HEADER_SINCE_12 = ("created_at", "type_version")
# Keys a header logs only since a later change, and the value a record made before it holds: the
# effective rule pinned on the record (issue 12 review §5; migration 0005).
HEADER_LATER = {"rule": None}


def record_header(record: Record) -> dict:
    return {"case": record.case_id, "type": record.record_type.code, "stage": record.stage,
            "serial": record.serial, "created_by": record.created_by_id, "created_at": plain(record.created_at),
            "type_version": record.type_version_id, "rule": record.rule}


def keyed_sha256(kind: str, value: str) -> str:
    """A hash of a short free text (an opinion, a note, a file name — which may name a person:
    张三身份证.jpg) that the log can carry: keyed with the blind-index key like the signature
    digest's pepper, so that it cannot be found again by hashing candidate texts (issue 12 review §7).
    Whoever holds the row recomputes it; the log alone does not reveal it."""
    return content_sha256({kind: value, "pepper": blind_index(f"{kind} {value}")})


def type_version_digest(tv) -> str:
    """The digest of a RecordTypeVersion row as stored: what `records.type_version` logs."""
    return content_sha256({"type": tv.record_type.code, "number": tv.number, "fields": tv.fields,
                           "signature_rule": tv.signature_rule, "created_at": plain(tv.created_at)})


def signature_digest(sig, attachments, scheme: int = SIGNATURE_DIGEST_SCHEME) -> str:
    """The digest that binds a signature row — every field of it — to the exact content signed.

    `sig` is a Signature (saved or not); `attachments` the SHA-256 of the files on the record when
    it was signed (a signed record takes no more). A user signer is bound by id, never by username:
    renaming a login changes no signature. The payload also holds a pepper keyed with the
    blind-index key: the digest is in the log, and without it a party's short name could be found
    again by hashing candidate names with the other (logged) fields.
    """
    at = sig.signed_at.isoformat(timespec="microseconds")
    payload = {
        "scheme": scheme,
        "record": sig.record_id, "version": sig.version.number, "content_sha256": sig.version.content_sha256,
        "attachments": sorted(attachments), "role": sig.role, "signer_id": sig.signer_id,
        "signer_name": sig.signer_name, "outcome": sig.outcome, "refusal_reason": sig.refusal_reason,
        "recorded_by": sig.recorded_by_id, "at": at,
        "pepper": blind_index(f"signature {sig.record_id} {at}"),
    }
    if scheme >= 3:
        payload.update(decision=sig.decision, opinion=sig.opinion)
    if scheme >= 4:
        payload.update(signer_role=sig.signer_role)
    if scheme >= 5:
        payload.update(mark_sha256=sig.mark_id or "", mark_kind=sig.mark_kind)
    return content_sha256(payload)


check_record_types = state_checker(RecordType)


def check_type_versions(events: dict[str, list]) -> list[dict]:
    """Each RecordTypeVersion — the fields and rule a record pins — against its one event."""
    out = []
    qs = RecordTypeVersion.objects.select_related("record_type")
    for oid, tv, evs in logged_rows(qs, events):
        obj = f"{V.TYPE_VERSION_OBJECT}:{oid}"
        writes = [ev for ev in evs if ev[2]["action"] == V.TYPE_VERSION]
        ev = writes[0] if writes else evs[0]
        if isinstance(tv, Unreadable):
            out.append(unreadable_finding(V.TYPE_VERSION_OBJECT, tv, "记录类型版本", ev))
        elif tv is None:
            out.append(finding("deleted", "记录类型版本已不存在，而日志记载了它", obj, ev, code=V.E031))
        elif type_version_digest(tv) != ev[2].get("content_sha256"):
            out.append(finding("altered", f"{tv.record_type.name}第{tv.number}版的字段或签字要求被修改，与日志记载不符",
                               obj, ev, code=V.E030))
    for oid in unlogged_ids(RecordTypeVersion, events):
        out.append(finding("inserted", "记录类型版本没有对应的日志条目", f"{V.TYPE_VERSION_OBJECT}:{oid}", code=V.E032))
    return out


def _actor(ev) -> int | None:
    return (ev[2].get("actor") or {}).get("id")


def _detail(ev) -> dict:
    return ev[2].get("detail") or {}


_ROLES = frozenset(SignerRole.values)


def _role_label(role: str) -> str:
    return SignerRole(role).label if role in _ROLES else role


def check(events: dict[str, list]) -> list[dict]:
    out = []
    blob_checks = BlobChecks("附件、补充材料或签名笔迹", "record")
    records = Record.objects.select_related("record_type", "void")
    for rid, record, evs in logged_rows(records, events, prepare=_load_parts):
        obj = f"record:{rid}"
        if isinstance(record, Unreadable):
            out.append(unreadable_finding(V.RECORD, record, "记录", evs[0]))
            continue
        if record is None:
            out.append(finding("deleted", "记录已不存在，而日志记载了它", obj, evs[0], code=V.E001))
            continue
        for part in (_check_header, _check_versions, _check_attachments, _check_signatures,
                     _check_confirmations, _check_void, _check_supplements):
            out.extend(part(obj, record, evs, blob_checks) if part in _BLOB_PARTS else part(obj, record, evs))
    for rid in unlogged_ids(Record, events):
        out.append(finding("inserted", "记录没有任何日志条目", f"record:{rid}", code=V.E002))
    out.extend(blob_checks.findings())  # the store unreachable: said once, the rest checked all the same
    from .summary import findings as summary_findings

    out.extend(summary_findings())  # what the findings scan reads in place of the signatures
    return out


class _Parts:
    """A record's rows that the checks read, loaded for a chunk of records at once."""

    __slots__ = ("versions", "attachments", "signatures", "confirmations", "supplements")

    def __init__(self):
        self.versions, self.attachments, self.signatures, self.confirmations = {}, {}, {}, {}
        self.supplements = {}


def _load_parts(records) -> None:
    """One query per kind of row for a chunk of records (not Django's prefetch_related, whose
    per-instance querysets cost three quarters of the check at 10^4 records, measured by
    bench/verify.py); each signature gets its version from the record's own versions."""
    from .models import Attachment, RecordVersion, RefusalConfirmation, Signature, Supplement, SupplementFile

    parts = {r.pk: _Parts() for r in records}
    ids = list(parts)
    versions = {}
    for v in RecordVersion.objects.filter(record_id__in=ids):
        parts[v.record_id].versions[v.number] = versions[v.pk] = v
    for a in Attachment.objects.filter(record_id__in=ids).select_related("blob"):
        parts[a.record_id].attachments[a.pk] = a
    for sig in Signature.objects.filter(record_id__in=ids):
        if sig.version_id in versions:
            sig.version = versions[sig.version_id]
        parts[sig.record_id].signatures[sig.pk] = sig
    for record_id, sig_id, officer_id, at in RefusalConfirmation.objects.filter(signature__record_id__in=ids) \
            .values_list("signature__record_id", "signature_id", "officer_id", "confirmed_at"):
        parts[record_id].confirmations[(sig_id, officer_id)] = at
    sups = {}
    for sup in Supplement.objects.filter(record_id__in=ids):
        sup.file_rows = []
        parts[sup.record_id].supplements[sup.pk] = sups[sup.pk] = sup
    for sf in SupplementFile.objects.filter(supplement_id__in=list(sups)).select_related("blob").order_by("pk"):
        sups[sf.supplement_id].file_rows.append(sf)
    for r in records:
        r.parts = parts[r.pk]


def _check_header(obj, record, evs) -> list[dict]:
    """Moving a record to another case, or changing its type, stage, serial or creator."""
    creates = [ev for ev in evs if ev[2]["action"] == V.CREATE]
    if not creates:
        return []  # its version 1 is then reported as having no entry
    ev = creates[0]  # the first claim wins: a later one is an attempt to cover a rewrite
    logged, now = _detail(ev), record_header(record)
    since_12 = "created_at" in logged  # logged before issue 12: no time, no pinned rule (version 1)
    changed = [label for key, label in HEADER_LABELS.items()
               if (now[key] != HEADER_LATER[key] if key in HEADER_LATER and key not in logged
                   else logged.get(key) != now[key] if since_12 or key not in HEADER_SINCE_12
                   else key == "type_version" and now[key] is not None)]
    if changed:
        return [finding("altered", f"记录的{'、'.join(changed)}被修改，与创建时日志的记载不符", obj, ev, code=V.E003)]
    return []


def _check_versions(obj, record, evs) -> list[dict]:
    out = []
    versions = record.parts.versions
    claimed = {}
    for ev in evs:
        e = ev[2]
        if e["action"] in (V.CREATE, V.VERSION):
            n = e["object"]["version"]
            if n in claimed:
                # A version is written once: a second claim is an attempt to cover a rewrite.
                out.append(finding("altered", f"第{n}版在日志中出现了第二次，与首次记载冲突", f"{obj} v{n}", ev,
                                   code=V.E004))
                continue
            claimed[n] = ev
    for n, ev in claimed.items():
        v = versions.get(n)
        sha = ev[2]["content_sha256"]
        d = _detail(ev)
        reason = d.get("reason", "") if ev[2]["action"] == V.VERSION else ""
        at = d.get("at" if ev[2]["action"] == V.VERSION else "version_at")
        if v is None:
            out.append(finding("deleted", f"第{n}版已不存在", f"{obj} v{n}", ev, code=V.E005))
            continue
        if content_sha256(v.content) != sha or v.content_sha256 != sha:
            out.append(finding("altered", f"第{n}版内容被修改，与日志记载的摘要不符", f"{obj} v{n}", ev, code=V.E006))
        if v.author_id != _actor(ev) or v.reason != reason or (at is not None and plain(v.created_at) != at):
            out.append(finding("altered", f"第{n}版的作者、修改理由或时间被修改，与日志记载不符", f"{obj} v{n}", ev,
                               code=V.E007))
    for n in versions.keys() - claimed.keys():
        out.append(finding("inserted", f"第{n}版没有对应的日志条目", f"{obj} v{n}", evs[-1], code=V.E008))
    return out


def _check_attachments(obj, record, evs, blob_checks: BlobChecks) -> list[dict]:
    out = []
    rows = record.parts.attachments
    claimed = set()
    for ev in evs:
        if ev[2]["action"] != V.ATTACH:
            continue
        d, blobs = _detail(ev), ev[2].get("blobs") or []
        pk = key_of(d.get("attachment"))
        sha = blobs[0][:12] if blobs else "?"
        if pk in claimed:
            out.append(finding("altered", f"附件 #{pk} 在日志中出现了第二次，与首次记载冲突", f"{obj} attachment:{pk}", ev,
                               code=V.E009))
            continue
        claimed.add(pk)
        a = rows.get(pk)
        if a is None:
            out.append(finding("deleted", f"附件（SHA-256 {sha}…）已不存在", obj, ev, code=V.E010))
            continue
        # Since issue 12's review the event keeps a keyed hash of the name, not the name.
        name_ok = (a.filename == d.get("filename") if "filename_sha256" not in d
                   else keyed_sha256("filename", a.filename) == d["filename_sha256"])
        changed = [label for label, same in (
            ("文件", a.blob_id in blobs), ("文件名", name_ok),
            ("文件类型", a.content_type == d.get("content_type")), ("上传人", a.uploaded_by_id == _actor(ev)),
            ("文件大小", "size" not in d or a.blob.size == d.get("size")),
            ("上传时间", "at" not in d or plain(a.uploaded_at) == d.get("at")),
        ) if not same]
        if changed:
            out.append(finding("altered", f"附件 #{a.pk} 的{'、'.join(changed)}被修改，与日志记载不符",
                               f"{obj} attachment:{a.pk}", ev, code=V.E011))
        elif blob_checks.intact(a.blob_id) is False:
            out.append(finding("altered", f"附件“{a.filename}”的文件被修改或丢失（SHA-256 {a.blob_id[:12]}…）",
                               f"{obj} attachment:{a.pk}", ev, code=V.E012))
    for pk in rows.keys() - claimed:
        out.append(finding("inserted", f"附件“{rows[pk].filename}”没有对应的日志条目", f"{obj} attachment:{pk}",
                           code=V.E013))
    return out


def mark_detail(sig) -> dict:
    """What a sign event logs of a signature's handwritten mark (nothing when it has none)."""
    return {"mark_sha256": sig.mark_id, "mark_kind": sig.mark_kind} if sig.mark_id else {}


def _check_signatures(obj, record, evs, blob_checks: BlobChecks) -> list[dict]:
    out = []
    logged = {}
    for ev in evs:
        if ev[2]["action"] not in (V.SIGN, V.REFUSE):
            continue
        pk = key_of(_detail(ev).get("signature"))
        if pk in logged:
            out.append(finding("altered", f"签字 #{pk} 在日志中出现了第二次，与首次记载冲突", f"{obj} signature:{pk}", ev,
                               code=V.E014))
            continue
        logged[pk] = ev
    blobs = [a.blob_id for a in record.parts.attachments.values()]
    sigs = record.parts.signatures
    for s in sigs.values():
        what = f"{_role_label(s.role)}{'拒签' if s.outcome == Outcome.REFUSED else '签字'}"
        ev = logged.get(s.pk)
        if ev is None:
            out.append(finding("inserted", f"{what}没有对应的日志条目", f"{obj} signature:{s.pk}", code=V.E015))
            continue
        d = _detail(ev)
        outcome = Outcome.REFUSED if ev[2]["action"] == V.REFUSE else Outcome.SIGNED
        scheme = d.get("scheme", 2)  # an event written before issue 12 names no scheme
        legacy_ok = (scheme != 2 or (s.decision == LEGACY_DECISION and s.opinion == "")) and (
            scheme >= 4 or s.signer_role == "")  # before scheme 4 no role was stored (migration 0005)
        decision_ok = scheme == 2 or d.get("decision") == s.decision
        if scheme >= 4 and d.get("opinion_sha256") != keyed_sha256("opinion", s.opinion):
            decision_ok = False
        # The mark (scheme 5): the row's, the event's detail and its blobs say the same; before
        # scheme 5 a signature has none (its digest would not cover one written in later).
        if isinstance(scheme, int) and scheme >= 5:
            mark_ok = ({k: d[k] for k in ("mark_sha256", "mark_kind") if k in d} == mark_detail(s)
                       and (not s.mark_id or s.mark_id in (ev[2].get("blobs") or [])))
        else:
            mark_ok = not s.mark_id and s.mark_kind == ""
        if (not isinstance(scheme, int) or signature_digest(s, blobs, scheme) != d.get("digest")
                or s.digest != d.get("digest") or s.outcome != outcome or not legacy_ok or not decision_ok
                or not mark_ok):
            out.append(finding("altered", f"{what}被修改，与日志记载的签字摘要不符", f"{obj} signature:{s.pk}", ev,
                               code=V.E016))
        elif s.mark_id and blob_checks.intact(s.mark_id) is False:
            out.append(finding("altered", f"{what}的签名笔迹文件被修改或丢失（SHA-256 {s.mark_id[:12]}…）",
                               f"{obj} signature:{s.pk}", ev, code=V.E034))
    for pk, ev in logged.items():
        if pk not in sigs:
            out.append(finding("deleted", "签字已不存在", obj, ev, code=V.E017))
    return out


def _check_confirmations(obj, record, evs) -> list[dict]:
    """LQ 17: a refusal stands with two confirmations, so an inserted one is as serious as an
    altered signature. The recording officer's is logged by `record.refuse`, others by
    `record.refusal_confirm` (signature and officer in its detail)."""
    out = []
    claims = {}
    for ev in evs:
        action, d = ev[2]["action"], _detail(ev)
        if action == V.REFUSE:
            key, at = (key_of(d.get("signature")), _actor(ev)), d.get("confirmed_at")
        elif action == V.REFUSAL_CONFIRM:
            key, at = (key_of(d.get("signature")), key_of(d.get("officer"))), d.get("at")
        else:
            continue
        claims.setdefault(key, (ev, at))
    rows = record.parts.confirmations
    for sig, officer in sorted(rows.keys() - claims.keys()):
        out.append(finding("inserted", f"拒签确认（执法人员 #{officer}）没有对应的日志条目", f"{obj} signature:{sig}",
                           code=V.E018))
    for (sig, officer), (ev, at) in claims.items():
        if (sig, officer) not in rows:
            out.append(finding("deleted", f"拒签确认（执法人员 #{officer}）已不存在", f"{obj} signature:{sig}", ev,
                               code=V.E019))
        elif at is not None and plain(rows[(sig, officer)]) != at:
            out.append(finding("altered", f"拒签确认（执法人员 #{officer}）的时间被修改，与日志记载不符",
                               f"{obj} signature:{sig}", ev, code=V.E024))
    return out


def _check_void(obj, record, evs) -> list[dict]:
    void_evs = [ev for ev in evs if ev[2]["action"] == V.VOID]
    voided = hasattr(record, "void")  # reverse one-to-one: False when there is no RecordVoid
    if void_evs and not voided:
        return [finding("deleted", "作废记录已不存在", obj, void_evs[0], code=V.E020)]
    if voided and not void_evs:
        return [finding("inserted", "作废没有对应的日志条目", obj, code=V.E021)]
    if voided:
        ev, void = void_evs[0], record.void
        d = _detail(ev)
        if (void.reason != d.get("reason") or void.actor_id != _actor(ev)
                or ("at" in d and plain(void.voided_at) != d["at"])):
            return [finding("altered", "作废理由、作废人或作废时间被修改，与日志记载不符", f"{obj} void", ev, code=V.E022)]
    return []


def _check_supplements(obj, record, evs, blob_checks: BlobChecks) -> list[dict]:
    """补充材料: each (note, author, time, files) against its `record.supplement` event."""
    out = []
    rows = record.parts.supplements
    claimed = set()
    for ev in evs:
        if ev[2]["action"] != V.SUPPLEMENT:
            continue
        d = _detail(ev)
        pk = key_of(d.get("supplement"))
        where = f"{obj} supplement:{pk}"
        if pk in claimed:
            out.append(finding("altered", f"补充材料 #{pk} 在日志中出现了第二次，与首次记载冲突", where, ev, code=V.E025))
            continue
        claimed.add(pk)
        sup = rows.get(pk)
        if sup is None:
            out.append(finding("deleted", f"补充材料 #{pk} 已不存在", obj, ev, code=V.E026))
            continue
        files = [supplement_file_detail(sf, keyed="note_keyed" in d) for sf in sup.file_rows]
        # Since issue 12's review the note and the file names are logged as keyed hashes.
        note_ok = (keyed_sha256("note", sup.note) == d["note_keyed"] if "note_keyed" in d
                   else content_sha256({"note": sup.note}) == d.get("note_sha256"))
        changed = [label for label, same in (
            ("说明", note_ok),
            ("文件", files == d.get("files") and sorted({f["sha256"] for f in files}) == sorted(ev[2].get("blobs") or [])),
            ("补充人", sup.added_by_id == _actor(ev)), ("补充时间", plain(sup.added_at) == d.get("at")),
        ) if not same]
        if changed:
            out.append(finding("altered", f"补充材料 #{pk} 的{'、'.join(changed)}被修改，与日志记载不符", where, ev,
                               code=V.E027))
            continue
        for sf in sup.file_rows:
            if blob_checks.intact(sf.blob_id) is False:
                out.append(finding("altered", f"补充材料“{sf.filename}”的文件被修改或丢失（SHA-256 {sf.blob_id[:12]}…）",
                                   where, ev, code=V.E028))
    for pk in rows.keys() - claimed:
        out.append(finding("inserted", f"补充材料 #{pk} 没有对应的日志条目", f"{obj} supplement:{pk}", code=V.E029))
    return out


_BLOB_PARTS = (_check_attachments, _check_signatures, _check_supplements)  # these read stored files (BlobChecks)


def supplement_file_detail(sf, *, keyed: bool = True) -> dict:
    """What `record.supplement` logs of one file (before issue 12's review: the name in clear)."""
    name = {"filename_sha256": keyed_sha256("filename", sf.filename)} if keyed else {"filename": sf.filename}
    return {"file": sf.pk, "sha256": sf.blob_id, **name, "content_type": sf.content_type, "size": sf.blob.size}


def export_content(content_dir, blob_dir) -> tuple[int, int]:
    """Every record version's content and every attached file, for an offline bundle."""
    import shutil

    from liuhen.ledger.core.canonical import canonical_bytes

    from .models import Attachment, RecordVersion, Signature, SupplementFile

    files = 0
    for rid, number, content in RecordVersion.objects.values_list("record_id", "number", "content").iterator():
        (content_dir / f"record-{rid}-v{number}.json").write_bytes(canonical_bytes(content))
        files += 1
    from liuhen.ledger.exports import report_missing

    copied = 0
    blobs = set(Attachment.objects.values_list("blob_id", flat=True))
    blobs |= set(SupplementFile.objects.values_list("blob_id", flat=True))
    blobs |= set(Signature.objects.exclude(mark=None).values_list("mark_id", flat=True))  # 签名笔迹
    for sha in sorted(blobs):
        try:  # through the store: local disk or S3 alike
            with store.open_blob(sha) as src, open(blob_dir / sha, "wb") as out:
                shutil.copyfileobj(src, out, store.CHUNK)
        except OSError as exc:  # a file gone from the store: named, and the export goes on
            (blob_dir / sha).unlink(missing_ok=True)  # no half-copied file in the bundle
            report_missing(f"blobs/{sha}", f"附件文件无法读取（{exc.strerror or exc}）")
            continue
        copied += 1
    return files, copied
