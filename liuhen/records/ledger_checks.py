"""What `liuhen verify` asks of the records app: do the rows still say what the log says?

Every row of a record is bound to the event that wrote it:

- the header (case, type, stage, serial, creator) to the detail of `record.create`;
- each version (content hash, author, reason) to `record.create` / `record.version`;
- each attachment (file, name, type, uploader) to `record.attach`, by the attachment's id;
- each signature or refusal, every field of it, through its digest, to `record.sign` /
  `record.refuse`, by the signature's id;
- each confirmation of a refusal (LQ 17) to `record.refuse` (the recording officer's) or
  `record.refusal_confirm`, by (signature, officer);
- the void (reason, actor) to `record.void`.

Each record type (记录类型), whose schema decides what a record must contain and whose signature rule
decides who must sign, is held to the last state logged for it by the catalog sync or the admin
(RecordType.ledger_state_fields, the generic ledger.subjects.state_checker).

An event's actor is the author, uploader, recording officer or voiding officer: it is not repeated in
the detail. Personal data — a party's or witness's name, a refusal reason — is never written into an
event (leaves can never be erased and are exported to auditors): a signature event carries the
signature's id, role and digest only.
"""
from liuhen.common.crypto import blind_index
from liuhen.ledger.core.canonical import content_sha256
from liuhen.ledger.subjects import finding, key_of, logged_rows, state_checker, unlogged_ids
from liuhen.media import store

from .models import Outcome, Record, RecordType, SignerRole

SIGNATURE_DIGEST_SCHEME = 2

# The record header as `record.create` logs it, and the words a finding uses for each part.
HEADER_LABELS = {"case": "所属案件", "type": "记录类型", "stage": "阶段", "serial": "案内序号", "created_by": "制作人"}


def record_header(record: Record) -> dict:
    return {"case": record.case_id, "type": record.record_type.code, "stage": record.stage,
            "serial": record.serial, "created_by": record.created_by_id}


def signature_digest(sig, attachments) -> str:
    """The digest that binds a signature row — every field of it — to the exact content signed.

    `sig` is a Signature (saved or not); `attachments` the SHA-256 of the files on the record when
    it was signed (a signed record takes no more). A user signer is bound by id, never by username:
    renaming a login changes no signature. The payload also holds a pepper keyed with the
    blind-index key: the digest is in the log, and without it a party's short name could be found
    again by hashing candidate names with the other (logged) fields.
    """
    at = sig.signed_at.isoformat(timespec="microseconds")
    return content_sha256({
        "scheme": SIGNATURE_DIGEST_SCHEME,
        "record": sig.record_id, "version": sig.version.number, "content_sha256": sig.version.content_sha256,
        "attachments": sorted(attachments), "role": sig.role, "signer_id": sig.signer_id,
        "signer_name": sig.signer_name, "outcome": sig.outcome, "refusal_reason": sig.refusal_reason,
        "recorded_by": sig.recorded_by_id, "at": at,
        "pepper": blind_index(f"signature {sig.record_id} {at}"),
    })


check_record_types = state_checker(RecordType)


def _actor(ev) -> int | None:
    return (ev[2].get("actor") or {}).get("id")


def _detail(ev) -> dict:
    return ev[2].get("detail") or {}


_ROLES = frozenset(SignerRole.values)


def _role_label(role: str) -> str:
    return SignerRole(role).label if role in _ROLES else role


def check(events: dict[str, list]) -> list[dict]:
    out = []
    records = Record.objects.select_related("record_type", "void")
    for rid, record, evs in logged_rows(records, events, prepare=_load_parts):
        obj = f"record:{rid}"
        if record is None:
            out.append(finding("deleted", "记录已不存在，而日志记载了它", obj, evs[0]))
            continue
        for part in (_check_header, _check_versions, _check_attachments, _check_signatures,
                     _check_confirmations, _check_void):
            out.extend(part(obj, record, evs))
    for rid in unlogged_ids(Record, events):
        out.append(finding("inserted", "记录没有任何日志条目", f"record:{rid}"))
    return out


class _Parts:
    """A record's rows that the checks read, loaded for a chunk of records at once."""

    __slots__ = ("versions", "attachments", "signatures", "confirmations")

    def __init__(self):
        self.versions, self.attachments, self.signatures, self.confirmations = {}, {}, {}, set()


def _load_parts(records) -> None:
    """One query per kind of row for a chunk of records (not Django's prefetch_related, whose
    per-instance querysets cost three quarters of the check at 10^4 records, measured by
    bench/verify.py); each signature gets its version from the record's own versions."""
    from .models import Attachment, RecordVersion, RefusalConfirmation, Signature

    parts = {r.pk: _Parts() for r in records}
    ids = list(parts)
    versions = {}
    for v in RecordVersion.objects.filter(record_id__in=ids):
        parts[v.record_id].versions[v.number] = versions[v.pk] = v
    for a in Attachment.objects.filter(record_id__in=ids):
        parts[a.record_id].attachments[a.pk] = a
    for sig in Signature.objects.filter(record_id__in=ids):
        if sig.version_id in versions:
            sig.version = versions[sig.version_id]
        parts[sig.record_id].signatures[sig.pk] = sig
    for record_id, sig_id, officer_id in RefusalConfirmation.objects.filter(signature__record_id__in=ids) \
            .values_list("signature__record_id", "signature_id", "officer_id"):
        parts[record_id].confirmations.add((sig_id, officer_id))
    for r in records:
        r.parts = parts[r.pk]


def _check_header(obj, record, evs) -> list[dict]:
    """Moving a record to another case, or changing its type, stage, serial or creator."""
    creates = [ev for ev in evs if ev[2]["action"] == "record.create"]
    if not creates:
        return []  # its version 1 is then reported as having no entry
    ev = creates[0]  # the first claim wins: a later one is an attempt to cover a rewrite
    logged, now = _detail(ev), record_header(record)
    changed = [label for key, label in HEADER_LABELS.items() if logged.get(key) != now[key]]
    if changed:
        return [finding("altered", f"记录的{'、'.join(changed)}被修改，与创建时日志的记载不符", obj, ev)]
    return []


def _check_versions(obj, record, evs) -> list[dict]:
    out = []
    versions = record.parts.versions
    claimed = {}
    for ev in evs:
        e = ev[2]
        if e["action"] in ("record.create", "record.version"):
            n = e["object"]["version"]
            if n in claimed:
                # A version is written once: a second claim is an attempt to cover a rewrite.
                out.append(finding("altered", f"第{n}版在日志中出现了第二次，与首次记载冲突", f"{obj} v{n}", ev))
                continue
            claimed[n] = ev
    for n, ev in claimed.items():
        v = versions.get(n)
        sha = ev[2]["content_sha256"]
        reason = _detail(ev).get("reason", "") if ev[2]["action"] == "record.version" else ""
        if v is None:
            out.append(finding("deleted", f"第{n}版已不存在", f"{obj} v{n}", ev))
            continue
        if content_sha256(v.content) != sha or v.content_sha256 != sha:
            out.append(finding("altered", f"第{n}版内容被修改，与日志记载的摘要不符", f"{obj} v{n}", ev))
        if v.author_id != _actor(ev) or v.reason != reason:
            out.append(finding("altered", f"第{n}版的作者或修改理由被修改，与日志记载不符", f"{obj} v{n}", ev))
    for n in versions.keys() - claimed.keys():
        out.append(finding("inserted", f"第{n}版没有对应的日志条目", f"{obj} v{n}", evs[-1]))
    return out


def _check_attachments(obj, record, evs) -> list[dict]:
    out = []
    rows = record.parts.attachments
    claimed = set()
    for ev in evs:
        if ev[2]["action"] != "record.attach":
            continue
        d, blobs = _detail(ev), ev[2].get("blobs") or []
        pk = key_of(d.get("attachment"))
        sha = blobs[0][:12] if blobs else "?"
        if pk in claimed:
            out.append(finding("altered", f"附件 #{pk} 在日志中出现了第二次，与首次记载冲突", f"{obj} attachment:{pk}", ev))
            continue
        claimed.add(pk)
        a = rows.get(pk)
        if a is None:
            out.append(finding("deleted", f"附件（SHA-256 {sha}…）已不存在", obj, ev))
            continue
        changed = [label for label, same in (
            ("文件", a.blob_id in blobs), ("文件名", a.filename == d.get("filename")),
            ("文件类型", a.content_type == d.get("content_type")), ("上传人", a.uploaded_by_id == _actor(ev)),
        ) if not same]
        if changed:
            out.append(finding("altered", f"附件 #{a.pk} 的{'、'.join(changed)}被修改，与日志记载不符",
                               f"{obj} attachment:{a.pk}", ev))
        elif not store.verify(a.blob_id):
            out.append(finding("altered", f"附件“{a.filename}”的文件被修改或丢失（SHA-256 {a.blob_id[:12]}…）",
                               f"{obj} attachment:{a.pk}", ev))
    for pk in rows.keys() - claimed:
        out.append(finding("inserted", f"附件“{rows[pk].filename}”没有对应的日志条目", f"{obj} attachment:{pk}"))
    return out


def _check_signatures(obj, record, evs) -> list[dict]:
    out = []
    logged = {}
    for ev in evs:
        if ev[2]["action"] not in ("record.sign", "record.refuse"):
            continue
        pk = key_of(_detail(ev).get("signature"))
        if pk in logged:
            out.append(finding("altered", f"签字 #{pk} 在日志中出现了第二次，与首次记载冲突", f"{obj} signature:{pk}", ev))
            continue
        logged[pk] = ev
    blobs = [a.blob_id for a in record.parts.attachments.values()]
    sigs = record.parts.signatures
    for s in sigs.values():
        what = f"{_role_label(s.role)}{'拒签' if s.outcome == Outcome.REFUSED else '签字'}"
        ev = logged.get(s.pk)
        if ev is None:
            out.append(finding("inserted", f"{what}没有对应的日志条目", f"{obj} signature:{s.pk}"))
            continue
        d = _detail(ev)
        outcome = Outcome.REFUSED if ev[2]["action"] == "record.refuse" else Outcome.SIGNED
        if signature_digest(s, blobs) != d.get("digest") or s.digest != d.get("digest") or s.outcome != outcome:
            out.append(finding("altered", f"{what}被修改，与日志记载的签字摘要不符", f"{obj} signature:{s.pk}", ev))
    for pk, ev in logged.items():
        if pk not in sigs:
            out.append(finding("deleted", "签字已不存在", obj, ev))
    return out


def _check_confirmations(obj, record, evs) -> list[dict]:
    """LQ 17: a refusal stands with two confirmations, so an inserted one is as serious as an
    altered signature. The recording officer's is logged by `record.refuse`, others by
    `record.refusal_confirm` (signature and officer in its detail)."""
    out = []
    claims = {}
    for ev in evs:
        action, d = ev[2]["action"], _detail(ev)
        if action == "record.refuse":
            key = (key_of(d.get("signature")), _actor(ev))
        elif action == "record.refusal_confirm":
            key = (key_of(d.get("signature")), key_of(d.get("officer")))
        else:
            continue
        claims.setdefault(key, ev)
    rows = record.parts.confirmations
    for sig, officer in sorted(rows - claims.keys()):
        out.append(finding("inserted", f"拒签确认（执法人员 #{officer}）没有对应的日志条目", f"{obj} signature:{sig}"))
    for (sig, officer), ev in claims.items():
        if (sig, officer) not in rows:
            out.append(finding("deleted", f"拒签确认（执法人员 #{officer}）已不存在", f"{obj} signature:{sig}", ev))
    return out


def _check_void(obj, record, evs) -> list[dict]:
    void_evs = [ev for ev in evs if ev[2]["action"] == "record.void"]
    voided = hasattr(record, "void")  # reverse one-to-one: False when there is no RecordVoid
    if void_evs and not voided:
        return [finding("deleted", "作废记录已不存在", obj, void_evs[0])]
    if voided and not void_evs:
        return [finding("inserted", "作废没有对应的日志条目", obj)]
    if voided:
        ev, void = void_evs[0], record.void
        if void.reason != _detail(ev).get("reason") or void.actor_id != _actor(ev):
            return [finding("altered", "作废理由或作废人被修改，与日志记载不符", f"{obj} void", ev)]
    return []


def export_content(content_dir, blob_dir) -> tuple[int, int]:
    """Every record version's content and every attached file, for an offline bundle."""
    import shutil

    from liuhen.ledger.core.canonical import canonical_bytes

    from .models import Attachment, RecordVersion

    files = 0
    for rid, number, content in RecordVersion.objects.values_list("record_id", "number", "content").iterator():
        (content_dir / f"record-{rid}-v{number}.json").write_bytes(canonical_bytes(content))
        files += 1
    from liuhen.ledger.exports import report_missing

    copied = 0
    for sha in set(Attachment.objects.values_list("blob_id", flat=True)):
        try:
            shutil.copyfile(store.path_for(sha), blob_dir / sha)
        except OSError as exc:  # a file gone from the store: named, and the export goes on
            report_missing(f"blobs/{sha}", f"附件文件无法读取（{exc.strerror or exc}）")
            continue
        copied += 1
    return files, copied
